#include "preview/preview_command.h"

#include <pthread.h>
#include <signal.h>

#include <ostream>

#include "common/command_line.h"
#include "common/error.h"
#include "common/messages.h"
#include "preview/preview_server.h"

namespace zhiping::preview {

const char kPreviewSynopsis[] =
    "zhiping preview [--port N] [--bind 127.0.0.1] [--templates DIR] [--samples DIR] [--fonts FILE]";
const char kPreviewDetails[] =
    "Serves a page on http://127.0.0.1:N/ (default 8090) that lists the templates, renders the chosen one with a\n"
    "sample from samples/ (or JSON edited in the page) and refreshes within a second of saving a template or\n"
    "sample. Template errors show file, line and text; invalid data the JSON Pointer list; fields the data\n"
    "lacks are marked 【缺：field】. Only 127.0.0.1 / localhost (it shows personal data and has no access\n"
    "control). Stop with Ctrl+C. See docs/preview.md.\n";

int RunPreviewCommand(const std::vector<std::string>& args, const PreviewDefaults& d, std::ostream& out,
                      std::ostream& err) {
  PreviewOptions o;
  o.templates_dir = d.templates_dir;
  o.samples_dir = d.samples_dir;
  o.font_role_map = d.font_role_map;
  o.font_cache_dir = d.font_cache_dir;
  o.port = d.port;
  const std::string usage = std::string("usage: ") + kPreviewSynopsis + "\n";
  CommandLine line("zhiping preview", usage + kPreviewDetails, usage);
  std::string bind;
  line.app().add_option("--port", o.port)->check(PortNumber());
  line.app().add_option("--bind", bind);
  line.app().add_option("--templates", o.templates_dir);
  line.app().add_option("--samples", o.samples_dir);
  line.app().add_option("--fonts", o.font_role_map);
  if (std::optional<int> done = line.Parse(args, out, err)) return *done;
  if (!line.words().empty()) return line.UsageError("takes no arguments but options", err);
  if (line.app().count("--bind") && !IsLoopbackBind(bind)) {
    if (ProcessLanguage() == Lang::kZh) {
      err << "zhiping preview：--bind " << bind << "：预览只在 127.0.0.1 上监听（页面上有个人信息，且没有访问控制）\n";
      return 2;
    }
    err << "zhiping preview: --bind " << bind
        << ": the preview listens on 127.0.0.1 only (it shows personal data and has no access control)\n";
    return 2;
  }

  // Block SIGINT/SIGTERM before any thread starts (they inherit the mask), then wait for one of them here.
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  const int status = RunGuarded("zhiping preview", err, [&] {
    PreviewServer server(o);
    server.Start();
    const bool zh = ProcessLanguage() == Lang::kZh;
    if (zh) {
      out << "zhiping preview：" << server.url() << " （模板：" << o.templates_dir << "，示例数据：" << o.samples_dir
          << "；按 Ctrl+C 停止）" << std::endl;
    } else {
      out << "zhiping preview: " << server.url() << "  (templates: " << o.templates_dir << ", samples: "
          << o.samples_dir << "; Ctrl+C stops)" << std::endl;
    }
    int sig = 0;
    sigwait(&set, &sig);
    out << (zh ? "zhiping preview：已停止" : "zhiping preview: stopped") << std::endl;
    server.Stop();
    return 0;
  });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return status;
}

}  // namespace zhiping::preview
