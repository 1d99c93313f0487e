#!/usr/bin/env bash
# bench/print_bench.sh — issue 12's print file: N letters issued by `zhiping bulk letters` (bench/make_bulk.py), then
# merged from the archive into one PDF to print (index + letters + blanks) by build/bench/print_bench, timed, with
# its peak RSS; the file is checked with `qpdf --check` and its page count.
#   bench/print_bench.sh [N=1000] [N2 …]        e.g. bench/print_bench.sh 1000 10000
# Needs: a build (./setup.sh build), qpdf. Issuing takes most of the time (~30-60 letters/s on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${ZHIPING_BUILD_DIR:-build}
work=$(mktemp -d "${TMPDIR:-/tmp}/zhiping-print-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "print file merge (archived signed letters -> one PDF), $(nproc) cores"
for count in "${@:-1000}"; do
  /usr/bin/python3 bench/make_bulk.py "$count" > "$work/bulk-$count.json"
  start=$(date +%s.%N)
  "$BUILD_DIR/zhiping" bulk letters "$work/bulk-$count.json" --archive "$work/archive-$count" > /dev/null 2> "$work/issue-$count.txt"
  end=$(date +%s.%N)
  /usr/bin/python3 -c "print(f'{$count} letters issued in {$end-$start:.0f} s (not part of the merge)')"
  "$BUILD_DIR/bench/print_bench" "$work/archive-$count" "$work/bulk-$count.json" "$work/print-$count.pdf"
  qpdf --check "$work/print-$count.pdf" > "$work/check-$count.txt" 2>&1 && check=clean || check="NOT clean: $(tail -1 "$work/check-$count.txt")"
  echo "  file $(( $(stat -c %s "$work/print-$count.pdf") / 1048576 )) MiB, $(qpdf --show-npages "$work/print-$count.pdf") pages, qpdf --check $check"
  rm -rf "$work/archive-$count" "$work/print-$count.pdf"
done
