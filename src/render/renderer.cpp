#include "render/renderer.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <dirent.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "common/clock.h"
#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"
#include "fonts/font_set.h"
#include "layout/document_layout.h"
#include "model/parse.h"
#include "model/validate.h"
#include "model/request_json.h"
#include "render/glyph_coverage.h"
#include "ofd/ofd_writer.h"
#include "pdf/pdf_writer.h"
#include "templating/template.h"
#include "xlsx/roster.h"
#include "model/lazy_body.h"
#include "xlsx/roster_source.h"
#include "xlsx/roster_template.h"

namespace zhiping::render {

namespace {

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string DefaultCacheDir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME")) return std::string(x) + "/zhiping/fonts";
  if (const char* h = std::getenv("HOME")) return std::string(h) + "/.cache/zhiping/fonts";
  return "/tmp/zhiping-font-cache";
}

std::string Sha256Hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) out += hex[md[i] >> 4], out += hex[md[i] & 15];
  return out;
}

}  // namespace

struct Renderer::Impl {
  RendererConfig config;
  struct Entry {
    TemplateInfo info;
    std::shared_ptr<const templating::PdfTemplate> pdf;
    std::shared_ptr<const xlsx::RosterTemplate> roster;
    std::string template_digest;
  };
  std::map<std::string, Entry> templates;
  std::map<std::string, std::string> broken;  // keep_broken_templates: name -> why it could not be loaded
  std::shared_ptr<const model::WorkCalendar> calendar;  // working days for validation

  // Throws zhiping::Error kTemplate (file:line) when the template cannot be used.
  static Entry LoadEntry(const std::string& name, const std::string& path) {
    Entry entry;
    entry.info.name = name;
    entry.info.path = path;
    const std::string text = ReadFile(path);
    const std::string kind = templating::TemplateOutputKind(text);
    entry.template_digest = Sha256Hex(text);
    if (kind == "pdf") {
      entry.pdf = templating::PdfTemplate::Load(path);
      entry.info.output = "pdf";
      entry.info.title = entry.pdf->description();
    } else if (kind == "xlsx") {
      entry.roster = xlsx::LoadRosterTemplate(path);
      entry.info.output = "xlsx";
      // The roster's @describe, like a PDF template's; the file name only when a template has none.
      entry.info.title = entry.roster->description.empty() ? entry.info.name : entry.roster->description;
    } else {
      throw Error(ErrorKind::kTemplate, path + ":1: the first directive must be '@template pdf' or '@template xlsx'");
    }
    return entry;
  }

  const Entry& Find(const std::string& name) const {
    auto it = templates.find(name);
    if (it == templates.end()) {
      auto b = broken.find(name);
      if (b != broken.end()) throw Error(ErrorKind::kTemplate, b->second);
      throw Error(ErrorKind::kNotFound, "unknown template '" + name + "'");
    }
    return it->second;
  }

  // Loaded by the constructor, or on first use with fonts_on_demand (a failure is retried by the next caller).
  const fonts::FontSet& Fonts() const {
    std::lock_guard<std::mutex> lock(fonts_mu);
    if (!fonts && config.font_set) fonts = config.font_set;
    if (!fonts) {
      fonts::FontSetOptions fo;
      fo.role_map_path = config.font_role_map;
      fo.search_dirs = config.font_search_dirs.empty() ? fonts::DefaultFontSearchDirs(DirOf(config.font_role_map))
                                                       : config.font_search_dirs;
      fo.cache_dir = config.font_cache_dir.empty() ? DefaultCacheDir() : config.font_cache_dir;
      fonts = std::make_shared<const fonts::FontSet>(fo);
    }
    return *fonts;
  }

  std::string Today() const { return OfficeToday(config.today); }

  // The lists of a roster body kept as text and parsed one element at a time (a roster template's rows and joins
  // can name only these).
  static std::vector<std::string> LazyLists() { return {model::kApplicantsList, model::kResultsList}; }

