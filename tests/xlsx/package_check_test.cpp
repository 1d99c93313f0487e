// xlsx::CheckSheetIsWhole on packages made here: whole sheets pass, sheets cut off mid-row or at a row boundary (what
// a rows file truncated by a full disk becomes inside a package libxlsxwriter closed without complaint) are refused
// naming the file, and so are a missing part and bytes that are no zip at all.
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

std::string Refusal(const std::string& path, uint32_t last_row) {
  try {
    CheckSheetIsWhole(path, kPart, last_row);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    return e.what();
  }
  return "";
}

TEST(xlsx_PackageCheck, WholeSheetsPassCutOnesAreRefused) {
  testing::ScratchDir dir("package-check");
  // Whole: 1 row, 30,000 rows (the tail window is what is kept, not the sheet).
  EXPECT_EQ(Refusal(Package(dir.path(), kPart, Sheet(Rows(1))), 1), "");
  EXPECT_EQ(Refusal(Package(dir.path(), kPart, Sheet(Rows(30000))), 30000), "");

  // Cut inside row 2's cell, then the footer: what the full CI disk produced.
  std::string cut = Rows(2);
  cut.resize(cut.size() - 12);
  EXPECT_NE(Refusal(Package(dir.path(), kPart, Sheet(cut)), 2).find("cut off"), std::string::npos);
  // Cut inside row 2's opening tag.
  EXPECT_NE(Refusal(Package(dir.path(), kPart, Sheet(Rows(1) + "<row r=\"2")), 2), "");
  // Cut exactly after a whole row: the rows after it are missing.
  EXPECT_NE(Refusal(Package(dir.path(), kPart, Sheet(Rows(2))), 3).find("not row 3"), std::string::npos);
  // No rows at all where rows were written.
  EXPECT_NE(Refusal(Package(dir.path(), kPart, Sheet("")), 1), "");
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
