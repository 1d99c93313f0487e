// model/id_number.h — the 18-character resident identity number (公民身份号码, GB 11643-1999).
//
// Layout: 6-digit region, 8-digit birth date YYYYMMDD, 3-digit sequence (odd for men, even for women), and a check
// character computed from the first 17 (ISO 7064 MOD 11-2; 'X' stands for 10). Clerks type these by hand, so the
// messages say exactly what is wrong, including what the check character should be.
#pragma once

#include <optional>
#include <string>

#include "common/messages.h"

#include "model/dates.h"

namespace zhiping::model {

struct IdNumberFacts {
  Date birth;  // always with a day
  bool male = false;
};

// The check character ('0'–'9' or 'X') for the first 17 digits of `digits17`.
char IdNumberCheckCharacter(const std::string& digits17);

// "" when `id_number` is well formed; otherwise the rule it breaks ("checksum digit should be X"). On success
// fills `facts` (may be null).
std::string CheckIdNumber(const std::string& id_number, IdNumberFacts* facts);
// The same as a message of the catalog (nullopt when valid); CheckIdNumber is its English sentence.
std::optional<Message> IdNumberMessage(const std::string& id_number, IdNumberFacts* facts);

}  // namespace zhiping::model
