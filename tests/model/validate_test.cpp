// One test per rule: a valid body with exactly one thing broken must give exactly one problem, at the right place,
// saying what is wrong.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "common/json.h"
#include "model/id_number.h"
#include "model/validate.h"
#include "test_body.h"
#include "test_images.h"

namespace zhiping::model::testing {
namespace {

using Poco::Dynamic::Var;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// --- the body as a whole ---

TEST(model_Body, NotAnObjectIsOneProblemAtTheRoot) {
  // Poco's parser accepts only objects and arrays at the top; scalars can still arrive from code.
  for (const Var& body : {Parse("[1, 2]"), Var(std::string("text")), Var(42), Var(), Var(true)}) {
    EXPECT_ONLY_PROBLEM(Validate("notice", body), "", "must be a JSON object");
  }
}

TEST(model_Body, UnknownTemplateIsNotFound) {
  try {
    Validate("certificate", ValidNotice());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(e.what()).find("certificate"), std::string::npos);
  }
}

TEST(model_Body, ValidBodiesHaveNoProblems) {
  EXPECT_TRUE(Validate("notice", ValidNotice()).empty()) << Describe(Validate("notice", ValidNotice()));
  EXPECT_TRUE(Validate("letter", ValidLetter()).empty()) << Describe(Validate("letter", ValidLetter()));
}

TEST(model_Body, UnknownKeysAreIgnored) {
  Var body = ValidNotice();
  SetAt(body, "/comment", Parse(R"({"anything": [1, "two", null]})"));
  SetAt(body, "/applicants/0/nickname", Var(std::string("小吉")));
  EXPECT_TRUE(Validate("notice", body).empty());
}

TEST(model_Body, OptionalMembersMayBeNull) {
  Var body = ValidNotice();
  SetAt(body, "/notice/doc_no", Var());
  SetAt(body, "/applicants/0/gender", Var());
  EXPECT_TRUE(Validate("notice", body).empty()) << Describe(Validate("notice", body));
}

TEST(model_Body, AllProblemsAreReportedAtOnce) {
  Var body = SampleJson("roster-summary");
  RemoveAt(body, "/batch/id");                                                 // required
  SetAt(body, "/batch/year", Var(std::string("2022")));                        // type
  SetAt(body, "/applicants/2/gender", Var(std::string("M")));                  // enumeration
  SetAt(body, "/applicants/5/birth", Var(std::string("1980-02-30")));          // calendar
  SetAt(body, "/applicants/7/name", Var(Repeat("长", 51)));                    // length
  Problems ps = Validate("roster-summary", body);
  ASSERT_EQ(ps.size(), 5u) << Describe(ps);
  EXPECT_EQ(ps[0].pointer, "/batch/id");
  EXPECT_EQ(ps[1].pointer, "/batch/year");
  EXPECT_EQ(ps[2].pointer, "/applicants/2/gender");
  EXPECT_EQ(ps[3].pointer, "/applicants/5/birth");
  EXPECT_EQ(ps[4].pointer, "/applicants/7/name");
}

// --- required members, per template ---

TEST(model_Required, BatchIdEverywhere) {
  Var body = SampleJson("report");
  RemoveAt(body, "/batch/id");
  EXPECT_ONLY_PROBLEM(Validate("report", body), "/batch/id", "required");
}

TEST(model_Required, BatchItself) {
  Var body = SampleJson("roster-summary");
  RemoveAt(body, "/batch");
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/batch", "required");
}

TEST(model_Required, OfficeNameForNotice) {
  Var body = ValidNotice();
  RemoveAt(body, "/batch/office/name");
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/batch/office/name", "required");
}

TEST(model_Required, NoticeIssuedAndPeriod) {
  Var body = ValidNotice();
  RemoveAt(body, "/notice/issued");
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/notice/issued", "required");
  body = ValidNotice();
  RemoveAt(body, "/notice/period/end");
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/notice/period/end", "required");
}

TEST(model_Required, NoticeApplicantCurrentTitle) {
  Var body = ValidNotice();
  RemoveAt(body, "/applicants/1/current_title/name");
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/1/current_title/name", "required");
}

TEST(model_Required, NoticeOptionalDocNoAndTitle) {
  Var body = ValidNotice();
  RemoveAt(body, "/notice/doc_no");
  EXPECT_TRUE(Validate("notice", body).empty());
}

TEST(model_Required, EmptyStringIsNotEnough) {
  Var body = ValidNotice();
  SetAt(body, "/applicants/0/unit", Var(std::string("  ")));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/0/unit", "must not be empty");
}

TEST(model_Required, ReportCommitteeSigner) {
  Var body = SampleJson("report");
  RemoveAt(body, "/committee/signer");
  EXPECT_ONLY_PROBLEM(Validate("report", body), "/committee/signer", "required");
}

TEST(model_Required, ReportDocNoButNotAddressee) {
  Var body = SampleJson("report");
  RemoveAt(body, "/report/addressee");
  EXPECT_TRUE(Validate("report", body).empty());
  RemoveAt(body, "/report/doc_no");
  EXPECT_ONLY_PROBLEM(Validate("report", body), "/report/doc_no", "required");
}

TEST(model_Required, ReviewFormFullApplicant) {
  for (const char* field : {"/applicant/birth", "/applicant/work_start", "/applicant/education/level",
                            "/applicant/current_title/since", "/applicant/political_status"}) {
    Var body = SampleJson("review-form");
    RemoveAt(body, field);
    EXPECT_ONLY_PROBLEM(Validate("review-form", body), field, "required");
  }
}

TEST(model_Required, ReviewFormPhotoIsOptional) {
  Var body = SampleJson("review-form");
  RemoveAt(body, "/applicant/photo");
  EXPECT_TRUE(Validate("review-form", body).empty());
}

TEST(model_Required, RosterSummaryIdNumber) {
  Var body = SampleJson("roster-summary");
  RemoveAt(body, "/applicants/4/id_number");
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/applicants/4/id_number", "required");
}

TEST(model_Required, RosterApplicantsNotEmpty) {
  Var body = SampleJson("roster-qualification");
  SetAt(body, "/applicants", Var(Poco::JSON::Array::Ptr(new Poco::JSON::Array)));
  EXPECT_ONLY_PROBLEM(Validate("roster-qualification", body), "/applicants", "must not be empty");
}

TEST(model_Required, RosterResultsNeedsResults) {
  Var body = SampleJson("roster-results");
  RemoveAt(body, "/results");
  EXPECT_ONLY_PROBLEM(Validate("roster-results", body), "/results", "required");
}

TEST(model_Required, LetterSeniorReviewDecision) {
  Var body = ValidLetter();
  RemoveAt(body, "/result/senior_review/passed");
  EXPECT_ONLY_PROBLEM(Validate("letter", body), "/result/senior_review/passed", "required");
}

TEST(model_Required, LetterQualifiedFromWhenPassed) {
  Var body = ValidLetter();
  RemoveAt(body, "/result/qualified_from");
  EXPECT_ONLY_PROBLEM(Validate("letter", body), "/result/qualified_from", "when /result/senior_review/passed");
  SetAt(body, "/result/senior_review/passed", Var(false));
  EXPECT_TRUE(Validate("letter", body).empty());
}

TEST(model_Required, LetterIssuedButNotNumber) {
  Var body = ValidLetter();
  RemoveAt(body, "/letter/no");
  EXPECT_TRUE(Validate("letter", body).empty());
  RemoveAt(body, "/letter/issued");
  EXPECT_ONLY_PROBLEM(Validate("letter", body), "/letter/issued", "required");
}

TEST(model_Required, BulkItemResult) {
  Var body = SampleJson("bulk-letters");
  RemoveAt(body, "/items/3/result");
  EXPECT_ONLY_PROBLEM(Validate("bulk-letters", body), "/items/3/result", "required");
}

// --- types ---

TEST(model_Types, IntegerGivenAsString) {
  Var body = SampleJson("roster-summary");
  SetAt(body, "/batch/year", Var(std::string("2022")));
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/batch/year", "must be a whole number");
}

TEST(model_Types, FractionWhereWholeNumberNeeded) {
  Var body = ValidLetter();
  SetAt(body, "/result/senior_review/votes/for", Var(14.5));
  EXPECT_ONLY_PROBLEM(Validate("letter", body), "/result/senior_review/votes/for", "whole number");
}

TEST(model_Types, StringGivenAsNumber) {
  Var body = ValidNotice();
  SetAt(body, "/applicants/0/name", Var(5));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/0/name", "must be a string");
}

TEST(model_Types, NumberGivenAsStringOrBool) {
  Var body = ValidLetter();
  SetAt(body, "/result/exam/score", Var(std::string("86")));
  EXPECT_ONLY_PROBLEM(Validate("letter", body), "/result/exam/score", "must be a number");
  body = ValidLetter();
  SetAt(body, "/result/exam/score", Var(true));
  EXPECT_ONLY_PROBLEM(Validate("letter", body), "/result/exam/score", "must be a number");
}

TEST(model_Types, BoolGivenAsString) {
  Var body = SampleJson("roster-results");
  SetAt(body, "/results/0/mid_review/passed", Var(std::string("yes")));
  EXPECT_ONLY_PROBLEM(Validate("roster-results", body), "/results/0/mid_review/passed", "true or false");
}

TEST(model_Types, ArrayGivenAsObject) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/history", Parse("{}"));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/history", "must be an array");
}

