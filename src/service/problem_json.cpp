#include "service/problem_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <ostream>
#include <sstream>

#include <Poco/Exception.h>

#include "common/json.h"
#include "common/utf8.h"
#include "service/request_log.h"

namespace zhiping::service {

namespace {

// How each kind of pipeline error is answered (kInvalidInput is special: 400 or 422, see ProblemFor).
// The status is HttpStatusFor(kind) (common/error.h), the one mapping shared with the command line's exit codes.
struct KindAnswer {
  ErrorKind kind;
  const char* slug;
  const char* title;   // "" : the reason phrase
  const char* detail;  // the fixed sentence sent instead of the error's text; nullptr: the text (4xx only)
};
const KindAnswer kKindAnswers[] = {
    {ErrorKind::kNotFound, "not-found", "", nullptr},
    {ErrorKind::kConflict, "conflict", "", nullptr},
    {ErrorKind::kUnavailable, "unavailable", "",
     "the service cannot do this right now (for example its storage is full or unreachable); try again later"},
    {ErrorKind::kTemplate, "template-error", "Template error",
     "the template could not be used; the service log has the details"},
    {ErrorKind::kFont, "font-error", "Font error", "a font could not be used; the service log has the details"},
    {ErrorKind::kInternal, "internal", "", "internal error; the service log has the details"},
};

// A server path in a message: a '/' that starts a word and is followed by at least one more segment
// ("/srv/zhiping/archive/…", "'/tmp/x'"). Request paths are not expected in 404/409 texts of pipeline errors,
// so a false match only costs a less specific sentence.
bool MentionsServerPath(const std::string& text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] != '/') continue;
    if (i > 0 && std::string(" \t'\"(=:[<,").find(text[i - 1]) == std::string::npos) continue;
    size_t end = text.find_first_of(" \t'\")>,", i + 1);
    std::string word = text.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
    if (word.size() > 1 && word.find('/') != std::string::npos && word.find('/') > 0) return true;
  }
  return false;
}

}  // namespace

HttpProblem ProblemFor(const Error& error) {
  HttpProblem p;
  p.detail = error.what();
  if (error.kind() == ErrorKind::kInvalidInput) {
    if (IsMalformedJsonError(error.what())) {
      p.status = 400;
      p.slug = "malformed-json";
      p.title = "Malformed JSON";
      p.errors = error.problems();  // its reason, for the Chinese detail
      return p;
    }
    p.status = HttpStatusFor(error.kind());
    p.slug = "invalid-data";
    p.title = "Invalid data";
    p.errors = error.problems();
    if (p.errors.empty()) p.errors.push_back({"", error.what()});
    const size_t total = ProblemTotal(p.errors);
    p.detail = std::to_string(total) + (total == 1 ? " problem" : " problems") + " in the request body";
    if (OmittedProblems(p.errors)) p.detail += " (the first " + std::to_string(kMaxProblems) + " are listed)";
    p.detail += "; fix all of them and send it again";
    return p;
  }
  p.detail = "internal error; the service log has the details";  // a kind not listed below
  for (const auto& a : kKindAnswers) {
    if (a.kind != error.kind()) continue;
    p.status = HttpStatusFor(a.kind);
    p.slug = a.slug;
    p.title = a.title;
    if (a.detail != nullptr) {
      p.detail = a.detail;
    } else {
      p.detail = MentionsServerPath(error.what())
                     ? std::string(p.status == 404 ? "not found" : "the request conflicts with the current state") +
                           "; the service log has the details"
                     : error.what();
    }
  }
  if (p.status == 503) p.headers.push_back({"Retry-After", "5"});
  return p;
}

HttpProblem ProblemForCurrentException(std::string* log_line) {
  log_line->clear();
  try {
    throw;
  } catch (const HttpError& e) {
    return e.problem();
  } catch (const Error& e) {
    HttpProblem p = ProblemFor(e);
    // The answer's detail is then a fixed sentence: the full text, paths and all, goes to the log.
    if (p.status >= 500 || ((p.status == 404 || p.status == 409) && p.detail != e.what())) {
      *log_line = "error: " + MaskIdNumbers(e.what());
    }
    return p;
  } catch (const Poco::Exception& e) {
    *log_line = "error: unexpected exception: " + MaskIdNumbers(e.displayText());
  } catch (const std::exception& e) {
    *log_line = "error: unexpected exception: " + MaskIdNumbers(e.what());
  } catch (...) {
    *log_line = "error: unexpected non-standard exception";
  }
  HttpProblem internal;
  internal.detail = "internal error; the service log has the details";
  return internal;
}

