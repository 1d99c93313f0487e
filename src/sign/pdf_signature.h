// sign/pdf_signature.h — the PDF side of signing: the incremental update holding the signature field, and the
// byte ranges the CMS signature covers.
//
// Internal to src/sign. PrepareSignatureUpdate appends (PoDoFo, incremental update, original bytes untouched) an
// AcroForm signature field whose /V dictionary has /Filter /Adobe.PPKLite, /SubFilter /ETSI.CAdES.detached,
// /M, /Reason, /Location, a final /ByteRange and a zero-filled /Contents of fixed size. EmbedSignature then writes
// the DER into that hole, so no byte outside /Contents changes after the digest is taken.
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "sign/signer.h"

namespace zhiping::sign {

struct PreparedPdf {
  std::string bytes;
  size_t contents_begin = 0;  // offset of '<' of /Contents
  size_t contents_end = 0;    // offset just past '>'
};

struct SignatureLook {
  std::vector<std::string> lines;  // drawn top to bottom in a visible appearance (ASCII/Latin-1 shown, rest '?')
};

// Throws zhiping::Error kInvalidInput for a PDF PoDoFo cannot read or a page that does not exist.
PreparedPdf PrepareSignatureUpdate(const std::string& pdf, const SignRequest& request, const SignatureLook& look,
                                   const std::string& claimed_time_pdf, size_t reserved_der_bytes);

// SHA-256 of everything except /Contents (the two ranges /ByteRange names).
std::string DigestOfSignedRanges(const PreparedPdf& prepared);

// Throws kInternal when the DER does not fit the reserved room.
void EmbedSignature(PreparedPdf& prepared, const std::string& der);

// The PDF date string for a UTC time, e.g. "D:20221120093000Z".
std::string PdfDateUtc(std::time_t t);

}  // namespace zhiping::sign