TEST(model_Types, ObjectGivenAsString) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/education", Var(std::string("大学本科")));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/education", "must be a JSON object");
}

TEST(model_Types, ArrayEntryNotAnObject) {
  Var body = SampleJson("roster-summary");
  SetAt(body, "/applicants/9", Var(std::string("张三")));
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/applicants/9", "must be a JSON object");
}

// --- dates ---

TEST(model_Dates, NotACalendarDay) {
  Var body = SampleJson("report");
  SetAt(body, "/report/issued", Var(std::string("2022-09-31")));
  EXPECT_ONLY_PROBLEM(Validate("report", body), "/report/issued", "not a real calendar date");
}

TEST(model_Dates, WrongShape) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/work_start", Var(std::string("2004/07")));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/work_start", "YYYY-MM");
  body = SampleJson("review-form");
  SetAt(body, "/applicant/work_start", Var(std::string("2004年7月")));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/work_start", "YYYY-MM");
}

TEST(model_Dates, MonthOnlyWhereADayIsNeeded) {
  Var body = SampleJson("report");
  SetAt(body, "/report/issued", Var(std::string("2022-09")));
  EXPECT_ONLY_PROBLEM(Validate("report", body), "/report/issued", "YYYY-MM-DD");
}

TEST(model_Dates, MonthOnlyAllowedForHistoryAndPublications) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/history/2/from", Var(std::string("2004-07-15")));
  SetAt(body, "/applicant/publications/0/date", Var(std::string("2019-05")));
  EXPECT_TRUE(Validate("review-form", body).empty()) << Describe(Validate("review-form", body));
}

