// templating/mustache_text.h — one Mustache text of a template, compiled once (docs/templates.md, docs/rosters.md).
//
// The one compiler of template text for PDF and roster templates alike: it checks a text, lists the names it reads
// (with their kind and the sections they sit in) and renders it against a Scope (templating/scope.h). Values are
// text for a page or a cell, never HTML: nothing is escaped.
//
// Thread safety: a MustacheText is immutable after construction; Render may be called from several threads at
// once. (kainjow's renderer only writes to itself for partials and lambdas; a Scope has no partials and the data
// built by templating/view.h holds no lambdas.)
#pragma once

#include <kainjow/mustache.hpp>

#include <memory>
#include <string>
#include <vector>

namespace zhiping::templating {

enum class NameKind {
  kValue,     // {{x}}, {{{x}}}, {{&x}}: printed
  kSection,   // {{#x}}…{{/x}}: shown when x is truthy, once per element of a list
  kInverted,  // {{^x}}…{{/x}}: shown when x is missing, false or an empty list
};

struct NameUse {
  std::string name;                   // as written, e.g. "batch.year", "passed"
  NameKind kind = NameKind::kValue;
  std::vector<std::string> sections;  // the names of the sections it sits in, outermost first
};

class MustacheText {
 public:
  // Never throws: a text that does not compile is !valid() with error() saying why.
  explicit MustacheText(const std::string& text);
  ~MustacheText();
  MustacheText(MustacheText&&) noexcept;
  MustacheText& operator=(MustacheText&&) noexcept;

  bool valid() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& source() const { return source_; }

  // Every name the text reads, in order of appearance ({{.}}, comments and partials are not names).
  const std::vector<NameUse>& names() const { return names_; }

  // The dotted path when the whole text is one value tag ({{a.b}}, {{{a.b}}}, {{&a.b}}): {"a","b"}; else empty. A
  // caller may then take the value itself (a roster keeps a number a number) instead of rendered text.
  const std::vector<std::string>& single_path() const { return single_path_; }

  // The text with its tags filled from `scope`; "" for an empty or invalid text.
  std::string Render(kainjow::mustache::basic_context<std::string>& scope) const;
  // The same into `*out`, replacing what it held (its capacity is reused): for a text rendered once per row.
  void Render(kainjow::mustache::basic_context<std::string>& scope, std::string* out) const;

 private:
  std::string source_, error_;
  std::vector<NameUse> names_;
  std::vector<std::string> single_path_;
  std::unique_ptr<kainjow::mustache::mustache> compiled_;  // null for an empty or invalid text
};

// "a.b.c" -> {"a", "b", "c"} (empty segments kept).
std::vector<std::string> SplitDotted(const std::string& name);

}  // namespace zhiping::templating
