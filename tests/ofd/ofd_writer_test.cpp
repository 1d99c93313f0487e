// Tests for ofd/ofd_writer.h: the letter and the review form written as OFD from the same laid-out pages as their
// PDFs — every glyph where the PDF draws it (read back from the PDF by poppler, tests/layout_check), the same text,
// the rules and the photo; the package's parts parse and refer to files that are there; fonts embedded as subsets
// with a cmap of exactly the characters drawn (𠮷 included); the same document gives the same bytes.
#include "ofd/ofd_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "common/error.h"
#include "fonts/font_face.h"
#include "fonts/truetype.h"
#include "image/decode.h"
#include "layout_check/pdf_glyphs.h"
#include "ofd/package.h"
#include "ofd_read_back.h"
#include "render/renderer.h"
#include "support/files.h"
#include "support/json_edit.h"
#include "support/repo_renderer.h"
#include "support/samples.h"
#include "support/temp_dir.h"

namespace zhiping::ofd {
namespace {

using ofdtest::All;
using ofdtest::Numbers;
using ofdtest::ParseXml;

constexpr double kPtPerMm = 72.0 / 25.4;
constexpr double kPageHeightMm = 297;

struct Both {
  render::RenderedDocument pdf, ofd;
  Package package;
};

Both RenderBoth(const std::string& tmpl) {
  const render::Renderer& r = testing::SharedRenderer();
  Both b{r.Render(tmpl, testing::Sample(tmpl), render::OutputFormat::kPdf),
         r.Render(tmpl, testing::Sample(tmpl), render::OutputFormat::kOfd), {}};
  EXPECT_EQ(b.ofd.media_type, "application/ofd");
  EXPECT_EQ(b.ofd.extension, "ofd");
  b.package = ReadZip(b.ofd.bytes);
  return b;
}

// Every glyph poppler finds in the PDF is drawn by the OFD at the same place (its advance box's left edge and its
// baseline, within 0.2 pt) with the same character, and the OFD draws nothing else but spaces.
int ExpectSameGlyphs(const std::string& tmpl) {  // returns the images drawn
  SCOPED_TRACE(tmpl);
  const Both b = RenderBoth(tmpl);
  const layout_check::Document pdf = layout_check::ReadPdf(b.pdf.bytes);
  const std::vector<ofdtest::OfdPageContent> ofd = ofdtest::ReadPages(b.package);
  EXPECT_EQ(ofd.size(), pdf.pages.size());
  if (ofd.size() != pdf.pages.size()) return -1;
  size_t compared = 0;
  for (size_t p = 0; p < ofd.size(); ++p) {
    const auto& pg = pdf.pages[p].glyphs;
    std::vector<bool> used(pg.size(), false);
    size_t unmatched = 0;
    for (const ofdtest::OfdGlyph& g : ofd[p].glyphs) {
      if (g.cp == U' ' || g.cp == 0x3000) continue;  // poppler reports no glyph for a space
      const double x = g.x * kPtPerMm, baseline = (kPageHeightMm - g.y) * kPtPerMm;
      bool found = false;
      for (size_t i = 0; i < pg.size() && !found; ++i) {
        if (used[i] || pg[i].cp != g.cp) continue;
        if (std::fabs(pg[i].adv_x0 - x) < 0.2 && std::fabs(pg[i].baseline - baseline) < 0.2) found = used[i] = true;
      }
      if (!found && ++unmatched <= 5)
        ADD_FAILURE() << "page " << p << ": OFD glyph " << layout_check::Utf8(g.cp) << " at " << x << "," << baseline
                      << " pt has no PDF glyph there";
      ++compared;
    }
    for (size_t i = 0; i < pg.size(); ++i)
      if (!used[i] && pg[i].cp != U' ' && ++unmatched <= 10)
        ADD_FAILURE() << "page " << p << ": PDF glyph " << layout_check::Utf8(pg[i].cp) << " at " << pg[i].adv_x0
                      << "," << pg[i].baseline << " pt is not in the OFD";
    EXPECT_EQ(unmatched, 0u) << "page " << p;
    // The rules: as many, at the same places.
    const auto& segments = pdf.pages[p].rules;
    EXPECT_EQ(ofd[p].rules.size(), segments.size()) << "page " << p;
    for (size_t i = 0; i < segments.size() && i < ofd[p].rules.size(); ++i) {
      const auto& s = segments[i];
      const auto& r = ofd[p].rules[i];
      EXPECT_NEAR(r.x1 * kPtPerMm, s.x1, 0.05);
      EXPECT_NEAR((kPageHeightMm - r.y1) * kPtPerMm, s.y1, 0.05);
      EXPECT_NEAR(r.x2 * kPtPerMm, s.x2, 0.05);
      EXPECT_NEAR((kPageHeightMm - r.y2) * kPtPerMm, s.y2, 0.05);
      EXPECT_NEAR(r.width * kPtPerMm, s.width, 0.05);
    }
    EXPECT_EQ(ofd[p].images, static_cast<int>(pdf.pages[p].images.size())) << "page " << p;
  }
  EXPECT_GT(compared, 100u);
  int images = 0;
  for (const auto& page : ofd) images += page.images;
  return images;
}

TEST(ofd_Writer, LetterGlyphsRulesAndTextAreThePdfs) { EXPECT_EQ(ExpectSameGlyphs("letter"), 0); }

TEST(ofd_Writer, ReviewFormGlyphsRulesAndPhotoAreThePdfs) { EXPECT_EQ(ExpectSameGlyphs("review-form"), 1); }

TEST(ofd_Writer, PackagePartsParseAndReferToFilesThatAreThere) {
  const Both b = RenderBoth("review-form");
  const Package& pkg = b.package;
  ASSERT_NE(pkg.Find("OFD.xml"), nullptr);
  EXPECT_EQ(pkg.files.front().path, "OFD.xml");
  ofdtest::Dom ofd = ParseXml(pkg.Find("OFD.xml")->bytes);
  EXPECT_EQ(ofd->documentElement()->localName(), "OFD");
  EXPECT_EQ(ofd->documentElement()->namespaceURI(), kOfdNamespace);
  EXPECT_EQ(ofd->documentElement()->nodeName(), "ofd:OFD");
  EXPECT_EQ(All(ofd, "DocRoot").at(0)->innerText(), "Doc_0/Document.xml");
  EXPECT_EQ(All(ofd, "DocID").at(0)->innerText().size(), 32u);
  EXPECT_FALSE(All(ofd, "Title").at(0)->innerText().empty());
  EXPECT_TRUE(All(ofd, "CreationDate").empty()) << "a draft has no date: its bytes stay fixed";
  EXPECT_TRUE(All(ofd, "Signatures").empty());

  ofdtest::Dom doc = ParseXml(pkg.Find("Doc_0/Document.xml")->bytes);
  EXPECT_EQ(Numbers(All(doc, "PhysicalBox").at(0)->innerText()), (std::vector<double>{0, 0, 210, 297}));
  const int max_id = std::stoi(All(doc, "MaxUnitID").at(0)->innerText());
  // Every ID in the package is unique and at most MaxUnitID.
  std::set<int> ids;
  for (const PackageFile& f : pkg.files) {
    if (f.path.size() < 4 || f.path.compare(f.path.size() - 4, 4, ".xml") != 0) continue;
    ofdtest::Dom d = ParseXml(f.bytes);
    Poco::AutoPtr<Poco::XML::NodeList> all = d->getElementsByTagName("*");
    for (unsigned long i = 0; i < all->length(); ++i) {
      auto* e = static_cast<Poco::XML::Element*>(all->item(i));
      if (!e->hasAttribute("ID")) continue;
      const int id = std::stoi(e->getAttribute("ID"));
      EXPECT_TRUE(ids.insert(id).second) << "ID " << id << " twice (" << f.path << ")";
      EXPECT_LE(id, max_id);
    }
  }
  EXPECT_TRUE(ids.count(max_id));
  // Resources: every font and image file named is in the package, under Res.
  for (const char* res : {"Doc_0/PublicRes.xml", "Doc_0/DocumentRes.xml"}) {
    ASSERT_NE(pkg.Find(res), nullptr) << res;
    ofdtest::Dom r = ParseXml(pkg.Find(res)->bytes);
    EXPECT_EQ(r->documentElement()->getAttribute("BaseLoc"), "Res");
    for (const char* file : {"FontFile", "MediaFile"})
      for (Poco::XML::Element* e : All(r, file))
        EXPECT_NE(pkg.Find("Doc_0/Res/" + e->innerText()), nullptr) << e->innerText();
  }
  // The photo: a MultiMedia whose file the image stage decodes to the size the PDF draws.
  ofdtest::Dom media = ParseXml(pkg.Find("Doc_0/DocumentRes.xml")->bytes);
  ASSERT_EQ(All(media, "MultiMedia").size(), 1u);
  const std::string file = "Doc_0/Res/" + All(media, "MediaFile").at(0)->innerText();
  image::DecodedImage img;
  EXPECT_EQ(image::DecodeImage(pkg.Find(file)->bytes, &img), "");
  ASSERT_TRUE(b.pdf.layout);
  const image::DecodedImage* photo = nullptr;
  for (const auto& page : b.pdf.layout->pages)
    if (!photo && !page.images.empty()) photo = page.images[0].image.get();
  ASSERT_NE(photo, nullptr) << "the review form's photo";
  const image::DecodedImage& drawn = *photo;
  EXPECT_EQ(img.width, drawn.width);
  EXPECT_EQ(img.height, drawn.height);
  EXPECT_EQ(img.pixels, drawn.pixels) << "the photo's own pixels (lossless PNG, or the verified JPEG itself)";
  EXPECT_FALSE(pkg.Find(file)->compress) << "an image is stored, not deflated again";
  // Every object's resource exists.
  std::set<std::string> resources;
  int image_objects = 0;
  for (const char* res : {"Doc_0/PublicRes.xml", "Doc_0/DocumentRes.xml"}) {
    ofdtest::Dom r = ParseXml(pkg.Find(res)->bytes);
    for (const char* kind : {"Font", "MultiMedia"})
      for (Poco::XML::Element* e : All(r, kind)) resources.insert(e->getAttribute("ID"));
  }
  for (const PackageFile& f : pkg.files) {
    if (f.path.find("/Content.xml") == std::string::npos) continue;
    ofdtest::Dom page = ParseXml(f.bytes);
    for (Poco::XML::Element* t : All(page, "TextObject")) EXPECT_TRUE(resources.count(t->getAttribute("Font")));
    for (Poco::XML::Element* i : All(page, "ImageObject")) {
      EXPECT_TRUE(resources.count(i->getAttribute("ResourceID")));
      ++image_objects;
    }
  }
  EXPECT_EQ(image_objects, 1);
}

// Each embedded font parses, its cmap maps exactly the characters its TextObjects draw (𠮷, beyond the BMP, too)
// and it holds only their glyphs and .notdef.
TEST(ofd_Writer, FontsAreSubsetsWithACmapOfTheCharactersDrawn) {
  const Both b = RenderBoth("letter");
  std::map<int, std::set<char32_t>> drawn;
  for (const auto& page : ofdtest::ReadPages(b.package))
    for (const auto& g : page.glyphs) drawn[g.font].insert(g.cp);
  ofdtest::Dom res = ParseXml(b.package.Find("Doc_0/PublicRes.xml")->bytes);
  ASSERT_EQ(All(res, "Font").size(), drawn.size());
  bool saw_ext_b = false;
  for (Poco::XML::Element* font : All(res, "Font")) {
    const int id = std::stoi(font->getAttribute("ID"));
    const std::string data = b.package.Find("Doc_0/Res/" + All(font, "FontFile").at(0)->innerText())->bytes;
    fonts::TrueTypeFace face(data, 0, "font " + std::to_string(id));
    std::set<char32_t> mapped;
    std::set<uint16_t> glyphs;
    for (const auto& [cp, gid] : face.unicode_map()) {
      mapped.insert(cp);
      glyphs.insert(gid);
      EXPECT_NE(gid, 0) << layout_check::Utf8(cp);
    }
    EXPECT_EQ(mapped, drawn[id]) << "font " << id;
    EXPECT_EQ(face.num_glyphs(), glyphs.size() + 1) << "only the glyphs drawn and .notdef";
    EXPECT_LT(data.size(), 200000u);
    saw_ext_b |= mapped.count(U'\U00020BB7') > 0;
  }
  EXPECT_TRUE(saw_ext_b) << "the sample's 吉𠮷 should be drawn from an embedded font mapping U+20BB7";
}

TEST(ofd_Writer, NonBmpNameIsWrittenAsItself) {
  const Both b = RenderBoth("letter");
  const std::string content = b.package.Find("Doc_0/Pages/Page_0/Content.xml")->bytes;
  EXPECT_NE(content.find(">𠮷<"), std::string::npos) << "U+20BB7 as itself in its TextCode";
  for (const auto& page : ofdtest::ReadPages(b.package))
    for (const auto& g : page.glyphs) EXPECT_FALSE(g.cp >= 0xE000 && g.cp <= 0xF8FF) << "a private-use alias";
}

TEST(ofd_Writer, SameDocumentSameBytes) {
  const render::Renderer& r = testing::SharedRenderer();
  const std::string a = r.Render("review-form", testing::Sample("review-form"), render::OutputFormat::kOfd).bytes;
  const std::string b = r.Render("review-form", testing::Sample("review-form"), render::OutputFormat::kOfd).bytes;
  EXPECT_EQ(a, b);
  // Another document: another DocID.
  const std::string other = r.Render("review-form", testing::WithString(testing::Sample("review-form"),
                                                                          "/applicant/post", "宣传部部长"),
                                     render::OutputFormat::kOfd)
                                .bytes;
  auto doc_id = [](const std::string& zip) {
    return All(ParseXml(ReadZip(zip).Find("OFD.xml")->bytes), "DocID").at(0)->innerText();
  };
  EXPECT_NE(doc_id(a), doc_id(other));
}

TEST(ofd_Writer, OptionsAndTheSealPlaceForTheSealStage) {
  const render::RenderedDocument pdf =
      testing::SharedRenderer().Render("letter", testing::Sample("letter"), render::OutputFormat::kPdf);
  ASSERT_TRUE(pdf.layout);
  ASSERT_GE(pdf.seal_page, 0) << "the letter has a seal box";
  OfdOptions options;
  options.author = "省政工职评办";
  options.creation_date = "2022-10-08";
  const OfdDocument written = WriteOfd(*pdf.layout, options);
  ofdtest::Dom ofd = ParseXml(written.package.Find("OFD.xml")->bytes);
  EXPECT_EQ(All(ofd, "Author").at(0)->innerText(), "省政工职评办");
  EXPECT_EQ(All(ofd, "CreationDate").at(0)->innerText(), "2022-10-08");
  ASSERT_EQ(written.pages.size(), static_cast<size_t>(pdf.pages));
  ofdtest::Dom doc = ParseXml(written.package.Find("Doc_0/Document.xml")->bytes);
  const auto pages = All(doc, "Page");
  for (size_t p = 0; p < pages.size(); ++p) {
    EXPECT_EQ(pages[p]->getAttribute("ID"), std::to_string(written.pages[p].id));
    EXPECT_NE(written.package.Find(written.pages[p].content_path), nullptr);
  }
  EXPECT_EQ(std::to_string(written.max_unit_id), All(doc, "MaxUnitID").at(0)->innerText());
  EXPECT_EQ(written.seal.page, pdf.seal_page);
  EXPECT_EQ(written.seal.page_id, written.pages[pdf.seal_page].id);
  EXPECT_NEAR(written.seal.x, pdf.seal_x / kPtPerMm, 1e-9);
  EXPECT_NEAR(written.seal.y, kPageHeightMm - (pdf.seal_y + pdf.seal_h) / kPtPerMm, 1e-9);
  EXPECT_NEAR(written.seal.w, pdf.seal_w / kPtPerMm, 1e-9);
  EXPECT_NEAR(written.seal.h, pdf.seal_h / kPtPerMm, 1e-9);
}

}  // namespace
}  // namespace zhiping::ofd

