// templating/template.h — the zhiping template language for PDF documents (docs/templates.md).
//
// A template is a text file office staff edit: one directive per line (`@title`, `@para`, `@table`, `@each`, …)
// whose text may hold Mustache tags ({{batch.year}}). The structure is parsed from the file alone, before any data
// is seen; data is bound only into text, never HTML-escaped and never re-parsed, so no value can add, remove or
// reorder a block. Every error names the file and line.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <kainjow/mustache.hpp>
#include <memory>
#include <string>
#include <vector>

#include "layout/blocks.h"
#include "model/request.h"
#include "templating/template_fields.h"

namespace zhiping::templating {

class PdfTemplate {
 public:
  // Throws zhiping::Error kTemplate "file:line: what is wrong".
  static std::shared_ptr<const PdfTemplate> Load(const std::string& path);
  static std::shared_ptr<const PdfTemplate> Parse(const std::string& text, const std::string& path);
  ~PdfTemplate();

  const std::string& path() const;
  const std::string& description() const;  // the `@describe` line

  // Binds a request (typed, so already valid) into blocks, through its view (templating/view.h). Thread-safe.
  layout::DocumentSpec Bind(const model::Request& request) const;
  // The same for any JSON value: the template language's own tests and tools.
  layout::DocumentSpec BindJson(const Poco::Dynamic::Var& body) const;

  // The fields the template reads and how (printed, tested), by the rule of templating/template_fields.h: paths
  // such as "batch.office.name", "applicants[].name", "applicants[]". Body names of the letterhead and the
  // document title are included.
  std::vector<FieldUse> FieldUses() const;
  // The same paths alone (issue 6 tooling).
  std::vector<std::string> Fields() const;

  struct Impl;

 private:
  layout::DocumentSpec BindView(kainjow::mustache::data view) const;
  explicit PdfTemplate(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The first directive line of a template file: "pdf" or "xlsx" (the `@template` line); "" if none.
std::string TemplateOutputKind(const std::string& text);

}  // namespace zhiping::templating
