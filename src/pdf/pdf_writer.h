// pdf/pdf_writer.h — a laid-out document to PDF bytes with libharu 2.3.
//
// Contract: LaidOutDocument in, a complete PDF out; nothing about typesetting is decided here. libharu builds the
// document's objects, compresses its streams and saves it; what this stage owns is how it uses libharu
// (docs/architecture.md, "Fonts: why a prepared copy"):
//   - text is written as content-stream operators by this writer, and each face's font objects are built with
//     libharu's object API: a Type0/CIDFontType2 font embedding the subset of the glyphs drawn (fonts/subset.h),
//     under the document's own dense codes (1 … n characters drawn, pdf_writer.cpp: DocFont), with a ToUnicode map
//     of exactly those codes, each to its real character (so 𠮷 extracts as 𠮷). libharu's own font machinery is
//     not used: for every document it mapped all 65,536 BMP code points of each font and wrote a CIDToGIDMap up to
//     the largest code (80–130 KB for CJK) and a ToUnicode CMap poppler rejects — most of a letter's writing time;
//   - images are embedded only from the image stage's checked output (image/decode.h), never through libharu's
//     PNG loader, which abort()s the process on a corrupt file;
//   - errors are collected by libharu's error callback and turned into zhiping::Error after the call (throwing
//     through libharu's C frames is not safe): pdf/haru_document_pool.h.
// Output is deterministic: the same document gives the same bytes (no dates, no random ids).
#pragma once

#include <string>

#include "layout/display_list.h"

namespace zhiping::pdf {

struct PdfOptions {
  bool compress = true;
  // zlib level (1 fastest … 9 smallest) for the streams compressed per document: page content, ToUnicode,
  // CIDToGIDMap, the tables around the cached glyph pieces (pdf/font_program.h), and the image pixels libharu
  // compresses (through common/deflate_level.h: libharu 2.3 hard-codes zlib's default). Level 1 is about twice as
  // fast as the default for files ~10% larger.
  int deflate_level = 1;
  std::string creator = "zhiping";
};

// Thread-safe: each call leases a libharu document handle from a bounded pool (pdf/haru_document_pool.h).
std::string WritePdf(const layout::LaidOutDocument& doc, const PdfOptions& options = PdfOptions());

}  // namespace zhiping::pdf
