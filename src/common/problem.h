// common/problem.h — how every stage reports what is wrong with a user's input.
//
// A Problem names the place (an RFC 6901 JSON Pointer into the request body, or "file:line" for a template) and the
// rule that was broken: a stable code of the rule catalog with its arguments (common/messages.h), told in Chinese
// or English when it is shown (RuleText, PlaceText, FormatProblem), and the same rule in English as `rule` (the
// text zhiping answered before it spoke Chinese; error messages and English answers use it). `place` is the
// Chinese name of the pointer a clerk understands, "第 4 位申报人（张三）身份证号" (model/field_labels.h), made by
// the stage that knows the person (model::Checker). Stages collect *all* problems before giving up, so the
// user fixes a body in one round trip — but at most kMaxProblems of them are listed: a body with millions of
// problems ends its list with one more Problem saying how many were left out ("… and 3,999,901 more problems"),
// so an answer stays small however bad the body. The CLI prints one problem per line (exit 2); HTTP returns them
// in a 422 problem+json body.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/messages.h"

namespace zhiping {

struct Problem {
  std::string pointer;  // "/applicants/3/id_number"; "" means the whole body
  std::string rule;     // "checksum digit should be X" (English; for code kText the free text as written)
  size_t omitted = 0;   // > 0 only in the closing entry of a cut list: how many problems it stands for
  Msg code = Msg::kText;          // the rule (kText: `rule` is free text of a stage without codes)
  std::vector<MessageArg> args = {};  // its arguments
  std::string place = "";            // "第 4 位申报人（张三）身份证号"; "" : told from `pointer`
};

// A problem of the catalog: rule = the English sentence.
Problem MakeProblem(std::string pointer, const Message& message, std::string place = "");

// The rule in `lang` (a kText problem: its text as written).
std::string RuleText(const Problem& p, Lang lang);
// Where it is in `lang`: English the pointer ("" for the whole body: "(body)"); Chinese `place`, else the pointer,
// else "整个请求".
std::string PlaceText(const Problem& p, Lang lang);
// The stable code ("id-number.checksum").
const char* ProblemCode(const Problem& p);

using Problems = std::vector<Problem>;

// How many problems a list names before it is cut.
constexpr size_t kMaxProblems = 100;

// The closing entry of a list cut after kMaxProblems: pointer "", rule "… and 1,234 more problems (only the first
// 100 are listed)", omitted = n.
Problem MoreProblems(size_t n);
// The `omitted` count of a list's closing entry, 0 for a complete list.
size_t OmittedProblems(const Problems& problems);
// How many problems a list stands for: the listed ones and the omitted ones.
size_t ProblemTotal(const Problems& problems);
// Appends `p`, or, once `problems` lists kMaxProblems, counts it in the closing entry. For few problems (the hot
// paths count without formatting: model::Checker).
void AddProblem(Problems* problems, Problem p);

// Throws zhiping::Error kInvalidInput "N problem(s) in the {what}" carrying `problems` (what: "letter data").
[[noreturn]] void ThrowProblems(const std::string& what, Problems problems);

// "/applicants/3/id_number: checksum digit should be X" (English), "第 4 位申报人（张三）身份证号：校验位应为 X"
// (Chinese), made safe to print (SanitizeText). In Chinese the closing "……另有 N 个问题" stands alone, and a
// free-text problem (kText) reads as written: its text alone when it starts with its place (an importer's
// "汇总表!C2（张三）身份证号：…") or when it is about the whole input (no pointer), else as in English.
std::string FormatProblem(const Problem& p, Lang lang = Lang::kEn);

// Escapes one reference token for use in a JSON Pointer ("~" -> "~0", "/" -> "~1").
std::string PointerToken(const std::string& key);

}  // namespace zhiping
