#include "xlsx/roster_template.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "common/error.h"
#include "common/utf8.h"
#include "model/parse.h"
#include "templating/mustache_text.h"

namespace zhiping::xlsx {

namespace {

class Parser {
 public:
  Parser(const std::string& text, const std::string& file) : text_(text) { tmpl_.file = file; }

  RosterTemplate Parse() {
    std::u32string ignored;
    size_t bad = 0;
    if (!DecodeUtf8(text_, &ignored, &bad)) {
      line_ = 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + bad, '\n'));
      Fail("the file is not valid UTF-8");
    }
    size_t pos = 0;
    if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;  // a BOM left by a Windows editor
    bool seen_template = false;
    while (pos <= text_.size()) {
      size_t end = text_.find('\n', pos);
      if (end == std::string::npos) end = text_.size();
      std::string line = text_.substr(pos, end - pos);
      pos = end + 1;
      ++line_;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string_view trimmed = Trim(line);
      if (trimmed.empty() || trimmed[0] == '#') continue;
      if (trimmed[0] != '@') Fail("expected a directive starting with @ or a # comment");
      size_t space = trimmed.find_first_of(" \t");
      std::string directive(trimmed.substr(1, space == std::string_view::npos ? std::string_view::npos : space - 1));
      std::string rest(space == std::string_view::npos ? std::string_view() : Trim(trimmed.substr(space)));
      if (!seen_template) {
        if (directive != "template") Fail("the first directive must be @template xlsx");
        if (rest != "xlsx") Fail("this is a '" + rest + "' template; rosters need @template xlsx");
        seen_template = true;
        template_line_ = line_;
        continue;
      }
      Directive(directive, rest);
    }
    // Problems of the whole file are reported at the @template line, where the reader starts looking.
    if (!seen_template) FailAt(1, "empty template: the first line must be @template xlsx");
    if (tmpl_.rows.empty()) FailAt(template_line_, "missing @rows (which list of the body gives one row per element)");
    if (tmpl_.columns.empty()) FailAt(template_line_, "no @column directives");
    if (freeze_line_) Freeze();
    return std::move(tmpl_);
  }

 private:
  static std::string_view Trim(std::string_view s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
  }

  [[noreturn]] void FailAt(int line, const std::string& why) const {
    std::string where = tmpl_.file + ":" + std::to_string(line);
    throw Error(ErrorKind::kTemplate, where + ": " + why, {Problem{where, why}});
  }
  [[noreturn]] void Fail(const std::string& why) const { FailAt(line_, why); }

  void Once(const std::string& directive) {
    if (!seen_.insert(directive).second) Fail("@" + directive + " given twice");
  }

  // Proves a Mustache text compiles; data never reaches the parser, so a valid text stays valid for every body.
  void CheckMustache(const std::string& text, const std::string& what) const {
    templating::MustacheText compiled(text);
    if (!compiled.valid()) Fail(what + ": " + compiled.error());
  }

  // A list a roster body has (model/request.h's RosterRequest): rows and joins read typed values, so a template
  // can name only the lists the model knows.
  std::string List(const std::string& text, const std::string& what) const {
    if (text != model::kApplicantsList && text != model::kResultsList) {
      Fail(what + " '" + text + "' is not a list of a roster body (" + model::kApplicantsList + " or " +
           model::kResultsList + ")");
    }
    return text;
  }

