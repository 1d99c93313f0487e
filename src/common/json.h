// common/json.h — parsing request bodies and walking them by JSON Pointer.
//
// Bodies are parsed with Poco::JSON into Poco::Dynamic::Var. A malformed body is an Error of kind kInvalidInput
// whose problem says where the parser stopped (HTTP answers 400 for this case, not 422).
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace zhiping {

// Thrown (as zhiping::Error kInvalidInput, message starting "malformed JSON") when `text` is not JSON.
Poco::Dynamic::Var ParseJson(const std::string& text);
bool IsMalformedJsonError(const std::string& message);

// Reads a file fully; kNotFound error naming the path when it cannot be read.
std::string ReadFile(const std::string& path);
// Writes atomically: temp file in the same directory, fsync, rename. A reader never sees half a file.
void WriteFileAtomic(const std::string& path, const std::string& bytes);

// Value at an RFC 6901 pointer, or an empty Var when any step is missing.
Poco::Dynamic::Var AtPointer(const Poco::Dynamic::Var& root, const std::string& pointer);
// Convenience for optional strings: "" when missing or not a string.
std::string StringAt(const Poco::Dynamic::Var& root, const std::string& pointer);

}  // namespace zhiping