  static RenderedDocument Workbook(const Entry& entry, std::string bytes, const std::string& kind,
                                   const model::Batch& batch) {
    RenderedDocument out;
    out.bytes = std::move(bytes);
    out.media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    out.extension = "xlsx";
    out.template_digest = entry.template_digest;
    model::RosterRequest made;  // rosters keep only their batch: the rows are in the workbook
    made.kind = kind;
    made.batch = batch;
    out.request = std::make_shared<const model::Request>(std::move(made));
    return out;
  }

  RenderedDocument RenderRoster(const Entry& entry, const std::string& kind, const model::LazyBody& body) const;

  // The laid-out pages as PDF (kTemplate, kPdf) or OFD (kOfd), from the same LaidOutDocument.
  RenderedDocument RenderPdf(const Entry& entry, model::Request request, OutputFormat format) const {
    const fonts::FontSet& fonts = Fonts();
    Problems problems;
    CheckGlyphCoverage(request, fonts, &problems);
    if (!problems.empty()) ThrowProblems(entry.info.name + " data", std::move(problems));
    RenderedDocument out;
    layout::DocumentSpec spec = entry.pdf->Bind(request);
    auto doc = std::make_shared<const layout::LaidOutDocument>(layout::LayOutDocument(spec, fonts));
    if (format == OutputFormat::kOfd) {
      // Deflate level 1, as the PDF's streams: most of an OFD is its XML, which level 1 still shrinks ~5x.
      out.bytes = ofd::WriteZip(ofd::WriteOfd(*doc).package, 1);
      out.media_type = ofd::kOfdMediaType;
      out.extension = "ofd";
    } else {
      out.bytes = pdf::WritePdf(*doc);
      out.media_type = "application/pdf";
      out.extension = "pdf";
    }
    out.pages = static_cast<int>(doc->pages.size());
    out.seal_page = doc->seal.page;
    out.seal_x = doc->seal.x;
    out.seal_y = doc->seal.y;
    out.seal_w = doc->seal.w;
    out.seal_h = doc->seal.h;
    out.title = doc->title;
    out.layout = std::move(doc);
    out.template_digest = entry.template_digest;
    out.request = std::make_shared<const model::Request>(std::move(request));
    return out;
  }

  mutable std::mutex fonts_mu;
  mutable std::shared_ptr<const fonts::FontSet> fonts;
};

