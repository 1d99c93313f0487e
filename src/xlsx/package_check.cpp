#include "xlsx/package_check.h"

#include <Poco/Zip/ZipArchive.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>

#include "common/error.h"

namespace zhiping::xlsx {
namespace {

[[noreturn]] void Cut(const std::string& path, const std::string& why) {
  throw Error(ErrorKind::kUnavailable, "the workbook written to " + path + " is incomplete (" + why +
                                           "); the disk may have filled while it was written");
}

}  // namespace

uint64_t FlushSheetRows(lxw_worksheet* sheet, const std::string& path) {
  FILE* rows = sheet->optimize_tmpfile;
  if (!rows) throw Error(ErrorKind::kInternal, "the sheet of " + path + " is not written in constant-memory mode");
  // libxlsxwriter writes a row out when the next one begins, and the last one only inside workbook_close, where a
  // failed write goes unnoticed: written now, the close finds nothing left to write.
  lxw_worksheet_write_single_row(sheet);
  if (std::fflush(rows) != 0 || std::ferror(rows)) Cut(path, "a write of its rows failed");
  const off_t size = ::ftello(rows);
  if (size < 0) Cut(path, "its rows cannot be measured");
  return static_cast<uint64_t>(size);
}

void CheckSheetInPackage(const std::string& path, const std::string& sheet_part, uint64_t row_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Cut(path, "cannot be opened again");
  uint64_t sheet_bytes = 0;
  try {
    const Poco::Zip::ZipArchive zip(in);  // reads the entries' headers and the central directory, not their data
    auto entry = zip.fileInfoBegin();
    while (entry != zip.fileInfoEnd() && entry->first != sheet_part) ++entry;
    if (entry == zip.fileInfoEnd()) Cut(path, "it has no " + sheet_part);
    sheet_bytes = entry->second.getUncompressedSize();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    Cut(path, std::string("it cannot be read back: ") + e.what());
  }
  if (sheet_bytes <= row_bytes) {
    Cut(path, sheet_part + " holds " + std::to_string(sheet_bytes) + " bytes for " + std::to_string(row_bytes) +
                  " bytes of rows");
  }
}

}  // namespace zhiping::xlsx
