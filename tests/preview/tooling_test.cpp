// Template tooling: the field listing and the generated sample of every template.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <cstdio>
#include <functional>
#include <map>
#include <regex>

#include "common/error.h"
#include "common/json.h"
#include "model/parse.h"
#include "model/sample.h"
#include "model/validate.h"
#include "preview/raster.h"
#include "preview/template_tooling.h"
#include "image/decode.h"
#include "preview_test_util.h"

namespace zhiping::previewtest {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

using testing::ToJson;

// The typed request of template `name` for a JSON body (the model's rules, on kToday); throws with the problems.
model::Request Typed(const std::string& name, const std::string& json) {
  model::ValidationContext ctx;
  ctx.today = kToday;
  return model::ParseRequest(name, ParseJson(json), ctx).ValueOrThrow(name + " data");
}

std::string PdfText(const std::string& pdf, const std::string& tag) {
  std::string path = FreshDir(tag) + "/doc.pdf";
  WriteAll(path, pdf);
  return SqueezedPdfText(path);
}

// Finds a node of the field tree by path.
Object::Ptr FindField(const Array::Ptr& tree, const std::string& path) {
  for (unsigned i = 0; i < tree->size(); ++i) {
    Object::Ptr n = tree->getObject(i);
    if (n->getValue<std::string>("path") == path) return n;
    if (Object::Ptr f = FindField(n->getArray("children"), path)) return f;
  }
  return nullptr;
}

TEST(preview_tooling, EveryTemplateIsDescribedAndItsGeneratedSampleRenders) {
  const render::Renderer& r = SharedRenderer();
  ASSERT_GE(r.Templates().size(), 7u);
  for (const render::TemplateInfo& info : r.Templates()) {
    SCOPED_TRACE(info.name);
    Object::Ptr d = preview::DescribeTemplate(r, info.name);
    EXPECT_EQ(d->getValue<std::string>("name"), info.name);
    EXPECT_EQ(d->getValue<std::string>("output"), info.output);
    EXPECT_EQ(d->getValue<std::string>("title"), info.title);
    Array::Ptr fields = d->getArray("fields");
    ASSERT_TRUE(fields);
    EXPECT_GT(fields->size(), 0u);
    EXPECT_TRUE(FindField(fields, "batch")) << ToJson(fields);
    Object::Ptr sample = d->getObject("sample");
    ASSERT_TRUE(sample);

    model::ValidationContext ctx;
    ctx.today = kToday;
    Problems problems = model::ValidateRequest(info.name, sample, ctx);
    for (const Problem& p : problems) ADD_FAILURE() << FormatProblem(p);

    // The sample holds every field the template prints: nothing is missing.
    preview::TemplateFields tf = preview::ReadTemplateFields(info.name, info.path);
    model::Request typed = Typed(info.name, ToJson(sample));
    for (const auto& m : preview::MarkMissingFields(tf, &typed)) {
      ADD_FAILURE() << "missing " << m.field;
    }

    render::RenderedDocument doc;
    try {
      doc = r.Render(info.name, ToJson(sample));
    } catch (const Error& e) {
      std::string all = e.what();
      for (const Problem& p : e.problems()) all += "\n" + FormatProblem(p);
      FAIL() << all;
    }
    EXPECT_FALSE(doc.bytes.empty());
    if (info.output == "pdf") {
      EXPECT_GE(doc.pages, 1);
    }
  }
}

TEST(preview_tooling, NoticeFieldsNestAndMarkLists) {
  const render::Renderer& r = SharedRenderer();
  Object::Ptr d = preview::DescribeTemplate(r, "notice");
  Array::Ptr fields = d->getArray("fields");
  Object::Ptr applicants = FindField(fields, "applicants");
  ASSERT_TRUE(applicants) << ToJson(fields);
  EXPECT_TRUE(applicants->getValue<bool>("list"));
  EXPECT_TRUE(FindField(applicants->getArray("children"), "applicants[].name"));
  EXPECT_TRUE(FindField(applicants->getArray("children"), "applicants[].current_title.name"));
  // {{batch.title}} in the table is the body's batch, not each applicant's
  EXPECT_FALSE(FindField(applicants->getArray("children"), "applicants[].batch"));
  Object::Ptr office = FindField(fields, "batch.office");
  ASSERT_TRUE(office);
  EXPECT_FALSE(office->getValue<bool>("list"));
  EXPECT_TRUE(FindField(office->getArray("children"), "batch.office.name"));
  Object::Ptr issued = FindField(fields, "notice.issued");
  ASSERT_TRUE(issued);
  EXPECT_TRUE(issued->has("date"));
  // derived names are folded into their source
  EXPECT_FALSE(FindField(fields, "notice.issued_cn"));
  EXPECT_FALSE(FindField(fields, "applicants_first"));
  EXPECT_FALSE(FindField(fields, "applicants_count"));
}

TEST(preview_tooling, RosterFieldsFollowRowsAndJoins) {
  const render::Renderer& r = SharedRenderer();
  Object::Ptr d = preview::DescribeTemplate(r, "roster-results");
  Array::Ptr fields = d->getArray("fields");
  Object::Ptr results = FindField(fields, "results");
  ASSERT_TRUE(results) << ToJson(fields);
  EXPECT_TRUE(results->getValue<bool>("list"));
  EXPECT_TRUE(FindField(fields, "results[].applicant_id"));
  EXPECT_TRUE(FindField(fields, "results[].mid_review.score"));
  EXPECT_TRUE(FindField(fields, "results[].senior_review.votes.for"));
  EXPECT_TRUE(FindField(fields, "applicants[].name"));
  EXPECT_TRUE(FindField(fields, "batch.year"));
  Object::Ptr sample = d->getObject("sample");
  EXPECT_EQ(sample->getArray("results")->size(), sample->getArray("applicants")->size());
}

TEST(preview_tooling, IdNumbersFollowGb11643) {
  EXPECT_EQ(model::MakeIdNumber(1979, 3, 14, true, 179), "330102197903141792");
  for (int seq = 0; seq < 40; ++seq) {
    std::string m = model::MakeIdNumber(1985, 12, 31, true, seq), f = model::MakeIdNumber(1985, 12, 31, false, seq);
    EXPECT_EQ(model::IdNumberProblem(m), "") << m;
    EXPECT_EQ(model::IdNumberProblem(f), "") << f;
    EXPECT_EQ((m[16] - '0') % 2, 1) << m;
    EXPECT_EQ((f[16] - '0') % 2, 0) << f;
  }
  // the generated applicants' numbers agree with their birth and gender (validation checks both)
  Object::Ptr sample = preview::DescribeTemplate(SharedRenderer(), "roster-summary")->getObject("sample");
  Array::Ptr a = sample->getArray("applicants");
  ASSERT_GE(a->size(), 2u);
  bool male = false, female = false;
  for (unsigned i = 0; i < a->size(); ++i) {
    std::string g = a->getObject(i)->getValue<std::string>("gender");
    male = male || g == "男";
    female = female || g == "女";
  }
  EXPECT_TRUE(male && female);
}

TEST(preview_tooling, MissingTextFieldsAreMarkedVisibly) {
  const render::Renderer& r = SharedRenderer();
  render::TemplateInfo info;
  for (const auto& t : r.Templates())
    if (t.name == "notice") info = t;
  preview::TemplateFields tf = preview::ReadTemplateFields("notice", info.path);
  Object::Ptr body = ParseObject(Sample("notice"));
  body->getArray("applicants")->getObject(1)->remove("post");
  body->getObject("batch")->getObject("office")->remove("phone");
  body->getObject("notice")->remove("doc_no");  // used by @if: optional by design, never reported
  model::Request typed = Typed("notice", ToJson(body));
  auto missing = preview::MarkMissingFields(tf, &typed);
  std::map<std::string, preview::MissingField> by;
  for (const auto& m : missing) by[m.field] = m;
  ASSERT_TRUE(by.count("applicants[].post"));
  EXPECT_TRUE(by["applicants[].post"].marked);
  EXPECT_EQ(by["applicants[].post"].pointers, std::vector<std::string>{"/applicants/1/post"});
  ASSERT_TRUE(by.count("batch.office.phone"));
  EXPECT_FALSE(by.count("notice.doc_no"));
  EXPECT_EQ(std::get<model::NoticeRequest>(typed).batch.office->phone, preview::MissingMarker("batch.office.phone"));

  render::RenderedDocument doc = r.Render(std::move(typed));
  std::string text = PdfText(doc.bytes, "preview-marked");
  EXPECT_NE(text.find("【缺：batch.office.phone】"), std::string::npos) << text;
  EXPECT_NE(text.find("【缺：applicants[].post】"), std::string::npos) << text;
}

TEST(preview_tooling, MarkersGoIntoTextsOnly) {
  // Every template's sample with its optional members taken out: only texts take a marker (a date, number or
  // yes/no is listed as missing, never filled), the marked request renders, and an object is created only to hold
  // a marker.
  const render::Renderer& r = SharedRenderer();
  for (const auto& info : r.Templates()) {
    SCOPED_TRACE(info.name);
    preview::TemplateFields tf = preview::ReadTemplateFields(info.name, info.path);
    model::Request typed = Typed(info.name, Sample(info.name));  // every template has a sample; missing fails
    preview::MarkMissingFields(tf, &typed);
    EXPECT_NO_THROW(r.Render(typed));
  }
  // The review form without the applicant's phone (a text: marked) and birth (a date: reported, left absent).
  preview::TemplateFields tf;
  for (const auto& info : r.Templates())
    if (info.name == "review-form") tf = preview::ReadTemplateFields(info.name, info.path);
  model::Request typed = Typed("review-form", Sample("review-form"));
  auto& form = std::get<model::ReviewFormRequest>(typed);
  form.applicant.phone.reset();
  form.applicant.birth.reset();
  std::map<std::string, preview::MissingField> by;
  for (const auto& m : preview::MarkMissingFields(tf, &typed)) by[m.field] = m;
  ASSERT_TRUE(by.count("applicant.phone"));
  EXPECT_TRUE(by["applicant.phone"].marked);
  EXPECT_EQ(by["applicant.phone"].pointers, std::vector<std::string>{"/applicant/phone"});
  EXPECT_EQ(form.applicant.phone, preview::MissingMarker("applicant.phone"));
  ASSERT_TRUE(by.count("applicant.birth"));
  EXPECT_FALSE(by["applicant.birth"].marked);
  EXPECT_FALSE(form.applicant.birth);
  EXPECT_NO_THROW(r.Render(typed));
}

// The page size the PDF declares (its first /MediaBox), in points.
void MediaBox(const std::string& pdf, double* width, double* height) {
  static const std::regex box(R"(/MediaBox\s*\[\s*([-0-9.]+)\s+([-0-9.]+)\s+([-0-9.]+)\s+([-0-9.]+)\s*\])");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(pdf, m, box)) << "no /MediaBox in the PDF";
  *width = std::stod(m[3]) - std::stod(m[1]);
  *height = std::stod(m[4]) - std::stod(m[2]);
}

