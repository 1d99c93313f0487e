// xlsx/roster.h — rosters (汇总表, 花名册, results) as XLSX, from a roster template and a validated body.
//
// Contract of this stage: the template file decides the columns (header, value, type, width); this code decides
// how a good roster looks (title row, frozen styled header, autofilter, print set-up, text-safe IDs). Rows stream
// through libxlsxwriter's constant-memory mode, so memory does not grow with the number of rows.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <memory>
#include <string>

namespace zhiping::xlsx {

class RosterTemplate;  // parsed template; defined in roster_template.h
class RosterBody;      // a body kept as text, its lists parsed one element at a time; roster_body.h
class RowQueue;        // rows handed over already parsed; roster_body.h

// Throws zhiping::Error kTemplate naming file:line for a broken template.
std::shared_ptr<const RosterTemplate> LoadRosterTemplate(const std::string& path);

// Writes the workbook to `out_path` (via a temp file + rename: never half a file). The template language and the
// look of a roster are described in docs/rosters.md; texts are compiled by templating::MustacheText and names
// resolved by templating::Scope, over data converted from the JSON by templating::DataFromJson (the body once, each
// row and joined element when written, only what the template names). Throws zhiping::Error: kInvalidInput with a JSON Pointer when
// the body cannot make a roster (rows not a list, duplicate join keys, a cell Excel cannot hold, invalid UTF-8) —
// checked before the disk is touched where possible, and a failure midway leaves no file; kUnavailable when the
// output cannot be written. Safe to call from several threads with the same template.
void WriteRoster(const RosterTemplate& tmpl, const Poco::Dynamic::Var& body, const std::string& out_path);
// Same, returning the bytes (uses a temp file internally).
std::string RenderRoster(const RosterTemplate& tmpl, const Poco::Dynamic::Var& body);

// The same for a body kept as text (roster_body.h): the rows list and joined lists located in `body` are parsed
// one element at a time, so memory does not grow with the rows (lists not located are read from the envelope).
// `rows`, when given, hands over the elements of the located rows list already parsed, in order (another thread
// validates them meanwhile); when it is cancelled, writing stops with kUnavailable and leaves no file. Rows that
// are not objects, and duplicate join keys, are still reported before the disk is touched.
void WriteRoster(const RosterTemplate& tmpl, const RosterBody& body, const std::string& out_path,
                 RowQueue* rows = nullptr);
std::string RenderRoster(const RosterTemplate& tmpl, const RosterBody& body, RowQueue* rows = nullptr);

}  // namespace zhiping::xlsx
