// templating/number_text.h — how a number reads in a document: its shortest text that reads back as the same
// number ("86", "85.5", "0.1"), so a score typed as 85.5 is printed 85.5 and a roster's number cell holds 85.5.
// Pure; thread-safe.
#pragma once

#include <string>

namespace zhiping::templating {

std::string NumberText(double value);

}  // namespace zhiping::templating
