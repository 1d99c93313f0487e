// src/xlsx/package_check.h — is a workbook we just wrote whole?
//
// libxlsxwriter (constant-memory mode) streams a sheet's rows into a temporary file with unchecked fprintf and
// copies it into the package at close. When the disk fills while rows are written and frees again before the close
// (other processes delete files), workbook_close succeeds and the package holds a sheet with rows cut off: Excel
// refuses it, openpyxl says "not well-formed". We saw it happen on a full CI disk. stdio drops the buffer it cannot
// write and carries on once there is room again, so the cut can be anywhere in the sheet, not only at its end.
//
// So a roster is checked twice, each check costing next to nothing whatever the number of rows (the check before
// inflated the whole sheet again and read its last row: 0.19 s for 100,000 rows, and blind to a cut in the middle):
//   FlushSheetRows, just before workbook_close: the row libxlsxwriter still holds is written out, the row file is
//     flushed, and stdio is asked whether any write to it failed since it was opened (its error flag stays set).
//   CheckSheetInPackage, after: the package's central directory lists the sheet with more uncompressed bytes than
//     the row file holds (the sheet is those rows inside its own XML), so the copy made at close, which
//     libxlsxwriter does not check either, lost no rows. A loss smaller than the sheet's XML around the rows (about
//     a kilobyte) in that copy would pass: the disk would have to fill and free again within it (milliseconds).
//
// Errors: zhiping::Error kUnavailable naming `path` when a write failed, the package cannot be read or the sheet
// is short; kInternal when `sheet` is not in constant-memory mode. Thread-safe (no shared state; `sheet` is the
// caller's).
#pragma once

#include <cstdint>
#include <string>

struct lxw_worksheet;

namespace zhiping::xlsx {

// Returns the bytes in the row file of `sheet`, whose rows are all written, before workbook_close. `path` is the
// package being written (for messages).
uint64_t FlushSheetRows(lxw_worksheet* sheet, const std::string& path);

// `sheet_part`: the entry's name inside the package, e.g. "xl/worksheets/sheet1.xml"; `row_bytes`: what
// FlushSheetRows returned for that sheet.
void CheckSheetInPackage(const std::string& path, const std::string& sheet_part, uint64_t row_bytes);

}  // namespace zhiping::xlsx
