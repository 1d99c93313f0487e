// The HTTP service end to end: a real Poco HTTPServer on 127.0.0.1 (ephemeral port) serving a real Renderer built
// from the repository's templates and fonts, called with real HTTP requests.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "common/json.h"
#include "render/renderer.h"
#include "service/config.h"
#include "service/http_server.h"
#include "service/routes.h"
#include "support/http_client.h"
#include "support/json_edit.h"
#include "support/repo_renderer.h"
#include "support/samples.h"
#include "support/temp_dir.h"

namespace zhiping::service {
namespace {

constexpr size_t kBodyLimit = 256 * 1024;  // above samples/notice.json (~50 KB), small enough to overflow cheaply
constexpr size_t kRosterBodyLimit = 1024 * 1024;  // rosters are spooled to a file: a limit of their own
const char kRenderToken[] = "render-token-123";
const char kReadToken[] = "read-token-456";

struct Reply {
  int status = 0;
  Poco::Net::HTTPResponse headers;
  std::string body;
};

struct Request {
  Request(std::string method, std::string path, std::string token = "",
          std::string content_type = "application/json", std::string body = "", bool chunked = false)
      : method(std::move(method)), path(std::move(path)), token(std::move(token)),
        content_type(std::move(content_type)), body(std::move(body)), chunked(chunked) {}
  std::string method;
  std::string path;
  std::string token;  // "" sends no Authorization
  std::string content_type;
  std::string body;
  bool chunked;
  long declared_length = -1;  // >= 0: send this Content-Length and only `body`'s bytes (may be none)
  std::vector<std::pair<std::string, std::string>> headers;  // further request headers
};

class HttpServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    signal(SIGPIPE, SIG_IGN);  // a server closing on an oversized upload must fail a write, not kill the test
    renderer_ = new render::Renderer(zhiping::testing::RepoRendererConfig());

    ServiceConfig config;
    config.bind = "127.0.0.1";
    config.port = 0;
    config.body_limit = kBodyLimit;
    config.roster_body_limit = kRosterBodyLimit;
    config.request_timeout_seconds = 10;
    config.tokens = {{"ops", TokenDigest(kRenderToken), kRoleRender},
                     {"viewer", TokenDigest(kReadToken), kRoleRead}};
    service_ = new HttpService(config, MakeRouter(*renderer_));
    service_->Start();
  }

  static void TearDownTestSuite() {
    delete service_;
    delete renderer_;
  }

  static Reply Send(const Request& r, uint16_t port = 0) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port ? port : service_->port());
    session.setTimeout(Poco::Timespan(30, 0));
    session.setKeepAlive(true);  // the server's answers must say keep-alive whenever the connection is reusable
    Poco::Net::HTTPRequest request(r.method, r.path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!r.token.empty()) request.set("Authorization", std::string("Bearer ") + r.token);
    for (const auto& [name, value] : r.headers) request.set(name, value);
    bool has_body = !r.body.empty() || r.declared_length >= 0 || r.method == "POST";
    if (has_body && !r.content_type.empty()) request.setContentType(r.content_type);
    if (r.chunked) {
      request.setChunkedTransferEncoding(true);
    } else if (r.declared_length >= 0) {
      request.setContentLength64(r.declared_length);
    } else if (has_body) {
      request.setContentLength64(static_cast<Poco::Int64>(r.body.size()));
    }
    std::ostream& out = session.sendRequest(request);
    out.write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
    Reply reply;
    std::istream& in = session.receiveResponse(reply.headers);
    reply.status = reply.headers.getStatus();
    std::ostringstream body;
    Poco::StreamCopier::copyStream(in, body);
    reply.body = body.str();
    return reply;
  }

  static std::string Sample(const std::string& name) { return zhiping::testing::Sample(name); }

  static Poco::JSON::Object::Ptr JsonBody(const Reply& r) { return zhiping::testing::ParseObject(r.body); }

  // Checks the RFC 9457 shape every error answer shares and returns the document.
  static Poco::JSON::Object::Ptr ExpectProblem(const Reply& r, int status) {
    return zhiping::testing::ExpectProblem(r.status, r.headers.getContentType(), r.body, status);
  }

  static render::Renderer* renderer_;
  static HttpService* service_;
};

