// Configuration, tokens, routing table and the small HTTP helpers — everything of the service that needs no socket.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "common/error.h"
#include "service/auth.h"
#include "service/config.h"
#include "service/problem_json.h"
#include "service/request_body.h"
#include "service/request_log.h"
#include "service/router.h"
#include <Poco/Path.h>

#include "support/files.h"
#include "support/temp_dir.h"

namespace zhiping::service {
namespace {

const char kAbcDigest[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";  // FIPS 180-2 "abc"

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

using zhiping::testing::ReadAll;

std::string WriteConfig(const std::string& name, const std::string& text) {
  std::string path = zhiping::testing::FreshDir("service_config_" + name) + "/zhiping.conf";
  std::ofstream(path) << text;
  return path;
}

TEST(TokenDigestTest, IsLowercaseHexSha256) {
  EXPECT_EQ(TokenDigest("abc"), kAbcDigest);
  EXPECT_EQ(TokenDigest("").size(), 64u);
}

TEST(RolesTest, ParsesAndFormats) {
  RoleSet roles = 0;
  std::string bad;
  ASSERT_TRUE(ParseRoles("read, render", &roles, &bad));
  EXPECT_EQ(roles, kRoleRender | kRoleRead);
  EXPECT_EQ(FormatRoles(roles), "render,read");
  EXPECT_FALSE(ParseRoles("render writer", &roles, &bad));
  EXPECT_EQ(bad, "writer");
}

TEST(ConfigTest, DefaultsWithoutFileOrEnvironment) {
  ServiceConfig c = LoadConfig("", FakeEnv({}));
  EXPECT_EQ(c.bind, "127.0.0.1");
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.archive_dir, "archive");
  EXPECT_EQ(c.templates_dir, "templates");
  EXPECT_EQ(c.font_role_map, "fonts/fonts.conf");
  EXPECT_EQ(c.body_limit, 8u * 1024 * 1024);
  EXPECT_EQ(c.threads, 128);
  EXPECT_GE(EffectiveMaxBusy(c), 4);  // twice the core count, at least 4
  EXPECT_EQ(c.queue_wait_ms, 300);
  EXPECT_TRUE(c.tokens.empty());
}

TEST(ConfigTest, ReadsEveryKeyAndResolvesPathsAgainstTheFile) {
  std::string path = WriteConfig("full",
                                 "# comment\n"
                                 "server.bind = 0.0.0.0\n"
                                 "server.port = 9090\n"
                                 "server.body_limit = 512 KiB\n"
                                 "server.roster_body_limit = 64 MiB\n"
                                 "server.request_timeout = 20\n"
                                 "server.threads = 4\n"
                                 "server.max_queued = 10\n"
                                 "server.max_busy = 3\n"
                                 "server.queue_wait_ms = 250\n"
                                 "server.header_timeout = 7\n"
                                 "server.body_timeout = 90\n"
                                 "archive.dir = store\n"
                                 "templates.dir = /opt/zhiping/templates\n"
                                 "fonts.role_map = fonts/office.conf\n"
                                 "fonts.cache_dir = cache\n"
                                 "sign.key = keys/key.pem\n"
                                 "sign.cert = keys/cert.pem\n"
                                 "sign.chain = keys/chain.pem\n"
                                 "sign.tsa_url = http://tsa.example/tsr\n"
                                 "sign.visible = off\n"
                                 "sign.dev_identity_dir = dev-id\n"
                                 "calendar.file = holidays.conf\n"
                                 "token.ops.digest = " + std::string(kAbcDigest) + "\n"
                                 "token.ops.roles = render, issue\n"
                                 "token.viewer.digest = " + TokenDigest("viewer-token") + "\n"
                                 "token.viewer.roles = read\n");
  std::string dir = Poco::Path(path).parent().toString();
  ServiceConfig c = LoadConfig(path, FakeEnv({}));
  EXPECT_EQ(c.bind, "0.0.0.0");
  EXPECT_EQ(c.port, 9090);
  EXPECT_EQ(c.body_limit, 512u * 1024);
  EXPECT_EQ(c.roster_body_limit, 64u * 1024 * 1024);
  EXPECT_EQ(c.request_timeout_seconds, 20);
  EXPECT_EQ(c.threads, 4);
  EXPECT_EQ(c.max_queued, 10);
  EXPECT_EQ(c.max_busy, 3);
  EXPECT_EQ(EffectiveMaxBusy(c), 3);
  EXPECT_EQ(c.queue_wait_ms, 250);
  EXPECT_EQ(c.header_timeout_ms, 7000);
  EXPECT_EQ(c.body_timeout_ms, 90000);
  EXPECT_EQ(c.archive_dir, dir + "store");
  EXPECT_EQ(c.templates_dir, "/opt/zhiping/templates");
  EXPECT_EQ(c.font_role_map, dir + "fonts/office.conf");
  EXPECT_EQ(c.font_cache_dir, dir + "cache");
  EXPECT_EQ(c.sign_key, dir + "keys/key.pem");
  EXPECT_EQ(c.sign_chain, dir + "keys/chain.pem");
  EXPECT_EQ(c.tsa_url, "http://tsa.example/tsr");
  EXPECT_FALSE(c.sign_visible);
  EXPECT_EQ(c.dev_identity_dir, dir + "dev-id");
  EXPECT_EQ(c.calendar_file, dir + "holidays.conf");
  ASSERT_EQ(c.tokens.size(), 2u);
  EXPECT_EQ(c.tokens[0].name, "ops");
  EXPECT_EQ(c.tokens[0].digest, kAbcDigest);
  EXPECT_EQ(c.tokens[0].roles, kRoleRender | kRoleIssue);
  EXPECT_EQ(c.tokens[1].name, "viewer");
  EXPECT_EQ(c.tokens[1].roles, kRoleRead);
}

TEST(ConfigTest, ShippedExampleLoadsWithTheDefaults) {
  // zhiping.example.conf documents every key; it must stay loadable and agree with the built-in defaults.
  std::string path = std::string(ZHIPING_SOURCE_DIR) + "/zhiping.example.conf";
  ServiceConfig c = LoadConfig(path, FakeEnv({}));
  ServiceConfig d = LoadConfig("", FakeEnv({}));
  std::string dir = std::string(ZHIPING_SOURCE_DIR) + "/";
  EXPECT_EQ(c.bind, d.bind);
  EXPECT_EQ(c.port, d.port);
  EXPECT_EQ(c.body_limit, d.body_limit);
  EXPECT_EQ(c.roster_body_limit, d.roster_body_limit);
  EXPECT_EQ(c.request_timeout_seconds, d.request_timeout_seconds);
  EXPECT_EQ(c.threads, d.threads);
  EXPECT_EQ(c.max_queued, d.max_queued);
  EXPECT_EQ(c.max_busy, d.max_busy);
  EXPECT_EQ(c.queue_wait_ms, d.queue_wait_ms);
  EXPECT_EQ(c.header_timeout_ms, d.header_timeout_ms);
  EXPECT_EQ(c.body_timeout_ms, d.body_timeout_ms);
  EXPECT_EQ(Poco::Path(c.templates_dir).toString(), Poco::Path(dir + d.templates_dir).toString());
  EXPECT_EQ(Poco::Path(c.font_role_map).toString(), Poco::Path(dir + d.font_role_map).toString());
  EXPECT_EQ(c.font_cache_dir, "");
  EXPECT_EQ(c.sign_key, "");
  EXPECT_EQ(c.sign_visible, d.sign_visible);
  EXPECT_TRUE(c.sign_visible);
  EXPECT_EQ(c.dev_identity_dir, "");
  EXPECT_EQ(c.calendar_file, "");
  EXPECT_TRUE(c.tokens.empty());
  EXPECT_EQ(c.log_format, d.log_format);
  EXPECT_EQ(c.log_utc_offset_minutes, d.log_utc_offset_minutes);
  EXPECT_EQ(c.instance, d.instance);
  // Its commented-out example token is what the comment says.
  EXPECT_NE(ReadAll(path).find(TokenDigest("example-token-change-me")), std::string::npos);
}

TEST(ConfigTest, ListsEveryProblemByKey) {
  std::string path = WriteConfig("bad",
                                 "server.prot = 80\n"
                                 "server.port = eighty\n"
                                 "server.body_limit = lots\n"
                                 "token.ops.digest = not-a-digest\n"
                                 "token.ops.roles = render, writer\n"
                                 "token.nodigest.roles = read\n"
                                 "token.bad!name.roles = read\n"
                                 "sign.visible = maybe\n");
  try {
    LoadConfig(path, FakeEnv({}));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    std::map<std::string, std::string> by_key;
    for (const auto& p : e.problems()) by_key[p.pointer] = p.rule;
    EXPECT_EQ(by_key.size(), 8u) << e.what();
    EXPECT_NE(std::string(e.what()).find("has 8 problem(s)"), std::string::npos) << e.what();
    EXPECT_EQ(by_key["sign.visible"], "must be true or false");
    EXPECT_NE(by_key["token.bad!name.roles"].find("token name"), std::string::npos);
    EXPECT_NE(by_key["server.prot"].find("unknown key"), std::string::npos);
    EXPECT_TRUE(by_key.count("server.port"));
    EXPECT_TRUE(by_key.count("server.body_limit"));
    EXPECT_NE(by_key["token.ops.digest"].find("SHA-256"), std::string::npos);
    EXPECT_NE(by_key["token.ops.roles"].find("writer"), std::string::npos);
    EXPECT_EQ(by_key["token.nodigest.digest"], "is required");
  }
}

TEST(ConfigTest, MissingFileIsNotFound) {
  try {
    LoadConfig(zhiping::testing::FreshDir("service_config_missing") + "/nope.conf", FakeEnv({}));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
}

TEST(ConfigTest, AdminTokenFromEnvironmentHasEveryRoleAndReplacesFileEntry) {
  std::string path = WriteConfig("admin",
                                 "token.admin.digest = " + std::string(kAbcDigest) + "\n"
                                 "token.admin.roles = read\n"
                                 "token.ops.digest = " + TokenDigest("ops-token") + "\n"
                                 "token.ops.roles = render\n");
  ServiceConfig c = LoadConfig(path, FakeEnv({{"ZHIPING_ADMIN_TOKEN", "s3cret"},
                                              {"ZHIPING_SIGN_KEY", "/env/key.pem"},
                                              {"ZHIPING_SIGN_CERT", "/env/cert.pem"}}));
  ASSERT_EQ(c.tokens.size(), 2u);
  EXPECT_EQ(c.tokens[0].name, "ops");
  EXPECT_EQ(c.tokens[1].name, "admin");
  EXPECT_EQ(c.tokens[1].digest, TokenDigest("s3cret"));
  EXPECT_EQ(c.tokens[1].roles, kAllRoles);
  EXPECT_EQ(c.sign_key, "/env/key.pem");
  EXPECT_EQ(c.sign_cert, "/env/cert.pem");

  ServiceConfig no_file = LoadConfig("", FakeEnv({{"ZHIPING_ADMIN_TOKEN", "s3cret"}}));
  ASSERT_EQ(no_file.tokens.size(), 1u);
  EXPECT_EQ(no_file.tokens[0].roles, kAllRoles);
}

// sign.seal_image is a path (relative to the file), ZHIPING_SEAL_IMAGE overrides it, and errors then name that.
TEST(ConfigTest, SealImageFromTheFileOrTheEnvironmentNamesItsSetting) {
  std::string path = WriteConfig("seal", "sign.seal_image = seals/office.png\n");
  std::string dir = Poco::Path(path).parent().toString();
  ServiceConfig c = LoadConfig(path, FakeEnv({}));
  EXPECT_EQ(c.seal_image, dir + "seals/office.png");
  EXPECT_EQ(c.seal_image_setting, "sign.seal_image");
  ServiceConfig e = LoadConfig(path, FakeEnv({{"ZHIPING_SEAL_IMAGE", "/env/seal.png"}}));
  EXPECT_EQ(e.seal_image, "/env/seal.png");
  EXPECT_EQ(e.seal_image_setting, "ZHIPING_SEAL_IMAGE");
}

// log.format / ZHIPING_LOG_FORMAT, log.time_zone_offset and service.instance / ZHIPING_INSTANCE (service_log.h).
TEST(ConfigTest, LogFormatOffsetAndInstanceFromTheFileOrTheEnvironment) {
  ServiceConfig d = LoadConfig("", FakeEnv({}));
  EXPECT_EQ(d.log_format, LogFormat::kText);
  EXPECT_EQ(d.log_utc_offset_minutes, 480);
  EXPECT_EQ(d.instance, "");
  EXPECT_EQ(LogOptionsFor(d).instance, HostName());  // several instances are told apart by host by default
  EXPECT_FALSE(HostName().empty());

  std::string path = WriteConfig("log", "log.format = json\nlog.time_zone_offset = -05:30\nservice.instance = zp-a\n");
  ServiceConfig c = LoadConfig(path, FakeEnv({}));
  EXPECT_EQ(c.log_format, LogFormat::kJson);
  EXPECT_EQ(c.log_utc_offset_minutes, -330);
  EXPECT_EQ(LogOptionsFor(c).instance, "zp-a");
  ServiceConfig e = LoadConfig(path, FakeEnv({{"ZHIPING_LOG_FORMAT", "text"}, {"ZHIPING_INSTANCE", "zp-b.2"}}));
  EXPECT_EQ(e.log_format, LogFormat::kText);
  EXPECT_EQ(e.instance, "zp-b.2");

  std::string bad = WriteConfig("log_bad", "log.format = xml\nlog.time_zone_offset = CST\nservice.instance = a b\n");
  try {
    LoadConfig(bad, FakeEnv({{"ZHIPING_LOG_FORMAT", "yaml"}, {"ZHIPING_INSTANCE", "x/y"}}));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::map<std::string, std::string> by_key;
    for (const auto& p : e.problems()) by_key[p.pointer] = p.rule;
    EXPECT_EQ(by_key.size(), 5u) << e.what();
    EXPECT_EQ(by_key["log.format"], "must be text or json");
    EXPECT_EQ(by_key["ZHIPING_LOG_FORMAT"], "must be text or json");
    EXPECT_NE(by_key["log.time_zone_offset"].find("+08:00"), std::string::npos);
    EXPECT_NE(by_key["service.instance"].find("instance name"), std::string::npos);
    EXPECT_NE(by_key["ZHIPING_INSTANCE"].find("instance name"), std::string::npos);
  }
}

TEST(ConfigTest, SameTokenTwiceIsAnError) {
  std::string path = WriteConfig("dup",
                                 "token.a.digest = " + std::string(kAbcDigest) + "\ntoken.a.roles = read\n"
                                 "token.b.digest = " + std::string(kAbcDigest) + "\ntoken.b.roles = render\n");
  EXPECT_THROW(LoadConfig(path, FakeEnv({})), Error);
}

TEST(TokenStoreTest, FindsByDigestOnly) {
  TokenStore store({{"ops", TokenDigest("ops-token"), kRoleRender}, {"abc", kAbcDigest, kRoleRead}});
  const TokenEntry* e = store.Find("ops-token");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->name, "ops");
  ASSERT_NE(store.Find("abc"), nullptr);
  EXPECT_EQ(store.Find("abc")->name, "abc");
  EXPECT_EQ(store.Find("ops-token "), nullptr);
  EXPECT_EQ(store.Find(""), nullptr);
  // The digest itself is not a token.
  EXPECT_EQ(store.Find(kAbcDigest), nullptr);
}

TEST(BearerTokenTest, ParsesTheScheme) {
  EXPECT_EQ(BearerToken("Bearer abc").value_or("?"), "abc");
  EXPECT_EQ(BearerToken("bearer   abc  ").value_or("?"), "abc");
  EXPECT_FALSE(BearerToken("Basic YWJjOmRlZg==").has_value());
  EXPECT_FALSE(BearerToken("Bearer").has_value());
  EXPECT_FALSE(BearerToken("Bearer ").has_value());
  EXPECT_FALSE(BearerToken("Bearerabc").has_value());
}

TEST(RouterTest, ResolvesParamsAnd404And405) {
  Router r;
  int hit = 0;
  r.Add({"GET", "/healthz", 0, [&](RequestContext&) { hit = 1; }});
  r.Add({"POST", "/v1/render/{template}", kRoleRender, [&](RequestContext&) { hit = 2; }});
  r.Add({"GET", "/v1/applicants/{id}/documents/{path...}", kRoleRead, [&](RequestContext&) { hit = 3; }});

  auto m = r.Resolve("POST", "/v1/render/review-form");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params["template"], "review-form");
  EXPECT_EQ(m.route->roles, kRoleRender);

