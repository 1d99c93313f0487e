#include "templating/number_text.h"

#include <charconv>
#include <cmath>

namespace zhiping::templating {

// printf's "%.0f", and "%.*g" at the smallest precision that reads back as `value`, written by std::to_chars (the
// same text by definition, without printf's locale and format parsing) and read back by std::from_chars: a roster
// converts three scores a row, and snprintf/strtod were a tenth of its writer's time.
std::string NumberText(double value) {
  char buf[32];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 0).ptr);
  }
  // No precision below the digits of the shortest text that reads back (std::to_chars without one) can read back,
  // so the search starts there: usually that precision is the answer.
  char* end = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific).ptr;
  int precision = 0;
  for (const char* p = buf; p < end && *p != 'e'; ++p) precision += *p >= '0' && *p <= '9';
  for (; precision <= 17; ++precision) {
    end = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, precision).ptr;
    double back = 0;
    std::from_chars(buf, end, back);
    if (back == value) break;
  }
  return std::string(buf, end);
}

}  // namespace zhiping::templating
