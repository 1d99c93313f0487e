// ofd/ofd_writer.h — a laid-out document to an OFD package (GB/T 33190-2016), from the same pages as the PDF.
//
// Contract: LaidOutDocument in, a complete package out (package.h; ZIP it with WriteZip); nothing about
// typesetting is decided here — every glyph, rule and image sits where the layout put it, as in pdf/pdf_writer.h.
// What this stage owns is OFD's form:
//   - units are millimetres with the origin top-left (the layout is PDF points, origin bottom-left): every
//     coordinate goes through one conversion (ofd_writer.cpp, PageSpace);
//   - each run is a TextObject whose TextCode holds the real characters (𠮷 as itself, not the private-use alias
//     the PDF draws) with X, Y and a DeltaX for every glyph after the first: without DeltaX a reader (ofd.js) draws
//     all characters of a run on top of each other. Emulated bold is Stroke with LineWidth; a narrowed run
//     (TextRun::hscale) is a CTM scaling x, its X/DeltaX given in the unscaled space;
//   - fonts are embedded as subsets of exactly the glyphs used (fonts/subset.h) with a cmap of the characters used,
//     because OFD readers look glyphs up by character (a character beyond the BMP through a format-12 subtable);
//   - images come only from the image stage's checked output: a verified JPEG's own bytes, else a PNG encoded from
//     the decoded pixels — never the user's bytes;
//   - output is deterministic: the same document and options give the same package (DocID is derived from the
//     package's content; CreationDate only when OfdOptions says).
// The seal (src/seal) adds Doc_0/Signs/… and an <ofd:Signatures> to OFD.xml's DocBody afterwards; OfdDocument tells
// it each page's ID and the seal's place in millimetres.
//
// Thread safety: reentrant (no shared state; fonts are read through FontFace's read-only mapping).
// Errors: zhiping::Error kFont (a font that cannot be subset), kInternal (an image that cannot be encoded).
#pragma once

#include <string>
#include <vector>

#include "layout/display_list.h"
#include "ofd/ofd_xml.h"  // kOfdNamespace
#include "ofd/package.h"

namespace zhiping::ofd {

inline constexpr const char* kOfdMediaType = "application/ofd";

struct OfdOptions {
  std::string author;         // DocInfo Author (the issuing office); "" : none
  std::string creation_date;  // DocInfo CreationDate, "YYYY-MM-DD"; "" : none (a draft: the bytes stay fixed)
  std::string creator = "zhiping";
};

// Where the seal goes, in the package's terms (layout::SealBox converted): the page's index and ID, and the
// rectangle in millimetres from the page's top-left corner (StampAnnot Boundary).
struct OfdSealPlace {
  int page = -1;     // < 0: the document has no seal box
  int page_id = 0;
  double x = 0, y = 0, w = 0, h = 0;
};

struct OfdPageRef {
  int id = 0;                // the Page's ID in Document.xml (StampAnnot PageRef)
  std::string content_path;  // "Doc_0/Pages/Page_0/Content.xml"
};

struct OfdDocument {
  Package package;  // OFD.xml, Doc_0/Document.xml, PublicRes.xml, DocumentRes.xml, Pages/…, Res/…
  std::vector<OfdPageRef> pages;
  OfdSealPlace seal;
  // Every organ's seal place in signing order (layout::LaidOutDocument::seals converted; {seal} when the layout
  // lists none): a countersignature's seal goes at seals[1].
  std::vector<OfdSealPlace> seals;
  int max_unit_id = 0;  // Document.xml's MaxUnitID: the highest ID used; a later part numbers from above it
};

OfdDocument WriteOfd(const layout::LaidOutDocument& doc, const OfdOptions& options = OfdOptions());

}  // namespace zhiping::ofd
