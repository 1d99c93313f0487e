// tests/support/pdfa_check.h — what the tests can check of PDF/A-2b without veraPDF (there is none in Debian), with
// tools that are not ours: qpdf --json for the objects, pdfinfo -meta for the XMP, poppler's stderr for warnings.
//
// PdfAProblems lists, in words, everything wrong it finds (empty: nothing): catalog /Metadata a stream /Type
// /Metadata /Subtype /XML without a filter; /OutputIntents with /S /GTS_PDFA1 and an ICC stream (/N 3); a trailer
// /ID; no /Encrypt; every font a Type0 font whose descendant has CIDSystemInfo, CIDToGIDMap, /W and a descriptor
// with FontFile2, plus a ToUnicode map; no base-14 font name anywhere (Helvetica, Times, Courier, Symbol,
// ZapfDingbats); no annotation flagged Hidden/NoView or without Print, none with a non-zero rectangle and no
// appearance; the XMP declares part 2 / conformance B and equals the Info dictionary (title, author, dates,
// producer, creator tool); pdfinfo, pdffonts and pdftotext print nothing on stderr. Thread-safe (runs commands).
#pragma once

#include <string>
#include <vector>

namespace zhiping::testing {

std::vector<std::string> PdfAProblems(const std::string& pdf_path);

}  // namespace zhiping::testing
