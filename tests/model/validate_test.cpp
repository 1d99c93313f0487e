// The validation rules, one row per rule: a valid body with exactly one thing broken (or one rule's allowance used)
// must give exactly the problems the row names — at the right place, saying what is wrong — or none.
//
// A row: {name, template kind, edits of the valid body, expected problems in order ({} : valid), today}. The valid
// body is ValidNotice()/ValidLetter() for notice and letter (test_body.h) and samples/<kind>.json otherwise.
// The few checks that are not "edit, validate, compare" (an unknown template, a problem among others, rules that
// need the sample's own check digit, corrupt images) are plain tests after the table.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "common/error.h"
#include "common/json.h"
#include "model/id_number.h"
#include "model/validate.h"
#include "test_body.h"
#include "test_images.h"

namespace zhiping::model::testing {
namespace {

using Poco::Dynamic::Var;

constexpr const char* kToday = "2022-12-31";

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// One change to the valid body. `value` is called with the body (after the edits before it), so a row can copy
// from it; it runs when the test runs, not when the table is built.
struct Edit {
  std::string pointer;  // "" : the whole body is replaced
  std::function<Var(const Var& body)> value;  // empty: remove the member
};
Edit Set(const std::string& pointer, const Var& v) { return {pointer, [v](const Var&) { return v; }}; }
Edit Set(const std::string& pointer, const char* text) { return Set(pointer, Var(std::string(text))); }
Edit Set(const std::string& pointer, const std::string& text) { return Set(pointer, Var(text)); }
Edit SetJson(const std::string& pointer, const std::string& json) {
  return {pointer, [json](const Var&) { return ParseJson(json); }};
}
Edit SetWith(const std::string& pointer, std::function<Var(const Var& body)> make) { return {pointer, std::move(make)}; }
Edit Drop(const std::string& pointer) { return {pointer, nullptr}; }
Edit Null(const std::string& pointer) { return Set(pointer, Var()); }

struct Expect {
  std::string pointer;
  std::string rule;  // a part of the rule's text
};

struct RuleRow {
  std::string name;
  std::string kind;
  std::vector<Edit> edits;
  std::vector<Expect> problems;  // exactly these, in this order; empty: the body is valid
  std::string today = kToday;
};

std::ostream& operator<<(std::ostream& out, const RuleRow& row) { return out << row.kind << ": " << row.name; }

Var ValidBody(const std::string& kind) {
  return kind == "notice" ? ValidNotice() : kind == "letter" ? ValidLetter() : SampleJson(kind);
}

// An 18-character identity number: `digits` (17) and their GB 11643 check character.
Edit IdNumber(const std::string& pointer, const std::string& digits) {
  return SetWith(pointer, [digits](const Var&) { return Var(digits + IdNumberCheckCharacter(digits)); });
}

Var ApplicantsOverTheLimit(const Var&) {
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
  return list;
}

Var HistoryOf101Rows(const Var&) {
  Poco::JSON::Array::Ptr rows = new Poco::JSON::Array;
  for (int i = 0; i < 101; ++i) rows->add(ParseJson(R"({"from": "2005-01", "to": "2005-02", "unit": "某单位"})"));
  return rows;
}

// A JPEG header followed by zeros, 2 MiB + 3 bytes decoded: base64 of that is 4 * (2 MiB / 3 + 1) characters.
Var TooLargeJpegBase64(const Var&) {
  std::string bytes = "\xFF\xD8\xFF";
  bytes.resize(2 * 1024 * 1024 + 3, '\0');
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int k = 3; k >= 0; --k) b64 += kAlphabet[(n >> (6 * k)) & 63];
  }
  return b64;
}

Var CorruptPngPhoto(const Var&) {
  Poco::JSON::Object::Ptr photo = new Poco::JSON::Object;
  photo->set("media_type", std::string("image/png"));
  photo->set("data", testimages::Base64(testimages::CorruptPngs()[0].second));
  return photo;
}

