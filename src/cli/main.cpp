// cli/main.cpp — `zhiping`: one executable, one subcommand per word of the contract (docs/cli.md).
// Dispatch only: the commands live in commands.cpp, each parsing its own words (common/command_line.h).
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    zhiping::cli::PrintUsage(std::cerr);
    return 2;
  }
  return zhiping::cli::RunCommand(argv[1], zhiping::cli::Args(argv + 2, argv + argc));
}
