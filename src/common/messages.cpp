#include "common/messages.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>

namespace zhiping {

namespace {

std::atomic<int> g_process_lang{static_cast<int>(Lang::kZh)};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The index of `name` among the space-separated `params`, or -1.
int ParamIndex(const char* params, std::string_view name) {
  std::string_view list(params);
  int index = 0;
  while (!list.empty()) {
    size_t space = list.find(' ');
    if (list.substr(0, space) == name) return index;
    if (space == std::string_view::npos) break;
    list.remove_prefix(space + 1);
    ++index;
  }
  return -1;
}

}  // namespace

std::optional<Lang> ParseLang(std::string_view text) {
  std::string s = Lower(Trim(text));
  auto primary = [&](const char* tag) {
    size_t n = std::char_traits<char>::length(tag);
    return s.compare(0, n, tag) == 0 && (s.size() == n || s[n] == '-' || s[n] == '_' || s[n] == '.');
  };
  if (primary("zh")) return Lang::kZh;
  if (primary("en")) return Lang::kEn;
  return std::nullopt;
}

Lang LangFromAcceptLanguage(std::string_view header) {
  // RFC 9110 §12.5.4: comma-separated ranges, each with an optional ";q=". The best zh… or en… range wins; at equal
  // weight the one named first.
  double best_q = -1;
  Lang best = Lang::kZh;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view range = Trim(item.substr(0, semi));
    double q = 1;
    if (semi != std::string_view::npos) {
      std::string params = Lower(item.substr(semi + 1));
      size_t at = params.find("q=");
      if (at != std::string::npos) q = std::atof(params.c_str() + at + 2);
    }
    std::optional<Lang> lang = ParseLang(range);
    if (lang && q > 0 && q > best_q) {
      best_q = q;
      best = *lang;
    }
  }
  return best;
}

Lang ProcessLanguage() { return static_cast<Lang>(g_process_lang.load(std::memory_order_relaxed)); }
void SetProcessLanguage(Lang lang) { g_process_lang.store(static_cast<int>(lang), std::memory_order_relaxed); }

const std::vector<MessageInfo>& MessageCatalog() {
  static const std::vector<MessageInfo> kTable = {
#define ZHIPING_MESSAGE_ROW(name, code, params, zh, en) {Msg::name, code, params, zh, en},
      ZHIPING_MESSAGES(ZHIPING_MESSAGE_ROW)
#undef ZHIPING_MESSAGE_ROW
  };
  return kTable;
}

const MessageInfo& InfoOf(Msg msg) { return MessageCatalog()[static_cast<size_t>(msg)]; }

std::string RenderMessage(Msg msg, const std::vector<MessageArg>& args, Lang lang) {
  const MessageInfo& info = InfoOf(msg);
  std::string_view text = lang == Lang::kZh ? info.zh : info.en;
  std::string out;
  out.reserve(text.size() + 32);
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      size_t close = text.find('}', i + 1);
      if (close != std::string_view::npos) {
        int index = ParamIndex(info.params, text.substr(i + 1, close - i - 1));
        if (index >= 0) {
          if (static_cast<size_t>(index) < args.size()) out += args[static_cast<size_t>(index)].In(lang);
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

MessageArg NestedArg(const Message& m) {
  return MessageArg(RenderMessage(m, Lang::kEn), RenderMessage(m, Lang::kZh));
}

}  // namespace zhiping
