#include "import/roster_import.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "common/error.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/spooled_file.h"
#include "common/problem.h"
#include "model/dates.h"
#include "import/workbook.h"
#include "model/lazy_body.h"
#include "model/parse.h"

namespace zhiping::import {

namespace {

enum class Kind { kText, kDate, kIdNumber, kIndex, kId };

// A member of an applicant and the headers offices give its column (after Normalize). The first header is how
// problems name it.
struct Field {
  const char* path;  // "current_title/since": the pointer below /applicants/N
  Kind kind;
  std::vector<const char*> headers;
};

const std::vector<Field>& Fields() {
  static const std::vector<Field> fields = {
      {"", Kind::kIndex, {"序号", "编号序号"}},
      {"id", Kind::kId, {"人员编号", "申报人编号", "编号"}},
      {"name", Kind::kText, {"姓名"}},
      {"gender", Kind::kText, {"性别"}},
      {"id_number", Kind::kIdNumber, {"身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证"}},
      {"birth", Kind::kDate, {"出生年月", "出生日期", "出生年月日"}},
      {"ethnicity", Kind::kText, {"民族"}},
      {"political_status", Kind::kText, {"政治面貌"}},
      {"unit", Kind::kText, {"工作单位", "单位", "单位名称", "所在单位"}},
      {"education/level", Kind::kText, {"学历", "最高学历"}},
      {"current_title/name", Kind::kText, {"现专业职务", "现任专业技术职务", "现专业技术职务", "现职称", "现任专业职务"}},
      {"current_title/since", Kind::kDate, {"取得时间", "取得资格时间", "任职时间", "现专业职务取得时间"}},
      {"post", Kind::kText, {"现任职务", "职务", "行政职务"}},
      {"applying_for", Kind::kText, {"申报专业职务", "申报职务", "申报资格", "申报专业技术职务"}},
      {"phone", Kind::kText, {"联系电话", "手机", "手机号码", "电话", "联系方式"}},
      {"work_start", Kind::kDate, {"参加工作时间", "参加工作年月"}},
  };
  return fields;
}

// Header text without spaces, line breaks and a parenthesised note: "出生年月\n（年.月）" → "出生年月".
std::string Normalize(const std::string& s) {
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, 3, "（") == 0 || s[i] == '(') {
      ++depth;
      i += s[i] == '(' ? 1 : 3;
    } else if (s.compare(i, 3, "）") == 0 || s[i] == ')') {
      if (depth > 0) --depth;
      i += s[i] == ')' ? 1 : 3;
    } else if (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
      ++i;
    } else if (s.compare(i, 3, "\xE3\x80\x80") == 0) {  // U+3000 ideographic space
      i += 3;
    } else {
      if (depth == 0) out += s[i];
      ++i;
    }
  }
  return out;
}

int FieldOfHeader(const std::string& text) {
  const std::string n = Normalize(text);
  const auto& fields = Fields();
  for (size_t f = 0; f < fields.size(); ++f) {
    for (const char* h : fields[f].headers) {
      if (n == h) return static_cast<int>(f);
    }
  }
  return -1;
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
  while (e - b >= 3 && s.compare(b, 3, "\xE3\x80\x80") == 0) b += 3;
  while (e - b >= 3 && s.compare(e - 3, 3, "\xE3\x80\x80") == 0) e -= 3;
  return s.substr(b, e - b);
}


// A number cell read as text: whole numbers below 10^15 without an exponent ("1.38001380000E+10" → "13800138000").
std::string NumberText(const Cell& c) {
  if (c.kind == Cell::kNumber && std::fabs(c.number) < 1e15 && c.number == std::floor(c.number)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", c.number);
    return buf;
  }
  return c.text;
}

struct Place {
  uint32_t row = 0;
  std::string name;
};

}  // namespace

// A number cell holding 1980.1: someone typed 1980.10 (October) and Excel dropped the zero.
static const std::regex kYearDotMonthDigit(R"(\d{4}\.\d)");

std::string NormalizeDateText(const std::string& raw) {
  const std::string t = Trim(raw);
  static const std::regex kSeparated(R"((\d{4})\s*[.\-/．]\s*(\d{1,2})(?:\s*[.\-/．]\s*(\d{1,2}))?\.?)");
  static const std::regex kChinese(R"((\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)");
  static const std::regex kDigits(R"((\d{4})(\d{2})(\d{2})?)");
  std::smatch m;
  if (!std::regex_match(t, m, kSeparated) && !std::regex_match(t, m, kChinese) && !std::regex_match(t, m, kDigits)) {
    return "";
  }
  // The model's own spelling of a day or a month (model/dates.h); whether it is a real date is the model's check.
  model::Date d;
  d.year = std::atoi(m[1].str().c_str());
  d.month = std::atoi(m[2].str().c_str());
  if (m[3].matched) {
    d.day = std::atoi(m[3].str().c_str());
    if (d.day == 0) return "";  // day 0 is no day (the model then reports the text as it was)
  }
  return model::FormatDate(d);
}

