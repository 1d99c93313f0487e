// The roster template language: what parses, and that every mistake names file:line.
#include "xlsx/roster_template.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/durable_file.h"
#include "common/json.h"
#include "support/temp_dir.h"
#include "test_util.h"
#include "xlsx/roster.h"

namespace zhiping::xlsx {
namespace {

TEST(xlsx_Template, ShippedTemplatesParse) {
  for (const char* name : {"roster-summary", "roster-qualification", "roster-results"}) {
    auto tmpl = LoadRosterTemplate(testing::TemplatePath(name));
    EXPECT_FALSE(tmpl->columns.empty()) << name;
    EXPECT_EQ(tmpl->rows, "applicants") << name;
    EXPECT_EQ(tmpl->columns[0].type, ColumnType::kIndex) << name;
    // Listed by their Chinese names; scrolled with 序号 … 姓名 in view.
    EXPECT_FALSE(tmpl->description.empty()) << name;
    ASSERT_GT(tmpl->freeze_columns, 0u) << name;
    EXPECT_EQ(tmpl->columns[tmpl->freeze_columns - 1].header, "姓名") << name;
  }
  EXPECT_EQ(LoadRosterTemplate(testing::TemplatePath("roster-summary"))->description, "申报人员汇总表");
  EXPECT_EQ(LoadRosterTemplate(testing::TemplatePath("roster-qualification"))->paper, RosterPaper::kA3);
  auto results = LoadRosterTemplate(testing::TemplatePath("roster-results"));
  ASSERT_EQ(results->joins.size(), 1u);
  EXPECT_EQ(results->joins[0].name, "result");
  EXPECT_EQ(results->joins[0].key, "applicant_id");
  EXPECT_EQ(results->joins[0].match, "id");
}

TEST(xlsx_Template, ParsesOptionsAndQuotes) {
  RosterTemplate t = ParseRosterTemplate(
      "\xEF\xBB\xBF@template xlsx\r\n"
      "# comment\n"
      "\n"
      "@title {{batch.year}}年 名单\n"
      "@sheet 名单\n"
      "@rows results\n"
      "@column 序号 type=index width=6\n"
      "@column \"工作 单位\" value={{ unit }} width=auto align=center\n"
      "@column 结论 value=\"{{#ok}}通过 {{/ok}}\\\"x\\\"\"\n"
      "@column 分 value={{score}} type=number format=0.0\n"
      "@column 年限 value={{since}} type=years until={{batch.deadline}}\n",
      "t.tmpl");
  EXPECT_EQ(t.title, "{{batch.year}}年 名单");
  EXPECT_EQ(t.sheet, "名单");
  EXPECT_EQ(t.rows, "results");
  ASSERT_EQ(t.columns.size(), 5u);
  EXPECT_FALSE(t.columns[0].auto_width);
  EXPECT_EQ(t.columns[0].width, 6);
  EXPECT_EQ(t.columns[1].header, "工作 单位");
  EXPECT_EQ(t.columns[1].value, "{{ unit }}");
  EXPECT_TRUE(t.columns[1].auto_width);
  EXPECT_EQ(t.columns[1].align, ColumnAlign::kCenter);
  EXPECT_EQ(t.columns[2].value, "{{#ok}}通过 {{/ok}}\"x\"");
  EXPECT_EQ(t.columns[3].type, ColumnType::kNumber);
  EXPECT_EQ(t.columns[3].num_format, "0.0");
  EXPECT_EQ(t.columns[4].type, ColumnType::kYears);
  EXPECT_EQ(t.columns[4].until, "{{batch.deadline}}");
}

TEST(xlsx_Template, ParsesTheRosterSettings) {
  RosterTemplate t = ParseRosterTemplate(
      "@template xlsx\n"
      "@describe 申报人员汇总表\n"
      "@rows applicants\n"
      "@freeze 姓名\n"
      "@print paper=A3 orientation=portrait\n"
      "@signoff 填报单位（盖章）：\u3000\u3000填表人：{{batch.office.short_name}}\n"
      "@column 序号 type=index\n"
      "@column 工作单位 value={{unit}}\n"
      "@column 姓名 value={{name}}\n"
      "@column 性别 value={{gender}}\n",
      "t.tmpl");
  EXPECT_EQ(t.description, "申报人员汇总表");
  EXPECT_EQ(t.freeze_columns, 3u);  // up to and including 姓名
  EXPECT_EQ(t.paper, RosterPaper::kA3);
  EXPECT_FALSE(t.landscape);
  EXPECT_EQ(t.signoff, "填报单位（盖章）：\u3000\u3000填表人：{{batch.office.short_name}}");  // full-width spaces kept

  // Without them: no description, only the rows frozen, A4 landscape, no line below the table.
  RosterTemplate plain = ParseRosterTemplate("@template xlsx\n@rows applicants\n@column 姓名 value={{name}}\n", "p");
  EXPECT_EQ(plain.description, "");
  EXPECT_EQ(plain.freeze_columns, 0u);
  EXPECT_EQ(plain.paper, RosterPaper::kA4);
  EXPECT_TRUE(plain.landscape);
  EXPECT_EQ(plain.signoff, "");

  // The signoff line reads the body: its names are listed with the template's fields.
  bool listed = false;
  for (const templating::FieldUse& use : RosterFields(t)) listed |= use.path == "batch.office.short_name";
  EXPECT_TRUE(listed);
}

struct BadCase {
  const char* text;
  int line;
  const char* words;  // a fragment the message must contain
};

TEST(xlsx_Template, ErrorsNameFileAndLine) {
  const char* ok_head = "@template xlsx\n@rows applicants\n";
  std::string head(ok_head);
  BadCase cases[] = {
      {"", 1, "empty template"},
      {"@title x\n", 1, "first directive must be @template xlsx"},
      {"@template pdf\n", 1, "rosters need @template xlsx"},
      {"# roster\n@template xlsx\n@column 姓名 value={{name}}\n", 2, "missing @rows"},
      {"@template xlsx\n@rows applicants\n", 1, "no @column"},
      {"@template xlsx\n@rows applicants\nhello\n", 3, "expected a directive"},
      {"@template xlsx\n@rows applicants\n@colum 姓名 value={{name}}\n", 3, "unknown directive @colum"},
      {"@template xlsx\n@rows applicants\n@column 姓名 value={{name}\n", 3, "value= of column '姓名'"},
      {"@template xlsx\n@rows applicants\n@column 姓名 value={{#a}}x\n", 3, "Unclosed section"},
      {"@template xlsx\n@rows applicants\n# c\n@column 姓名 type=money value={{name}}\n", 4, "unknown type 'money'"},
      {"@template xlsx\n@rows applicants\n@column 姓名\n", 3, "needs value="},
      {"@template xlsx\n@rows applicants\n@column value={{name}}\n", 3, "needs a header"},
      {"@template xlsx\n@rows applicants\n@column 序号 type=index value={{n}}\n", 3, "drop value="},
      {"@template xlsx\n@rows applicants\n@column 姓名 value={{name}} width=0\n", 3, "width must be"},
      {"@template xlsx\n@rows applicants\n@column 姓名 value={{name}} width=wide\n", 3, "width must be"},
      {"@template xlsx\n@rows applicants\n@column 姓名 value={{name}} colour=red\n", 3, "unknown option 'colour'"},
      {"@template xlsx\n@rows applicants\n@column 姓名 value={{name}} value={{x}}\n", 3, "given twice"},
      {"@template xlsx\n@rows applicants\n@column 年限 value={{a}} type=years\n", 3, "needs until="},
      {"@template xlsx\n@rows applicants\n@column 姓名 value={{a}} until={{b}}\n", 3, "only applies to type=years"},
      {"@template xlsx\n@rows applicants\n@column 姓名 value={{a}} format=0.0\n", 3, "format= only applies"},
      {"@template xlsx\n@rows applicants\n@column 姓名 value=\"{{a}}\n", 3, "unclosed quote"},
      {"@template xlsx\n@rows applicants\n@column 姓名 value={{a}} align=justify\n", 3, "align must be"},
      {"@template xlsx\n@sheet a[1]\n", 2, "@sheet name must not contain"},
      {"@template xlsx\n@sheet 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二\n", 2, "1 to 31"},
      {"@template xlsx\n@rows applicants\n@rows people\n", 3, "@rows given twice"},
      {"@template xlsx\n@rows people\n", 2, "not a list of a roster body (applicants or results)"},
      {"@template xlsx\n@rows applicants\n@join r from=batch key=a match=b\n", 3, "from= 'batch' is not a list"},
      {"@template xlsx\n@rows applicants\n@join from=results key=a match=b\n", 3, "@join needs a name"},
      {"@template xlsx\n@rows applicants\n@join r from=results key=a\n", 3, "@join needs match="},
      {"@template xlsx\n@rows applicants\n@join r from=results key=a match=b\n@join r from=applicants key=a match=b\n", 4,
       "used twice"},
      {"@template xlsx\n@title {{#batch}}\n", 2, "@title"},
      {"@template xlsx\n@rows applicants\n@template xlsx\n", 3, "@template given twice"},
      {"@template xlsx\n@rows applicants\n@column \xff value={{a}}\n", 3, "not valid UTF-8"},
      {"@template xlsx\n@describe\n", 2, "@describe needs"},
      {"@template xlsx\n@describe a\n@describe b\n", 3, "@describe given twice"},
      // @freeze is resolved after the columns, and reported at its own line.
      {"@template xlsx\n@rows applicants\n@freeze 名字\n@column 姓名 value={{name}}\n", 3,
       "@freeze names no column: '名字' (the columns are 姓名)"},
      {"@template xlsx\n@freeze\n", 2, "@freeze needs"},
      {"@template xlsx\n@print\n", 2, "@print needs"},
      {"@template xlsx\n@print paper=B5\n", 2, "paper must be A4 or A3, got 'B5'"},
      {"@template xlsx\n@print orientation=sideways\n", 2, "orientation must be landscape or portrait"},
      {"@template xlsx\n@print size=A3\n", 2, "unknown option 'size' (expected one of orientation, paper)"},
      {"@template xlsx\n@print paper=A3\n@print paper=A4\n", 3, "@print given twice"},
      {"@template xlsx\n@signoff\n", 2, "@signoff needs"},
      {"@template xlsx\n@signoff {{#batch}}\n", 2, "@signoff"},
  };
  for (const BadCase& c : cases) {
    try {
      ParseRosterTemplate(c.text, "templates/bad.tmpl");
      ADD_FAILURE() << "no error for:\n" << c.text;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kTemplate) << c.text;
      std::string where = "templates/bad.tmpl:" + std::to_string(c.line);
      EXPECT_EQ(std::string(e.what()).rfind(where + ": ", 0), 0u) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.words), std::string::npos) << e.what();
      ASSERT_EQ(e.problems().size(), 1u);
      EXPECT_EQ(e.problems()[0].pointer, where);
    }
  }
}

