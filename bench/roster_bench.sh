#!/usr/bin/env bash
# bench/roster_bench.sh — writes roster-summary for 100,000 generated applicants, twice: once with the body built as
# Poco objects, once parsed from JSON text as the service would; each run also under /usr/bin/time -v.
#   bench/roster_bench.sh [BUILD_DIR] [roster_bench options…]     (BUILD_DIR defaults to build)
# Target: writing ≤ 3 s and ≤ 64 MiB. The body itself (Poco JSON, ~4 KiB per applicant) is reported apart: see
# "RSS before writing" and "growth" in the output.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
bin=${ROSTER_BENCH:-$build/bench/roster_bench}
if [ ! -x "$bin" ]; then
  echo "roster_bench.sh: $bin not found; build it with: cmake --build $build --target roster_bench" >&2
  exit 1
fi
out="$build/bench-out"
mkdir -p "$out"
for mode in "" "--json"; do
  echo "== roster_bench $mode $*"
  /usr/bin/time -v "$bin" --template templates/roster-summary.tmpl --out "$out" $mode "$@" 2> "$out/time.txt"
  grep -E "Elapsed|Maximum resident|User time|System time" "$out/time.txt" | sed 's/^\s*/time: /'
done
rm -f "$out/roster-summary.xlsx" "$out/time.txt"