namespace zhiping::ofd {
namespace {

// A run with a character beyond the BMP inside it: its TextCode is cut after that character, so each piece's own X
// holds even for a reader that counts DeltaX in UTF-16 units; every glyph stays where the layout put it.
TEST(ofd_Writer, ARunIsCutAfterACharacterBeyondTheBmp) {
  const render::RenderedDocument pdf =
      testing::SharedRenderer().Render("letter", testing::Sample("letter"), render::OutputFormat::kPdf);
  ASSERT_TRUE(pdf.layout);
  const layout::TextRun* ext_b = nullptr;
  for (const auto& page : pdf.layout->pages)
    for (const auto& run : page.runs)
      for (const auto& g : run.glyphs)
        if (g.cp == U'\U00020BB7') ext_b = &run;
  ASSERT_NE(ext_b, nullptr) << "the sample's 𠮷";
  std::u32string bmp;
  for (char32_t c : std::u32string(U"吉一二三")) {
    if (ext_b->face->Has(c)) bmp.push_back(c);
  }
  ASSERT_GE(bmp.size(), 2u) << "the face that draws 𠮷 should have common Han characters too";
  layout::LaidOutDocument doc;
  doc.title = "t";
  doc.pages.emplace_back();
  layout::TextRun run = *ext_b;
  run.glyphs = {{bmp[0], 100}, {U'\U00020BB7', 116}, {bmp[1], 132.5}, {bmp[0], 149}};
  doc.pages[0].runs.push_back(run);
  const OfdDocument written = WriteOfd(doc);
  ofdtest::Dom content = ParseXml(written.package.Find(written.pages[0].content_path)->bytes);
  const auto codes = All(content, "TextCode");
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes[0]->innerText(), layout_check::Utf8(bmp[0]) + "𠮷");
  EXPECT_EQ(codes[1]->innerText(), layout_check::Utf8(bmp[1]) + layout_check::Utf8(bmp[0]));
  const auto glyphs = ofdtest::ReadPages(written.package).at(0).glyphs;
  ASSERT_EQ(glyphs.size(), 4u);
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(glyphs[k].cp, run.glyphs[k].cp);
    EXPECT_NEAR(glyphs[k].x * kPtPerMm, run.glyphs[k].x, 0.01) << k;
    EXPECT_NEAR((kPageHeightMm - glyphs[k].y) * kPtPerMm, run.y, 0.01) << k;
  }
}

// Fonts are named as the faces call themselves (readers that draw with installed fonts look the family up).
TEST(ofd_Writer, FontsCarryTheirFamilyAndPostScriptNames) {
  const render::RenderedDocument pdf =
      testing::SharedRenderer().Render("letter", testing::Sample("letter"), render::OutputFormat::kPdf);
  const OfdDocument written = WriteOfd(*pdf.layout);
  ofdtest::Dom res = ParseXml(written.package.Find("Doc_0/PublicRes.xml")->bytes);
  std::set<std::string> families;
  for (Poco::XML::Element* font : All(res, "Font")) {
    families.insert(font->getAttribute("FamilyName"));
    EXPECT_FALSE(font->getAttribute("FontName").empty());
  }
  std::set<std::string> expected;
  for (const auto& page : pdf.layout->pages)
    for (const auto& run : page.runs) expected.insert(run.face->family());
  EXPECT_EQ(families, expected);
  EXPECT_TRUE(families.count("AR PL SungtiL GB")) << "the Song face of fonts/fonts.conf";
}

}  // namespace
}  // namespace zhiping::ofd