render::Renderer* HttpServiceTest::renderer_ = nullptr;
HttpService* HttpServiceTest::service_ = nullptr;

TEST_F(HttpServiceTest, HealthzNeedsNoToken) {
  Reply r = Send({"GET", "/healthz"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.getContentType(), "application/json");
  auto body = JsonBody(r);
  EXPECT_EQ(body->getValue<std::string>("status"), "ok");
  EXPECT_EQ(body->getValue<std::string>("version"), ZHIPING_VERSION);
}

// GET /readyz needs no token; a render-only service has only its fonts to report.
TEST_F(HttpServiceTest, ReadyzReportsEachPartItHas) {
  Reply r = Send({"GET", "/readyz"});
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = JsonBody(r);
  EXPECT_EQ(body->getValue<std::string>("status"), "ready");
  auto checks = body->getObject("checks");
  EXPECT_EQ(checks->getValue<std::string>("fonts"), "ok");
  EXPECT_FALSE(checks->has("archive"));
  EXPECT_FALSE(checks->has("database"));
}

// Every answer carries X-Request-Id: the client's own when it is a plain token, a new one otherwise, on problems too.
TEST_F(HttpServiceTest, AnswersCarryTheRequestId) {
  Request mine{"GET", "/healthz"};
  mine.headers = {{"X-Request-Id", "clerk-42"}};
  EXPECT_EQ(Send(mine).headers.get("X-Request-Id", ""), "clerk-42");
  const std::string a = Send({"GET", "/healthz"}).headers.get("X-Request-Id", "");
  const std::string b = Send({"GET", "/no-such-route"}).headers.get("X-Request-Id", "");
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(b.size(), 16u);
  EXPECT_NE(a, b);
}

TEST_F(HttpServiceTest, TemplatesNeedATokenWithTheRole) {
  Reply none = Send({"GET", "/v1/templates"});
  ExpectProblem(none, 401);
  EXPECT_EQ(none.headers.get("WWW-Authenticate", ""), "Bearer");
  EXPECT_EQ(none.headers.getReason(), "Unauthorized");
  EXPECT_TRUE(none.headers.getKeepAlive());

  Reply wrong = Send({"GET", "/v1/templates", "not-a-token"});
  ExpectProblem(wrong, 401);
  EXPECT_EQ(wrong.headers.get("WWW-Authenticate", "").rfind("Bearer", 0), 0u);

  ExpectProblem(Send({"GET", "/v1/templates", kReadToken}), 403);

  Reply ok = Send({"GET", "/v1/templates", kRenderToken});
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto list = Poco::JSON::Parser().parse(ok.body).extract<Poco::JSON::Array::Ptr>();
  bool has_notice = false;
  for (size_t i = 0; i < list->size(); ++i) {
    auto t = list->getObject(static_cast<unsigned>(i));
    if (t->getValue<std::string>("name") == "notice") {
      has_notice = true;
      EXPECT_EQ(t->getValue<std::string>("output"), "pdf");
    }
  }
  EXPECT_TRUE(has_notice) << ok.body;
}

TEST_F(HttpServiceTest, RendersTheNoticeSample) {
  Request req{"POST", "/v1/render/notice", kRenderToken, "application/json; charset=utf-8", Sample("notice")};
  Reply r = Send(req);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_EQ(r.headers.getContentType(), "application/pdf");
  EXPECT_EQ(r.headers.get("Content-Disposition", ""), "inline; filename=\"notice.pdf\"");
  ASSERT_GT(r.body.size(), 1000u);
  EXPECT_EQ(r.body.substr(0, 5), "%PDF-");

  // The same body chunked: the byte counting must not cut a body that fits.
  req.chunked = true;
  Reply chunked = Send(req);
  ASSERT_EQ(chunked.status, 200) << chunked.body.substr(0, 500);
  EXPECT_EQ(chunked.body.substr(0, 5), "%PDF-");
}

// ?format=ofd: the same template's pages as OFD (application/ofd, TEMPLATE.ofd); an unknown format, or one the
// template cannot make, is 422 naming format.
TEST_F(HttpServiceTest, RendersOfdAndRefusesABadFormat) {
  Reply r = Send({"POST", "/v1/render/letter?format=ofd", kRenderToken, "application/json", Sample("letter")});
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_EQ(r.headers.getContentType(), "application/ofd");
  EXPECT_EQ(r.headers.get("Content-Disposition", ""), "inline; filename=\"letter.ofd\"");
  EXPECT_EQ(r.headers.get("X-Zhiping-Pages", ""), "1");
  EXPECT_EQ(r.body.substr(0, 2), "PK");
  EXPECT_NE(r.body.find("Doc_0/Pages/Page_0/Content.xml"), std::string::npos);
  Reply pdf = Send({"POST", "/v1/render/letter?format=pdf", kRenderToken, "application/json", Sample("letter")});
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.headers.getContentType(), "application/pdf");

  auto unknown = ExpectProblem(
      Send({"POST", "/v1/render/letter?format=docx", kRenderToken, "application/json", Sample("letter")}), 422);
  auto error = unknown->getArray("errors")->getObject(0);
  EXPECT_EQ(error->getValue<std::string>("code"), "format.unknown");
  EXPECT_EQ(error->getValue<std::string>("place"), "输出格式（format）");
  EXPECT_EQ(error->getValue<std::string>("rule"), "输出格式（format）只能是 pdf、ofd 或 xlsx，不能是“docx”");
  auto roster = ExpectProblem(Send({"POST", "/v1/render/roster-summary?format=ofd", kRenderToken, "application/json",
                                    Sample("roster-summary")}),
                              422);
  error = roster->getArray("errors")->getObject(0);
  EXPECT_EQ(error->getValue<std::string>("code"), "format.template");
  EXPECT_EQ(error->getValue<std::string>("rule"), "模板 roster-summary 不能输出为 ofd 格式（format 只能是 xlsx）");
}

