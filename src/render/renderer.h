// render/renderer.h — the whole pipeline behind one call: JSON body -> typed model (model/parse.h) -> template
// binding -> layout -> PDF, OFD or XLSX bytes. This is what the CLI (`zhiping render`), the service (POST /v1/render/{t}),
// the issuer and bulk jobs call.
//
// A Renderer is built once per process (it prepares fonts and parses templates) and is then safe to call from
// many threads at once: per-thread PDF writers are created on demand.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/problem.h"
#include "layout/display_list.h"
#include "model/request.h"
#include "model/validate.h"
#include "render/output_format.h"

namespace zhiping::fonts {
class FontSet;
}

namespace zhiping::render {

struct RendererConfig {
  std::string templates_dir = "templates";
  std::string font_role_map = "fonts/fonts.conf";
  std::vector<std::string> font_search_dirs;  // empty: fonts::DefaultFontSearchDirs(<dir of role map>)
  std::string font_cache_dir;                 // empty: $XDG_CACHE_HOME/zhiping/fonts or ~/.cache/zhiping/fonts
  std::string today;                          // "YYYY-MM-DD" for validation; empty: the local date
  // false: fonts are prepared and loaded by the constructor (a broken font fails at start-up: the service).
  // true: on the first PDF render (or Describe) instead — a one-shot roster render never loads them (`zhiping
  // render`; the fonts are most of the memory of a process that only writes a roster).
  bool fonts_on_demand = false;
  // false: a template that cannot be loaded fails the constructor (the service and the CLI start only whole).
  // true: it is left out and its error kept (BrokenTemplates; rendering it throws that error), so the others stay
  // usable — the preview, where the file being edited is often broken for a moment.
  bool keep_broken_templates = false;
  // Public holidays for working-day rules (model/work_calendar.h): "" is the built-in calendar; a file adds years.
  std::string calendar_file;
  // Fonts already loaded by another Renderer (Renderer::font_set): used instead of loading them again. The preview
  // rebuilds its Renderer at every template save; the fonts do not change, and loading them was most of the wait.
  std::shared_ptr<const fonts::FontSet> font_set;
};

struct RenderedDocument {
  std::string bytes;
  // application/pdf, application/ofd or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
  std::string media_type;
  std::string extension;   // "pdf" / "ofd" / "xlsx"
  int pages = 0;           // PDF/OFD pages (0 for XLSX)
  // Where the seal goes (the visible signature's place), when the template has a signature block: 0-based page and
  // rectangle in PDF points (origin bottom-left; the OFD writer converts it, ofd::OfdDocument::seal). seal_page < 0:
  // none.
  int seal_page = -1;
  double seal_x = 0, seal_y = 0, seal_w = 0, seal_h = 0;
  std::string title;  // the document's title (the template's metadata title), for the PDF/A metadata when signed
  std::string template_digest;  // sha256 of the template file that produced it
  // The laid-out pages the bytes were written from (PDF and OFD; null for XLSX): the other format of the same
  // document is written from them without laying it out again (pdf::WritePdf, ofd::WriteOfd). Its glyphs point
  // into the Renderer's fonts: use it only while the Renderer lives.
  std::shared_ptr<const layout::LaidOutDocument> layout;
  // What it was made from. For a roster only the batch is kept (its rows were streamed: applicants and results are
  // empty here).
  std::shared_ptr<const model::Request> request;
};

struct TemplateInfo {
  std::string name;         // "notice"
  std::string title;        // the template's @describe: "公示 — 评审通过人员名单的公示", "申报人员汇总表"
  std::string output;       // "pdf" / "xlsx"
  std::string path;         // file it was read from
};

class Renderer {
 public:
  // Throws zhiping::Error (kFont, kTemplate) when fonts or templates cannot be loaded; kNotFound or kInvalidInput
  // (file:line) for a calendar file that cannot be read or used.
  explicit Renderer(const RendererConfig& config);
  ~Renderer();

  // Throws zhiping::Error: kNotFound (unknown template), kInvalidInput (malformed JSON: one problem whose rule starts
  // "malformed JSON"; invalid data: every problem by JSON Pointer; a character no font has: its pointer and name),
  // kTemplate (a template error, file:line). `format`: the template's own output, or another it can make
  // (render/output_format.h: a PDF template also as OFD); one it cannot is kInvalidInput naming `format`, thrown
  // before the body is read.
  RenderedDocument Render(const std::string& template_name, const std::string& body_json,
                          OutputFormat format = OutputFormat::kTemplate) const;
  // A typed request (a PDF template's, or a roster held whole). Checks that every text can be drawn (kInvalidInput
  // naming the member otherwise); the rest was checked when the request was parsed.
  RenderedDocument Render(model::Request request,  // kept in RenderedDocument::request
                          OutputFormat format = OutputFormat::kTemplate) const;
  // What model/parse.h needs to parse a body the way Render does: today (RendererConfig::today or the office's
  // clock) and the working-day calendar.
  model::ValidationContext validation_context() const;
  // The same with the body read from a file. A roster reads it piece by piece and never holds it whole (its
  // `applicants` and `results` are validated and written one element at a time, see docs/rosters.md), so
  // 100,000 applicants fit in a few tens of MiB; other templates read the file and call Render. Also throws
  // kNotFound naming the path when the file cannot be read.
  RenderedDocument RenderFile(const std::string& template_name, const std::string& body_path,
                              OutputFormat format = OutputFormat::kTemplate) const;

  std::vector<TemplateInfo> Templates() const;  // the loaded ones
  bool HasTemplate(const std::string& name) const;
  // Throws (format.template, render/output_format.h) when the loaded template `name` cannot make `format`, before
  // any body is read: a roster is never an OFD. A name that is not loaded is left to HasTemplate's callers.
  void CheckFormatOf(const std::string& name, OutputFormat format) const;
  // With keep_broken_templates: each template that could not be loaded, by name, with its error ("file:line: …").
  std::map<std::string, std::string> BrokenTemplates() const;
  // Lines describing fonts (role -> files) and warnings, for start-up logs.
  std::vector<std::string> Describe() const;
  // The fonts, loaded now if they were not yet; share them with a later Renderer (RendererConfig::font_set).
  std::shared_ptr<const fonts::FontSet> font_set() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zhiping::render