// A number as the JSON parser gives it for `literal` (so 2^64, 1e400 … arrive as they would over HTTP).
Edit Number(const std::string& pointer, const std::string& literal) {
  return SetWith(pointer, [literal](const Var&) {
    return ParseJson("{\"n\": " + literal + "}").extract<Poco::JSON::Object::Ptr>()->get("n");
  });
}

Edit CopyOf(const std::string& pointer, const std::string& from) {
  return SetWith(pointer, [from](const Var& body) { return Var(StringAt(body, from)); });
}

const std::string kVotes = "/result/senior_review/votes/for";

std::vector<RuleRow> Rules() {
  return {
      // --- the body as a whole ---
      {"Body_ArrayIsNotAnObject", "notice", {SetJson("", "[1, 2]")}, {{"", "must be a JSON object"}}},
      {"Body_StringIsNotAnObject", "notice", {Set("", "text")}, {{"", "must be a JSON object"}}},
      {"Body_NumberIsNotAnObject", "notice", {Set("", Var(42))}, {{"", "must be a JSON object"}}},
      {"Body_NullIsNotAnObject", "notice", {Set("", Var())}, {{"", "must be a JSON object"}}},
      {"Body_BoolIsNotAnObject", "notice", {Set("", Var(true))}, {{"", "must be a JSON object"}}},
      {"Body_ValidNotice", "notice", {}, {}},
      {"Body_ValidLetter", "letter", {}, {}},
      {"Body_UnknownKeysAreIgnored", "notice",
       {SetJson("/comment", R"({"anything": [1, "two", null]})"), Set("/applicants/0/nickname", "小吉")}, {}},
      {"Body_OptionalMembersMayBeNull", "notice", {Null("/notice/doc_no"), Null("/applicants/0/gender")}, {}},
      {"Body_AllProblemsAreReportedAtOnce", "roster-summary",
       {Drop("/batch/id"),                                   // required
        Set("/batch/year", "2022"),                          // type
        Set("/applicants/2/gender", "M"),                    // enumeration
        Set("/applicants/5/birth", "1980-02-30"),            // calendar
        Set("/applicants/7/name", Repeat("长", 51))},        // length
       {{"/batch/id", ""}, {"/batch/year", ""}, {"/applicants/2/gender", ""}, {"/applicants/5/birth", ""},
        {"/applicants/7/name", ""}}},

      // --- required members, per template ---
      {"Required_BatchIdEverywhere", "report", {Drop("/batch/id")}, {{"/batch/id", "required"}}},
      {"Required_BatchItself", "roster-summary", {Drop("/batch")}, {{"/batch", "required"}}},
      {"Required_OfficeNameForNotice", "notice", {Drop("/batch/office/name")}, {{"/batch/office/name", "required"}}},
      {"Required_NoticeIssued", "notice", {Drop("/notice/issued")}, {{"/notice/issued", "required"}}},
      {"Required_NoticePeriodEnd", "notice", {Drop("/notice/period/end")}, {{"/notice/period/end", "required"}}},
      {"Required_NoticeApplicantCurrentTitle", "notice", {Drop("/applicants/1/current_title/name")},
       {{"/applicants/1/current_title/name", "required"}}},
      {"Required_NoticeDocNoIsOptional", "notice", {Drop("/notice/doc_no")}, {}},
      {"Required_EmptyStringIsNotEnough", "notice", {Set("/applicants/0/unit", "  ")},
       {{"/applicants/0/unit", "must not be empty"}}},
      {"Required_ReportCommitteeSigner", "report", {Drop("/committee/signer")}, {{"/committee/signer", "required"}}},
      {"Required_ReportAddresseeIsOptional", "report", {Drop("/report/addressee")}, {}},
      {"Required_ReportDocNo", "report", {Drop("/report/addressee"), Drop("/report/doc_no")},
       {{"/report/doc_no", "required"}}},
      {"Required_ReviewFormBirth", "review-form", {Drop("/applicant/birth")}, {{"/applicant/birth", "required"}}},
      {"Required_ReviewFormWorkStart", "review-form", {Drop("/applicant/work_start")},
       {{"/applicant/work_start", "required"}}},
      {"Required_ReviewFormEducationLevel", "review-form", {Drop("/applicant/education/level")},
       {{"/applicant/education/level", "required"}}},
      {"Required_ReviewFormCurrentTitleSince", "review-form", {Drop("/applicant/current_title/since")},
       {{"/applicant/current_title/since", "required"}}},
      {"Required_ReviewFormPoliticalStatus", "review-form", {Drop("/applicant/political_status")},
       {{"/applicant/political_status", "required"}}},
      {"Required_ReviewFormPhotoIsOptional", "review-form", {Drop("/applicant/photo")}, {}},
      {"Required_RosterSummaryIdNumber", "roster-summary", {Drop("/applicants/4/id_number")},
       {{"/applicants/4/id_number", "required"}}},
      {"Required_RosterApplicantsNotEmpty", "roster-qualification", {SetJson("/applicants", "[]")},
       {{"/applicants", "must not be empty"}}},
      {"Required_RosterResultsNeedsResults", "roster-results", {Drop("/results")}, {{"/results", "required"}}},
      {"Required_LetterSeniorReviewDecision", "letter", {Drop("/result/senior_review/passed")},
       {{"/result/senior_review/passed", "required"}}},
      {"Required_LetterQualifiedFromWhenPassed", "letter", {Drop("/result/qualified_from")},
       {{"/result/qualified_from", "when /result/senior_review/passed"}}},
      {"Required_LetterQualifiedFromNotWhenFailed", "letter",
       {Drop("/result/qualified_from"), Set("/result/senior_review/passed", Var(false))}, {}},
      {"Required_LetterNoIsOptional", "letter", {Drop("/letter/no")}, {}},
      {"Required_LetterIssued", "letter", {Drop("/letter/no"), Drop("/letter/issued")},
       {{"/letter/issued", "required"}}},
      {"Required_BulkItemResult", "bulk-letters", {Drop("/items/3/result")}, {{"/items/3/result", "required"}}},

      // --- types ---
      {"Types_IntegerGivenAsString", "roster-summary", {Set("/batch/year", "2022")},
       {{"/batch/year", "must be a whole number"}}},
      {"Types_FractionWhereWholeNumberNeeded", "letter", {Set(kVotes, Var(14.5))}, {{kVotes, "whole number"}}},
      {"Types_StringGivenAsNumber", "notice", {Set("/applicants/0/name", Var(5))},
       {{"/applicants/0/name", "must be a string"}}},
      {"Types_NumberGivenAsString", "letter", {Set("/result/exam/score", "86")},
       {{"/result/exam/score", "must be a number"}}},
      {"Types_NumberGivenAsBool", "letter", {Set("/result/exam/score", Var(true))},
       {{"/result/exam/score", "must be a number"}}},
      {"Types_BoolGivenAsString", "roster-results", {Set("/results/0/mid_review/passed", "yes")},
       {{"/results/0/mid_review/passed", "true or false"}}},
      {"Types_ArrayGivenAsObject", "review-form", {SetJson("/applicant/history", "{}")},
       {{"/applicant/history", "must be an array"}}},
      {"Types_ObjectGivenAsString", "review-form", {Set("/applicant/education", "大学本科")},
       {{"/applicant/education", "must be a JSON object"}}},
      {"Types_ArrayEntryNotAnObject", "roster-summary", {Set("/applicants/9", "张三")},
       {{"/applicants/9", "must be a JSON object"}}},

      // --- dates ---
      {"Dates_NotACalendarDay", "report", {Set("/report/issued", "2022-09-31")},
       {{"/report/issued", "not a real calendar date"}}},
      {"Dates_WrongShapeSlash", "review-form", {Set("/applicant/work_start", "2004/07")},
       {{"/applicant/work_start", "YYYY-MM"}}},
      {"Dates_WrongShapeChinese", "review-form", {Set("/applicant/work_start", "2004年7月")},
       {{"/applicant/work_start", "YYYY-MM"}}},
      {"Dates_MonthOnlyWhereADayIsNeeded", "report", {Set("/report/issued", "2022-09")},
       {{"/report/issued", "YYYY-MM-DD"}}},
      {"Dates_MonthOnlyAllowedForHistoryAndPublications", "review-form",
       {Set("/applicant/history/2/from", "2004-07-15"), Set("/applicant/publications/0/date", "2019-05")}, {}},
      {"Dates_WorkStartMustBeAfterBirth", "review-form",
       {Set("/applicant/work_start", "1978-07"),
        Set("/applicant/current_title/since", "1979-01"),  // keep the title after work start
        Null("/applicant/opinions")},
       {{"/applicant/work_start", "must be after /applicant/birth (1979-03)"}}},
      {"Dates_HistoryToBeforeFrom", "review-form", {Set("/applicant/history/3/to", "2008-12")},
       {{"/applicant/history/3/to", "must not be before /applicant/history/3/from (2009-01)"}}},
      {"Dates_SameMonthAtDifferentPrecisionIsInOrder", "review-form", {Set("/applicant/history/3/to", "2009-01-20")},
       {}},
      {"Dates_FutureCheckSkippedWithoutToday", "review-form", {Set("/applicant/awards/0/date", "2099-12")}, {}, ""},
      {"Dates_NotInTheFuture", "review-form", {Set("/applicant/awards/0/date", "2099-12")},
       {{"/applicant/awards/0/date", "must not be in the future"}}},
      {"Dates_PeriodEndBeforeStart", "notice", {Set("/notice/period/end", "2022-11-30")},
       {{"/notice/period/end", "must not be before /notice/period/start (2022-12-01)"}}},
      {"Dates_PublicityPeriodAtLeastFiveWorkingDays", "notice",
       {Set("/notice/period/end", "2022-12-06")},  // Thu–Tue: 4 working days
       {{"/notice/period/end", "at least 5 working days (has 4)"}}},
      // Public holidays and the weekend days worked in exchange count as they are: 国庆 2022 takes 10-01..10-07
      // off and works Saturday 10-08 and Sunday 10-09, so 09-29..10-09 has 4 working days (Monday to Friday: 7).
      {"Dates_PublicityPeriodCountsPublicHolidays", "notice",
       {Set("/notice/issued", "2022-09-28"), Set("/notice/period/start", "2022-09-29"),
        Set("/notice/period/end", "2022-10-09")},
       {{"/notice/period/end", "at least 5 working days (has 4)"}}},
      {"Dates_PublicityPeriodOverPublicHolidaysLongEnough", "notice",
       {Set("/notice/issued", "2022-09-28"), Set("/notice/period/start", "2022-09-29"),
        Set("/notice/period/end", "2022-10-10")},
       {}},
      // A year the calendar does not know: only weekends are left out, and a short period says so.
      {"Dates_PublicityPeriodInAYearWithoutKnownHolidays", "notice",
       {Set("/notice/issued", "2027-01-04"), Set("/notice/period/start", "2027-01-04"),
        Set("/notice/period/end", "2027-01-07")},
       {{"/notice/period/end",
         "(has 4; the public holidays of 2027 are not known, only weekends were left out: add them "
         "with calendar.file)"}},
       "2027-12-31"},
      {"Dates_NoticeIssuedAfterPeriodStart", "notice", {Set("/notice/issued", "2022-12-02")},
       {{"/notice/period/start", "must not be before /notice/issued"}}},
      {"Dates_LetterIssuedBeforeSeniorReview", "letter", {Set("/letter/issued", "2022-11-01")},
       {{"/letter/issued", "/result/senior_review/date (2022-11-20)"}}},
      {"Dates_YearOutOfRange", "review-form", {Set("/applicant/publications/1/date", "1020-03")},
       {{"/applicant/publications/1/date", "between 1900 and 2100"}}},

      // --- enumerations ---
      {"Enums_Gender", "roster-summary", {Set("/applicants/0/gender", "女性")},
       {{"/applicants/0/gender", "must be 男 or 女"}}},

      // --- identity numbers (the check digit's own rule is model_IdNumber.WrongChecksumNamesTheRightDigit) ---
      {"IdNumber_Length", "roster-summary", {Set("/applicants/1/id_number", "33010219800101123")},
       {{"/applicants/1/id_number", "18 characters (has 17)"}}},
      {"IdNumber_Letters", "roster-summary", {Set("/applicants/1/id_number", "3301021980O101123X")},
       {{"/applicants/1/id_number", "17 digits followed by"}}},
      // 33010219800101123: born 1980-01-01, 17th digit odd: a man.
      {"IdNumber_BirthMonthMismatch", "roster-summary",
       {IdNumber("/applicants/0/id_number", "33010219800101123"), Set("/applicants/0/gender", "男"),
        Set("/applicants/0/birth", "1981-02")},
       {{"/applicants/0/id_number",
         "birth date 1980-01-01 in the number does not match /applicants/0/birth (1981-02)"}}},
      {"IdNumber_BirthDayMismatch", "roster-summary",
       {IdNumber("/applicants/0/id_number", "33010219800101123"), Set("/applicants/0/gender", "男"),
        Set("/applicants/0/birth", "1980-01-02")},
       {{"/applicants/0/id_number", "does not match"}}},
      {"IdNumber_BirthMonthOnlyMatches", "roster-summary",
       {IdNumber("/applicants/0/id_number", "33010219800101123"), Set("/applicants/0/gender", "男"),
        Set("/applicants/0/birth", "1980-01")},
       {}},
      // 33010219800101124: 17th digit even: a woman.
      {"IdNumber_GenderMismatch", "roster-summary",
       {IdNumber("/applicants/0/id_number", "33010219800101124"), Set("/applicants/0/birth", "1980-01"),
        Set("/applicants/0/gender", "男")},
       {{"/applicants/0/id_number", "woman's (17th digit even) but /applicants/0/gender is 男"}}},

      // --- ids ---
      {"Ids_ApplicantIdCharacters", "notice", {Set("/applicants/0/id", "ZG 2022/1")},
       {{"/applicants/0/id", "1 to 64 characters of A-Z"}}},
      {"Ids_ApplicantIdLength", "notice", {Set("/applicants/0/id", std::string(65, 'a'))},
       {{"/applicants/0/id", "1 to 64 characters"}}},
      {"Ids_BatchAndCommitteeIds", "report", {Set("/batch/id", "浙江-2022"), Set("/committee/id", "")},
       {{"/batch/id", ""}, {"/committee/id", ""}}},
      {"Ids_DuplicateApplicant", "notice", {Set("/applicants/1/id", "ZG2022-000001")},
       {{"/applicants/1/id", "must be unique (same as /applicants/0/id)"}}},
      {"Ids_LetterResultForAnotherApplicant", "letter", {Set("/result/applicant_id", "ZG2022-000124")},
       {{"/result/applicant_id", "must match /applicant/id (ZG2022-000123)"}}},
      {"Ids_ResultWithoutApplicant", "roster-results", {Set("/results/2/applicant_id", "ZG2022-999999")},
       {{"/results/2/applicant_id", "no applicant with id"}}},
      {"Ids_TwoResultsForOneApplicant", "roster-results",
       {CopyOf("/results/2/applicant_id", "/results/1/applicant_id")},
       {{"/results/2/applicant_id", "same as /results/1"}}},
      {"Ids_BulkDuplicateLetterNumber", "bulk-letters", {CopyOf("/items/9/letter_no", "/items/4/letter_no")},
       {{"/items/9/letter_no", "same as /items/4/letter_no"}}},

      // --- photo ---
      {"Photo_MediaType", "review-form", {Set("/applicant/photo/media_type", "image/gif")},
       {{"/applicant/photo/media_type", "image/jpeg or image/png"}}},
      {"Photo_NotBase64", "review-form", {Set("/applicant/photo/data", "iVBORw0KGgo!!!")},
       {{"/applicant/photo/data", "must be valid base64"}}},
      {"Photo_PngLabelledJpeg", "review-form", {Set("/applicant/photo/media_type", "image/jpeg")},
       {{"/applicant/photo/data", "is a PNG image but /applicant/photo/media_type says image/jpeg"}}},
      {"Photo_NotAnImage", "review-form", {Set("/applicant/photo/data", "SGVsbG8sIHdvcmxkIQ==")},  // "Hello, world!"
       {{"/applicant/photo/data", "not a JPEG or PNG image"}}},
      {"Photo_DataUrlPrefix", "review-form",
       {SetWith("/applicant/photo/data",
                [](const Var& body) { return Var("data:image/png;base64," + StringAt(body, "/applicant/photo/data")); })},
       {{"/applicant/photo/data", "without a \"data:"}}},
      {"Photo_TooLarge", "review-form",
       {Set("/applicant/photo/media_type", "image/jpeg"), SetWith("/applicant/photo/data", TooLargeJpegBase64)},
       {{"/applicant/photo/data", "at most 2 MiB"}}},
      {"Photo_AnUnreadablePhotoInAListIsNamedByItsIndex", "notice", {SetWith("/applicants/0/photo", CorruptPngPhoto)},
       {{"/applicants/0/photo/data", "cannot be read as a PNG: IDAT: CRC error"}}},

      // --- lengths and text ---
      {"Text_NameOf50CharactersIn200Bytes", "notice", {Set("/applicants/0/name", Repeat("𠮷", 50))}, {}},
      {"Text_NameLengthCountsCharactersNotBytes", "notice", {Set("/applicants/0/name", Repeat("𠮷", 51))},
       {{"/applicants/0/name", "at most 50 characters (has 51)"}}},
      {"Text_UnitLength", "notice", {Set("/applicants/1/unit", Repeat("局", 201))},
       {{"/applicants/1/unit", "at most 200 characters"}}},
      {"Text_FreeTextOf10000Characters", "review-form",
       {Set("/applicant/achievements/0/description", Repeat("文", 10000))}, {}},
      {"Text_FreeTextLength", "review-form", {Set("/applicant/achievements/0/description", Repeat("文", 10001))},
       {{"/applicant/achievements/0/description", "at most 10000 characters"}}},
      {"Text_ControlCharacterInName", "notice", {Set("/applicants/0/name", "吉\t𠮷")},
       {{"/applicants/0/name", "U+0009"}}},
      {"Text_LineBreaksInFreeText", "review-form", {Set("/applicant/opinions/unit/text", "第一段。\n第二段。")}, {}},
      {"Text_OtherControlsNotInFreeText", "review-form",
       {Set("/applicant/opinions/unit/text", "第一段。\r\n第二段。\x07")},
       {{"/applicant/opinions/unit/text", "control characters other than line breaks"}}},
      {"Text_LineBreaksNotInOneLineFields", "review-form", {Set("/applicant/unit", "杭州市\n上城区")},
       {{"/applicant/unit", "single line"}}},
      {"Text_InvalidUtf8", "notice", {Set("/applicants/0/unit", "杭州\xC3\x28")},
       {{"/applicants/0/unit", "valid UTF-8"}}},
      {"Text_Utf16SurrogateAsUtf8", "notice", {Set("/applicants/0/unit", "\xED\xA0\x80")},
       {{"/applicants/0/unit", "valid UTF-8"}}},
      {"Text_DocNoSerialNotZeroPadded", "report", {Set("/report/doc_no", "杭政职评〔2022〕018号")},
       {{"/report/doc_no", "not be padded with zeros"}}},
      {"Text_NoticeDocNoSerialNotZeroPadded", "notice", {Set("/notice/doc_no", "浙政职办〔2022〕０１号")},
       {{"/notice/doc_no", "not be padded with zeros"}}},
      {"Text_DocNoSerialWithZeroInsideIsFine", "report", {Set("/report/doc_no", "杭政职评〔2022〕108号")}, {}},
      {"Text_Phone", "roster-summary", {Set("/applicants/3/phone", "call me")},
       {{"/applicants/3/phone", "phone number"}}},

      // --- arrays ---
      {"Arrays_HistoryAtMost100Rows", "review-form", {SetWith("/applicant/history", HistoryOf101Rows)},
       {{"/applicant/history", "at most 100 entries (has 101)"}}},
      {"Arrays_ApplicantsAtMost20000AndAllChecked", "notice", {SetWith("/applicants", ApplicantsOverTheLimit)},
       {{"/applicants", "at most 20000 entries"}, {"/applicants/20000/gender", ""}}},

      // --- numbers ---
      {"Numbers_ScoreRange", "letter", {Set("/result/senior_review/score", Var(100.5))},
       {{"/result/senior_review/score", "between 0 and 100"}}},
      {"Numbers_NegativeVotes", "review-form", {Set("/applicant/opinions/committee/votes/against", Var(-1))},
       {{"/applicant/opinions/committee/votes/against", "between 0"}}},
      {"Numbers_YearAndPassLine", "roster-summary",
       {Set("/batch/year", Var(1999)), Set("/batch/exam_pass_line", Var(120))},
       {{"/batch/year", "between 2000 and 2100"}, {"/batch/exam_pass_line", ""}}},
      {"Numbers_HugeInteger", "roster-results",
       {SetJson("", R"({"batch": {"id": "b", "year": 18446744073709551615, "title": "高级政工师"},
                        "applicants": [{"id": "a", "name": "张三", "unit": "某局"}], "results": []})")},
       {{"/batch/year", "2100"}}},
      // Out of range whatever their size: 2^64 (Poco alone makes it 0), past int64, 1e400 …
      {"Numbers_Votes2Pow64", "letter", {Number(kVotes, "18446744073709551616")}, {{kVotes, "must be between 0 and 100000"}}},
      {"Numbers_VotesUint64Max", "letter", {Number(kVotes, "18446744073709551615")}, {{kVotes, "must be between 0 and 100000"}}},
      {"Numbers_VotesInt64MaxPlusOne", "letter", {Number(kVotes, "9223372036854775808")}, {{kVotes, "must be between 0 and 100000"}}},
      {"Numbers_Votes23Digits", "letter", {Number(kVotes, "99999999999999999999999")}, {{kVotes, "must be between 0 and 100000"}}},
      {"Numbers_Votes1e400", "letter", {Number(kVotes, "1e400")}, {{kVotes, "must be between 0 and 100000"}}},
      {"Numbers_VotesMinusOne", "letter", {Number(kVotes, "-1")}, {{kVotes, "must be between 0 and 100000"}}},
      {"Numbers_VotesInt64MinMinusOne", "letter", {Number(kVotes, "-9223372036854775809")}, {{kVotes, "must be between 0 and 100000"}}},
      {"Numbers_Votes100001", "letter", {Number(kVotes, "100001")}, {{kVotes, "must be between 0 and 100000"}}},
      {"Numbers_VotesFraction", "letter", {Number(kVotes, "1.5")}, {{kVotes, "must be a whole number"}}},
      {"Numbers_VotesWholeNumberWithExponent", "letter", {Number(kVotes, "1e2")}, {}},  // 100
      {"Numbers_YearNearUint64Max", "letter", {Number("/batch/year", "18446744073709553664")},
       {{"/batch/year", "must be between 2000 and 2100"}}},
      {"Numbers_YearFraction", "letter", {Number("/batch/year", "2022.5")}, {{"/batch/year", "must be a whole number"}}},
      {"Numbers_PassLine1e400", "letter", {Number("/batch/exam_pass_line", "1e400")},
       {{"/batch/exam_pass_line", "must be between 0 and 100"}}},
      {"Numbers_PassLineNegative", "letter", {Number("/batch/exam_pass_line", "-0.5")},
       {{"/batch/exam_pass_line", "must be between 0 and 100"}}},
      {"Numbers_Score2Pow64", "letter", {Number("/result/senior_review/score", "18446744073709551616")},
       {{"/result/senior_review/score", "must be between 0 and 100"}}},
      {"Numbers_ScoreJustOver100", "letter", {Number("/result/exam/score", "100.0000001")},
       {{"/result/exam/score", "must be between 0 and 100"}}},
      {"Numbers_AppraisalYear2Pow64", "review-form",
       {SetJson("/applicant/appraisals", R"([{"year": 18446744073709551616, "result": "优秀"}])")},
       {{"/applicant/appraisals/0/year", "between 1950 and 2100"}}},
      {"Numbers_ReviewFormExamScore1e400", "review-form", {SetJson("/applicant/exam", R"({"score": 1e400})")},
       {{"/applicant/exam/score", "between 0 and 100"}}},
      {"Numbers_ReviewFormVotes2Pow64", "review-form",
       {Number("/applicant/opinions/committee/votes/against", "18446744073709551616")},
       {{"/applicant/opinions/committee/votes/against", "between 0 and 100000"}}},
  };
}

