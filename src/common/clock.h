// common/clock.h — the one clock: today's date as the office sees it, "YYYY-MM-DD". Validation ("not in the
// future"), the round's deadline and generated samples all ask here, so they agree on what "today" is.
//
// The office's time zone is China Standard Time (UTC+8 all year, no daylight saving): a server running in UTC
// would otherwise start the office's day eight hours late and let a report in after its deadline. Tests and
// deployments that must pin the day pass it in (`today` in RendererConfig / the configuration), which this
// function then returns unchanged. Thread-safe.
#pragma once

#include <string>

namespace zhiping {

// `fixed` when it is not empty; otherwise the current date in UTC+8.
std::string OfficeToday(const std::string& fixed = "");

}  // namespace zhiping
