// Tests for seal/seal_identity.h and seal/dev_seal.h: the development seal is made once, marked, its key private;
// a configured seal with a bad setting is refused at load with a sentence naming the setting.
#include "seal/seal_identity.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include "common/error.h"
#include "common/json.h"
#include "common/messages.h"
#include "support/files.h"
#include "seal/dev_seal.h"
#include "seal/sm2.h"
#include "support/temp_dir.h"
#include "test_ofd.h"

namespace zhiping::seal {
namespace {

using zhiping::testing::FreshDir;
using zhiping::testing::ReadAll;
using zhiping::testing::WriteAll;

// Runs with English messages (then back to the process's language).
class EnglishMessages : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = ProcessLanguage();
    SetProcessLanguage(Lang::kEn);
  }
  void TearDown() override { SetProcessLanguage(saved_); }
  Lang saved_ = Lang::kZh;
};

std::string LoadError(const SealConfig& config, std::time_t now = std::time(nullptr)) {
  try {
    LoadSealIdentity(config, now);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string KeyPem(EVP_PKEY* key) {
  sign::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return sign::MemBioContents(bio.get());
}

// A configured identity made of the development seal's files (copied), to be spoiled one setting at a time.
SealConfig Configured(const std::string& dir) {
  DevSealFiles dev = EnsureDevSeal(dir + "/dev", testing::TestSealPng(), std::time(nullptr));
  SealConfig c;
  c.key_path = dev.key;
  c.cert_path = dev.cert;
  c.seal_path = dev.seal;
  c.chain_path = dev.maker_cert;
  return c;
}

// The development seal's SESeal with another picture, signed again by nobody in particular (loading does not
// check the maker's signature; verifying does).
std::string SealWithPicture(const std::string& seal_path, const std::string& picture) {
  SESeal seal = DecodeSeal(ReadAll(seal_path));
  seal.info.picture.data = picture;
  return EncodeSeal(EncodeSealInfo(seal.info), seal.maker_cert, seal.sign_alg, seal.signed_value);
}

TEST(seal_DevSeal, IsMadeOnceMarkedAsDevelopmentWithAPrivateKey) {
  const std::string dir = FreshDir("dev-seal") + "/seal";
  SealConfig config;
  config.dev_dir = dir;
  config.dev_picture = testing::TestSealPng();
  std::unique_ptr<SealIdentity> id = LoadSealIdentity(config, std::time(nullptr));
  EXPECT_TRUE(id->development);
  EXPECT_EQ(id->dev_ca_path, dir + "/dev-sm2-ca.pem");
  EXPECT_TRUE(IsSm2Key(id->key.get()));
  EXPECT_NE(id->seal.info.name.find("开发用"), std::string::npos);
  EXPECT_NE(id->seal.info.name.find("DEVELOPMENT"), std::string::npos);
  EXPECT_EQ(id->seal.info.es_id.rfind("DEVELOPMENT-", 0), 0u);
  EXPECT_EQ(id->seal.info.picture.data, config.dev_picture);
  EXPECT_EQ(id->seal.info.signer_certs, std::vector<std::string>{id->cert_der});
  EXPECT_NE(sign::CertSubject(id->cert.get()).find("DEVELOPMENT"), std::string::npos);
  EXPECT_NE(ReadAll(dir + "/README.txt").find("DEVELOPMENT electronic seal"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat((dir + "/signer.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The maker's signature over the seal verifies with the maker's certificate.
  const auto* p = reinterpret_cast<const unsigned char*>(id->seal.maker_cert.data());
  sign::X509Ptr maker(d2i_X509(nullptr, &p, static_cast<long>(id->seal.maker_cert.size())));
  ASSERT_TRUE(maker);
  EXPECT_TRUE(Sm2Verify(X509_get0_pubkey(maker.get()),
                        MakerSignedBytes(id->seal.info_der, id->seal.maker_cert, id->seal.sign_alg),
                        id->seal.signed_value));

  // Second use: the same seal, whatever picture is offered now.
  const std::string esl = ReadAll(dir + "/seal.esl");
  config.dev_picture = "not used";
  std::unique_ptr<SealIdentity> again = LoadSealIdentity(config, std::time(nullptr));
  EXPECT_EQ(again->seal.der, esl);
}

TEST_F(EnglishMessages, DevSealWithABadPictureIsRefused) {
  SealConfig config;
  config.dev_dir = FreshDir("dev-seal-bad") + "/seal";
  config.dev_picture = "GIF89a not a seal";
  EXPECT_NE(LoadError(config).find("is not a PNG or JPEG"), std::string::npos);
}

TEST_F(EnglishMessages, AConfiguredSealLoadsAndIsNotDevelopment) {
  SealConfig c = Configured(FreshDir("seal-ok"));
  std::unique_ptr<SealIdentity> id = LoadSealIdentity(c, std::time(nullptr));
  EXPECT_FALSE(id->development);
  EXPECT_EQ(sk_X509_num(id->chain.get()), 1);
}

TEST_F(EnglishMessages, ANonSm2KeyIsRefusedNamingSealKey) {
  const std::string dir = FreshDir("seal-p256");
  SealConfig c = Configured(dir);
  sign::EvpPkeyPtr p256(EVP_EC_gen("P-256"));
  WriteAll(dir + "/p256.key", KeyPem(p256.get()));
  c.key_path = dir + "/p256.key";
  std::string error = LoadError(c);
  EXPECT_NE(error.find("seal.key"), std::string::npos) << error;
  EXPECT_NE(error.find("not an SM2 private key"), std::string::npos) << error;
}

TEST_F(EnglishMessages, ACertificateOfAnotherKeyIsRefusedNamingSealCert) {
  const std::string dir = FreshDir("seal-mismatch");
  SealConfig c = Configured(dir);
  sign::EvpPkeyPtr other = NewSm2Key();
  WriteAll(dir + "/other.key", KeyPem(other.get()));
  c.key_path = dir + "/other.key";
  std::string error = LoadError(c);
  EXPECT_NE(error.find("the certificate in seal.cert"), std::string::npos) << error;
  EXPECT_NE(error.find("does not belong to the key seal.key"), std::string::npos) << error;
}

TEST_F(EnglishMessages, AnExpiredCertificateIsRefusedNamingSealCert) {
  SealConfig c = Configured(FreshDir("seal-expired"));
  std::string error = LoadError(c, std::time(nullptr) + 10L * 365 * 24 * 3600);  // ten years on
  EXPECT_NE(error.find("the certificate in seal.cert"), std::string::npos) << error;
  EXPECT_NE(error.find("is not valid now"), std::string::npos) << error;
}

TEST_F(EnglishMessages, ASealFileThatIsNotAnSESealIsRefusedNamingSealFile) {
  const std::string dir = FreshDir("seal-garbage");
  SealConfig c = Configured(dir);
  WriteAll(dir + "/garbage.esl", "\x30\x03\x02\x01\x01");
  c.seal_path = dir + "/garbage.esl";
  std::string error = LoadError(c);
  EXPECT_NE(error.find("seal.file"), std::string::npos) << error;
  EXPECT_NE(error.find("is not a usable electronic seal"), std::string::npos) << error;
}

TEST_F(EnglishMessages, BadSealPicturesAreRefusedNamingSealFile) {
  const std::string dir = FreshDir("seal-picture");
  SealConfig c = Configured(dir);
  struct Case {
    std::string picture, expected;
  } cases[] = {
      {"GIF89a....", "is not a PNG or JPEG"},
      {std::string("\x89PNG\r\n\x1a\n", 8) + std::string(600 * 1024, '\0'), "is too large"},
      {testing::TestSealPng(16), "has the wrong size (16x16 pixels"},
  };
  for (const Case& k : cases) {
    WriteAll(dir + "/bad.esl", SealWithPicture(c.seal_path, k.picture));
    SealConfig bad = c;
    bad.seal_path = dir + "/bad.esl";
    std::string error = LoadError(bad);
    EXPECT_NE(error.find("seal.file"), std::string::npos) << error;
    EXPECT_NE(error.find(k.expected), std::string::npos) << error;
  }
}

TEST_F(EnglishMessages, AnIncompleteConfigurationNamesWhatIsMissing) {
  SealConfig c = Configured(FreshDir("seal-incomplete"));
  c.seal_path.clear();
  EXPECT_NE(LoadError(c).find("seal.file is missing"), std::string::npos);
}

TEST(seal_Identity, MessagesAreChineseByDefault) {
  const std::string dir = FreshDir("seal-zh");
  SealConfig c = Configured(dir);
  Lang saved = ProcessLanguage();
  SetProcessLanguage(Lang::kZh);
  c.seal_path.clear();
  std::string error = LoadError(c);
  SetProcessLanguage(saved);
  EXPECT_NE(error.find("电子印章配置不完整：缺少 seal.file"), std::string::npos) << error;
}

}  // namespace
}  // namespace zhiping::seal
