// xlsx/roster.h — rosters (汇总表, 花名册, results) as XLSX, from a roster template and a validated body.
//
// Contract of this stage: the template file decides the columns (header, value, type, width); this code decides
// how a good roster looks (title row, frozen styled header, autofilter, print set-up, text-safe IDs). Rows stream
// through libxlsxwriter's constant-memory mode, so memory does not grow with the number of rows.
#pragma once

#include <memory>
#include <string>

#include "model/request.h"

namespace zhiping::xlsx {

class RosterTemplate;  // parsed template; defined in roster_template.h
class RosterSource;    // where the rows come from, typed; roster_source.h

// Throws zhiping::Error kTemplate naming file:line for a broken template.
std::shared_ptr<const RosterTemplate> LoadRosterTemplate(const std::string& path);

// Writes the workbook to `out_path` (via a temp file + rename, checked whole before the rename: never half a file;
// xlsx/package_check.h).
// The template language and the look of a roster are described in docs/rosters.md; texts are compiled by
// templating::MustacheText and names resolved by templating::Scope, over the data `source` makes of the typed
// values (templating::RowView: the envelope once, each row and joined element when written, only what the
// template names). Throws zhiping::Error: kInvalidInput with a JSON Pointer for a cell Excel cannot hold (over
// 32,767 characters, invalid UTF-8) or more rows than a sheet holds — a failure midway leaves no file;
// kUnavailable when the output cannot be written or the source's rows stop. Safe to call from several threads with
// the same template (each with its own source).
void WriteRoster(const RosterTemplate& tmpl, RosterSource& source, const std::string& out_path);
// Same, returning the bytes (uses a temp file internally).
std::string RenderRoster(const RosterTemplate& tmpl, RosterSource& source);

// A roster request held whole (model::ParseRoster's value).
void WriteRoster(const RosterTemplate& tmpl, const model::RosterRequest& request, const std::string& out_path);
std::string RenderRoster(const RosterTemplate& tmpl, const model::RosterRequest& request);

}  // namespace zhiping::xlsx
