// render: the report (上行文) and the review form (评审表, @form grids) through the whole pipeline, read back with
// poppler: content, the 签发人 line, the photo cell (drawn without distortion, or an empty box with 照片), long
// sections continuing on new pages with "（续）", and no word of a cell outside its column.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cmath>
#include <regex>

#include "common/error.h"
#include "common/utf8.h"
#include "model/photo.h"
#include "render_test_util.h"
#include "test_images.h"

namespace zhiping {
namespace {

using namespace coretest;
using namespace rendertest;
using Poco::JSON::Array;
using Poco::JSON::Object;

const double kLeft = 28 * kPt, kWidth = 156 * kPt;

std::vector<BoxWord> Words(const Rendered& r) { return ParseBbox(RunCommand("pdftotext -bbox '" + r.path + "' -").out); }

// A full-width closing mark at a line end is set ½ em; poppler still counts its full advance.
double PunctuationSlack(const std::string& word, double size) {
  std::u32string u;
  DecodeUtf8(word, &u);
  return !u.empty() && std::u32string(U"、。，；：！？）》」”〕】］").find(u.back()) != std::u32string::npos ? size / 2 + 0.5 : 0;
}

// A w × h RGB PNG, uncompressed (stored deflate blocks), so the test needs no image library.
std::string MakePng(int w, int h) {
  auto be32 = [](uint32_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i) s[i] = static_cast<char>(v >> (24 - 8 * i));
    return s;
  };
  auto crc = [](const std::string& s) {
    uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : s) {
      c ^= b;
      for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
  };
  auto chunk = [&](const std::string& type, const std::string& data) {
    return be32(static_cast<uint32_t>(data.size())) + type + data + be32(crc(type + data));
  };
  std::string raw;
  for (int y = 0; y < h; ++y) {
    raw += '\0';
    for (int x = 0; x < w; ++x) raw += std::string{char(40 + y % 200), char(120), char(200 - x % 150)};
  }
  std::string z = "\x78\x01";
  uint32_t a = 1, b = 0;
  for (unsigned char c : raw) a = (a + c) % 65521, b = (b + a) % 65521;
  for (size_t p = 0; p < raw.size(); p += 65535) {
    size_t n = std::min<size_t>(65535, raw.size() - p);
    z += static_cast<char>(p + n == raw.size() ? 1 : 0);
    z += static_cast<char>(n & 0xFF), z += static_cast<char>(n >> 8);
    z += static_cast<char>(~n & 0xFF), z += static_cast<char>((~n >> 8) & 0xFF);
    z += raw.substr(p, n);
  }
  z += be32(b << 16 | a);
  std::string ihdr = be32(w) + be32(h) + std::string("\x08\x02\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", z) + chunk("IEND", "");
}

struct Placed {
  double w, h, x, y;
};
// Every image placement in the file: the `w 0 0 h x y cm /Im Do` of the uncompressed content streams.
std::vector<Placed> ImagePlacements(const Rendered& r) {
  const std::string qdf = r.path + ".qdf.pdf";
  RunCommand("qpdf --qdf --object-streams=disable '" + r.path + "' '" + qdf + "'");
  std::string text = ReadAll(qdf);
  static const std::regex cm(R"(([-0-9.]+) 0 0 ([-0-9.]+) ([-0-9.]+) ([-0-9.]+) cm\s*/[A-Za-z0-9_]+ Do)");
  std::vector<Placed> out;
  for (std::sregex_iterator it(text.begin(), text.end(), cm), end; it != end; ++it)
    out.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4])});
  return out;
}

int ImageCount(const Rendered& r) {
  auto list = RunCommand("pdfimages -list '" + r.path + "'");
  int n = 0;
  std::istringstream in(list.out);
  std::string line;
  while (std::getline(in, line))
    if (line.find(" image ") != std::string::npos) ++n;
  return n;
}

// ---- report -----------------------------------------------------------------------------------------------------

const Rendered& Report() {
  static Rendered* r = new Rendered(RenderToFile("report", Sample("report"), "report"));
  return *r;
}

TEST(render_Report, RendersFromTheSampleWithTheBodyOfAttachment3) {
  ExpectCleanPdf(Report());
  const std::string& t = Report().text;
  EXPECT_TRUE(Contains(t, "关于上报2022年度高级政工师评审名单的报告")) << t;
  EXPECT_TRUE(Contains(t, "省政工职评办：")) << "addressee";
  EXPECT_TRUE(Contains(t, "确定史建国等共10位同志符合高级政工师申报条件，现推荐上报，请省高评委予以评审。")) << t;
  EXPECT_TRUE(Contains(t, "特此报告。"));
  // Issue 11: the list names the one attachment printed, under its title (it listed a second one never printed).
  EXPECT_TRUE(Contains(t, "附件：2022年度高级政工师评审对象资格审查花名册")) << t;
  EXPECT_FALSE(Contains(t, "公示情况说明")) << t;
  EXPECT_TRUE(Contains(t, "杭州市思想政治工作人员专业职务中级评审委员会"));
  EXPECT_TRUE(Contains(t, "2022年9月13日")) << "成文日期";
  EXPECT_TRUE(Contains(t, "汪晓燕")) << "the last applicant on the attachment page";
  EXPECT_TRUE(Contains(t, "申报专业职务"));
}

