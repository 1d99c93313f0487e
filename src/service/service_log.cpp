#include "service/service_log.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Environment.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>

#include <cstdio>
#include <cstdlib>

#include "common/json.h"
#include "common/utf8.h"
#include "service/request_log.h"

namespace zhiping::service {

namespace {

class StderrSink : public LogSink {
 public:
  void WriteLine(const std::string& line) override { WriteLogLine(line); }
};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
    case LogLevel::kInfo: break;
  }
  return "info";
}

// "name":"value" — the value made valid UTF-8 first: AppendJsonString escapes, but passes bytes through.
void AppendField(const std::string& name, const std::string& value, std::string* out) {
  *out += ",\"" + name + "\":";
  AppendJsonString(ValidUtf8(value), out);
}

// RFC 3339 with milliseconds at `offset_minutes` east of UTC: 2026-11-26T03:30:00.153+08:00.
std::string Rfc3339Now(int offset_minutes) {
  Poco::Timestamp now;
  Poco::DateTime local(now + Poco::Timespan(static_cast<long>(offset_minutes) * 60, 0));
  const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char zone[16];
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
  return Poco::DateTimeFormatter::format(local, "%Y-%m-%dT%H:%M:%S.%i") + zone;
}

// Poco's logger messages (the layout's warnings) as our lines.
class ServiceLogChannel : public Poco::Channel {
 public:
  explicit ServiceLogChannel(ServiceLog log) : log_(std::move(log)) {}
  void log(const Poco::Message& msg) override {
    LogLevel level = msg.getPriority() <= Poco::Message::PRIO_ERROR     ? LogLevel::kError
                     : msg.getPriority() <= Poco::Message::PRIO_WARNING ? LogLevel::kWarn
                                                                         : LogLevel::kInfo;
    log_.Event(level, msg.getText(), {{"logger", msg.getSource()}});
  }

 private:
  ServiceLog log_;
};

}  // namespace

std::shared_ptr<LogSink> StderrLogSink() { return std::make_shared<StderrSink>(); }

ServiceLog::ServiceLog(LogOptions options, std::shared_ptr<LogSink> sink)
    : options_(std::move(options)), sink_(sink ? std::move(sink) : StderrLogSink()) {}

std::string ServiceLog::JsonHead(LogLevel level) const {
  std::string out = "{\"time\":\"" + Rfc3339Now(options_.utc_offset_minutes) + "\",\"level\":\"" +
                    LevelName(level) + "\"";
  if (!options_.instance.empty()) AppendField("instance", options_.instance, &out);
  return out;
}

std::string ServiceLog::RequestLine(const RequestLogEntry& e) const {
  if (options_.format == LogFormat::kText) {
    return FormatRequestLine(e.method, e.path, e.status, e.millis, e.token_name, e.request_id);
  }
  std::string out = JsonHead(e.status >= 500 ? LogLevel::kWarn : LogLevel::kInfo);
  if (!e.request_id.empty()) AppendField("rid", e.request_id, &out);
  AppendField("method", e.method, &out);
  AppendField("path", MaskIdNumbers(e.path), &out);
  out += ",\"status\":" + std::to_string(e.status) + ",\"ms\":" + std::to_string(e.millis);
  if (!e.token_name.empty()) AppendField("token", e.token_name, &out);
  if (e.bytes >= 0) out += ",\"bytes\":" + std::to_string(e.bytes);
  return out + "}";
}

std::string ServiceLog::EventLine(LogLevel level, const std::string& message,
                                  const std::vector<std::pair<std::string, std::string>>& fields) const {
  if (options_.format == LogFormat::kText) return message;
  std::string out = JsonHead(level);
  AppendField("msg", message, &out);
  for (const auto& [name, value] : fields) AppendField(name, value, &out);
  return out + "}";
}

void ServiceLog::Request(const RequestLogEntry& entry) const { sink_->WriteLine(RequestLine(entry)); }

void ServiceLog::Event(LogLevel level, const std::string& message,
                       const std::vector<std::pair<std::string, std::string>>& fields) const {
  sink_->WriteLine(EventLine(level, message, fields));
}

class LogLineStream::Buffer : public std::streambuf {
 public:
  explicit Buffer(std::ostream& fallback) : fallback_(fallback) {}
  ~Buffer() override {
    if (!line_.empty()) Emit();
  }
  void Attach(const ServiceLog& log, LogLevel level) {
    log_.emplace(log);
    level_ = level;
  }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    if (traits_type::to_char_type(c) == '\n') Emit();
    else line_ += traits_type::to_char_type(c);
    return c;
  }

 private:
  void Emit() {
    if (log_) log_->Event(level_, line_);
    else fallback_ << line_ << '\n' << std::flush;
    line_.clear();
  }

  std::ostream& fallback_;
  std::optional<ServiceLog> log_;
  LogLevel level_ = LogLevel::kError;
  std::string line_;
};

LogLineStream::LogLineStream(std::ostream& fallback)
    : std::ostream(nullptr), buffer_(std::make_unique<Buffer>(fallback)) {
  rdbuf(buffer_.get());
}

LogLineStream::~LogLineStream() { rdbuf(nullptr); }

void LogLineStream::Attach(const ServiceLog& log, LogLevel level) { buffer_->Attach(log, level); }

void RoutePocoLogger(const std::string& logger_name, const ServiceLog& log) {
  Poco::Logger::get(logger_name).setChannel(Poco::AutoPtr<Poco::Channel>(new ServiceLogChannel(log)));
}

bool ParseUtcOffset(const std::string& text, int* minutes) {
  if (text == "Z" || text == "z") {
    *minutes = 0;
    return true;
  }
  auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || !digit(1) || !digit(2) || text[3] != ':' ||
      !digit(4) || !digit(5)) {
    return false;
  }
  const int hours = (text[1] - '0') * 10 + (text[2] - '0');
  const int mins = (text[4] - '0') * 10 + (text[5] - '0');
  if (mins > 59 || hours * 60 + mins > 14 * 60) return false;
  *minutes = (text[0] == '-' ? -1 : 1) * (hours * 60 + mins);
  return true;
}

std::string HostName() {
  try {
    std::string name = Poco::Environment::nodeName();
    if (!name.empty()) return name;
  } catch (const Poco::Exception&) {
  }
  return "zhiping";
}

}  // namespace zhiping::service
