// service/request_log.h — the one line per request the service writes to stderr.
//
//   2026-11-25T19:30:00Z POST /v1/render/notice 200 153ms token=ops
//
// The line names the token by its configured name, never the token, and masks anything in the path that looks
// like a resident ID number (15 digits, or 17 digits and a check character) down to its first 6 and last 2
// characters: paths are user-chosen and an ID number is personal data that must not reach log files.
#pragma once

#include <string>

namespace zhiping::service {

std::string MaskIdNumbers(const std::string& text);

// The line without its trailing newline. `token_name` "" is written as "-".
std::string FormatRequestLine(const std::string& method, const std::string& path, int status, long millis,
                              const std::string& token_name);

// Writes `line` and a newline to stderr in one write, so lines from concurrent requests never interleave.
void WriteLogLine(const std::string& line);

}  // namespace zhiping::service
