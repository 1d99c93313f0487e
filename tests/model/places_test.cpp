// Problems told as a clerk reads them: the field-label table (model/field_labels.h) and the person a validator
// names — for whole bodies (ValidateRequest), rosters checked element by element from the text (LazyBody +
// RosterValidation) and bulk items (whole and one by one).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include "common/json.h"
#include "model/field_labels.h"
#include "model/parse.h"
#include "test_body.h"

namespace zhiping::model::testing {
namespace {

TEST(model_Places, PointersAreToldByTheFieldLabels) {
  EXPECT_EQ(PlaceOf("/applicants/3/id_number", "张三"), "第 4 位申报人（张三）身份证号");
  EXPECT_EQ(PlaceOf("/applicants/3/id_number"), "第 4 位申报人身份证号");
  EXPECT_EQ(PlaceOf("/applicants/0/history/1/from", "张三"), "第 1 位申报人（张三）工作经历第 2 条的起始时间");
  EXPECT_EQ(PlaceOf("/applicants/0/history/1"), "第 1 位申报人工作经历第 2 条");
  EXPECT_EQ(PlaceOf("/applicants/0/education/level"), "第 1 位申报人学历");
  EXPECT_EQ(PlaceOf("/applicants/0/opinions/committee/votes/for"), "第 1 位申报人评委会意见表决赞成票");
  EXPECT_EQ(PlaceOf("/applicants/7"), "第 8 位申报人");
  EXPECT_EQ(PlaceOf("/applicant/current_title/since", "李四"), "申报人（李四）现专业职务取得时间");
  EXPECT_EQ(PlaceOf("/result/senior_review/passed", "李四"), "评审结果（李四）高评委评审是否通过");
  EXPECT_EQ(PlaceOf("/results/0/applicant_id", "ZG-1"), "第 1 条评审结果（ZG-1）申报编号");
  EXPECT_EQ(PlaceOf("/items/3/applicant/id_number", "张三"), "第 4 封（张三）申报人身份证号");
  EXPECT_EQ(PlaceOf("/items/3/letter_no", "张三"), "第 4 封（张三）通知书编号");
  EXPECT_EQ(PlaceOf("/batch/office/email"), "批次职评办电子邮箱");
  EXPECT_EQ(PlaceOf("/notice/period/end"), "公示公示期结束日期");
  EXPECT_EQ(PlaceOf("/applicants"), "申报人名单");
  EXPECT_EQ(PlaceOf(""), "");
  EXPECT_EQ(PlaceOf("/applicants/0/no~1such"), "第 1 位申报人no/such") << "unknown members by their key";
}

const Problem* At(const Problems& problems, const std::string& pointer) {
  for (const Problem& p : problems) {
    if (p.pointer == pointer) return &p;
  }
  ADD_FAILURE() << "no problem at " << pointer << ": " << Describe(problems);
  return nullptr;
}

TEST(model_Places, AWholeBodyNamesThePersonOfEachProblem) {
  Poco::Dynamic::Var notice = ValidNotice();
  const std::string name = StringAt(notice, "/applicants/0/name");
  ASSERT_FALSE(name.empty());
  SetAt(notice, "/applicants/0/id_number", std::string("110105194912310021"));
  Problems problems = Validate("notice", notice);
  const Problem* p = At(problems, "/applicants/0/id_number");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->code, Msg::kIdNumberChecksum);
  EXPECT_EQ(FormatProblem(*p, Lang::kZh), "第 1 位申报人（" + name + "）身份证号：校验位应为 X");
  EXPECT_EQ(FormatProblem(*p, Lang::kEn), "/applicants/0/id_number: checksum digit should be X");

  // A name that is itself the problem is left out; the other problems of that applicant say where all the same.
  SetAt(notice, "/applicants/0/name", std::string(" "));
  Problems blank = Validate("notice", notice);
  const Problem* q = At(blank, "/applicants/0/id_number");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->place, "第 1 位申报人身份证号");

  // A letter names its applicant for the result's problems too; a pointer in the rule is told as a place.
  Poco::Dynamic::Var letter = ValidLetter();
  const std::string person = StringAt(letter, "/applicant/name");
  SetAt(letter, "/result/applicant_id", std::string("SOMEONE-ELSE"));
  Problems mismatch = Validate("letter", letter);
  const Problem* r = At(mismatch, "/result/applicant_id");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->place, "评审结果（" + person + "）申报编号");
  EXPECT_NE(RuleText(*r, Lang::kZh).find("应与申报人申报编号"), std::string::npos) << RuleText(*r, Lang::kZh);
  EXPECT_NE(r->rule.find("must match /applicant/id"), std::string::npos) << r->rule;
}

TEST(model_Places, ARosterCheckedFromItsTextNamesThePerson) {
  Poco::Dynamic::Var body = SampleJson("roster-summary");
  const std::string name = StringAt(body, "/applicants/1/name");
  SetAt(body, "/applicants/1/id_number", std::string("110105194912310021"));
  LazyBody lazy = LazyBody::FromText(zhiping::testing::ToJson(body), {kApplicantsList});
  RosterValidation v("roster-summary", ValidationContext{"2022-12-31"});
  v.Envelope(lazy);
  LazyBody::Reader reader(lazy);
  for (size_t i = 0; i < lazy.Find(kApplicantsList)->count; ++i) v.Applicant(reader, i);
  v.Results(std::nullopt);
  Problems problems = v.Finish();
  const Problem* p = At(problems, "/applicants/1/id_number");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->place, "第 2 位申报人（" + name + "）身份证号");
}

TEST(model_Places, BulkItemsAreNamedByLetterAndPerson) {
  Poco::Dynamic::Var body = SampleJson("bulk-letters");
  const std::string name = StringAt(body, "/items/1/applicant/name");
  SetAt(body, "/items/1/applicant/id_number", std::string("110105194912310021"));
  // The whole body (ValidateRequest "bulk-letters").
  Problems whole = Validate("bulk-letters", body);
  const Problem* p = At(whole, "/items/1/applicant/id_number");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->place, "第 2 封（" + name + "）申报人身份证号");
  // One item at a time, as bulk letters issue them: the pointer into the item's letter, the place in the body.
  LazyBody lazy = LazyBody::FromText(zhiping::testing::ToJson(body), {kBulkItemsList});
  LazyBody::Reader reader(lazy);
  Parsed<LetterRequest> letter = ParseBulkLetter(lazy, reader, 1, ValidationContext{"2022-12-31"});
  ASSERT_FALSE(letter.ok());
  Problems item = letter.TakeProblems();
  const Problem* q = At(item, "/applicant/id_number");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(FormatProblem(*q, Lang::kZh), "第 2 封（" + name + "）申报人身份证号：校验位应为 X");
}

}  // namespace
}  // namespace zhiping::model::testing
