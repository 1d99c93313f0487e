#include "import/sheet_table.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string_view>

#include "common/error.h"
#include "common/json.h"
#include "model/dates.h"

namespace zhiping::import {

namespace {

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

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// 通过/未通过 as offices write it; -1 when it is neither.
int PassedOf(const std::string& t) {
  static const char* const kYes[] = {"通过", "已通过", "合格", "是", "同意", "√", "✓", "Y", "y", "YES", "Yes",
                                     "yes", "TRUE", "true", "1"};
  static const char* const kNo[] = {"未通过", "不通过", "没通过", "不合格", "否", "不同意", "×", "✗", "X", "x", "N",
                                    "n", "NO", "No", "no", "FALSE", "false", "0"};
  for (const char* y : kYes) {
    if (t == y) return 1;
  }
  for (const char* n : kNo) {
    if (t == n) return 0;
  }
  return -1;
}

// A number cell holding 1980.1: someone typed 1980.10 (October) and Excel dropped the zero.
bool YearDotOneDigit(const std::string& t) {
  return t.size() == 6 && t[4] == '.' && std::isdigit(static_cast<unsigned char>(t[0])) &&
         std::isdigit(static_cast<unsigned char>(t[1])) && std::isdigit(static_cast<unsigned char>(t[2])) &&
         std::isdigit(static_cast<unsigned char>(t[3])) && std::isdigit(static_cast<unsigned char>(t[5]));
}

// A form's footer line under the table (填报单位（盖章）：… 填表人：… 日期：…) ends it.
bool IsFooter(const Row& row) {
  if (row.cells.empty()) return false;
  const std::string t = Trim(row.cells.front().text);
  for (const char* p : {"填报单位", "填表人", "审核人", "制表人", "单位负责人", "填表日期", "注："}) {
    if (StartsWith(t, p)) return true;
  }
  return false;
}

}  // namespace

const std::vector<Field>& Fields() {
  using T = Target;
  using K = Kind;
  static const std::vector<Field> fields = {
      {"", T::kNone, K::kIndex, {"序号", "编号序号"}},
      {"id", T::kApplicant, K::kId, {"人员编号", "申报人编号", "编号"}},
      {"name", T::kApplicant, K::kText, {"姓名"}},
      {"gender", T::kApplicant, K::kText, {"性别"}},
      {"id_number", T::kApplicant, K::kIdNumber, {"身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证"}},
      {"birth", T::kApplicant, K::kDate, {"出生年月", "出生日期", "出生年月日"}},
      {"ethnicity", T::kApplicant, K::kText, {"民族"}},
      {"political_status", T::kApplicant, K::kText, {"政治面貌"}},
      {"unit", T::kApplicant, K::kText, {"工作单位", "单位", "单位名称", "所在单位"}},
      {"education/level", T::kApplicant, K::kText, {"学历", "最高学历"}},
      {"current_title/name", T::kApplicant, K::kText,
       {"现专业职务", "现任专业技术职务", "现专业技术职务", "现职称", "现任专业职务"}},
      {"current_title/since", T::kApplicant, K::kDate, {"取得时间", "任职时间", "现专业职务取得时间"}},
      {"post", T::kApplicant, K::kText, {"现任职务", "职务", "行政职务"}},
      {"applying_for", T::kApplicant, K::kText, {"申报专业职务", "申报职务", "申报资格", "申报专业技术职务"}},
      {"phone", T::kApplicant, K::kText, {"联系电话", "手机", "手机号码", "电话", "联系方式"}},
      {"work_start", T::kApplicant, K::kDate, {"参加工作时间", "参加工作年月"}},
      {"committee", T::kApplicant, K::kText, {"所属中评委", "中评委"}},
      // Results: what roster-results writes, and the office's own 评审结果 sheets.
      {"mid_review/passed", T::kResult, K::kPassed, {"中评委评审", "中评委评审结果", "中评委意见"}},
      {"mid_review/score", T::kResult, K::kScore, {"中评委评分", "中评委得分"}},
      {"mid_review/date", T::kResult, K::kDate, {"中评委评审时间", "中评委评审日期"}},
      {"exam/score", T::kResult, K::kScore,
       {"测试成绩", "理论考试成绩", "考试成绩", "成绩", "理论测试成绩", "笔试成绩", "考试分数"}},
      {"exam/passed", T::kResult, K::kPassed, {"考试是否合格", "测试结果", "考试结果", "是否合格"}},
      {"senior_review/passed", T::kResult, K::kPassed,
       {"高评委评审", "评审结果", "是否通过", "评审结论", "高评委评审结果", "评审意见"}},
      {"senior_review/score", T::kResult, K::kScore, {"高评委评分", "高评委得分", "评审得分", "评审分数"}},
      {"senior_review/votes", T::kResult, K::kVotes, {"高评委表决", "表决结果", "表决情况", "表决票数"}},
      {"senior_review/date", T::kResult, K::kDate, {"评审时间", "评审日期", "高评委评审时间", "高评委评审日期"}},
      {"qualified_from", T::kResult, K::kDate, {"取得资格时间", "通过时间", "资格取得时间", "资格时间", "资格起算时间"}},
      {"letter_no", T::kItem, K::kText, {"通知书编号", "通知书文号", "证书编号", "通知书号"}},
  };
  return fields;
}

int FieldIndex(Target target, const std::string& path) {
  const auto& fields = Fields();
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].target == target && path == fields[f].path) return static_cast<int>(f);
  }
  return -1;
}