  // Splits "HEADER key=value key="quoted value"" into tokens; whitespace inside {{…}} or quotes does not split.
  std::vector<std::string> Tokens(const std::string& rest) const {
    std::vector<std::string> tokens;
    std::string current;
    bool in_token = false, in_quotes = false;
    int braces = 0;
    for (size_t i = 0; i < rest.size(); ++i) {
      char c = rest[i];
      if (in_quotes) {
        if (c == '\\' && i + 1 < rest.size() && (rest[i + 1] == '"' || rest[i + 1] == '\\')) {
          current += rest[++i];
        } else if (c == '"') {
          in_quotes = false;
        } else {
          current += c;
        }
        continue;
      }
      if ((c == ' ' || c == '\t') && braces == 0) {
        if (in_token) tokens.push_back(std::move(current));
        current.clear();
        in_token = false;
        continue;
      }
      in_token = true;
      if (c == '"') {
        in_quotes = true;
      } else {
        if (c == '{' && i + 1 < rest.size() && rest[i + 1] == '{') ++braces, current += rest[i++];
        else if (c == '}' && braces > 0 && i + 1 < rest.size() && rest[i + 1] == '}') --braces, current += rest[i++];
        current += c;
      }
    }
    if (in_quotes) Fail("unclosed quote");
    if (in_token) tokens.push_back(std::move(current));
    return tokens;
  }

  // Options after the first token: key=value, each key at most once, all keys from `allowed`.
  std::map<std::string, std::string> Options(const std::vector<std::string>& tokens, size_t first,
                                             const std::set<std::string>& allowed) const {
    std::map<std::string, std::string> options;
    for (size_t i = first; i < tokens.size(); ++i) {
      size_t eq = tokens[i].find('=');
      if (eq == std::string::npos || eq == 0) Fail("expected key=value, got '" + tokens[i] + "'");
      std::string key = tokens[i].substr(0, eq);
      if (!allowed.count(key)) {
        std::string list;
        for (const auto& k : allowed) list += (list.empty() ? "" : ", ") + k;
        Fail("unknown option '" + key + "' (expected one of " + list + ")");
      }
      if (!options.emplace(key, tokens[i].substr(eq + 1)).second) Fail("option '" + key + "' given twice");
    }
    return options;
  }

  void Directive(const std::string& directive, const std::string& rest) {
    if (directive == "template") Fail("@template given twice");
    if (directive == "title" || directive == "author" || directive == "company" || directive == "subject" ||
        directive == "signoff") {
      Once(directive);
      CheckMustache(rest, "@" + directive);
      if (directive == "title") tmpl_.title = rest;
      if (directive == "author") tmpl_.author = rest;
      if (directive == "company") tmpl_.company = rest;
      if (directive == "subject") tmpl_.subject = rest;
      if (directive == "signoff") {
        if (rest.empty()) Fail("@signoff needs the text of the line, e.g. @signoff 填报单位（盖章）：　　填表人：　　日期：");
        tmpl_.signoff = rest;
      }
    } else if (directive == "describe") {
      Once(directive);
      if (rest.empty()) Fail("@describe needs the roster's name, e.g. @describe 申报人员汇总表");
      tmpl_.description = rest;  // plain text, like a PDF template's @describe: listings show it as it is
    } else if (directive == "freeze") {
      Once(directive);
      if (rest.empty()) Fail("@freeze needs the header of the last column to freeze, e.g. @freeze 姓名");
      freeze_line_ = line_;  // resolved once every column is known: the column may come later in the file
      freeze_header_ = rest;
    } else if (directive == "print") {
      Once(directive);
      Print(rest);
    } else if (directive == "sheet") {
      Once(directive);
      Sheet(rest);
    } else if (directive == "rows") {
      Once(directive);
      if (rest.empty()) Fail("@rows needs the name of a list in the body, e.g. @rows applicants");
      tmpl_.rows = List(rest, "@rows");
    } else if (directive == "join") {
      Join(rest);
    } else if (directive == "column") {
      Column(rest);
    } else {
      Fail("unknown directive @" + directive +
           " (expected @describe, @title, @sheet, @rows, @join, @column, @freeze, @print, @signoff, @author, @company "
           "or @subject)");
    }
  }

