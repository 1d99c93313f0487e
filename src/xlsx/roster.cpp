#include "xlsx/roster.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "common/deflate_level.h"
#include "common/durable_file.h"
#include "common/error.h"
#include "common/json.h"
#include "common/utf8_sequence.h"
#include "templating/number_text.h"
#include "templating/mustache_text.h"
#include "templating/scope.h"
#include "templating/view.h"
#include "xlsx/cells.h"
#include "xlsx/package_check.h"
#include "xlsx/roster_source.h"
#include "xlsx/roster_template.h"

namespace zhiping::xlsx {

namespace {

namespace fs = std::filesystem;
using templating::Data;
using templating::MustacheText;

// Auto widths look at the header and this many rows: enough to see typical values, and bounded so that the widths
// are known before the first row is written (constant-memory mode cannot go back).
constexpr size_t kWidthSampleRows = 500;
constexpr lxw_row_t kExcelMaxRows = 1048576;
constexpr int kZipLevel = 2;  // zlib level for the workbook's parts; see Write()

const std::string kNoText;

struct Cell {
  enum Kind { kBlank, kString, kNumber, kDate } kind = kBlank;
  const std::string* text = &kNoText;  // borrowed: from the row's data, or the writer's scratch text
  double number = 0;
  IsoDate date;

  int Width() const {
    switch (kind) {
      case kBlank: return 0;
      case kString: return DisplayWidth(*text);
      case kNumber: return static_cast<int>(templating::NumberText(number).size());
      case kDate: return date.day ? 10 : 7;
    }
    return 0;
  }
};

// One row as the scope sees it: the row's view and, per join, its partner's (when `found`). The views are
// refreshed in place from one row to the next (templating::RowView), the sample rows' are kept whole.
struct RowViews {
  Data row;
  std::vector<Data> partners;
  std::vector<bool> found;
};

struct ColumnPlan {
  const RosterColumn* column;
  std::unique_ptr<MustacheText> header, value, until;  // compiled once per roster
  lxw_format* text_format = nullptr;
  lxw_format* number_format = nullptr;
  lxw_format* day_format = nullptr;
  lxw_format* month_format = nullptr;
  double width = 0;
};

std::string TempDirBase() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

std::string MakeTempDir(const std::string& pattern) {
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) {
    throw Error(ErrorKind::kUnavailable, "cannot create a temporary directory " + pattern + ": " + std::strerror(errno));
  }
  return buf.data();
}

class RosterWriter {
 public:
  // Reads its data from `source` (rows in order); checks what it can before the disk is touched.
  RosterWriter(const RosterTemplate& tmpl, RosterSource& source) : tmpl_(tmpl), source_(source), scope_(&body_) {
    for (const RosterColumn& column : tmpl.columns) {
      ColumnPlan plan;
      plan.column = &column;
      plan.header = Compile(column.header);
      if (!column.value.empty()) plan.value = Compile(column.value);
      if (!column.until.empty()) plan.until = Compile(column.until);
      columns_.push_back(std::move(plan));
    }
    for (const std::string* text : {&tmpl.title, &tmpl.author, &tmpl.company, &tmpl.subject, &tmpl.signoff}) {
      body_texts_.push_back(Compile(*text));
    }
    for (const RosterJoin& join : tmpl.joins) reads_.Add(join.match);
    // What the template can reach of the envelope and of a row; nothing else is made.
    body_ = source_.Envelope(reads_);
    row_reads_ = std::make_unique<templating::RowReads>(reads_);
    for (const RosterJoin& join : tmpl.joins) {
      const templating::Selection* reads = reads_.Member(join.name);
      partner_reads_.emplace_back(reads ? *reads : nothing_);
    }
    rows_pointer_ = "/" + tmpl.rows;
    row_count_ = source_.RowCount();
    if (row_count_ + 2 > kExcelMaxRows) {
      ThrowInvalid(rows_pointer_, "more rows than an Excel sheet holds (" + std::to_string(kExcelMaxRows - 2) + ")");
    }
  }

