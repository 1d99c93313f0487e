#!/usr/bin/env bash
# bench/render_compare.sh — this tree's render and issue benchmarks against a baseline revision, in one run,
# taking turns (base, now, base, now, …) so a busy machine slows both alike; prints each round and the ratios.
#   bench/render_compare.sh [BASE_REV=e6c2879] [ROUNDS=3] [N=30]
# The baseline is built once into .bench-base/REV (a git worktree of REV, its own build directory; ccache makes a
# second build cheap). e6c2879 is main before issue 16. Figures go to stdout and bench/last-render-compare.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-e6c2879}
rounds=${2:-3}
n=${3:-30}
build=${ZHIPING_BUILD_DIR:-build}
base=.bench-base/$rev
export CCACHE_NOHASHDIR=true
if [ ! -x "$base/build/bench/render_bench" ] || [ ! -x "$base/build/bench/issue_bench" ]; then
  [ -d "$base" ] || git worktree add -q --detach "$base" "$rev"
  (cd "$base" && CCACHE_BASEDIR=$PWD cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null &&
    CCACHE_BASEDIR=$PWD cmake --build build --target render_bench issue_bench -j "$(nproc)" > /dev/null)
fi
CCACHE_BASEDIR=$PWD cmake --build "$build" --target render_bench issue_bench -j "$(nproc)" > /dev/null

field() {  # field FILE LABEL: the first number after LABEL on its line
  awk -v l="$2" 'index($0, l) == 1 { s = substr($0, length(l) + 1); if (match(s, /[0-9]+\.[0-9]+/)) { print substr(s, RSTART, RLENGTH); exit } }' "$1"
}
work=$(mktemp -d "${TMPDIR:-/tmp}/zhiping-render-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
{
  echo "# bench/render_compare.sh $rev $rounds $n — $(date -u +%F) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# medians in ms; base = $rev, now = $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
  printf '%-6s %-5s %10s %10s %10s %10s %10s\n' round tree render write notice200 issue sign
  for r in $(seq 1 "$rounds"); do
    for tree in base now; do
      dir=$build
      [ $tree = base ] && dir=$base/build
      # Each tree reads its own templates, samples and fonts.
      root=.
      [ $tree = base ] && root=$base
      "$dir/bench/render_bench" "$root" "$n" > "$work/render-$tree-$r.txt"
      "$dir/bench/issue_bench" "$root" "$n" > "$work/issue-$tree-$r.txt" 2>&1
      printf '%-6s %-5s %10s %10s %10s %10s %10s\n' "$r" "$tree" \
        "$(field "$work/render-$tree-$r.txt" 'letter, full pipeline, prepared fonts')" \
        "$(field "$work/render-$tree-$r.txt" 'letter PDF writing, prepared fonts')" \
        "$(field "$work/render-$tree-$r.txt" 'notice, 200 applicants')" \
        "$(field "$work/issue-$tree-$r.txt" '  issue (render + sign + archive)')" \
        "$(field "$work/issue-$tree-$r.txt" '  sign only (visible seal), CPU')"
    done
  done | tee "$work/table.txt"
  /usr/bin/python3 - "$work/table.txt" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.split() and l.split()[0].isdigit()]
cols = ["render", "write", "notice200", "issue", "sign"]
for i, c in enumerate(cols):
    b = [float(r[2 + i]) for r in rows if r[1] == "base" and len(r) > 2 + i]
    n = [float(r[2 + i]) for r in rows if r[1] == "now" and len(r) > 2 + i]
    if b and n:
        mb, mn = statistics.median(b), statistics.median(n)
        print(f"{c:10s} base {mb:8.2f} ms  now {mn:8.2f} ms  now/base x{mn / mb:.2f}  (x{mb / mn:.1f} faster)")
PY
} | tee bench/last-render-compare.txt
