#include "common/clock.h"
#include "preview/preview_server.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <dirent.h>
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"
#include "model/parse.h"
#include "preview/raster.h"
#include "preview/template_tooling.h"
#include "render/renderer.h"
#include "templating/template.h"

namespace zhiping::preview {

using Poco::JSON::Array;
using Poco::JSON::Object;

bool IsLoopbackBind(const std::string& bind) { return bind == "127.0.0.1" || bind == "localhost"; }

namespace {


using Snapshot = std::map<std::string, std::pair<long long, long long>>;  // path -> (mtime ns, size)

void ScanDir(const std::string& dir, const std::string& rel, int depth, Snapshot* out) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n.empty() || n[0] == '.') continue;
    std::string path = dir + "/" + n;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (depth > 0) ScanDir(path, rel + n + "/", depth - 1, out);
      continue;
    }
    if (!S_ISREG(st.st_mode)) continue;
    (*out)[rel + n] = {static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec,
                       static_cast<long long>(st.st_size)};
  }
  ::closedir(d);
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "…/notice.tmpl:12: unknown directive '@tittle'" -> file, line, what; with the lines around it from the file.
Object::Ptr TemplateErrorJson(const std::string& message, const std::string& templates_dir) {
  Object::Ptr o = new Object;
  o->set("message", message);
  size_t pos = message.find(".tmpl:");
  if (pos == std::string::npos) return o;
  size_t start = message.rfind(' ', pos);
  start = start == std::string::npos ? 0 : start + 1;
  std::string file = message.substr(start, pos + 5 - start);
  size_t num = pos + 6, num_end = num;
  while (num_end < message.size() && std::isdigit(static_cast<unsigned char>(message[num_end]))) ++num_end;
  if (num_end == num) return o;
  int line = std::stoi(message.substr(num, num_end - num));
  std::string what = message.substr(num_end);
  if (what.rfind(": ", 0) == 0) what = what.substr(2);
  o->set("file", BaseName(file));
  o->set("path", file);
  o->set("line", line);
  o->set("what", what);
  std::ifstream in(file);
  if (!in) in.open(templates_dir + "/" + BaseName(file));
  if (!in) return o;
  Array::Ptr context = new Array;
  std::string text;
  for (int n = 1; std::getline(in, text); ++n) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (n == line) o->set("text", text);
    if (n >= line - 2 && n <= line + 2) {
      Object::Ptr l = new Object;
      l->set("line", n);
      l->set("text", text);
      if (n == line) l->set("error", true);
      context->add(l);
    }
    if (n > line + 2) break;
  }
  o->set("context", context);
  return o;
}

Array::Ptr ProblemsJson(const Problems& problems) {
  Array::Ptr a = new Array;
  for (const Problem& p : problems) {
    Object::Ptr o = new Object;
    // The page is for a clerk: the rule in Chinese (the message catalog), the place as they name it; the pointer
    // and the stable code stay for the editor's own use.
    o->set("pointer", SanitizeText(p.pointer));  // rules may quote what the editor typed
    o->set("code", ProblemCode(p));
    o->set("rule", SanitizeText(RuleText(p, Lang::kZh)));
    o->set("place", SanitizeText(PlaceText(p, Lang::kZh)));
    a->add(o);
  }
  return a;
}

}  // namespace

struct PreviewServer::Impl {
  PreviewOptions options;

  mutable std::mutex mutex;
  std::shared_ptr<const render::Renderer> renderer;
  std::string renderer_error;  // why there is no renderer (fonts, the folder)
  std::map<std::string, std::string> broken;  // templates that cannot be loaded now, by name: their errors
  std::shared_ptr<const fonts::FontSet> font_set;  // kept across rebuilds (BuildRenderer runs on one thread at a time)
  std::atomic<uint64_t> version{1};
  Snapshot templates_seen, samples_seen;

  struct Output {
    std::vector<std::string> pages;  // PNG
    std::string bytes, filename, media_type;
  };
  std::mutex out_mutex;
  std::map<uint64_t, Output> outputs;
  std::deque<uint64_t> output_order;
  uint64_t next_output = 1;

  std::mutex watch_mutex;
  std::condition_variable watch_cv;
  bool stopping = false;
  std::thread watcher;

  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
  bool started = false;