std::string NormalizeHeader(const std::string& s) {
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

namespace {

int FieldOfHeader(const std::string& text) {
  if (text.size() > 200) return -1;
  const std::string n = NormalizeHeader(text);
  const auto& fields = Fields();
  for (size_t f = 0; f < fields.size(); ++f) {
    for (const char* h : fields[f].headers) {
      if (n == h) return static_cast<int>(f);
    }
  }
  return -1;
}

}  // namespace

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

bool SheetTable::HasAny(Target target) const {
  const auto& fields = Fields();
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].target == target && field_column[f] != kNoColumn) return true;
  }
  return false;
}

std::string SheetTable::Place(int field, uint32_t row) const {
  if (Has(field)) return sheet + "!" + CellRef(field_column[static_cast<size_t>(field)], row);
  return sheet + "!第 " + std::to_string(row) + " 行";
}

std::string RowRecord::Plain(int field) const {
  if (field < 0) return "";
  const std::string& v = values[static_cast<size_t>(field)];
  if (v.size() < 2 || v[0] != '"') return "";
  if (v.find('\\') == std::string::npos) return v.substr(1, v.size() - 2);  // nothing escaped: as it is
  Poco::Dynamic::Var parsed = ParseJson(v);
  return parsed.convert<std::string>();
}

bool RowRecord::Any(Target target) const {
  const auto& fields = Fields();
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].target == target && !values[f].empty()) return true;
  }
  return false;
}

std::string RowRecord::Object(Target target, const std::string& first) const {
  const auto& fields = Fields();
  std::string out = "{" + first;
  bool empty = first.empty();
  // Members of one nested object ("current_title/name", "current_title/since") are adjacent in Fields().
  std::string_view open;  // the nested object being written
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].target != target || values[f].empty()) continue;
    if (target == Target::kApplicant && std::string_view(fields[f].path) == "id") continue;  // given in `first`
    const std::string_view path = fields[f].path;
    const size_t slash = path.find('/');
    const std::string_view outer = slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
    if (outer != open && !open.empty()) out += "}";
    if (!empty) out += ", ";
    empty = false;
    if (!outer.empty() && outer != open) {
      AppendJsonString(std::string(outer), &out);
      out += ": {";
    }
    open = outer;
    out += '"';  // member names are plain ASCII: no escaping needed
    out += slash == std::string_view::npos ? path : path.substr(slash + 1);
    out += '"';
    out += ": ";
    out += values[f];
  }
  if (!open.empty()) out += "}";
  return out + "}";
}

