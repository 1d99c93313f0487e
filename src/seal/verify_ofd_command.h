// seal/verify_ofd_command.h — the OFD half of `zhiping verify FILE [--trust CA.pem …]` (sign/verify_command.h
// hands every file that is a ZIP here): one block per seal in the process language (common/messages.h), naming
// each file that changed, is missing or was added after sealing.
//
// Exit status, like the PDF verifier's: 0 when there is at least one seal and all are valid; 1 otherwise.
// Errors: zhiping::Error kInvalidInput when the bytes are not a readable OFD package (the caller's RunGuarded
// turns it into exit 2 with the reason).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace zhiping::seal {

// `zip`: the file's bytes; `trust_paths`: PEM files of trust anchors (empty: the system CA store).
int ReportOfdSeals(const std::string& file, const std::string& zip, const std::vector<std::string>& trust_paths,
                   std::ostream& out);

// Whether `bytes` start like a ZIP (an OFD package) rather than a PDF.
bool LooksLikeOfd(const std::string& bytes);

}  // namespace zhiping::seal
