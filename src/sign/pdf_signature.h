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

namespace zhiping::fonts {
class FontFace;
}

namespace zhiping::sign {

struct PreparedPdf {
  std::string bytes;
  size_t contents_begin = 0;  // offset of '<' of /Contents
  size_t contents_end = 0;    // offset just past '>'
};

struct SealPicture;

struct SignatureLook {
  std::vector<std::string> lines;         // UTF-8, drawn top to bottom in the lower part of a visible appearance
  const fonts::FontFace* face = nullptr;  // draws them (embedded subset); a visible appearance needs one
  const SealPicture* seal = nullptr;      // the picture filling the box (kept square, centred); null: none
};

// Also writes the PDF/A-2b parts (pdf/pdfa.h) into the same revision: catalog /Metadata (our XMP), /OutputIntents
// (sRGB), Info /Title /Author /CreationDate /ModDate (= claimed_time_pdf); PoDoFo writes the trailer /ID.
// Throws zhiping::Error kInvalidInput for a PDF PoDoFo cannot read or a page that does not exist.
// `archival` false leaves the PDF/A parts out (benchmarks only).
PreparedPdf PrepareSignatureUpdate(const std::string& pdf, const SignRequest& request, const SignatureLook& look,
                                   const std::string& claimed_time_pdf, size_t reserved_der_bytes,
                                   bool archival = true);

// SHA-256 of everything except /Contents (the two ranges /ByteRange names).
std::string DigestOfSignedRanges(const PreparedPdf& prepared);

// Throws kInternal when the DER does not fit the reserved room.
void EmbedSignature(PreparedPdf& prepared, const std::string& der);


}  // namespace zhiping::sign
