#include "test_body.h"

#include "common/json.h"

namespace zhiping::model::testing {

using Poco::Dynamic::Var;

Var Parse(const std::string& json) { return ParseJson(json); }

static const char kBatch[] = R"({
  "id": "zj-zgs-2022", "year": 2022, "title": "高级政工师",
  "office": { "name": "浙江省思想政治工作人员专业职务评定工作办公室", "short_name": "省政工职评办",
              "phone": "0571-87052402", "email": "zgzpb@163.com" },
  "notice_ref": "浙政职办〔2022〕1号", "deadline": "2022-09-15", "exam_pass_line": 60 })";

Var ValidNotice() {
  return Parse(std::string(R"({ "batch": )") + kBatch + R"(,
    "notice": { "doc_no": "浙政职办〔2022〕9号", "issued": "2022-11-30",
                "period": { "start": "2022-12-01", "end": "2022-12-07" } },
    "applicants": [
      { "id": "ZG2022-000001", "name": "吉𠮷", "gender": "男", "unit": "杭州市上城区文化和广电旅游体育局",
        "current_title": { "name": "政工师" } },
      { "id": "ZG2022-000002", "name": "王䶮", "unit": "宁波市鄞州区教育局", "current_title": { "name": "政工师" } } ] })");
}

Var ValidLetter() {
  return Parse(std::string(R"({ "batch": )") + kBatch + R"(,
    "applicant": { "id": "ZG2022-000123", "name": "张三", "unit": "浙江省人民医院" },
    "result": { "applicant_id": "ZG2022-000123",
                "mid_review": { "passed": true, "score": 85.5, "date": "2022-09-10" },
                "exam": { "score": 86 },
                "senior_review": { "passed": true, "score": 88.5, "date": "2022-11-20",
                                   "votes": { "for": 15, "against": 2, "abstain": 0 } },
                "qualified_from": "2022-12-30" },
    "letter": { "no": "浙政职评通〔2022〕001号", "issued": "2022-12-30" } })");
}

Problems Validate(const std::string& kind, const Var& body, const std::string& today) {
  return ValidateRequest(kind, body, ValidationContext{today});
}

std::string Describe(const Problems& problems) {
  std::string out = std::to_string(problems.size()) + " problem(s):";
  for (const Problem& p : problems) out += "\n  " + FormatProblem(p);
  return out;
}

}  // namespace zhiping::model::testing
