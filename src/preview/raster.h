// preview/raster.h — PDF pages as PNG images for the preview page (poppler-cpp; the PNG by image/png_encoder.h), and
// XLSX sheets read back as a table of text.
#pragma once

#include <string>
#include <vector>

namespace zhiping::preview {

struct RasterPages {
  std::vector<std::string> png;  // one PNG per rasterised page
  std::vector<int> width, height;
  int total_pages = 0;  // pages in the document (png may hold fewer: max_pages)
};

// Throws zhiping::Error kInternal when poppler cannot read the PDF.
RasterPages RasterizePdf(const std::string& pdf, double dpi = 96, int max_pages = 30);

struct SheetTable {
  std::vector<std::vector<std::string>> rows;  // text of each cell, as Excel would show it (dates as yyyy-mm-dd)
  int total_rows = 0;                          // rows in the sheet (rows may hold fewer: max_rows)
  std::string sheet_name;
};

// The first sheet of an XLSX file, first `max_rows` rows. Throws zhiping::Error kInternal for an unreadable file.
SheetTable ReadXlsxTable(const std::string& xlsx, int max_rows = 50);

}  // namespace zhiping::preview
