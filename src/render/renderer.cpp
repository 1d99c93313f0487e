#include "render/renderer.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <dirent.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <map>

#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"
#include "fonts/font_set.h"
#include "layout/document_layout.h"
#include "model/validate.h"
#include "pdf/pdf_writer.h"
#include "templating/template.h"
#include "xlsx/roster.h"

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

std::string LocalToday() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Every string of the body must be drawable: a character that no configured font has is the user's problem,
// named with the field it came from — never a box or a gap on the page.
void CheckGlyphCoverage(const Poco::Dynamic::Var& v, const std::string& pointer, const fonts::FontSet& fonts,
                        Problems* problems) {
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
    for (const auto& [k, child] : *v.extract<Poco::JSON::Object::Ptr>()) {
      if (k == "photo") continue;  // base64, never drawn as text
      CheckGlyphCoverage(child, pointer + "/" + PointerToken(k), fonts, problems);
    }
  } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    auto arr = v.extract<Poco::JSON::Array::Ptr>();
    for (unsigned i = 0; i < arr->size(); ++i)
      CheckGlyphCoverage(arr->get(i), pointer + "/" + std::to_string(i), fonts, problems);
  } else if (v.isString()) {
    std::u32string u;
    if (!DecodeUtf8(v.extract<std::string>(), &u)) {
      problems->push_back({pointer, "is not valid UTF-8"});
      return;
    }
    for (char32_t cp : u) {
      if (cp < 0x20) continue;
      bool found = false;
      for (int r = 0; r < fonts::kRoleCount && !found; ++r) found = fonts.Resolve(static_cast<fonts::Role>(r), cp);
      if (!found) {
        problems->push_back({pointer, "character " + DescribeCodePoint(cp) +
                                          " is not in any configured font (add a font that has it to the role map)"});
        return;
      }
    }
  }
}

}  // namespace

struct Renderer::Impl {
  RendererConfig config;
  std::unique_ptr<fonts::FontSet> fonts;
  struct Entry {
    TemplateInfo info;
    std::shared_ptr<const templating::PdfTemplate> pdf;
    std::shared_ptr<const xlsx::RosterTemplate> roster;
    std::string template_digest;
  };
  std::map<std::string, Entry> templates;
};

Renderer::Renderer(const RendererConfig& config) : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  fonts::FontSetOptions fo;
  fo.role_map_path = config.font_role_map;
  fo.search_dirs = config.font_search_dirs.empty() ? fonts::DefaultFontSearchDirs(DirOf(config.font_role_map))
                                                   : config.font_search_dirs;
  fo.cache_dir = config.font_cache_dir.empty() ? DefaultCacheDir() : config.font_cache_dir;
  impl_->fonts = std::make_unique<fonts::FontSet>(fo);

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
    Impl::Entry entry;
    entry.info.name = f.substr(0, f.size() - 5);
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
      entry.info.title = entry.info.name;
    } else {
      throw Error(ErrorKind::kTemplate, path + ":1: the first directive must be '@template pdf' or '@template xlsx'");
    }
    impl_->templates[entry.info.name] = std::move(entry);
  }
}

Renderer::~Renderer() = default;

RenderedDocument Renderer::Render(const std::string& template_name, const std::string& body_json) const {
  auto it = impl_->templates.find(template_name);
  if (it == impl_->templates.end()) throw Error(ErrorKind::kNotFound, "unknown template '" + template_name + "'");
  const Impl::Entry& entry = it->second;
  Poco::Dynamic::Var body = ParseJson(body_json);
  model::ValidationContext vctx;
  vctx.today = impl_->config.today.empty() ? LocalToday() : impl_->config.today;
  Problems problems = model::ValidateRequest(template_name, body, vctx);
  if (entry.pdf) CheckGlyphCoverage(body, "", *impl_->fonts, &problems);
  if (!problems.empty()) {
    std::string msg = std::to_string(problems.size()) + " problem(s) in the " + template_name + " data";
    throw Error(ErrorKind::kInvalidInput, msg, problems);
  }
  RenderedDocument out;
  if (entry.roster) {
    out.bytes = xlsx::RenderRoster(*entry.roster, body);
    out.media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    out.extension = "xlsx";
    out.template_digest = entry.template_digest;
    return out;
  }
  layout::DocumentSpec spec = entry.pdf->Bind(body);
  layout::LaidOutDocument doc = layout::LayOutDocument(spec, *impl_->fonts);
  out.bytes = pdf::WritePdf(doc);
  out.media_type = "application/pdf";
  out.extension = "pdf";
  out.pages = static_cast<int>(doc.pages.size());
  out.seal_page = doc.seal.page;
  out.seal_x = doc.seal.x;
  out.seal_y = doc.seal.y;
  out.seal_w = doc.seal.w;
  out.seal_h = doc.seal.h;
  out.template_digest = entry.template_digest;
  return out;
}

std::vector<TemplateInfo> Renderer::Templates() const {
  std::vector<TemplateInfo> out;
  for (const auto& [name, e] : impl_->templates) out.push_back(e.info);
  return out;
}

bool Renderer::HasTemplate(const std::string& name) const { return impl_->templates.count(name) != 0; }

std::vector<std::string> Renderer::Describe() const {
  std::vector<std::string> out = impl_->fonts->Describe();
  for (const auto& w : impl_->fonts->warnings()) out.push_back("warning: " + w);
  return out;
}

}  // namespace zhiping::render