  m = r.Resolve("GET", "/v1/applicants/ZG2022-1/documents/sub/dir/letter%20a.pdf");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params["id"], "ZG2022-1");
  EXPECT_EQ(m.params["path"], "sub/dir/letter a.pdf");

  m = r.Resolve("GET", "/v1/render/notice");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, std::vector<std::string>{"POST"});

  m = r.Resolve("POST", "/v1/render/");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allowed.empty());
  EXPECT_EQ(r.Resolve("POST", "/v1/render/a/b").route, nullptr);
  EXPECT_EQ(r.Resolve("GET", "/healthz/x").route, nullptr);
  EXPECT_EQ(r.Resolve("GET", "/").route, nullptr);
}

TEST(RequestLogTest, MasksIdNumbersAndNamesTheToken) {
  EXPECT_EQ(MaskIdNumbers("/v1/x/33010219800101123X/y"), "/v1/x/330102**********3X/y");
  EXPECT_EQ(MaskIdNumbers("id=330102800101123"), "id=330102*******23");
  EXPECT_EQ(MaskIdNumbers("/v1/applicants/ZG2022-000123"), "/v1/applicants/ZG2022-000123");
  std::string line = FormatRequestLine("POST", "/v1/render/33010219800101123X", 422, 12, "ops");
  EXPECT_NE(line.find("POST /v1/render/330102**********3X 422 12ms token=ops"), std::string::npos) << line;
  EXPECT_EQ(line.find("19800101"), std::string::npos);
  EXPECT_NE(FormatRequestLine("GET", "/healthz", 200, 0, "").find("token=-"), std::string::npos);
  EXPECT_NE(FormatRequestLine("GET", "/healthz", 200, 0, "", "abc-1").find("token=- rid=abc-1"), std::string::npos);
}

