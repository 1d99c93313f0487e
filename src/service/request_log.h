// service/request_log.h — the one line per request the service writes to stderr.
//
//   2026-11-25T19:30:00Z POST /v1/render/notice 200 153ms token=ops rid=6f1c0d2a9b3e4f57
//
// `rid` is the request's id (RequestId below), also sent back as X-Request-Id: a clerk's "it failed at 10:32" and
// a proxy's log find the same line.
//
// The line names the token by its configured name, never the token, and masks anything in the path that looks
// like a resident ID number (15 digits, or 17 digits and a check character) down to its first 6 and last 2
// characters: paths are user-chosen and an ID number is personal data that must not reach log files.
#pragma once

#include <string>

namespace zhiping::service {

std::string MaskIdNumbers(const std::string& text);

// The line without its trailing newline. `token_name` "" is written as "-"; `request_id` "" leaves rid out.
std::string FormatRequestLine(const std::string& method, const std::string& path, int status, long millis,
                              const std::string& token_name, const std::string& request_id = "");

// The id of a request: the client's X-Request-Id when it is 1 to 64 characters of [A-Za-z0-9._:-] (what proxies
// and tracing send), so one id follows the request through a proxy's log and ours; otherwise (absent, too long,
// or with other characters, which could forge log fields) 16 new random hex digits.
std::string RequestId(const std::string& offered);

// Writes `line` and a newline to stderr in one write, so lines from concurrent requests never interleave.
void WriteLogLine(const std::string& line);

}  // namespace zhiping::service
