#include "preview/raster.h"

#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <sstream>

#include "common/error.h"
#include "common/utf8.h"
#include "image/png_encoder.h"

namespace zhiping::preview {

RasterPages RasterizePdf(const std::string& pdf, double dpi, int max_pages) {
  RasterPages out;
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (!doc || doc->is_locked()) throw Error(ErrorKind::kInternal, "poppler cannot read the rendered PDF");
  out.total_pages = doc->pages();
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_hinting, false);
  renderer.set_image_format(poppler::image::format_argb32);
  renderer.set_paper_color(0xffffffff);
  for (int i = 0; i < out.total_pages && i < max_pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) break;
    poppler::image img = renderer.render_page(page.get(), dpi, dpi);
    if (!img.is_valid()) throw Error(ErrorKind::kInternal, "poppler cannot draw page " + std::to_string(i + 1));
    const int w = img.width(), h = img.height();
    std::vector<unsigned char> rgb(static_cast<size_t>(w) * h * 3);
    const char* data = img.const_data();
    for (int y = 0; y < h; ++y) {
      const unsigned char* row =
          reinterpret_cast<const unsigned char*>(data + static_cast<size_t>(y) * img.bytes_per_row());
      unsigned char* dst = &rgb[static_cast<size_t>(y) * w * 3];
      for (int x = 0; x < w; ++x) {
        // ARGB32 in native (little-endian) order: B, G, R, A; the white paper makes it opaque.
        dst[x * 3 + 0] = row[x * 4 + 2];
        dst[x * 3 + 1] = row[x * 4 + 1];
        dst[x * 3 + 2] = row[x * 4 + 0];
      }
    }
    out.png.push_back(image::EncodePngRgb(rgb.data(), w, h));
    out.width.push_back(w);
    out.height.push_back(h);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// XLSX read-back: just enough of SpreadsheetML for what libxlsxwriter writes (inline or shared strings, numbers,
// date styles).

namespace {

std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string::npos) {
      out += s[i];
      continue;
    }
    std::string ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp")
      out += '&';
    else if (ent == "lt")
      out += '<';
    else if (ent == "gt")
      out += '>';
    else if (ent == "quot")
      out += '"';
    else if (ent == "apos")
      out += '\'';
    else if (!ent.empty() && ent[0] == '#') {
      long cp = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X') ? std::strtol(ent.c_str() + 2, nullptr, 16)
                                                                   : std::strtol(ent.c_str() + 1, nullptr, 10);
      AppendUtf8(static_cast<char32_t>(cp), &out);
    } else {
      out += s.substr(i, semi - i + 1);
    }
    i = semi;
  }
  return out;
}

std::string Attr(const std::string& tag, const std::string& name) {
  size_t p = 0;
  while ((p = tag.find(name + "=\"", p)) != std::string::npos) {
    if (p == 0 || tag[p - 1] == ' ' || tag[p - 1] == '\t' || tag[p - 1] == '\n') {
      size_t start = p + name.size() + 2;
      size_t end = tag.find('"', start);
      return end == std::string::npos ? "" : tag.substr(start, end - start);
    }
    p += name.size();
  }
  return "";
}

// Concatenated text of every <t>…</t> inside `xml`.
std::string TextOf(const std::string& xml) {
  std::string out;
  size_t p = 0;
  while ((p = xml.find("<t", p)) != std::string::npos) {
    char next = p + 2 < xml.size() ? xml[p + 2] : 0;
    if (next != '>' && next != ' ') {
      p += 2;
      continue;
    }
    size_t gt = xml.find('>', p);
    if (gt == std::string::npos) break;
    if (xml[gt - 1] == '/') {
      p = gt;
      continue;
    }
    size_t end = xml.find("</t>", gt);
    if (end == std::string::npos) break;
    out += Unescape(xml.substr(gt + 1, end - gt - 1));
    p = end + 4;
  }
  return out;
}

int ColumnIndex(const std::string& ref) {
  int col = 0;
  for (char c : ref) {
    if (c < 'A' || c > 'Z') break;
    col = col * 26 + (c - 'A' + 1);
  }
  return col - 1;
}

std::string SerialToDate(double serial, bool with_day) {
  // Excel's 1900 system: serial 25569 is 1970-01-01; below 61 the phantom 1900-02-29 shifts by one day.
  long serial_days = static_cast<long>(std::floor(serial));
  long d1970 = serial_days - (serial_days >= 61 ? 25569 : 25568);
  long zz = d1970 + 719468;
  long era = (zz >= 0 ? zz : zz - 146096) / 146097;
  long doe = zz - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  long d = doy - (153 * mp + 2) / 5 + 1;
  long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[64];
  if (with_day)
    std::snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", y, m, d);
  else
    std::snprintf(buf, sizeof buf, "%04ld-%02ld", y, m);
  return buf;
}

