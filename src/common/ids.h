// common/ids.h — the one rule for ids: applicant, batch and committee ids become archive keys (OCFL object ids,
// folder names) and file names, so validation (model/) and the archive (archive/) must agree on them exactly.
#pragma once

#include <string>

namespace zhiping {

// 1–64 characters of [A-Za-z0-9._-], and neither "." nor ".." (made of allowed characters, but they mean something
// else to every file tool).
bool IsValidId(const std::string& id);

// The rule in words, for problems and messages.
inline constexpr const char* kIdRule = "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (not . or ..)";

}  // namespace zhiping
