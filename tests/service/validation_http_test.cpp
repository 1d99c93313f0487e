// Hostile bodies against a real server on 127.0.0.1: every answer is a short, valid problem+json document — a
// scalar body is 422 with a sentence, malformed JSON is 400 with line and column, a million bad elements give 100
// problems and the count of the rest, raw bytes never reach a detail, invisible characters are refused in PDFs
// and (streamed) rosters alike.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <sstream>

#include "common/json.h"
#include "common/utf8.h"
#include "render/renderer.h"
#include "service/config.h"
#include "service/http_server.h"
#include "service/routes.h"
#include "../support/resource_bounds.h"
#include "support/files.h"
#include "support/http_client.h"
#include "support/json_edit.h"
#include "support/repo_renderer.h"
#include "support/samples.h"

namespace zhiping::service {
namespace {

const char kToken[] = "validation-token-789";
const char* const kTemplates[] = {"notice", "report", "letter", "review-form", "roster-summary",
                                  "roster-qualification", "roster-results"};

using Reply = zhiping::testing::TestReply;

class ValidationHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    signal(SIGPIPE, SIG_IGN);
    renderer_ = new render::Renderer(zhiping::testing::RepoRendererConfig());
    ServiceConfig config;
    config.bind = "127.0.0.1";
    config.port = 0;
    config.body_limit = 8 * 1024 * 1024;  // room for the 3 MB million-element notice
    config.roster_body_limit = 8 * 1024 * 1024;
    config.request_timeout_seconds = 60;
    config.tokens = {{"ops", TokenDigest(kToken), kRoleRender}};
    service_ = new HttpService(config, MakeRouter(*renderer_));
    service_->Start();
  }
  static void TearDownTestSuite() {
    delete service_;
    delete renderer_;
  }

  // These tests check the English texts scripts matched before the answers spoke Chinese (Accept-Language: en);
  // PostIn sends another Accept-Language, or none ("").
  static Reply Post(const std::string& template_name, const std::string& body) {
    return PostIn("en", template_name, body);
  }
  static Reply PostIn(const std::string& accept_language, const std::string& template_name, const std::string& body) {
    zhiping::testing::RequestOptions options;
    if (!accept_language.empty()) options.headers["Accept-Language"] = accept_language;
    return zhiping::testing::SendTestRequest(service_->port(), "POST", "/v1/render/" + template_name, kToken, body,
                                             options);
  }

  // The answer is a problem+json document of valid UTF-8 with this status.
  static Poco::JSON::Object::Ptr Problem(const Reply& r, int status) { return zhiping::testing::ExpectProblem(r, status); }

  static std::string Sample(const std::string& name) { return zhiping::testing::Sample(name); }

  // A sample with the string at `pointer` set to `value`, as JSON text.
  static std::string SampleWith(const std::string& name, const std::string& pointer, const std::string& value) {
    return zhiping::testing::WithString(Sample(name), pointer, value);
  }

  static render::Renderer* renderer_;
  static HttpService* service_;
};

render::Renderer* ValidationHttpTest::renderer_ = nullptr;
HttpService* ValidationHttpTest::service_ = nullptr;

TEST_F(ValidationHttpTest, ScalarBodiesAre422WithASentence) {
  for (const char* name : kTemplates) {
    for (const char* body : {"null", "123", "\"s\"", "true", " [1] "}) {
      auto p = Problem(Post(name, body), 422);
      auto errors = p->getArray("errors");
      ASSERT_TRUE(errors && errors->size() == 1) << name << " " << body;
      EXPECT_EQ(errors->getObject(0)->getValue<std::string>("pointer"), "");
      EXPECT_EQ(errors->getObject(0)->getValue<std::string>("rule"), "must be a JSON object") << name << body;
    }
  }
}

TEST_F(ValidationHttpTest, MalformedJsonIs400WithLineAndColumn) {
  struct Case {
    const char* template_name;
    std::string body;
    std::string detail;
  };
  const Case cases[] = {
      {"notice", "{\n  \"batch\": {\n    \"id\": \"x\",,\n", "malformed JSON at line 3, column 15: "},
      {"letter", "{\"batch\": 1} trailing", "malformed JSON at line 1, column 14: "},
      // Rosters are scanned and parsed piece by piece: positions still count in the whole body.
      {"roster-summary", "{\"batch\": {},\n \"applicants\": [{}, {\"id\": 1 2}]}", "malformed JSON at line 2, column 30: "},
      {"roster-summary", "{\"batch\": {},\n \"applicants\": [{}, ]}", "malformed JSON at line 2, column 21: "},
      {"roster-results", "{\"batch\": {} \"x\": 1, \"applicants\": []}", "malformed JSON at line 1, column 14: "},
      {"roster-results", "[1, 2", "malformed JSON at line 1, column 6: "},
  };
  for (const Case& c : cases) {
    auto p = Problem(Post(c.template_name, c.body), 400);
    EXPECT_EQ(p->getValue<std::string>("type"), "urn:zhiping:problem:malformed-json");
    EXPECT_EQ(p->getValue<std::string>("detail").rfind(c.detail, 0), 0u)
        << c.template_name << ": " << p->getValue<std::string>("detail");
  }
}

