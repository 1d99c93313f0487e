#!/usr/bin/python3
"""Writes a bulk-letters body with N items (default 1000) to stdout, from samples/bulk-letters.json.

Each copy gets its own applicant id (ZG2022-Bnnnnnnn) so every item makes its own archive object. The identity
numbers are reused: validation checks checksums and birth dates per item, not uniqueness across the round.
    /usr/bin/python3 bench/make_bulk.py N > bulk.json
"""
import copy, json, os, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
here = os.path.dirname(os.path.abspath(__file__))
body = json.load(open(os.path.join(here, "..", "samples", "bulk-letters.json"), encoding="utf-8"))
src = body["items"]
items = []
for i in range(n):
    item = copy.deepcopy(src[i % len(src)])
    aid = "ZG2022-B%07d" % i
    item["applicant"]["id"] = aid
    item["result"]["applicant_id"] = aid
    if "letter_no" in item:
        item["letter_no"] = "浙政职评通〔2022〕%d号" % (i + 1)
    items.append(item)
body["items"] = items
json.dump(body, sys.stdout, ensure_ascii=False)
