#include "import/workbook.h"

#include <Poco/Exception.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
#include <expat.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <streambuf>
#include <string_view>

#include "common/error.h"

namespace zhiping::import {

namespace {

[[noreturn]] void Refuse(const std::string& sentence) { throw Error(ErrorKind::kInvalidInput, sentence); }

// Inflated bytes of one part, cut at a cap: the parser sees the end of the stream there (and `cut` says why), and
// a handler that has seen enough (`stop`) ends the stream the same way, so expat never needs an exception thrown
// through it.
class CappedBuf : public std::streambuf {
 public:
  CappedBuf(std::istream& in, uint64_t cap, const bool* stop) : in_(in), cap_(cap), stop_(stop) {}
  bool cut() const { return cut_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (cut_ || (stop_ && *stop_)) return traits_type::eof();
    in_.read(buf_, sizeof buf_);
    const std::streamsize n = in_.gcount();
    if (n <= 0) return traits_type::eof();
    count_ += static_cast<uint64_t>(n);
    if (count_ > cap_) {
      cut_ = true;
      return traits_type::eof();
    }
    setg(buf_, buf_, buf_ + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::istream& in_;
  uint64_t cap_;
  const bool* stop_;
  uint64_t count_ = 0;
  bool cut_ = false;
  char buf_[1 << 16];
};

// What a part's parser calls (expat's C API, without Poco's SAX layer: no string is made per element or attribute,
// which was a quarter of an import's time). Names come without namespace processing: an element or attribute is
// known by its name after any prefix ("x:row" is row, "r:id" is id), which is what SpreadsheetML parts use.
// `attrs` is expat's: name, value, name, value, …, nullptr.
struct XmlHandler {
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view name, const char** attrs) = 0;
  virtual void End(std::string_view) {}
  virtual void Chars(const char*, int) {}
};

std::string_view LocalName(const char* name) {
  std::string_view n(name);
  const size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string Attr(const char** a, const char* name) {
  for (; a[0] != nullptr; a += 2) {
    if (LocalName(a[0]) == name) return a[1];
  }
  return "";
}

// Days since 1970-01-01 → civil date (H. Hinnant's algorithm).
void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2));
}

// An Excel serial as an ISO date; "" outside 1900..9999.
std::string SerialDate(double serial, bool date1904, bool with_day) {
  if (!(serial >= 1 && serial < 2958466)) return "";
  int64_t days = static_cast<int64_t>(std::floor(serial));
  if (date1904) days += 1462;
  // 1900 system: serial 1 is 1900-01-01 and Excel counts a 1900-02-29 that never was (serial 60).
  int64_t unix_days = days >= 61 ? days - 25569 : days - 25568;
  int y, m, d;
  CivilFromDays(unix_days, &y, &m, &d);
  char out[16];
  if (with_day) {
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
  } else {
    std::snprintf(out, sizeof out, "%04d-%02d", y, m);
  }
  return out;
}

// 0: not a date format; 1: a date showing the month only; 2: a date with its day.
int DateFormatKind(int id, const std::string& code) {
  if (id == 17) return 1;
  if ((id >= 14 && id <= 16) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return 2;
  if (code.empty()) return 0;
  bool y = false, d = false;
  bool quoted = false, bracket = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      quoted = c != '"';
      continue;
    }
    if (bracket) {
      bracket = c != ']';
      continue;
    }
    if (c == '"') quoted = true;
    else if (c == '[') bracket = true;
    else if (c == '\\' || c == '_' || c == '*') ++i;
    else if (c == 'y' || c == 'Y' || c == 'e') y = true;
    else if (c == 'd' || c == 'D') d = true;
  }
  if (d) return 2;
  return y ? 1 : 0;
}

}  // namespace

std::string ColumnName(uint32_t column) {
  std::string s;
  ++column;
  while (column > 0) {
    s.insert(s.begin(), static_cast<char>('A' + (column - 1) % 26));
    column = (column - 1) / 26;
  }
  return s;
}

std::string CellRef(uint32_t column, uint32_t row) { return ColumnName(column) + std::to_string(row); }

bool LooksLikeXlsx(const std::string& bytes) { return bytes.size() >= 4 && bytes.compare(0, 4, "PK\x03\x04") == 0; }

