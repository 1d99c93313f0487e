#include "seal/verify_ofd_command.h"

#include "common/json.h"
#include "common/messages.h"
#include "seal/utc_text.h"
#include "seal/verify_ofd.h"

namespace zhiping::seal {
namespace {

std::string Say(Msg msg, std::vector<MessageArg> args = {}) { return RenderMessage(msg, args, ProcessLanguage()); }


}  // namespace

bool LooksLikeOfd(const std::string& bytes) { return bytes.compare(0, 4, "PK\x03\x04") == 0; }

int ReportOfdSeals(const std::string& file, const std::string& zip, const std::vector<std::string>& trust_paths,
                   std::ostream& out) {
  std::vector<std::string> trust;
  for (const std::string& path : trust_paths) trust.push_back(ReadFile(path));
  std::vector<OfdSealReport> reports = VerifyOfd(zip, trust);
  if (reports.empty()) {
    out << file << (ProcessLanguage() == Lang::kZh ? "：" : ": ") << Say(Msg::kOfdNoSeal) << "\n";
    return 1;
  }
  bool all_valid = true;
  for (size_t i = 0; i < reports.size(); ++i) {
    const OfdSealReport& r = reports[i];
    std::vector<Message> problems = r.Problems();
    all_valid = all_valid && problems.empty();
    out << Say(problems.empty() ? Msg::kOfdSealValid : Msg::kOfdSealInvalid, {i + 1, reports.size()}) << "  ("
        << r.signature_path << ")\n";
    if (r.unreadable.empty()) {
      out << "  " << Say(Msg::kOfdSealName, {r.seal_name, r.seal_id}) << "\n"
          << "  " << Say(Msg::kOfdSigner, {r.signer}) << "\n"
          << "  " << Say(Msg::kOfdTime, {UtcText(r.time, "%Y-%m-%d %H:%M:%S UTC")}) << "\n";
      if (r.development) out << "  " << Say(Msg::kOfdDevelopment) << "\n";
      if (r.changed.empty() && r.missing.empty() && r.outside.empty())
        out << "  " << Say(Msg::kOfdDigestsMatch, {r.files_checked}) << "\n";
      if (r.signer_trusted && r.maker_trusted) out << "  " << Say(Msg::kOfdChainsOk) << "\n";
    }
    for (const Message& m : problems) out << "  - " << RenderMessage(m, ProcessLanguage()) << "\n";
  }
  return all_valid ? 0 : 1;
}

}  // namespace zhiping::seal
