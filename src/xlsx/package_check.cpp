#include "xlsx/package_check.h"

#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <fstream>

#include "common/error.h"

namespace zhiping::xlsx {
namespace {

[[noreturn]] void Cut(const std::string& path, const std::string& why) {
  throw Error(ErrorKind::kUnavailable, "the workbook written to " + path + " is incomplete (" + why +
                                           "); the disk may have filled while it was written");
}

}  // namespace

void CheckSheetIsWhole(const std::string& path, const std::string& sheet_part, uint32_t last_row) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Cut(path, "cannot be opened again");
  // Only the tail matters: the last row's opening tag and what follows it. Keep a window big enough for a long row
  // (a row of 30 cells of 200 characters each is about 10 KB of XML).
  constexpr size_t kKeep = 1 << 20;
  std::string tail;
  try {
    Poco::Zip::ZipArchive zip(in);
    auto header = zip.findHeader(sheet_part);
    if (header == zip.headerEnd()) Cut(path, "it has no " + sheet_part);
    in.clear();
    Poco::Zip::ZipInputStream entry(in, header->second, true);
    char buffer[1 << 16];
    while (entry.read(buffer, sizeof buffer) || entry.gcount() > 0) {
      tail.append(buffer, static_cast<size_t>(entry.gcount()));
      if (tail.size() > 2 * kKeep) tail.erase(0, tail.size() - kKeep);
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    Cut(path, std::string("it cannot be read back: ") + e.what());
  }
  const std::string expected = "<row r=\"" + std::to_string(last_row) + "\"";
  const size_t last_open = tail.rfind("<row ");
  if (last_open == std::string::npos || tail.compare(last_open, expected.size(), expected) != 0) {
    Cut(path, "its last row is not row " + std::to_string(last_row));
  }
  const size_t end = tail.find("</sheetData>", last_open);
  if (end == std::string::npos || end < 6 || tail.compare(end - 6, 6, "</row>") != 0) {
    Cut(path, "row " + std::to_string(last_row) + " is cut off");
  }
}

}  // namespace zhiping::xlsx