class model_Rule : public ::testing::TestWithParam<RuleRow> {};

TEST_P(model_Rule, GivesExactlyItsProblems) {
  const RuleRow& row = GetParam();
  Var body = ValidBody(row.kind);
  for (const Edit& e : row.edits) {
    if (e.pointer.empty())
      body = e.value(body);
    else if (e.value)
      SetAt(body, e.pointer, e.value(body));
    else
      RemoveAt(body, e.pointer);
  }
  const Problems ps = Validate(row.kind, body, row.today);
  ASSERT_EQ(ps.size(), row.problems.size()) << Describe(ps);
  for (size_t i = 0; i < ps.size(); ++i) {
    EXPECT_EQ(ps[i].pointer, row.problems[i].pointer) << Describe(ps);
    EXPECT_NE(ps[i].rule.find(row.problems[i].rule), std::string::npos) << Describe(ps);
  }
}

INSTANTIATE_TEST_SUITE_P(, model_Rule, ::testing::ValuesIn(Rules()),
                         [](const ::testing::TestParamInfo<RuleRow>& info) { return info.param.name; });

// --- what is not one row ---

TEST(model_Body, UnknownTemplateIsNotFound) {
  try {
    Validate("certificate", ValidNotice());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(e.what()).find("certificate"), std::string::npos);
  }
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

std::string WithLast(const std::string& number, char last) { return number.substr(0, 17) + last; }

// The check digit the problem names is the sample's own.
TEST(model_IdNumber, WrongChecksumNamesTheRightDigit) {
  Var body = SampleJson("roster-summary");
  std::string good = StringAt(body, "/applicants/6/id_number");
  char right = IdNumberCheckCharacter(good);
  char wrong = right == '0' ? '1' : '0';
  SetAt(body, "/applicants/6/id_number", Var(WithLast(good, wrong)));
  EXPECT_ONLY_PROBLEM(Validate("roster-summary", body), "/applicants/6/id_number",
                      std::string("checksum digit should be ") + right);
}

TEST(model_IdNumber, EmbeddedDateNotReal) {
  std::string digits = "33010219800230123";
  std::string number = digits + IdNumberCheckCharacter(digits);
  EXPECT_NE(IdNumberProblem(number).find("19800230 in the number is not a real date"), std::string::npos)
      << IdNumberProblem(number);
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

}  // namespace
}  // namespace zhiping::model::testing
