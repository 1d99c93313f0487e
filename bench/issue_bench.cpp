// bench/issue_bench.cpp — issue 4: what issuing a one-page letter costs (render + sign + archive) next to rendering
// it alone, in one run so the figures compare like with like. Issue 13: the same issue with and without the PDF/A-2b
// parts the signature's revision adds (XMP, sRGB output intent, Info dates; SignerConfig::archival), interleaved
// A/B rounds so that a busy machine slows both alike. Every issue uses a new applicant id, so every issue
// signs and writes a version (no idempotent short cut); the archive is a fresh temporary folder on the same disk as
// the working directory's /tmp. Also issue 13's OFD: the letter rendered as OFD, its seal (GB/T 38540, SM2/SM3 over
// every file) and the ZIP, and an issue with `--format ofd` against one without, in the same run.
// Medians over N runs after a warm-up. Usage: issue_bench [REPO_DIR] [N]
#include <Poco/JSON/Object.h>
#include <stdlib.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <sstream>
#include <vector>

#include "common/json.h"
#include "issuing/issuer.h"
#include "ofd/ofd_writer.h"
#include "ofd/package.h"
#include "render/renderer.h"
#include "seal/ofd_seal.h"
#include "sign/signer.h"

using namespace zhiping;
using Clock = std::chrono::steady_clock;

