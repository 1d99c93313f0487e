// import/workbook.h — one sheet of an XLSX workbook read as a stream of rows (the first half of `zhiping import`,
// docs/import.md). Poco::Zip opens the package and Poco::XML's SAX parser reads the parts, so a sheet of 100,000
// rows is never held whole: the caller sees one row at a time.
//
// What a cell becomes (Cell::text): a shared or inline string as written; a number as Excel stored it (its <v>
// text, "3.30102198001011E+17" stays that); a number whose style has a date format as an ISO date, "YYYY-MM-DD",
// or "YYYY-MM" when the format shows no day; a formula's cached value (formulas are never evaluated; without one the
// cell is kFormula); a boolean
// as "TRUE"/"FALSE"; an error value ("#N/A") as written. Merged cells are not spread: the value stays in the
// top-left cell, the others are empty.
//
// Bounds (hostile workbooks): every part is inflated through a counter and cut at its cap (a sheet kMaxPartBytes, the shared
// strings kMaxSharedPartBytes and kMaxSharedStringBytes of text in kMaxSharedStrings entries, the rest
// kMaxSmallPartBytes); a cell's text at kMaxCellChars bytes (reading stops there).
// A cut, broken XML or a missing part throws zhiping::Error kInvalidInput with one Chinese sentence naming the
// part. A file that is not a ZIP package — an old .xls or an encrypted workbook (both OLE compound files), or
// anything else — is refused with one Chinese sentence saying which (WorkbookKindProblem).
//
// Not thread-safe; one Workbook per thread. The file must not change while it is read.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace zhiping::import {

inline constexpr uint64_t kMaxPartBytes = 1ull << 30;           // inflated XML of one sheet
inline constexpr uint64_t kMaxSharedPartBytes = 256ull << 20;   // inflated XML of the shared strings
inline constexpr uint64_t kMaxSmallPartBytes = 16ull << 20;     // workbook.xml, its relationships, styles.xml
inline constexpr uint64_t kMaxSharedStringBytes = 24ull << 20;  // text of the shared-string table
inline constexpr size_t kMaxSharedStrings = 1u << 20;
inline constexpr size_t kMaxCellChars = 32767 * 3;  // Excel's 32,767 characters, in UTF-8 bytes

struct Cell {
  // kFormula: a formula whose result the file does not hold (written by a program, never calculated); its text
  // is "=" and the formula (at most 200 bytes of it).
  enum Kind { kText, kNumber, kDate, kBool, kError, kFormula };
  uint32_t column = 0;  // 0-based: A = 0
  Kind kind = kText;
  std::string text;
  double number = 0;  // kNumber and kDate (the Excel serial)
};

struct Row {
  uint32_t number = 0;      // 1-based, as Excel shows it
  std::vector<Cell> cells;  // non-empty cells only, left to right
};

// "A", "AB": the column letters of a 0-based column; "E7" for a cell.
std::string ColumnName(uint32_t column);
std::string CellRef(uint32_t column, uint32_t row);

// "" when the first bytes look like an XLSX package (a ZIP); otherwise the sentence refusing it: an old .xls, an
// encrypted workbook, or not a workbook at all. `head` is the file's first bytes (the whole file for an encrypted
// one to be told from an .xls; at least 8 bytes).
std::string WorkbookKindProblem(const std::string& head);
// True when `bytes` starts like a ZIP package (PK\3\4).
bool LooksLikeXlsx(const std::string& bytes);

class Workbook {
 public:
  // Opens `path`, reads the sheet list and the styles. Throws zhiping::Error kNotFound when it cannot be opened,
  // kInvalidInput (one Chinese sentence) when it is not a readable XLSX package.
  explicit Workbook(const std::string& path);
  ~Workbook();
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;

  // Sheet names in workbook order.
  const std::vector<std::string>& sheets() const;

  // Reads sheet `name` ("" = the first), calling `row` for every row with a non-empty cell, in order, until it
  // returns false. Throws kInvalidInput naming the sheet when there is no such sheet, a part is cut or broken.
  void ReadSheet(const std::string& name, const std::function<bool(const Row&)>& row);

  struct Impl;  // the open package (workbook.cpp)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace zhiping::import