std::string WorkbookKindProblem(const std::string& head) {
  if (LooksLikeXlsx(head)) return "";
  if (head.size() >= 8 && head.compare(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
    // An encrypted XLSX is an OLE compound file holding a stream named EncryptedPackage (UTF-16 in its directory).
    static const char kEncrypted[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    if (head.find(std::string(kEncrypted, sizeof kEncrypted - 1)) != std::string::npos) {
      return "该工作簿设有打开密码（已加密），无法读取：请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再导入。";
    }
    return "这是旧版 Excel 97-2003 工作簿（.xls），无法读取：请在 Excel 或 WPS 中另存为 .xlsx（Excel 工作簿）后再导入。";
  }
  return "该文件不是 Excel 工作簿（.xlsx）：请上传用 Excel 或 WPS 保存的 .xlsx 文件。";
}

struct Workbook::Impl {
  std::string path;
  std::ifstream in;
  std::unique_ptr<Poco::Zip::ZipArchive> zip;
  std::vector<std::string> names;
  std::vector<std::string> sheet_parts;
  std::string shared_part, styles_part;
  bool date1904 = false;
  std::vector<int> style_dates;  // per cell style (s="N"): DateFormatKind
  std::vector<std::string> shared;
  bool shared_loaded = false;

  bool Has(const std::string& part) { return zip->findHeader(part) != zip->headerEnd(); }

  // Runs `handler` over `part`; `stop` ends the read early without an error.
  void Parse(const std::string& part, XmlHandler& handler, const bool* stop = nullptr, uint64_t cap = kMaxPartBytes) {
    auto header = zip->findHeader(part);
    if (header == zip->headerEnd()) Refuse("工作簿缺少 " + part + "，文件已损坏：请在 Excel 或 WPS 中打开后重新保存。");
    in.clear();
    std::string why;
    bool cut = false;
    XML_Parser parser = XML_ParserCreate(nullptr);
    if (parser == nullptr) throw Error(ErrorKind::kInternal, "cannot create an XML parser");
    XML_SetUserData(parser, &handler);
    XML_SetElementHandler(
        parser,
        [](void* h, const XML_Char* name, const XML_Char** attrs) {
          static_cast<XmlHandler*>(h)->Start(LocalName(name), attrs);
        },
        [](void* h, const XML_Char* name) { static_cast<XmlHandler*>(h)->End(LocalName(name)); });
    XML_SetCharacterDataHandler(parser, [](void* h, const XML_Char* text, int length) {
      static_cast<XmlHandler*>(h)->Chars(text, length);
    });
    try {
      Poco::Zip::ZipInputStream entry(in, header->second, true);
      CappedBuf buf(entry, cap, stop);
      std::istream capped(&buf);
      std::string chunk(1 << 16, '\0');
      for (;;) {
        capped.read(&chunk[0], static_cast<std::streamsize>(chunk.size()));
        const std::streamsize n = capped.gcount();
        const bool last = n < static_cast<std::streamsize>(chunk.size());
        if (stop && *stop) break;  // the handler has seen enough
        if (buf.cut()) {
          cut = true;
          break;
        }
        if (XML_Parse(parser, chunk.data(), static_cast<int>(n), last) != XML_STATUS_OK) {
          if (stop && *stop) break;
          why = std::string(XML_ErrorString(XML_GetErrorCode(parser))) + ", line " +
                std::to_string(XML_GetCurrentLineNumber(parser)) + " column " +
                std::to_string(XML_GetCurrentColumnNumber(parser));
          break;
        }
        if (last) break;
      }
    } catch (const Error&) {
      XML_ParserFree(parser);
      throw;
    } catch (const Poco::Exception& e) {
      why = e.displayText();
    } catch (const std::exception& e) {
      why = e.what();
    }
    XML_ParserFree(parser);
    if (cut) {
      Refuse("工作簿的 " + part + " 解压后超过 " + std::to_string(cap >> 20) +
             " MiB，超出可读取的大小（可能是压缩炸弹）：未导入。");
    }
    if (!why.empty()) Refuse("工作簿的 " + part + " 已损坏（XML 无法解析：" + why + "）：请在 Excel 或 WPS 中打开后重新保存。");
  }
};

namespace {

// xl/workbook.xml: sheet names and relationship ids; the 1904 date system.
struct WorkbookHandler : XmlHandler {
  std::vector<std::pair<std::string, std::string>> sheets;  // name, r:id
  bool date1904 = false;
  void Start(std::string_view n, const char** a) override {
    if (n == "sheet") sheets.emplace_back(Attr(a, "name"), Attr(a, "id"));
    if (n == "workbookPr") {
      const std::string v = Attr(a, "date1904");
      date1904 = v == "1" || v == "true";
    }
  }
};

struct RelsHandler : XmlHandler {
  std::map<std::string, std::string> targets;  // Id → Target
  std::string shared, styles;
  void Start(std::string_view n, const char** a) override {
    if (n != "Relationship") return;
    const std::string type = Attr(a, "Type"), target = Attr(a, "Target");
    targets[Attr(a, "Id")] = target;
    auto ends = [&](const char* s) {
      return type.size() >= std::strlen(s) && type.compare(type.size() - std::strlen(s), std::string::npos, s) == 0;
    };
    if (ends("/sharedStrings")) shared = target;
    if (ends("/styles")) styles = target;
  }
};

std::string PartPath(const std::string& target) {
  if (target.empty()) return "";
  if (target[0] == '/') return target.substr(1);
  return "xl/" + target;
}

struct StylesHandler : XmlHandler {
  std::map<int, std::string> codes;
  std::vector<int> xf_formats;
  bool in_cell_xfs = false;
  void Start(std::string_view n, const char** a) override {
    if (n == "numFmt") codes[std::atoi(Attr(a, "numFmtId").c_str())] = Attr(a, "formatCode");
    else if (n == "cellXfs") in_cell_xfs = true;
    else if (n == "xf" && in_cell_xfs) xf_formats.push_back(std::atoi(Attr(a, "numFmtId").c_str()));
  }
  void End(std::string_view n) override {
    if (n == "cellXfs") in_cell_xfs = false;
  }
};

// Text of <si> / <is>: every <t> except the phonetic runs (<rPh>), capped.
struct TextCollector {
  int depth_rph = 0;
  bool in_t = false;
  bool too_long = false;
  std::string text;
  void Start(std::string_view n) {
    if (n == "rPh") ++depth_rph;
    else if (n == "t" && depth_rph == 0) in_t = true;
  }
  void End(std::string_view n) {
    if (n == "rPh") --depth_rph;
    else if (n == "t") in_t = false;
  }
  void Chars(const char* ch, int length) {
    if (!in_t) return;
    if (text.size() + static_cast<size_t>(length) > kMaxCellChars) {
      too_long = true;
      return;
    }
    text.append(ch, static_cast<size_t>(length));
  }
};

struct SharedHandler : XmlHandler {
  std::vector<std::string>* out;
  uint64_t bytes = 0;
  bool over = false;
  bool stop = false;
  TextCollector t;
  bool in_si = false;
  explicit SharedHandler(std::vector<std::string>* o) : out(o) {}
  void Start(std::string_view n, const char**) override {
    if (n == "si") {
      in_si = true;
      t = TextCollector();
    } else if (in_si) {
      t.Start(n);
    }
  }
  void End(std::string_view n) override {
    if (n == "si") {
      in_si = false;
      bytes += t.text.size() + 32;
      if (t.too_long) over = stop = true;
      if (bytes > kMaxSharedStringBytes || out->size() >= kMaxSharedStrings) {
        over = stop = true;
        return;
      }
      out->push_back(std::move(t.text));
    } else if (in_si) {
      t.End(n);
    }
  }
  void Chars(const char* ch, int length) override {
    if (in_si && !stop) t.Chars(ch, length);
  }
};

struct SheetHandler : XmlHandler {
  Workbook::Impl* wb;
  const std::function<bool(const Row&)>* on_row;
  bool stop = false;
  bool in_data = false;
  Row row;
  uint32_t next_row = 1, next_col = 0;
  bool in_cell = false, in_v = false, in_is = false, in_f = false;
  std::string formula;  // <f>, its first 200 bytes: shown when it has no cached value
  std::string type;
  int style = 0;
  Cell cell;
  std::string v;
  TextCollector inline_text;
  bool too_long = false;
  std::string long_ref;

  void Start(std::string_view n, const char** a) override {
    if (stop) return;
    if (n == "sheetData") {
      in_data = true;
    } else if (!in_data) {
      return;
    } else if (n == "row") {
      const std::string r = Attr(a, "r");
      row.number = r.empty() ? next_row : static_cast<uint32_t>(std::strtoul(r.c_str(), nullptr, 10));
      if (row.number == 0) row.number = next_row;
      next_row = row.number + 1;
      row.cells.clear();
      next_col = 0;
    } else if (n == "c") {
      in_cell = true;
      cell = Cell();
      uint32_t col = 0;
      size_t letters = 0;
      type.clear();
      style = 0;
      for (const char** k = a; k[0] != nullptr; k += 2) {  // r, t and s in one pass over the attributes
        const std::string_view an = LocalName(k[0]);
        const char* value = k[1];
        if (an == "r") {
          for (; letters < 4 && value[letters] >= 'A' && value[letters] <= 'Z'; ++letters) {
            col = col * 26 + static_cast<uint32_t>(value[letters] - 'A' + 1);
          }
        } else if (an == "t") {
          type = value;
        } else if (an == "s") {
          style = std::atoi(value);
        }
      }
      cell.column = letters > 0 ? col - 1 : next_col;
      next_col = cell.column + 1;
      v.clear();
      formula.clear();
      inline_text = TextCollector();
    } else if (in_cell && n == "v") {
      in_v = true;
    } else if (in_cell && n == "f") {
      in_f = true;
      formula.push_back('=');  // also marks a formula with no text (a shared formula's other cells)
    } else if (in_cell && n == "is") {
      in_is = true;
    } else if (in_is) {
      inline_text.Start(n);
    }
  }

  void End(std::string_view n) override {
    if (stop || !in_data) return;
    if (n == "v") {
      in_v = false;
    } else if (n == "f") {
      in_f = false;
    } else if (n == "is") {
      in_is = false;
    } else if (in_is) {
      inline_text.End(n);
    } else if (n == "c") {
      in_cell = false;
      Finish();
    } else if (n == "row") {
      if (!row.cells.empty() && !(*on_row)(row)) stop = true;
    } else if (n == "sheetData") {
      in_data = false;
    }
  }

  void Chars(const char* ch, int length) override {
    if (stop) return;
    if (in_v) {
      if (v.size() + static_cast<size_t>(length) > kMaxCellChars) {
        TooLong();
        return;
      }
      v.append(ch, static_cast<size_t>(length));
    } else if (in_is) {
      inline_text.Chars(ch, length);
      if (inline_text.too_long) TooLong();
    } else if (in_f && formula.size() < 200) {
      formula.append(ch, std::min(static_cast<size_t>(length), 200 - formula.size()));
    }
  }

  void TooLong() {
    if (!too_long) long_ref = CellRef(cell.column, row.number);
    too_long = stop = true;
  }

  void Finish() {
    if (type == "inlineStr") {
      cell.text = std::move(inline_text.text);
    } else if (type == "s") {
      const size_t i = static_cast<size_t>(std::strtoul(v.c_str(), nullptr, 10));
      if (i < wb->shared.size()) cell.text = wb->shared[i];
    } else if (type == "str" || type == "e") {
      cell.text = v;
      if (type == "e") cell.kind = Cell::kError;
    } else if (type == "b") {
      cell.kind = Cell::kBool;
      cell.text = v == "1" ? "TRUE" : "FALSE";
    } else if (type == "d") {
      cell.kind = Cell::kDate;
      cell.text = v.substr(0, 10);
    } else if (!v.empty()) {
      cell.kind = Cell::kNumber;
      cell.text = v;
      char* end = nullptr;
      cell.number = std::strtod(v.c_str(), &end);
      const int date = style >= 0 && static_cast<size_t>(style) < wb->style_dates.size() ? wb->style_dates[style] : 0;
      if (date > 0) {
        const std::string iso = SerialDate(cell.number, wb->date1904, date == 2);
        if (!iso.empty()) {
          cell.kind = Cell::kDate;
          cell.text = iso;
        }
      }
    }
    if (cell.text.empty() && !formula.empty() && type != "inlineStr") {
      cell.kind = Cell::kFormula;
      cell.text = formula;
    }
    if (!cell.text.empty()) row.cells.push_back(std::move(cell));
  }
};

}  // namespace

Workbook::Workbook(const std::string& path) : impl_(std::make_unique<Impl>()) {
  Impl& w = *impl_;
  w.path = path;
  w.in.open(path, std::ios::binary);
  if (!w.in) throw Error(ErrorKind::kNotFound, "cannot open " + path);
  std::string head(8, '\0');
  w.in.read(&head[0], 8);
  head.resize(static_cast<size_t>(w.in.gcount()));
  if (!LooksLikeXlsx(head)) {
    // The whole head of an OLE file, to tell an encrypted workbook (its directory names EncryptedPackage) from .xls.
    std::string more(1 << 20, '\0');
    w.in.clear();
    w.in.seekg(0);
    w.in.read(&more[0], static_cast<std::streamsize>(more.size()));
    more.resize(static_cast<size_t>(w.in.gcount()));
    Refuse(WorkbookKindProblem(more));
  }
  w.in.clear();
  w.in.seekg(0);
  try {
    w.zip = std::make_unique<Poco::Zip::ZipArchive>(w.in);
  } catch (const Poco::Exception& e) {
    Refuse("该文件不是完整的 Excel 工作簿（ZIP 包无法读取：" + e.displayText() + "）：请在 Excel 或 WPS 中重新保存为 .xlsx。");
  }
  WorkbookHandler book;
  w.Parse("xl/workbook.xml", book, nullptr, kMaxSmallPartBytes);
  RelsHandler rels;
  w.Parse("xl/_rels/workbook.xml.rels", rels, nullptr, kMaxSmallPartBytes);
  for (const auto& [name, id] : book.sheets) {
    w.names.push_back(name);
    auto t = rels.targets.find(id);
    w.sheet_parts.push_back(t == rels.targets.end() ? "" : PartPath(t->second));
  }
  if (w.names.empty()) Refuse("工作簿中没有工作表。");
  w.date1904 = book.date1904;
  w.shared_part = PartPath(rels.shared);
  w.styles_part = PartPath(rels.styles);
  if (!w.styles_part.empty() && w.Has(w.styles_part)) {
    StylesHandler styles;
    w.Parse(w.styles_part, styles, nullptr, kMaxSmallPartBytes);
    for (int id : styles.xf_formats) {
      auto c = styles.codes.find(id);
      w.style_dates.push_back(DateFormatKind(id, c == styles.codes.end() ? "" : c->second));
    }
  }
}

Workbook::~Workbook() = default;

const std::vector<std::string>& Workbook::sheets() const { return impl_->names; }

void Workbook::ReadSheet(const std::string& name, const std::function<bool(const Row&)>& on_row) {
  Impl& w = *impl_;
  size_t index = 0;
  if (!name.empty()) {
    while (index < w.names.size() && w.names[index] != name) ++index;
    if (index == w.names.size()) {
      std::string all;
      for (const auto& n : w.names) all += (all.empty() ? "" : "、") + n;
      Refuse("工作簿中没有名为“" + name + "”的工作表（有：" + all + "）。");
    }
  }
  const std::string& part = w.sheet_parts[index];
  if (part.empty() || !w.Has(part)) Refuse("工作表“" + w.names[index] + "”在工作簿中找不到，文件已损坏。");
  if (!w.shared_loaded && !w.shared_part.empty() && w.Has(w.shared_part)) {
    SharedHandler shared(&w.shared);
    w.Parse(w.shared_part, shared, &shared.stop, kMaxSharedPartBytes);
    if (shared.over) {
      Refuse("工作簿的共享字符串表超过 " + std::to_string(kMaxSharedStrings) + " 条或 " +
             std::to_string(kMaxSharedStringBytes >> 20) + " MiB，超出可读取的大小：未导入。");
    }
    w.shared_loaded = true;
  }
  SheetHandler sheet;
  sheet.wb = &w;
  sheet.on_row = &on_row;
  w.Parse(part, sheet, &sheet.stop);
  if (sheet.too_long) {
    Refuse("工作表“" + w.names[index] + "”的单元格 " + sheet.long_ref + " 超过 Excel 允许的 32767 个字符：未导入。");
  }
}


}  // namespace zhiping::import
