// archive/archive_command.h — `zhiping archive ...`: list, fetch and verify archived documents from a shell.
//
//   zhiping archive ls APPLICANT_ID [--versions]
//   zhiping archive get APPLICANT_ID FILE [--version vN] [-o OUT]     (stdout without -o; binary bytes are
//                                                                      refused when stdout is a terminal)
//   zhiping archive verify [APPLICANT_ID...]                          (all objects without ids)
//   zhiping archive reindex                                           (rebuild the object index: object_index.h)
// `--batch ID` addresses the batch object urn:zhiping:batch:ID instead of an applicant (ls, get, verify).
// reindex prints how many objects and versions it indexed and how many index rows were wrong or missing (or that
// nothing changed); it needs an index (hooks.open_index), which only store.backend = postgresql has: without one
// it says so and exits 1.
// Exit status: 0 ok; 2 usage or an id that is not 1-64 of [A-Za-z0-9._-]; 1 not found, verification failed, other.
// Never throws: errors are one line each on `err`.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace zhiping::archive {

class ObjectIndex;

struct ArchiveCommandHooks {
  // The configured object index, opened on demand; nullptr when the configuration has none. May throw
  // zhiping::Error (kUnavailable: the database cannot be reached).
  std::function<std::shared_ptr<ObjectIndex>()> open_index;
};

// `args` are the words after "archive" (args[0] is "ls", "get" or "verify"). `out_is_terminal`: `out` is a
// terminal, where `get` without -o writes text files but refuses binary ones (a PDF would garble the screen).
int RunArchiveCommand(const std::vector<std::string>& args, const std::string& archive_root, std::ostream& out,
                      std::ostream& err, bool out_is_terminal = false, const ArchiveCommandHooks& hooks = {});

}  // namespace zhiping::archive