// A client's X-Request-Id is kept when it is a plain token; anything that could forge a log field is replaced.
TEST(RequestLogTest, RequestIdsAreTheClientsWhenPlainElseNew) {
  EXPECT_EQ(RequestId("req-42:a.b_c"), "req-42:a.b_c");
  for (const std::string& bad : {std::string(""), std::string("a b"), std::string("x\nGET / 200"),
                                 std::string(65, 'a'), std::string("名字")}) {
    const std::string id = RequestId(bad);
    EXPECT_EQ(id.size(), 16u) << bad;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  }
  EXPECT_NE(RequestId(""), RequestId(""));
}

TEST(ContentTypeTest, AcceptsJsonWithUtf8Charset) {
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType("application/json; charset=utf-8"));
  EXPECT_TRUE(IsJsonContentType("Application/JSON;charset=UTF-8"));
  EXPECT_FALSE(IsJsonContentType("application/json; charset=gbk"));
  EXPECT_FALSE(IsJsonContentType("text/plain"));
  EXPECT_FALSE(IsJsonContentType("application/jsonp"));
  EXPECT_FALSE(IsJsonContentType(""));
}

TEST(ProblemJsonTest, MapsErrorKindsToStatus) {
  EXPECT_EQ(ProblemFor(Error(ErrorKind::kInvalidInput, "malformed JSON: x", {{"", "malformed JSON: x"}})).status,
            400);
  HttpProblem invalid = ProblemFor(Error(ErrorKind::kInvalidInput, "2 problems",
                                         {{"/applicants/0/name", "is required"}, {"/batch/year", "is required"}}));
  EXPECT_EQ(invalid.status, 422);
  std::string json = ProblemJson(invalid, Lang::kEn);
  EXPECT_NE(json.find("\"type\":\"urn:zhiping:problem:invalid-data\""), std::string::npos) << json;
  // A problem of a stage without codes is free text (code "text"), shown as written in either language.
  EXPECT_NE(json.find("{\"pointer\":\"/applicants/0/name\",\"code\":\"text\",\"rule\":\"is required\","),
            std::string::npos)
      << json;
  EXPECT_NE(ProblemJson(invalid, Lang::kZh).find("\"title\":\"数据有误\""), std::string::npos);
  EXPECT_NE(json.find("\"status\":422"), std::string::npos);
  EXPECT_EQ(ProblemFor(Error(ErrorKind::kNotFound, "x")).status, 404);
  EXPECT_EQ(ProblemFor(Error(ErrorKind::kTemplate, "notice.tmpl:3: bad")).status, 500);
  EXPECT_EQ(ProblemFor(Error(ErrorKind::kFont, "no font")).status, 500);
  EXPECT_EQ(ProblemFor(Error(ErrorKind::kInternal, "x")).status, 500);
  EXPECT_EQ(ProblemJson(HttpProblem{404, "not-found", "", "no route /x", {}, {}}).find("errors"), std::string::npos);
}

}  // namespace
}  // namespace zhiping::service

