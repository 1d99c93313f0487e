// import/envelope_options.h — what a workbook cannot hold and a body needs (the round's id and year, the office,
// dates, the committee), given as options: `--issued 2022-12-30` on the command line, `?issued=2022-12-30` over HTTP
// (the same name with '_' for '-'). One table for both, and for naming a missing one in a Chinese problem
// (docs/import.md). Plain data; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace zhiping::import {

struct EnvelopeOption {
  enum Kind { kText, kNumber, kDate };
  const char* name;   // "issued": --issued, ?issued=
  const char* label;  // "发文日期": how a problem names it
  Kind kind;
  // Where it goes, per template ("*": every template): {"notice", "/notice/issued"}.
  std::vector<std::pair<const char*, const char*>> pointers;
};

const std::vector<EnvelopeOption>& EnvelopeOptions();

// The body member option `o` sets for template `template_name` ("bulk-letters" for bulk letters); "" when none.
std::string OptionPointer(const EnvelopeOption& o, const std::string& template_name);

// The option that sets `pointer` (or a member above or below it) in a `template_name` body; nullptr when none.
const EnvelopeOption* OptionForPointer(const std::string& template_name, const std::string& pointer);

// "--issued（HTTP ?issued=）".
std::string OptionSpelling(const EnvelopeOption& o);

// Option values by name ("issued" → "2022-12-30").
using EnvelopeValues = std::map<std::string, std::string>;

}  // namespace zhiping::import