  ~RosterWriter() {
    if (workbook_) lxw_workbook_free(workbook_);
  }

  // Writes the finished workbook to `file` (replacing whatever is there: WriteWith passes the durable writer's
  // empty temporary file); libxlsxwriter's own temp files go to `tmpdir`.
  void Write(const std::string& file, const std::string& tmpdir) {
    lxw_workbook_options options = {};
    options.constant_memory = LXW_TRUE;
    options.tmpdir = const_cast<char*>(tmpdir.c_str());
    options.use_zip64 = LXW_TRUE;  // 100,000 rows can pass 4 GiB of XML only in theory, but it costs nothing
    workbook_ = workbook_new_opt(file.c_str(), &options);
    if (!workbook_) throw Error(ErrorKind::kUnavailable, "cannot create " + file);
    sheet_ = workbook_add_worksheet(workbook_, tmpl_.sheet.c_str());
    if (!sheet_) throw Error(ErrorKind::kInternal, "libxlsxwriter refused sheet name " + tmpl_.sheet);

    scope_.SetRow(nullptr);
    scope_.ClearJoins();
    std::string title = Text(*body_texts_[0]);
    SetProperties(title);
    MakeFormats();
    SetWidths();
    SetUpPage();

    lxw_row_t row = 0;
    if (!title.empty()) WriteSpanningRow(row++, 32, title, title_format_);
    header_row_ = row;
    WriteHeader(row++);
    for (size_t i = 0; i < row_count_; ++i) {
      if (i < sample_.size()) {
        WriteRow(row++, i, sample_[i]);
        if (i + 1 == sample_.size()) sample_.clear();  // the width sample is written: let it go
        continue;
      }
      ViewRow(i, &current_);  // the previous row's views, refreshed
      WriteRow(row++, i, current_);
    }

    lxw_col_t last_col = static_cast<lxw_col_t>(columns_.size() - 1);
    // The rows above the data and the columns that name a row (序号, 姓名…) stay in view while scrolling.
    worksheet_freeze_panes(sheet_, header_row_ + 1, static_cast<lxw_col_t>(tmpl_.freeze_columns));
    Check(worksheet_autofilter(sheet_, header_row_, 0, std::max(header_row_, row - 1), last_col), "autofilter");
    Check(worksheet_repeat_rows(sheet_, header_row_, header_row_), "repeat rows");
    // The form's 填报单位（盖章）/填表人/日期 line, right below the table and outside the filter. One merged cell
    // starting in the first column: a reader of the roster (src/import) sees text under 序号 only and skips it.
    // 36 pt: room to write and stamp.
    if (!tmpl_.signoff.empty()) WriteSpanningRow(row++, 36, Text(*body_texts_[4]), signoff_format_);

    // Every row must be in the row file before it is zipped (package_check.h), and the package whole after.
    const uint64_t row_bytes = FlushSheetRows(sheet_, file);
    lxw_error closed;
    {
      // workbook_close zips the parts, alone on this thread after the last row; the sheet XML of a 100,000-row
      // summary is 73 MB. zlib level 2 instead of libxlsxwriter's fixed 6 (common/deflate_level.h): measured on
      // that sheet, level 6 takes 0.74 s for 6.6 MB, level 3 0.31 s for 7.7 MB, level 2 0.22 s for 8.5 MB, level 1
      // the same 0.22 s for 9.0 MB. Level 2 is as fast as zlib gets, for a file 10% larger than level 3's.
      DeflateLevelScope level(kZipLevel);
      closed = workbook_close(workbook_);
    }
    workbook_ = nullptr;  // freed by workbook_close whatever it returns
    if (closed != LXW_NO_ERROR) {
      throw Error(ErrorKind::kUnavailable, "cannot write " + file + ": " + lxw_strerror(closed));
    }
    CheckSheetInPackage(file, "xl/worksheets/sheet1.xml", row_bytes);
  }