TEST(model_Dates, WorkStartMustBeAfterBirth) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/work_start", Var(std::string("1978-07")));
  SetAt(body, "/applicant/current_title/since", Var(std::string("1979-01")));  // keep the title after work start
  SetAt(body, "/applicant/opinions", Var());
  Problems ps = Validate("review-form", body);
  ASSERT_EQ(ps.size(), 1u) << Describe(ps);
  EXPECT_EQ(ps[0].pointer, "/applicant/work_start");
  EXPECT_NE(ps[0].rule.find("must be after /applicant/birth (1979-03)"), std::string::npos) << ps[0].rule;
}

TEST(model_Dates, HistoryToBeforeFrom) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/history/3/to", Var(std::string("2008-12")));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/history/3/to",
                      "must not be before /applicant/history/3/from (2009-01)");
}

TEST(model_Dates, SameMonthAtDifferentPrecisionIsInOrder) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/history/3/to", Var(std::string("2009-01-20")));
  EXPECT_TRUE(Validate("review-form", body).empty());
}

TEST(model_Dates, BirthInTheFuture) {
  Var body = SampleJson("review-form");
  Problems ps = Validate("review-form", body, "2000-01-01");
  ASSERT_FALSE(ps.empty());
  bool found = false;
  for (const Problem& p : ps) {
    if (p.pointer == "/applicant/work_start") found = p.rule.find("must not be in the future") != std::string::npos;
  }
  EXPECT_TRUE(found) << Describe(ps);
}

TEST(model_Dates, FutureCheckSkippedWithoutToday) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/awards/0/date", Var(std::string("2099-12")));
  EXPECT_TRUE(Validate("review-form", body, "").empty());
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/awards/0/date", "must not be in the future");
}

TEST(model_Dates, PeriodEndBeforeStart) {
  Var body = ValidNotice();
  SetAt(body, "/notice/period/end", Var(std::string("2022-11-30")));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/notice/period/end",
                      "must not be before /notice/period/start (2022-12-01)");
}

