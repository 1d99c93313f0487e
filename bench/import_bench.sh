#!/usr/bin/env bash
# bench/import_bench.sh — Excel in at scale, through the path users take:
#   zhiping import roster.xlsx -o body.json
# The workbook is made by the project's own roster writer: roster_bench --write-body gives a valid body of N
# applicants, `zhiping render roster-summary` writes it as the 申报人员汇总表. The import (streamed sheet, the body
# built as text, every applicant checked by the model) runs under /usr/bin/time -v: wall time, CPU time, peak RSS.
#   bench/import_bench.sh [BUILD_DIR] [--rows N] [--compare OTHER_ZHIPING]      (BUILD_DIR defaults to build)
# --compare runs the same import with another build (an older one) right after, on the same workbook, and prints
# the ratios: figures of one run under the same load, since a shared machine's load moves between runs.
# Target (issue 12): 100,000 rows in ≤ 3 s and ≤ 64 MiB peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
rows=100000
compare=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --compare) compare=$2; shift 2 ;;
    *) echo "usage: bench/import_bench.sh [BUILD_DIR] [--rows N] [--compare OTHER_ZHIPING]" >&2; exit 2 ;;
  esac
done
bench=${ROSTER_BENCH:-$build/bench/roster_bench}
zhiping=${ZHIPING:-$build/zhiping}
. bench/lib.sh  # the scripts run from the repository root (cd above)
require_built import_bench.sh "roster_bench zhiping" "$bench" "$zhiping"
out="$build/bench-out/import"
mkdir -p "$out"
trap 'rm -f "$out/body.json" "$out/roster.xlsx" "$out/back.json" "$out/time.txt"' EXIT

"$bench" --write-body "$out/body.json" --rows "$rows"
# roster_bench repeats its ID numbers (ids are unique there); a 汇总表 has none, so the importer takes the ID
# number as the id and would rightly report the repeats: give every applicant its own, still matching birth and
# gender.
/usr/bin/python3 - "$out/body.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
regions = ["330102", "330106", "330212", "330302", "330402", "330602", "330702", "331002"]
for i, a in enumerate(body["applicants"]):
    y, m = a["birth"][:4], a["birth"][5:7]
    seq = (i % 500) * 2 + (1 if a.get("gender") == "男" else 0)
    s = f"{regions[i // 14000 % 8]}{y}{m}{i // 500 % 28 + 1:02d}{seq:03d}"
    a["id_number"] = s + "10X98765432"[sum(int(c) * w for c, w in zip(s, W)) % 11]
json.dump(body, open(sys.argv[1], "w"), ensure_ascii=False)
PY
"$zhiping" render roster-summary "$out/body.json" -o "$out/roster.xlsx" 2>/dev/null
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "workbook: $rows applicants, $(du -k "$out/roster.xlsx" | cut -f1) KiB"
# One import under /usr/bin/time -v: "wall user maxrss_kib" on stdout, its figures printed.
run_import() {
  local bin=$1 label=$2
  echo "== $label import ($rows applicants)" >&2
  timed_run "$out/time.txt" "$bin" import "$out/roster.xlsx" -o "$out/back.json"
  grep -E "^read " "$out/time.txt" >&2 || true
  echo "body: $(du -k "$out/back.json" | cut -f1) KiB" >&2
  time_figures "$out/time.txt"
}
read -r wall user rss < <(run_import "$zhiping" "zhiping")
if [ -n "$compare" ]; then
  read -r cwall cuser crss < <(run_import "$compare" "$compare (compare)")
  echo "ratio this/compare: wall $(awk "BEGIN{printf \"%.2f\", $wall/$cwall}"), user CPU $(awk "BEGIN{printf \"%.2f\", $user/$cuser}"), peak RSS $(awk "BEGIN{printf \"%.2f\", $rss/$crss}")"
fi