static double MedianMs(int n, const std::function<void()>& fn) {
  fn();  // warm-up: per-thread font loading, the development identity
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) {
    auto a = Clock::now();
    fn();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

// The same on this thread's CPU clock: what a step costs without the waits of a shared disk (fsync) or machine.
static double MedianCpuMs(int n, const std::function<void()>& fn) {
  auto now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
  };
  fn();
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) {
    const double a = now();
    fn();
    ms.push_back(now() - a);
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

static std::string LetterFor(const std::string& sample, const std::string& id) {
  Poco::Dynamic::Var body = ParseJson(sample);
  auto obj = body.extract<Poco::JSON::Object::Ptr>();
  obj->getObject("applicant")->set("id", id);
  obj->getObject("result")->set("applicant_id", id);
  std::ostringstream ss;
  obj->stringify(ss);
  return ss.str();
}

int main(int argc, char** argv) {
  const std::string repo = argc > 1 ? argv[1] : ".";
  const int n = argc > 2 ? std::atoi(argv[2]) : 30;
  render::RendererConfig rc;
  rc.templates_dir = repo + "/templates";
  rc.font_role_map = repo + "/fonts/fonts.conf";
  rc.today = "2022-12-31";
  render::Renderer renderer(rc);
  std::string letter = ReadFile(repo + "/samples/letter.json");
  // The common case, as render_bench: a name every default font has.
  for (size_t p; (p = letter.find("吉𠮷")) != std::string::npos;) letter.replace(p, std::string("吉𠮷").size(), "张伟");

  char tmpl[] = "/tmp/zhiping-issue-bench.XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string tmp = tmpl;
  issuing::IssuerConfig ic;
  ic.archive_root = tmp + "/archive";
  issuing::Issuer issuer(ic, renderer);
  issuing::IssuerConfig plain_config = ic;
  plain_config.archive_root = tmp + "/archive-plain";
  plain_config.signer.dev_identity_dir = tmp + "/.zhiping/dev-identity";  // the same identity and seal
  plain_config.signer.archival = false;
  issuing::Issuer plain(plain_config, renderer);

  // Bodies prepared outside the timed part.
  std::vector<std::string> bodies;
  for (int i = 0; i <= 8 * (n + 1); ++i) {  // a new applicant for every issue of the three rounds and the OFD ones
    char id[32];
    std::snprintf(id, sizeof id, "ZG2022-BENCH%05d", i);
    bodies.push_back(LetterFor(letter, id));
  }
  const std::string first = bodies[0];
  const double render_ms = MedianMs(n, [&] { renderer.Render("letter", first); });
  const std::string rendered = renderer.Render("letter", first).bytes;
  sign::SignRequest invisible;
  invisible.reason = "评审结果通知书";
  invisible.location = "bench";
  const double sign_ms = MedianMs(n, [&] { issuer.signer().Sign(rendered, invisible); });
  int next = 0;
  const archive::User user{"bench", "urn:zhiping:user:bench"};
  // PDF/A (A) against no archival parts (B): three interleaved rounds, the best median of each; wall time, and the
  // issuing thread's CPU time (the archive's fsyncs wait on a disk five sessions share).
  double issue_ms = 1e9, plain_ms = 1e9, issue_cpu = 1e9, plain_cpu = 1e9, sign_a = 1e9, sign_b = 1e9;
  int next_plain = 0;
  sign::SignRequest visible = invisible;
  {
    const render::RenderedDocument doc = renderer.Render("letter", first);
    visible.title = doc.title;
    visible.appearance = {true, doc.seal_page, doc.seal_x, doc.seal_y, doc.seal_w, doc.seal_h};
  }
  for (int round = 0; round < 3; ++round) {
    issue_ms = std::min(issue_ms, MedianMs(n, [&] { issuer.Issue("letter", bodies[next++ % bodies.size()], user, ""); }));
    plain_ms = std::min(plain_ms, MedianMs(n, [&] {
      plain.Issue("letter", bodies[next_plain++ % bodies.size()], user, "");
    }));
    issue_cpu = std::min(issue_cpu, MedianCpuMs(n, [&] {
      issuer.Issue("letter", bodies[next++ % bodies.size()], user, "");
    }));
    plain_cpu = std::min(plain_cpu, MedianCpuMs(n, [&] {
      plain.Issue("letter", bodies[next_plain++ % bodies.size()], user, "");
    }));
    sign_a = std::min(sign_a, MedianCpuMs(n, [&] { issuer.signer().Sign(rendered, visible); }));
    sign_b = std::min(sign_b, MedianCpuMs(n, [&] { plain.signer().Sign(rendered, visible); }));
  }
  // OFD: the letter rendered as OFD (layout + package + ZIP), and what the seal adds to it: the same package sealed
  // (SM3 of every file, the seal's picture, one SM2 signature) and zipped, against it zipped unsealed.
  const double ofd_render_ms =
      MedianMs(n, [&] { renderer.Render("letter", first, render::OutputFormat::kOfd); });
  const render::RenderedDocument laid = renderer.Render("letter", first);
  const ofd::OfdDocument od = ofd::WriteOfd(*laid.layout);
  seal::SealRequest sr;
  sr.identity = &issuer.seal_identity();
  sr.page_id = std::to_string(od.seal.page_id);
  sr.x_mm = od.seal.x, sr.y_mm = od.seal.y, sr.width_mm = od.seal.w, sr.height_mm = od.seal.h;
  sr.time = std::time(nullptr);
  const double sealed_zip_ms = MedianMs(n, [&] {
    ofd::Package p = od.package;
    seal::Seal(p, sr);
    ofd::WriteZip(p, 1);
  });
  const double plain_zip_ms = MedianMs(n, [&] {
    ofd::Package p = od.package;
    ofd::WriteZip(p, 1);
  });
  issuing::IssueOptions with_ofd;
  with_ofd.ofd = true;
  const double issue_ofd_cpu = MedianCpuMs(n, [&] {
    issuer.Issue("letter", bodies[next++ % bodies.size()], user, "", with_ofd);
  });
  const double issue_pdf_cpu = MedianCpuMs(n, [&] { issuer.Issue("letter", bodies[next++ % bodies.size()], user, ""); });
  // A re-issue of an unchanged body: render + compare with the head, nothing signed or written.
  const double reissue_ms = MedianMs(n, [&] { issuer.Issue("letter", first, user, ""); });

  std::printf("one-page letter, median of %d (ms)\n", n);
  std::printf("  render only                       %8.2f\n", render_ms);
  std::printf("  sign only (invisible)             %8.2f\n", sign_ms);
  std::printf("  issue (render + sign + archive)   %8.2f   PDF/A-2b, visible seal (wall)\n", issue_ms);
  std::printf("  issue without the PDF/A parts     %8.2f   ratio PDF/A / without: %.3f\n", plain_ms,
              issue_ms / plain_ms);
  std::printf("  issue, CPU of the issuing thread  %8.2f   without the PDF/A parts %.2f, ratio %.3f\n", issue_cpu,
              plain_cpu, issue_cpu / plain_cpu);
  std::printf("  sign only (visible seal), CPU     %8.2f   without the PDF/A parts %.2f, ratio %.3f\n", sign_a, sign_b,
              sign_a / sign_b);
  std::printf("  issue overhead (sign + archive)   %8.2f\n", issue_ms - render_ms);
  std::printf("  render as OFD (layout+package+zip)%8.2f   the PDF render %.2f, ratio %.3f\n", ofd_render_ms,
              render_ms, ofd_render_ms / render_ms);
  std::printf("  seal (sealed zip - plain zip)     %8.2f   (%.2f - %.2f)\n", sealed_zip_ms - plain_zip_ms,
              sealed_zip_ms, plain_zip_ms);
  std::printf("  OFD render + seal                 %8.2f   target <= 5 ms\n",
              ofd_render_ms + sealed_zip_ms - plain_zip_ms);
  std::printf("  issue with --format ofd, CPU      %8.2f   PDF only %.2f, ratio %.3f\n", issue_ofd_cpu,
              issue_pdf_cpu, issue_ofd_cpu / issue_pdf_cpu);
  std::printf("  re-issue, unchanged (no version)  %8.2f\n", reissue_ms);
  std::printf("  signer: %s%s\n", issuer.signer().subject().c_str(),
              issuer.is_development() ? " (development identity)" : "");
  std::filesystem::remove_all(tmp);
  return 0;
}