TEST_F(HttpServiceTest, RenderNeedsTheRenderRole) {
  ExpectProblem(Send({"POST", "/v1/render/notice", "", "application/json", Sample("notice")}), 401);
  ExpectProblem(Send({"POST", "/v1/render/notice", kReadToken, "application/json", Sample("notice")}), 403);
}

TEST_F(HttpServiceTest, MalformedJsonIs400) {
  auto p = ExpectProblem(Send({"POST", "/v1/render/notice", kRenderToken, "application/json", "{\"batch\": "}), 400);
  EXPECT_EQ(p->getValue<std::string>("type"), "urn:zhiping:problem:malformed-json");
}

TEST_F(HttpServiceTest, DeclaredOversizedBodyIs413BeforeReading) {
  // Only the headers go out: a server that waited for the body would hang here until the client's timeout.
  Request req{"POST", "/v1/render/notice", kRenderToken, "application/json", ""};
  req.declared_length = static_cast<long>(kBodyLimit) + 1;
  Reply r = Send(req);
  auto p = ExpectProblem(r, 413);
  EXPECT_EQ(p->getValue<std::string>("type"), "urn:zhiping:problem:body-too-large");
  EXPECT_FALSE(r.headers.getKeepAlive());  // the unread body must not be taken for the next request
}

TEST_F(HttpServiceTest, ChunkedOversizedBodyIs413) {
  std::string body = Sample("notice");
  body.resize(kBodyLimit + 10, ' ');  // valid JSON followed by spaces: only its size is wrong
  Request req{"POST", "/v1/render/notice", kRenderToken, "application/json", body};
  req.chunked = true;
  ExpectProblem(Send(req), 413);

  // A body exactly at the limit is still read and rendered.
  body.resize(kBodyLimit, ' ');
  Reply at_limit = Send({"POST", "/v1/render/notice", kRenderToken, "application/json", body, true});
  EXPECT_EQ(at_limit.status, 200) << at_limit.body.substr(0, 300);
}

