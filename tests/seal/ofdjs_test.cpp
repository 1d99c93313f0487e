// The independent reader: npm's ofd.js 0.2.6 (pure JavaScript: jszip, sm-crypto, jsrsasign) in Debian's headless
// chromium opens an OFD zhiping sealed, renders it, checks the seal's SM2 signature (signer ID 1234567812345678)
// and the References' SM3 digests. One changed byte in Content.xml must make its digest check fail.
//
// Needs /usr/bin/chromium and ofd.js's bundle, which ./setup.sh puts in $ZHIPING_OFDJS_DIR (default
// ${XDG_CACHE_HOME:-~/.cache}/zhiping/ofdjs-0.2.6). Without either this test FAILS, on purpose.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "issuing/issuer.h"
#include "ofd/package.h"
#include "seal/ofd_seal.h"
#include "seal/ofd_xml.h"
#include "support/files.h"
#include "support/json_edit.h"
#include "support/paths.h"
#include "support/repo_renderer.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "test_ofd.h"

namespace zhiping::seal {
namespace {

using zhiping::testing::Quote;
using zhiping::testing::RunCommand;

const char kChromium[] = "/usr/bin/chromium";

std::string OfdJsBundle() {
  std::string dir;
  if (const char* env = std::getenv("ZHIPING_OFDJS_DIR"); env && *env) {
    dir = env;
  } else if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache && *cache) {
    dir = std::string(cache) + "/zhiping/ofdjs-0.2.6";
  } else {
    const char* home = std::getenv("HOME");
    dir = std::string(home ? home : "") + "/.cache/zhiping/ofdjs-0.2.6";
  }
  return dir + "/package/lib/ofd.umd.min.js";
}

// Opens `zip` in ofd.js in headless chromium; returns the page's JSON result (or fails the test).
Poco::JSON::Object::Ptr ReadWithOfdJs(const std::string& zip, const std::string& name) {
  const std::string bundle = OfdJsBundle();
  EXPECT_TRUE(std::filesystem::exists(bundle)) << bundle << " is missing: run ./setup.sh (it installs ofd.js 0.2.6)";
  EXPECT_TRUE(std::filesystem::exists(kChromium)) << kChromium << " is missing: run ./setup.sh";
  const std::string dir = zhiping::testing::FreshDir("ofdjs-" + name);
  std::filesystem::copy_file(bundle, dir + "/ofd.umd.min.js");
  std::filesystem::copy_file(zhiping::testing::SourceDir() + "/tests/seal/ofdjs/check.html", dir + "/check.html");
  zhiping::testing::WriteAll(dir + "/package.js", "window.OFD_BASE64 = \"" + Base64(zip) + "\";\n");
  zhiping::testing::WriteAll(dir + "/" + name + ".ofd", zip);  // kept for a look when the test fails
  // --virtual-time-budget lets the page's promises and timers run before --dump-dom prints the DOM.
  const std::string command =
      "timeout 120 " + std::string(kChromium) +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
      " --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir=" +
      Quote(dir + "/profile") + " --virtual-time-budget=60000 --dump-dom " + Quote("file://" + dir + "/check.html");
  zhiping::testing::CommandResult run = RunCommand(command);
  // The result is the text of <pre id="result"> (the page's script, also in the DOM, has the markers too).
  const std::string open = "<pre id=\"result\">RESULT:";
  size_t begin = run.out.find(open), end = run.out.find(":END</pre>", begin);
  if (run.exit_code != 0 || begin == std::string::npos || end == std::string::npos) {
    ADD_FAILURE() << "chromium exited " << run.exit_code << " without a result; stderr:\n" << run.err.substr(0, 3000);
    return nullptr;
  }
  std::string json = run.out.substr(begin + open.size(), end - begin - open.size());
  // --dump-dom prints the text HTML-escaped.
  for (auto [from, to] : {std::pair<std::string, std::string>{"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"},
                          {"&amp;", "&"}}) {
    for (size_t at = json.find(from); at != std::string::npos; at = json.find(from, at + to.size()))
      json.replace(at, from.size(), to);
  }
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// Sealed by the development seal, and with `second` also by another organ's (seal/ofd_seal.h AddSeal).
std::string SealedZip(bool tamper, bool second = false) {
  ofd::Package p = testing::MakeTestPackage("zhiping OFD seal test");
  SealRequest r;
  r.identity = &testing::DevSeal();
  r.page_id = "1";
  r.x_mm = 120;
  r.y_mm = 30;
  r.time = testing::SealTime();
  Seal(p, r);
  if (second) {
    r.identity = &testing::SecondSeal();
    r.x_mm = 30;
    AddSeal(p, r);
  }
  if (tamper) {
    std::string& content = p.Find("Doc_0/Pages/Page_0/Content.xml")->bytes;
    content[content.find("seal test")] = 'S';
  }
  return ofd::WriteZip(p);
}

TEST(seal_OfdJs, RendersTheTextAndTheSealAndFindsSignatureAndDigestsValid) {
  Poco::JSON::Object::Ptr result = ReadWithOfdJs(SealedZip(false), "sealed");
  ASSERT_TRUE(result);
  ASSERT_FALSE(result->has("error")) << result->getValue<std::string>("error");
  EXPECT_EQ(result->getValue<int>("pages"), 1);
  EXPECT_NE(result->getValue<std::string>("text").find("zhiping OFD seal test"), std::string::npos)
      << result->getValue<std::string>("text");
  Poco::JSON::Array::Ptr seals = result->getArray("seals");
  ASSERT_TRUE(seals);
  ASSERT_EQ(seals->size(), 1u);
  Poco::JSON::Object::Ptr seal = seals->getObject(0);
  EXPECT_TRUE(seal->getValue<bool>("verifyRet")) << "ofd.js: the seal's SM2 signature is not valid";
  EXPECT_EQ(seal->getValue<std::string>("image"), "data:image/png;base64,");
  EXPECT_GT(seal->getValue<int>("imageBytes"), 100);
  EXPECT_EQ(seal->getValue<int>("digestFiles"), 5);
  EXPECT_TRUE(seal->getValue<bool>("digestOk")) << "ofd.js: a Reference's SM3 digest does not match";
}

TEST(seal_OfdJs, OneChangedByteInContentFailsTheDigestCheck) {
  Poco::JSON::Object::Ptr result = ReadWithOfdJs(SealedZip(true), "tampered");
  ASSERT_TRUE(result);
  ASSERT_FALSE(result->has("error")) << result->getValue<std::string>("error");
  EXPECT_NE(result->getValue<std::string>("text").find("zhiping OFD Seal test"), std::string::npos);
  Poco::JSON::Array::Ptr seals = result->getArray("seals");
  ASSERT_TRUE(seals);
  ASSERT_EQ(seals->size(), 1u);
  Poco::JSON::Object::Ptr seal = seals->getObject(0);
  EXPECT_TRUE(seal->getValue<bool>("verifyRet"));  // the signature itself is untouched
  EXPECT_FALSE(seal->getValue<bool>("digestOk"));
}

// A jointly issued document: two organs' seals. ofd.js shows both and finds both SM2 signatures valid. Its digest
// check is available for the last seal only: ofd.js 0.2.6 makes window.toBeChecked a new Map for every Signature it
// parses, so the first seal's References are dropped when the second is read (an ofd.js limitation; our verifier
// checks every seal's digests, seal_Countersign.*). The second seal covers the first seal's parts too, so its
// digests matching — and failing after one changed byte — still speak for the whole package.
TEST(seal_OfdJs, ADoublySealedPackageShowsBothSealsValid) {
  Poco::JSON::Object::Ptr result = ReadWithOfdJs(SealedZip(false, true), "two-seals");
  ASSERT_TRUE(result);
  ASSERT_FALSE(result->has("error")) << result->getValue<std::string>("error");
  std::ostringstream seen;
  result->stringify(seen);
  SCOPED_TRACE("ofd.js found: " + seen.str());
  Poco::JSON::Array::Ptr seals = result->getArray("seals");
  ASSERT_TRUE(seals);
  ASSERT_EQ(seals->size(), 2u);
  for (unsigned i = 0; i < 2; ++i) {
    Poco::JSON::Object::Ptr seal = seals->getObject(i);
    EXPECT_EQ(seal->getValue<std::string>("signatureID"), std::to_string(i + 1));
    EXPECT_TRUE(seal->getValue<bool>("verifyRet")) << "ofd.js: seal " << i + 1 << "'s SM2 signature is not valid";
    EXPECT_GT(seal->getValue<int>("imageBytes"), 100);
  }
  Poco::JSON::Object::Ptr last = seals->getObject(1);
  EXPECT_EQ(last->getValue<int>("digestFiles"), 8);  // the page's files, both Seal.esl, Sign_0's Signature.xml and value
  EXPECT_TRUE(last->getValue<bool>("digestOk")) << "ofd.js: a Reference of the second seal does not match";

  Poco::JSON::Object::Ptr tampered = ReadWithOfdJs(SealedZip(true, true), "two-seals-tampered");
  ASSERT_TRUE(tampered);
  ASSERT_FALSE(tampered->has("error")) << tampered->getValue<std::string>("error");
  Poco::JSON::Array::Ptr both = tampered->getArray("seals");
  ASSERT_TRUE(both);
  ASSERT_EQ(both->size(), 2u);
  EXPECT_FALSE(both->getObject(1)->getValue<bool>("digestOk"));
}

// What zhiping issues, not a hand-made package: a letter issued with its OFD (issuing/issuer.h) reads in ofd.js with
// its words, its seal valid and every digest matching. The sample's name 吉𠮷 is replaced by one inside the BMP:
// ofd.js 0.2.6 splits a TextCode into UTF-16 code units, and Chromium's renderer dies on the lone surrogates that
// gives (seen here: exit 132 on a TextObject holding only 𠮷). The package is right (GB/T 33190 TextCode is
// Unicode text); docs/ofd.md says which readers are affected.
TEST(seal_OfdJs, AnIssuedLetterReadsWithItsSealValid) {
  for (const char* v : {"ZHIPING_SEAL_KEY", "ZHIPING_SEAL_CERT", "ZHIPING_SEAL_FILE", "ZHIPING_SEAL_CHAIN"}) unsetenv(v);
  render::Renderer renderer(zhiping::testing::RepoRendererConfig());
  issuing::IssuerConfig config;
  config.archive_root = zhiping::testing::FreshDir("ofdjs-issued") + "/archive";
  issuing::Issuer issuer(config, renderer);
  issuing::IssueOptions options;
  options.ofd = true;
  const issuing::IssueResult r =
      issuer.Issue("letter",
                   zhiping::testing::WithString(
                       zhiping::testing::ReadAll(zhiping::testing::SourceDir() + "/samples/letter.json"),
                       "/applicant/name", "吉祥"),
                   {"test", ""}, "", options);
  Poco::JSON::Object::Ptr result = ReadWithOfdJs(r.ofd, "letter");
  ASSERT_TRUE(result);
  ASSERT_FALSE(result->has("error")) << result->getValue<std::string>("error");
  EXPECT_EQ(result->getValue<int>("pages"), 1);
  const std::string text = result->getValue<std::string>("text");
  for (const char* words : {"评审结果通知书", "吉祥", "浙江省思想政治工作人员专业职务评定工作办公室"})
    EXPECT_NE(text.find(words), std::string::npos) << words << " not in: " << text;
  Poco::JSON::Array::Ptr seals = result->getArray("seals");
  ASSERT_TRUE(seals);
  ASSERT_EQ(seals->size(), 1u);
  Poco::JSON::Object::Ptr seal = seals->getObject(0);
  EXPECT_TRUE(seal->getValue<bool>("verifyRet")) << "ofd.js: the seal's SM2 signature is not valid";
  EXPECT_GT(seal->getValue<int>("imageBytes"), 1000);  // the 样章 picture
  EXPECT_GE(seal->getValue<int>("digestFiles"), 8);    // OFD.xml, Document.xml, resources, fonts, page, seal
  EXPECT_TRUE(seal->getValue<bool>("digestOk")) << "ofd.js: a Reference's SM3 digest does not match";
}

}  // namespace
}  // namespace zhiping::seal
