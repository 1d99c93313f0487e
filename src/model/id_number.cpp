#include "model/id_number.h"

#include "model/validate.h"

namespace zhiping::model {

char IdNumberCheckCharacter(const std::string& digits17) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kMap[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (digits17[i] - '0') * kWeights[i];
  return kMap[sum % 11];
}

std::string CheckIdNumber(const std::string& id_number, IdNumberFacts* facts) {
  if (id_number.size() != 18) {
    return "must be 18 characters (has " + std::to_string(id_number.size()) + ")";
  }
  for (int i = 0; i < 17; ++i) {
    if (id_number[i] < '0' || id_number[i] > '9') return "must be 17 digits followed by a digit or X";
  }
  char last = id_number[17];
  if (!((last >= '0' && last <= '9') || last == 'X' || last == 'x')) {
    return "must be 17 digits followed by a digit or X";
  }
  if (id_number[0] == '0' || id_number[0] == '9') return "region code " + id_number.substr(0, 6) + " does not exist";
  std::string embedded = id_number.substr(6, 8);
  std::string iso = embedded.substr(0, 4) + "-" + embedded.substr(4, 2) + "-" + embedded.substr(6, 2);
  Date birth;
  if (!ParseDate(iso, false, &birth) || birth.year < 1900) {
    return "birth date " + embedded + " in the number is not a real date";
  }
  char expected = IdNumberCheckCharacter(id_number);
  // A lower-case x is a typing slip, but documents must print the standard form, so it is reported too.
  if (last != expected) return std::string("checksum digit should be ") + expected;
  if (facts) {
    facts->birth = birth;
    facts->male = (id_number[16] - '0') % 2 == 1;
  }
  return "";
}

std::string IdNumberProblem(const std::string& id_number) { return CheckIdNumber(id_number, nullptr); }

}  // namespace zhiping::model