TEST(render_Report, DocumentNumberAndSignerShareALine) {
  auto words = Words(Report());
  const BoxWord* number = nullptr;
  double signer_right = 0, signer_y = -1;
  for (const auto& w : words) {
    if (w.page != 0) continue;
    if (Contains(w.text, "杭政职评") && !number) number = &w;
    if (Contains(w.text, "签发人")) signer_y = w.y_min;
    if (Contains(w.text, "陈建华")) signer_right = std::max(signer_right, w.x_max);
  }
  ASSERT_TRUE(number) << "no 发文字号 on page 1";
  ASSERT_GE(signer_y, 0) << "no 签发人 on page 1";
  EXPECT_NEAR(number->y_min, signer_y, 2) << "发文字号 and 签发人 on one line";
  const double zi = kWidth / 28;
  EXPECT_NEAR(number->x_min, kLeft + zi, 2) << "发文字号 indented 1 字";
  EXPECT_NEAR(signer_right, kLeft + kWidth - zi, 2.5) << "签发人 1 字 from the right";
}

TEST(render_Report, TheListShowsNoIdNumber) {
  Object::Ptr body = ParseObject(Sample("report"));
  body->getArray("applicants")->getObject(0)->set("id_number", std::string("330102197903141792"));
  body->getArray("applicants")->getObject(0)->set("phone", std::string("18628816302"));
  Rendered r = RenderToFile("report", testing::ToJson(body), "report-private");
  EXPECT_TRUE(Contains(r.text, "史建国"));
  EXPECT_FALSE(Contains(r.text, "330102197903141792"));
  EXPECT_FALSE(Contains(r.text, "18628816302"));
}

// ---- review form ------------------------------------------------------------------------------------------------

const Rendered& Form() {
  static Rendered* r = new Rendered(RenderToFile("review-form", Sample("review-form"), "review-form"));
  return *r;
}

TEST(render_ReviewForm, RendersFromTheSampleWithEverySection) {
  ExpectCleanPdf(Form());
  EXPECT_GE(Form().pages, 4);
  const std::string& t = Form().text;
  for (const char* s : {"浙江省思想政治工作人员专业职务评审表", "申报专业职务", "填表日期", "吉𠮷", "基本情况",
                        "学习和工作经历", "杭州师范大学政治经济学院", "理论知识能力测试", "主要业绩", "论文、著作",
                        "获奖情况", "年度考核情况", "单位推荐意见", "中评委评审意见", "赞成11票，反对0票，弃权1票",
                        "高评委评审意见", "认定机关意见", "签字：", "（盖章）", "年月日", "2022年9月10日"})
    EXPECT_TRUE(Contains(t, s)) << s;
  EXPECT_FALSE(Contains(t, "照片")) << "the sample has a photo";
  EXPECT_EQ(ImageCount(Form()), 1);
}

TEST(render_ReviewForm, WithoutAPhotoTheCellSaysPhoto) {
  Object::Ptr body = ParseObject(Sample("review-form"));
  body->getObject("applicant")->remove("photo");
  Rendered r = RenderToFile("review-form", testing::ToJson(body), "review-form-nophoto");
  ExpectCleanPdf(r);
  EXPECT_TRUE(Contains(r.text, "照片"));
  EXPECT_EQ(ImageCount(r), 0);
  EXPECT_TRUE(ImagePlacements(r).empty());
}