std::string ReadEntry(Poco::Zip::ZipArchive& zip, std::istream& in, const std::string& name) {
  auto it = zip.findHeader(name);
  if (it == zip.headerEnd()) return "";
  in.clear();
  in.seekg(0);
  Poco::Zip::ZipInputStream zin(in, it->second);
  std::string out;
  Poco::StreamCopier::copyToString(zin, out);
  return out;
}

}  // namespace

SheetTable ReadXlsxTable(const std::string& xlsx, int max_rows) {
  SheetTable out;
  try {
    std::istringstream in(xlsx);
    Poco::Zip::ZipArchive zip(in);
    std::string sheet = ReadEntry(zip, in, "xl/worksheets/sheet1.xml");
    std::string shared = ReadEntry(zip, in, "xl/sharedStrings.xml");
    std::string styles = ReadEntry(zip, in, "xl/styles.xml");
    std::string workbook = ReadEntry(zip, in, "xl/workbook.xml");
    size_t sp = workbook.find("<sheet ");
    if (sp != std::string::npos)
      out.sheet_name = Unescape(Attr(workbook.substr(sp, workbook.find('>', sp) - sp), "name"));

    std::vector<std::string> strings;
    for (size_t p = 0; (p = shared.find("<si>", p)) != std::string::npos;) {
      size_t end = shared.find("</si>", p);
      if (end == std::string::npos) break;
      strings.push_back(TextOf(shared.substr(p, end - p)));
      p = end;
    }
    // style index -> 0 not a date, 1 a date with day, 2 a month
    std::map<int, std::string> formats = {{14, "yyyy-mm-dd"}, {15, "d-mmm-yy"}, {16, "d-mmm"}, {17, "mmm-yy"}};
    for (size_t p = 0; (p = styles.find("<numFmt ", p)) != std::string::npos; ++p) {
      std::string tag = styles.substr(p, styles.find('>', p) - p);
      formats[std::atoi(Attr(tag, "numFmtId").c_str())] = Unescape(Attr(tag, "formatCode"));
    }
    std::vector<int> date_kind;
    size_t xfs = styles.find("<cellXfs");
    size_t xfs_end = styles.find("</cellXfs>");
    if (xfs != std::string::npos && xfs_end != std::string::npos) {
      for (size_t p = xfs; (p = styles.find("<xf ", p)) != std::string::npos && p < xfs_end; ++p) {
        std::string tag = styles.substr(p, styles.find('>', p) - p);
        std::string code = formats[std::atoi(Attr(tag, "numFmtId").c_str())];
        bool y = code.find('y') != std::string::npos, d = code.find('d') != std::string::npos;
        date_kind.push_back(y ? (d ? 1 : 2) : 0);
      }
    }

    for (size_t p = 0; (p = sheet.find("<row", p)) != std::string::npos;) {
      size_t tag_end = sheet.find('>', p);
      if (tag_end == std::string::npos) break;
      std::string rtag = sheet.substr(p, tag_end - p);
      ++out.total_rows;
      size_t end = rtag.back() == '/' ? tag_end : sheet.find("</row>", tag_end);
      if (end == std::string::npos) break;
      if (static_cast<int>(out.rows.size()) < max_rows) {
        std::string row = sheet.substr(tag_end + 1, end - tag_end - 1);
        std::vector<std::string> cells;
        for (size_t c = 0; (c = row.find("<c ", c)) != std::string::npos;) {
          size_t cgt = row.find('>', c);
          std::string ctag = row.substr(c, cgt - c);
          size_t cend = ctag.back() == '/' ? cgt : row.find("</c>", cgt);
          std::string inner = ctag.back() == '/' ? "" : row.substr(cgt + 1, cend - cgt - 1);
          int col = ColumnIndex(Attr(ctag, "r"));
          if (col < 0) col = static_cast<int>(cells.size());
          if (col > 1000) break;
          if (static_cast<int>(cells.size()) <= col) cells.resize(col + 1);
          std::string t = Attr(ctag, "t");
          std::string text;
          if (t == "inlineStr" || t == "str") {
            text = t == "str"
                       ? Unescape(inner.substr(inner.find("<v>") + 3, inner.find("</v>") - inner.find("<v>") - 3))
                       : TextOf(inner);
          } else {
            size_t v = inner.find("<v>");
            std::string val = v == std::string::npos ? "" : Unescape(inner.substr(v + 3, inner.find("</v>") - v - 3));
            if (t == "s") {
              size_t idx = static_cast<size_t>(std::atoi(val.c_str()));
              text = idx < strings.size() ? strings[idx] : "";
            } else if (t == "b") {
              text = val == "1" ? "TRUE" : "FALSE";
            } else {
              int s = std::atoi(Attr(ctag, "s").c_str());
              int kind = s >= 0 && s < static_cast<int>(date_kind.size()) ? date_kind[s] : 0;
              text = kind && !val.empty() ? SerialToDate(std::atof(val.c_str()), kind == 1) : val;
            }
          }
          cells[col] = text;
          c = cend;
        }
        out.rows.push_back(cells);
      }
      p = end;
    }
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kInternal, "cannot read the rendered XLSX back: " + e.displayText());
  }
  return out;
}

}  // namespace zhiping::preview
