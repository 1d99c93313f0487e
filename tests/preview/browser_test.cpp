// The preview page end to end in a real headless browser: Debian's chromium, driven over the Chrome
// DevTools protocol with Poco's WebSocket client. Open the page, choose `notice`, see page images; change the copied
// notice.tmpl on disk and see the page follow; break a line and see its number on the page.
//
// Needs the Debian package `chromium` (/usr/bin/chromium). Without it this test FAILS, on purpose.
#include <Poco/Base64Decoder.h>
#include <Poco/Buffer.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/WebSocket.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include "preview/preview_server.h"
#include "preview_test_util.h"
#include "support/resource_bounds.h"

namespace zhiping::previewtest {
namespace {

using Poco::JSON::Object;
using Clock = std::chrono::steady_clock;

const char* kChromium = "/usr/bin/chromium";

class Browser {
 public:
  explicit Browser(const std::string& dir) : profile_(dir + "/chromium-profile"), log_(dir + "/chromium.log") {
    std::system(("mkdir -p '" + profile_ + "'").c_str());
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setsid();
      int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      // Nothing else of the test's goes to chromium: a preview server's listening socket held open by the
      // browser would keep the port accepting (and requests hanging) after the server stops.
      for (int other = 3; other < 4096; ++other) ::close(other);
      std::string user_data = "--user-data-dir=" + profile_;
      ::execl(kChromium, kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--remote-debugging-port=0", "--remote-allow-origins=*", user_data.c_str(),
              "about:blank", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }

  ~Browser() {
    ws_.reset();
    if (pid_ > 0) {
      ::kill(-pid_, SIGTERM);  // the process group this test started (chromium and its helpers)
      for (int i = 0; i < 50; ++i) {
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  // Connects to the first page target. Returns "" or what went wrong.
  std::string Connect() {
    std::string port;
    auto end = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < end) {
      const std::string port_file = profile_ + "/DevToolsActivePort";  // written by chromium once it listens
      std::string s = FileExists(port_file) ? ReadAll(port_file) : "";
      if (s.find('\n') != std::string::npos) {
        port = s.substr(0, s.find('\n'));
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (port.empty())
      return "chromium did not open its DevTools port within 20 s; its log:\n" +
             (FileExists(log_) ? ReadAll(log_) : std::string("(none)"));
    port_ = std::stoi(port);
    HttpAnswer list = Http(port_, "GET", "/json/list");
    Poco::JSON::Parser p;
    auto arr = p.parse(list.body).extract<Poco::JSON::Array::Ptr>();
    std::string ws_url;
    for (unsigned i = 0; i < arr->size(); ++i) {
      Object::Ptr t = arr->getObject(i);
      if (t->getValue<std::string>("type") == "page") ws_url = t->getValue<std::string>("webSocketDebuggerUrl");
    }
    if (ws_url.empty()) return "no page target in " + list.body;
    std::string path = ws_url.substr(ws_url.find('/', 5));
    session_ = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port_));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::Net::HTTPResponse resp;
    ws_ = std::make_unique<Poco::Net::WebSocket>(*session_, req, resp);
    ws_->setReceiveTimeout(Poco::Timespan(30, 0));
    ws_->setMaxPayloadSize(64 * 1024 * 1024);
    return "";
  }

  Object::Ptr Call(const std::string& method, Object::Ptr params = new Object) {
    const int id = ++next_id_;
    Object::Ptr msg = new Object;
    msg->set("id", id);
    msg->set("method", method);
    msg->set("params", params);
    std::ostringstream s;
    msg->stringify(s);
    ws_->sendFrame(s.str().data(), static_cast<int>(s.str().size()), Poco::Net::WebSocket::FRAME_TEXT);
    for (;;) {
      Poco::Buffer<char> buf(0);
      int flags = 0;
      int n = ws_->receiveFrame(buf, flags);
      if (n <= 0) throw std::runtime_error("DevTools connection closed");
      Object::Ptr answer = ParseObject(std::string(buf.begin(), buf.size()));
      if (answer->has("id") && answer->getValue<int>("id") == id) {
        if (answer->has("error")) {
          std::ostringstream e;
          answer->getObject("error")->stringify(e);
          throw std::runtime_error(method + ": " + e.str());
        }
        return answer->getObject("result");
      }
    }
  }

  // The value of a JavaScript expression (JSON-able), as a Var.
  Poco::Dynamic::Var Eval(const std::string& expression) {
    Object::Ptr p = new Object;
    p->set("expression", expression);
    p->set("returnByValue", true);
    p->set("awaitPromise", true);
    Object::Ptr r = Call("Runtime.evaluate", p);
    if (r->has("exceptionDetails")) {
      std::ostringstream e;
      r->getObject("exceptionDetails")->stringify(e);
      throw std::runtime_error("JavaScript failed: " + e.str());
    }
    Object::Ptr result = r->getObject("result");
    return result->has("value") ? result->get("value") : Poco::Dynamic::Var();
  }

  std::string EvalString(const std::string& expression) {
    Poco::Dynamic::Var v = Eval(expression);
    return v.isEmpty() ? "" : v.convert<std::string>();
  }

  // Polls `expression` until it yields a non-empty string; returns it, or "" after `seconds`.
  // `seconds` is the bound of a release build; sanitizer builds get kTimeScale times as long.
  std::string WaitFor(const std::string& expression, double seconds) {
    seconds *= zhiping::testing::kTimeScale;
    auto end = Clock::now() + std::chrono::milliseconds(static_cast<int>(seconds * 1000));
    do {
      std::string v = EvalString(expression);
      if (!v.empty() && v != "false") return v;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (Clock::now() < end);
    return "";
  }

  bool started() const { return pid_ > 0; }

  // Saves what the page looks like (kept beside the test's files, for a person looking into a failure).
  void Screenshot(const std::string& path) {
    Object::Ptr p = new Object;
    p->set("format", "png");
    p->set("captureBeyondViewport", true);
    std::string b64 = Call("Page.captureScreenshot", p)->getValue<std::string>("data");
    std::istringstream in(b64);
    Poco::Base64Decoder dec(in);
    std::string png((std::istreambuf_iterator<char>(dec)), std::istreambuf_iterator<char>());
    WriteAll(path, png);
  }

 private:
  std::string profile_, log_;
  pid_t pid_ = -1;
  int port_ = 0;
  int next_id_ = 0;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  std::unique_ptr<Poco::Net::WebSocket> ws_;
};

// The first page image's src once every image on the page has loaded (naturalWidth > 0); "" before.
const char* kLoadedImages = R"JS((() => {
  const imgs = [...document.querySelectorAll('#pages img')];
  if (!imgs.length || !imgs.every(i => i.complete && i.naturalWidth > 0)) return '';
  return imgs[0].getAttribute('src') + ' ' + imgs.length + ' ' + imgs[0].naturalWidth;
})())JS";

std::string ReplaceLine(const std::string& text, int number, const std::string& with) {
  std::istringstream in(text);
  std::string line, out;
  for (int n = 1; std::getline(in, line); ++n) out += (n == number ? with : line) + "\n";
  return out;
}

// A preview server over copies of the repository's templates and samples in a fresh folder `name`, and a headless
// chromium showing its page. Check ready() first.
struct PreviewInBrowser {
  explicit PreviewInBrowser(const std::string& name)
      : dir(FreshDir(name)), server(Options(dir)), browser((server.Start(), dir)) {}

