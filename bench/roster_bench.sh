#!/usr/bin/env bash
# bench/roster_bench.sh — rosters of 100,000 applicants through the real path users take, against a baseline
# binary built from an earlier commit, in the same run:
#   zhiping render roster-summary BODY.json -o out.xlsx      (and roster-results, with 100,000 results)
# each under /usr/bin/time -v (wall time, CPU time, peak RSS of the whole process), baseline and current taking
# turns, RUNS times each (default 3); it prints the median wall and CPU time of each, the largest peak RSS, and the
# ratios baseline / current. On a shared machine compare within one run only (the load average is printed).
# The bodies are generated as JSON files by roster_bench --write-body (valid for the model stage; ~570 bytes an
# applicant, 54 MiB for the summary's body, 80 MiB with results).
# The baseline (default e6c2879: before issue 16's streaming reader) is checked out with `git worktree add` into
# BUILD_DIR/roster-baseline and its zhiping built there (once; ccache makes it quick). --no-baseline skips it.
# With --writer-only it also runs the old in-process measurement of the writer alone.
#   bench/roster_bench.sh [BUILD_DIR] [--rows N] [--runs R] [--baseline REV | --no-baseline] [--writer-only]
# Targets (issue 16): roster-results 100,000 rows in ≤ 2 s and ≤ 64 MiB peak RSS on 2 cores; roster-summary ≤ 1.5 s.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
rows=100000
runs=3
baseline_rev=e6c2879
writer_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --baseline) baseline_rev=$2; shift 2 ;;
    --no-baseline) baseline_rev=""; shift ;;
    --writer-only) writer_only=1; shift ;;
    *) echo "usage: bench/roster_bench.sh [BUILD_DIR] [--rows N] [--runs R] [--baseline REV | --no-baseline] [--writer-only]" >&2
       exit 2 ;;
  esac
done
bench=${ROSTER_BENCH:-$build/bench/roster_bench}
zhiping=${ZHIPING:-$build/zhiping}
. bench/lib.sh  # the scripts run from the repository root (cd above)
require_built roster_bench.sh "roster_bench zhiping" "$bench" "$zhiping"
out="$build/bench-out"
mkdir -p "$out"
trap 'rm -f "$out/body.json" "$out/body-results.json" "$out/roster.xlsx" "$out/time.txt"' EXIT

baseline=""
if [ -n "$baseline_rev" ]; then
  # The baseline's own sources and build, beside ours; its zhiping finds its templates in its own tree.
  base_src="$build/roster-baseline"
  if [ ! -d "$base_src" ]; then
    git worktree add --detach "$base_src" "$baseline_rev" >/dev/null
  elif [ "$(git -C "$base_src" rev-parse HEAD)" != "$(git rev-parse "$baseline_rev^{commit}")" ]; then
    git -C "$base_src" checkout -q --detach "$baseline_rev"
  fi
  (export CCACHE_BASEDIR=$PWD/$base_src CCACHE_NOHASHDIR=true
   cmake -S "$base_src" -B "$base_src/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
   cmake --build "$base_src/build" --target zhiping -j2 >/dev/null)
  baseline="$base_src/build/zhiping"
  echo "baseline: $(git -C "$base_src" log -1 --format='%h %s' | cut -c1-100)"
fi
echo "current:  $(git log -1 --format='%h %s' | cut -c1-100)$(git diff --quiet HEAD -- src || echo ' (+ uncommitted changes)')"

"$bench" --write-body "$out/body.json" --rows "$rows"
"$bench" --write-body "$out/body-results.json" --rows "$rows" --results
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

compare() {  # compare TEMPLATE BODY
  local tmpl=$1 body=$2 who bin i
  echo "== zhiping render $tmpl ($rows applicants), $runs runs each"
  local f
  for f in walls cpu rss; do : > "$out/$f-base.txt"; : > "$out/$f-cur.txt"; done
  for ((i = 1; i <= runs; i++)); do
    for who in base cur; do
      bin=$zhiping
      if [ "$who" = base ]; then
        [ -n "$baseline" ] || continue
        bin=$baseline
      fi
      timed_run "$out/time.txt" "$bin" render "$tmpl" "$body" -o "$out/roster.xlsx" > /dev/null 2> "$out/time-lines.txt"
      read -r wall user rss < <(time_figures "$out/time.txt")
      sys=$(grep "System time" "$out/time.txt" | awk -F': ' '{print $2}')
      cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
      echo "$wall" >> "$out/walls-$who.txt"
      echo "$cpu" >> "$out/cpu-$who.txt"
      echo "$rss" >> "$out/rss-$who.txt"
      echo "  $who run $i: wall $wall s, CPU (user+sys) $cpu s, peak RSS $((rss / 1024)) MiB"
    done
  done
  local cur_wall cur_cpu cur_rss
  cur_wall=$(median < "$out/walls-cur.txt")
  cur_cpu=$(median < "$out/cpu-cur.txt")
  cur_rss=$(sort -n "$out/rss-cur.txt" | tail -1)
  echo "  current:  median wall $cur_wall s, CPU $cur_cpu s, peak RSS $((cur_rss / 1024)) MiB (largest run); file $(du -k "$out/roster.xlsx" | cut -f1) KiB"
  if [ -n "$baseline" ]; then
    local base_wall base_cpu base_rss
    base_wall=$(median < "$out/walls-base.txt")
    base_cpu=$(median < "$out/cpu-base.txt")
    base_rss=$(sort -n "$out/rss-base.txt" | tail -1)
    echo "  baseline: median wall $base_wall s, CPU $base_cpu s, peak RSS $((base_rss / 1024)) MiB (largest run)"
    awk -v b="$base_wall" -v c="$cur_wall" -v bc="$base_cpu" -v cc="$cur_cpu" \
      'BEGIN {printf "  ratio baseline / current: wall %.2fx, CPU %.2fx\n", b / c, bc / cc}'
  fi
  rm -f "$out"/walls-*.txt "$out"/cpu-*.txt "$out"/rss-*.txt "$out/time-lines.txt"
}
compare roster-summary "$out/body.json"
compare roster-results "$out/body-results.json"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$writer_only" = 1 ]; then
  for mode in "" "--json"; do
    echo "== roster_bench (writer alone, in process) $mode"
    timed_run "$out/time.txt" "$bench" --rows "$rows" --template templates/roster-summary.tmpl --out "$out" $mode 2>&1
  done
fi
