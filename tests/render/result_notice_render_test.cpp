// render: the joint result notice (issue 15) through the whole pipeline — samples/result-notice.json and bodies of
// 1, 60 and 2,000 qualified applicants: who is published, the list over pages with its header and groups, the two
// organs, their seals' places and the 版记, read back with poppler.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdio>
#include <string>

#include "render_test_util.h"
#include "common/error.h"
#include "layout/display_list.h"
#include "support/json_edit.h"

namespace zhiping {
namespace {

using namespace coretest;
using namespace rendertest;
using Poco::JSON::Array;
using Poco::JSON::Object;

const char* const kCommittees[] = {"杭州市中评委", "宁波市中评委", "温州市中评委", "湖州市中评委", "嘉兴市中评委"};

// The sample with `n` qualified applicants, spread over the committees unevenly (the first takes half), given in
// an interleaved order, and one more who failed the exam (never published).
std::string Body(int n) {
  Object::Ptr body = ParseObject(Sample("result-notice"));
  Object::Ptr person = body->getArray("applicants")->getObject(0);
  Object::Ptr passed = body->getArray("results")->getObject(0);
  Array::Ptr applicants = new Array, results = new Array;
  for (int i = 0; i <= n; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "ZG2022-%06d", 200000 + i);
    Object::Ptr a = new Object(*person);
    a->set("id", std::string(id));
    a->set("name", i == n ? std::string("落选者") : "申报人" + std::to_string(i + 1));
    a->set("committee", std::string(kCommittees[i % 2 == 0 ? 0 : 1 + (i / 2) % 4]));
    Object::Ptr r = new Object(*passed);
    r->set("applicant_id", std::string(id));
    if (i == n) {  // under the pass line: listed nowhere
      Object::Ptr exam = new Object;
      exam->set("score", 41);
      r->set("exam", exam);
      r->remove("qualified_from");
    }
    applicants->add(a);
    results->add(r);
  }
  body->set("applicants", applicants);
  body->set("results", results);
  return testing::ToJson(body);
}

Rendered RenderOrFail(const std::string& body, const std::string& tag) {
  try {
    return RenderToFile("result-notice", body, tag);
  } catch (const Error& e) {
    std::string msg = e.what();
    for (const auto& p : e.problems()) msg += "\n" + FormatProblem(p);
    ADD_FAILURE() << msg;
    return {};
  }
}

TEST(render_ResultNotice, SamplePublishesThePassedOnlyWithBothOrgansAndTheEndMatter) {
  Rendered r = RenderOrFail(Sample("result-notice"), "result-notice");
  ExpectCleanPdf(r);
  for (const char* s : {"中共浙江省委宣传部", "浙江省人力资源和社会保障厅", "文件", "浙宣〔2023〕3号", "张伟明", "陈静怡",
                        "李秀英", "王建国", "杭州市中评委", "宁波市中评委", "温州市中评委", "2022年12月30日", "抄送：",
                        "中共浙江省委宣传部办公室", "2023年1月10日印发", "取得资格时间"})
    EXPECT_TRUE(Contains(r.text, s)) << s;
  EXPECT_FALSE(Contains(r.text, "赵立新")) << "under the pass line";
  EXPECT_FALSE(Contains(r.text, "周晓燕")) << "failed the senior review";
  EXPECT_TRUE(Contains(r.text, "张伟明等5位同志")) << "the count is of those published";
}

TEST(render_ResultNotice, TheLayoutHasTwoSealPlacesOnTheSignaturePage) {
  render::RenderedDocument out = SharedRenderer().Render("result-notice", Sample("result-notice"));
  ASSERT_TRUE(out.layout);
  const layout::LaidOutDocument& doc = *out.layout;
  EXPECT_EQ(out.seal_page, doc.seals[0].page);  // what the signer reads is the lead organ's place
  ASSERT_EQ(doc.seals.size(), 2u);
  EXPECT_EQ(doc.seal.page, doc.seals[0].page);
  EXPECT_EQ(doc.seals[0].page, doc.seals[1].page);
  EXPECT_EQ(doc.seals[0].y, doc.seals[1].y);
  EXPECT_LT(doc.seals[0].x + doc.seals[0].w, doc.seals[1].x);
  EXPECT_LT(doc.seals[0].page, static_cast<int>(doc.pages.size()) - 1) << "the attachment follows the signatures";
}

TEST(render_ResultNotice, OneSixtyAndTwoThousandSpanPagesWithHeadersAndGroups) {
  int last_pages = 0;
  for (int n : {1, 60, 2000}) {
    SCOPED_TRACE(n);
    Rendered r = RenderOrFail(Body(n), "result-notice-" + std::to_string(n));
    ASSERT_GT(r.pages, 0);
    EXPECT_FALSE(Contains(r.text, "落选者"));
    EXPECT_TRUE(Contains(r.text, "申报人1等" + std::to_string(n) + "位同志"));
    int pages = 0;
    auto words = ParseBbox(RunCommand("pdftotext -bbox '" + r.path + "' -").out, &pages);
    ASSERT_EQ(pages, r.pages);
    std::vector<bool> header(pages, false);
    int last_index = 0;
    for (const auto& w : words) {
      if (w.text == "取得资格时间") header[w.page] = true;
      if (!w.text.empty() && w.text.find_first_not_of("0123456789") == std::string::npos && w.page > 0)
        last_index = std::max(last_index, std::stoi(w.text.size() < 6 ? w.text : "0"));
      // Nothing runs off the paper.
      EXPECT_GE(w.x_min, 0);
      EXPECT_LE(w.x_max, 595.3);
      EXPECT_GE(w.y_min, 0);
      EXPECT_LE(w.y_max, 841.9);
    }
    int first = 0;
    while (first < pages && !header[first]) ++first;
    ASSERT_LT(first, pages);
    // The attachment's every page but the last (the 版记 may have one of its own) has the column header.
    for (int p = first; p < pages - 1; ++p) EXPECT_TRUE(header[p]) << "no header on page " << p + 1;
    EXPECT_GE(last_index, n) << "row " << n << " printed";
    EXPECT_GT(r.pages, last_pages);
    last_pages = r.pages;
    if (n == 2000) {
      EXPECT_GT(pages, 50);
      EXPECT_TRUE(Contains(r.text, "杭州市中评委（续）"));
    }
  }
}

}  // namespace
}  // namespace zhiping