  void BuildRenderer() {
    render::RendererConfig c;
    c.templates_dir = options.templates_dir;
    c.font_role_map = options.font_role_map;
    c.font_cache_dir = options.font_cache_dir;
    c.today = options.today;
    c.keep_broken_templates = true;  // the file being edited must not hide the others
    c.font_set = font_set;            // loaded by the first renderer; a template save changes no font
    std::shared_ptr<const render::Renderer> r;
    std::string error;
    std::map<std::string, std::string> broken_now;
    try {
      r = std::make_shared<render::Renderer>(c);
      broken_now = r->BrokenTemplates();
      if (!font_set) font_set = r->font_set();
    } catch (const Error& e) {
      error = e.what();
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::lock_guard<std::mutex> lock(mutex);
    renderer = r;
    renderer_error = error;
    broken = std::move(broken_now);
  }

  std::map<std::string, std::string> Broken() const {
    std::lock_guard<std::mutex> lock(mutex);
    return broken;
  }

  std::pair<std::shared_ptr<const render::Renderer>, std::string> Current() const {
    std::lock_guard<std::mutex> lock(mutex);
    return {renderer, renderer_error};
  }

  Snapshot ScanTemplates() const {
    Snapshot s;
    ScanDir(options.templates_dir, "", 0, &s);
    return s;
  }
  Snapshot ScanSamples() const {
    Snapshot s;
    ScanDir(options.samples_dir, "", 3, &s);
    return s;
  }

  void Watch() {
    std::unique_lock<std::mutex> lock(watch_mutex);
    while (!stopping) {
      watch_cv.wait_for(lock, std::chrono::milliseconds(options.poll_ms));
      if (stopping) break;
      lock.unlock();
      Snapshot t = ScanTemplates(), s = ScanSamples();
      bool templates_changed = t != templates_seen, samples_changed = s != samples_seen;
      if (templates_changed) {
        templates_seen = t;
        BuildRenderer();
      }
      if (samples_changed) samples_seen = s;
      if (templates_changed || samples_changed) ++version;
      lock.lock();
    }
  }

  std::vector<std::string> SampleSources() const {
    std::vector<std::string> out;
    for (const auto& [rel, st] : ScanSamples())
      if (EndsWith(rel, ".json")) out.push_back("samples/" + rel);
    return out;
  }

  // Templates from the folder itself, so the list stays when one file is broken.
  Array::Ptr TemplateList() const {
    auto [r, error] = Current();
    std::map<std::string, render::TemplateInfo> known;
    if (r)
      for (const auto& t : r->Templates()) known[t.name] = t;
    const std::map<std::string, std::string> broken_now = Broken();
    Array::Ptr a = new Array;
    for (const auto& [rel, st] : ScanTemplates()) {
      if (!EndsWith(rel, ".tmpl")) continue;
      std::string name = rel.substr(0, rel.size() - 5);
      Object::Ptr o = new Object;
      o->set("name", name);
      if (broken_now.count(name)) o->set("broken", true);
      auto it = known.find(name);
      if (it != known.end()) {
        o->set("title", it->second.title);
        o->set("output", it->second.output);
      } else {
        std::string text;
        try {
          text = ReadFile(options.templates_dir + "/" + rel);
        } catch (const Error&) {
        }
        o->set("output", templating::TemplateOutputKind(text));
        std::istringstream in(text);
        std::string line;
        std::string title = name;
        while (std::getline(in, line))
          if (line.rfind("@describe ", 0) == 0) title = line.substr(10);
        o->set("title", title);
      }
      a->add(o);
    }
    return a;
  }

  Object::Ptr State() const {
    Object::Ptr o = new Object;
    o->set("version", static_cast<Poco::UInt64>(version.load()));
    o->set("templates", TemplateList());
    Array::Ptr samples = new Array;
    for (const std::string& s : SampleSources()) samples->add(s);
    o->set("samples", samples);
    auto [r, error] = Current();
    if (!r) {
      o->set("template_error", TemplateErrorJson(error, options.templates_dir));
    } else {
      // The first broken template, for the banner shown before one is chosen; the others render as usual.
      const auto broken_now = Broken();
      if (!broken_now.empty())
        o->set("template_error", TemplateErrorJson(broken_now.begin()->second, options.templates_dir));
    }
    return o;
  }

  // The text of a source: a sample file (only those listed) or the generated sample of a template.
  std::string SourceText(const std::string& template_name, const std::string& source) const {
    if (source == "generated") {
      std::string file = options.templates_dir + "/" + template_name + ".tmpl";
      TemplateFields fields = ReadTemplateFields(template_name, file);
      return JsonText(GenerateSample(fields.name), 2);
    }
    for (const std::string& s : SampleSources())
      if (s == source) return ReadFile(options.samples_dir + "/" + s.substr(8));
    throw Error(ErrorKind::kNotFound, "没有这个示例数据文件：" + source);
  }

  uint64_t Store(Output out) {
    std::lock_guard<std::mutex> lock(out_mutex);
    uint64_t id = next_output++;
    outputs[id] = std::move(out);
    output_order.push_back(id);
    while (output_order.size() > 24) {
      outputs.erase(output_order.front());
      output_order.pop_front();
    }
    return id;
  }

  bool Fetch(uint64_t id, const std::function<void(const Output&)>& use) {
    std::lock_guard<std::mutex> lock(out_mutex);
    auto it = outputs.find(id);
    if (it == outputs.end()) return false;
    use(it->second);
    return true;
  }

  Object::Ptr Render(const std::string& name, const std::string& source, const std::string& body_json);
};

Object::Ptr PreviewServer::Impl::Render(const std::string& name, const std::string& source,
                                        const std::string& body_json) {
  Object::Ptr res = new Object;
  const uint64_t v = version.load();
  res->set("version", static_cast<Poco::UInt64>(v));
  res->set("template", name);
  res->set("source", source.empty() ? "editor" : source);
  auto fail = [&](const std::string& status, const std::string& message) {
    res->set("status", status);
    res->set("message", message);
    return res;
  };

  auto [renderer, renderer_error] = Current();
  if (!renderer) {
    res->set("template_error", TemplateErrorJson(renderer_error, options.templates_dir));
    return fail("template-error", renderer_error);
  }
  {
    const auto broken_now = Broken();
    auto b = broken_now.find(name);
    if (b != broken_now.end()) {
      res->set("template_error", TemplateErrorJson(b->second, options.templates_dir));
      return fail("template-error", b->second);
    }
  }
  if (!renderer->HasTemplate(name)) return fail("not-found", "没有名为 " + name + " 的模板");
  std::string file;
  std::string output;
  for (const auto& t : renderer->Templates())
    if (t.name == name) file = t.path, output = t.output;
  res->set("output", output);

  TemplateFields fields;
  try {
    fields = ReadTemplateFields(name, file);
  } catch (const Error& e) {
    res->set("template_error", TemplateErrorJson(e.what(), options.templates_dir));
    return fail("template-error", e.what());
  }

  std::string text;
  try {
    text = source.empty() ? body_json : SourceText(name, source);
  } catch (const Error& e) {
    return fail("error", e.what());
  }

  // The model parses the data (malformed JSON is one problem at ""); a name it does not know is left to the
  // renderer, which says so.
  model::ValidationContext ctx = renderer->validation_context();
  std::optional<model::Request> request;
  Problems problems;
  try {
    model::Parsed<model::Request> parsed = model::ParseRequest(name, ParseJson(text), ctx);
    if (parsed.ok()) request = parsed.TakeValue();
    else problems = parsed.TakeProblems();
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kInvalidInput) {
      res->set("problems", ProblemsJson(e.problems()));
      return fail("invalid-json", e.what());
    }
    if (e.kind() != ErrorKind::kNotFound) return fail("error", e.what());
  }
  if (problems.size() == 1 && problems[0].pointer.empty()) {
    res->set("problems", ProblemsJson(problems));
    return fail("invalid-data", "数据必须是一个 JSON 对象（{…}）");
  }

