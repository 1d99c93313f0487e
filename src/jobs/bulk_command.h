// jobs/bulk_command.h — `zhiping bulk letters|review-forms|reports DATA.json [--zip OUT.zip] [--print OUT.pdf]`:
// a round's letters, review forms or committee reports (jobs/bulk_kind.h) with a progress bar.
//
// Its help text is `zhiping bulk --help`'s (cli/commands.cpp). The command line is parsed once, by the caller's CommandLine (common/command_line.h): DeclareBulkOptions adds
// bulk's own options to it (the caller adds the common ones), TakeBulkWords checks the words after parsing, and
// only then does the caller open the archive and signer for RunBulkCommand, so a usage error touches nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>

#include "common/command_line.h"
#include "issuing/issuer.h"
#include "jobs/bulk_kind.h"

namespace zhiping::jobs {

struct BulkCommand {
  const BulkKind* kind = &LettersKind();  // the word after `bulk`
  std::string data;                     // DATA.json, "-" for stdin
  std::string zip;                      // --zip OUT.zip, "" for none
  std::string print;                    // --print OUT.pdf: one file to print (jobs/print_file.h), "" for none
  unsigned threads = 0;                 // --threads N, 0: the default
  std::string message;                  // --message TEXT, "" for "bulk {kind's noun}"
  std::string user;                     // --user NAME, "" for the caller's default
  std::string override_deadline;        // --override-deadline REASON: reports after batch.deadline (issuing/policy.h)
  std::string format;                   // --format pdf|ofd: ofd issues each document's sealed OFD too ("": pdf)
};

// --zip, --print, --threads, --message, --user, --override-deadline and --format, filled into `command` by
// line.Parse().
void DeclareBulkOptions(CommandLine& line, BulkCommand* command);

// After line.Parse(): "KIND DATA.json" (KIND: letters, review-forms, reports) from line.words() into `command`. std::nullopt when they are right;
// otherwise 2 after saying why on `err`.
std::optional<int> TakeBulkWords(const CommandLine& line, BulkCommand* command, std::ostream& err);

// Issues the documents: a progress bar on a terminal (`tty`) and plain progress lines otherwise, both on `err`; the
// summary as JSON on `out`. `user` is recorded when command.user is empty; `max_items` bounds the body's items
// (configuration jobs.max_items, issuing/policy.h). Exit: 0 all issued; 2 a bad body, or any item with invalid data
// (each named with its index); 1 anything else.
int RunBulkCommand(const BulkCommand& command, const issuing::Issuer& issuer, const std::string& user,
                   size_t max_items, std::ostream& out, std::ostream& err, bool tty);

}  // namespace zhiping::jobs
