// import/body_import.h — a workbook (an 申报人员汇总表, a 评审结果 sheet, or both) → the request body of any template
// or of bulk letters, as JSON text the model parses (docs/import.md). Sheets are read as tables (import/
// sheet_table.h); what a workbook cannot hold comes from options (import/envelope_options.h). The schema's rules stay
// in the model: the body is checked by model::RosterValidation (rosters, element by element) or
// model::ValidateRequest, and every problem is mapped back to the sheet, the cell and the person:
// `汇总表!E7（张三）身份证号：…`, or to the option that was missing: `发文日期（--issued（HTTP ?issued=））：…`
// (the JSON Pointer stays the problem's pointer).
//
// Results: from the same rows when the sheet has result columns (what roster-results writes); else from another
// sheet (ImportOptions::results_sheet, or the first other sheet of the workbook with result columns) or another
// workbook (results_path), each result matched to its applicant by 编号, else 身份证号, else 姓名 (whichever column
// both sheets have, in that order).
//
// Errors: throws zhiping::Error kInvalidInput with every problem (nothing is written) when the body does not pass;
// one Chinese sentence for a file that is not a workbook or a sheet without a recognisable header row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "import/envelope_options.h"
#include "import/sheet_table.h"
#include "model/validate.h"

namespace zhiping::import {

struct ImportOptions {
  std::string sheet;                             // "" = the first sheet
  std::string template_name = "roster-summary";  // any template, or "bulk-letters"
  std::string results_sheet;  // results on this sheet (of results_path when given, else of the workbook)
  std::string results_path;   // results in this workbook
  // letter and review-form: the one applicant, by its sheet row (1-based, as Excel shows it) or by its 编号 /
  // 身份证号 / 姓名; needed when the sheet holds more than one person.
  uint32_t row = 0;
  std::string person;
  // The envelope (envelope_options.h): year, title and batch-id default to the title row
  // ("2022年度高级政工师申报人员汇总表": year 2022, title 高级政工师, id import-2022).
  EnvelopeValues values;
};

struct ImportResult {
  std::string body;         // the request body, JSON text (ImportBody only)
  size_t applicants = 0;    // people (items for bulk letters)
  size_t results = 0;
  std::string sheet;        // the sheet read
  std::string results_sheet;  // where results came from ("" when none)
  uint32_t header_row = 0;  // 1-based
  std::string id_source;    // how applicant ids were made: "编号列", "身份证号" or "行号"
};

// Reads `path` and writes the body to `body_path` (created or truncated) as it reads, one applicant at a time;
// then checks it with the model (ctx). A roster's memory does not grow with the sheet (bench/import_bench.sh);
// results from another sheet are held as text until joined. Throws as above (body_path then holds the unchecked
// body: the caller discards it).
ImportResult ImportBodyToFile(const std::string& path, const ImportOptions& options,
                              const model::ValidationContext& ctx, const std::string& body_path);
// The same with the body in ImportResult::body (through a temporary file).
ImportResult ImportBody(const std::string& path, const ImportOptions& options, const model::ValidationContext& ctx);

// True for the names ImportOptions::template_name takes: every template and "bulk-letters".
bool ImportsInto(const std::string& template_name);

}  // namespace zhiping::import
