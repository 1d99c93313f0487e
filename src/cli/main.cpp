// cli/main.cpp — `zhiping`: one executable, one subcommand per word of the contract (docs/cli in --help).
// Dispatch only; the commands live in commands.cpp and share args.h.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace zhiping::cli;
  if (argc < 2) {
    PrintUsage(std::cerr);
    return 2;
  }
  std::string command = argv[1];
  Args args(argv + 2, argv + argc);
  if (command == "--help" || command == "-h" || command == "help") {
    PrintUsage(std::cout);
    return 0;
  }
  if (command == "--version") return RunVersion({});
  if (command == "render") return RunRender(args);
  if (command == "templates") return RunTemplates(args);
  if (command == "serve") return RunServe(args);
  if (command == "token-digest") return RunTokenDigest(args);
  if (command == "version") return RunVersion(args);
  if (command == "archive") return RunArchive(args);
  if (command == "verify") return RunVerify(args);
  if (command == "issue") return RunIssue(args);
  if (command == "bulk") return RunBulk(args);
  if (command == "preview") return RunPreview(args);
  std::cerr << "zhiping: unknown command '" << command << "' (zhiping --help lists them)\n";
  return 2;
}
