// preview/template_tooling.h — what a template reads, and a body that fills it (docs/preview.md).
//
// Used by `zhiping templates NAME`, GET /v1/templates/{name} and the preview page (docs/preview.md):
// - the fields a template uses, as a tree (nesting, which are lists), for PDF and XLSX templates alike;
// - the template's sample body (made by the model: model/sample.h);
// - the fields a given body lacks, and a copy of the body in which each missing text field shows a visible marker
//   (【缺：applicant.name】) instead of a blank.
// Nothing here renders; the caller passes the result to render::Renderer.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "model/request.h"

namespace zhiping::render {
class Renderer;
}

namespace zhiping::preview {

// One field a template reads, as the template's own compiler lists it (PdfTemplate::FieldUses, xlsx::RosterFields:
// names resolved by the templates' one lookup rule, so `{{batch.title}}` in a table of applicants is the body's
// `batch.title`), with derived names folded into their source (`issued_cn` -> `issued`, a date;
// `applicants_count` / `applicants_first.name` -> the list `applicants[]`; `_index` dropped).
struct FieldSegment {
  std::string name;
  bool list = false;  // the value at this segment is a list; later segments are fields of its elements
};

struct TemplateField {
  std::string path;                    // "applicants[].current_title.name", "batch.office.name"
  std::vector<FieldSegment> segments;  // the same, split
  bool date = false;                   // printed through a derived `_cn` date (`{{notice.issued_cn}}`)
  bool shown_as_cn = false;            // the template prints `X_cn` (so a marker goes there)
  bool value = false;                  // printed as text somewhere ({{x}}, a column's value)
  bool condition = false;              // used as a condition (@if, @unless, {{#x}}, {{^x}}): optional by design
};

struct TemplateFields {
  std::string name;                   // "notice"
  std::string output;                 // "pdf" / "xlsx"
  std::string file;                   // the template file
  std::vector<TemplateField> fields;  // sorted by path; lists appear as their own entries ("applicants[]")
};

// Reads the template file (either kind) and lists its fields. Throws zhiping::Error kTemplate "file:line: …" for a
// broken template, kNotFound when the file cannot be read.
TemplateFields ReadTemplateFields(const std::string& name, const std::string& file);

// The field tree as JSON: [{path, name, list, date, children:[…]}]. A list's children are its elements' fields,
// with paths like "applicants[].name".
Poco::JSON::Array::Ptr FieldTree(const TemplateFields& fields);

// The sample body of a template: model::SampleRequest (model/sample.h) as JSON — every member the schema knows,
// so it holds every field the template can use, and it parses without a problem. {} for a name the model does
// not know (no body can render such a template).
Poco::JSON::Object::Ptr GenerateSample(const std::string& template_name);

// {name, title, output, fields:[tree], sample:{…}} for a template the renderer knows. Throws zhiping::Error
// kNotFound for an unknown name, kTemplate for a broken file.
Poco::JSON::Object::Ptr DescribeTemplate(const render::Renderer& renderer, const std::string& name);

// Fields the template uses that `body` lacks (absent, null or ""), excluding fields used only as conditions.
struct MissingField {
  std::string field;                  // "applicants[].post"
  std::vector<std::string> pointers;  // "/applicants/2/post", … (JSON Pointers of the absent values)
  bool marked = false;                // the marker text was put in the body (see MarkMissingFields)
};

// Lists what the typed `request` lacks (absent or empty) and, where that cannot change the document's structure,
// puts the text 【缺：FIELD】 in its place (in `*request`, which is modified): only texts take a marker (a date,
// number or yes/no is reported, never filled, so the request stays one the model would accept in kind); a field
// used as a condition anywhere is never marked (the template shows or hides something on it), and an absent
// object is created for a marker only where no condition looks at it.
std::vector<MissingField> MarkMissingFields(const TemplateFields& fields, model::Request* request);

std::string MissingMarker(const std::string& field);  // "【缺：applicant.name】"



}  // namespace zhiping::preview
