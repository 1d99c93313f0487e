// tests/support/files.h — whole files in and out, for tests. Both throw std::runtime_error naming the path when the
// file cannot be read or written (a test then fails with that message; it never goes on with an empty string).
#pragma once

#include <string>

namespace zhiping::testing {

std::string ReadAll(const std::string& path);
void WriteAll(const std::string& path, const std::string& bytes);
bool FileExists(const std::string& path);
// `utf8` as the bytes an office's Windows editor saves as "ANSI": GB18030 (iconv). Throws std::runtime_error
// when a character has no GB18030 form.
std::string ToGb18030(const std::string& utf8);
// Copies the folder `from` (its contents) into `to`, creating `to`.
void CopyTree(const std::string& from, const std::string& to);

}  // namespace zhiping::testing
