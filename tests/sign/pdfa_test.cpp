// PDF/A-2b of signed documents and the visible signature's look: a real letter rendered by the real pipeline,
// signed, then checked by tools that are not ours (qpdf --json, pdfinfo -meta, pdffonts, pdftotext, pdfsig,
// pdftoppm) through tests/support/pdfa_check.h.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "common/error.h"
#include "image/png_encoder.h"
#include "fonts/font_set.h"
#include "image/decode.h"
#include "sign/dev_seal_picture.h"
#include "sign/seal_image.h"
#include "sign/signer.h"
#include "support/pdfa_check.h"
#include "support/repo_renderer.h"
#include "support/samples.h"
#include "test_support.h"

namespace zhiping::sign {
namespace {

using testing::FreshDir;
using testing::Pdfsig;
using testing::Quote;
using testing::ReadAll;
using testing::RunCommand;
using testing::WriteAll;

std::unique_ptr<Signer> FontSigner(const std::string& seal_image = "") {
  SignerConfig config = testing::PkiSignerConfig();
  config.seal_image = seal_image;
  config.fonts = [] { return zhiping::testing::SharedRenderer().font_set(); };
  return Signer::Create(config);
}

// A sample letter rendered, and a request that signs it visibly at its seal place.
std::string Letter(SignRequest* request) {
  render::RenderedDocument doc = zhiping::testing::SharedRenderer().Render("letter", zhiping::testing::Sample("letter"));
  request->reason = "评审结果通知书";
  request->location = "浙江省思想政治工作人员专业职务评定工作办公室";
  request->title = doc.title;
  request->appearance = {true, doc.seal_page, doc.seal_x, doc.seal_y, doc.seal_w, doc.seal_h};
  EXPECT_GT(doc.seal_w, 100);  // a 42 mm seal
  return doc.bytes;
}

// 200×200 RGBA: a red disc of radius 80 on transparency.
std::string RedDiscPng(int w = 200, int h = 200) {
  std::string px(static_cast<size_t>(w) * h * 4, '\0');
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const bool in = std::hypot(x - w / 2.0, y - h / 2.0) < 0.4 * std::min(w, h);
      unsigned char* p = reinterpret_cast<unsigned char*>(&px[(static_cast<size_t>(y) * w + x) * 4]);
      p[0] = 230, p[1] = 0, p[2] = 0, p[3] = in ? 255 : 0;
    }
  return image::EncodePngRgba(reinterpret_cast<const unsigned char*>(px.data()), w, h);
}

// A P6 PPM page from pdftoppm at 72 dpi (1 pixel a point): the colour at PDF point (x, y) from bottom-left.
struct Ppm {
  int w = 0, h = 0;
  std::string px;
  const unsigned char* At(double x, double y) const {
    const int col = static_cast<int>(x), row = h - 1 - static_cast<int>(y);
    return reinterpret_cast<const unsigned char*>(&px[(static_cast<size_t>(row) * w + col) * 3]);
  }
};
Ppm RenderPage(const std::string& pdf_path, const std::string& prefix) {
  EXPECT_EQ(RunCommand("pdftoppm -r 72 -f 1 -l 1 -singlefile " + Quote(pdf_path) + " " + Quote(prefix)).exit_code, 0);
  std::string data = ReadAll(prefix + ".ppm");
  Ppm ppm;
  std::istringstream in(data);
  std::string magic;
  int max = 0;
  in >> magic >> ppm.w >> ppm.h >> max;
  in.get();
  ppm.px = data.substr(static_cast<size_t>(in.tellg()));
  EXPECT_EQ(magic, "P6");
  EXPECT_EQ(ppm.px.size(), static_cast<size_t>(ppm.w) * ppm.h * 3);
  return ppm;
}

TEST(sign_Pdfa, SignedLetterIsPdfA2bAndStillValid) {
  const std::string dir = FreshDir("pdfa-letter");
  SignRequest request;
  const std::string unsigned_pdf = Letter(&request);
  const std::string pdf = FontSigner()->Sign(unsigned_pdf, request);
  WriteAll(dir + "/letter.pdf", pdf);
  EXPECT_EQ(pdf.compare(0, 9, "%PDF-1.7\n"), 0);
  EXPECT_GE(static_cast<unsigned char>(pdf[10]), 128);  // the binary comment line
  for (const std::string& problem : zhiping::testing::PdfAProblems(dir + "/letter.pdf")) ADD_FAILURE() << problem;
  // The unsigned render has no date in it: the same bytes every time (the issuer's idempotence hash).
  SignRequest again;
  EXPECT_EQ(Letter(&again), unsigned_pdf);

  const testing::CommandResult info = RunCommand("pdfinfo " + Quote(dir + "/letter.pdf"));
  EXPECT_NE(info.out.find("Title:           评审结果通知书"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("Author:          浙江省思想政治工作人员专业职务评定工作办公室"), std::string::npos);
  const std::string sig = Pdfsig(dir + "/letter.pdf");
  EXPECT_NE(sig.find("Signature is Valid."), std::string::npos) << sig;
  EXPECT_NE(sig.find("Certificate is Trusted."), std::string::npos) << sig;
  // The appearance's text extracts as the Chinese it is (embedded CJK subset, ToUnicode).
  const testing::CommandResult text = RunCommand("pdftotext " + Quote(dir + "/letter.pdf") + " -");
  EXPECT_NE(text.out.find("数字签名：Test Signing Office"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("时间：20"), std::string::npos) << text.out;
  EXPECT_TRUE(text.err.empty()) << text.err;
}

// The checker can fail: a draft (the render before signing) has none of the archival parts.
TEST(sign_Pdfa, DraftRenderIsNotPdfAAndTheCheckSaysWhy) {
  const std::string dir = FreshDir("pdfa-draft");
  SignRequest request;
  WriteAll(dir + "/draft.pdf", Letter(&request));
  std::string all;
  for (const std::string& problem : zhiping::testing::PdfAProblems(dir + "/draft.pdf")) all += problem + "\n";
  EXPECT_NE(all.find("catalog has no /Metadata stream"), std::string::npos) << all;
  EXPECT_NE(all.find("no /OutputIntents entry"), std::string::npos) << all;
  EXPECT_NE(all.find("trailer has no /ID"), std::string::npos) << all;
  EXPECT_NE(all.find("XMP pdfaid:part is not 2"), std::string::npos) << all;
  // A base-14 font is found (the signing tests' own page is drawn in Helvetica).
  WriteAll(dir + "/hello.pdf", testing::MakeHelloPdf());
  all.clear();
  for (const std::string& problem : zhiping::testing::PdfAProblems(dir + "/hello.pdf")) all += problem + "\n";
  EXPECT_NE(all.find("base-14 font /Helvetica"), std::string::npos) << all;
}

TEST(sign_Pdfa, InvisibleSignatureIsAPrintOnlyZeroRectangle) {
  const std::string dir = FreshDir("pdfa-invisible");
  SignRequest request;
  const std::string unsigned_pdf = Letter(&request);
  request.appearance = Appearance{};
  request.date = 1669000000;  // 2022-11-21T03:06:40Z
  WriteAll(dir + "/letter.pdf", FontSigner()->Sign(unsigned_pdf, request));
  for (const std::string& problem : zhiping::testing::PdfAProblems(dir + "/letter.pdf")) ADD_FAILURE() << problem;
  const std::string pdf = ReadAll(dir + "/letter.pdf");
  EXPECT_NE(pdf.find("(D:20221121030640Z)"), std::string::npos);
  EXPECT_NE(RunCommand("pdfinfo -meta " + Quote(dir + "/letter.pdf")).out.find("2022-11-21T03:06:40Z"),
            std::string::npos);
}

TEST(sign_Pdfa, SealImageWithAlphaShowsRedWhereRedAndPageWhereTransparent) {
  const std::string dir = FreshDir("pdfa-seal");
  WriteAll(dir + "/seal.png", RedDiscPng());
  SignRequest request;
  const std::string unsigned_pdf = Letter(&request);
  WriteAll(dir + "/letter.pdf", FontSigner(dir + "/seal.png")->Sign(unsigned_pdf, request));
  for (const std::string& problem : zhiping::testing::PdfAProblems(dir + "/letter.pdf")) ADD_FAILURE() << problem;
  EXPECT_NE(Pdfsig(dir + "/letter.pdf").find("Signature is Valid."), std::string::npos);
  const Ppm page = RenderPage(dir + "/letter.pdf", dir + "/page");
  const Appearance& a = request.appearance;
  const double cx = a.x + a.w / 2, cy = a.y + a.h / 2, r = a.w * 0.4;
  // Inside the disc, above the text lines: red.
  const unsigned char* red = page.At(cx, cy + r * 0.6);
  EXPECT_GT(red[0], 200);
  EXPECT_LT(red[1], 60);
  EXPECT_LT(red[2], 60);
  // A corner of the box, outside the disc: the page shows through (white).
  const unsigned char* corner = page.At(a.x + 3, a.y + a.h - 3);
  EXPECT_GT(corner[0], 240);
  EXPECT_GT(corner[1], 240);
  EXPECT_GT(corner[2], 240);
  // The seal has an SMask (qpdf shows the image's dictionary).
  EXPECT_NE(RunCommand("qpdf --json " + Quote(dir + "/letter.pdf")).out.find("\"/SMask\""), std::string::npos);
}

TEST(sign_Pdfa, BadSealImagesAreRefusedNamingTheSetting) {
  const std::string dir = FreshDir("pdfa-bad-seal");
  auto message = [&](const std::string& name, const std::string& bytes) {
    WriteAll(dir + "/" + name, bytes);
    auto e = testing::ErrorFrom([&] { FontSigner(dir + "/" + name); });
    EXPECT_TRUE(e) << name;
    if (!e) return std::string();
    EXPECT_EQ(e->kind(), ErrorKind::kInvalidInput) << e->what();
    EXPECT_NE(std::string(e->what()).find("sign.seal_image"), std::string::npos) << e->what();
    EXPECT_NE(std::string(e->what()).find(dir + "/" + name), std::string::npos) << e->what();
    return std::string(e->what());
  };
  EXPECT_NE(message("seal.txt", "not an image at all").find("PNG"), std::string::npos);
  EXPECT_NE(message("huge.png", RedDiscPng().append(kMaxSealFileBytes, 'x')).find(std::to_string(kMaxSealFileBytes)),
            std::string::npos);
  EXPECT_NE(message("tiny.png", RedDiscPng(32, 32)).find("32×32"), std::string::npos);
  EXPECT_NE(message("wide.png", RedDiscPng(400, 200)).find("400×200"), std::string::npos);
  EXPECT_NE(message("broken.png", RedDiscPng().substr(0, 300)).find("broken.png"), std::string::npos);
  auto missing = testing::ErrorFrom([&] { FontSigner(dir + "/none.png"); });
  ASSERT_TRUE(missing);
  EXPECT_NE(std::string(missing->what()).find(dir + "/none.png"), std::string::npos);
}

// The development seal picture: red ring, star and 样章 on transparency, the same bytes every time.
TEST(sign_DevSeal, PictureIsARedRingStarAndTextOnTransparency) {
  const auto fonts = zhiping::testing::SharedRenderer().font_set();
  ASSERT_FALSE(fonts->chain(fonts::Role::kHei).empty());
  const fonts::FontFace& face = *fonts->chain(fonts::Role::kHei).front();
  const int d = 240;
  const std::string png = DrawDevelopmentSealPng(face, d);
  EXPECT_EQ(png, DrawDevelopmentSealPng(face, d));
  image::DecodedImage img;
  ASSERT_EQ(image::DecodeImageWithAlpha(png, &img), "");
  ASSERT_EQ(img.width, d);
  ASSERT_EQ(img.alpha.size(), static_cast<size_t>(d * d));
  auto alpha = [&](double x, double y) { return static_cast<unsigned char>(img.alpha[static_cast<int>(y) * d + static_cast<int>(x)]); };
  auto red = [&](double x, double y) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(&img.pixels[(static_cast<int>(y) * d + static_cast<int>(x)) * 3]);
    return p[0] > 180 && p[1] < 60 && p[2] < 60;
  };
  EXPECT_EQ(alpha(2, 2), 0);                 // a corner: transparent
  EXPECT_EQ(alpha(d / 2.0, d * 0.2), 0);     // between the ring and the star
  EXPECT_GT(alpha(d * 0.96, d / 2.0), 200);  // on the ring
  EXPECT_TRUE(red(d * 0.96, d / 2.0));
  EXPECT_GT(alpha(d / 2.0, d * 0.34), 200);  // the star's centre
  // 样章: a good share of the band it is drawn in is ink, and none of it beyond the ring.
  int ink = 0;
  for (int y = static_cast<int>(d * 0.50); y < d * 0.70; ++y)
    for (int x = static_cast<int>(d * 0.25); x < d * 0.75; ++x) ink += alpha(x, y) > 128;
  EXPECT_GT(ink, d * d * 0.2 * 0.5 * 0.1) << ink;
  EXPECT_LT(ink, d * d * 0.2 * 0.5 * 0.7) << ink;
}

// The development identity without a configured seal draws its 样章 seal, made once as seal.png beside its keys.
TEST(sign_DevSeal, DevelopmentIdentityDrawsTheSpecimenSealFromItsFolder) {
  const std::string dir = FreshDir("dev-seal");
  SignerConfig config;
  config.dev_identity_dir = dir + "/dev-identity";
  config.fonts = [] { return zhiping::testing::SharedRenderer().font_set(); };
  auto signer = Signer::Create(config);
  ASSERT_TRUE(signer->is_development());
  SignRequest request;
  const std::string unsigned_pdf = Letter(&request);
  WriteAll(dir + "/letter.pdf", signer->Sign(unsigned_pdf, request));
  ASSERT_TRUE(std::ifstream(config.dev_identity_dir + "/seal.png").good());
  for (const std::string& problem : zhiping::testing::PdfAProblems(dir + "/letter.pdf")) ADD_FAILURE() << problem;
  const Ppm page = RenderPage(dir + "/letter.pdf", dir + "/page");
  const Appearance& a = request.appearance;
  // The ring's left edge, on the seal's horizontal axis: red over the page.
  bool red = false;
  for (double x = a.x; x < a.x + a.w * 0.1; x += 0.5) {
    const unsigned char* p = page.At(x, a.y + a.h / 2);
    red |= p[0] > 180 && p[1] < 90 && p[2] < 90;
  }
  EXPECT_TRUE(red);
  const testing::CommandResult text = RunCommand("pdftotext " + Quote(dir + "/letter.pdf") + " -");
  EXPECT_NE(text.out.find("开发用身份 非正式签名"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace zhiping::sign