// A roster draft is spooled to a temporary file and read from there piece by piece, so it has a limit of its own
// (server.roster_body_limit) above the one for bodies held in memory; the file is gone afterwards.
TEST_F(HttpServiceTest, RosterBodiesHaveTheirOwnLimitAndAreSpooled) {
  std::string body = Sample("roster-summary");
  body.resize(kBodyLimit + 4096, ' ');  // over server.body_limit, under server.roster_body_limit
  for (bool chunked : {false, true}) {
    Reply ok = Send({"POST", "/v1/render/roster-summary", kRenderToken, "application/json", body, chunked});
    EXPECT_EQ(ok.status, 200) << ok.body.substr(0, 300);
    EXPECT_EQ(ok.body.substr(0, 2), "PK");
  }
  // Over server.body_limit is too much for a PDF template. (Chunked and only a little over, so that the client is not
  // still sending when the server refuses and closes: that would be an I/O error here, not an answer.)
  std::string notice = Sample("notice");
  notice.resize(kBodyLimit + 10, ' ');
  ExpectProblem(Send({"POST", "/v1/render/notice", kRenderToken, "application/json", notice, true}), 413);
  // Over the roster limit: declared (refused before reading; only the headers go out) or chunked.
  Request declared{"POST", "/v1/render/roster-summary", kRenderToken, "application/json", ""};
  declared.declared_length = static_cast<long>(kRosterBodyLimit) + 1;
  ExpectProblem(Send(declared), 413);
  body.resize(kRosterBodyLimit + 10, ' ');
  ExpectProblem(Send({"POST", "/v1/render/roster-summary", kRenderToken, "application/json", body, true}), 413);
  // Invalid roster data is still 422 with its pointers.
  Reply bad = Send({"POST", "/v1/render/roster-summary", kRenderToken, "application/json", R"({"applicants": [7]})"});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.body.find("/applicants/0"), std::string::npos) << bad.body;
}

TEST_F(HttpServiceTest, ChunkedBodyIsCutOffAtLimitPlusOne) {
  // A chunk announced larger than the limit, of which only limit+10 bytes are ever sent: a server that read past
  // limit+1 bytes would wait for the rest and never answer within the client's 5 s.
  Poco::Net::StreamSocket socket;
  socket.connect(Poco::Net::SocketAddress("127.0.0.1", service_->port()), Poco::Timespan(5, 0));
  socket.setReceiveTimeout(Poco::Timespan(5, 0));
  std::ostringstream head;
  head << "POST /v1/render/notice HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " << kRenderToken
       << "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
       << std::hex << (kBodyLimit + 4096) << "\r\n";
  std::string bytes = head.str() + std::string(kBodyLimit + 10, ' ');
  socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  std::string answer;
  char buf[4096];
  try {
    for (int n; (n = socket.receiveBytes(buf, sizeof(buf))) > 0;) answer.append(buf, static_cast<size_t>(n));
  } catch (const Poco::TimeoutException&) {
    // The server keeps the connection only if it is still waiting for bytes: a failure shown below.
  }
  EXPECT_EQ(answer.rfind("HTTP/1.1 413 ", 0), 0u) << answer.substr(0, 200);
  EXPECT_NE(answer.find("urn:zhiping:problem:body-too-large"), std::string::npos);
}

TEST_F(HttpServiceTest, WrongContentTypeIs415) {
  ExpectProblem(Send({"POST", "/v1/render/notice", kRenderToken, "text/plain", Sample("notice")}), 415);
  ExpectProblem(Send({"POST", "/v1/render/notice", kRenderToken, "", Sample("notice")}), 415);
}

TEST_F(HttpServiceTest, InvalidDataIs422WithEveryProblem) {
  Poco::Dynamic::Var body = ParseJson(Sample("notice"));
  auto first = body.extract<Poco::JSON::Object::Ptr>()->getArray("applicants")->getObject(0);
  first->remove("name");
  first->set("gender", "X");
  std::ostringstream text;
  Poco::JSON::Stringifier::stringify(body, text);

  auto p = ExpectProblem(Send({"POST", "/v1/render/notice", kRenderToken, "application/json", text.str()}), 422);
  EXPECT_EQ(p->getValue<std::string>("type"), "urn:zhiping:problem:invalid-data");
  auto errors = p->getArray("errors");
  ASSERT_TRUE(errors);
  std::set<std::string> pointers;
  for (size_t i = 0; i < errors->size(); ++i) {
    auto e = errors->getObject(static_cast<unsigned>(i));
    EXPECT_FALSE(e->getValue<std::string>("rule").empty());
    pointers.insert(e->getValue<std::string>("pointer"));
  }
  EXPECT_TRUE(pointers.count("/applicants/0/name")) << p->size();
  EXPECT_TRUE(pointers.count("/applicants/0/gender"));
}