TEST(render_ReviewForm, ThePhotoKeepsItsAspectRatio) {
  const double box_w = 25 * kPt, box_h = 35 * kPt;
  struct Case {
    int w, h;
  };
  for (Case c : {Case{200, 100}, Case{90, 160}, Case{100, 140}}) {
    Object::Ptr body = ParseObject(Sample("review-form"));
    Object::Ptr photo = new Object;
    photo->set("media_type", std::string("image/png"));
    photo->set("data", model::EncodeBase64(MakePng(c.w, c.h)));
    body->getObject("applicant")->set("photo", photo);
    Rendered r = RenderToFile("review-form", testing::ToJson(body), "review-form-photo");
    auto list = RunCommand("pdfimages -list '" + r.path + "'").out;
    EXPECT_TRUE(std::regex_search(list, std::regex("image\\s+" + std::to_string(c.w) + "\\s+" + std::to_string(c.h))))
        << list;
    auto placed = ImagePlacements(r);
    ASSERT_EQ(placed.size(), 1u) << c.w << "x" << c.h;
    const Placed& p = placed[0];
    EXPECT_NEAR(p.w / p.h, double(c.w) / c.h, 0.01) << "drawn " << p.w << " x " << p.h;
    EXPECT_LE(p.w, box_w + 0.05);
    EXPECT_LE(p.h, box_h + 0.05);
    EXPECT_TRUE(std::fabs(p.w - box_w) < 0.05 || std::fabs(p.h - box_h) < 0.05) << "scaled to fit the one-inch box";
    // Centred in the photo column (the last 26% of the basic-data grid).
    const double col_l = kLeft + 0.74 * kWidth, col_r = kLeft + kWidth;
    EXPECT_NEAR(p.x + p.w / 2, (col_l + col_r) / 2, 0.5);
  }
}