 private:
  // Compiles a text of the template and notes what it reads. Every name is read whole: a name inside a section
  // resolves in the section's value (whole too) or, failing that, as written.
  std::unique_ptr<MustacheText> Compile(const std::string& text) {
    auto compiled = std::make_unique<MustacheText>(text);
    for (const templating::NameUse& use : compiled->names()) reads_.Add(use.name);
    return compiled;
  }

  // The text in the current scope, borrowed from the data or rendered into `*scratch`. A text that is a single
  // {{a.b}} tag is the value's own text (true stays "true", which Mustache would print as nothing).
  const std::string& Text(const MustacheText& text, std::string* scratch) {
    if (!text.single_path().empty()) return templating::TextOf(scope_.Lookup(text.single_path()));
    text.Render(scope_, scratch);
    return *scratch;
  }
  std::string Text(const MustacheText& text) {
    std::string scratch;
    return Text(text, &scratch);
  }

  void Check(lxw_error err, const char* what) const {
    if (err != LXW_NO_ERROR) {
      throw Error(ErrorKind::kInternal, std::string("libxlsxwriter ") + what + ": " + lxw_strerror(err));
    }
  }

  void SetProperties(const std::string& title) {
    // libxlsxwriter copies the strings, so locals are fine.
    std::string author = Text(*body_texts_[1]);
    std::string company = Text(*body_texts_[2]);
    std::string subject = Text(*body_texts_[3]);
    lxw_doc_properties props = {};
    props.title = const_cast<char*>(title.c_str());
    props.author = const_cast<char*>(author.c_str());
    props.company = const_cast<char*>(company.c_str());
    props.subject = const_cast<char*>(subject.c_str());
    Check(workbook_set_properties(workbook_, &props), "document properties");
  }

  // One lxw_format per distinct look. libxlsxwriter caches the style index only on the first of several identical
  // formats and hashes the whole format again for every cell written with a duplicate (it doubled the write time
  // of 100,000 rows), so identical formats must be the same object.
  lxw_format* CellFormat(ColumnAlign align, uint8_t default_align, const std::string& num_format, bool wrap) {
    uint8_t horizontal = default_align;
    if (align == ColumnAlign::kLeft) horizontal = LXW_ALIGN_LEFT;
    if (align == ColumnAlign::kCenter) horizontal = LXW_ALIGN_CENTER;
    if (align == ColumnAlign::kRight) horizontal = LXW_ALIGN_RIGHT;
    lxw_format*& f = cell_formats_[{horizontal, num_format, wrap}];
    if (f) return f;
    f = workbook_add_format(workbook_);
    format_set_font_name(f, "宋体");
    format_set_font_size(f, 11);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    format_set_align(f, horizontal);
    if (!num_format.empty()) format_set_num_format(f, num_format.c_str());
    if (wrap) format_set_text_wrap(f);
    return f;
  }

