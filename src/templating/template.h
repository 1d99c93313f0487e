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

  // Dotted field paths the template reads, e.g. "batch.office.name", "applicants[].name" (for the preview's field
  // listing and generated sample, preview/template_tooling.h).
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
