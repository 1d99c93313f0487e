// seal/ofd_seal.h — puts a GB/T 38540 electronic seal on an OFD package (GB/T 33190 §18: the signature parts).
//
// Seal() adds to the package, in this order of work:
//   1. `<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures>` at the end of OFD.xml's DocBody (inserted
//      into the bytes as they are, so the rest of OFD.xml is unchanged);
//   2. Doc_0/Signs/Sign_0/Seal.esl — the identity's SESeal;
//   3. Doc_0/Signs/Sign_0/Signature.xml — SignedInfo: Provider, SignatureMethod (SM2 with SM3), SignatureDateTime,
//      References (CheckMethod SM3) with the base64 SM3 of every file then in the package, StampAnnot (PageRef,
//      Boundary in mm), Seal/BaseLoc; and SignedValue;
//   4. Doc_0/Signs/Signatures.xml — the list, one Signature of Type "Seal";
//   5. Doc_0/Signs/Sign_0/SignedValue.dat — DER SES_Signature: TBS_Sign { 4, the SESeal, the time,
//      SM3(Signature.xml), "/Doc_0/Signs/Sign_0/Signature.xml" }, the signer's certificate, SM2-with-SM3, and the
//      SM2 signature over DER(TBS_Sign) (seal/sm2.h: signer ID 1234567812345678).
// Signatures.xml is not covered (it is what a second seal would extend); Signature.xml is covered by dataHash.
//
// Seal() makes the first seal: a package that already has Doc_0/Signs/Signatures.xml is refused (kConflict).
// AddSeal() adds the next one — a second organ's seal on a jointly issued document (联合行文): seal k (k = 0, 1, …)
// has its parts in Doc_0/Signs/Sign_k/, Signatures.xml is rewritten to list all of them (MaxSignId = their
// count), OFD.xml is left as it is, and the new Signature.xml's References cover every file then in the package,
// the earlier seals' parts included. Nothing an earlier seal covered changes, so it stays valid
// (seal/verify_ofd.h does not count a later seal's parts as files added after it). A package already sealed with
// the same signer certificate is refused (kConflict); on an unsealed package AddSeal() is Seal().
// Thread safety: reentrant; the identity is only read. Errors: zhiping::Error kInvalidInput for a package that
// lacks OFD.xml or a single DocBody (or whose seals are not in Sign_0/, Sign_1/, …), kConflict as above,
// kInternal when OpenSSL fails.
#pragma once

#include <ctime>
#include <string>

#include "ofd/package.h"
#include "seal/seal_identity.h"

namespace zhiping::seal {

constexpr char kSignaturesPath[] = "Doc_0/Signs/Signatures.xml";
constexpr char kSignaturePath[] = "Doc_0/Signs/Sign_0/Signature.xml";
constexpr char kSealFilePath[] = "Doc_0/Signs/Sign_0/Seal.esl";
constexpr char kSignedValuePath[] = "Doc_0/Signs/Sign_0/SignedValue.dat";

struct SealRequest {
  const SealIdentity* identity = nullptr;
  std::string page_id;  // the ID attribute of the sealed page's <ofd:Page> in Document.xml
  double x_mm = 0, y_mm = 0, width_mm = 42, height_mm = 42;  // the stamp's box on that page
  std::time_t time = 0;
};

void Seal(ofd::Package& package, const SealRequest& request);
void AddSeal(ofd::Package& package, const SealRequest& request);

}  // namespace zhiping::seal