TEST(model_Dates, PublicityPeriodAtLeastFiveWorkingDays) {
  Var body = ValidNotice();
  SetAt(body, "/notice/period/end", Var(std::string("2022-12-06")));  // Thu–Tue: 4 working days
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/notice/period/end", "at least 5 working days (has 4)");
}

// Public holidays and the weekend days worked in exchange count as they are: 国庆 2022 takes 10-01..10-07 off and
// works Saturday 10-08 and Sunday 10-09, so 09-29..10-09 has 4 working days (Monday to Friday alone: 7).
TEST(model_Dates, PublicityPeriodCountsPublicHolidays) {
  Var body = ValidNotice();
  SetAt(body, "/notice/issued", Var(std::string("2022-09-28")));
  SetAt(body, "/notice/period/start", Var(std::string("2022-09-29")));
  SetAt(body, "/notice/period/end", Var(std::string("2022-10-09")));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/notice/period/end", "at least 5 working days (has 4)");
  SetAt(body, "/notice/period/end", Var(std::string("2022-10-10")));
  EXPECT_TRUE(Validate("notice", body).empty()) << Describe(Validate("notice", body));
}

// A year the calendar does not know: only weekends are left out, and a short period says so.
TEST(model_Dates, PublicityPeriodInAYearWithoutKnownHolidays) {
  Var body = ValidNotice();
  SetAt(body, "/notice/issued", Var(std::string("2027-01-04")));
  SetAt(body, "/notice/period/start", Var(std::string("2027-01-04")));
  SetAt(body, "/notice/period/end", Var(std::string("2027-01-07")));
  EXPECT_ONLY_PROBLEM(Validate("notice", body, "2027-12-31"), "/notice/period/end",
                      "(has 4; the public holidays of 2027 are not known, only weekends were left out: add them "
                      "with calendar.file)");
}

TEST(model_Dates, NoticeIssuedAfterPeriodStart) {
  Var body = ValidNotice();
  SetAt(body, "/notice/issued", Var(std::string("2022-12-02")));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/notice/period/start", "must not be before /notice/issued");
}

TEST(model_Dates, LetterIssuedBeforeSeniorReview) {
  Var body = ValidLetter();
  SetAt(body, "/letter/issued", Var(std::string("2022-11-01")));
  EXPECT_ONLY_PROBLEM(Validate("letter", body), "/letter/issued", "/result/senior_review/date (2022-11-20)");
}

TEST(model_Dates, YearOutOfRange) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/publications/1/date", Var(std::string("1020-03")));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/publications/1/date", "between 1900 and 2100");
}

// --- enumerations ---

TEST(model_Enums, Gender) {
  Var body = SampleJson("roster-summary");
  SetAt(body, "/applicants/0/gender", Var(std::string("女性")));
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/applicants/0/gender", "must be 男 or 女");
}

// --- identity numbers ---

std::string WithLast(const std::string& number, char last) { return number.substr(0, 17) + last; }

TEST(model_IdNumber, WrongChecksumNamesTheRightDigit) {
  Var body = SampleJson("roster-summary");
  std::string good = StringAt(body, "/applicants/6/id_number");
  char right = IdNumberCheckCharacter(good);
  char wrong = right == '0' ? '1' : '0';
  SetAt(body, "/applicants/6/id_number", Var(WithLast(good, wrong)));
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/applicants/6/id_number",
                      std::string("checksum digit should be ") + right);
}

TEST(model_IdNumber, Length) {
  Var body = SampleJson("roster-summary");
  SetAt(body, "/applicants/1/id_number", Var(std::string("33010219800101123")));
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/applicants/1/id_number", "18 characters (has 17)");
}

TEST(model_IdNumber, Letters) {
  Var body = SampleJson("roster-summary");
  SetAt(body, "/applicants/1/id_number", Var(std::string("3301021980O101123X")));
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/applicants/1/id_number", "17 digits followed by");
}

TEST(model_IdNumber, EmbeddedDateNotReal) {
  std::string digits = "33010219800230123";
  std::string number = digits + IdNumberCheckCharacter(digits);
  EXPECT_NE(IdNumberProblem(number).find("19800230 in the number is not a real date"), std::string::npos)
      << IdNumberProblem(number);
}

