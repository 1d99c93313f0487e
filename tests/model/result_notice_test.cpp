// The joint result notice's model: who it may publish (model/qualification.h), told per person in Chinese.
#include <gtest/gtest.h>

#include "common/problem.h"
#include "model/parse.h"
#include "model/qualification.h"
#include "test_body.h"

namespace zhiping::model::testing {
namespace {

// samples/result-notice.json: 7 applicants over three committees; 赵立新 (index 4) scored 54 under the pass line
// 60 and 周晓燕 (index 6) failed the senior review: neither has qualified_from.
Poco::Dynamic::Var Body() { return SampleJson("result-notice"); }

std::string Chinese(const Problems& ps) {
  std::string out;
  for (const Problem& p : ps) out += FormatProblem(p, Lang::kZh) + "\n";
  return out;
}

TEST(model_ResultNotice, SampleListsOnlyThoseWhoPassedGroupedByCommittee) {
  Parsed<ResultNoticeRequest> parsed = ParseResultNotice(Body(), ValidationContext("2023-06-30"));
  ASSERT_TRUE(parsed.ok()) << Describe(parsed.TakeProblems());
  const ResultNoticeRequest& r = parsed.value();
  ASSERT_EQ(r.organs.size(), 2u);
  EXPECT_EQ(r.organs[0].name, "中共浙江省委宣传部");  // the lead organ first
  std::vector<ListedApplicant> listed = ListedApplicants(r);
  std::vector<std::string> names, committees;
  for (const auto& l : listed) names.push_back(l.name), committees.push_back(l.committee);
  // 杭州 first (first seen), its three together although the body interleaves them; 赵立新 and 周晓燕 never.
  EXPECT_EQ(names, (std::vector<std::string>{"张伟明", "陈静怡", "欧阳㐨", "李秀英", "王建国"}));
  EXPECT_EQ(committees, (std::vector<std::string>{"杭州市中评委", "杭州市中评委", "杭州市中评委", "宁波市中评委",
                                                  "温州市中评委"}));
  EXPECT_EQ(listed[0].qualification, "高级政工师");
}

TEST(model_ResultNotice, ListingSomeoneUnderThePassLineIsRefusedNamingThePerson) {
  Poco::Dynamic::Var body = Body();
  SetAt(body, "/results/4/qualified_from", "2022-12-30");
  RemoveAt(body, "/results/4/exam/passed");  // the score alone tells
  Problems ps = Validate("result-notice", body);
  EXPECT_ONLY_PROBLEM(ps, "/results/4/qualified_from", "exam score 54 is under the pass line 60");
  const std::string zh = Chinese(ps);
  EXPECT_NE(zh.find("第 5 条评审结果（赵立新）"), std::string::npos) << zh;
  EXPECT_NE(zh.find("低于合格线 60 分"), std::string::npos) << zh;
}

TEST(model_ResultNotice, ListingSomeoneTheSeniorCommitteeFailedIsRefused) {
  Poco::Dynamic::Var body = Body();
  SetAt(body, "/results/6/qualified_from", "2022-12-30");
  Problems ps = Validate("result-notice", body);
  EXPECT_ONLY_PROBLEM(ps, "/results/6/qualified_from", "only applicants the senior committee passed");
  const std::string zh = Chinese(ps);
  EXPECT_NE(zh.find("周晓燕"), std::string::npos) << zh;
  EXPECT_NE(zh.find("未通过高评委评审的人员不能公布"), std::string::npos) << zh;
}

TEST(model_ResultNotice, ExamMarkedFailedIsRefusedEvenWithoutAScore) {
  Poco::Dynamic::Var body = Body();
  SetAt(body, "/results/0/exam/passed", false);
  RemoveAt(body, "/results/0/exam/score");
  EXPECT_ONLY_PROBLEM(Validate("result-notice", body), "/results/0/qualified_from", "failed the exam");
}

TEST(model_ResultNotice, AnExcludedApplicantWithoutQualifiedFromIsFineAndNotListed) {
  // The sample itself holds two: it validates, and ListedApplicants leaves them out (first test).
  EXPECT_TRUE(Validate("result-notice", Body()).empty());
}

TEST(model_ResultNotice, NobodyToPublishIsAProblem) {
  Poco::Dynamic::Var body = Body();
  for (int i : {0, 1, 2, 3, 5}) RemoveAt(body, "/results/" + std::to_string(i) + "/qualified_from");
  EXPECT_ONLY_PROBLEM(Validate("result-notice", body), "/results", "nobody to publish");
}

TEST(model_ResultNotice, AJointDocumentNeedsTwoOrgansAndEachOrganItsNameInChinese) {
  Poco::Dynamic::Var one = Body();
  RemoveAt(one, "/organs/1");
  EXPECT_ONLY_PROBLEM(Validate("result-notice", one), "/organs", "at least 2");
  Poco::Dynamic::Var nameless = Body();
  RemoveAt(nameless, "/organs/1/name");
  Problems ps = Validate("result-notice", nameless);
  EXPECT_ONLY_PROBLEM(ps, "/organs/1/name", "required");
  EXPECT_NE(Chinese(ps).find("发文机关第 2 条的名称"), std::string::npos) << Chinese(ps);
}

TEST(model_ResultNotice, CommitteeIsRequiredForTheGroupsAndAResultMustNameAnApplicant) {
  Poco::Dynamic::Var body = Body();
  RemoveAt(body, "/applicants/2/committee");
  Problems ps = Validate("result-notice", body);
  EXPECT_ONLY_PROBLEM(ps, "/applicants/2/committee", "required");
  EXPECT_NE(Chinese(ps).find("第 3 位申报人（王建国）推荐评委会"), std::string::npos) << Chinese(ps);
  Poco::Dynamic::Var stray = Body();
  SetAt(stray, "/results/1/applicant_id", "ZG2022-999999");
  EXPECT_ONLY_PROBLEM(Validate("result-notice", stray),
                      "/results/1/applicant_id", "no applicant with id ZG2022-999999");
}

}  // namespace
}  // namespace zhiping::model::testing
