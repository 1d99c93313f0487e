#!/usr/bin/python3
"""Writes samples/notice.json and samples/letter.json (deterministic; reuses tests/model/make_samples.py helpers).

The notice carries 64 applicants — enough for the list to span pages — with long unit names, rare-character names
(吉𠮷 U+20BB7, 王䶮 U+4DAE) and, deliberately, id_number / phone / birth fields that the notice must never print.
    /usr/bin/python3 tests/render/make_samples.py [REPO_DIR]
"""
import json, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model"))
import make_samples as ms

repo = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
applicants = ms.roster_applicants(2022, 64)
long_units = ["浙江省交通投资集团有限公司所属浙江沪杭甬高速公路股份有限公司杭州管理处党委办公室",
              "中国电信股份有限公司浙江分公司（浙江省通信管理局直属单位）党群工作部"]
for i, u in enumerate(long_units):
    applicants[3 + 7 * i]["unit"] = u
notice = {"batch": ms.BATCH,
          "notice": {"doc_no": "浙政职办〔2022〕9号", "issued": "2022-11-30",
                     "period": {"start": "2022-12-01", "end": "2022-12-07"}},
          "applicants": applicants}
a = ms.review_form_applicant()
a.pop("photo", None)
letter = {"batch": ms.BATCH, "applicant": a, "result": ms.result(a, __import__("random").Random(1)),
          "letter": {"no": "浙政职评通〔2022〕018号", "issued": "2022-12-30"}}
letter["result"]["senior_review"]["passed"] = True
letter["result"]["qualified_from"] = "2022-12-30"
for name, body in (("notice", notice), ("letter", letter)):
    with open(os.path.join(repo, "samples", name + ".json"), "w", encoding="utf-8") as f:
        json.dump(body, f, ensure_ascii=False, indent=2)
        f.write("\n")
