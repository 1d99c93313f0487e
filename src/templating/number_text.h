// templating/number_text.h — how a number reads in a document: its shortest text that reads back as the same
// number ("86", "85.5", "0.1"), so a score typed as 85.5 is printed 85.5 and a roster's number cell holds 85.5.
// Exactly: a whole number below 10^15 as printf's "%.0f"; any other as "%.*g" at the smallest precision (1..17)
// whose text reads back as the same double. Pure; thread-safe.
#pragma once

#include <string>

namespace zhiping::templating {

std::string NumberText(double value);

}  // namespace zhiping::templating
