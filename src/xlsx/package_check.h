// src/xlsx/package_check.h — is a workbook we just wrote whole?
//
// libxlsxwriter (constant-memory mode) streams a sheet's rows into a temporary file with unchecked fprintf and
// copies it into the package at close. When the disk fills while rows are written and frees again before the close
// (other processes delete files), workbook_close succeeds and the package holds a sheet cut off mid-row: Excel
// refuses it, openpyxl says "not well-formed". We saw it happen on a full CI disk. So every written roster is read
// back before it replaces anything: its sheet must end with row `last_row` (1-based, as XLSX numbers rows), closed.
//
// Errors: zhiping::Error kUnavailable naming `path` when the package cannot be read or the sheet is cut off.
// Cost: one streaming inflate of the sheet (about 60 ms per 100,000 rows); memory bounded by the read buffer.
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>

namespace zhiping::xlsx {

// `sheet_part`: the entry's name inside the package, e.g. "xl/worksheets/sheet1.xml".
void CheckSheetIsWhole(const std::string& path, const std::string& sheet_part, uint32_t last_row);

}  // namespace zhiping::xlsx
