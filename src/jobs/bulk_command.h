// jobs/bulk_command.h — `zhiping bulk letters DATA.json [--zip OUT.zip]`: the round's letters with a progress bar.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "issuing/issuer.h"

namespace zhiping::jobs {

// `args` are the words after "bulk" ("letters", DATA.json, options). Prints a progress bar on a terminal (`tty`)
// and plain progress lines otherwise, both on `err`; the summary as JSON on `out`. Exit: 0 all issued; 2 bad usage,
// a bad body, or any item with invalid data (each named with its index); 1 anything else.
int RunBulkCommand(const std::vector<std::string>& args, const issuing::Issuer& issuer, const std::string& user,
                   std::ostream& out, std::ostream& err, bool tty);

extern const char kBulkHelp[];

}  // namespace zhiping::jobs
