#!/usr/bin/env bash
# bench/compare.sh — the headline figure, reproducible by anyone: zhiping against WeasyPrint (and wkhtmltopdf when
# installed) on the same one-page result letter, in one run on this machine, as letters/s, ms/letter and ratios.
#   bench/compare.sh [N=2000] [WEASY_N=50]
# What is compared:
#   zhiping bulk   `zhiping bulk letters` of N letters timed from outside as a user runs it (start to exit):
#                  render + PAdES signature + OCFL archive (durable) + the zip of them all;
#   zhiping render the letter rendered alone (validate, bind, lay out, write the PDF) in one warm process
#                  (bench/render_bench's first line; medians);
#   weasyprint     the same letter as HTML with the same font, rendered alone in one warm Python process
#                  (bench/weasyprint_letter.py) — no signing, no archive;
#   wkhtmltopdf    one process per letter, the same HTML (only when installed; Debian 12 ships it).
# Needs a build (./setup.sh build) and the Debian packages weasyprint and time (./setup.sh bench installs them).
# Figures go to stdout and bench/last-compare.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
build=${ZHIPING_BUILD_DIR:-build}
N=${1:-2000}
WEASY_N=${2:-50}
cmake --build "$build" --target zhiping render_bench -j "$(nproc)" > /dev/null
require_built compare.sh "zhiping render_bench" "$build/zhiping" "$build/bench/render_bench"
work=$(mktemp -d "${TMPDIR:-/tmp}/zhiping-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

{
  echo "# bench/compare.sh $N $WEASY_N — $(date -u +%F) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/python3 bench/make_bulk.py "$N" > "$work/bulk.json"
  timed_run "$work/time.txt" "$build/zhiping" bulk letters "$work/bulk.json" --archive "$work/archive" \
    --zip "$work/letters.zip" > "$work/summary.json" 2> /dev/null
  read -r wall _ rss < <(time_figures "$work/time.txt")
  issued=$(/usr/bin/python3 -c "import json;print(json.load(open('$work/summary.json'))['issued'])")
  bulk_rate=$(/usr/bin/python3 -c "print(f'{$issued / $wall:.1f}')")
  printf '%-16s %6s letters in %6.2f s: %7.1f letters/s %7.2f ms/letter, peak RSS %d MiB\n' "zhiping bulk" \
    "$issued" "$wall" "$bulk_rate" "$(/usr/bin/python3 -c "print(1000 * $wall / $issued)")" $((rss / 1024))

  render_ms=$("$build/bench/render_bench" . 30 | awk '/^letter, full pipeline, prepared fonts/ {print $(NF-1)}')
  printf '%-16s %6s %26s %7.1f letters/s %7.2f ms/letter (median of 30, one thread)\n' "zhiping render" "" "" \
    "$(/usr/bin/python3 -c "print(1000 / $render_ms)")" "$render_ms"

  weasy_rate=""
  if /usr/bin/python3 -c "import weasyprint" 2> /dev/null; then
    line=$(/usr/bin/python3 bench/weasyprint_letter.py "$WEASY_N" 2> /dev/null)  # fontTools warns per letter
    weasy_rate=$(echo "$line" | sed -E 's/.*: ([0-9.]+) letters\/s.*/\1/')
    weasy_ms=$(echo "$line" | sed -E 's/.* ([0-9.]+) ms\/letter.*/\1/')
    printf '%-16s %6s letters %24s %7.1f letters/s %7.2f ms/letter (render only)\n' "weasyprint" "$WEASY_N" "" \
      "$weasy_rate" "$weasy_ms"
  else
    echo "weasyprint       not installed (./setup.sh bench installs the Debian package)"
  fi
  if command -v wkhtmltopdf > /dev/null; then
    /usr/bin/python3 bench/weasyprint_letter.py --html > "$work/letter.html"
    start=$(date +%s.%N)
    for i in $(seq 1 20); do wkhtmltopdf -q "$work/letter.html" "$work/wk-$i.pdf"; done
    end=$(date +%s.%N)
    printf '%-16s %6s letters: %7.1f letters/s\n' "wkhtmltopdf" 20 "$(/usr/bin/python3 -c "print(20 / ($end - $start))")"
  else
    echo "wkhtmltopdf      not installed (skipped)"
  fi
  if [ -n "$weasy_rate" ]; then
    /usr/bin/python3 -c "
b, r, w = $bulk_rate, 1000 / $render_ms, $weasy_rate
print(f'ratio: zhiping bulk (signed, archived) / weasyprint (render only) = x{b / w:.0f}')
print(f'ratio: zhiping render / weasyprint render = x{r / w:.0f}')"
  fi
} | tee bench/last-compare.txt
