// tests/preview/preview_test_util.h — shared by the preview test binaries: a Renderer over the repository's
// templates and fonts, copying folders, small HTTP requests (paths and files come from the core tests' helpers).
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "../pdf/core_test_util.h"
#include "render/renderer.h"

namespace zhiping::previewtest {

using namespace coretest;  // SourceDir, TestTmp, UniqueDir, SharedFontCache, ReadAll, WriteAll, RunCommand

inline constexpr const char* kToday = "2022-12-31";

inline render::RendererConfig Config(const std::string& templates_dir) {
  render::RendererConfig c;
  c.templates_dir = templates_dir;
  c.font_role_map = SourceDir() + "/fonts/fonts.conf";
  c.font_cache_dir = SharedFontCache();
  c.today = kToday;
  return c;
}

inline const render::Renderer& SharedRenderer() {
  static const render::Renderer* r = new render::Renderer(Config(SourceDir() + "/templates"));
  return *r;
}

inline void CopyTree(const std::string& from, const std::string& to) {
  ASSERT_EQ(0, std::system(("mkdir -p '" + to + "' && cp -R '" + from + "/.' '" + to + "/'").c_str()));
}

inline Poco::JSON::Object::Ptr ParseObject(const std::string& json) {
  Poco::JSON::Parser p;
  return p.parse(json).extract<Poco::JSON::Object::Ptr>();
}

struct HttpAnswer {
  int status = 0;
  std::string type, body;
};

inline HttpAnswer Http(int port, const std::string& method, const std::string& path, const std::string& body = "") {
  Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(port));
  s.setTimeout(Poco::Timespan(60, 0));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!body.empty() || method == "POST") {
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    s.sendRequest(req) << body;
  } else {
    s.sendRequest(req);
  }
  Poco::Net::HTTPResponse resp;
  std::istream& in = s.receiveResponse(resp);
  HttpAnswer a;
  a.status = resp.getStatus();
  a.type = resp.getContentType();
  Poco::StreamCopier::copyToString(in, a.body);
  return a;
}

}  // namespace zhiping::previewtest