  void MakeFormats() {
    title_format_ = workbook_add_format(workbook_);
    format_set_font_name(title_format_, "宋体");
    format_set_font_size(title_format_, 16);
    format_set_bold(title_format_);
    format_set_align(title_format_, LXW_ALIGN_CENTER);
    format_set_align(title_format_, LXW_ALIGN_VERTICAL_CENTER);

    signoff_format_ = workbook_add_format(workbook_);
    format_set_font_name(signoff_format_, "宋体");
    format_set_font_size(signoff_format_, 12);
    format_set_align(signoff_format_, LXW_ALIGN_LEFT);
    format_set_align(signoff_format_, LXW_ALIGN_VERTICAL_CENTER);

    header_format_ = workbook_add_format(workbook_);
    format_set_font_name(header_format_, "宋体");
    format_set_font_size(header_format_, 11);
    format_set_border(header_format_, LXW_BORDER_THIN);
    format_set_align(header_format_, LXW_ALIGN_VERTICAL_CENTER);
    format_set_align(header_format_, LXW_ALIGN_CENTER);
    format_set_bold(header_format_);
    format_set_bg_color(header_format_, 0xD9E1F2);
    format_set_text_wrap(header_format_);

    for (ColumnPlan& plan : columns_) {
      ColumnType type = plan.column->type;
      ColumnAlign align = plan.column->align;
      bool centered = type == ColumnType::kIndex || type == ColumnType::kYears || type == ColumnType::kDate;
      // "@" marks text cells as text, so Excel does not turn an edited ID number into 3.30102E+17 either.
      plan.text_format = CellFormat(align, centered ? LXW_ALIGN_CENTER : LXW_ALIGN_LEFT,
                                    type == ColumnType::kText ? "@" : "", true);
      std::string num_format = plan.column->num_format;
      if (num_format.empty() && (type == ColumnType::kIndex || type == ColumnType::kYears)) num_format = "0";
      plan.number_format = CellFormat(align, centered ? LXW_ALIGN_CENTER : LXW_ALIGN_RIGHT, num_format, false);
      plan.day_format = CellFormat(align, LXW_ALIGN_CENTER, "yyyy-mm-dd", false);
      plan.month_format = CellFormat(align, LXW_ALIGN_CENTER, "yyyy-mm", false);
    }
  }

  void SetWidths() {
    std::vector<int> widest(columns_.size(), 0);
    for (size_t c = 0; c < columns_.size(); ++c) {
      headers_.push_back(Text(*columns_[c].header));
      widest[c] = DisplayWidth(headers_.back());
    }
    size_t sample = std::min(row_count_, kWidthSampleRows);
    sample_.reserve(sample);
    for (size_t i = 0; i < sample; ++i) {
      ViewRow(i, &sample_.emplace_back());  // kept, partners too: these rows are written next
      EnterRow(sample_.back());
      for (size_t c = 0; c < columns_.size(); ++c) widest[c] = std::max(widest[c], Evaluate(columns_[c], i).Width());
    }
    for (size_t c = 0; c < columns_.size(); ++c) {
      ColumnPlan& plan = columns_[c];
      plan.width = plan.column->auto_width ? AutoColumnWidth(widest[c]) : plan.column->width;
      Check(worksheet_set_column(sheet_, c, c, plan.width, nullptr), "column width");
    }
  }

  void SetUpPage() {
    if (tmpl_.landscape) worksheet_set_landscape(sheet_);
    else worksheet_set_portrait(sheet_);
    worksheet_set_paper(sheet_, static_cast<uint8_t>(tmpl_.paper));  // @print paper=: A4 (9) or A3 (8)
    worksheet_fit_to_pages(sheet_, 1, 0);  // all columns on the page width; as many pages down as needed
    worksheet_center_horizontally(sheet_);
    worksheet_set_margins(sheet_, 0.4, 0.4, 0.6, 0.7);
    Check(worksheet_set_footer(sheet_, "&C第 &P 页 共 &N 页"), "footer");
  }

  // One text across the whole table's width (the title above it, the signoff line below), `height` points tall.
  void WriteSpanningRow(lxw_row_t row, double height, const std::string& text, lxw_format* format) {
    Check(worksheet_set_row(sheet_, row, height, nullptr), "spanning row");
    lxw_col_t last = static_cast<lxw_col_t>(columns_.size() - 1);
    if (last == 0) {
      Check(worksheet_write_string(sheet_, row, 0, text.c_str(), format), "spanning row");
    } else {
      Check(worksheet_merge_range(sheet_, row, 0, row, last, text.c_str(), format), "spanning row");
    }
  }

