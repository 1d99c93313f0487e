// render: composition rules on real documents, read back with poppler — the notice's contact line is set at
// natural spacing (pdftotext reads 「联系电话」 as one word, not 「联 系 电 话」), ASCII brackets from the data are set
// full-width, and a line break in an opinion starts a new line of the review form's cell.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "common/utf8.h"
#include "render_test_util.h"

namespace zhiping {
namespace {

using namespace coretest;
using namespace rendertest;
using Poco::JSON::Object;

TEST(render_Composition, TheNoticesContactLineIsNotStretched) {
  Object::Ptr body = ParseObject(Sample("notice"));
  Object::Ptr office = body->getObject("batch")->getObject("office");
  office->set("email", "zhicheng.pingshen.office@renshi-ting.example.gov.cn");
  office->set("address", "杭州市省府路8号(省行政中心1号楼) https://www.zjrs.example.gov.cn/zhicheng/2022/index.html");
  Rendered r = RenderToFile("notice", testing::ToJson(body), "notice-contact");
  const std::string text = SqueezedPdfText(r.path);
  const std::string plain = RunCommand("pdftotext '" + r.path + "' -").out;
  EXPECT_NE(plain.find("联系电话："), std::string::npos) << plain;
  EXPECT_EQ(plain.find("联 系"), std::string::npos) << plain;
  EXPECT_NE(text.find("省府路8号（省行政中心1号楼）"), std::string::npos) << text;
  EXPECT_NE(text.find("评价标准（试行）》"), std::string::npos) << text;
}

TEST(render_Composition, FourCharacterAndRareNamesStayWholeInTheNoticesTable) {
  Object::Ptr body = ParseObject(Sample("notice"));
  Poco::JSON::Array::Ptr applicants = body->getArray("applicants");
  const std::vector<std::string> names = {"欧阳㐨䶮", "司马相如", "上官婉儿", "张𠮷"};
  Poco::JSON::Array::Ptr many = new Poco::JSON::Array;
  for (size_t i = 0; i < 300; ++i) {
    Object::Ptr a = ParseObject(testing::ToJson(applicants->getObject(static_cast<unsigned>(i % applicants->size()))));
    a->set("id", "ZG2022-" + std::to_string(100000 + i));
    a->set("name", names[i % names.size()]);
    many->add(a);
  }
  body->set("applicants", many);
  Rendered r = RenderToFile("notice", testing::ToJson(body), "notice-names");
  const std::string plain = RunCommand("pdftotext '" + r.path + "' -").out;
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = plain.find(needle); at != std::string::npos; at = plain.find(needle, at + 1)) ++n;
    return n;
  };
  // 75 rows each; the body names the first applicant once more.
  EXPECT_EQ(count("欧阳㐨䶮"), 76u);
  EXPECT_EQ(count("司马相如"), 75u);
  EXPECT_EQ(count("上官婉儿"), 75u);
  EXPECT_EQ(count("张𠮷"), 75u);
  EXPECT_EQ(count("评审通过资\n格"), 0u) << "no header ends with a single character";
}

TEST(render_Composition, ALineBreakInAnOpinionStartsANewLine) {
  Object::Ptr body = ParseObject(Sample("review-form"));
  Object::Ptr unit = body->getObject("applicant")->getObject("opinions")->getObject("unit");
  unit->set("text", "该同志政治立场坚定，业绩突出。\n经单位研究，同意推荐。");
  Rendered r = RenderToFile("review-form", testing::ToJson(body), "review-newline");
  // pdftotext -layout keeps lines: the second sentence begins a line of its own.
  const std::string layout = RunCommand("pdftotext -layout '" + r.path + "' -").out;
  EXPECT_NE(layout.find("业绩突出。\n"), std::string::npos) << layout;
  EXPECT_EQ(layout.find("业绩突出。 经单位"), std::string::npos) << layout;
}

}  // namespace
}  // namespace zhiping