  // @print paper=A4|A3 orientation=landscape|portrait; both optional (A4 landscape).
  void Print(const std::string& rest) {
    std::vector<std::string> tokens = Tokens(rest);
    if (tokens.empty()) Fail("@print needs paper= or orientation=, e.g. @print paper=A3 orientation=landscape");
    auto options = Options(tokens, 0, {"orientation", "paper"});
    if (options.count("paper")) {
      const std::string& paper = options["paper"];
      if (paper == "A4") tmpl_.paper = RosterPaper::kA4;
      else if (paper == "A3") tmpl_.paper = RosterPaper::kA3;
      else Fail("paper must be A4 or A3, got '" + paper + "'");
    }
    if (options.count("orientation")) {
      const std::string& o = options["orientation"];
      if (o != "landscape" && o != "portrait") Fail("orientation must be landscape or portrait, got '" + o + "'");
      tmpl_.landscape = o == "landscape";
    }
  }

  // The @freeze column, by its header as written in the template.
  void Freeze() {
    for (size_t c = 0; c < tmpl_.columns.size(); ++c) {
      if (tmpl_.columns[c].header == freeze_header_) {
        tmpl_.freeze_columns = c + 1;
        return;
      }
    }
    std::string headers;
    for (const RosterColumn& column : tmpl_.columns) headers += (headers.empty() ? "" : ", ") + column.header;
    FailAt(freeze_line_, "@freeze names no column: '" + freeze_header_ + "' (the columns are " + headers + ")");
  }

  void Sheet(const std::string& name) {
    // Excel's own rules for sheet names; libxlsxwriter would otherwise fail at write time, far from the template.
    std::u32string cps;
    DecodeUtf8(name, &cps);
    if (cps.empty() || cps.size() > 31) Fail("@sheet name must have 1 to 31 characters");
    if (name.find_first_of("[]:*?/\\") != std::string::npos) Fail("@sheet name must not contain [ ] : * ? / \\");
    if (name.front() == '\'' || name.back() == '\'') Fail("@sheet name must not start or end with '");
    tmpl_.sheet = name;
  }

  void Join(const std::string& rest) {
    std::vector<std::string> tokens = Tokens(rest);
    if (tokens.empty() || tokens[0].find('=') != std::string::npos) {
      Fail("@join needs a name first: @join result from=results key=applicant_id match=id");
    }
    RosterJoin join;
    join.line = line_;
    join.name = tokens[0];
    if (join.name.find('.') != std::string::npos) Fail("@join name '" + join.name + "' must not contain '.'");
    auto options = Options(tokens, 1, {"from", "key", "match"});
    for (const char* required : {"from", "key", "match"}) {
      if (options[required].empty()) Fail(std::string("@join needs ") + required + "=");
    }
    join.from = List(options["from"], "from=");
    join.key = options["key"];
    join.match = options["match"];
    for (const RosterJoin& other : tmpl_.joins) {
      if (other.name == join.name) Fail("@join name '" + join.name + "' used twice");
    }
    tmpl_.joins.push_back(std::move(join));
  }