namespace zhiping::service {
namespace {

// No answer carries a server path or internal text: 5xx details are fixed sentences, 503 says when to come back,
// and a 404/409 text that names a server path is replaced too. Client-facing texts without paths are kept.
TEST(ProblemJsonTest, DetailsNeverCarryServerPathsOrInternalText) {
  const std::string secret = "/srv/zhiping/archive/.zhiping/workspace/x1: No space left on device";
  for (ErrorKind kind : {ErrorKind::kUnavailable, ErrorKind::kTemplate, ErrorKind::kFont, ErrorKind::kInternal,
                         ErrorKind::kNotFound, ErrorKind::kConflict}) {
    HttpProblem p = ProblemFor(Error(kind, "cannot write " + secret));
    EXPECT_EQ(p.detail.find("/srv"), std::string::npos) << p.status << ": " << p.detail;
    EXPECT_EQ(p.detail.find("space"), std::string::npos) << p.status << ": " << p.detail;
    EXPECT_FALSE(p.detail.empty());
  }
  HttpProblem full = ProblemFor(Error(ErrorKind::kUnavailable, "the archive's disk is full"));
  EXPECT_EQ(full.status, 503);
  ASSERT_EQ(full.headers.size(), 1u);
  EXPECT_EQ(full.headers[0].first, "Retry-After");
  EXPECT_EQ(ProblemFor(Error(ErrorKind::kTemplate, "notice.tmpl:3: bad")).detail.find("notice.tmpl"),
            std::string::npos);
  // Texts meant for the client stay as they are.
  EXPECT_EQ(ProblemFor(Error(ErrorKind::kNotFound, "no file letter/a.pdf in ZG2022-1")).detail,
            "no file letter/a.pdf in ZG2022-1");
  EXPECT_EQ(ProblemFor(Error(ErrorKind::kConflict, "job 7 is running")).detail, "job 7 is running");
}

}  // namespace
}  // namespace zhiping::service