SheetTable ReadTable(Workbook& book, const std::string& sheet_name,
                     const std::function<bool(const SheetTable&, const RowRecord&)>& on_row, Problems* problems,
                     bool header_only) {
  const auto& fields = Fields();
  SheetTable table;
  table.sheet = sheet_name.empty() ? book.sheets().front() : sheet_name;
  table.field_column.assign(fields.size(), kNoColumn);
  table.field_label.assign(fields.size(), "");
  std::vector<int> column_field;  // column → field, -1
  std::vector<Row> early;         // rows before the header is found
  bool have_header = false;
  const int name_field = FieldIndex(Target::kApplicant, "name");
  const int id_number_field = FieldIndex(Target::kApplicant, "id_number");
  const int id_field = FieldIndex(Target::kApplicant, "id");
  RowRecord record;
  record.values.assign(fields.size(), "");
  std::vector<const Cell*> by_field(fields.size(), nullptr);
  uint32_t gap_row = 0;  // a row with data but nobody in it: the end of the table, unless people follow

  auto data_row = [&](const Row& row) {
    if (IsFooter(row)) return false;
    std::fill(by_field.begin(), by_field.end(), nullptr);
    bool any = false;
    for (const Cell& c : row.cells) {
      if (c.column >= column_field.size() || column_field[c.column] < 0) continue;
      const int f = column_field[c.column];
      if (Trim(c.text).empty()) continue;
      by_field[static_cast<size_t>(f)] = &c;
      if (fields[static_cast<size_t>(f)].kind != Kind::kIndex) any = true;
    }
    if (!any) return true;  // empty, only 序号 or unknown columns, formatting only
    if (by_field[name_field] == nullptr && by_field[id_number_field] == nullptr && by_field[id_field] == nullptr) {
      if (gap_row == 0) gap_row = row.number;
      return true;
    }
    if (gap_row != 0) {
      AddProblem(problems, {"", table.sheet + "!第 " + std::to_string(gap_row) +
                                    " 行：没有姓名和身份证号，表格却在其下继续（第 " + std::to_string(row.number) +
                                    " 行还有人员）：请补上姓名和身份证号，或删除该行"});
      gap_row = 0;
    }
    record.row = row.number;
    record.name.clear();
    record.problems.clear();
    for (size_t f = 0; f < fields.size(); ++f) {
      std::string& out = record.values[f];
      out.clear();
      const Cell* c = by_field[f];
      if (c == nullptr || fields[f].kind == Kind::kIndex) continue;
      std::string v = c->kind == Cell::kNumber ? NumberText(*c) : Trim(c->text);
      const int fi = static_cast<int>(f);
      if (c->kind == Cell::kFormula) {
        record.problems.emplace_back(fi, "是公式（" + c->text +
                                             "），文件中没有保存它的计算结果：请在 Excel 或 WPS 中打开、保存后再导入");
        continue;
      }
      if (c->kind == Cell::kError) {
        record.problems.emplace_back(fi, "是错误值 " + c->text + "（公式计算出错）：请改正后再导入");
        continue;
      }
      switch (fields[f].kind) {
        case Kind::kIndex:
          break;
        case Kind::kText:
        case Kind::kId:
          AppendJsonString(v, &out);
          break;
        case Kind::kIdNumber:
          if (c->kind == Cell::kNumber && std::fabs(c->number) >= 1e15) {
            record.problems.emplace_back(fi, "以数字保存，Excel 只保留 15 位有效数字，后几位已丢失（“" + c->text +
                                                 "”）：请把该列设为“文本”格式后重新输入");
            break;
          }
          for (char& ch : v) {
            if (ch == 'x') ch = 'X';
          }
          AppendJsonString(v, &out);
          break;
        case Kind::kDate: {
          std::string iso;
          if (c->kind == Cell::kDate) {
            iso = c->text;
          } else if (c->kind == Cell::kNumber && YearDotOneDigit(c->text)) {
            iso = NormalizeDateText(c->text + "0");  // 1980.10 typed into a number cell is stored as 1980.1
          } else {
            iso = NormalizeDateText(c->kind == Cell::kNumber ? c->text : v);
          }
          if (iso.empty()) {
            record.problems.emplace_back(fi, "无法识别的日期“" + v + "”（可写 1980.01、1980-01、198001 或 1980年1月）");
            break;
          }
          AppendJsonString(iso, &out);
          break;
        }
        case Kind::kScore: {
          char* end = nullptr;
          const double d = c->kind == Cell::kNumber ? c->number : std::strtod(v.c_str(), &end);
          if (c->kind != Cell::kNumber && (end == v.c_str() || *end != '\0' || !std::isfinite(d))) {
            record.problems.emplace_back(fi, "无法识别的分数“" + v + "”（应为 0 到 100 之间的数字）");
            break;
          }
          char buf[40];
          std::snprintf(buf, sizeof buf, "%.15g", d);
          out = buf;
          break;
        }
        case Kind::kPassed: {
          const int p = c->kind == Cell::kBool ? (c->text == "TRUE" ? 1 : 0) : PassedOf(v);
          if (p < 0) {
            record.problems.emplace_back(fi, "无法识别的评审结果“" + v + "”（应写“通过”或“未通过”）");
            break;
          }
          out = p ? "true" : "false";
          break;
        }
        case Kind::kVotes: {
          std::vector<std::string> numbers;
          std::string digits;
          for (char ch : v + " ") {
            if (std::isdigit(static_cast<unsigned char>(ch))) {
              digits += ch;
            } else if (!digits.empty()) {
              numbers.push_back(digits);
              digits.clear();
            }
          }
          if (numbers.size() != 3 || numbers[0].size() > 6 || numbers[1].size() > 6 || numbers[2].size() > 6) {
            record.problems.emplace_back(fi, "无法识别的表决结果“" + v + "”（应写同意/反对/弃权票数，如 17/0/1）");
            break;
          }
          out = "{\"for\": " + std::to_string(std::atoi(numbers[0].c_str())) +
                ", \"against\": " + std::to_string(std::atoi(numbers[1].c_str())) +
                ", \"abstain\": " + std::to_string(std::atoi(numbers[2].c_str())) + "}";
          break;
        }
      }
      if (fi == name_field) record.name = v;
    }
    return on_row(table, record);
  };

  book.ReadSheet(sheet_name, [&](const Row& row) {
    if (have_header) return data_row(row);
    // The header: among the first rows, the first with 姓名 and two more known headers.
    int matched = 0;
    bool name = false;
    for (const Cell& c : row.cells) {
      const int f = FieldOfHeader(c.text);
      if (f >= 0) ++matched;
      if (f == name_field) name = true;
    }
    if (name && matched >= 3) {
      have_header = true;
      table.header_row = row.number;
      for (const Cell& c : row.cells) {
        const int f = FieldOfHeader(c.text);
        if (f < 0 || table.field_column[static_cast<size_t>(f)] != kNoColumn) continue;
        if (column_field.size() <= c.column) column_field.resize(c.column + 1, -1);
        column_field[c.column] = f;
        table.field_column[static_cast<size_t>(f)] = c.column;
        table.field_label[static_cast<size_t>(f)] = NormalizeHeader(c.text);
      }
      // The title: the first text above the header (a merged title row keeps it in its first cell).
      for (const Row& r : early) {
        if (!r.cells.empty() && table.title.empty()) table.title = Trim(r.cells.front().text);
      }
      early.clear();
      return !header_only;
    }
    early.push_back(row);
    return early.size() < kHeaderSearchRows;
  });
  if (!have_header) {
    std::string others;  // the sheet may be the wrong one: name the others
    for (const auto& n : book.sheets()) {
      if (n != table.sheet) others += (others.empty() ? "" : "、") + n;
    }
    throw Error(ErrorKind::kInvalidInput,
                "工作表“" + table.sheet + "”的前 " + std::to_string(kHeaderSearchRows) +
                    " 行中没有找到表头行（应有“姓名”及“性别”“身份证号”等列名）" +
                    (others.empty() ? "。" : "；工作簿中还有工作表：" + others + "，可用 --sheet 选择。"));
  }
  return table;
}

}  // namespace zhiping::import
