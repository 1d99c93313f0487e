// pdf: the libharu writer on laid-out documents, checked with qpdf and poppler (pdftotext -bbox, pdffonts).
#include <gtest/gtest.h>

#include <zlib.h>

#include <cmath>
#include <map>
#include <atomic>
#include <regex>
#include <set>
#include <thread>

#include "common/utf8.h"
#include "core_test_util.h"
#include "layout/document_layout.h"
#include "pdf/haru_document_pool.h"
#include "pdf/pdf_writer.h"

namespace zhiping {
namespace {

using namespace coretest;
using namespace layout;

const std::u32string kHan = U"的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定";

std::u32string Han(size_t n, size_t start) {
  std::u32string s;
  for (size_t i = 0; i < n; ++i) s.push_back(kHan[(start + i * 5) % kHan.size()]);
  return s;
}

// A multi-page body: 60 paragraphs, some with 𠮷 (U+20BB7, drawn through its private-use alias) and Latin.
DocumentSpec BodySpec() {
  DocumentSpec spec;
  spec.title = "测试文档";
  Block t;
  t.kind = BlockKind::kTitle;
  t.text = U"关于吉𠮷同志2022年度评审结果的公示";
  spec.blocks.push_back(t);
  for (int i = 0; i < 60; ++i) {
    Block b;
    b.kind = BlockKind::kParagraph;
    b.text = Han(40 + (i * 31) % 70, i) + U"，吉𠮷于2022年完成ABC项目" + Han(15, i + 3) + U"。";
    spec.blocks.push_back(b);
  }
  return spec;
}

struct WrittenPdf {
  std::string path, bytes;
  size_t pages = 0;
};

const WrittenPdf& Written() {
  static WrittenPdf* w = [] {
    auto* out = new WrittenPdf;
    LaidOutDocument doc = LayOutDocument(BodySpec(), SharedFonts());
    out->pages = doc.pages.size();
    out->bytes = pdf::WritePdf(doc);
    out->path = FreshDir("pdf") + "/body.pdf";
    WriteAll(out->path, out->bytes);
    return out;
  }();
  return *w;
}

TEST(pdf_Writer, QpdfCheckPassesAndPopplerIsSilent) {
  const auto& w = Written();
  ASSERT_EQ(w.bytes.rfind("%PDF-", 0), 0u);
  ExpectCleanPdf(w.path);
  auto i = RunCommand("pdfinfo '" + w.path + "'");
  EXPECT_TRUE(std::regex_search(i.out, std::regex("Pages:\\s+" + std::to_string(w.pages) + "\n"))) << i.out;
  EXPECT_TRUE(Contains(i.out, "595.276 x 841.89")) << "A4 pages: " << i.out;
}

TEST(pdf_Writer, EveryFontIsEmbedded) { ExpectFontsEmbedded(Written().path); }

TEST(pdf_Writer, TextExtractsIncludingNonBmpThroughToUnicode) {
  auto t = RunCommand("pdftotext -enc UTF-8 '" + Written().path + "' -");
  EXPECT_TRUE(Contains(t.out, "吉𠮷")) << "𠮷 must extract as U+20BB7, not its private-use alias";
  EXPECT_TRUE(Contains(t.out, "2022")) << t.out.substr(0, 400);
  EXPECT_TRUE(Contains(t.out, "ABC"));
  std::u32string u;
  ASSERT_TRUE(DecodeUtf8(t.out, &u));
  for (char32_t c : u) EXPECT_FALSE(c >= 0xE000 && c <= 0xF8FF) << "private-use code in extracted text";
}

TEST(pdf_Writer, BodyLinesSitOnThe22LineGrid) {
  const PageGeometry g;
  int pages = 0;
  auto words = ParseBbox(RunCommand("pdftotext -bbox '" + Written().path + "' -").out, &pages);
  ASSERT_EQ(static_cast<size_t>(pages), Written().pages);
  ASSERT_GE(pages, 4);
  const double type_bottom_from_top = Mm(37) + Mm(225);
  size_t multi_line_gaps = 0, single_gaps = 0;
  for (int p = 1; p + 1 < pages; ++p) {  // full body pages (not the first with the title, not the last)
    // Count lines from every word (tops of Latin and Han words on one line differ by < 3 pt).
    std::set<double> all_tops;
    for (const auto& w : words)
      if (w.page == p && w.y_min < type_bottom_from_top) all_tops.insert(w.y_min);
    std::vector<double> lines;
    for (double y : all_tops)
      if (lines.empty() || y - lines.back() > 3) lines.push_back(y);
    EXPECT_LE(lines.size(), 22u) << "page " << p + 1;
    EXPECT_GE(lines.size(), 21u) << "page " << p + 1;
    // Pitch from words set wholly in the Han face (no Latin, no 𠮷 from the fallback face): one font, one ascent.
    std::set<double> tops;
    for (const auto& w : words) {
      std::u32string u;
      DecodeUtf8(w.text, &u);
      bool han_only = !u.empty();
      for (char32_t c : u) han_only = han_only && c >= 0x3000 && c < 0xFFFF;
      if (w.page == p && han_only && w.y_min < type_bottom_from_top) tops.insert(std::round(w.y_min * 100) / 100);
    }
    std::vector<double> han_lines(tops.begin(), tops.end());
    for (size_t i = 1; i < han_lines.size(); ++i) {
      double d = han_lines[i] - han_lines[i - 1];
      double k = std::round(d / g.line_pitch());
      EXPECT_GE(k, 1);
      EXPECT_NEAR(d, k * g.line_pitch(), 0.2) << "page " << p + 1 << " line " << i;
      (k == 1 ? single_gaps : multi_line_gaps)++;
    }
  }
  EXPECT_GT(single_gaps, 10 * multi_line_gaps) << "most consecutive lines are one pitch (28.99 pt) apart";
}

TEST(pdf_Writer, SameDocumentSameBytes) {
  LaidOutDocument doc = LayOutDocument(BodySpec(), SharedFonts());
  std::string a = pdf::WritePdf(doc), b = pdf::WritePdf(doc);
  EXPECT_TRUE(a == b) << "two writes of one document differ";
  EXPECT_TRUE(a == Written().bytes) << "a fresh layout + write differs from the first";
}

TEST(pdf_Writer, EmptyAndUncompressedDocuments) {
  LaidOutDocument empty;
  empty.pages.emplace_back();
  std::string bytes = pdf::WritePdf(empty);
  std::string path = FreshDir("pdf-empty") + "/empty.pdf";
  WriteAll(path, bytes);
  auto q = RunCommand("qpdf --check '" + path + "'");
  EXPECT_EQ(q.exit_code, 0) << q.out << q.err;

  pdf::PdfOptions raw;
  raw.compress = false;
  LaidOutDocument doc = LayOutDocument(BodySpec(), SharedFonts());
  std::string plain = pdf::WritePdf(doc, raw);
  std::string p2 = FreshDir("pdf-plain") + "/plain.pdf";
  WriteAll(p2, plain);
  EXPECT_EQ(RunCommand("qpdf --check '" + p2 + "'").exit_code, 0);
  // The ToUnicode CMap we write is well formed: every bfrange/bfchar block is closed.
  size_t begins = 0, ends = 0;
  for (size_t p = 0; (p = plain.find("beginbfchar", p)) != std::string::npos; ++p) ++begins;
  for (size_t p = 0; (p = plain.find("endbfchar", p)) != std::string::npos; ++p) ++ends;
  EXPECT_EQ(begins, ends);
  EXPECT_EQ(plain.find("begincidrange"), std::string::npos) << "libharu's malformed ToUnicode content left in";
  auto t = RunCommand("pdftotext -enc UTF-8 '" + p2 + "' -");
  EXPECT_EQ(t.err, "");
  EXPECT_TRUE(Contains(t.out, "吉𠮷"));
}

// The document's own dense codes (pdf_writer.cpp, DocFont): each font's /W is one run from code 1 and its
// CIDToGIDMap two bytes a character drawn — not two bytes for every code point up to the largest (80–130 KB).
TEST(pdf_Writer, PerFontTablesAreAsSmallAsTheCharactersDrawn) {
  pdf::PdfOptions raw;
  raw.compress = false;
  const std::string plain = pdf::WritePdf(LayOutDocument(BodySpec(), SharedFonts()), raw);
  size_t fonts = 0, one_run = 0;
  for (size_t p = 0; (p = plain.find("/CIDFontType2", p)) != std::string::npos; ++p) ++fonts;
  const std::regex w(R"(/W \[ 1 \[( \d+)+ \] \])");
  for (auto it = std::sregex_iterator(plain.begin(), plain.end(), w); it != std::sregex_iterator(); ++it) ++one_run;
  EXPECT_GE(fonts, 2u);
  EXPECT_EQ(one_run, fonts) << "every font's /W: one run of widths from code 1";
  // Every stream but the pages' contents and the font programs is small; before, each CJK font's CIDToGIDMap was
  // ~80 KB and the whole uncompressed body PDF well over half a megabyte more.
  EXPECT_LT(plain.size(), 200000u * Written().pages) << "uncompressed size";
}

// A bounded pool of libharu handles: however many threads write at once, no more handles than the bound exist,
// and every thread's document is the same bytes.
TEST(pdf_HaruDocumentPool, NeverMoreHandlesThanItsBoundUnderManyThreads) {
  pdf::HaruDocumentPool pool(2);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      for (int k = 0; k < 20; ++k) {
        pdf::HaruDocumentPool::Lease lease = pool.Acquire();
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_LE(pool.created(), 2u);
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);

  const LaidOutDocument doc = LayOutDocument(BodySpec(), SharedFonts());
  std::vector<std::string> out(12);
  threads.clear();
  for (size_t i = 0; i < out.size(); ++i) threads.emplace_back([&, i] { out[i] = pdf::WritePdf(doc); });
  for (auto& t : threads) t.join();
  for (const auto& bytes : out) EXPECT_TRUE(bytes == Written().bytes);
  EXPECT_LE(pdf::HaruDocumentPool::Shared().created(), std::max<size_t>(4, 2 * std::thread::hardware_concurrency()));
}


// libharu hard-codes zlib's default level; the writer chooses it (pdf_writer.cpp, deflateInit_). A different level
// must give different, equally valid bytes — and other zlib users in the process must keep their own level.
TEST(pdf_Writer, DeflateLevelIsOursAndOnlyInsideTheWriter) {
  LaidOutDocument doc = LayOutDocument(BodySpec(), SharedFonts());
  pdf::PdfOptions fast, small;
  fast.deflate_level = 1;
  small.deflate_level = 9;
  const std::string a = pdf::WritePdf(doc, fast), b = pdf::WritePdf(doc, small);
  EXPECT_NE(a, b);
  EXPECT_GT(a.size(), b.size());
  for (const std::string* bytes : {&a, &b}) {
    const std::string path = FreshDir("deflate") + "/d.pdf";
    WriteAll(path, *bytes);
    CommandResult r = RunCommand("qpdf --check '" + path + "'");
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  // Outside WritePdf, zlib's own behaviour: level 9 and level 1 differ for a compressible buffer.
  std::string input(200000, 'a');
  for (size_t i = 0; i < input.size(); i += 7) input[i] = static_cast<char>('a' + (i * 31) % 26);
  auto compress_at = [&](int level) {
    uLongf len = compressBound(input.size());
    std::string out(len, '\0');
    compress2(reinterpret_cast<Bytef*>(&out[0]), &len, reinterpret_cast<const Bytef*>(input.data()), input.size(), level);
    out.resize(len);
    return out;
  };
  EXPECT_NE(compress_at(1).size(), compress_at(9).size());
}

}  // namespace
}  // namespace zhiping