TEST(xlsx_Template, LoadNamesTheFileAndLine) {
  std::string dir = zhiping::testing::FreshDir("template-file");
  std::string path = dir + "/broken.tmpl";
  WriteFileDurably(path, "@template xlsx\n@rows applicants\n@column 姓名 value={{name}}\n@column 性别 type=sex\n");
  try {
    LoadRosterTemplate(path);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kTemplate);
    EXPECT_EQ(std::string(e.what()).rfind(path + ":4: ", 0), 0u) << e.what();
  }
  try {
    LoadRosterTemplate(dir + "/missing.tmpl");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
}

TEST(xlsx_Template, DataCannotChangeTheStructure) {
  // A value that looks like a tag is printed as it is, never expanded.
  RosterTemplate t = ParseRosterTemplate(
      "@template xlsx\n@rows applicants\n@column 名 value=\"<{{name}}>\"\n@column 单位 value={{unit}}\n", "t.tmpl");
  std::string dir = zhiping::testing::FreshDir("injection");
  std::string out = dir + "/inj.xlsx";
  model::RosterRequest request;
  request.kind = "roster-summary";
  request.batch.office = model::Office{};
  request.batch.office->name = "o";
  request.applicants.emplace_back();
  request.applicants[0].name = "{{unit}}&<b>";
  request.applicants[0].unit = "{{#x}}";
  WriteRoster(t, request, out);
  std::string error;
  auto book = testing::ReadBack(out, &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(AtPointer(book, "/rows/1/0/v").convert<std::string>(), "<{{unit}}&<b>>");
  EXPECT_EQ(AtPointer(book, "/rows/1/1/v").convert<std::string>(), "{{#x}}");
  // No @title: the header is the first row.
  EXPECT_EQ(AtPointer(book, "/rows/0/0/v").convert<std::string>(), "名");
}

}  // namespace
}  // namespace zhiping::xlsx
