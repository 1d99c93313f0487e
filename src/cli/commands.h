// cli/commands.h — the subcommands of `zhiping`. Each takes the words after its name and returns the exit status:
// 0 done; 2 bad input or usage (one line per problem on stderr, "/pointer: rule"); 1 anything else (unknown
// template, unreadable fonts, a broken template file, a port already in use).
#pragma once

#include <string>
#include <vector>

namespace zhiping::cli {

using Args = std::vector<std::string>;

int RunRender(const Args& args);
int RunIssue(const Args& args);
int RunBulk(const Args& args);
int RunPreview(const Args& args);
int RunTemplates(const Args& args);
int RunServe(const Args& args);
int RunTokenDigest(const Args& args);
int RunVersion(const Args& args);
int RunArchive(const Args& args);
int RunVerify(const Args& args);

// Top-level help: every command with its one-line summary.
void PrintUsage(std::ostream& out);

}  // namespace zhiping::cli
