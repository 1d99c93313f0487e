// render: the document frame of the real templates with hard inputs (issue 11), read back from the PDF with
// `pdftotext -bbox`: long organ and committee names stay on the paper and inside the type area (the organ mark is
// narrowed by the PDF's horizontal scaling, the 署名 wraps over the date), titles stay whole where they fit, and
// the seal's page carries body text.
#include "render_test_util.h"

#include <algorithm>
#include <cmath>

#include "common/utf8.h"

namespace zhiping::rendertest {
namespace {

std::vector<BoxWord> Words(const Rendered& r) { return ParseBbox(RunCommand("pdftotext -bbox '" + r.path + "' -").out); }

const std::string kCommittee38 = "中共浙江省委宣传部浙江省卫生健康委员会思想政治工作人员专业职务高级评审委员会";
const std::string kOffice60 =
    "中共浙江省委组织部浙江省人力资源和社会保障厅浙江省卫生健康委员会浙江省教育厅思想政治工作人员专业职务评定工作领导小组";

const double kLeft = 28 * kPt, kRight = 184 * kPt;

// Words of one line in several faces have different boxes; their middles agree.
double Middle(const BoxWord& w) { return (w.y_min + w.y_max) / 2; }

// Every word of every page (page numbers and all) lies inside the type area's width.
void ExpectInsideTheTypeWidth(const std::vector<BoxWord>& words, const std::string& what) {
  ASSERT_FALSE(words.empty());
  for (const BoxWord& w : words) {
    std::u32string u;
    DecodeUtf8(w.text, &u);
    // A full-width closing mark at a line end is set ½ em; poppler still counts its full advance.
    const double slack =
        !u.empty() && std::u32string(U"、。，；：！？）》」”〕】］").find(u.back()) != std::u32string::npos ? 8.5 : 0;
    EXPECT_GE(w.x_min, kLeft - 1) << what << ": " << w.text << " page " << w.page + 1;
    EXPECT_LE(w.x_max, kRight + 1 + slack) << what << ": " << w.text << " page " << w.page + 1;
  }
}

// The sample of `tmpl` with the text at `pointer` replaced, rendered, checked clean and inside the type width.
std::vector<BoxWord> RenderHard(const std::string& tmpl, const std::string& pointer, const std::string& value,
                                Rendered* r) {
  *r = RenderToFile(tmpl, testing::WithString(Sample(tmpl), pointer, value), "frame-" + tmpl);
  ExpectCleanPdf(*r);
  std::vector<BoxWord> words = Words(*r);
  ExpectInsideTheTypeWidth(words, tmpl + " with " + pointer + " = " + value);
  return words;
}

TEST(render_Frame, ReportWithALongCommitteeNameStaysOnThePaper) {
  Rendered r;
  std::vector<BoxWord> words = RenderHard("report", "/committee/name", kCommittee38, &r);
  // The whole name is printed twice (organ mark, 署名), whatever the lines it takes.
  size_t first = r.text.find(kCommittee38);
  ASSERT_NE(first, std::string::npos) << r.text;
  // The 署名 lines are centred over the date, on the page that carries the seal, with body text above them.
  const BoxWord* date = nullptr;  // 「日」 of 「2022年9月13日」 (poppler cuts the date into words at the digits)
  for (size_t i = 1; i < words.size(); ++i)
    if (words[i].text == "日" && words[i - 1].text == "13") date = &words[i];
  ASSERT_NE(date, nullptr);
  double date_left = 1e9, date_right = -1e9;
  for (const BoxWord& w : words)
    if (w.page == date->page && std::fabs(Middle(w) - Middle(*date)) < 2) {
      date_left = std::min(date_left, w.x_min);
      date_right = std::max(date_right, w.x_max);
    }
  EXPECT_NEAR(date_right, kRight - 4 * (156 * kPt / 28), 3) << "date right-indented 4 字";
  const double axis = (date_left + date_right) / 2;
  int organ_lines = 0;
  for (const BoxWord& w : words) {
    if (w.page != date->page || w.y_min >= date->y_min - 1 || w.y_min < date->y_min - 5 * 29) continue;
    if (kCommittee38.find(w.text) == std::string::npos) continue;
    ++organ_lines;
    EXPECT_NEAR((w.x_min + w.x_max) / 2, axis, 3) << "署名 line centred over the date: " << w.text;
  }
  EXPECT_GE(organ_lines, 2) << "a 38-character name takes more than one line";
}

TEST(render_Frame, NoticeOfAnOfficeWithASixtyCharacterName) {
  Rendered r;
  std::vector<BoxWord> words = RenderHard("notice", "/batch/office/name", kOffice60, &r);
  // The organ mark keeps at least 22 pt: its words are at least 22 pt high (poppler's box is the font's ascent +
  // descent, about one em).
  double mark_h = 0;
  for (const BoxWord& w : words)
    if (w.page == 0 && w.y_min > (37 + 30) * kPt && w.y_max < (37 + 35) * kPt + 4 * 22 &&
        kOffice60.find(w.text) != std::string::npos)
      mark_h = std::max(mark_h, w.y_max - w.y_min);
  EXPECT_GE(mark_h, 21.5) << "organ mark height";
}

// The text of each line of page `page` set in words at least `min_h` pt high, top to bottom.
std::vector<std::string> TallLines(const std::vector<BoxWord>& words, int page, double min_h) {
  std::vector<std::pair<double, std::string>> lines;
  std::vector<BoxWord> tall;
  for (const BoxWord& w : words)
    if (w.page == page && w.y_max - w.y_min >= min_h) tall.push_back(w);
  std::sort(tall.begin(), tall.end(), [](const BoxWord& a, const BoxWord& b) {
    return std::fabs(Middle(a) - Middle(b)) > 2 ? Middle(a) < Middle(b) : a.x_min < b.x_min;
  });
  for (const BoxWord& w : tall) {
    if (lines.empty() || std::fabs(lines.back().first - Middle(w)) > 2) lines.push_back({Middle(w), ""});
    lines.back().second += w.text;
  }
  std::vector<std::string> out;
  for (auto& l : lines) out.push_back(l.second);
  return out;
}

TEST(render_Frame, NoticeTitleIsOneLineAndTheMarkIsNotShrunk) {
  Rendered r = RenderToFile("notice", Sample("notice"), "frame-notice");
  std::vector<std::string> lines = TallLines(Words(r), 0, 20);
  // Glyphs of 22 pt or more on page 1: the organ mark (one line, narrowed, not set at 20.1 pt), then the title,
  // which fits on one 20-em line and so is one line.
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0], "浙江省思想政治工作人员专业职务评定工作办公室");
  EXPECT_EQ(lines[1], "关于2022年度高级政工师评审结果的公示");
}

}  // namespace
}  // namespace zhiping::rendertest