TEST(model_IdNumber, BirthMismatch) {
  Var body = SampleJson("roster-summary");
  std::string digits = "33010219800101123";  // born 1980-01-01, 17th digit odd: a man
  SetAt(body, "/applicants/0/id_number", Var(digits + IdNumberCheckCharacter(digits)));
  SetAt(body, "/applicants/0/gender", Var(std::string("男")));
  SetAt(body, "/applicants/0/birth", Var(std::string("1981-02")));
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/applicants/0/id_number",
                      "birth date 1980-01-01 in the number does not match /applicants/0/birth (1981-02)");
  SetAt(body, "/applicants/0/birth", Var(std::string("1980-01-02")));
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/applicants/0/id_number", "does not match");
  SetAt(body, "/applicants/0/birth", Var(std::string("1980-01")));
  EXPECT_TRUE(Validate("roster-summary", body).empty());
}

TEST(model_IdNumber, GenderMismatch) {
  Var body = SampleJson("roster-summary");
  std::string digits = "33010219800101124";  // 17th digit even: a woman
  SetAt(body, "/applicants/0/id_number", Var(digits + IdNumberCheckCharacter(digits)));
  SetAt(body, "/applicants/0/birth", Var(std::string("1980-01")));
  SetAt(body, "/applicants/0/gender", Var(std::string("男")));
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/applicants/0/id_number",
                      "woman's (17th digit even) but /applicants/0/gender is 男");
}

TEST(model_IdNumber, LowerCaseXIsReported) {
  // Find a number whose check character is X, then type it in lower case.
  std::string digits;
  for (int seq = 100; seq < 1000; ++seq) {
    digits = "330102198001011" + std::to_string(seq).substr(1);
    if (IdNumberCheckCharacter(digits) == 'X') break;
  }
  ASSERT_EQ(IdNumberCheckCharacter(digits), 'X');
  EXPECT_EQ(IdNumberProblem(digits + "X"), "");
  EXPECT_EQ(IdNumberProblem(digits + "x"), "checksum digit should be X");
}

// --- ids ---

TEST(model_Ids, ApplicantIdCharacters) {
  Var body = ValidNotice();
  SetAt(body, "/applicants/0/id", Var(std::string("ZG 2022/1")));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/0/id", "1 to 64 characters of A-Z");
  SetAt(body, "/applicants/0/id", Var(std::string(65, 'a')));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/0/id", "1 to 64 characters");
}

TEST(model_Ids, BatchAndCommitteeIds) {
  Var body = SampleJson("report");
  SetAt(body, "/batch/id", Var(std::string("浙江-2022")));
  SetAt(body, "/committee/id", Var(std::string("")));
  Problems ps = Validate("report", body);
  ASSERT_EQ(ps.size(), 2u) << Describe(ps);
  EXPECT_EQ(ps[0].pointer, "/batch/id");
  EXPECT_EQ(ps[1].pointer, "/committee/id");
}

TEST(model_Ids, DuplicateApplicant) {
  Var body = ValidNotice();
  SetAt(body, "/applicants/1/id", Var(std::string("ZG2022-000001")));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/1/id", "must be unique (same as /applicants/0/id)");
}

TEST(model_Ids, LetterResultForAnotherApplicant) {
  Var body = ValidLetter();
  SetAt(body, "/result/applicant_id", Var(std::string("ZG2022-000124")));
  EXPECT_ONLY_PROBLEM(Validate("letter", body), "/result/applicant_id", "must match /applicant/id (ZG2022-000123)");
}

TEST(model_Ids, ResultWithoutApplicant) {
  Var body = SampleJson("roster-results");
  SetAt(body, "/results/2/applicant_id", Var(std::string("ZG2022-999999")));
  EXPECT_ONLY_PROBLEM(Validate("roster-results", body), "/results/2/applicant_id", "no applicant with id");
}

TEST(model_Ids, TwoResultsForOneApplicant) {
  Var body = SampleJson("roster-results");
  SetAt(body, "/results/2/applicant_id", Var(StringAt(body, "/results/1/applicant_id")));
  EXPECT_ONLY_PROBLEM(Validate("roster-results", body), "/results/2/applicant_id", "same as /results/1");
}

TEST(model_Ids, BulkDuplicateLetterNumber) {
  Var body = SampleJson("bulk-letters");
  SetAt(body, "/items/9/letter_no", Var(StringAt(body, "/items/4/letter_no")));
  EXPECT_ONLY_PROBLEM(Validate("bulk-letters", body), "/items/9/letter_no", "same as /items/4/letter_no");
}