// Every page is a PNG that decodes, as many pixels as the page is large at the resolution asked, with ink on paper.
TEST(preview_raster, PdfPagesBecomePngs) {
  const render::Renderer& r = SharedRenderer();
  render::RenderedDocument doc = r.Render("letter", Sample("letter"));
  double page_w = 0, page_h = 0;
  ASSERT_NO_FATAL_FAILURE(MediaBox(doc.bytes, &page_w, &page_h));
  EXPECT_NEAR(page_w, 595.3, 0.5);  // A4
  EXPECT_NEAR(page_h, 841.9, 0.5);
  for (double dpi : {96.0, 50.0}) {
    SCOPED_TRACE("dpi " + std::to_string(dpi));
    preview::RasterPages pages = preview::RasterizePdf(doc.bytes, dpi);
    EXPECT_EQ(pages.total_pages, doc.pages);
    ASSERT_EQ(static_cast<int>(pages.png.size()), doc.pages);
    for (size_t i = 0; i < pages.png.size(); ++i) {
      SCOPED_TRACE("page " + std::to_string(i + 1));
      EXPECT_EQ(pages.png[i].compare(0, 8, "\x89PNG\r\n\x1a\n"), 0);
      image::DecodedImage png;
      ASSERT_EQ(image::DecodeImage(pages.png[i], &png), "");
      EXPECT_EQ(png.format, image::Format::kPng);
      EXPECT_NEAR(png.width, page_w * dpi / 72, 1.0);
      EXPECT_NEAR(png.height, page_h * dpi / 72, 1.0);
      EXPECT_EQ(png.width, pages.width[i]);
      EXPECT_EQ(png.height, pages.height[i]);
      // Not blank: mostly white paper, and text dark enough to read.
      size_t dark = 0, light = 0;
      const size_t pixels = static_cast<size_t>(png.width) * png.height;
      ASSERT_EQ(png.pixels.size(), pixels * png.channels);
      for (size_t p = 0; p < pixels; ++p) {
        int sum = 0;
        for (int c = 0; c < png.channels; ++c) sum += static_cast<unsigned char>(png.pixels[p * png.channels + c]);
        const int luma = sum / png.channels;
        dark += luma < 100;
        light += luma > 200;
      }
      EXPECT_GT(dark, pixels / 1000) << "no text on the page";
      EXPECT_GT(light, pixels / 2) << "the page is not paper-white";
    }
  }
}

