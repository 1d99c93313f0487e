// xlsx/package_check.h on packages made here: a sheet holding all the bytes of the rows written passes, one that
// lost some (what a row file cut by a full disk becomes inside a package libxlsxwriter closed without complaint)
// is refused naming the file, and so are a missing part and bytes that are no zip at all. FlushSheetRows on a
// failing row file: tests/xlsx/roster_test.cpp (RowsLostToAFullDiskFailTheWriteAndLeaveNoFile).
#include "xlsx/package_check.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "support/files.h"
#include "support/temp_dir.h"

namespace zhiping::xlsx {
namespace {

const char* kPart = "xl/worksheets/sheet1.xml";

std::string Package(const std::string& dir, const std::string& part, const std::string& xml) {
  const std::string path = dir + "/book.xlsx";
  std::ofstream out(path, std::ios::binary);
  Poco::Zip::Compress zip(out, true);
  std::istringstream in(xml);
  zip.addFile(in, Poco::DateTime(), Poco::Path(part, Poco::Path::PATH_UNIX));
  zip.close();
  return path;
}

std::string Sheet(const std::string& rows) {
  return "<?xml version=\"1.0\"?><worksheet><sheetData>" + rows + "</sheetData><pageSetup/></worksheet>";
}

std::string Rows(int n) {
  std::string rows;
  for (int r = 1; r <= n; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\" spans=\"1:2\"><c r=\"A" + std::to_string(r) +
            "\" t=\"s\"><v>" + std::to_string(r) + "</v></c></row>";
  }
  return rows;
}

std::string Refusal(const std::string& path, uint64_t row_bytes) {
  try {
    CheckSheetInPackage(path, kPart, row_bytes);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    return e.what();
  }
  return "";
}

TEST(xlsx_PackageCheck, SheetsHoldingAllTheRowsPassShortOnesAreRefused) {
  testing::ScratchDir dir("package-check");
  for (int n : {1, 30000}) {
    const std::string rows = Rows(n);
    EXPECT_EQ(Refusal(Package(dir.path(), kPart, Sheet(rows)), rows.size()), "") << n;
  }
  // A buffer of the row file lost in the copy at close: the sheet is shorter than the rows written.
  const std::string rows = Rows(200);
  std::string cut = rows;
  cut.erase(2000, 4096);
  EXPECT_NE(Refusal(Package(dir.path(), kPart, Sheet(cut)), rows.size()).find("bytes of rows"), std::string::npos);
  // Rows written, none in the package.
  EXPECT_NE(Refusal(Package(dir.path(), kPart, Sheet("")), rows.size()), "");
}

TEST(xlsx_PackageCheck, MissingPartsAndNonZipsAreRefused) {
  testing::ScratchDir dir("package-check-bad");
  EXPECT_NE(Refusal(Package(dir.path(), "xl/worksheets/sheet2.xml", Sheet(Rows(1))), 1).find(kPart),
            std::string::npos);
  const std::string junk = dir.path() + "/junk.xlsx";
  testing::WriteAll(junk, "not a zip at all");
  EXPECT_NE(Refusal(junk, 1), "");
  EXPECT_NE(Refusal(dir.path() + "/absent.xlsx", 1), "");
}

}  // namespace
}  // namespace zhiping::xlsx