  std::vector<MissingField> missing;
  if (request) missing = MarkMissingFields(fields, &*request);
  Array::Ptr missing_json = new Array;
  for (const MissingField& m : missing) {
    Object::Ptr o = new Object;
    o->set("field", m.field);
    Array::Ptr ptrs = new Array;
    for (const std::string& p : m.pointers) ptrs->add(p);
    o->set("pointers", ptrs);
    o->set("marked", m.marked);
    missing_json->add(o);
  }
  res->set("missing", missing_json);
  if (!problems.empty()) {
    res->set("problems", ProblemsJson(problems));
    return fail("invalid-data", "数据有 " + std::to_string(problems.size()) + " 处问题");
  }

  render::RenderedDocument doc;
  try {
    doc = request ? renderer->Render(std::move(*request)) : renderer->Render(name, text);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kInvalidInput) {
      res->set("problems", ProblemsJson(e.problems()));
      return fail("invalid-data", e.what());
    }
    if (e.kind() == ErrorKind::kTemplate) {
      res->set("template_error", TemplateErrorJson(e.what(), options.templates_dir));
      return fail("template-error", e.what());
    }
    return fail("error", e.what());
  } catch (const std::exception& e) {
    return fail("error", e.what());
  }

  Output out;
  out.bytes = doc.bytes;
  out.media_type = doc.media_type;
  out.filename = name + "." + doc.extension;
  Array::Ptr pages = new Array;
  try {
    if (doc.extension == "pdf") {
      RasterPages r = RasterizePdf(doc.bytes, options.dpi);
      out.pages = std::move(r.png);
      res->set("page_count", r.total_pages);
      Array::Ptr sizes = new Array;
      for (size_t i = 0; i < r.width.size(); ++i) {
        Object::Ptr s = new Object;
        s->set("width", r.width[i]);
        s->set("height", r.height[i]);
        sizes->add(s);
      }
      res->set("page_sizes", sizes);
    } else {
      SheetTable t = ReadXlsxTable(doc.bytes, 50);
      Object::Ptr table = new Object;
      Array::Ptr rows = new Array;
      for (const auto& row : t.rows) {
        Array::Ptr r = new Array;
        for (const auto& c : row) r->add(c);
        rows->add(r);
      }
      table->set("rows", rows);
      table->set("total_rows", t.total_rows);
      table->set("sheet", t.sheet_name);
      res->set("table", table);
    }
  } catch (const Error& e) {
    return fail("error", e.what());
  }
  const size_t npages = out.pages.size();
  const std::string filename = out.filename;
  uint64_t id = Store(std::move(out));
  for (size_t i = 0; i < npages; ++i)
    pages->add("/out/" + std::to_string(id) + "/page-" + std::to_string(i + 1) + ".png");
  res->set("pages", pages);
  res->set("download", "/out/" + std::to_string(id) + "/" + filename);
  res->set("filename", filename);
  res->set("id", static_cast<Poco::UInt64>(id));
  res->set("status", "ok");
  return res;
}

