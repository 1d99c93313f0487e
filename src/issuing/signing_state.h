// issuing/signing_state.h — how far a jointly issued document (联合行文) is signed, read back from its issue record.
//
// The record `{stem}.issue.json` of a document whose layout has two or more seal places holds
// `seals: {required: N, signed: K}` (issuer.h): K < N means it waits for another organ's countersignature. This is
// the one reader of that field, for listings (GET /v1/batches/{id}/documents). Thread-safe (reads the archive).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "archive/archive.h"

namespace zhiping::issuing {

struct SigningState {
  int required = 0, signed_seals = 0;
  bool pending() const { return signed_seals < required; }
  std::string Text() const;  // "pending: 1 of 2 seals" / "complete: 2 of 2 seals"
};

// The state of `file` (a `{stem}.pdf` or `{stem}.ofd` among `files`, the listing it comes from) when its record
// has `seals`; nothing for other files, documents with one seal place, or a record that cannot be read.
std::optional<SigningState> SigningStateOf(const archive::Store& store, const std::string& object_id,
                                           const std::vector<archive::FileEntry>& files,
                                           const archive::FileEntry& file);

}  // namespace zhiping::issuing
