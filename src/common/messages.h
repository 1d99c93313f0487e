// common/messages.h — the rule catalog (common/message_catalog.h) as code: a stable code per rule, its Chinese
// and English sentences, and the language a user reads them in.
//
// A problem carries a Msg and its arguments, never a finished sentence, so the same problem is told in Chinese to
// a clerk (the default) and in English to a script that asks for it (`--lang en`, `Accept-Language: en`). A Msg
// is an enumerator of the catalog: a code that is not in the table does not compile. Rendering is done only for
// problems that are listed (common/problem.h), never for those only counted.
//
// Thread safety: everything here is pure except the process language (SetProcessLanguage), which the command
// line sets once at start before any thread runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/message_catalog.h"

namespace zhiping {

enum class Lang { kZh, kEn };

// "zh", "zh-CN", "zh_CN.UTF-8", "en", "en-US" ... (case-insensitive); nullopt for anything else.
std::optional<Lang> ParseLang(std::string_view text);
// The language an HTTP client asked for: English when the first language range of `accept_language` that is
// zh… or en… is en… (q-values are honoured); Chinese otherwise, and for an empty or absent header.
Lang LangFromAcceptLanguage(std::string_view accept_language);
// The language of this process's messages on the command line: Chinese unless set (zhiping --lang, ZHIPING_LANG).
Lang ProcessLanguage();
void SetProcessLanguage(Lang lang);

enum class Msg : uint16_t {
#define ZHIPING_MESSAGE_ENUM(name, code, params, zh, en) name,
  ZHIPING_MESSAGES(ZHIPING_MESSAGE_ENUM)
#undef ZHIPING_MESSAGE_ENUM
};

struct MessageInfo {
  Msg msg;
  const char* code;    // "id-number.checksum"
  const char* params;  // "digit" — placeholder names, space-separated, in argument order
  const char* zh;
  const char* en;
};
// Every entry of the table, in its order.
const std::vector<MessageInfo>& MessageCatalog();
const MessageInfo& InfoOf(Msg msg);

// One argument of a message. Most read the same in both languages (a number, a quoted value); some differ: a
// JSON Pointer is told as a place in Chinese ("/applicants/1/id" -> "第 2 位申报人申报编号"), "a man's number"
// as "男性号码".
struct MessageArg {
  std::string en;
  std::string zh;  // "" : the same as en
  MessageArg() = default;
  MessageArg(std::string text) : en(std::move(text)) {}  // NOLINT: args are written inline
  MessageArg(const char* text) : en(text) {}             // NOLINT
  MessageArg(std::string english, std::string chinese) : en(std::move(english)), zh(std::move(chinese)) {}
  template <typename N, typename = std::enable_if_t<std::is_integral_v<N>>>
  MessageArg(N n) : en(std::to_string(n)) {}  // NOLINT
  const std::string& In(Lang lang) const { return lang == Lang::kZh && !zh.empty() ? zh : en; }
};

struct Message {
  Msg code = Msg::kText;
  std::vector<MessageArg> args;
  Message() = default;
  Message(Msg c, std::vector<MessageArg> a = {}) : code(c), args(std::move(a)) {}  // NOLINT
};

// The sentence of `msg` in `lang`, placeholders replaced by `args` (a missing argument reads as "").
std::string RenderMessage(Msg msg, const std::vector<MessageArg>& args, Lang lang);
inline std::string RenderMessage(const Message& m, Lang lang) { return RenderMessage(m.code, m.args, lang); }

// A sentence "x" whose parts are themselves messages (a malformed-JSON reason inside its position).
MessageArg NestedArg(const Message& m);

}  // namespace zhiping