// -----------------------------------------------------------------------------------------------------------------
// HTTP

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(PreviewServer::Impl* impl) : impl_(impl) {}

  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
    try {
      Dispatch(req, resp);
    } catch (const std::exception& e) {
      if (!resp.sent()) Send(resp, 500, "text/plain; charset=utf-8", std::string("预览服务内部出错：") + e.what());
    }
  }

 private:
  static void Send(Poco::Net::HTTPServerResponse& resp, int status, const std::string& type, const std::string& body) {
    resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    resp.setContentType(type);
    resp.set("Cache-Control", "no-store");
    resp.set("X-Content-Type-Options", "nosniff");
    resp.setContentLength(static_cast<std::streamsize>(body.size()));
    resp.send().write(body.data(), static_cast<std::streamsize>(body.size()));
  }
  // `answer`: a Poco::JSON object or array.
  template <typename Answer>
  static void SendJson(Poco::Net::HTTPServerResponse& resp, const Answer& answer, int status = 200) {
    Send(resp, status, "application/json; charset=utf-8", JsonText(answer));
  }

  void Dispatch(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) {
    Poco::URI uri(req.getURI());
    const std::string path = uri.getPath();
    std::map<std::string, std::string> q;
    for (const auto& [k, v] : uri.getQueryParameters()) q[k] = v;
    // Only pages served from this address may talk to us: a web site that points its own name at 127.0.0.1 (DNS
    // rebinding) must not read the personal data in the samples.
    const std::string port = std::to_string(impl_->port);
    const std::string host = req.getHost();
    if (host != "127.0.0.1:" + port && host != "localhost:" + port) {
      return Send(resp, 403, "text/plain; charset=utf-8", "预览只在 http://127.0.0.1:" + port + "/ 上打开");
    }
    const bool get = req.getMethod() == "GET" || req.getMethod() == "HEAD";
    const bool post = req.getMethod() == "POST";

    if (get && (path == "/" || path == "/index.html")) {
      return Send(resp, 200, "text/html; charset=utf-8", PreviewPageHtml());
    }
    if (get && path == "/api/version") {
      Object::Ptr o = new Object;
      o->set("version", static_cast<Poco::UInt64>(impl_->version.load()));
      return SendJson(resp, o);
    }
    if (get && path == "/api/state") return SendJson(resp, impl_->State());
    if (path == "/api/render" && (get || post)) {
      std::string body;
      if (post) {
        std::istream& in = req.stream();
        Poco::StreamCopier::copyToString(in, body, 8192);
        if (body.size() > 64 * 1024 * 1024) return Send(resp, 413, "text/plain; charset=utf-8", "数据太大（预览最多接受 64 MiB）");
      }
      return SendJson(resp, impl_->Render(q["template"], post ? "" : q["source"], body));
    }
    if (get && path == "/api/source") {
      try {
        return Send(resp, 200, "application/json; charset=utf-8", impl_->SourceText(q["template"], q["source"]));
      } catch (const Error& e) {
        return Send(resp, e.kind() == ErrorKind::kNotFound ? 404 : 500, "text/plain; charset=utf-8", e.what());
      }
    }
    if (get && path == "/api/describe") {
      auto [r, error] = impl_->Current();
      if (!r) return Send(resp, 500, "text/plain; charset=utf-8", error);
      try {
        return SendJson(resp, DescribeTemplate(*r, q["template"]));
      } catch (const Error& e) {
        return Send(resp, e.kind() == ErrorKind::kNotFound ? 404 : 500, "text/plain; charset=utf-8", e.what());
      }
    }
    if (get && path.rfind("/out/", 0) == 0) {
      // /out/ID/page-N.png or /out/ID/FILENAME
      std::string rest = path.substr(5);
      size_t slash = rest.find('/');
      if (slash != std::string::npos) {
        uint64_t id = std::strtoull(rest.substr(0, slash).c_str(), nullptr, 10);
        std::string file = rest.substr(slash + 1);
        bool found = false;
        impl_->Fetch(id, [&](const PreviewServer::Impl::Output& o) {
          if (file.rfind("page-", 0) == 0 && EndsWith(file, ".png")) {
            size_t n = std::strtoul(file.c_str() + 5, nullptr, 10);
            if (n >= 1 && n <= o.pages.size()) {
              found = true;
              resp.set("Content-Disposition", "inline");
              Send(resp, 200, "image/png", o.pages[n - 1]);
            }
          } else if (file == o.filename) {
            found = true;
            resp.set("Content-Disposition", "attachment; filename=\"" + o.filename + "\"");
            Send(resp, 200, o.media_type, o.bytes);
          }
        });
        if (found) return;
      }
      return Send(resp, 404, "text/plain; charset=utf-8", "这个预览已过期，请刷新页面。");
    }
    if (path == "/favicon.ico") return Send(resp, 204, "image/x-icon", "");
    return Send(resp, 404, "text/plain; charset=utf-8", "没有这个页面");
  }

  PreviewServer::Impl* impl_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(PreviewServer::Impl* impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(impl_);
  }

 private:
  PreviewServer::Impl* impl_;
};

}  // namespace

