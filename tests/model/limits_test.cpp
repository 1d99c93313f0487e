// Hostile bodies: lists of problems that stay short however bad the body, numbers out of range whatever their
// size, and characters that would print as nothing or reorder a name — in PDF bodies and rosters alike.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>

#include "common/json.h"
#include "common/utf8.h"
#include "test_body.h"
#include "../support/resource_bounds.h"

namespace zhiping::model::testing {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// --- problem lists are cut ---

// A notice whose applicants are `count` empty objects: 4 problems each (id, name, unit, current_title), plus one
// at the list when it is over 20,000.
std::string EmptyApplicantsNotice(size_t count) {
  Var valid = ValidNotice();
  Object::Ptr root = valid.extract<Object::Ptr>();
  root->set("applicants", Array::Ptr(new Array));
  std::ostringstream text;
  root->stringify(text);
  std::string s = text.str();
  const std::string empty_list = "\"applicants\":[]";
  size_t at = s.find(empty_list);
  std::string list = "\"applicants\":[";
  list.reserve(count * 3 + 32);
  for (size_t i = 0; i < count; ++i) list += i ? ",{}" : "{}";
  list += "]";
  return s.replace(at, empty_list.size(), list);
}

long MaxRssKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(model_Limits, AMillionEmptyApplicantsGiveAShortListAndTheCount) {
  const std::string text = EmptyApplicantsNotice(1000000);  // 3 MB
  const auto start = std::chrono::steady_clock::now();
  Var body = ParseJson(text);
  const long after_parse = MaxRssKiB();
  Problems ps = Validate("notice", body);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  ASSERT_EQ(ps.size(), kMaxProblems + 1) << Describe(ps);
  EXPECT_EQ(ps[0].pointer, "/applicants");
  EXPECT_NE(ps[0].rule.find("at most 20000 entries (has 1000000)"), std::string::npos);
  EXPECT_EQ(ps[1].pointer, "/applicants/0/id");
  EXPECT_EQ(ProblemTotal(ps), 4000001u);
  EXPECT_EQ(ps.back().rule, "… and 3,999,901 more problems (only the first 100 are listed)");
  EXPECT_LT(seconds, 20.0 * zhiping::testing::kTimeScale);
  // Validation adds nothing per problem on top of the parsed tree (it held 4 million strings before).
  EXPECT_LT(MaxRssKiB() - after_parse, zhiping::testing::MemoryBoundKiB(64 * 1024)) << "KiB";
}

TEST(model_Limits, RostersListTheFirstProblemsInDocumentOrder) {
  // Results checked before the applicants (render checks them on another schedule): still the first 100 listed
  // are the first in the document, and all are counted.
  const size_t applicants = 150000, results = 3000;
  Var envelope = Parse(R"({"batch": {"id": "b", "year": 2022, "title": "高级政工师"}, "applicants": [], "results": []})");
  RosterValidation v("roster-results", ValidationContext{"2022-12-31"});
  v.Envelope(envelope, applicants);
  v.Results(results);
  Var empty = Parse("{}");
  for (size_t i = results; i-- > 0;) v.Result(i, empty);
  for (size_t i = 0; i < applicants; ++i) v.Applicant(i, empty);
  EXPECT_EQ(v.problem_count(), 1 + 3 * applicants + results);
  Problems ps = v.Finish();
  ASSERT_EQ(ps.size(), kMaxProblems + 1) << Describe(ps);
  EXPECT_EQ(ps[0].pointer, "/applicants");  // over kMaxRosterRows
  EXPECT_EQ(ps[1].pointer, "/applicants/0/id");
  EXPECT_EQ(ps[2].pointer, "/applicants/0/name");
  EXPECT_EQ(ps[99].pointer, "/applicants/32/unit");
  EXPECT_EQ(ProblemTotal(ps), 1 + 3 * applicants + results);
}

TEST(model_Limits, AFewProblemsAreAllListed) {
  Var body = ValidNotice();
  for (int i = 0; i < 2; ++i) RemoveAt(body, "/applicants/" + std::to_string(i) + "/name");
  Problems ps = Validate("notice", body);
  EXPECT_EQ(ps.size(), 2u) << Describe(ps);
  EXPECT_EQ(OmittedProblems(ps), 0u);
}

// Numbers out of range whatever their size: rows Numbers_* of validate_test.cpp's table.

// --- characters ---

std::string U(char32_t cp) {
  std::string s;
  AppendUtf8(cp, &s);
  return s;
}

// Names with a character that prints as nothing, reorders the text or has nothing to sit on.
struct BadText {
  std::string value;
  std::string says;
};
std::vector<BadText> BadTexts() {
  std::vector<BadText> out;
  for (char32_t cp : {0x200Bu, 0x200Cu, 0x200Du, 0x2060u, 0xFEFFu, 0x00ADu, 0x180Eu}) {
    out.push_back({"张" + U(cp) + "三", "invisible format character"});
  }
  for (char32_t cp : {0x200Eu, 0x200Fu, 0x202Au, 0x202Bu, 0x202Cu, 0x202Du, 0x202Eu, 0x2066u, 0x2067u, 0x2068u,
                      0x2069u, 0x061Cu}) {
    out.push_back({"张三" + U(cp), "text direction control"});
  }
  for (char32_t cp : {0x3164u, 0x115Fu, 0x1160u, 0xFFA0u}) out.push_back({U(cp), "invisible filler"});
  out.push_back({"张" + U(0xFE0F), "variation selector"});
  out.push_back({"张" + U(0xE0041), "invisible"});                       // a tag character
  out.push_back({U(0x0301) + "张三", "combining mark without a character before it"});
  out.push_back({"张 " + U(0x20DD), "combining mark without a character before it"});
  out.push_back({U(0x3000) + U(0x3000), "must not be empty"});          // ideographic spaces only
  return out;
}

TEST(model_Characters, InvisibleAndDirectionCharactersAreRefusedInPrintedFields) {
  struct Field {
    std::string kind;
    std::string pointer;
  };
  const Field fields[] = {
      {"notice", "/applicants/0/name"},          {"notice", "/applicants/0/unit"},
      {"notice", "/batch/title"},                {"notice", "/batch/office/name"},
      {"letter", "/applicant/name"},             {"review-form", "/applicant/post"},
      {"roster-summary", "/applicants/1/name"},  {"roster-summary", "/applicants/1/unit"},
      {"roster-results", "/applicants/0/name"},  {"report", "/committee/signer"},
  };
  for (const Field& f : fields) {
    for (const BadText& bad : BadTexts()) {
      Var body = f.kind == "notice" ? ValidNotice() : f.kind == "letter" ? ValidLetter() : SampleJson(f.kind);
      SetAt(body, f.pointer, Var(bad.value));
      Problems ps = Validate(f.kind, body);
      ASSERT_EQ(ps.size(), 1u) << f.kind << " " << f.pointer << " " << SanitizeText(bad.value) << Describe(ps);
      EXPECT_EQ(ps[0].pointer, f.pointer);
      EXPECT_NE(ps[0].rule.find(bad.says), std::string::npos) << ps[0].rule;
      std::u32string cps;
      EXPECT_TRUE(DecodeUtf8(ps[0].rule, &cps));
      for (char32_t cp : cps) EXPECT_FALSE(IsInvisible(cp)) << "the rule quotes " << DescribeCodePoint(cp);
    }
  }
}

TEST(model_Characters, FreeTextRefusesThemTooButKeepsLineBreaks) {
  const std::string pointer = "/applicant/opinions/unit/text";
  for (const BadText& bad : BadTexts()) {
    if (bad.says == "must not be empty") continue;
    Var body = SampleJson("review-form");
    SetAt(body, pointer, Var("同意推荐。\n" + bad.value));
    EXPECT_ONLY_PROBLEM(Validate("review-form", body), pointer, bad.says);
  }
  Var body = SampleJson("review-form");
  SetAt(body, pointer, Var(std::string("同意推荐。\n该同志表现突出。")));
  EXPECT_TRUE(Validate("review-form", body).empty());
}

TEST(model_Characters, RealNamesStayAllowed) {
  for (const std::string& name : std::vector<std::string>{"吉𠮷", "王䶮", "阿卜杜·热合曼", "张　三", "Zoe" + U(0x0308), "Nguyễn Văn An",
                                 "ལྷ་མོ་", "迪丽热巴" + std::string(" ") + "迪力木拉提"}) {
    Var body = ValidNotice();
    SetAt(body, "/applicants/0/name", Var(name));
    Problems ps = Validate("notice", body);
    EXPECT_TRUE(ps.empty()) << name << Describe(ps);
  }
}

}  // namespace
}  // namespace zhiping::model::testing