TEST_F(ValidationHttpTest, RawBytesNeverReachTheAnswer) {
  for (const std::string body : {"{\"batch\": \xFF\xFE}", "{\"batch\": {\"title\": \"\xE9\x22}}",
                                 "{\"batch\": \"\x01\"}"}) {
    for (const char* name : {"notice", "roster-summary"}) {
      auto p = Problem(Post(name, body), 400);
      EXPECT_NE(p->getValue<std::string>("detail").find("line 1, column"), std::string::npos);
    }
  }
}

// The sample with its applicants (its last member) replaced by `count` empty objects.
std::string WithEmptyApplicants(const std::string& sample, size_t count) {
  std::string text = sample.substr(0, sample.find("\"applicants\"")) + "\"applicants\": [{}";
  text.reserve(text.size() + 3 * count);
  for (size_t i = 1; i < count; ++i) text += ",{}";
  return text + "]}";
}

TEST_F(ValidationHttpTest, AMillionEmptyApplicantsAreAShortAnswerInBoundedTime) {
  const std::string text = WithEmptyApplicants(Sample("notice"), 1000000);
  const auto start = std::chrono::steady_clock::now();
  Reply r = Post("notice", text);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto p = Problem(r, 422);
  EXPECT_LT(seconds, 20.0 * zhiping::testing::kTimeScale);
  EXPECT_LT(r.body.size(), 32u * 1024) << "bytes";
  EXPECT_EQ(p->getArray("errors")->size(), kMaxProblems);
  EXPECT_EQ(p->getValue<Poco::UInt64>("total"), 4000001u);
  EXPECT_EQ(p->getValue<Poco::UInt64>("omitted"), 4000001u - kMaxProblems);
  EXPECT_EQ(p->getValue<std::string>("detail").rfind("4000001 problems in the request body (the first 100", 0), 0u)
      << p->getValue<std::string>("detail");
}

TEST_F(ValidationHttpTest, ARosterOfBadApplicantsIsCutToo) {
  auto p = Problem(Post("roster-summary", WithEmptyApplicants(Sample("roster-summary"), 300000)), 422);
  auto errors = p->getArray("errors");
  EXPECT_EQ(errors->size(), kMaxProblems);
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("pointer"), "/applicants");
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("rule"), "must have at most 100000 entries (has 300000)");
  EXPECT_EQ(errors->getObject(1)->getValue<std::string>("pointer"), "/applicants/0/id");
  // id, name, gender, id_number, unit, phone, current_title for each of the first 250,000 (the rest are counted
  // for the list's problem, not held: model::LazyBody::kMaxLocatedElements); and the list over 100,000.
  EXPECT_EQ(p->getValue<Poco::UInt64>("total"), 1u + 7u * 250000u);
}

// Chinese by default: title, detail, each rule and the place with the person's name; English for
// Accept-Language: en; the pointer and the code in both.
TEST_F(ValidationHttpTest, ProblemsAreChineseByDefaultAndEnglishOnRequest) {
  std::string body = SampleWith("notice", "/applicants/0/id_number", "110105194912310021");
  const std::string name = zhiping::StringAt(zhiping::ParseJson(body), "/applicants/0/name");
  ASSERT_FALSE(name.empty());
  for (const char* accept : {"", "zh-CN,zh;q=0.9,en;q=0.8", "de"}) {
    SCOPED_TRACE(accept);
    Reply r = PostIn(accept, "notice", body);
    auto p = Problem(r, 422);
    EXPECT_EQ(r.headers.get("Content-Language", ""), "zh-CN");
    EXPECT_EQ(p->getValue<std::string>("title"), "数据有误");
    EXPECT_EQ(p->getValue<std::string>("detail"), "请求数据中有 1 个问题；请全部改正后再提交");
    auto e = p->getArray("errors")->getObject(0);
    EXPECT_EQ(e->getValue<std::string>("pointer"), "/applicants/0/id_number");
    EXPECT_EQ(e->getValue<std::string>("code"), "id-number.checksum");
    EXPECT_EQ(e->getValue<std::string>("rule"), "校验位应为 X");
    EXPECT_EQ(e->getValue<std::string>("place"), "第 1 位申报人（" + name + "）身份证号");
    EXPECT_EQ(e->getValue<std::string>("message"), "第 1 位申报人（" + name + "）身份证号：校验位应为 X");
  }
  for (const char* accept : {"en", "en-US,en;q=0.9", "zh;q=0.2, en;q=0.8"}) {
    SCOPED_TRACE(accept);
    Reply r = PostIn(accept, "notice", body);
    auto p = Problem(r, 422);
    EXPECT_EQ(r.headers.get("Content-Language", ""), "en");
    EXPECT_EQ(p->getValue<std::string>("title"), "Invalid data");
    EXPECT_EQ(p->getValue<std::string>("detail"), "1 problem in the request body; fix all of them and send it again");
    auto e = p->getArray("errors")->getObject(0);
    EXPECT_EQ(e->getValue<std::string>("code"), "id-number.checksum");
    EXPECT_EQ(e->getValue<std::string>("rule"), "checksum digit should be X");
    EXPECT_EQ(e->getValue<std::string>("message"), "/applicants/0/id_number: checksum digit should be X");
    EXPECT_EQ(e->getValue<std::string>("place"), "第 1 位申报人（" + name + "）身份证号") << "the clerk's place, always";
  }
  // A roster is validated element by element from the text (LazyBody): its problems name the person too.
  std::string roster = SampleWith("roster-summary", "/applicants/1/phone", "call me");
  const std::string second = zhiping::StringAt(zhiping::ParseJson(roster), "/applicants/1/name");
  auto e = Problem(PostIn("", "roster-summary", roster), 422)->getArray("errors")->getObject(0);
  EXPECT_EQ(e->getValue<std::string>("message"), "第 2 位申报人（" + second + "）联系电话：应为电话号码：7 至 20 位数字，可带 +、-、空格或括号");
}

