// pdf/pdf_writer.h — a laid-out document to PDF bytes with libharu 2.3.
//
// Contract: LaidOutDocument in, a complete PDF out; nothing about typesetting is decided here. What this stage owns
// is libharu's traps (docs/architecture.md, "Fonts: why a prepared copy"):
//   - fonts are the prepared copies (fonts/prepared_font.h) loaded once per thread: libharu keeps font
//     definitions across HPDF_FreeDoc/HPDF_NewDoc, so a reused HPDF_Doc pays the font parse once;
//   - the ToUnicode CMap libharu writes is malformed (poppler warns on every file) and maps private-use aliases to
//     themselves; we replace its content with a correct map of exactly the codes used, each to its real character
//     (so 𠮷 drawn through its alias extracts as 𠮷);
//   - images are embedded only from the image stage's checked output (image/decode.h), never through libharu's
//     PNG loader, which abort()s the process on a corrupt file;
//   - errors are collected by libharu's error callback and turned into zhiping::Error after the call (throwing
//     through libharu's C frames is not safe).
// Output is deterministic: the same document gives the same bytes (no dates, no random ids).
#pragma once

#include <string>

#include "layout/display_list.h"

namespace zhiping::pdf {

struct PdfOptions {
  bool compress = true;
  // zlib level for every stream libharu compresses (1 fastest … 9 smallest). libharu 2.3 hard-codes zlib's default
  // (6); deflate is then ~45% of the time to write a one-page letter. Level 1 writes the letter in about half the
  // time for files ~10% larger. See common/deflate_level.h.
  int deflate_level = 1;
  // Load the original font files instead of the prepared copies (benchmarks only: shows what preparation saves;
  // characters beyond the BMP cannot be drawn this way).
  bool use_source_fonts = false;
  std::string creator = "zhiping";
};

// Thread-safe: each thread uses its own libharu document.
std::string WritePdf(const layout::LaidOutDocument& doc, const PdfOptions& options = PdfOptions());

}  // namespace zhiping::pdf
