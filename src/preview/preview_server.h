// preview/preview_server.h — the local preview page for people who edit templates (docs/preview.md).
//
// A small Poco HTTP server on 127.0.0.1 only. It serves one self-contained page (no CDN), renders the chosen
// template with a sample file or JSON typed in the page, shows PDF pages as PNG images (poppler) and the first rows
// of an XLSX as a table, and watches the templates and samples folders (mtime poll every 250 ms): any change bumps a
// version the page polls, and a template change rebuilds the render::Renderer (fonts come from the prepared-font
// cache, so that is quick).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace zhiping::preview {

struct PreviewOptions {
  std::string templates_dir = "templates";
  std::string samples_dir = "samples";
  std::string font_role_map = "fonts/fonts.conf";
  std::string font_cache_dir;  // empty: the renderer's default (~/.cache/zhiping/fonts)
  std::string today;           // "YYYY-MM-DD" for validation; empty: the local date
  std::string bind = "127.0.0.1";
  int port = 0;       // 0: any free port (see PreviewServer::port())
  int poll_ms = 250;  // how often the folders are checked
  double dpi = 96;    // page images
};

// True for the addresses the preview may listen on: 127.0.0.1 and localhost.
bool IsLoopbackBind(const std::string& bind);

class PreviewServer {
 public:
  // Throws zhiping::Error kInvalidInput for a bind address other than loopback; kUnavailable when the port is taken.
  // A broken template does not throw: the page shows the error until the file is fixed.
  explicit PreviewServer(const PreviewOptions& options);
  ~PreviewServer();  // stops

  void Start();
  void Stop();
  int port() const;
  std::string url() const;   // "http://127.0.0.1:PORT/"
  uint64_t version() const;  // bumped on every change seen in the folders

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The page itself (HTML with inline CSS and JavaScript).
const std::string& PreviewPageHtml();

}  // namespace zhiping::preview
