#include "jobs/bulk_command.h"

#include "common/messages.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "common/command_line.h"
#include "common/durable_file.h"
#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"
#include "issuing/policy.h"
#include "jobs/bulk_letters.h"
#include "jobs/documents_zip.h"
#include "jobs/print_file.h"
#include "render/renderer.h"

namespace zhiping::jobs {

namespace {

std::string Duration(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.0fs", s);
  else std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return buf;
}

// One progress display for the long parts of a run (issuing, then writing the print file): a bar redrawn at most
// every 100 ms on a terminal, otherwise a plain line at every tenth and at least every 5 s. Called serialised.
class Progress {
 public:
  Progress(std::ostream& err, bool tty, const char* label, const char* unit)
      : err_(err), tty_(tty), label_(label), unit_(unit) {}
  // The words of the line: Chinese unless the process speaks English (--lang en).
  const bool zh_ = ProcessLanguage() == Lang::kZh;

  void Report(size_t done, size_t total, size_t failed) {
    const auto now = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? done / secs : 0;
    const double eta = rate > 0 ? (total - done) / rate : 0;
    const size_t decile = total ? done * 10 / total : 10;
    const bool finished = done == total;
    char line[240];
    if (tty_) {
      if (!finished && now - last_ < std::chrono::milliseconds(100)) return;
      const int width = 30, filled = total ? static_cast<int>(width * done / total) : width;
      std::snprintf(line, sizeof line, zh_ ? "\r[%s%s] %zu/%zu %3zu%%  每秒 %.1f %s  还需 %s  失败 %zu "
                                          : "\r[%s%s] %zu/%zu %3zu%%  %.1f %s/s  ETA %s  failed %zu ",
                    std::string(filled, '#').c_str(), std::string(width - filled, '-').c_str(), done, total,
                    total ? done * 100 / total : 100, rate, unit_, Duration(eta).c_str(), failed);
      err_ << line << (finished ? "\n" : "") << std::flush;
    } else {
      if (!finished && decile == last_decile_ && now - last_ < std::chrono::seconds(5)) return;
      std::snprintf(line, sizeof line,
                    zh_ ? "%s: %zu/%zu (%zu%%)，每秒 %.1f %s，还需 %s，失败 %zu\n"
                        : "%s: %zu/%zu (%zu%%), %.1f %s/s, ETA %s, failed %zu\n",
                    label_, done, total, total ? done * 100 / total : 100, rate, unit_, Duration(eta).c_str(), failed);
      err_ << line << std::flush;
    }
    last_ = now;
    last_decile_ = decile;
  }

