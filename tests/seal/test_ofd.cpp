#include "test_ofd.h"

#include <cmath>
#include <mutex>

#include <gtest/gtest.h>

#include "image/png_encoder.h"
#include "support/temp_dir.h"

namespace zhiping::seal::testing {
namespace {

const char kOfdXml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\" Version=\"1.0\" DocType=\"OFD\">"
    "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0123456789abcdef0123456789abcdef</ofd:DocID>"
    "<ofd:Title>seal test</ofd:Title><ofd:CreationDate>2026-11-28</ofd:CreationDate></ofd:DocInfo>"
    "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>";

const char kDocumentXml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:CommonData><ofd:MaxUnitID>10</ofd:MaxUnitID>"
    "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
    "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
    "<ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages></ofd:Document>";

const char kPublicResXml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ofd:Res xmlns:ofd=\"http://www.ofdspec.org/2016\" BaseLoc=\"Res\"><ofd:Fonts>"
    "<ofd:Font ID=\"2\" FontName=\"SimSun\" FamilyName=\"SimSun\"/></ofd:Fonts></ofd:Res>";

// The number of characters (UTF-8 lead bytes) of `text`.
size_t Characters(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xc0) != 0x80;
  return n;
}

}  // namespace

ofd::Package MakeTestPackage(const std::string& text, size_t padding) {
  std::string delta;
  for (size_t i = 1; i < Characters(text); ++i) delta += (delta.empty() ? "" : " ") + std::string("5");
  std::string content =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ofd:Page xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:Content><ofd:Layer ID=\"3\">"
      "<ofd:TextObject ID=\"4\" Boundary=\"30 40 150 12\" Font=\"2\" Size=\"5\">"
      "<ofd:FillColor Value=\"0 0 0\"/><ofd:TextCode X=\"0\" Y=\"8\" DeltaX=\"" +
      delta + "\">" + text + "</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>";
  if (padding > 0) content += "\n<!--" + std::string(padding, 'p') + "-->";
  ofd::Package p;
  p.Put("OFD.xml", kOfdXml);
  p.Put("Doc_0/Document.xml", kDocumentXml);
  p.Put("Doc_0/PublicRes.xml", kPublicResXml);
  p.Put("Doc_0/Pages/Page_0/Content.xml", content);
  return p;
}

std::string TestSealPng(int px) {
  std::string rgb(static_cast<size_t>(px) * px * 3, '\xff');
  const double r = px / 2.0;
  for (int y = 0; y < px; ++y)
    for (int x = 0; x < px; ++x) {
      double d = std::hypot(x + 0.5 - r, y + 0.5 - r);
      if (d < r - 1 && d > r - 1 - px / 16.0) {
        size_t at = (static_cast<size_t>(y) * px + x) * 3;
        rgb[at] = '\xdd';
        rgb[at + 1] = rgb[at + 2] = '\x10';
      }
    }
  return image::EncodePngRgb(reinterpret_cast<const unsigned char*>(rgb.data()), px, px);
}

namespace {
std::string& DevDir() {
  static std::string dir = zhiping::testing::FreshDir("dev-seal") + "/dev-seal";
  return dir;
}

// The development seal is made before the first test: a FreshDir made inside a test is removed when that test
// ends, one made outside only when the program ends.
class DevSealEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { DevSeal(); }
};
const auto* const kDevSealEnvironment = ::testing::AddGlobalTestEnvironment(new DevSealEnvironment);
}  // namespace

const SealIdentity& DevSeal() {
  static std::once_flag once;
  static std::unique_ptr<SealIdentity> identity;
  std::call_once(once, [] {
    SealConfig config;
    config.dev_dir = DevDir();
    config.dev_picture = TestSealPng();
    identity = LoadSealIdentity(config, std::time(nullptr));
  });
  return *identity;
}

const SealIdentity& SecondSeal() {
  static std::once_flag once;
  static std::unique_ptr<SealIdentity> identity;
  std::call_once(once, [] {
    SealConfig config;
    config.dev_dir = DevDir() + "-second";  // beside the first: made outside any test, kept until the program ends
    config.dev_picture = TestSealPng();
    config.use_environment = false;
    identity = LoadSealIdentity(config, std::time(nullptr));
  });
  return *identity;
}

std::string DevSealCaPath() {
  DevSeal();
  return DevDir() + "/dev-sm2-ca.pem";
}

std::time_t SealTime() { return std::time(nullptr); }

}  // namespace zhiping::seal::testing