  static preview::PreviewOptions Options(const std::string& dir) {
    CopyTree(SourceDir() + "/templates", dir + "/templates");
    CopyTree(SourceDir() + "/samples", dir + "/samples");
    preview::PreviewOptions o;
    o.templates_dir = dir + "/templates";
    o.samples_dir = dir + "/samples";
    o.font_role_map = SourceDir() + "/fonts/fonts.conf";
    o.font_cache_dir = SharedFontCache();
    o.today = kToday;
    return o;
  }

  // "" when the page is on its way, or what went wrong.
  std::string Open() {
    if (::access(kChromium, X_OK) != 0) {
      return std::string("Debian's chromium is not installed (") + kChromium +
             "); install it with `apt-get install -y chromium` (setup.sh: add the package `chromium`).";
    }
    if (!browser.started()) return "chromium did not start";
    std::string problem = browser.Connect();
    if (!problem.empty()) return problem;
    browser.Call("Page.enable");
    Object::Ptr nav = new Object;
    nav->set("url", server.url());
    browser.Call("Page.navigate", nav);
    return "";
  }

  std::string dir;
  preview::PreviewServer server;
  Browser browser;
};

TEST(preview_browser, PageFollowsTemplateEditsAndShowsErrorLines) {
  PreviewInBrowser session("preview-browser");
  ASSERT_EQ(session.Open(), "");
  const std::string& dir = session.dir;
  Browser& browser = session.browser;

  // The list of templates appears; choose the notice.
  ASSERT_NE(browser.WaitFor("document.querySelectorAll('#templates button').length >= 7 ? 'yes' : ''", 10), "")
      << browser.EvalString("document.body.innerText");
  browser.Eval("document.querySelector('#templates button[data-name=\"notice\"]').click(); true");
  EXPECT_EQ(browser.WaitFor("document.querySelector('#source').value", 5), "samples/notice.json");

  // Page images, loaded.
  std::string first = browser.WaitFor(kLoadedImages, 10);
  ASSERT_NE(first, "") << browser.EvalString("document.body.innerText");
  browser.Screenshot(dir + "/1-notice.png");
  std::string version_before = browser.EvalString("document.querySelector('#status').dataset.version");

  // Change the wording of the copy on disk: the page shows new images within ~3 s, without a reload.
  const std::string tmpl_path = dir + "/templates/notice.tmpl";
  std::string original = ReadAll(tmpl_path);
  std::string changed = original;
  size_t at = changed.find("接受社会监督");
  ASSERT_NE(at, std::string::npos);
  changed.replace(at, std::string("接受社会监督").size(), "欢迎社会各界监督");
  browser.Eval("window.__sameDocument = 1; true");
  auto saved = Clock::now();
  WriteAll(tmpl_path, changed);
  std::string second = browser.WaitFor(
      std::string("(() => { const v = ") + kLoadedImages + "; return v && v !== " + "'" + first + "' ? v : ''; })()",
      3.0);
  double took = std::chrono::duration<double>(Clock::now() - saved).count();
  ASSERT_NE(second, "") << "the page did not follow the saved template within " << 3.0 * zhiping::testing::kTimeScale
                        << " s; page says: "
                        << browser.EvalString("document.body.innerText");
  EXPECT_NE(browser.EvalString("document.querySelector('#status').dataset.version"), version_before);
  EXPECT_EQ(browser.EvalString("String(window.__sameDocument)"), "1") << "the page must update without reloading";
  RecordProperty("update_seconds", std::to_string(took));
  std::printf("page followed the saved template in %.2f s\n", took);

  // An unknown directive on line 9: the page names the file and the line and shows the line's text.
  WriteAll(tmpl_path, ReplaceLine(changed, 9, "@tittle 关于评审结果的公示"));
  std::string shown = browser.WaitFor(
      "(() => { const t = document.querySelector('#template-error'); "
      "return t && !t.hidden && t.innerText.includes('第 9 行') ? t.innerText : ''; })()",
      3.0);
  ASSERT_NE(shown, "") << "page says: " << browser.EvalString("document.body.innerText");
  EXPECT_NE(shown.find("notice.tmpl"), std::string::npos) << shown;
  EXPECT_NE(shown.find("@tittle 关于评审结果的公示"), std::string::npos) << shown;
  EXPECT_EQ(browser.EvalString("String(document.querySelectorAll('#pages img').length)"), "0");
  browser.Screenshot(dir + "/2-template-error.png");

  // Fixed again: images come back.
  WriteAll(tmpl_path, original);
  EXPECT_NE(browser.WaitFor(kLoadedImages, 3.0), "") << browser.EvalString("document.body.innerText");
  EXPECT_EQ(browser.EvalString("String(document.querySelector('#template-error').hidden)"), "true");

  // Missing data is listed and marked: the review form with the applicant's phone taken out in the page's editor.
  browser.Eval("document.querySelector('#templates button[data-name=review-form]').click(); true");
  ASSERT_NE(browser.WaitFor("document.querySelector('#status').dataset.state === 'ok' && "
                            "document.querySelector('#status').dataset.template === 'review-form' && "
                            "document.querySelector('#pages img') ? 'yes' : ''",
                            10),
            "");
  browser.Eval(
      "(async () => { const s = document.querySelector('#source'); s.value = 'editor'; "
      "s.dispatchEvent(new Event('change')); })()");
  ASSERT_NE(browser.WaitFor("document.querySelector('#editor').value.includes('applicant') ? 'yes' : ''", 5), "");
  browser.Eval(
      "(() => { const e = document.querySelector('#editor'); const b = JSON.parse(e.value); "
      "delete b.applicant.phone; e.value = JSON.stringify(b, null, 2); "
      "e.dispatchEvent(new Event('input')); return true; })()");
  std::string missing = browser.WaitFor(
      "(() => { const m = document.querySelector('#missing'); "
      "return m && !m.hidden && m.innerText.includes('applicant.phone') ? m.innerText : ''; })()",
      5);
  EXPECT_NE(missing, "") << browser.EvalString("document.body.innerText");
  EXPECT_NE(browser.WaitFor(kLoadedImages, 5), "");
  browser.Screenshot(dir + "/3-missing.png");
  std::printf("screenshots in %s\n", dir.c_str());
}

// English words in what the page shows, as a JSON list of "word in \"text\"": the visible text nodes, the page
// title, the options of its lists and the alt/title/placeholder/label attributes — outside code, pre, data, kbd,
// samp, the editor and elements marked translate="no" (names, file names, JSON Pointers, the sheet's cells,
// messages passed through from other parts). Words of formats and units are allowed. The problem texts in
// #problems li come from the model's rule catalog, not from the page, and are not looked at here.
const char* kEnglishWords = R"JS((() => {
  const data = 'code, pre, data, kbd, samp, textarea, script, style, [translate="no"], #problems li';
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) {
    const p = n.parentElement;
    if (!p || p.closest(data)) continue;
    const listed = p.closest('select') !== null;  // options have no box of their own until the list opens
    if (!listed && !p.checkVisibility({ visibilityProperty: true })) continue;
    texts.push(n.data);
  }
  for (const e of document.querySelectorAll('[alt], [title], [placeholder], [label], [aria-label]')) {
    if (e.closest(data) || (e.closest('select') === null && !e.checkVisibility())) continue;
    for (const a of ['alt', 'title', 'placeholder', 'label', 'aria-label']) if (e.getAttribute(a)) texts.push(e.getAttribute(a));
  }
  const allowed = new Set(['PDF', 'XLSX', 'JSON', 'OFD', 'PNG', 'A4', 'A3', 'MiB']);
  const english = [];
  for (const t of texts)
    for (const w of t.match(/[A-Za-z][A-Za-z0-9]*/g) || [])
      if (!allowed.has(w)) english.push(w + ' in "' + t.trim().slice(0, 80) + '"');
  return JSON.stringify(english);
})())JS";