  void Column(const std::string& rest) {
    static const std::set<std::string> kOptions = {"value", "type", "width", "format", "until", "align"};
    std::vector<std::string> tokens = Tokens(rest);
    if (tokens.empty()) Fail("@column needs a header: @column 姓名 value={{name}}");
    size_t eq = tokens[0].find('=');
    if (eq != std::string::npos && kOptions.count(tokens[0].substr(0, eq))) {
      Fail("@column needs a header before its options: @column 姓名 value={{name}}");
    }
    RosterColumn column;
    column.line = line_;
    column.header = tokens[0];
    CheckMustache(column.header, "column header");
    auto options = Options(tokens, 1, kOptions);

    static const std::map<std::string, ColumnType> kTypes = {{"text", ColumnType::kText},
                                                             {"number", ColumnType::kNumber},
                                                             {"date", ColumnType::kDate},
                                                             {"index", ColumnType::kIndex},
                                                             {"years", ColumnType::kYears}};
    if (options.count("type")) {
      auto it = kTypes.find(options["type"]);
      if (it == kTypes.end()) Fail("unknown type '" + options["type"] + "' (expected text, number, date, index or years)");
      column.type = it->second;
    }
    bool has_value = options.count("value") > 0;
    if (column.type == ColumnType::kIndex && has_value) Fail("an index column counts rows itself; drop value=");
    if (column.type != ColumnType::kIndex && (!has_value || options["value"].empty())) {
      Fail("column '" + column.header + "' needs value=");
    }
    if (has_value) {
      column.value = options["value"];
      CheckMustache(column.value, "value= of column '" + column.header + "'");
    }
    if (column.type == ColumnType::kYears) {
      if (options["until"].empty()) Fail("a years column needs until=, e.g. until={{batch.deadline}}");
      column.until = options["until"];
      CheckMustache(column.until, "until= of column '" + column.header + "'");
    } else if (options.count("until")) {
      Fail("until= only applies to type=years");
    }
    if (options.count("format")) {
      if (column.type != ColumnType::kNumber && column.type != ColumnType::kYears) {
        Fail("format= only applies to type=number or type=years");
      }
      column.num_format = options["format"];
      if (column.num_format.empty()) Fail("format= is empty");
    }
    if (options.count("width") && options["width"] != "auto") {
      const std::string& w = options["width"];
      char* end = nullptr;
      double width = std::strtod(w.c_str(), &end);
      if (w.empty() || *end != '\0' || !(width >= 1 && width <= 255)) {
        Fail("width must be auto or a number from 1 to 255, got '" + w + "'");
      }
      column.auto_width = false;
      column.width = width;
    }
    if (options.count("align")) {
      static const std::map<std::string, ColumnAlign> kAligns = {
          {"left", ColumnAlign::kLeft}, {"center", ColumnAlign::kCenter}, {"right", ColumnAlign::kRight}};
      auto it = kAligns.find(options["align"]);
      if (it == kAligns.end()) Fail("align must be left, center or right");
      column.align = it->second;
    }
    if (tmpl_.columns.size() >= 16384) Fail("more columns than Excel allows (16384)");
    tmpl_.columns.push_back(std::move(column));
  }

  const std::string& text_;
  RosterTemplate tmpl_;
  int line_ = 0;
  int template_line_ = 1;
  int freeze_line_ = 0;  // 0: no @freeze
  std::string freeze_header_;
  std::set<std::string> seen_;
};

}  // namespace

RosterTemplate ParseRosterTemplate(const std::string& text, const std::string& file) {
  return Parser(text, file).Parse();
}

std::vector<templating::FieldUse> RosterFields(const RosterTemplate& tmpl) {
  std::vector<templating::MustacheText> body_texts, row_texts;
  for (const std::string* t : {&tmpl.title, &tmpl.subject, &tmpl.author, &tmpl.company, &tmpl.signoff}) {
    body_texts.emplace_back(*t);
  }
  for (const RosterColumn& c : tmpl.columns) {
    body_texts.emplace_back(c.header);
    row_texts.emplace_back(c.value);
    row_texts.emplace_back(c.until);
  }
  // The body's names: the lists the roster reads, and what the body's own texts name.
  std::set<std::string> body_names;
  if (!tmpl.rows.empty()) body_names.insert(tmpl.rows);
  for (const RosterJoin& j : tmpl.joins) body_names.insert(j.from);
  for (const templating::MustacheText& t : body_texts) templating::AddFirstSegments(t, &body_names);

  templating::FieldCollector fields(body_names);
  const std::string& rows = tmpl.rows;
  templating::FieldFrame row{rows.empty() ? "" : rows + "[].", {}};
  if (!rows.empty()) fields.Add(rows + "[]", false, false);
  for (const RosterJoin& j : tmpl.joins) {
    const std::string from = j.from + "[]";
    row.joins[j.name] = from;
    fields.Add(from + "." + j.key, true, false);
    fields.Add(fields.Resolve(j.match, row), true, false);
  }
  for (const templating::MustacheText& t : body_texts) fields.AddText(t, templating::FieldFrame{});
  for (const templating::MustacheText& t : row_texts) fields.AddText(t, row);
  return fields.Uses();
}

}  // namespace zhiping::xlsx