PreviewServer::PreviewServer(const PreviewOptions& options) : impl_(std::make_unique<Impl>()) {
  if (!IsLoopbackBind(options.bind)) {
    throw Error(ErrorKind::kInvalidInput,
                "the preview listens on 127.0.0.1 only (it shows personal data and is not protected by tokens); "
                "got --bind " +
                    options.bind,
                {{"--bind", "must be 127.0.0.1"}});
  }
  impl_->options = options;
  impl_->options.bind = "127.0.0.1";
}

PreviewServer::~PreviewServer() { Stop(); }

void PreviewServer::Start() {
  if (impl_->started) return;
  impl_->templates_seen = impl_->ScanTemplates();
  impl_->samples_seen = impl_->ScanSamples();
  impl_->BuildRenderer();
  Poco::Net::ServerSocket socket;
  try {
    // Reuse the address but not the port: Poco's bind(addr, true) also sets SO_REUSEPORT, with which a second
    // preview on the same port would start and take half of the requests.
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(impl_->options.port)), true, false);
    socket.listen(64);
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kUnavailable, "cannot listen on 127.0.0.1:" + std::to_string(impl_->options.port) +
                                             ": " + e.displayText() + " (is another server using this port?)");
  }
  impl_->port = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  params->setMaxQueued(64);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(5, 0));
  params->setTimeout(Poco::Timespan(30, 0));
  impl_->pool = std::make_unique<Poco::ThreadPool>(2, 8);
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(impl_.get()), *impl_->pool, socket, params);
  impl_->server->start();
  impl_->stopping = false;
  impl_->watcher = std::thread([this] { impl_->Watch(); });
  impl_->started = true;
}

void PreviewServer::Stop() {
  if (!impl_ || !impl_->started) return;
  {
    std::lock_guard<std::mutex> lock(impl_->watch_mutex);
    impl_->stopping = true;
  }
  impl_->watch_cv.notify_all();
  if (impl_->watcher.joinable()) impl_->watcher.join();
  impl_->server->stopAll(true);
  impl_->pool->joinAll();
  impl_->server.reset();
  impl_->started = false;
}

int PreviewServer::port() const { return impl_->port; }

std::string PreviewServer::url() const { return "http://127.0.0.1:" + std::to_string(impl_->port) + "/"; }

uint64_t PreviewServer::version() const { return impl_->version.load(); }

}  // namespace zhiping::preview