 private:
  std::ostream& err_;
  const bool tty_;
  const char* label_;
  const char* unit_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
  size_t last_decile_ = 0;
};

int Issue(const issuing::Issuer& issuer, const BulkBody& body, size_t max_items, const std::string& who,
          const std::string& message, const std::string& zip, const std::string& print, unsigned threads, bool ofd,
          std::ostream& out, std::ostream& err, bool tty) {
  const BulkKind& kind = body.kind();
  Problems envelope = body.EnvelopeProblems(max_items);
  if (!envelope.empty())
    throw Error(ErrorKind::kInvalidInput, std::string("invalid bulk ") + kind.noun + " body", envelope);
  // What a clerk reads is Chinese unless --lang en (common/messages.h); the JSON summary on stdout is for scripts.
  const bool zh = ProcessLanguage() == Lang::kZh;
  if (issuer.is_development()) {
    if (zh) {
      err << "警告：" << kind.document << "使用开发用身份（DEVELOPMENT identity）签名，不是正式签名；" << issuer.dev_ca_path()
          << " 只能在测试时信任\n";
    } else {
      err << "warning: " << kind.noun << " are signed with the DEVELOPMENT identity (not an official signature); trust "
          << issuer.dev_ca_path() << " only for testing\n";
    }
  }

  const auto start = std::chrono::steady_clock::now();
  Progress progress(err, tty, zh ? "进度" : "progress", zh ? "份" : kind.noun);
  BulkOptions options;
  options.threads = threads;
  options.issue.ofd = ofd;
  options.on_progress = [&](const BulkProgress& p) { progress.Report(p.done, p.total, p.failed); };
  // The zip is written while the documents are issued, on a thread of its own (jobs/documents_zip.h). Declared in
  // this order so that the feed, which writes into the file's stream, ends first.
  std::optional<DurableFileWriter> zout;
  std::optional<DocumentsZipFeed> zip_feed;
  if (!zip.empty()) {
    zout.emplace(zip);  // errors reach RunGuarded (common/command_line.h) before anything is issued
    zip_feed.emplace(issuer.store(), zout->stream(), ofd);
    options.on_issued = [&](const ItemIssued& item) { zip_feed->Issued(item); };
    options.on_failed = [&](const ItemFailed& item) { zip_feed->Failed(item.index); };
  }
  BulkResult r = RunBulk(issuer, body, issuing::LocalUser(who), message.empty() ? std::string("bulk ") + kind.noun : message,
                         options);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t created = 0;
  for (const auto& i : r.issued) created += i.created ? 1 : 0;
  for (const auto& f : r.failed) {
    // A letter's reason names it already ("第 3 封（张三）…"); other documents get their ordinal here.
    if (!zh) {
      err << "item " << f.index << ": " << f.reason << "\n";
    } else if (f.reason.rfind("第 ", 0) == 0) {
      err << f.reason << "\n";
    } else {
      err << "第 " << f.index + 1 << " 份" << kind.document << "：" << f.reason << "\n";
    }
  }
  char summary[320];
  if (zh) {
    std::snprintf(summary, sizeof summary,
                  "已签发 %zu/%zu 份%s（新增 %zu 份，档案中已有 %zu 份），失败 %zu 份，用时 %.1f 秒（每秒 %.1f 份）\n",
                  r.issued.size(), r.total, kind.document, created, r.issued.size() - created, r.failed.size(), secs,
                  secs > 0 ? r.total / secs : 0.0);
  } else {
    std::snprintf(summary, sizeof summary,
                  "issued %zu of %zu %s (%zu new, %zu already archived), %zu failed, in %.1fs (%.1f %s/s)\n",
                  r.issued.size(), r.total, kind.noun, created, r.issued.size() - created, r.failed.size(), secs,
                  secs > 0 ? r.total / secs : 0.0, kind.noun);
  }
  err << summary;
  if (zip_feed) {
    zip_feed->Finish();
    zout->Commit();
    if (zh) {
      err << "已写入 " << zip << "（" << r.issued.size() << " 份" << kind.document << "）\n";
    } else {
      err << "wrote " << zip << " (" << r.issued.size() << " " << kind.noun << ")\n";
    }
  }
  PrintSummary printed;
  if (!print.empty()) {
    DurableFileWriter pout(print);
    err << "正在生成打印文件 " << print << "（" << r.issued.size() << " 份" << kind.document << "）……\n" << std::flush;
    Progress merging(err, tty, "打印文件", "份");
    printed = WritePrintFile(issuer.store(), *issuer.renderer().font_set(), PrintIndexOf(kind),
                             PrintEntries(body, r.issued), pout.stream(),
                             [&](size_t done, size_t total) { merging.Report(done, total, 0); });
    pout.Commit();
    err << "已写入打印文件 " << print << "：共 " << printed.pages << " 页（" << kind.document << " "
        << printed.documents << " 份，目录 " << printed.index_pages << " 页，空白页 " << printed.blank_pages
        << " 页；未生成 " << printed.failed << " 份，已在目录中注明）\n";
  }
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("total", r.total);
  o->set("issued", r.issued.size());
  o->set("created", created);
  o->set("unchanged", r.issued.size() - created);
  Poco::JSON::Array::Ptr failed = new Poco::JSON::Array;
  for (const auto& f : r.failed) {
    Poco::JSON::Object::Ptr fo = new Poco::JSON::Object;
    fo->set("index", f.index);
    fo->set("reason", f.reason);
    failed->add(fo);
  }
  o->set("failed", failed);
  if (!zip.empty()) o->set("zip", zip);
  if (!print.empty()) {
    o->set("print", print);
    o->set("print_pages", printed.pages);
  }
  o->set("seconds", secs);
  out << JsonText(o) << "\n";
  return r.failed.empty() ? 0 : 2;
}

}  // namespace

void DeclareBulkOptions(CommandLine& line, BulkCommand* command) {
  line.app().add_option("--zip", command->zip);
  line.app().add_option("--print", command->print);
  line.app().add_option("--threads", command->threads);
  line.app().add_option("--message", command->message);
  line.app().add_option("--user", command->user);
  line.app().add_option("--override-deadline", command->override_deadline);
  line.app().add_option("--format", command->format);
}

std::optional<int> TakeBulkWords(const CommandLine& line, BulkCommand* command, std::ostream& err) {
  const std::vector<std::string>& words = line.words();
  if (words.empty()) return line.UsageError("needs " + BulkKindNames() + " and DATA.json", err);
  command->kind = FindBulkKind(words[0]);
  if (!command->kind) {
    return line.UsageError("只能批量生成 " + BulkKindNames() + "（不是 '" + words[0] + "'）", err);
  }
  if (words.size() < 2) return line.UsageError("DATA.json is missing", err);
  if (words.size() > 2) return line.UsageError("unexpected argument " + words[2], err);
  command->data = words[1];
  return std::nullopt;
}

int RunBulkCommand(const BulkCommand& command, const issuing::Issuer& issuer, const std::string& user,
                   size_t max_items, std::ostream& out, std::ostream& err, bool tty) {
  return RunGuarded("zhiping bulk", err, [&] {
    // --format before any work: pdf (the default) or ofd, which a bulk kind's template must be able to make.
    const render::OutputFormat format = render::ParseOutputFormat(command.format);
    render::CheckOutputFormat(format, command.kind->template_name, "pdf");
    std::string text = ReadInputFile(command.data);
    const std::string who = command.user.empty() ? user : command.user;
    // The round's deadline and its override (issuing/policy.h), as `zhiping issue` applies them: reports after
    // batch.deadline only with --override-deadline REASON (the envelope's batch is every item's).
    const issuing::DeadlineCheck deadline = issuing::CheckDeadline(
        command.kind->template_name, text, who, issuing::kLocalUserRoles, command.override_deadline, command.message);
    if (deadline.refused) {
      err << "zhiping bulk: 本轮评审的截止日期 " << deadline.deadline
          << " 已过，系统已自动截止（确需补报时用 --override-deadline 原因，原因会记入档案）\n";
      return 2;
    }
    const BulkBody body = BulkBody::Parse(std::move(text), *command.kind);
    return Issue(issuer, body, max_items, who, deadline.message, command.zip, command.print, command.threads,
                 format == render::OutputFormat::kOfd, out, err, tty);
  }, command.data);
}

}  // namespace zhiping::jobs
