#!/usr/bin/env bash
# bench/roster_bench.sh — rosters of 100,000 applicants through the real path users take:
#   zhiping render roster-summary BODY.json -o out.xlsx      (and roster-results, with 100,000 results)
# each under /usr/bin/time -v: wall time, CPU time and the peak RSS of the whole process. The bodies are generated
# as JSON files by roster_bench --write-body (valid for the model stage; ~570 bytes an applicant, 54 MiB for the
# summary's body). With --writer-only it also runs the old in-process measurement of the writer alone (body built
# as Poco objects in memory first).
#   bench/roster_bench.sh [BUILD_DIR] [--rows N] [--writer-only]      (BUILD_DIR defaults to build)
# Target (issue 3): 100,000 rows in ≤ 3 s and ≤ 64 MiB peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
rows=100000
writer_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --writer-only) writer_only=1; shift ;;
    *) echo "usage: bench/roster_bench.sh [BUILD_DIR] [--rows N] [--writer-only]" >&2; exit 2 ;;
  esac
done
bench=${ROSTER_BENCH:-$build/bench/roster_bench}
zhiping=${ZHIPING:-$build/zhiping}
. bench/lib.sh  # the scripts run from the repository root (cd above)
require_built roster_bench.sh "roster_bench zhiping" "$bench" "$zhiping"
out="$build/bench-out"
mkdir -p "$out"
trap 'rm -f "$out/body.json" "$out/body-results.json" "$out/roster.xlsx" "$out/roster-summary.xlsx" "$out/time.txt"' EXIT

"$bench" --write-body "$out/body.json" --rows "$rows"
"$bench" --write-body "$out/body-results.json" --rows "$rows" --results
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

run() {  # run TEMPLATE BODY
  echo "== zhiping render $1 ($rows applicants)"
  timed_run "$out/time.txt" "$zhiping" render "$1" "$2" -o "$out/roster.xlsx" 2>&1
  echo "file: $(du -k "$out/roster.xlsx" | cut -f1) KiB"
}
run roster-summary "$out/body.json"
run roster-results "$out/body-results.json"

if [ "$writer_only" = 1 ]; then
  for mode in "" "--json"; do
    echo "== roster_bench (writer alone, in process) $mode"
    timed_run "$out/time.txt" "$bench" --rows "$rows" --template templates/roster-summary.tmpl --out "$out" $mode 2>&1
  done
fi