TEST_F(ValidationHttpTest, MalformedGbkAndBomBodiesInChinese) {
  auto malformed = Problem(PostIn("", "letter", "{\n  \"batch\": {\n    \"id\": \"x\" \"year\": 2022 }\n}"), 400);
  EXPECT_EQ(malformed->getValue<std::string>("title"), "JSON 格式有误");
  EXPECT_EQ(malformed->getValue<std::string>("detail"), "第 3 行第 15 列：JSON 格式有误，成员后面应为 ',' 或 '}'，实际是 '\"'");
  const std::string gbk = zhiping::testing::ToGb18030(Sample("letter"));  // saved as "ANSI" on a Chinese Windows
  auto refused = Problem(PostIn("", "letter", gbk), 400);
  EXPECT_NE(refused->getValue<std::string>("detail").find("请另存为 UTF-8 编码后再提交"), std::string::npos)
      << refused->getValue<std::string>("detail");
  auto english = Problem(PostIn("en", "letter", gbk), 400);
  EXPECT_NE(english->getValue<std::string>("detail").find("save it as UTF-8"), std::string::npos);
  // A byte-order mark is read past, for a body parsed whole and for a roster read piece by piece.
  for (const char* name : {"letter", "roster-summary"}) {
    Reply ok = PostIn("", name, "\xEF\xBB\xBF" + Sample(name));
    EXPECT_EQ(ok.status, 200) << name << ": " << ok.body.substr(0, 300);
  }
}

TEST_F(ValidationHttpTest, HugeVotesAre422NotZero) {
  // Set as text: the literal itself must reach the server (a parsed body could not even hold it).
  std::string body = Sample("review-form");
  const std::string votes = "\"for\": 11,";
  ASSERT_NE(body.find(votes), std::string::npos);
  body.replace(body.find(votes), votes.size(), "\"for\": 18446744073709551616,");
  auto p = Problem(Post("review-form", body), 422);
  auto e = p->getArray("errors")->getObject(0);
  EXPECT_EQ(e->getValue<std::string>("pointer"), "/applicant/opinions/committee/votes/for");
  EXPECT_EQ(e->getValue<std::string>("rule"), "must be between 0 and 100000");
}

TEST_F(ValidationHttpTest, InvisibleCharactersAreRefusedInPdfsAndRosters) {
  struct Case {
    const char* template_name;
    const char* pointer;
  };
  const Case cases[] = {{"notice", "/applicants/0/name"},      {"letter", "/applicant/unit"},
                        {"roster-summary", "/applicants/3/name"}, {"roster-results", "/applicants/0/unit"},
                        {"roster-qualification", "/applicants/1/name"}};
  for (const Case& c : cases) {
    for (const std::string value : {"张\u200B三", "\u202E三张", "\u3164", "\u0301张三", "张\u2066三\u2069"}) {
      auto p = Problem(Post(c.template_name, SampleWith(c.template_name, c.pointer, value)), 422);
      auto errors = p->getArray("errors");
      std::ostringstream all;
      errors->stringify(all);
      ASSERT_EQ(errors->size(), 1u) << c.template_name << " " << SanitizeText(value) << ": " << all.str();
      EXPECT_EQ(errors->getObject(0)->getValue<std::string>("pointer"), c.pointer);
      std::u32string rule;
      ASSERT_TRUE(DecodeUtf8(errors->getObject(0)->getValue<std::string>("rule"), &rule));
      for (char32_t cp : rule) EXPECT_FALSE(IsInvisible(cp)) << c.template_name;
    }
  }
}

}  // namespace
}  // namespace zhiping::service
