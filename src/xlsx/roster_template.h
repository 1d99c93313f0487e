// xlsx/roster_template.h — the parsed form of a roster template file (templates/roster-*.tmpl).
//
// The template language is documented in docs/rosters.md; it is the PDF templates' Mustache language with the same
// lookup rule (templating/mustache_text.h, templating/scope.h). A template is parsed and checked once (every
// Mustache text is compiled to prove it is valid); WriteRoster compiles the texts again once per roster, never per
// row. A parsed template is plain data: threads may share it.
#pragma once

#include <string>
#include <vector>

#include "templating/template_fields.h"

namespace zhiping::xlsx {

enum class ColumnType {
  kText,    // the value as text, always a string cell (IDs and phones keep leading zeros; "=1+1" stays text)
  kNumber,  // a numeric cell when the value is a number, otherwise the text as a string cell
  kDate,    // YYYY-MM-DD or YYYY-MM -> a real Excel date shown yyyy-mm-dd / yyyy-mm; anything else stays text
  kIndex,   // 序号: 1, 2, 3… in row order
  kYears,   // whole years from the date in value= to the date in until= (e.g. 任现职年限 up to the deadline)
};

enum class ColumnAlign { kDefault, kLeft, kCenter, kRight };

struct RosterColumn {
  int line = 0;                  // where the @column directive is, for messages
  std::string header;            // Mustache text, rendered against the body
  ColumnType type = ColumnType::kText;
  std::string value;             // Mustache text, rendered against each row
  std::string until;             // kYears only: Mustache text of the end date
  bool auto_width = true;
  double width = 0;              // when !auto_width: Excel character units
  std::string num_format;        // Excel number format for kNumber / kYears ("0.0"); "" means General
  ColumnAlign align = ColumnAlign::kDefault;
};

// @join NAME from=LIST key=FIELD match=FIELD: each row sees NAME = the element of the body's list LIST whose FIELD
// equals the row's FIELD (match=). Rows without a partner see NAME as missing (blank cells, inverted sections).
struct RosterJoin {
  int line = 0;
  std::string name;
  std::string from;               // a list of the roster body: applicants or results
  std::string key;                // field of the joined element
  std::string match;              // field of the row
};

// How the roster prints (@print): libxlsxwriter's paper codes, orientation. Always fit to the page width.
enum class RosterPaper { kA4 = 9, kA3 = 8 };

class RosterTemplate {
 public:
  std::string file;                // as given to the parser; messages say file:line
  std::string description;         // @describe: the roster's name in listings (`zhiping templates`, the preview)
  std::string title;               // Mustache text against the body; empty: no title row
  std::string sheet = "Sheet1";
  std::string rows;                // the list of the body that gives one row per element: applicants or results
  std::vector<RosterJoin> joins;
  std::vector<RosterColumn> columns;
  std::string author = "{{batch.office.name}}";   // document properties, Mustache against the body
  std::string company = "{{batch.office.name}}";
  std::string subject;
  // Columns frozen at the left with the header rows (@freeze COLUMN: up to and including that column); 0: only
  // the rows above the data are frozen.
  size_t freeze_columns = 0;
  RosterPaper paper = RosterPaper::kA4;
  bool landscape = true;
  std::string signoff;             // @signoff: Mustache text against the body for a line below the table; "" none
};

// Parses template text; `file` names it in messages. Throws zhiping::Error kTemplate "file:line: problem" with the
// same Problem {pointer = "file:line", rule}.
RosterTemplate ParseRosterTemplate(const std::string& text, const std::string& file);

// The fields the template reads (templating/template_fields.h): the rows list ("applicants[]"), the rows' fields
// ("applicants[].name"), joined fields at their list ("results[].mid_review.score"), join keys and body fields.
std::vector<templating::FieldUse> RosterFields(const RosterTemplate& tmpl);

}  // namespace zhiping::xlsx