ImportResult ImportRosterToFile(const std::string& path, const ImportOptions& options,
                                const model::ValidationContext& ctx, const std::string& body_path) {
  if (!model::RosterValidation::IsRosterKind(options.template_name) ||
      options.template_name == "roster-results") {
    throw Error(ErrorKind::kInvalidInput, "导入目前只支持 roster-summary 和 roster-qualification（申报人员名单），不支持 " +
                                              options.template_name + "。");
  }
  Workbook book(path);
  ImportResult result;
  result.sheet = options.sheet.empty() ? book.sheets().front() : options.sheet;
  const std::string& sheet = result.sheet;
  const auto& fields = Fields();

  Problems problems;
  std::vector<int> column_field;   // column → field index, -1
  std::vector<uint32_t> field_column(fields.size(), UINT32_MAX);
  std::vector<std::string> field_label(fields.size());
  std::string title;
  std::vector<Row> early;  // rows before the header is found (at most kHeaderSearchRows)
  constexpr size_t kHeaderSearchRows = 10;
  bool have_header = false;
  // The body goes to body_path as it is made (a roster of 100,000 is ~55 MB of text): envelope when the header is
  // found, then one applicant at a time.
  std::ofstream out(body_path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(ErrorKind::kUnavailable, "cannot write " + body_path);
  std::string a;  // the applicants not yet written
  std::vector<Place> places;
  bool too_many = false;

  auto problem_at = [&](size_t index, int f, uint32_t row, const std::string& name, const std::string& rule) {
    const Field& field = fields[static_cast<size_t>(f)];
    Problem p{"/applicants/" + std::to_string(index) + "/" + field.path, ""};
    p.place = sheet + "!" + CellRef(field_column[static_cast<size_t>(f)], row) + "（" + name + "）" +
              field_label[static_cast<size_t>(f)];
    p.rule = p.place + "：" + rule;  // free text that names its place (common/problem.h)
    AddProblem(&problems, std::move(p));
  };

  auto data_row = [&](const Row& row) {
    std::vector<const Cell*> by_field(fields.size(), nullptr);
    bool any = false;
    for (const Cell& c : row.cells) {
      if (c.column >= column_field.size() || column_field[c.column] < 0) continue;
      const int f = column_field[c.column];
      if (Trim(c.text).empty()) continue;
      by_field[static_cast<size_t>(f)] = &c;
      if (fields[static_cast<size_t>(f)].kind != Kind::kIndex) any = true;
    }
    if (!any) return true;  // empty, a footer under 序号 (填表人：…), formatting only
    if (places.size() >= model::kMaxRosterRows) {
      too_many = true;
      return false;
    }
    const size_t index = places.size();
    Place place{row.number, ""};
    std::map<std::string, std::string> values;  // path → JSON value text
    for (size_t f = 0; f < fields.size(); ++f) {
      const Cell* c = by_field[f];
      if (c == nullptr || fields[f].kind == Kind::kIndex) continue;
      std::string v = c->kind == Cell::kNumber ? NumberText(*c) : Trim(c->text);
      if (fields[f].path == std::string("name")) place.name = v;
      if (fields[f].kind == Kind::kDate) {
        if (c->kind == Cell::kDate) {
          // already ISO
        } else if (c->kind == Cell::kNumber && std::regex_match(c->text, kYearDotMonthDigit)) {
          v = c->text + "0";  // 1980.10 typed into a number cell is stored as 1980.1: October
          v = NormalizeDateText(v);
        } else {
          const std::string iso = NormalizeDateText(c->kind == Cell::kNumber ? c->text : v);
          if (iso.empty()) {
            values[std::string("!") + std::to_string(f)] = "无法识别的日期“" + v +
                                                           "”（可写 1980.01、1980-01、198001 或 1980年1月）";
            continue;
          }
          v = iso;
        }
      } else if (fields[f].kind == Kind::kIdNumber) {
        if (c->kind == Cell::kNumber && std::fabs(c->number) >= 1e15) {
          values[std::string("!") + std::to_string(f)] =
              "以数字保存，Excel 只保留 15 位有效数字，后几位已丢失（“" + c->text +
              "”）：请把该列设为“文本”格式后重新输入";
          continue;
        }
        for (char& ch : v) {
          if (ch == 'x') ch = 'X';
        }
      }
      AppendJsonString(v, &values[fields[f].path]);
    }
    places.push_back(place);
    const std::string shown = place.name.empty() ? "第 " + std::to_string(index + 1) + " 位" : place.name;
    for (const auto& [key, value] : values) {
      if (key[0] == '!') problem_at(index, std::atoi(key.c_str() + 1), row.number, shown, value);
    }
    // The applicant's id: its own column, else the ID number, else the row.
    std::string id;
    if (field_column[1] != UINT32_MAX) {
      auto it = values.find("id");
      if (it != values.end()) id = it->second;
    } else {
      std::string raw;
      auto it = values.find("id_number");
      if (it != values.end()) raw = it->second.substr(1, it->second.size() - 2);
      if (IsValidId(raw)) {
        AppendJsonString(raw, &id);
      } else {
        AppendJsonString("row-" + std::to_string(row.number), &id);
      }
    }
    a += index == 0 ? "\n  {" : ",\n  {";
    bool first = true;
    auto member = [&](const std::string& key, const std::string& value) {
      if (!first) a += ", ";
      first = false;
      AppendJsonString(key, &a);
      a += ": ";
      a += value;
    };
    if (!id.empty()) member("id", id);
    std::map<std::string, std::string> nested;
    for (const auto& [key, value] : values) {
      if (key[0] == '!' || key == "id") continue;
      const size_t slash = key.find('/');
      if (slash == std::string::npos) {
        member(key, value);
      } else {
        std::string& o = nested[key.substr(0, slash)];
        if (!o.empty()) o += ", ";
        AppendJsonString(key.substr(slash + 1), &o);
        o += ": " + value;
      }
    }
    for (const auto& [key, object] : nested) member(key, "{" + object + "}");
    a += "}";
    if (a.size() > (1 << 20)) {
      out << a;
      a.clear();
    }
    return true;
  };

  auto write_envelope = [&] {
    // The round: options, else the title row "2022年度高级政工师申报人员汇总表".
    int year = options.year;
    std::string batch_title = options.batch_title;
    static const std::regex kTitle(R"((\d{4})\s*年度?\s*(.*?)(申报人员汇总表|人员汇总表|汇总表|花名册)?)");
    std::smatch m;
    if (std::regex_match(title, m, kTitle)) {
      if (year == 0) year = std::atoi(m[1].str().c_str());
      if (batch_title.empty()) batch_title = m[2].str();
    }
    std::string batch_id = options.batch_id;
    if (batch_id.empty() && year > 0) batch_id = "import-" + std::to_string(year);

    std::string body = "{\n\"batch\": {";
    bool first = true;
    if (!batch_id.empty()) {
      body += "\"id\": ";
      AppendJsonString(batch_id, &body);
      first = false;
    }
    if (year > 0) {
      body += first ? "" : ", ";
      body += "\"year\": " + std::to_string(year);
      first = false;
    }
    if (!batch_title.empty()) {
      body += first ? "" : ", ";
      body += "\"title\": ";
      AppendJsonString(batch_title, &body);
    }
    body += "},\n\"applicants\": [";
    out << body;
  };

  book.ReadSheet(options.sheet, [&](const Row& row) {
    if (have_header) return data_row(row);
    // The header: among the first rows, the first with 姓名 and two more known headers.
    int matched = 0;
    bool name = false;
    for (const Cell& c : row.cells) {
      const int f = FieldOfHeader(c.text);
      if (f >= 0) ++matched;
      if (f >= 0 && fields[static_cast<size_t>(f)].path == std::string("name")) name = true;
    }
    if (name && matched >= 3) {
      have_header = true;
      result.header_row = row.number;
      for (const Cell& c : row.cells) {
        const int f = FieldOfHeader(c.text);
        if (f < 0 || field_column[static_cast<size_t>(f)] != UINT32_MAX) continue;
        if (column_field.size() <= c.column) column_field.resize(c.column + 1, -1);
        column_field[c.column] = f;
        field_column[static_cast<size_t>(f)] = c.column;
        field_label[static_cast<size_t>(f)] = Normalize(c.text);
      }
      // The title: the first text above the header (a merged title row keeps it in its first cell).
      for (const Row& r : early) {
        if (!r.cells.empty() && title.empty()) title = Trim(r.cells.front().text);
      }
      early.clear();
      write_envelope();
      return true;
    }
    early.push_back(row);
    return early.size() < kHeaderSearchRows;
  });
  if (!have_header) {
    std::string others;  // the sheet may be the wrong one: name the others
    for (const auto& n : book.sheets()) {
      if (n != sheet) others += (others.empty() ? "" : "、") + n;
    }
    throw Error(ErrorKind::kInvalidInput,
                "工作表“" + sheet + "”的前 " + std::to_string(kHeaderSearchRows) +
                    " 行中没有找到表头行（应有“姓名”及“性别”“身份证号”等列名）" +
                    (others.empty() ? "。" : "；工作簿中还有工作表：" + others + "，可用 --sheet 选择。"));
  }
  if (too_many) {
    Problem p{"/applicants", sheet + "：申报人超过 " + std::to_string(model::kMaxRosterRows) + " 行（一张汇总表最多 " +
                                 std::to_string(model::kMaxRosterRows) + " 人），其后的行未读取"};
    p.place = sheet;
    AddProblem(&problems, std::move(p));
  }
  result.id_source = field_column[1] != UINT32_MAX ? "编号列" : field_column[4] != UINT32_MAX ? "身份证号" : "行号";

  out << a << (places.empty() ? "]\n}\n" : "\n]\n}\n");
  a.clear();
  a.shrink_to_fit();
  out.close();
  if (!out) throw Error(ErrorKind::kUnavailable, "cannot write " + body_path);
  result.applicants = places.size();

  // The model checks the body, one applicant at a time (as a roster render does); its problems are mapped back.
  model::LazyBody lazy = model::LazyBody::FromFile(body_path, {model::kApplicantsList});
  model::RosterValidation validation(options.template_name, ctx);
  validation.Envelope(lazy);
  model::LazyBody::Reader reader(lazy);
  for (size_t i = 0; i < places.size(); ++i) validation.Applicant(reader, i);
  validation.Results(std::nullopt);
  Problems checked = validation.Finish();
  std::map<std::string, int> field_of_path;
  for (size_t f = 0; f < fields.size(); ++f) field_of_path[fields[f].path] = static_cast<int>(f);
  std::set<std::string> cell_problems;  // a cell the importer could not read is not also "required"
  for (const Problem& p : problems) cell_problems.insert(p.pointer);
  for (Problem& p : checked) {
    if (p.omitted > 0 || cell_problems.count(p.pointer) > 0) continue;
    std::string cell;  // where in the workbook, as the clerk reads it
    static const std::regex kApplicant(R"(/applicants/(\d+)(?:/(.*))?)");
    std::smatch am;
    if (std::regex_match(p.pointer, am, kApplicant)) {
      const size_t index = std::strtoul(am[1].str().c_str(), nullptr, 10);
      if (index < places.size()) {
        const Place& place = places[index];
        const std::string shown = place.name.empty() ? "第 " + std::to_string(index + 1) + " 位" : place.name;
        std::string member = am[2].matched ? am[2].str() : "";
        auto f = field_of_path.find(member);
        if (member == "id" && field_column[1] == UINT32_MAX) f = field_of_path.find("id_number");
        if (f == field_of_path.end()) {  // a record without a column of its own: its first member's header
          for (size_t g = 0; g < fields.size() && f == field_of_path.end(); ++g) {
            if (std::string(fields[g].path).rfind(member + "/", 0) == 0) f = field_of_path.find(fields[g].path);
          }
        }
        if (f != field_of_path.end() && field_column[static_cast<size_t>(f->second)] == UINT32_MAX) {
          cell = sheet + "!第 " + std::to_string(place.row) + " 行（" + shown + "）" +
                    fields[static_cast<size_t>(f->second)].headers[0] + "（表中没有这一列）";
        } else if (f != field_of_path.end()) {
          const int fi = f->second;
          cell = sheet + "!" + CellRef(field_column[static_cast<size_t>(fi)], place.row) + "（" + shown + "）" +
                    field_label[static_cast<size_t>(fi)];
        } else {
          cell = sheet + "!第 " + std::to_string(place.row) + " 行（" + shown + "）" + member;
        }
      }
    } else if (p.pointer.rfind("/batch", 0) == 0) {
      cell = "批次（取自标题行“" + title + "”或 --year/--title/--batch-id）" + p.pointer.substr(6);
    }
    // The cell is the place (Chinese answers: place：rule); the English rule keeps it in front, as it always did.
    if (!cell.empty()) {
      p.place = cell;
      p.rule = cell + "：" + p.rule;
    }
    AddProblem(&problems, std::move(p));
  }
  if (OmittedProblems(checked) > 0) AddProblem(&problems, MoreProblems(OmittedProblems(checked)));
  if (!problems.empty()) {
    const size_t n = ProblemTotal(problems);
    (void)n;
    ThrowProblems("sheet " + sheet, std::move(problems));
  }
  return result;
}

ImportResult ImportRoster(const std::string& path, const ImportOptions& options,
                          const model::ValidationContext& ctx) {
  SpooledFile spool;
  spool.Close();
  ImportResult result = ImportRosterToFile(path, options, ctx, spool.path());
  result.body = ReadFile(spool.path());
  return result;
}

}  // namespace zhiping::import
