#include "archive/archive_command.h"


#include "archive/archive.h"
#include "archive/fs_util.h"
#include "archive/object_index.h"
#include "common/command_line.h"
#include "common/durable_file.h"
#include "common/error.h"
#include "common/messages.h"
#include "common/ids.h"
#include "common/utf8.h"

namespace zhiping::archive {

namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

const char kUsageText[] =
    "usage: zhiping archive ls APPLICANT_ID [--versions]\n"
    "       zhiping archive get APPLICANT_ID FILE [--version vN] [-o OUT]\n"
    "       zhiping archive verify [APPLICANT_ID...]\n"
    "       zhiping archive reindex\n"
    "       (--batch ID instead of APPLICANT_ID addresses a round's batch object)\n";
const char kLsHelp[] =
    "usage: zhiping archive ls APPLICANT_ID [--versions]\n"
    "       zhiping archive ls --batch BATCH_ID [--versions]\n"
    "Lists the files of the newest version (path, size, sha512); --versions lists every version with its time,\n"
    "user, message and files.\n";
const char kGetHelp[] =
    "usage: zhiping archive get APPLICANT_ID FILE [--version vN] [-o OUT]\n"
    "       zhiping archive get --batch BATCH_ID FILE [--version vN] [-o OUT]\n"
    "Writes one stored file (of the newest version, or of vN) to OUT, or to standard output.\n";
const char kVerifyHelp[] =
    "usage: zhiping archive verify [APPLICANT_ID...] [--batch BATCH_ID...]\n"
    "Checks fixity and OCFL 1.1 structure of the named objects, or of the whole archive. Problems are printed\n"
    "with their OCFL codes (E0xx errors, W0xx warnings); exit status 1 when any error is found.\n";

const char kReindexHelp[] =
    "usage: zhiping archive reindex [--config FILE]\n"
    "Rebuilds the object index in the configured PostgreSQL database (store.backend = postgresql) from every OCFL\n"
    "object of the archive, which stays the truth: rows that are missing or wrong are written, objects the archive\n"
    "no longer has are removed. Prints how many objects and versions it indexed and how many index rows it fixed;\n"
    "a second run changes nothing. Exit status 1 when the index cannot be had or an object cannot be read.\n";

// One subcommand's command line: its options declared on `line`, --batch (repeatable) on every one.
struct Parsed {
  std::vector<std::string> batches;
  bool versions = false;
  std::string version;
  std::string output;
};

CommandLine& DeclareBatch(CommandLine& line, Parsed* p) {
  line.app()
      .add_option("--batch", p->batches)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  return line;
}

// Reading commands never create a storage root: a mistyped --archive would otherwise "verify" an empty new one.
// False after saying so when there is none.
bool ArchiveExists(const std::string& root, const char* sub, std::ostream& err) {
  if (fs::Exists(root)) return true;
  if (ProcessLanguage() == Lang::kZh) {
    err << "zhiping archive " << sub << "：" << root << " 处没有档案库（那里还没有出具过文书，或 --archive 写错了）\n";
    return false;
  }
  err << "zhiping archive " << sub << ": there is no archive at " << root
      << " (nothing issued there yet, or a different --archive)\n";
  return false;
}

// The words after the subcommand's name.
std::vector<std::string> Words(const std::vector<std::string>& args) { return {args.begin() + 1, args.end()}; }

// The object id for an applicant or batch key; "" after printing why the key is refused.
std::string ObjectIdFor(const std::string& key, bool batch, std::ostream& err) {
  if (!IsValidArchiveKey(key)) {
    if (ProcessLanguage() == Lang::kZh) {
      err << "zhiping archive：“" << key << "”不是有效的" << (batch ? "批次" : "申报人")
          << "编号：编号应为 1 到 64 个字符，只含 A-Z、a-z、0-9、“.”、“_”或“-”（不能是 . 或 ..）\n";
      return "";
    }
    err << "zhiping archive: \"" << key << "\" is not a valid " << (batch ? "batch" : "applicant")
        << " id: it " << kIdRule << "\n";
    return "";
  }
  return batch ? BatchObjectId(key) : ApplicantObjectId(key);
}

int Ls(const std::vector<std::string>& args, const std::string& root, std::ostream& out, std::ostream& err) {
  Parsed p;
  CommandLine line("zhiping archive ls", kLsHelp, kLsHelp);
  DeclareBatch(line, &p).app().add_flag("--versions", p.versions);
  if (std::optional<int> done = line.Parse(Words(args), out, err)) return *done;
  if (!ArchiveExists(root, "ls", err)) return kFailed;
  if (line.words().size() + p.batches.size() != 1) return line.UsageError("ls takes exactly one id", err);
  bool batch = !p.batches.empty();
  std::string id = ObjectIdFor(batch ? p.batches[0] : line.words()[0], batch, err);
  if (id.empty()) return kUsage;
  Store store(root);
  if (p.versions) {
    for (const auto& v : store.Versions(id)) {
      out << v.version << "  " << v.created << "  " << v.user.name;
      if (!v.user.address.empty()) out << " <" << v.user.address << ">";
      out << "  " << v.message << "\n";
      for (const auto& f : v.files) out << "    " << f.logical_path << "  " << f.size << "  " << f.digest << "\n";
    }
  } else {
    for (const auto& f : store.Files(id))
      out << f.logical_path << "  " << f.size << "  " << f.digest << "  " << f.version << "\n";
  }
  return kOk;
}

// Text a terminal can show: valid UTF-8 without NUL or other C0 controls than tab, newline and carriage return.
bool IsTerminalText(const std::string& bytes) {
  for (unsigned char c : bytes)
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
  std::u32string ignored;
  return DecodeUtf8(bytes, &ignored);
}

int Get(const std::vector<std::string>& args, const std::string& root, std::ostream& out, std::ostream& err,
        bool out_is_terminal) {
  Parsed p;
  CommandLine line("zhiping archive get", kGetHelp, kGetHelp);
  DeclareBatch(line, &p).app().add_option("--version", p.version);
  line.app().add_option("-o,--output", p.output);
  if (std::optional<int> done = line.Parse(Words(args), out, err)) return *done;
  if (!ArchiveExists(root, "get", err)) return kFailed;
  bool batch = !p.batches.empty();
  size_t ids = p.batches.size() + (batch ? 0 : 1);
  if (ids != 1 || line.words().size() != (batch ? 1u : 2u)) {
    return line.UsageError("get takes one id and one FILE", err);
  }
  std::string id = ObjectIdFor(batch ? p.batches[0] : line.words()[0], batch, err);
  if (id.empty()) return kUsage;
  const std::string& file = line.words().back();
  Store store(root);
  std::string bytes = store.Read(id, file, p.version);
  if (p.output.empty() && out_is_terminal && !IsTerminalText(bytes)) {
    if (ProcessLanguage() == Lang::kZh) {
      err << "zhiping archive get：" << file << " 是二进制文件，标准输出是终端；请用 -o " << file
          << " 写到文件（或用 -o - 强制写到标准输出）\n";
      return kUsage;
    }
    err << "zhiping archive get: " << file << " is binary and standard output is a terminal; write it to a file "
        << "with -o " << file << " (or -o - to force stdout)\n";
    return kUsage;
  }
  if (p.output.empty() || p.output == "-") {
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
  } else {
    try {
      WriteFileDurably(p.output, bytes);
    } catch (const Error& e) {
      err << "zhiping archive get" << (ProcessLanguage() == Lang::kZh ? "：" : ": ") << ClerkText(e.what()) << "\n";
      return kFailed;
    }
  }
  return kOk;
}

int Verify(const std::vector<std::string>& args, const std::string& root, std::ostream& out, std::ostream& err) {
  Parsed p;
  CommandLine line("zhiping archive verify", kVerifyHelp, kVerifyHelp);
  DeclareBatch(line, &p);
  if (std::optional<int> done = line.Parse(Words(args), out, err)) return *done;
  if (!ArchiveExists(root, "verify", err)) return kFailed;
  std::vector<std::string> ids;
  for (const auto& a : line.words()) {
    std::string id = ObjectIdFor(a, false, err);
    if (id.empty()) return kUsage;
    ids.push_back(id);
  }
  for (const auto& b : p.batches) {
    std::string id = ObjectIdFor(b, true, err);
    if (id.empty()) return kUsage;
    ids.push_back(id);
  }
  Store store(root);  // recovery first: a crashed writer's leftovers are not damage
  for (const auto& id : ids)
    if (!store.Exists(id)) {
      err << "zhiping archive verify" << (ProcessLanguage() == Lang::kZh ? "：" : ": ")
          << ClerkText("no archive object " + id) << "\n";
      return kFailed;
    }
  size_t errors = 0, objects = 0;
  for (const auto& r : VerifyStore(root, ids)) {
    std::string name = r.object_id.empty() ? r.object_root : r.object_id;
    if (r.object_root != root) ++objects;
    for (const auto& i : r.issues) {
      (i.error ? err : out) << "[" << i.code << "] " << name << ": " << i.message << "\n";
      if (i.error) ++errors;
    }
  }
  const bool zh = ProcessLanguage() == Lang::kZh;
  if (errors > 0 && zh) {
    err << "zhiping archive verify：" << root << " 中有 " << errors << " 处错误\n";
    return kFailed;
  }
  if (errors > 0) {
    err << "zhiping archive verify: " << errors << " error(s) in " << root << "\n";
    return kFailed;
  }
  if (zh) {
    out << "正常：" << objects << " 个对象均有效\n";
  } else {
    out << "ok: " << objects << " object(s) valid\n";
  }
  return kOk;
}

int ReindexCommand(const std::vector<std::string>& args, const std::string& root, std::ostream& out, std::ostream& err,
            const ArchiveCommandHooks& hooks) {
  CommandLine line("zhiping archive reindex", kReindexHelp, kReindexHelp);
  if (std::optional<int> done = line.Parse(Words(args), out, err)) return *done;
  if (!line.words().empty()) return line.UsageError("reindex takes no arguments", err);
  if (!ArchiveExists(root, "reindex", err)) return kFailed;
  const bool zh = ProcessLanguage() == Lang::kZh;
  std::shared_ptr<ObjectIndex> index = hooks.open_index ? hooks.open_index() : nullptr;
  if (!index) {
    if (zh) {
      err << "zhiping archive reindex：没有对象索引可重建：索引只在 PostgreSQL 中（store.backend = postgresql，"
             "或设 ZHIPING_DATABASE_URL）；内置的 SQLite 默认配置不建索引，列表直接读档案库\n";
    } else {
      err << "zhiping archive reindex: there is no object index to rebuild: it lives in PostgreSQL "
             "(store.backend = postgresql, or ZHIPING_DATABASE_URL); the embedded SQLite default keeps none and "
             "lists straight from the archive\n";
    }
    return kFailed;
  }
  Store store(root);  // recovery first: root inventories a crash left behind are brought up to date
  ReindexReport r = Reindex(store, *index);
  for (const auto& rel : r.unreadable)
    err << "zhiping archive reindex" << (zh ? "：" : ": ")
        << (zh ? "无法读取 " + rel + " 的清单，未编入索引（请运行 zhiping archive verify）"
               : "the inventory of " + rel + " cannot be read; not indexed (run zhiping archive verify)")
        << "\n";
  if (zh) {
    out << "已索引 " << r.objects << " 个对象、" << r.versions << " 个版本；";
    if (r.rows_fixed == 0)
      out << "索引原已与档案库一致，未作改动\n";
    else
      out << "修正了 " << r.rows_fixed << " 行缺失或错误的索引（涉及 " << r.objects_fixed + r.objects_removed
          << " 个对象，其中 " << r.objects_removed << " 个已不在档案库中）\n";
  } else {
    out << "indexed " << r.objects << " object(s), " << r.versions << " version(s); ";
    if (r.rows_fixed == 0)
      out << "the index already matched the archive: nothing changed\n";
    else
      out << r.rows_fixed << " index row(s) were wrong or missing and are fixed (" << r.objects_fixed + r.objects_removed
          << " object(s), " << r.objects_removed << " of them no longer in the archive)\n";
  }
  return r.unreadable.empty() ? kOk : kFailed;
}

}  // namespace

int RunArchiveCommand(const std::vector<std::string>& args, const std::string& archive_root, std::ostream& out,
                      std::ostream& err, bool out_is_terminal, const ArchiveCommandHooks& hooks) {
  if (args.empty()) {
    err << kUsageText;
    return kUsage;
  }
  const std::string& sub = args[0];
  if (sub == "--help" || sub == "-h" || sub == "help") {
    out << kUsageText;
    return kOk;
  }
  if (sub != "ls" && sub != "get" && sub != "verify" && sub != "reindex") {
    if (ProcessLanguage() == Lang::kZh) {
      err << "zhiping archive：没有子命令“" << sub << "”\n" << kUsageText;
    } else {
      err << "zhiping archive: unknown command " << sub << "\n" << kUsageText;
    }
    return kUsage;
  }
  return RunGuarded("zhiping archive " + sub, err, [&] {
    if (sub == "ls") return Ls(args, archive_root, out, err);
    if (sub == "get") return Get(args, archive_root, out, err, out_is_terminal);
    if (sub == "reindex") return ReindexCommand(args, archive_root, out, err, hooks);
    return Verify(args, archive_root, out, err);
  });
}

}  // namespace zhiping::archive
