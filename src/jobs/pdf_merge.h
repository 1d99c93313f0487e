// jobs/pdf_merge.h — many finished PDFs into one, written as they come (the one merge behind every print file).
//
// Contract: Append() takes one whole PDF (an archived, signed letter) and writes its pages' objects to `out` at once,
// renumbered; Finish() writes the page tree (the pages marked `front` first, then the others, each group in the
// order appended), the catalogue, the cross-reference table and the trailer. Nothing is re-rendered: content
// streams, fonts and images are copied as they are (still compressed).
//
// Why not qpdf's own QPDFWriter over one QPDF holding every page: its foreign-object copy keeps each source QPDF
// (and, for streams, its bytes) alive until the write, so memory grows with the number of letters (10,000 letters
// are ~630 MB of PDF). qpdf's library is used here to read each source (xref, incremental updates, inherited page
// attributes, annotation flattening), one source at a time; the writer keeps only the object offsets (8 bytes an
// object), the page object numbers (one flat /Pages node: a 20,000-page /Kids array is ~200 KB), and a digest (32 bytes) for each stream already written — a stream whose bytes
// and dictionary equal an earlier one's (the seal, shared images) is written once and referred to again.
//
// Annotations are flattened into the page content (their appearance streams, drawn where qpdf's
// getPageContentForAppearance puts them: the visible signature, the seal, stays on the page) and removed: the print file carries no form fields and no signatures (a signature covers its own
// file's bytes only; the archived letters stay the signed originals).
//
// Errors: a source that qpdf cannot read throws zhiping::Error kInvalidInput naming it (`what`); write errors of
// `out` surface as the stream's state (the caller checks it). Not thread-safe: one writer per output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace zhiping::jobs {

class PdfMerger {
 public:
  explicit PdfMerger(std::ostream& out);
  ~PdfMerger();
  PdfMerger(const PdfMerger&) = delete;
  PdfMerger& operator=(const PdfMerger&) = delete;

  // Writes the pages of `pdf` (whole file bytes) and returns how many it has. `what` names it in errors.
  // `front`: its pages go before every page not so marked (an index written after the letters it lists).
  int Append(const std::string& pdf, const std::string& what, bool front = false);

  // A source read and parsed, ready to be appended: Open is the costly half of Append (qpdf parses the file and
  // every object its pages use) and touches no merger, so it may run on another thread, ahead of the writer
  // (jobs/print_file.cpp opens the next documents while one is written). Throws like Append.
  struct Opened;
  struct OpenedDeleter {
    void operator()(Opened* o) const;
  };
  using OpenedPtr = std::unique_ptr<Opened, OpenedDeleter>;
  static OpenedPtr Open(std::string pdf, std::string what);
  int Append(OpenedPtr source, bool front = false);
  // A blank page of the last appended page's size (A4 when none was), in the same group as that page.
  void AppendBlank(bool front = false);
  // Writes the page tree, catalogue, xref and trailer. `title` goes into the document information. The file is
  // PDF/A-2b (docs/pdfa.md): XMP metadata (pdf/pdfa.h) equal to the Info dictionary (title, producer, the time of
  // writing), the sRGB output intent, a trailer /ID; the letters' pages bring their embedded fonts along.
  void Finish(const std::string& title);

  size_t pages() const { return front_pages_.size() + pages_.size(); }
  uint64_t bytes_written() const { return offset_; }

 private:
  struct Source;
  int NewObject();                        // a fresh object number
  void Begin(int number);                 // records where object `number` starts
  // Writes an object (`data` null) or a stream (`body` its dictionary) and returns its number; a stream equal to
  // one written before is not written again (its number is returned). `reserved`: the number to use (0: a new one;
  // a reserved object is never shared).
  int Emit(const std::string& body, const char* data, size_t size, int reserved);
  void Write(const std::string& text);
  void Write(const char* data, size_t size);

  std::ostream& out_;
  uint64_t offset_ = 0;
  std::vector<uint64_t> offsets_;         // [number] → file offset (0: free)
  int root_pages_ = 0;                    // the one /Pages node every page points at (reserved first)
  std::vector<int> front_pages_, pages_;  // page object numbers
  std::map<std::string, int> streams_;    // digest of a written stream → its number
  std::string media_box_ = "[0 0 595.276 841.89]";
  bool last_front_ = false;
};

}  // namespace zhiping::jobs