// Every kind of photo an office sends ends up in the PDF: PNG of every colour type (alpha composited onto
// white, so no soft mask), interlaced and 16-bit, as decoded pixels; JPEG baseline, progressive and gray as their
// own verified bytes (DCT). pdfimages reads each back at its size and colour space.
TEST(render_ReviewForm, EveryGoodPhotoKindIsEmbedded) {
  using testimages::PngColor;
  struct Case {
    std::string name, bytes, color, enc;
  };
  const Case cases[] = {
      {"png rgb", testimages::MakePng({}), "rgb", "image"},
      {"png gray", testimages::MakePng({100, 140, PngColor::kGray}), "gray", "image"},
      {"png gray 1-bit", testimages::MakePng({100, 140, PngColor::kGray, 1}), "gray", "image"},
      {"png gray+alpha", testimages::MakePng({100, 140, PngColor::kGrayAlpha}), "gray", "image"},
      {"png rgba", testimages::MakePng({100, 140, PngColor::kRgba}), "rgb", "image"},
      {"png rgba 16-bit", testimages::MakePng({100, 140, PngColor::kRgba, 16}), "rgb", "image"},
      {"png palette", testimages::MakePng({100, 140, PngColor::kPalette}), "rgb", "image"},
      {"png palette+tRNS", testimages::MakePng({100, 140, PngColor::kPaletteTrns, 4}), "rgb", "image"},
      {"png interlaced", testimages::MakePng({100, 140, PngColor::kRgb, 8, true}), "rgb", "image"},
      {"jpeg baseline", testimages::MakeJpeg({}), "rgb", "jpeg"},
      {"jpeg progressive", testimages::MakeJpeg({100, 140, false, true}), "rgb", "jpeg"},
      {"jpeg gray", testimages::MakeJpeg({100, 140, true}), "gray", "jpeg"},
      {"jpeg gray progressive", testimages::MakeJpeg({100, 140, true, true}), "gray", "jpeg"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Object::Ptr body = ParseObject(Sample("review-form"));
    Object::Ptr photo = new Object;
    photo->set("media_type", std::string(c.bytes[0] == '\x89' ? "image/png" : "image/jpeg"));
    photo->set("data", model::EncodeBase64(c.bytes));
    body->getObject("applicant")->set("photo", photo);
    Rendered r;  // only the image matters here: no pdftotext (RenderToFile), one pdfimages
    r.path = FreshDir("render-review-form-kind") + "/review-form.pdf";
    WriteAll(r.path, SharedRenderer().Render("review-form", testing::ToJson(body)).bytes);
    auto list = RunCommand("pdfimages -list '" + r.path + "'").out;
    // page num type width height color comp bpc enc ...
    EXPECT_TRUE(std::regex_search(list, std::regex("image\\s+100\\s+140\\s+" + c.color + "\\s+\\d\\s+8\\s+" + c.enc)))
        << list;
    EXPECT_EQ(std::count(list.begin(), list.end(), '\n'), 3) << list << "one image, no soft mask: alpha is composited";
  }
}

TEST(render_ReviewForm, ACorruptPhotoIsAProblemAtItsDataNeverADocument) {
  for (const auto& [name, bytes] : testimages::CorruptPngs()) {
    SCOPED_TRACE(name);
    Object::Ptr body = ParseObject(Sample("review-form"));
    body->getObject("applicant")->getObject("photo")->set("data", model::EncodeBase64(bytes));
    try {
      SharedRenderer().Render("review-form", testing::ToJson(body));
      ADD_FAILURE() << "rendered";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
      ASSERT_EQ(e.problems().size(), 1u) << e.what();
      EXPECT_EQ(e.problems()[0].pointer, "/applicant/photo/data");
    }
  }
}

// An applicant with 40 history rows and 6,000 characters of achievements.
Object::Ptr LongApplicant(std::vector<std::string>* units, std::string* last_sentence) {
  Object::Ptr body = ParseObject(Sample("review-form"));
  Object::Ptr a = body->getObject("applicant");
  Array::Ptr history = new Array;
  for (int i = 0; i < 40; ++i) {
    Object::Ptr h = new Object;
    char from[16], to[16];
    std::snprintf(from, sizeof from, "%04d-%02d", 1997 + i / 2, i % 2 ? 7 : 1);
    std::snprintf(to, sizeof to, "%04d-%02d", 1997 + i / 2, i % 2 ? 12 : 6);
    h->set("from", std::string(from));
    h->set("to", std::string(to));
    std::string unit = "杭州市第" + std::to_string(i + 1) + "测试单位宣传教育中心办公室";
    units->push_back(unit);
    h->set("unit", unit);
    h->set("post", std::string("岗位") + std::to_string(i + 1));
    history->add(h);
  }
  a->set("history", history);
  const std::string sentence = "围绕基层理论宣讲、思想政治工作品牌建设和队伍培养开展系统工作，成效明显，群众认可度高。";
  Array::Ptr achievements = new Array;
  for (int k = 0; k < 3; ++k) {
    std::string text;
    const int sentences = k == 0 ? 100 : 20;  // ~4,300 + 2 × ~860 characters: the first is taller than a page
    for (int s = 0; s < sentences; ++s) text += sentence;
    if (k == 2) {
      *last_sentence = "最后一句：以上业绩经单位审核属实，特此说明。";
      text += *last_sentence;
    }
    Object::Ptr ach = new Object;
    ach->set("period", std::string("2013-2022"));
    ach->set("title", std::string("长篇业绩") + std::to_string(k + 1));
    ach->set("role", std::string("主持"));
    ach->set("description", text);
    achievements->add(ach);
  }
  a->set("achievements", achievements);
  return body;
}

TEST(render_ReviewForm, LongSectionsContinueOnNewPagesWithNothingLost) {
  std::vector<std::string> units;
  std::string last;
  Object::Ptr body = LongApplicant(&units, &last);
  Rendered r;
  try {
    r = RenderToFile("review-form", testing::ToJson(body), "review-form-long");
  } catch (const Error& e) {
    std::string msg = e.what();
    for (const auto& p : e.problems()) msg += "\n" + FormatProblem(p);
    FAIL() << msg;
  }
  ExpectCleanPdf(r);
  EXPECT_GT(r.pages, Form().pages + 3);
  for (const std::string& u : units) EXPECT_TRUE(Contains(r.text, u)) << "history unit " << u;
  EXPECT_TRUE(Contains(r.text, "岗位40"));
  EXPECT_TRUE(Contains(r.text, last)) << "the last sentence of the achievements";
  EXPECT_TRUE(Contains(r.text, "学习和工作经历（续）"));
  EXPECT_TRUE(Contains(r.text, "主要业绩（续）"));
  EXPECT_TRUE(Contains(r.text, "认定机关意见")) << "the form goes on after the long sections";

  // Words stay inside their column: history (30% | 48% | 22%), achievements (18% | 82%), and the type area.
  auto words = Words(r);
  int checked_units = 0, checked_posts = 0, checked_text = 0;
  for (const auto& w : words) {
    if (w.y_min > (37 + 225) * kPt + 5) continue;  // page number
    const double slack = PunctuationSlack(w.text, 12);
    EXPECT_GE(w.x_min, kLeft - 0.5) << w.text;
    EXPECT_LE(w.x_max, kLeft + kWidth + 0.5 + slack) << w.text;
    EXPECT_GE(w.y_min, 37 * kPt - 1) << w.text;
    EXPECT_LE(w.y_max, (37 + 225) * kPt + 1) << w.text;
    if (Contains(w.text, "测试单位") || Contains(w.text, "宣传教育中心")) {
      ++checked_units;
      EXPECT_GE(w.x_min, kLeft + 0.30 * kWidth) << w.text << " page " << w.page + 1;
      EXPECT_LE(w.x_max, kLeft + 0.78 * kWidth + slack) << w.text << " page " << w.page + 1;
    }
    if (Contains(w.text, "岗位")) {
      ++checked_posts;
      EXPECT_GE(w.x_min, kLeft + 0.78 * kWidth) << w.text;
    }
    if (Contains(w.text, "思想政治工作品牌")) {
      ++checked_text;
      EXPECT_GE(w.x_min, kLeft + 0.18 * kWidth) << w.text << " page " << w.page + 1;
    }
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GE(checked_units, 40);
  EXPECT_GE(checked_posts, 40);
  EXPECT_GE(checked_text, 50);
}

}  // namespace
}  // namespace zhiping