// A roster body, validated and written at the same time on two threads. The validator parses each applicant once,
// checks it, and hands it to the writer through a bounded queue (so nothing grows with the rows); the writer
// streams rows into a private temporary directory. The first problem stops the writer (nothing is renamed into
// place, nothing is left behind); the validator goes on to the end so that every problem is reported, as always.
//
// The results (roster-results; checked in any order: RosterValidation allows it) are parsed once each. The
// validator finds the result each applicant joins (xlsx::FeedRow), checks it, and hands it over typed with the
// applicant, so the writer parses nothing. The results no row joins are checked after the last applicant, and this
// thread joins in once the workbook is written, so the two cores share that tail. Each result is claimed once
// (`taken`): a result two applicants join is checked once and typed again for the second.
RenderedDocument Renderer::Impl::RenderRoster(const Entry& entry, const std::string& kind,
                                              const model::LazyBody& body) const {
  const model::ValidationContext vctx(Today(), calendar);
  if (!model::RosterValidation::IsRosterKind(kind)) throw Error(ErrorKind::kNotFound, "unknown template '" + kind + "'");
  model::RosterValidation validation(kind, vctx);
  const xlsx::RosterTemplate& tmpl = *entry.roster;
  const model::LazyBody::List* applicants = body.Find(model::kApplicantsList);
  const model::LazyBody::List* results = body.Find(model::kResultsList);
  // The envelope first, here: its batch is the writer's (title, properties), and a bad one stops everything.
  validation.Envelope(body);
  const bool write = validation.problem_count() == 0;
  const bool hand_over = write && applicants && tmpl.rows == model::kApplicantsList;
  xlsx::RowQueue<xlsx::FedRow> queue;

  // RosterValidation::Result runs under `results_mu`. The validator's other calls need no lock: only it calls
  // them, and the helper starts after `applicants_done`. The tail walks the results from `next_result`.
  const size_t result_count = results ? results->elements.size() : 0;
  std::unique_ptr<std::atomic<bool>[]> taken(new std::atomic<bool>[result_count]());
  std::atomic<size_t> next_result{0};
  std::atomic<bool> applicants_done{false}, validator_exited{false};
  std::mutex results_mu;
  auto check_one_result = [&](model::LazyBody::Reader& reader) {
    for (;;) {
      const size_t i = next_result.fetch_add(1);
      if (i >= result_count) return false;
      if (taken[i].exchange(true)) continue;  // checked with the row that joins it
      std::lock_guard<std::mutex> lock(results_mu);
      validation.Result(reader, i);
      return true;
    }
  };

  std::exception_ptr validation_error, helper_error;
  auto validate = [&] {
    try {
      model::LazyBody::Reader reader(body);
      xlsx::JoinIndex join_index(kind, body, vctx);
      // A joined result: checked here when nobody has yet, else only typed again.
      auto type_result = [&](size_t i) -> std::optional<model::Result> {
        if (taken[i].exchange(true)) return model::TypedRosterResult(reader, *results, i, vctx);
        std::lock_guard<std::mutex> lock(results_mu);
        return validation.Result(reader, i);
      };
      bool forward = hand_over;
      for (size_t i = 0; applicants && i < applicants->elements.size(); ++i) {
        std::optional<model::Applicant> applicant = validation.Applicant(reader, i);
        if (!forward) continue;
        if (!applicant || validation.problem_count() > 0) {
          forward = false;
          queue.Cancel();  // the roster will not be written: stop the writer, keep validating
          continue;
        }
        xlsx::FedRow row = xlsx::FeedRow(tmpl, std::move(*applicant), join_index, reader, type_result);
        if (validation.problem_count() > 0) {  // a joined result has a problem
          forward = false;
          queue.Cancel();
          continue;
        }
        if (!queue.Push(std::move(row))) forward = false;  // the writer stopped
      }
      applicants_done = true;
      if (forward) queue.Close();
      while (check_one_result(reader)) {
      }
    } catch (...) {
      validation_error = std::current_exception();
      queue.Cancel();
    }
    validator_exited = true;
  };

  std::string bytes;
  std::exception_ptr write_error;
  if (!write) {
    validate();  // nothing will be written: every problem is still reported
  } else {
    std::thread validator(validate);
    try {
      xlsx::LazyRosterSource source(tmpl, kind, body, validation.batch(), vctx, hand_over ? &queue : nullptr);
      bytes = xlsx::RenderRoster(tmpl, source);
    } catch (...) {
      write_error = std::current_exception();
      queue.Cancel();
    }
    // Help with the results left. The validator is past its applicants within moments of the last row written (or
    // is still checking them after a cancelled write: then there is nothing to gain, and this waits as join would).
    while (!applicants_done && !validator_exited) std::this_thread::sleep_for(std::chrono::microseconds(200));
    if (applicants_done && !validator_exited) {
      try {
        model::LazyBody::Reader reader(body);
        while (!validator_exited && check_one_result(reader)) {
        }
      } catch (...) {
        helper_error = std::current_exception();
      }
    }
    validator.join();
  }
  if (!validation_error) validation_error = helper_error;
  Problems problems;
  if (!validation_error) problems = validation.Finish();
  if (validation_error) std::rethrow_exception(validation_error);  // malformed JSON in an element, …
  if (!problems.empty()) ThrowProblems(kind + " data", std::move(problems));
  if (write_error) std::rethrow_exception(write_error);
  return Workbook(entry, std::move(bytes), kind, validation.batch());
}