// --- photo ---

TEST(model_Photo, MediaType) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/photo/media_type", Var(std::string("image/gif")));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/photo/media_type", "image/jpeg or image/png");
}

TEST(model_Photo, NotBase64) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/photo/data", Var(std::string("iVBORw0KGgo!!!")));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/photo/data", "must be valid base64");
}

TEST(model_Photo, PngLabelledJpeg) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/photo/media_type", Var(std::string("image/jpeg")));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/photo/data",
                      "is a PNG image but /applicant/photo/media_type says image/jpeg");
}

TEST(model_Photo, NotAnImage) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/photo/data", Var(std::string("SGVsbG8sIHdvcmxkIQ==")));  // "Hello, world!"
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/photo/data", "not a JPEG or PNG image");
}

TEST(model_Photo, DataUrlPrefix) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/photo/data", Var("data:image/png;base64," + StringAt(body, "/applicant/photo/data")));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/photo/data", "without a \"data:");
}

TEST(model_Photo, TooLarge) {
  // A JPEG header followed by zeros, 2 MiB + 3 bytes decoded: base64 of that is 4 * (2 MiB / 3 + 1) characters.
  std::string bytes = "\xFF\xD8\xFF";
  bytes.resize(2 * 1024 * 1024 + 3, '\0');
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int k = 3; k >= 0; --k) b64 += kAlphabet[(n >> (6 * k)) & 63];
  }
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/photo/media_type", Var(std::string("image/jpeg")));
  SetAt(body, "/applicant/photo/data", Var(b64));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/photo/data", "at most 2 MiB");
}

TEST(model_Photo, EveryCorruptImageIsAProblemAtItsDataPointer) {
  auto cases = testimages::CorruptPngs();
  for (auto& c : testimages::CorruptJpegs()) cases.push_back(c);
  cases.push_back({"20000×20000 bomb", testimages::PngBomb(20000, 20000)});
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    Var body = SampleJson("review-form");
    SetAt(body, "/applicant/photo/media_type", Var(std::string(bytes[0] == '\x89' ? "image/png" : "image/jpeg")));
    SetAt(body, "/applicant/photo/data", Var(testimages::Base64(bytes)));
    Problems problems = Validate("review-form", body);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].pointer, "/applicant/photo/data");
    EXPECT_TRUE(problems[0].rule.rfind("cannot be read as a", 0) == 0 || problems[0].rule.rfind("is ", 0) == 0)
        << problems[0].rule;
  }
}

TEST(model_Photo, AnUnreadablePhotoInAListIsNamedByItsIndex) {
  Var body = ValidNotice();
  Poco::JSON::Object::Ptr photo = new Poco::JSON::Object;
  photo->set("media_type", std::string("image/png"));
  photo->set("data", testimages::Base64(testimages::CorruptPngs()[0].second));
  body.extract<Poco::JSON::Object::Ptr>()->getArray("applicants")->getObject(0)->set("photo", photo);
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/0/photo/data", "cannot be read as a PNG: IDAT: CRC error");
}

// --- lengths and text ---

TEST(model_Text, NameLengthCountsCharactersNotBytes) {
  Var body = ValidNotice();
  SetAt(body, "/applicants/0/name", Var(Repeat("𠮷", 50)));  // 200 bytes, 50 characters: fine
  EXPECT_TRUE(Validate("notice", body).empty());
  SetAt(body, "/applicants/0/name", Var(Repeat("𠮷", 51)));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/0/name", "at most 50 characters (has 51)");
}

TEST(model_Text, UnitLength) {
  Var body = ValidNotice();
  SetAt(body, "/applicants/1/unit", Var(Repeat("局", 201)));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/1/unit", "at most 200 characters");
}

TEST(model_Text, FreeTextLength) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/achievements/0/description", Var(Repeat("文", 10000)));
  EXPECT_TRUE(Validate("review-form", body).empty());
  SetAt(body, "/applicant/achievements/0/description", Var(Repeat("文", 10001)));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/achievements/0/description",
                      "at most 10000 characters");
}

TEST(model_Text, ControlCharacterInName) {
  Var body = ValidNotice();
  SetAt(body, "/applicants/0/name", Var(std::string("吉\t𠮷")));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/0/name", "U+0009");
}

