// cli/commands.h — the subcommands of `zhiping`. Each takes the words after its name, parses them with
// common/command_line.h (CLI11), answers --help, and returns the exit status: 0 done; 2 bad input or usage (one
// line per problem on stderr, "/pointer: rule"; an unknown option or template); 1 anything else (unreadable
// fonts, a broken template file, a port already in use). Errors become statuses in RunGuarded only.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace zhiping::cli {

using Args = std::vector<std::string>;

int RunRender(const Args& args);
int RunIssue(const Args& args);
int RunCountersign(const Args& args);
int RunBulk(const Args& args);
int RunImport(const Args& args);
int RunPreview(const Args& args);
int RunTemplates(const Args& args);
int RunServe(const Args& args);
int RunTokenDigest(const Args& args);
int RunVersion(const Args& args);
int RunArchive(const Args& args);
int RunVerify(const Args& args);

// `zhiping COMMAND ARGS...`: runs the command named `command` (or the top-level --help / --version); an unknown
// name is a usage error (2).
int RunCommand(const std::string& command, const Args& args);

// Top-level help: every command with its one-line summary.
void PrintUsage(std::ostream& out);

}  // namespace zhiping::cli