namespace zhiping::service {
namespace {

// The one mapping (common/error.h): a kind means the same HTTP status in every answer, and the same exit status on
// the command line, where bad input is 2 and everything else 1.
TEST(ProblemJsonTest, EveryKindHasOneStatusOnBothSides) {
  const struct {
    ErrorKind kind;
    int http;
    int exit;
  } rows[] = {
      {ErrorKind::kInvalidInput, 422, 2}, {ErrorKind::kNotFound, 404, 1}, {ErrorKind::kConflict, 409, 1},
      {ErrorKind::kUnavailable, 503, 1},  {ErrorKind::kTemplate, 500, 1}, {ErrorKind::kFont, 500, 1},
      {ErrorKind::kInternal, 500, 1},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(HttpStatusFor(row.kind), row.http) << static_cast<int>(row.kind);
    EXPECT_EQ(ExitCodeFor(row.kind), row.exit) << static_cast<int>(row.kind);
    EXPECT_EQ(ProblemFor(Error(row.kind, "just text")).status, row.http) << static_cast<int>(row.kind);
  }
}

// Whatever a handler throws, the dispatcher answers with one problem and logs what the answer does not say.
TEST(ProblemJsonTest, EveryExceptionBecomesOneProblem) {
  auto answer = [](auto thrower, std::string* log) {
    try {
      thrower();
    } catch (...) {
      return ProblemForCurrentException(log);
    }
    ADD_FAILURE() << "nothing thrown";
    return HttpProblem{};
  };
  std::string log;
  HttpProblem p = answer([] { throw HttpError(413, "body-too-large", "too large"); }, &log);
  EXPECT_EQ(p.status, 413);
  EXPECT_EQ(p.slug, "body-too-large");
  EXPECT_EQ(log, "");
  p = answer([] { throw Error(ErrorKind::kInvalidInput, "bad", {{"/batch/id", "is required"}}); }, &log);
  EXPECT_EQ(p.status, 422);
  EXPECT_EQ(log, "");  // the client's own mistake, fully told
  p = answer([] { throw Error(ErrorKind::kInternal, "disk /srv/x/y broke for 330102199001011234"); }, &log);
  EXPECT_EQ(p.status, 500);
  EXPECT_EQ(p.detail.find("/srv"), std::string::npos) << p.detail;
  EXPECT_NE(log.find("disk /srv/x/y broke"), std::string::npos) << log;
  EXPECT_EQ(log.find("330102199001011234"), std::string::npos) << "id numbers are masked in the log: " << log;
  p = answer([] { throw std::runtime_error("boom"); }, &log);
  EXPECT_EQ(p.status, 500);
  EXPECT_EQ(p.slug, "internal");
  EXPECT_NE(log.find("boom"), std::string::npos);
  p = answer([] { throw 42; }, &log);
  EXPECT_EQ(p.status, 500);
  EXPECT_NE(log, "");
}

}  // namespace
}  // namespace zhiping::service
