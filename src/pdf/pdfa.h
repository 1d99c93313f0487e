// pdf/pdfa.h — the archival (PDF/A-2b) parts that do not depend on how a PDF is written: the XMP metadata packet,
// the sRGB output profile, PDF/XMP dates and a document ID. Used by the signing step (sign/pdf_signature.cpp adds
// them in the signature's incremental update) and by the print file (jobs/pdf_merge.cpp). docs/pdfa.md says what
// is PDF/A and what is not.
//
// Why not in the PDF writer: rendered bytes must stay deterministic (the issuer hashes the unsigned render), and
// the XMP carries a date; the date is the signing time, so these parts are added where it is known.
//
// Thread safety: every function is safe from any thread; SrgbProfile() reads and compresses the profile once per
// process (a function-local static) and hands out the same object afterwards.
// Errors: SrgbProfile() throws zhiping::Error kNotFound naming the file (and the Debian package) when the profile
// cannot be read; PdfDateToXmp throws kInternal for a date it does not understand (dates are ours).
#pragma once

#include <ctime>
#include <string>

namespace zhiping::pdf {

// What the XMP says; PDF/A wants each to equal its Info dictionary entry (Title, Author, Creator, Producer,
// CreationDate, ModDate). Dates are PDF dates ("D:20221120093000Z").
struct ArchivalInfo {
  std::string title, author, creator_tool, producer;
  std::string created, modified;
};

// An XMP packet (UTF-8, with the xpacket wrapper and padding) declaring PDF/A-2b (pdfaid:part 2, conformance B)
// with dc:title, dc:creator (when author is not empty), xmp:CreatorTool, xmp:CreateDate, xmp:ModifyDate,
// xmp:MetadataDate and pdf:Producer. Written uncompressed as /Type /Metadata /Subtype /XML.
std::string XmpPacket(const ArchivalInfo& info);

// "D:20221120093000Z" or "D:20221120173000+08'00'" -> "2022-11-20T09:30:00Z" / "2022-11-20T17:30:00+08:00".
std::string PdfDateToXmp(const std::string& pdf_date);
// The PDF date of a UTC time: "D:20221120093000Z".
std::string PdfDateUtc(std::time_t t);

// The output intent's profile: Debian icc-profiles-free's sRGB (ICC v2, good for PDF/A-1 to -3).
constexpr const char* kSrgbProfilePath = "/usr/share/color/icc/sRGB.icc";
constexpr const char* kSrgbCondition = "sRGB IEC61966-2.1";
struct IccProfile {
  std::string path;
  std::string deflated;  // the profile zlib-compressed (/Filter /FlateDecode), ready to be a stream's bytes
  size_t size = 0;       // uncompressed size
};
// The profile at $ZHIPING_SRGB_PROFILE or kSrgbProfilePath, read and compressed on first call. Call it at start-up
// so that a missing file stops the process there.
const IccProfile& SrgbProfile();

// 16 bytes (binary) for a trailer /ID, from what identifies the file (e.g. its title, date and size).
std::string DocumentId(const std::string& seed);

}  // namespace zhiping::pdf
