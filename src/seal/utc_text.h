// seal/utc_text.h — a time as text in UTC (strftime), for the seal's XML, messages and reports. Reentrant.
#pragma once

#include <ctime>
#include <string>

namespace zhiping::seal {

// `t` formatted with strftime's `format` in UTC, e.g. UtcText(t, "%Y-%m-%d").
std::string UtcText(std::time_t t, const char* format);

}  // namespace zhiping::seal
