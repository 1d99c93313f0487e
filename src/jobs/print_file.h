// jobs/print_file.h — one PDF of a round to print double-sided: an index first, then every archived document in
// the order of the input, each starting on a new sheet.
//
// Contract: entries in, the print file streamed to `out`. Each document is read from the archive (the signed file
// as issued, never re-rendered) and copied by the one merge (jobs/pdf_merge.h); a document with an odd number of
// pages is followed by a blank page, and the index is padded to an even number of pages, so every document starts
// on an odd page (a front side). The index (序号, two columns of the kind — 姓名, 工作单位 for letters and review
// forms, 评审委员会, 文号 for reports — and 页码: the page of the print file where the document starts) is typeset by the project's own layout (the table of layout/blocks.h, the configured Chinese faces). An
// entry without a document (its item failed) is listed as 未生成, with no page.
//
// Speed: two threads read and parse the next few documents (PdfMerger::Open) while one is written.
// Memory: a few archived documents at a time (at most 8 read ahead), plus the merge's small per-object record and
// the index's rows (the index is laid out whole: a few KB a row). Errors: zhiping::Error from the archive
// (kNotFound for a version that is not there) or the merge; a partly written `out` is then the caller's to discard.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "jobs/bulk_letters.h"

namespace zhiping::fonts {
class FontSet;
}

namespace zhiping::jobs {

// The index page's title and its two middle columns (jobs/bulk_kind.h gives them for each kind).
struct PrintIndex {
  std::string title;                     // also the file's title: "评审结果通知书打印文件"
  std::string first_heading = "姓名", second_heading = "工作单位";
  double first_width = 0.18;             // of the table's width; the second column has what 序号 and 页码 leave
};
PrintIndex PrintIndexOf(const BulkKind& kind);

struct PrintEntry {
  std::string name, unit;                // shown on the index (the kind's two columns)
  std::string object_id, path, version;  // the archived document; object_id "" when there is none
};

struct PrintSummary {
  size_t documents = 0, failed = 0;      // entries printed / listed as 未生成
  size_t index_pages = 0, blank_pages = 0, pages = 0;  // pages: the whole file's
  std::vector<int> first_pages;          // per entry: the page it starts on (1-based), 0 for none
  double index_seconds = 0;              // of the whole, laying out and writing the index (bench figure)
};

// `on_progress` (may be empty) is told after each document how many of the entries are done, from this thread.
PrintSummary WritePrintFile(const archive::Store& store, const fonts::FontSet& fonts, const PrintIndex& index,
                            const std::vector<PrintEntry>& entries, std::ostream& out,
                            const std::function<void(size_t done, size_t total)>& on_progress = {});

// The entries of a bulk run, in item order: issued items point at their archived document (letter.pdf,
// review-form.pdf, report-{committee}.pdf), failed ones (and items not run) have none. The index columns are read
// from the body's items as they are (an item too broken to read shows "（无法读取）").
std::vector<PrintEntry> PrintEntries(const BulkBody& body, const std::vector<ItemIssued>& issued);

}  // namespace zhiping::jobs
