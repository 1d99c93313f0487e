#!/usr/bin/env bash
# bench/render_instructions.sh — instructions a letter render costs (validate, bind, lay out, write the PDF), this
# tree against a baseline revision, counted by valgrind's callgrind: a count that does not move with the machine's
# load, for changes too small to see in times on a shared 2-core machine (bench/render_compare.sh times them).
#   bench/render_instructions.sh [BASE_REV=6daf97a]
# Each count is render_bench's `letter` loop run for 30 renders minus the same for 10, divided by 20: start-up,
# font loading and the warm-up cancel out. The baseline is built into .bench-base/REV (as render_compare.sh does)
# with this tree's bench/render_bench.cpp, so both count the same loop. Needs valgrind (./setup.sh bench installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-6daf97a}
build=${ZHIPING_BUILD_DIR:-build}
base=.bench-base/$rev
command -v valgrind > /dev/null || { echo "render_instructions.sh: needs valgrind (./setup.sh bench installs it)" >&2; exit 2; }
export CCACHE_NOHASHDIR=true
[ -d "$base" ] || git worktree add -q --detach "$base" "$rev"
cp bench/render_bench.cpp "$base/bench/render_bench.cpp"
(cd "$base" && CCACHE_BASEDIR=$PWD cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null &&
  CCACHE_BASEDIR=$PWD cmake --build build --target render_bench -j "$(nproc)" > /dev/null)
CCACHE_BASEDIR=$PWD cmake --build "$build" --target render_bench -j "$(nproc)" > /dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/zhiping-render-instructions.XXXXXX")
trap 'rm -rf "$work"' EXIT

count() {  # count BINARY RENDERS: instructions of the whole run
  valgrind --tool=callgrind --callgrind-out-file="$work/cg" "$1" . "$2" letter > /dev/null 2> "$work/err" ||
    { cat "$work/err" >&2; exit 1; }
  awk '/^(summary|totals):/ { print $2; exit }' "$work/cg"
}
per_letter() { local a z; a=$(count "$1" 10); z=$(count "$1" 30); echo $(( (z - a) / 20 )); }
b=$(per_letter "$base/build/bench/render_bench")
c=$(per_letter "$build/bench/render_bench")
{
  echo "# bench/render_instructions.sh $rev — $(date -u +%F); instructions a letter render (callgrind)"
  echo "base $rev: $b"
  echo "now  $(git rev-parse --short HEAD)$(git diff --quiet -- src || echo '+changes'): $c"
  awk -v b="$b" -v c="$c" 'BEGIN { printf "now/base x%.3f (%.1f%% fewer)\n", c / b, 100 * (1 - c / b) }'
} | tee bench/last-render-instructions.txt
