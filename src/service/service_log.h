// service/service_log.h — the service's log: one line per request and the start-up, shutdown and error lines,
// as text (the default, for a person reading a terminal) or as JSON (log.format = json, for a log collector).
//
// Text is request_log.h's line, unchanged:
//
//   2026-11-25T19:30:00Z POST /v1/render/notice 200 153ms token=ops rid=6f1c0d2a9b3e4f57
//
// JSON is one object per line, every line (events too) parseable on its own:
//
//   {"time":"2026-11-26T03:30:00.153+08:00","level":"info","instance":"zp-a","rid":"6f1c0d2a9b3e4f57",
//    "method":"POST","path":"/v1/render/notice","status":200,"ms":153,"token":"ops","bytes":48213}
//   {"time":"…","level":"info","instance":"zp-a","msg":"archive: /srv/zhiping/archive"}
//
// `time` is RFC 3339 with milliseconds at the configured UTC offset (log.time_zone_offset, +08:00 by default: the
// offices are in China, and a clerk's "it failed at 10:32" is local time); the text line keeps UTC as before.
// `level` is info, warn for a 5xx answer or a warning, error for an error. `instance` (service.instance, the host
// name by default) tells apart the instances writing to one collector. The path is masked (MaskIdNumbers) in both
// forms; `token` is the token's configured name, never the token; `bytes` is the answer's Content-Length when it
// had one. Strings are made valid UTF-8 first (a bad byte becomes U+FFFD) and then escaped, so no path a client
// sends can make a line invalid JSON or split it in two.
//
// Thread safety: a ServiceLog is immutable after construction; a LogSink must accept lines from many threads.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

namespace zhiping::service {

enum class LogFormat { kText, kJson };
enum class LogLevel { kInfo, kWarn, kError };

struct LogOptions {
  LogFormat format = LogFormat::kText;
  std::string instance;             // "" leaves `instance` out of JSON lines
  int utc_offset_minutes = 8 * 60;  // of JSON `time`
};

// Where finished lines go. WriteLine gets one line without its newline and must not interleave concurrent lines.
class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void WriteLine(const std::string& line) = 0;
};

// The process's stderr (request_log.h WriteLogLine: one write per line).
std::shared_ptr<LogSink> StderrLogSink();

// What one request's line says.
struct RequestLogEntry {
  std::string method;
  std::string path;  // as requested; masked when written
  int status = 0;
  long millis = 0;
  std::string token_name;  // "" : no token
  std::string request_id;  // "" : none
  long long bytes = -1;    // the answer's body size; < 0 unknown (left out)
};

class ServiceLog {
 public:
  explicit ServiceLog(LogOptions options = LogOptions(), std::shared_ptr<LogSink> sink = nullptr);  // null: stderr

  void Request(const RequestLogEntry& entry) const;
  // A line that is not a request: start-up, shutdown, an error behind a 500. Text form writes `message` as it is;
  // JSON adds it as "msg" with `fields` (name, string value) after it.
  void Event(LogLevel level, const std::string& message,
             const std::vector<std::pair<std::string, std::string>>& fields = {}) const;

  // The lines Request() and Event() write, for callers that write elsewhere (serve's address line on stdout).
  std::string RequestLine(const RequestLogEntry& entry) const;
  std::string EventLine(LogLevel level, const std::string& message,
                        const std::vector<std::pair<std::string, std::string>>& fields = {}) const;

  const LogOptions& options() const { return options_; }
  const std::shared_ptr<LogSink>& sink() const { return sink_; }

 private:
  std::string JsonHead(LogLevel level) const;  // {"time":…,"level":…,"instance":… without the closing brace

  LogOptions options_;
  std::shared_ptr<LogSink> sink_;
};

// An std::ostream for code that tells its messages to a stream (the command line's RunGuarded): each line written
// goes to `fallback` as it is until Attach(), and from then on becomes one Event of the log at `level` — so a
// failure to start is a JSON line when the log is JSON. Not thread-safe; a partial last line is sent on
// destruction.
class LogLineStream : public std::ostream {
 public:
  explicit LogLineStream(std::ostream& fallback);
  ~LogLineStream() override;
  void Attach(const ServiceLog& log, LogLevel level);

 private:
  class Buffer;
  std::unique_ptr<Buffer> buffer_;
};

// Makes the Poco logger `logger_name` ("zhiping.layout": the layout's font fallback warnings) write through `log`,
// so that with log.format = json those lines are JSON too. Poco priorities map to error/warn/info.
void RoutePocoLogger(const std::string& logger_name, const ServiceLog& log);

// "+08:00", "-05:30", "+00:00" or "Z" -> minutes east of UTC (-14:00 .. +14:00); false for anything else.
bool ParseUtcOffset(const std::string& text, int* minutes);
// The host name (a default for service.instance); "zhiping" if it cannot be had.
std::string HostName();

}  // namespace zhiping::service