TEST(preview_raster, XlsxReadsBackAsATable) {
  const render::Renderer& r = SharedRenderer();
  render::RenderedDocument doc = r.Render("roster-summary", Sample("roster-summary"));
  preview::SheetTable t = preview::ReadXlsxTable(doc.bytes, 5);
  ASSERT_GE(t.rows.size(), 3u);
  EXPECT_LE(t.rows.size(), 5u);
  EXPECT_GE(t.total_rows, 3);
  EXPECT_EQ(t.sheet_name, "申报人员汇总表");
  EXPECT_NE(t.rows[0][0].find("申报人员汇总表"), std::string::npos);
  bool id_header = false;
  for (const auto& c : t.rows[1]) id_header = id_header || c == "身份证号";
  EXPECT_TRUE(id_header);
  EXPECT_EQ(t.rows[2][0], "1");
  // 出生年月 is a real Excel date shown yyyy-mm
  Object::Ptr body = ParseObject(Sample("roster-summary"));
  std::string birth = body->getArray("applicants")->getObject(0)->getValue<std::string>("birth");
  bool found = false;
  for (const auto& c : t.rows[2]) found = found || c == birth;
  EXPECT_TRUE(found) << birth;
}

}  // namespace
}  // namespace zhiping::previewtest

namespace zhiping::previewtest {
namespace {

TEST(preview_tooling, NamesInsideObjectSectionsAreThatObjectsMembers) {
  Poco::JSON::Object::Ptr d = preview::DescribeTemplate(SharedRenderer(), "review-form");
  Poco::JSON::Array::Ptr fields = d->getArray("fields");
  EXPECT_TRUE(FindField(fields, "applicant.opinions.committee.votes.for")) << ToJson(fields);
  EXPECT_TRUE(FindField(fields, "applicant.opinions.senior.votes.abstain"));
  EXPECT_FALSE(FindField(fields, "for"));
  EXPECT_TRUE(FindField(fields, "applicant.history[].to"));
  EXPECT_FALSE(FindField(fields, "applicant.history[].to.to"));
  // The repository's samples lack only what they leave out on purpose; print it for the record.
  for (const auto& info : SharedRenderer().Templates()) {
    preview::TemplateFields tf = preview::ReadTemplateFields(info.name, info.path);
    model::Request typed = Typed(info.name, Sample(info.name));  // every template has a sample; missing fails
    std::string list;
    for (const auto& m : preview::MarkMissingFields(tf, &typed)) list += " " + m.field;
    std::printf("%s lacks:%s\n", info.name.c_str(), list.c_str());
    if (info.name == "notice" || info.name == "letter") {
      EXPECT_EQ(list, "");
    }
  }
}

}  // namespace
}  // namespace zhiping::previewtest

namespace zhiping::previewtest {
namespace {

TEST(preview_tooling, MissingCellsOfARosterAreMarked) {
  const render::Renderer& r = SharedRenderer();
  std::string path;
  for (const auto& t : r.Templates())
    if (t.name == "roster-summary") path = t.path;
  preview::TemplateFields tf = preview::ReadTemplateFields("roster-summary", path);
  Poco::JSON::Object::Ptr body = ParseObject(Sample("roster-summary"));
  body->getArray("applicants")->getObject(0)->remove("post");
  model::Request typed = Typed("roster-summary", ToJson(body));
  auto missing = preview::MarkMissingFields(tf, &typed);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].field, "applicants[].post");
  EXPECT_TRUE(missing[0].marked);
  preview::SheetTable t = preview::ReadXlsxTable(r.Render(std::move(typed)).bytes, 5);
  bool marked = false;
  for (const auto& c : t.rows.at(2)) marked = marked || c == "【缺：applicants[].post】";
  EXPECT_TRUE(marked);
}

}  // namespace
}  // namespace zhiping::previewtest
