// tests/xlsx/test_util.h — the shipped roster templates, a realistic body, and reading a workbook back with
// openpyxl (scratch folders come from tests/support/temp_dir.h).
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <stdexcept>
#include <string>

#include "common/json.h"
#include "model/parse.h"
#include "support/run_command.h"

namespace zhiping::xlsx::testing {

inline std::string TemplatePath(const std::string& name) {
  return std::string(ZHIPING_SOURCE_DIR) + "/templates/" + name + ".tmpl";
}

// Three applicants that exercise the dangerous cases: an ID number ending in X, phones that look like
// numbers (one with a leading zero), unit text that looks like a formula, a rare character beyond the BMP. A valid
// roster body (the writer takes typed values only).
inline const char* kBodyJson = R"({
  "batch": { "id": "zj-zgs-2022", "year": 2022, "title": "高级政工师",
             "office": { "name": "浙江省思想政治工作人员专业职务评定工作办公室", "short_name": "省政工职评办" },
             "deadline": "2022-09-15", "exam_pass_line": 60 },
  "applicants": [
    { "id": "ZG2022-000001", "name": "张三", "gender": "男", "id_number": "33010219800101123X", "birth": "1980-01",
      "phone": "13800000000", "unit": "杭州市某某局", "post": "办公室主任", "work_start": "2002-07",
      "education": { "level": "大学本科" }, "current_title": { "name": "政工师", "since": "2015-12" },
      "applying_for": "高级政工师", "opinions": { "unit": { "text": "同意推荐", "date": "2022-08-01" } } },
    { "id": "ZG2022-000002", "name": "吉𠮷", "gender": "女", "id_number": "110101197512310029", "birth": "1975-12-31",
      "phone": "05718705240", "unit": "=1+1", "post": "+86 宣传科长", "work_start": "1998-08",
      "education": { "level": "研究生" }, "current_title": { "name": "政工师", "since": "2010-09-16" },
      "applying_for": "高级政工师" },
    { "id": "ZG2022-000003", "name": "李四", "gender": "男", "id_number": "330102198203040012", "birth": "1982-03",
      "phone": "0571-87052402", "unit": "@宁波市某某集团有限公司党委工作部（宣传部、统战部）", "post": "-",
      "education": { "level": "大学本科" }, "work_start": "2004-07", "current_title": { "name": "政工师", "since": "2020-05" },
      "applying_for": "高级政工师" }
  ],
  "results": [
    { "applicant_id": "ZG2022-000001", "mid_review": { "passed": true, "score": 85.5, "date": "2022-09-10" },
      "exam": { "score": 86 },
      "senior_review": { "passed": true, "score": 88.5, "date": "2022-11-20",
                         "votes": { "for": 15, "against": 2, "abstain": 0 } },
      "qualified_from": "2022-12-30" },
    { "applicant_id": "ZG2022-000002", "mid_review": { "passed": true, "score": 70 },
      "exam": { "score": 58.5 },
      "senior_review": { "passed": false, "score": 55 } }
  ]
})";

inline Poco::Dynamic::Var Body() { return ParseJson(kBodyJson); }

// `body` as the typed roster request of template `kind` (the model's rules, on 2022-12-31); fails the test with
// the problems when it is not one.
inline model::RosterRequest Request(const std::string& kind, const Poco::Dynamic::Var& body) {
  model::Parsed<model::RosterRequest> parsed = model::ParseRoster(kind, body, model::ValidationContext("2022-12-31"));
  if (parsed.ok()) return parsed.TakeValue();
  std::string problems;
  for (const Problem& p : parsed.TakeProblems()) problems += " " + p.pointer + ": " + p.rule + ";";
  throw std::runtime_error(kind + " body is not a roster request:" + problems);
}

// Runs tests/xlsx/read_xlsx.py on `path`; returns its JSON, or an empty Var (and sets *error) when it failed.
inline Poco::Dynamic::Var ReadBack(const std::string& path, std::string* error, int max_rows = 50) {
  zhiping::testing::CommandResult r = zhiping::testing::RunCommand(
      "/usr/bin/python3 " ZHIPING_SOURCE_DIR "/tests/xlsx/read_xlsx.py " + zhiping::testing::Quote(path) + " " +
      std::to_string(max_rows));
  if (r.exit_code != 0) {
    *error = "read_xlsx.py failed: " + r.output();
    return {};
  }
  return ParseJson(r.out);
}

}  // namespace zhiping::xlsx::testing
