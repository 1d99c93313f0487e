// templating/template_fields.h — the fields a template reads, for PDF and roster templates alike (issue 6 tooling).
//
// Built from the names MustacheText lists, resolved statically by the lookup rule of templating/scope.h: a name
// read in a list's element frame is that element's field ("applicants[].name") unless its first segment names a
// member of the body ("batch"), and a name inside a section {{#a.b}} is a member of a.b unless it is written
// absolutely (it starts with a body name or with the first segment of an enclosing section, or it is that section
// itself). Paths are as the template writes them: derived view names (X_cn, X_count, X_first, _index) are kept;
// the preview folds them into their sources. Not thread-safe (a collector is used by one thread).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "templating/mustache_text.h"

namespace zhiping::templating {

struct FieldUse {
  std::string path;        // "applicants[].name", "batch.office.name", "applicants[]" for a list itself
  bool value = false;      // printed somewhere ({{x}}, a column's value)
  bool condition = false;  // tested somewhere (@if, @unless, {{#x}}, {{^x}})
};

// Where names are read: the body (prefix ""), or a list's element ("applicants[]."), plus a roster row's joins
// (join name -> the joined list, "results[]").
struct FieldFrame {
  std::string prefix;
  std::map<std::string, std::string> joins;
};

class FieldCollector {
 public:
  // `body_names`: first segments that name members of the body wherever they are written.
  explicit FieldCollector(std::set<std::string> body_names) : body_names_(std::move(body_names)) {}

  // The path a name written in `frame` stands for ("name" in "applicants[]." -> "applicants[].name").
  std::string Resolve(const std::string& name, const FieldFrame& frame) const;
  // Every name `text` reads in `frame`, sections resolved.
  void AddText(const MustacheText& text, const FieldFrame& frame);
  void Add(const std::string& path, bool value, bool condition);

  // One entry per path, sorted by path.
  std::vector<FieldUse> Uses() const;

 private:
  std::set<std::string> body_names_;
  std::map<std::string, FieldUse> uses_;
};

// The first segment of every name `text` reads outside its sections (to find a template's body names).
void AddFirstSegments(const MustacheText& text, std::set<std::string>* out);

}  // namespace zhiping::templating
