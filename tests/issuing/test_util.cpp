#include "test_util.h"

#include <openssl/evp.h>

#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/StringTokenizer.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "common/json.h"

namespace zhiping::issuing_test {

namespace {
std::string Hex(const std::string& bytes, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  for (unsigned int i = 0; i < len; ++i) {
    s.push_back(kHex[out[i] >> 4]);
    s.push_back(kHex[out[i] & 15]);
  }
  return s;
}
}  // namespace

std::string TmpRoot() {
  const char* env = std::getenv("ZHIPING_TEST_TMP");
  return (env && *env ? std::string(env) : std::string(ZHIPING_BINARY_DIR) + "/test-tmp") + "/issuing";
}

std::string FreshDir(const std::string& name) {
  std::string dir = TmpRoot() + "/" + name + "-" + std::to_string(getpid());
  Poco::File f(dir);
  if (f.exists()) f.remove(true);
  f.createDirectories();
  return dir;
}

std::string FontCacheDir() { return TmpRoot() + "/font-cache"; }

render::RendererConfig RepoRendererConfig() {
  render::RendererConfig rc;
  rc.templates_dir = std::string(ZHIPING_SOURCE_DIR) + "/templates";
  rc.font_role_map = std::string(ZHIPING_SOURCE_DIR) + "/fonts/fonts.conf";
  rc.font_cache_dir = FontCacheDir();
  return rc;
}

std::string Sample(const std::string& name) { return ReadFile(std::string(ZHIPING_SOURCE_DIR) + "/samples/" + name); }

std::string Sha256Hex(const std::string& bytes) { return Hex(bytes, EVP_sha256()); }
std::string Sha512Hex(const std::string& bytes) { return Hex(bytes, EVP_sha512()); }

std::string WithString(const std::string& body, const std::string& pointer, const std::string& value) {
  Poco::Dynamic::Var json = ParseJson(body);
  Poco::JSON::Object::Ptr obj = json.extract<Poco::JSON::Object::Ptr>();
  Poco::StringTokenizer parts(pointer.substr(1), "/");
  for (size_t i = 0; i + 1 < parts.count(); ++i) obj = obj->getObject(parts[i]);
  obj->set(parts[parts.count() - 1], value);
  std::ostringstream out;
  json.extract<Poco::JSON::Object::Ptr>()->stringify(out);
  return out.str();
}

std::string LetterFor(const std::string& id) {
  return WithString(WithString(Sample("letter.json"), "/applicant/id", id), "/result/applicant_id", id);
}

}  // namespace zhiping::issuing_test
