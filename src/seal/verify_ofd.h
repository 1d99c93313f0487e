// seal/verify_ofd.h — checks the electronic seals (GB/T 38540) of an OFD package someone gives us.
//
// For every seal listed in the Signatures.xml that OFD.xml names: each Reference's SM3 against its file (naming
// the files that changed, are missing, lie outside the package, and the files no Reference covers), SM3 of
// Signature.xml against TBS_Sign's dataHash, the SM2 signature over DER(TBS_Sign) with the signer's certificate,
// the seal maker's SM2 signature over the SESeal, the signer's certificate among those the seal lists, the seal
// valid at the signing time, and both certificates chaining to a trust anchor and valid at the signing time.
//
// Hostile input: the ZIP is read under ofd::ReadLimits, XML parts are size-capped, DER is read by seal/der.h,
// each file's SM3 is computed once however many References name it (at most the package's bytes are hashed);
// a seal whose parts cannot be read gets a report with `unreadable` set (the others are still checked).
// Thread safety: reentrant. Errors: zhiping::Error kInvalidInput when the bytes are not an OFD package at all.
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "common/messages.h"

namespace zhiping::seal {

struct OfdSealReport {
  std::string signature_path;  // "Doc_0/Signs/Sign_0/Signature.xml"
  std::string unreadable;      // why the seal could not be read at all ("" when it could)
  std::string seal_name, seal_id, signer;
  std::time_t time = 0;
  std::time_t seal_valid_from = 0, seal_valid_until = 0;
  bool development = false;
  size_t files_checked = 0;
  std::vector<std::string> changed, missing, added, outside;  // package paths
  bool signature_xml_matches = false, signature_valid = false, seal_signature_valid = false;
  bool signer_listed = false, seal_valid_then = false;
  bool signer_trusted = false, maker_trusted = false;
  std::string signer_trust_problem, maker_trust_problem;

  bool valid() const;
  // What is wrong, one message each (empty when valid).
  std::vector<Message> Problems() const;
};

// trust_pem: the trust anchors (and any intermediates) as PEM text, one file each; empty: the system CA store.
std::vector<OfdSealReport> VerifyOfd(const std::string& zip, const std::vector<std::string>& trust_pem);

}  // namespace zhiping::seal
