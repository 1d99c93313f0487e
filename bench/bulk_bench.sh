#!/usr/bin/env bash
# bench/bulk_bench.sh — issue 5's bulk target: letters rendered, signed and archived end to end by `zhiping bulk`,
# with the WeasyPrint baseline measured in the same run.
#   bench/bulk_bench.sh [N=1000] [BIG=10000]
# Needs: a build (./setup.sh build), /usr/bin/time, and the Debian package weasyprint for the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${ZHIPING_BUILD_DIR:-build}
N=${1:-1000}; BIG=${2:-10000}
work=$(mktemp -d "${TMPDIR:-/tmp}/zhiping-bulk-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
run() {  # run COUNT: prints "COUNT letters: S s, R letters/s, peak RSS M MiB"
  local count=$1
  /usr/bin/python3 bench/make_bulk.py "$count" > "$work/bulk-$count.json"
  rm -rf "$work/archive-$count" && mkdir -p "$work/archive-$count"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v "$BUILD_DIR/zhiping" bulk letters "$work/bulk-$count.json" --archive "$work/archive-$count" \
    --zip "$work/letters-$count.zip" > "$work/out-$count.json" 2> "$work/err-$count.txt" || true
  end=$(date +%s.%N)
  local rss issued
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$work/err-$count.txt")
  issued=$(/usr/bin/python3 -c "import json;print(json.load(open('$work/out-$count.json'))['issued'])")
  /usr/bin/python3 -c "s=$end-$start; print(f'{$count} letters: {s:.1f} s, {$issued/s:.1f} letters/s end to end, issued {$issued}, peak RSS {$rss/1024:.0f} MiB')"
}
echo "zhiping bulk letters (render + PAdES sign + OCFL archive + zip), $(nproc) cores"
run "$N"
run "$BIG"
if /usr/bin/python3 -c "import weasyprint" 2>/dev/null; then
  echo "baseline (same letter, one warm process, render only — no signing, no archive):"
  /usr/bin/python3 bench/weasyprint_letter.py 50
else
  echo "baseline skipped: install the Debian package weasyprint"
fi
