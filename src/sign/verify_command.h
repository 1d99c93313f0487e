// sign/verify_command.h — `zhiping verify FILE.pdf|FILE.ofd [--trust CA.pem …]`.
//
// An OFD package (the file starts like a ZIP) is handed to seal/verify_ofd_command.h, which checks its GB/T 38540
// seals and has the same exit statuses; what follows is the PDF part.
// Prints, for every signature in the file (oldest first), whether it is valid, who signed, what it covers and
// whether it carries a time stamp. Valid means: the CMS signature matches the signed bytes, the signer chains to a
// trusted CA (the --trust files; without --trust, the system's CA store) and the sub-filter is
// ETSI.CAdES.detached. Exit status: 0 when there is at least one signature, all are valid and the newest covers
// the whole file; 1 otherwise (or when the file cannot be read); 2 for usage errors and files that are not PDFs.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace zhiping::sign {

// `args` are the words after "verify".
int RunVerifyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace zhiping::sign
