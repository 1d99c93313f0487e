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

std::optional<Message> IdNumberMessage(const std::string& id_number, IdNumberFacts* facts) {
  if (id_number.size() != 18) return Message(Msg::kIdNumberLength, {id_number.size()});
  for (int i = 0; i < 17; ++i) {
    if (id_number[i] < '0' || id_number[i] > '9') return Message(Msg::kIdNumberShape);
  }
  char last = id_number[17];
  if (!((last >= '0' && last <= '9') || last == 'X' || last == 'x')) return Message(Msg::kIdNumberShape);
  if (id_number[0] == '0' || id_number[0] == '9') return Message(Msg::kIdNumberRegion, {id_number.substr(0, 6)});
  std::string embedded = id_number.substr(6, 8);
  std::string iso = embedded.substr(0, 4) + "-" + embedded.substr(4, 2) + "-" + embedded.substr(6, 2);
  Date birth;
  if (!ParseDate(iso, false, &birth) || birth.year < 1900) return Message(Msg::kIdNumberBirth, {embedded});
  char expected = IdNumberCheckCharacter(id_number);
  // A lower-case x is a typing slip, but documents must print the standard form, so it is reported too.
  if (last != expected) return Message(Msg::kIdNumberChecksum, {std::string(1, expected)});
  if (facts) {
    facts->birth = birth;
    facts->male = (id_number[16] - '0') % 2 == 1;
  }
  return std::nullopt;
}

std::string CheckIdNumber(const std::string& id_number, IdNumberFacts* facts) {
  std::optional<Message> m = IdNumberMessage(id_number, facts);
  return m ? RenderMessage(*m, Lang::kEn) : "";
}

std::string IdNumberProblem(const std::string& id_number) { return CheckIdNumber(id_number, nullptr); }

}  // namespace zhiping::model