namespace {

// The Chinese title of each slug, and the Chinese detail of a refusal thrown with English words only.
struct SlugText {
  const char* slug;
  const char* title;
  const char* detail;  // nullptr: the detail is said otherwise (invalid-data, malformed-json) or is the title's
};
const SlugText kSlugTexts[] = {
    {"invalid-data", "数据有误", nullptr},
    {"malformed-json", "JSON 格式有误", nullptr},
    {"not-found", "找不到", "找不到所请求的内容（路由、申报人、文件或版本）"},
    {"unknown-template", "没有这个模板", "没有这个模板；GET /v1/templates 列出所有模板"},
    {"unknown-job", "没有这个任务", "没有这个编号的任务"},
    {"conflict", "与当前状态冲突", "请求与当前状态冲突"},
    {"deadline-passed", "已过截止日期", "已过本批次的截止日期，不能再出具文书"},
    {"job-not-done", "任务尚未完成", "任务尚未完成，完成后再取"},
    {"unavailable", "服务暂不可用", "服务现在做不了这件事（例如存储已满或连不上），请稍后再试"},
    {"template-error", "模板错误", "模板无法使用；详情见服务日志"},
    {"font-error", "字体错误", "字体无法使用；详情见服务日志"},
    {"internal", "内部错误", "内部错误；详情见服务日志"},
    {"busy", "服务繁忙", "服务繁忙，请稍后再试"},
    {"queue-full", "任务队列已满", "任务队列已满，请稍后再提交"},
    {"unauthorized", "未授权", "需要有效的凭据：Authorization: Bearer 令牌"},
    {"forbidden", "无权访问", "此令牌没有访问这个路由所需的角色"},
    {"method-not-allowed", "不支持此方法", "这个地址不支持此请求方法（允许的方法见 Allow 头）"},
    {"body-too-large", "请求正文过大", "请求正文超过了服务允许的大小"},
    {"unsupported-media-type", "内容类型不受支持", "请求正文的内容类型不受支持：请以 application/json（UTF-8）发送"},
    {"incomplete-body", "请求正文不完整", "请求正文没有传完整"},
    {"bad-chunk", "分块传输格式有误", "分块传输的请求正文格式有误"},
    {"bad-request", "请求有误", "请求有误，无法解析"},
};

const SlugText* SlugTextOf(const std::string& slug) {
  for (const SlugText& t : kSlugTexts) {
    if (slug == t.slug) return &t;
  }
  return nullptr;
}

// A CJK ideograph in UTF-8 (U+4E00–U+9FFF: lead byte E4–E9).
bool HasChinese(const std::string& text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0xE4 && c <= 0xE9 && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) return true;
  }
  return false;
}

std::string ChineseDetail(const HttpProblem& problem) {
  if (problem.slug == "invalid-data") {
    const size_t total = ProblemTotal(problem.errors);
    std::string detail = "请求数据中有 " + std::to_string(total) + " 个问题";
    if (OmittedProblems(problem.errors)) detail += "（只列出前 " + std::to_string(kMaxProblems) + " 个）";
    return detail + "；请全部改正后再提交";
  }
  if (problem.slug == "malformed-json" && problem.errors.size() == 1) {
    return RuleText(problem.errors.front(), Lang::kZh);
  }
  if (!problem.detail_zh.empty()) return problem.detail_zh;
  if (HasChinese(problem.detail)) return problem.detail;  // a route that said it in Chinese already
  const SlugText* t = SlugTextOf(problem.slug);
  return t && t->detail ? t->detail : problem.detail;
}

}  // namespace

std::string ProblemJson(const HttpProblem& problem, Lang lang) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  // Every text is made valid, visible UTF-8 (SanitizeText): rules and details may quote what a client sent.
  body.set("type", "urn:zhiping:problem:" + problem.slug);
  std::string title = problem.title.empty()
                          ? Poco::Net::HTTPResponse::getReasonForStatus(
                                static_cast<Poco::Net::HTTPResponse::HTTPStatus>(problem.status))
                          : problem.title;
  const SlugText* zh = SlugTextOf(problem.slug);
  if (lang == Lang::kZh && zh) title = zh->title;
  body.set("title", SanitizeText(title));
  body.set("status", problem.status);
  std::string detail = lang == Lang::kZh ? ChineseDetail(problem) : problem.detail;
  if (!detail.empty()) body.set("detail", SanitizeText(detail));
  if (problem.status == 422) {
    Poco::JSON::Array errors;
    for (const auto& e : problem.errors) {
      if (e.omitted) continue;  // said by "omitted" below, not as an error
      Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
      item.set("pointer", SanitizeText(e.pointer));
      item.set("code", ProblemCode(e));
      item.set("rule", SanitizeText(RuleText(e, lang)));
      item.set("place", SanitizeText(PlaceText(e, Lang::kZh)));
      item.set("message", FormatProblem(e, lang));
      errors.add(item);
    }
    body.set("errors", errors);
    if (size_t omitted = OmittedProblems(problem.errors)) {
      body.set("omitted", static_cast<Poco::UInt64>(omitted));
      body.set("total", static_cast<Poco::UInt64>(ProblemTotal(problem.errors)));
    }
  }
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

void SendProblem(Poco::Net::HTTPServerResponse& response, const HttpProblem& problem, Lang lang) {
  std::string text = ProblemJson(problem, lang);
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(problem.status));
  for (const auto& [name, value] : problem.headers) response.set(name, value);
  response.setContentType("application/problem+json");
  response.set("Content-Language", lang == Lang::kZh ? "zh-CN" : "en");
  response.set("Vary", "Accept-Language");
  response.set("Cache-Control", "no-store");
  response.setContentLength(static_cast<std::streamsize>(text.size()));
  // Written and flushed now: Poco's sendBuffer() may hold the bytes until the request is done, and after a
  // refusal the dispatcher shuts the connection's write side (lingering close) before that.
  std::ostream& out = response.send();
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.flush();
}

}  // namespace zhiping::service
