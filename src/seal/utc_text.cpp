#include "seal/utc_text.h"

namespace zhiping::seal {

std::string UtcText(std::time_t t, const char* format) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  size_t n = std::strftime(text, sizeof text, format, &tm);
  return std::string(text, n);
}

}  // namespace zhiping::seal
