// common/clock.h — today's date as the office sees it (local time), "YYYY-MM-DD". One place, so validation, the
// deadline and generated samples agree on what "today" is.
#pragma once

#include <string>

namespace zhiping {

std::string LocalIsoDate();

}  // namespace zhiping
