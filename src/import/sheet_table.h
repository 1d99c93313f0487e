// import/sheet_table.h — one sheet of a workbook read as a table of people (the middle of `zhiping import`,
// docs/import.md): the header row found among the first rows, columns matched by their Chinese header, every person
// row's cells turned into the body's member forms (JSON value text: dates as ISO "YYYY-MM[-DD]", ID numbers as text,
// scores as numbers, 通过/未通过 as true/false, 同意/反对/弃权 votes as an object). A row may carry an applicant's
// members and a result's (a roster-results sheet, an office's 评审结果 sheet) and an item's letter number.
//
// The table ends at the first row whose first cell starts 填报单位/填表人/审核人/制表人 (a form's footer line), or at
// a row with data but neither 姓名 nor 身份证号 nor 编号 — unless people follow it, which is then a problem naming
// that row (a gap inside the table). The schema's rules stay in the model: this only reads cells; a cell that cannot
// become its member's form is a problem of its own (RowRecord::problems).
//
// Errors: zhiping::Error kInvalidInput with one Chinese sentence when the sheet has no header row in its first
// kHeaderSearchRows rows, and as Workbook::ReadSheet. Not thread-safe (the Workbook is not).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/problem.h"
#include "import/workbook.h"

namespace zhiping::import {

inline constexpr size_t kHeaderSearchRows = 10;

// Which part of a body a column feeds.
enum class Target { kNone, kApplicant, kResult, kItem };
enum class Kind { kIndex, kText, kId, kIdNumber, kDate, kScore, kPassed, kVotes };

// A member and the headers offices give its column (compared after NormalizeHeader). The first header is how
// problems name a column the sheet does not have.
struct Field {
  const char* path;  // below the target: "current_title/since", "senior_review/passed"
  Target target;
  Kind kind;
  std::vector<const char*> headers;
};
const std::vector<Field>& Fields();
// The index in Fields() of `path` under `target`; -1 when there is none.
int FieldIndex(Target target, const std::string& path);

inline constexpr uint32_t kNoColumn = UINT32_MAX;

// What the header row said.
struct SheetTable {
  std::string sheet;  // its name
  std::string title;  // the first text above the header row ("2022年度高级政工师申报人员汇总表"), or ""
  uint32_t header_row = 0;
  std::vector<uint32_t> field_column;  // per field of Fields(): its column, or kNoColumn
  std::vector<std::string> field_label;  // per field: the header as the sheet writes it (normalized)
  bool Has(int field) const { return field >= 0 && field_column[static_cast<size_t>(field)] != kNoColumn; }
  bool HasAny(Target target) const;  // a column feeding target (kResult: a results sheet)
  // "汇总表!E7" for field's cell in `row`; "汇总表!第 7 行" when the sheet has no such column.
  std::string Place(int field, uint32_t row) const;
};

// One person row.
struct RowRecord {
  uint32_t row = 0;
  std::vector<std::string> values;  // per field of Fields(): the member's JSON value text, "" for an empty cell
  std::vector<std::pair<int, std::string>> problems;  // a cell that cannot become its member: field, Chinese text
  std::string name;  // 姓名 as written ("" without)
  std::string Plain(int field) const;  // a text value without its quotes ("" when absent)
  bool Any(Target target) const;  // a value feeding target
  // The JSON object of `target`'s members ("{}" when none), `first` (e.g. "\"id\": …") before them.
  std::string Object(Target target, const std::string& first = "") const;
};

// Reads sheet `sheet` ("" = the first) of `book`, calling `row` for each person row in order until it returns
// false, and returns the table. A gap inside the table (see above) is added to `problems`. `header_only`: stop at
// the header row (no rows are passed).
SheetTable ReadTable(Workbook& book, const std::string& sheet,
                     const std::function<bool(const SheetTable&, const RowRecord&)>& row, Problems* problems,
                     bool header_only = false);

// Header text without spaces, line breaks and a bracketed note: "出生年月\n（年.月）" → "出生年月".
std::string NormalizeHeader(const std::string& text);

// Text dates as offices type them → "YYYY-MM" / "YYYY-MM-DD": 1980.01, 1980-01, 1980/1, 198001, 19800115,
// 1980年1月, 1980年1月15日, 1980.1.15; "" when it is none of these.
std::string NormalizeDateText(const std::string& text);

}  // namespace zhiping::import