TEST(model_Text, LineBreaksOnlyInFreeText) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/opinions/unit/text", Var(std::string("第一段。\n第二段。")));
  EXPECT_TRUE(Validate("review-form", body).empty());
  SetAt(body, "/applicant/opinions/unit/text", Var(std::string("第一段。\r\n第二段。\x07")));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/opinions/unit/text",
                      "control characters other than line breaks");
  body = SampleJson("review-form");
  SetAt(body, "/applicant/unit", Var(std::string("杭州市\n上城区")));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/unit", "single line");
}

TEST(model_Text, InvalidUtf8) {
  Var body = ValidNotice();
  SetAt(body, "/applicants/0/unit", Var(std::string("杭州\xC3\x28")));
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/0/unit", "valid UTF-8");
  SetAt(body, "/applicants/0/unit", Var(std::string("\xED\xA0\x80")));  // a UTF-16 surrogate encoded as UTF-8
  EXPECT_ONLY_PROBLEM(Validate("notice", body), "/applicants/0/unit", "valid UTF-8");
}

TEST(model_Text, Phone) {
  Var body = SampleJson("roster-summary");
  SetAt(body, "/applicants/3/phone", Var(std::string("call me")));
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/applicants/3/phone", "phone number");
}

// --- arrays ---

TEST(model_Arrays, HistoryAtMost100Rows) {
  Var body = SampleJson("review-form");
  Poco::JSON::Array::Ptr rows = new Poco::JSON::Array;
  for (int i = 0; i < 101; ++i) rows->add(Parse(R"({"from": "2005-01", "to": "2005-02", "unit": "某单位"})"));
  SetAt(body, "/applicant/history", Var(rows));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/history", "at most 100 entries (has 101)");
}

TEST(model_Arrays, ApplicantsAtMost20000AndAllChecked) {
  Var body = ValidNotice();
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (int i = 0; i < 20001; ++i) {
    Poco::JSON::Object::Ptr a = new Poco::JSON::Object;
    a->set("id", "ZG-" + std::to_string(i));
    a->set("name", std::string("张三"));
    a->set("unit", std::string("杭州市某局"));
    Poco::JSON::Object::Ptr title = new Poco::JSON::Object;
    title->set("name", std::string("政工师"));
    a->set("current_title", title);
    list->add(a);
  }
  list->getObject(20000)->set("gender", std::string("X"));
  SetAt(body, "/applicants", Var(list));
  Problems ps = Validate("notice", body);
  ASSERT_EQ(ps.size(), 2u) << Describe(ps);
  EXPECT_EQ(ps[0].pointer, "/applicants");
  EXPECT_NE(ps[0].rule.find("at most 20000 entries"), std::string::npos);
  EXPECT_EQ(ps[1].pointer, "/applicants/20000/gender");
}

// --- numbers ---

TEST(model_Numbers, ScoreRange) {
  Var body = ValidLetter();
  SetAt(body, "/result/senior_review/score", Var(100.5));
  EXPECT_ONLY_PROBLEM(Validate("letter", body), "/result/senior_review/score", "between 0 and 100");
}

TEST(model_Numbers, NegativeVotes) {
  Var body = SampleJson("review-form");
  SetAt(body, "/applicant/opinions/committee/votes/against", Var(-1));
  EXPECT_ONLY_PROBLEM(Validate("review-form", body), "/applicant/opinions/committee/votes/against", "between 0");
}

TEST(model_Numbers, YearAndPassLine) {
  Var body = SampleJson("roster-summary");
  SetAt(body, "/batch/year", Var(1999));
  SetAt(body, "/batch/exam_pass_line", Var(120));
  Problems ps = Validate("roster-summary", body);
  ASSERT_EQ(ps.size(), 2u) << Describe(ps);
  EXPECT_EQ(ps[0].pointer, "/batch/year");
  EXPECT_NE(ps[0].rule.find("between 2000 and 2100"), std::string::npos);
  EXPECT_EQ(ps[1].pointer, "/batch/exam_pass_line");
}

TEST(model_Numbers, HugeInteger) {
  Var body = Parse(R"({"batch": {"id": "b", "year": 18446744073709551615, "title": "高级政工师"},
                      "applicants": [{"id": "a", "name": "张三", "unit": "某局"}], "results": []})");
  EXPECT_ONLY_PROBLEM(Validate("roster-results", body), "/batch/year", "2100");
}

}  // namespace
}  // namespace zhiping::model::testing