TEST_F(HttpServiceTest, UnknownTemplateAndRouteAre404WrongMethodIs405) {
  auto p = ExpectProblem(
      Send({"POST", "/v1/render/no-such-template", kRenderToken, "application/json", Sample("notice")}), 404);
  EXPECT_EQ(p->getValue<std::string>("type"), "urn:zhiping:problem:unknown-template");
  ExpectProblem(Send({"GET", "/v1/nothing-here", kRenderToken}), 404);
  Reply wrong_method = Send({"GET", "/v1/render/notice", kRenderToken});
  ExpectProblem(wrong_method, 405);
  EXPECT_EQ(wrong_method.headers.get("Allow", ""), "POST");
}

TEST_F(HttpServiceTest, LogsOneLinePerRequestWithTheTokenNameOnly) {
  // The service logs to stderr; point fd 2 at a file for the length of one request.
  std::string log_path = zhiping::testing::FreshDir("service_http_log") + "/stderr.log";
  // Requests of earlier tests may still be finishing (a lingering close after a 413): their lines are not ours.
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
       service_->in_flight() > 0 && std::chrono::steady_clock::now() < end;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  int saved = dup(STDERR_FILENO);
  int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  dup2(fd, STDERR_FILENO);
  Reply r = Send({"GET", "/v1/templates", kRenderToken});
  Reply health = Send({"GET", "/healthz/33010219800101123X"});
  // A problem answer is flushed before its log line is written: wait for the line rather than race it.
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       std::chrono::steady_clock::now() < end && ReadFile(log_path).find(" 404 ") == std::string::npos;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  dup2(saved, STDERR_FILENO);
  ::close(fd);
  ::close(saved);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(health.status, 404);
  std::string log = ReadFile(log_path);
  EXPECT_NE(log.find("GET /v1/templates 200 "), std::string::npos) << log;
  EXPECT_NE(log.find("token=ops"), std::string::npos) << log;
  EXPECT_EQ(log.find(kRenderToken), std::string::npos) << log;
  EXPECT_NE(log.find("GET /healthz/330102**********3X 404"), std::string::npos) << log;
  EXPECT_EQ(log.find("19800101"), std::string::npos) << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 2) << log;
}

TEST_F(HttpServiceTest, RefusedBodyKeepsTheConnectionUsable) {
  // A 401 for a request with a body drains the body, so the same connection carries the next request intact.
  Poco::Net::HTTPClientSession session("127.0.0.1", service_->port());
  session.setTimeout(Poco::Timespan(10, 0));
  session.setKeepAlive(true);
  std::string body = Sample("notice");
  const char* tokens[] = {"", kRenderToken};
  int expected[] = {401, 200};
  for (int i = 0; i < 2; ++i) {
    Poco::Net::HTTPRequest request("POST", "/v1/render/notice", Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    if (*tokens[i]) request.set("Authorization", std::string("Bearer ") + tokens[i]);
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::ostringstream answer;
    Poco::StreamCopier::copyStream(in, answer);
    EXPECT_EQ(response.getStatus(), expected[i]) << answer.str().substr(0, 300);
    EXPECT_TRUE(response.getKeepAlive()) << "round " << i;
  }
}

TEST_F(HttpServiceTest, StopLetsARequestInFlightFinish) {
  ServiceConfig config;
  config.port = 0;
  config.tokens = {{"ops", TokenDigest(kRenderToken), kRoleRender}};
  HttpService service(config, MakeRouter(*renderer_));
  service.Start();
  uint16_t port = service.port();
  Reply reply;
  std::atomic<bool> answered{false};
  std::thread client([&] {
    try {
      reply = Send({"POST", "/v1/render/notice", kRenderToken, "application/json", Sample("notice")}, port);
    } catch (const Poco::Exception& e) {
      reply.body = e.displayText();  // reported below, not a crash of the test binary
    }
    answered = true;
  });
  // Stop() once the request is being served (on a loaded machine the client may take a while to get there).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (service.in_flight() == 0 && !answered && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  service.Stop();
  client.join();
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body.substr(0, 5), "%PDF-");
  EXPECT_THROW(Send({"GET", "/healthz"}, port), Poco::Exception);  // no longer listening
}

}  // namespace
}  // namespace zhiping::service
