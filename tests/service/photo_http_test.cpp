// The service against hostile photos: a real server on loopback with the real Renderer. Each corrupt PNG
// and JPEG, and a decompression bomb, is answered 422 naming /applicant/photo/data — and the process is still
// there to answer /healthz and render the next, good, photo. (libharu's PNG loader used to abort() the process.)
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <sstream>

#include "common/json.h"
#include "render/renderer.h"
#include "service/config.h"
#include "service/http_server.h"
#include "service/routes.h"
#include "test_images.h"
#include "support/http_client.h"
#include "support/json_edit.h"
#include "support/repo_renderer.h"
#include "support/samples.h"

namespace zhiping::service {
namespace {

const char kToken[] = "render-token-photo";

class PhotoHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    renderer_ = new render::Renderer(zhiping::testing::RepoRendererConfig());
    ServiceConfig config;
    config.bind = "127.0.0.1";
    config.port = 0;
    config.request_timeout_seconds = 30;
    config.tokens = {{"ops", TokenDigest(kToken), kRoleRender}};
    service_ = new HttpService(config, MakeRouter(*renderer_));
    service_->Start();
  }
  static void TearDownTestSuite() {
    delete service_;
    delete renderer_;
  }

  using Reply = zhiping::testing::TestReply;
  static Reply Send(const std::string& method, const std::string& path, const std::string& body = "") {
    return zhiping::testing::SendTestRequest(service_->port(), method, path, method == "POST" ? kToken : "", body);
  }

  // The review-form sample with its photo replaced by `bytes`.
  static std::string ReviewFormWith(const std::string& bytes) {
    Poco::Dynamic::Var body = zhiping::testing::SampleJson("review-form");
    auto photo = body.extract<Poco::JSON::Object::Ptr>()->getObject("applicant")->getObject("photo");
    photo->set("media_type", std::string(bytes.size() > 1 && bytes[1] == 'P' ? "image/png" : "image/jpeg"));
    photo->set("data", testimages::Base64(bytes));
    return zhiping::testing::ToJson(body);
  }

  static render::Renderer* renderer_;
  static HttpService* service_;
};

render::Renderer* PhotoHttpTest::renderer_ = nullptr;
HttpService* PhotoHttpTest::service_ = nullptr;

TEST_F(PhotoHttpTest, EveryCorruptPhotoIs422AtItsDataAndTheServerLivesOn) {
  auto cases = testimages::CorruptPngs();
  for (auto& c : testimages::CorruptJpegs()) cases.push_back(c);
  // Issue 9's bomb: 20000×20000 (1.2 GB of pixels) in 1.2 MB, within the default 8 MiB body limit.
  cases.push_back({"20000×20000 bomb", testimages::PngBomb(20000, 20000)});
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    const auto start = std::chrono::steady_clock::now();
    Reply r = Send("POST", "/v1/render/review-form", ReviewFormWith(bytes));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 20.0);
    ASSERT_EQ(r.status, 422) << r.body;
    std::printf("%-38s 422 in %.3f s\n", name.c_str(), seconds);
    auto problem = zhiping::testing::ExpectProblem(r, 422);
    auto errors = problem->getArray("errors");
    ASSERT_TRUE(errors && errors->size() == 1) << r.body;
    EXPECT_EQ(errors->getObject(0)->getValue<std::string>("pointer"), "/applicant/photo/data") << r.body;
    EXPECT_EQ(Send("GET", "/healthz").status, 200) << "the server survived";
  }
  // And it still renders a good photo.
  Reply good = Send("POST", "/v1/render/review-form", ReviewFormWith(testimages::MakePng({})));
  EXPECT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(good.body.compare(0, 5, "%PDF-"), 0);
}

}  // namespace
}  // namespace zhiping::service
