#!/usr/bin/env bash
# bench/bulk_compare.sh — `zhiping bulk letters` of this tree against a baseline revision's, in one run, taking
# turns (base, now, base, now, …) so a busy machine slows both alike. Each run is timed from outside as a user
# runs it (start to exit, signing, archive and zip included), on its own fresh archive.
#   bench/bulk_compare.sh [BASE_REV=0fe8653] [N=1000] [ROUNDS=3]
# The baseline is built once into .bench-base/REV (a git worktree of REV with its own build directory, as
# bench/render_compare.sh does). 0fe8653 is main before the signature's font was cached (issue 16).
# Archives are removed only at the end: on a file system without a journal, ext4 skips inodes freed in the last
# minutes when it allocates new ones, and deleting one run's 12,000 files would slow the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-0fe8653}
n=${2:-1000}
rounds=${3:-3}
build=${ZHIPING_BUILD_DIR:-build}
base=.bench-base/$rev
export CCACHE_NOHASHDIR=true
if [ ! -x "$base/build/zhiping" ]; then
  [ -d "$base" ] || git worktree add -q --detach "$base" "$rev"
  (cd "$base" && CCACHE_BASEDIR=$PWD cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null &&
    CCACHE_BASEDIR=$PWD cmake --build build --target zhiping -j "$(nproc)" > /dev/null)
fi
CCACHE_BASEDIR=$PWD cmake --build "$build" --target zhiping -j "$(nproc)" > /dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/zhiping-bulk-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/make_bulk.py "$n" > "$work/bulk.json"
{
  echo "# bench/bulk_compare.sh $rev $n $rounds — $(date -u +%F) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# base = $rev, now = $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes'); CPU = user + system"
  printf '%-6s %-5s %12s %10s %16s\n' round tree letters/s wall_s cpu_ms/letter
  for r in $(seq 1 "$rounds"); do
    for tree in base now; do
      bin=$build/zhiping
      [ $tree = base ] && bin=$base/build/zhiping
      /usr/bin/time -f "%e %U %S" -o "$work/time" "$bin" bulk letters "$work/bulk.json" --archive "$work/archive-$tree-$r" \
        --zip "$work/letters-$tree-$r.zip" > "$work/out.json" 2> /dev/null
      read -r wall user sys < "$work/time"
      /usr/bin/python3 -c "print(f'{\"$r\":<6} {\"$tree\":<5} {$n / $wall:12.1f} {$wall:10.2f} {1000 * ($user + $sys) / $n:16.2f}')"
      echo "$tree $n $wall $user $sys" >> "$work/all"
    done
  done
  /usr/bin/python3 - "$work/all" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(tree, f):
    return statistics.median(f(r) for r in rows if r[0] == tree)
rate = lambda r: float(r[1]) / float(r[2])
cpu = lambda r: 1000 * (float(r[3]) + float(r[4])) / float(r[1])
print(f"median letters/s: base {med('base', rate):.1f}, now {med('now', rate):.1f}, "
      f"x{med('now', rate) / med('base', rate):.2f}")
print(f"median CPU ms a letter: base {med('base', cpu):.2f}, now {med('now', cpu):.2f}, "
      f"x{med('base', cpu) / med('now', cpu):.2f} less")
PY
} | tee bench/last-bulk-compare.txt
