// import/roster_import.h — an 申报人员汇总表 (one sheet of a workbook, import/workbook.h) → the request body of a
// roster template, as JSON text the model parses (docs/import.md). The schema's rules stay in the model: this
// file only finds the header row, matches columns by their Chinese header, turns cells into the body's member
// forms (dates as ISO "YYYY-MM[-DD]", ID numbers as text) and then lets model::RosterValidation check the body,
// mapping every problem back to the sheet, the cell and the person: `汇总表!E7（张三）身份证号：…` (the JSON
// Pointer stays the problem's pointer).
//
// Errors: throws zhiping::Error kInvalidInput with every problem (nothing is written) when the body does not
// pass; one Chinese sentence for a file that is not a workbook or a sheet without a recognisable header row.
#pragma once

#include <cstddef>
#include <string>

#include "model/validate.h"

namespace zhiping::import {

struct ImportOptions {
  std::string sheet;                          // "" = the first sheet
  std::string template_name = "roster-summary";  // roster-summary / roster-qualification (applicants only)
  // The round (batch): given here, or taken from the title row ("2022年度高级政工师申报人员汇总表").
  std::string batch_id, batch_title;
  int year = 0;
};

struct ImportResult {
  std::string body;        // the request body, JSON text (ImportRoster only)
  size_t applicants = 0;
  std::string sheet;       // the sheet read
  uint32_t header_row = 0; // 1-based
  std::string id_source;   // how applicant ids were made: "编号列", "身份证号" or "行号"
};

// Reads `path` and writes the body to `body_path` (created or truncated) as it reads, one applicant at a time;
// then checks it with the model (ctx), reading it back element by element: the memory does not grow with the
// sheet (bench/import_bench.sh). Throws as above (body_path then holds the unchecked body: the caller discards it).
ImportResult ImportRosterToFile(const std::string& path, const ImportOptions& options,
                                const model::ValidationContext& ctx, const std::string& body_path);
// The same with the body in ImportResult::body (through a temporary file): for small workbooks and `zhiping issue`.
ImportResult ImportRoster(const std::string& path, const ImportOptions& options,
                          const model::ValidationContext& ctx);

// Text dates as offices type them → "YYYY-MM" / "YYYY-MM-DD": 1980.01, 1980-01, 1980/1, 198001, 19800115,
// 1980年1月, 1980年1月15日, 1980.1.15; "" when it is none of these.
std::string NormalizeDateText(const std::string& text);

}  // namespace zhiping::import