  void WriteHeader(lxw_row_t row) {
    // Headers wrap rather than widen a column; the row is as tall as the longest wrapped header needs.
    int lines = 1;
    for (size_t c = 0; c < columns_.size(); ++c) {
      double room = std::max(columns_[c].width - 1.5, 1.0);
      lines = std::max(lines, static_cast<int>(std::ceil(DisplayWidth(headers_[c]) / room)));
    }
    Check(worksheet_set_row(sheet_, row, 8 + 14.0 * std::min(lines, 4), nullptr), "header row");
    for (size_t c = 0; c < columns_.size(); ++c) {
      Check(worksheet_write_string(sheet_, row, c, headers_[c].c_str(), header_format_), "header");
    }
  }

  // Row `index` and its partners from the source into `*views` (the source's rows come in order, and a fed source
  // knows a row's partners only while that row is its latest).
  void ViewRow(size_t index, RowViews* views) {
    source_.Row(index, *row_reads_, &views->row);
    views->partners.resize(tmpl_.joins.size());
    views->found.resize(tmpl_.joins.size());
    for (size_t j = 0; j < tmpl_.joins.size(); ++j) {
      const RosterJoin& join = tmpl_.joins[j];
      views->found[j] = source_.Partner(join, templating::TextOf(views->row.get(join.match)), partner_reads_[j],
                                        &views->partners[j]);
    }
  }

  // `views` (kept by the caller while the row is evaluated) become the scope.
  void EnterRow(const RowViews& views) {
    scope_.SetRow(&views.row);
    scope_.ClearJoins();
    for (size_t j = 0; j < tmpl_.joins.size(); ++j) {  // no partner: the name is missing
      scope_.AddJoin(tmpl_.joins[j].name, views.found[j] ? &views.partners[j] : nullptr);
    }
  }

  Cell Evaluate(const ColumnPlan& plan, size_t index) {
    Cell cell;
    ColumnType type = plan.column->type;
    if (type == ColumnType::kIndex) {
      cell.kind = Cell::kNumber;
      cell.number = static_cast<double>(index + 1);
      return cell;
    }
    // A JSON number arrives as its exact shortest text, so a number column reads it back as the same number.
    cell.text = &Text(*plan.value, &value_text_);
    if (cell.text->empty()) return cell;
    cell.kind = Cell::kString;  // whatever does not fit the column's type stays visible as text
    if (type == ColumnType::kNumber) {
      if (ParseDecimal(*cell.text, &cell.number)) cell.kind = Cell::kNumber;
    } else if (type == ColumnType::kDate) {
      if (ParseIsoDate(*cell.text, &cell.date)) cell.kind = Cell::kDate;
    } else if (type == ColumnType::kYears) {
      IsoDate from, until;
      if (ParseIsoDate(*cell.text, &from) && ParseIsoDate(Text(*plan.until, &until_text_), &until)) {
        cell.kind = Cell::kNumber;
        cell.number = WholeYearsBetween(from, until);
      } else {
        cell.kind = Cell::kBlank;  // no honest number of years without both dates
      }
    }
    return cell;
  }

  void WriteRow(lxw_row_t row, size_t index, const RowViews& views) {
    EnterRow(views);
    for (size_t c = 0; c < columns_.size(); ++c) {
      const ColumnPlan& plan = columns_[c];
      Cell cell = Evaluate(plan, index);
      lxw_error err = LXW_NO_ERROR;
      switch (cell.kind) {
        case Cell::kBlank:
          err = worksheet_write_blank(sheet_, row, c, plan.text_format);
          break;
        case Cell::kString:
          // Invalid UTF-8 would make the sheet's XML unreadable: Excel would refuse the whole file.
          if (!IsWellFormedUtf8(*cell.text)) {
            ThrowInvalid(rows_pointer_ + "/" + std::to_string(index),
                         "text for column '" + headers_[c] + "' is not valid UTF-8");
          }
          // Always a string cell: "=1+1", "+86…" and "-" are never formulas, "0571…" keeps its zero.
          err = worksheet_write_string(sheet_, row, c, cell.text->c_str(), plan.text_format);
          break;
        case Cell::kNumber:
          err = worksheet_write_number(sheet_, row, c, cell.number, plan.number_format);
          break;
        case Cell::kDate: {
          lxw_datetime dt = {cell.date.year, cell.date.month, cell.date.day ? cell.date.day : 1, 0, 0, 0};
          err = worksheet_write_datetime(sheet_, row, c, &dt, cell.date.day ? plan.day_format : plan.month_format);
          break;
        }
      }
      if (err == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
        ThrowInvalid(rows_pointer_ + "/" + std::to_string(index),
                     "text for column '" + headers_[c] + "' is longer than an Excel cell holds (32767 characters)");
      }
      Check(err, "write cell");
    }
  }

