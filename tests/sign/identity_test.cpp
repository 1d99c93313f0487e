// Identity resolution: configured files, environment, and the made-on-first-use development identity.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "common/error.h"
#include "sign/signer.h"
#include "test_support.h"

namespace zhiping::sign {
namespace {

using testing::FreshDir;
using testing::Pki;
using testing::ReadAll;
using testing::WriteAll;

TEST(sign_Identity, DevelopmentIdentityIsMadeOnceAndReused) {
  std::string dir = FreshDir("dev") + "/.zhiping/dev-identity";
  SignerConfig config;
  config.dev_identity_dir = dir;
  auto first = Signer::Create(config);
  EXPECT_TRUE(first->is_development());
  EXPECT_EQ(first->ca_certificate_path(), dir + "/dev-ca.pem");
  for (const char* f : {"dev-ca.pem", "signer.key", "signer.pem", "README.txt"})
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + f)) << f;
  struct stat st {};
  ASSERT_EQ(::stat((dir + "/signer.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(ReadAll(dir + "/README.txt").find("DEVELOPMENT signing identity"), std::string::npos);
  testing::CommandResult ca = testing::RunCommand("openssl x509 -noout -subject -nameopt utf8 -in " +
                                           testing::Quote(dir + "/dev-ca.pem"));
  EXPECT_NE(ca.output().find("zhiping DEVELOPMENT CA \xE2\x80\x94 not for issuing"), std::string::npos) << ca.output();
  testing::CommandResult leaf = testing::RunCommand("openssl x509 -noout -text -in " + testing::Quote(dir + "/signer.pem"));
  EXPECT_NE(leaf.output().find("E-mail Protection"), std::string::npos) << leaf.output();
  EXPECT_NE(leaf.output().find("Digital Signature, Non Repudiation"), std::string::npos) << leaf.output();

  std::string cert_before = ReadAll(dir + "/signer.pem");
  auto second = Signer::Create(config);
  EXPECT_EQ(ReadAll(dir + "/signer.pem"), cert_before);
  EXPECT_EQ(second->certificate_sha256(), first->certificate_sha256());

  // Its signatures are valid for whoever trusts the development CA — and only for them.
  std::string signed_pdf = second->Sign(testing::MakeHelloPdf(), SignRequest{});
  auto trusted = VerifyPdf(signed_pdf, {second->ca_certificate_path()});
  ASSERT_EQ(trusted.size(), 1u);
  EXPECT_TRUE(trusted[0].digest_valid && trusted[0].trusted) << trusted[0].problem;
  auto untrusted = VerifyPdf(signed_pdf, {Pki().ca_cert});
  EXPECT_TRUE(untrusted[0].digest_valid);
  EXPECT_FALSE(untrusted[0].trusted);

  // And NSS (pdfsig) accepts the P-256 development chain once the CA is in its database.
  std::string work = FreshDir("dev-nss");
  WriteAll(work + "/dev.pdf", signed_pdf);
  ASSERT_EQ(testing::RunCommand("mkdir " + work + "/nssdb && certutil -N -d sql:" + work + "/nssdb --empty-password && "
                         "certutil -A -d sql:" + work + "/nssdb -n dev -t CT,C,C -i " +
                         testing::Quote(second->ca_certificate_path())).exit_code, 0);
  std::string out = testing::RunCommand("pdfsig -nssdir sql:" + work + "/nssdb " + work + "/dev.pdf").output();
  EXPECT_NE(out.find("Signature is Valid."), std::string::npos) << out;
  EXPECT_NE(out.find("Certificate is Trusted."), std::string::npos) << out;
}

TEST(sign_Identity, RacingProcessesEndWithOneIdentity) {
  std::string dir = FreshDir("race") + "/dev-identity";
  std::string results = FreshDir("race-results");
  const int kProcesses = 6;
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 0;
      try {
        SignerConfig config;
        config.dev_identity_dir = dir;
        WriteAll(results + "/" + std::to_string(i), Signer::Create(config)->certificate_sha256());
      } catch (...) {
        code = 1;
      }
      ::_exit(code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  SignerConfig config;
  config.dev_identity_dir = dir;
  std::string winner = Signer::Create(config)->certificate_sha256();
  for (int i = 0; i < kProcesses; ++i) EXPECT_EQ(ReadAll(results + "/" + std::to_string(i)), winner) << i;
  // No temporary directories left behind next to the identity.
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(std::filesystem::path(dir).parent_path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(sign_Identity, EnvironmentNamesTheIdentity) {
  ::setenv("ZHIPING_SIGN_KEY", Pki().signer_key.c_str(), 1);
  ::setenv("ZHIPING_SIGN_CERT", Pki().signer_cert.c_str(), 1);
  ::setenv("ZHIPING_SIGN_CHAIN", Pki().ca_cert.c_str(), 1);
  SignerConfig config;
  config.dev_identity_dir = FreshDir("env-unused") + "/dev";
  auto signer = Signer::Create(config);
  ::unsetenv("ZHIPING_SIGN_KEY");
  ::unsetenv("ZHIPING_SIGN_CERT");
  ::unsetenv("ZHIPING_SIGN_CHAIN");
  EXPECT_FALSE(signer->is_development());
  EXPECT_EQ(signer->ca_certificate_path(), "");
  EXPECT_EQ(signer->subject(), "CN=Test Signing Office");
  EXPECT_FALSE(std::filesystem::exists(config.dev_identity_dir)) << "no development identity when one is configured";
}

TEST(sign_Identity, UnusableIdentityIsAnError) {
  SignerConfig mismatched;
  mismatched.key_path = Pki().tsa_key;  // not the signer certificate's key
  mismatched.cert_path = Pki().signer_cert;
  auto e = testing::ErrorFrom([&] { Signer::Create(mismatched); });
  ASSERT_TRUE(e) << "accepted a key that does not match the certificate";
  EXPECT_EQ(e->kind(), ErrorKind::kInvalidInput) << e->what();
  SignerConfig missing;
  missing.key_path = "/nonexistent/signer.key";
  missing.cert_path = Pki().signer_cert;
  e = testing::ErrorFrom([&] { Signer::Create(missing); });
  ASSERT_TRUE(e) << "accepted a missing key file";
  EXPECT_EQ(e->kind(), ErrorKind::kNotFound) << e->what();
  SignerConfig half;
  half.cert_path = Pki().signer_cert;
  EXPECT_THROW(Signer::Create(half), Error);
}

}  // namespace
}  // namespace zhiping::sign
