#include "common/clock.h"

#include <ctime>

namespace zhiping {

namespace {
constexpr std::time_t kOfficeUtcOffset = 8 * 3600;  // China Standard Time
}

std::string OfficeToday(const std::string& fixed) {
  if (!fixed.empty()) return fixed;
  const std::time_t t = std::time(nullptr) + kOfficeUtcOffset;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace zhiping
