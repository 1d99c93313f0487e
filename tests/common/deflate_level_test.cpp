// DeflateLevelScope: a library that asks zlib for level 6 gets the scope's level on this thread, and only there;
// and the interposer really receives libharu's and libxlsxwriter's (minizip's) calls, not only our own.
#include "common/deflate_level.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <thread>

#include "layout/display_list.h"
#include "pdf/pdf_writer.h"
#include "support/files.h"
#include "support/paths.h"
#include "support/samples.h"
#include "support/temp_dir.h"
#include "model/parse.h"
#include "xlsx/roster.h"
#include "xlsx/roster_template.h"

namespace zhiping {
namespace {

// Compresses `text` the way libharu and minizip do: deflateInit/deflateInit2 with the level they chose.
std::string Deflate(const std::string& text, int level, bool init2) {
  z_stream s{};
  int rc = init2 ? deflateInit2(&s, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) : deflateInit(&s, level);
  EXPECT_EQ(rc, Z_OK);
  std::string out(deflateBound(&s, text.size()), '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  s.avail_in = static_cast<uInt>(text.size());
  s.next_out = reinterpret_cast<Bytef*>(&out[0]);
  s.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

std::string SampleXml() {
  std::string xml;
  for (int i = 0; i < 20000; ++i)
    xml += "<row r=\"" + std::to_string(i) + "\"><c t=\"s\"><v>" + std::to_string(i * 7919 % 1000) + "</v></c></row>";
  return xml;
}

TEST(DeflateLevelScope, ChangesTheLevelZlibCallersAskForOnlyInsideTheScope) {
  const std::string xml = SampleXml();
  for (bool init2 : {false, true}) {
    SCOPED_TRACE(init2 ? "deflateInit2" : "deflateInit");
    const std::string level1 = Deflate(xml, 1, init2);
    const std::string level6 = Deflate(xml, 6, init2);
    ASSERT_NE(level1, level6);  // otherwise the test could not tell the levels apart
    EXPECT_EQ(DeflateLevelScope::Current(), 0);
    {
      DeflateLevelScope scope(1);
      EXPECT_EQ(DeflateLevelScope::Current(), 1);
      EXPECT_EQ(Deflate(xml, 6, init2), level1);
      {
        DeflateLevelScope inner(6);
        EXPECT_EQ(Deflate(xml, 1, init2), level6);
      }
      EXPECT_EQ(Deflate(xml, 6, init2), level1);
      // Another thread keeps the level it asks for.
      std::string other;
      std::thread([&] { other = Deflate(xml, 6, init2); }).join();
      EXPECT_EQ(other, level6);
    }
    EXPECT_EQ(Deflate(xml, 6, init2), level6);
  }
}

TEST(DeflateLevelScope, ClampsToOneThroughNine) {
  { DeflateLevelScope s(0); EXPECT_EQ(DeflateLevelScope::Current(), 1); }
  { DeflateLevelScope s(42); EXPECT_EQ(DeflateLevelScope::Current(), 9); }
  EXPECT_EQ(DeflateLevelScope::Current(), 0);
}

// Our own calls above reach the interposer because this executable defines the symbols; libharu's and minizip's
// reach it only when the dynamic linker resolves their references to this executable's exported definitions.
// Neither pdf_writer.cpp nor roster.cpp calls zlib itself, so a rising count is the libraries' calls arriving.
TEST(DeflateLevelScope, InterposerReceivesLibharuAndMinizipCalls) {
  unsigned long before = DeflateLevelScope::InterposedCalls();
  Deflate("zlib from this executable", 6, false);
  EXPECT_EQ(DeflateLevelScope::InterposedCalls(), before + 1);

  layout::LaidOutDocument doc;
  doc.pages.emplace_back();  // one page with a few lines: a content stream for libharu to deflate
  for (int i = 0; i < 20; ++i) doc.pages[0].rules.push_back({72, 100.0 + 20 * i, 520, 100.0 + 20 * i, 0.5});
  before = DeflateLevelScope::InterposedCalls();
  const std::string pdf = pdf::WritePdf(doc);
  ASSERT_EQ(pdf.compare(0, 5, "%PDF-"), 0);
  EXPECT_GT(DeflateLevelScope::InterposedCalls(), before) << "libhpdf's deflateInit_ did not reach deflate_level.cpp";

  auto roster = xlsx::LoadRosterTemplate(testing::SourceDir() + "/templates/roster-summary.tmpl");
  const std::string path = testing::FreshDir("deflate-roster") + "/roster.xlsx";
  before = DeflateLevelScope::InterposedCalls();
  xlsx::WriteRoster(*roster,
                    model::ParseRoster("roster-summary", testing::SampleJson("roster-summary"), model::ValidationContext())
                        .ValueOrThrow("roster-summary sample"),
                    path);
  EXPECT_EQ(testing::ReadAll(path).compare(0, 2, "PK"), 0);
  // One deflateInit2_ per zipped part (sheet, styles, shared strings, content types, …).
  EXPECT_GE(DeflateLevelScope::InterposedCalls(), before + 5)
      << "minizip's deflateInit2_ (under libxlsxwriter) did not reach deflate_level.cpp";
}

}  // namespace
}  // namespace zhiping