Renderer::Renderer(const RendererConfig& config) : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  impl_->calendar = config.calendar_file.empty() ? model::WorkCalendar::BuiltIn()
                                                 : model::WorkCalendar::WithFile(config.calendar_file);
  if (!config.fonts_on_demand) impl_->Fonts();

  DIR* dir = ::opendir(config.templates_dir.c_str());
  if (!dir) throw Error(ErrorKind::kTemplate, "cannot open the templates folder " + config.templates_dir);
  std::vector<std::string> files;
  while (dirent* e = ::readdir(dir)) {
    std::string n = e->d_name;
    if (n.size() > 5 && n.substr(n.size() - 5) == ".tmpl") files.push_back(n);
  }
  ::closedir(dir);
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) {
    const std::string path = config.templates_dir + "/" + f;
    const std::string name = f.substr(0, f.size() - 5);
    try {
      impl_->templates[name] = Impl::LoadEntry(name, path);
    } catch (const Error& e) {
      if (!config.keep_broken_templates) throw;
      impl_->broken[name] = e.what();
    }
  }
}

Renderer::~Renderer() = default;

RenderedDocument Renderer::Render(const std::string& template_name, const std::string& body_json,
                                  OutputFormat format) const {
  const Impl::Entry& entry = impl_->Find(template_name);
  CheckOutputFormat(format, template_name, entry.info.output);
  if (entry.roster) {
    // Kept as text, the lists parsed one element at a time: a roster's memory does not grow with its rows.
    return impl_->RenderRoster(entry, template_name, model::LazyBody::FromView(body_json, Impl::LazyLists()));
  }
  model::Request request =
      model::ParseRequest(template_name, ParseJson(body_json), validation_context()).ValueOrThrow(template_name + " data");
  return impl_->RenderPdf(entry, std::move(request), format);
}

RenderedDocument Renderer::Render(model::Request request, OutputFormat format) const {
  const std::string template_name = model::TemplateOf(request);
  const Impl::Entry& entry = impl_->Find(template_name);
  CheckOutputFormat(format, template_name, entry.info.output);
  if (entry.roster) {
    const auto& roster = std::get<model::RosterRequest>(request);
    return Impl::Workbook(entry, xlsx::RenderRoster(*entry.roster, roster), template_name, roster.batch);
  }
  return impl_->RenderPdf(entry, std::move(request), format);
}

model::ValidationContext Renderer::validation_context() const {
  return model::ValidationContext(impl_->Today(), impl_->calendar);
}

RenderedDocument Renderer::RenderFile(const std::string& template_name, const std::string& body_path,
                                      OutputFormat format) const {
  const Impl::Entry& entry = impl_->Find(template_name);
  CheckOutputFormat(format, template_name, entry.info.output);
  if (entry.roster) {
    return impl_->RenderRoster(entry, template_name, model::LazyBody::FromFile(body_path, Impl::LazyLists()));
  }
  return Render(template_name, ReadFile(body_path), format);
}

std::vector<TemplateInfo> Renderer::Templates() const {
  std::vector<TemplateInfo> out;
  for (const auto& [name, e] : impl_->templates) out.push_back(e.info);
  return out;
}

bool Renderer::HasTemplate(const std::string& name) const { return impl_->templates.count(name) != 0; }

void Renderer::CheckFormatOf(const std::string& name, OutputFormat format) const {
  auto it = impl_->templates.find(name);
  if (it != impl_->templates.end()) CheckOutputFormat(format, name, it->second.info.output);
}

std::map<std::string, std::string> Renderer::BrokenTemplates() const { return impl_->broken; }

std::shared_ptr<const fonts::FontSet> Renderer::font_set() const {
  impl_->Fonts();
  std::lock_guard<std::mutex> lock(impl_->fonts_mu);
  return impl_->fonts;
}

std::vector<std::string> Renderer::Describe() const {
  const fonts::FontSet& fonts = impl_->Fonts();
  std::vector<std::string> out = fonts.Describe();
  for (const auto& w : fonts.warnings()) out.push_back("warning: " + w);
  return out;
}

}  // namespace zhiping::render
