#include "issuing/signing_state.h"

#include "common/error.h"
#include "common/json.h"

namespace zhiping::issuing {

std::string SigningState::Text() const {
  return std::string(pending() ? "pending: " : "complete: ") + std::to_string(signed_seals) + " of " +
         std::to_string(required) + " seals";
}

std::optional<SigningState> SigningStateOf(const archive::Store& store, const std::string& object_id,
                                           const std::vector<archive::FileEntry>& files,
                                           const archive::FileEntry& file) {
  const std::string& path = file.logical_path;
  const size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.size() != dot + 4 ||
      (path.compare(dot, 4, ".pdf") != 0 && path.compare(dot, 4, ".ofd") != 0))
    return std::nullopt;
  const std::string record_path = path.substr(0, dot) + ".issue.json";
  const archive::FileEntry* record = nullptr;
  for (const auto& f : files)
    if (f.logical_path == record_path) record = &f;
  if (!record) return std::nullopt;
  Poco::Dynamic::Var parsed;
  try {
    parsed = ParseJson(store.Read(object_id, record_path, record->version));
  } catch (const Error&) {
    return std::nullopt;  // an unreadable record says nothing about seals
  }
  const Poco::Dynamic::Var required = AtPointer(parsed, "/seals/required"), done = AtPointer(parsed, "/seals/signed");
  if (!required.isInteger() || !done.isInteger()) return std::nullopt;
  SigningState state;
  state.required = required.convert<int>();
  state.signed_seals = done.convert<int>();
  return state;
}

}  // namespace zhiping::issuing