  const RosterTemplate& tmpl_;
  RosterSource& source_;
  templating::Selection reads_;    // what the template reads of the envelope, a row or (by its name) a partner
  templating::Selection nothing_;  // a partner the template only tests
  Data body_;                      // the envelope as data (what reads_ selects)
  templating::Scope scope_;        // over body_, the current row and its partners
  // reads_ resolved for the rows and, per join, for its partners.
  std::unique_ptr<templating::RowReads> row_reads_;
  std::vector<templating::RowReads> partner_reads_;
  RowViews current_;  // each row after the width sample
  std::vector<std::unique_ptr<MustacheText>> body_texts_;  // title, author, company, subject, signoff
  size_t row_count_ = 0;
  std::vector<RowViews> sample_;  // the first rows, read to fix the widths, until they are written
  std::string rows_pointer_;
  std::vector<ColumnPlan> columns_;
  std::vector<std::string> headers_;
  std::string value_text_, until_text_;  // rendered texts of the cell being evaluated
  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* title_format_ = nullptr;
  lxw_format* header_format_ = nullptr;
  lxw_format* signoff_format_ = nullptr;
  std::map<std::tuple<uint8_t, std::string, bool>, lxw_format*> cell_formats_;
  lxw_row_t header_row_ = 0;
};

void WriteWith(RosterWriter& writer, const std::string& out_path) {
  fs::path target(out_path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  // libxlsxwriter's row files live in a private directory beside the target (the disk that will hold the result,
  // not a possibly small /tmp), removed on every way out; the workbook itself is written by name into the durable
  // writer's temporary file, which becomes the target only when complete.
  std::string tmpdir = MakeTempDir((dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string());
  try {
    DurableFileWriter out(out_path);
    writer.Write(out.temp_path(), tmpdir);
    out.Commit();
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(tmpdir, ignored);
    throw;
  }
  std::error_code ignored;
  fs::remove_all(tmpdir, ignored);
}

template <typename Write>
std::string RenderToBytes(Write write) {
  std::string dir = MakeTempDir(TempDirBase() + "/zhiping-roster-XXXXXX");
  try {
    std::string file = dir + "/roster.xlsx";
    write(file);
    std::string bytes = ReadFile(file);
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return bytes;
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    throw;
  }
}

}  // namespace

std::shared_ptr<const RosterTemplate> LoadRosterTemplate(const std::string& path) {
  std::string text = ReadFile(path);  // kNotFound naming the path
  return std::make_shared<const RosterTemplate>(ParseRosterTemplate(text, path));
}

void WriteRoster(const RosterTemplate& tmpl, RosterSource& source, const std::string& out_path) {
  RosterWriter writer(tmpl, source);  // checks what it can before the disk is touched
  WriteWith(writer, out_path);
}

std::string RenderRoster(const RosterTemplate& tmpl, RosterSource& source) {
  return RenderToBytes([&](const std::string& file) { WriteRoster(tmpl, source, file); });
}

void WriteRoster(const RosterTemplate& tmpl, const model::RosterRequest& request, const std::string& out_path) {
  RequestRosterSource source(tmpl, request);
  WriteRoster(tmpl, source, out_path);
}

std::string RenderRoster(const RosterTemplate& tmpl, const model::RosterRequest& request) {
  RequestRosterSource source(tmpl, request);
  return RenderRoster(tmpl, source);
}

}  // namespace zhiping::xlsx