// Issue 12: the preview page is all Chinese. Its visible text, in every state a clerk meets — the list before a
// choice, a PDF's page images, a roster's table, the JSON editor, data that is not JSON, an unknown template, the
// service gone — holds no English word outside code and data. The rosters are listed by their Chinese titles.
TEST(preview_browser, PageChromeIsAllChinese) {
  PreviewInBrowser session("preview-chinese");
  ASSERT_EQ(session.Open(), "");
  Browser& browser = session.browser;
  auto check = [&](const std::string& state) {
    EXPECT_EQ(browser.EvalString(kEnglishWords), "[]") << state << "; the page says:\n"
                                                      << browser.EvalString("document.body.innerText");
  };

  ASSERT_NE(browser.WaitFor("document.querySelectorAll('#templates button').length >= 7 ? 'yes' : ''", 10), "")
      << browser.EvalString("document.body.innerText");
  EXPECT_EQ(browser.EvalString("document.title"), "职评文书 · 模板预览");
  for (const auto& [name, title] : std::vector<std::pair<std::string, std::string>>{
           {"roster-summary", "申报人员汇总表"},
           {"roster-qualification", "评审对象资格审查花名册"},
           {"roster-results", "评审结果花名册"}}) {
    EXPECT_EQ(browser.EvalString("document.querySelector('#templates button[data-name=\"" + name +
                                 "\"] .title').textContent"),
              title);
  }
  check("the template list, nothing chosen");

  browser.Eval("document.querySelector('#templates button[data-name=\"notice\"]').click(); true");
  ASSERT_NE(browser.WaitFor(kLoadedImages, 10), "") << browser.EvalString("document.body.innerText");
  ASSERT_NE(browser.WaitFor("document.querySelector('#download a') ? 'yes' : ''", 5), "");
  check("the notice's page images");

  browser.Eval("document.querySelector('#templates button[data-name=\"roster-summary\"]').click(); true");
  ASSERT_NE(browser.WaitFor("document.querySelector('#status').dataset.template === 'roster-summary' && "
                            "document.querySelector('#status').dataset.state === 'ok' && "
                            "!document.querySelector('#table-box').hidden ? 'yes' : ''",
                            10),
            "")
      << browser.EvalString("document.body.innerText");
  check("a roster's table");

  browser.Eval("(() => { const s = document.querySelector('#source'); s.value = 'editor'; "
               "s.dispatchEvent(new Event('change')); return true; })()");
  ASSERT_NE(browser.WaitFor("document.querySelector('#editor').value.includes('applicants') ? 'yes' : ''", 5), "");
  ASSERT_NE(browser.WaitFor("document.querySelector('#status').dataset.state === 'ok' ? 'yes' : ''", 10), "");
  check("the JSON editor");

  browser.Eval("(() => { const e = document.querySelector('#editor'); e.value = '{\"batch\": '; "
               "e.dispatchEvent(new Event('input')); return true; })()");
  ASSERT_NE(browser.WaitFor("document.querySelector('#status').dataset.state === 'invalid-json' && "
                            "!document.querySelector('#problems').hidden ? 'yes' : ''",
                            10),
            "")
      << browser.EvalString("document.body.innerText");
  check("data that is not JSON");

  browser.Eval("chooseTemplate('no-such'); true");
  ASSERT_NE(browser.WaitFor("document.querySelector('#status').dataset.state === 'not-found' && "
                            "!document.querySelector('#message').hidden ? 'yes' : ''",
                            10),
            "")
      << browser.EvalString("document.body.innerText");
  check("an unknown template");

  // The service stops: the connection notice, and a refresh that gets no answer.
  session.server.Stop();
  ASSERT_NE(browser.WaitFor("document.querySelector('#conn').textContent", 10), "");
  browser.Eval("refresh(); true");
  ASSERT_NE(browser.WaitFor("document.querySelector('#status').dataset.state === 'error' ? 'yes' : ''", 10), "")
      << browser.EvalString("document.body.innerText");
  check("the service gone");
  browser.Screenshot(session.dir + "/service-gone.png");
}

}  // namespace
}  // namespace zhiping::previewtest
