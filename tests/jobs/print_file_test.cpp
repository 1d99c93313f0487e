// The print file of a round's letters against the real pipeline: letters issued, signed and archived for real, merged
// from the archive, and read back with qpdf and poppler (pdfinfo, pdftotext).
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <fstream>
#include <set>
#include <sstream>

#include "archive/archive.h"
#include "issuing/issuer.h"
#include "jobs/bulk_letters.h"
#include "jobs/print_file.h"
#include "render/renderer.h"
#include "support/bulk_samples.h"
#include "support/files.h"
#include "support/json_edit.h"
#include "support/pdfa_check.h"
#include "support/repo_renderer.h"
#include "support/run_command.h"
#include "support/samples.h"
#include "support/temp_dir.h"

namespace zhiping::jobs {
namespace {

using testing::Quote;
using testing::RunCommand;

// samples/bulk-letters.json cut to `count` items; items in `failing` get a gender the rules refuse (their name
// stays, so the index can show who failed).
std::string Body(size_t count, const std::set<size_t>& failing) {
  auto root = testing::SampleJson("bulk-letters").extract<Poco::JSON::Object::Ptr>();
  auto items = root->getArray("items");
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (size_t i = 0; i < count && i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    if (failing.count(i)) item->getObject("applicant")->set("gender", std::string("未知"));
    out->add(item);
  }
  root->set("items", out);
  std::ostringstream ss;
  root->stringify(ss);
  return ss.str();
}

int PageCount(const std::string& path) {
  auto r = RunCommand("qpdf --show-npages " + Quote(path));
  EXPECT_EQ(r.exit_code, 0) << r.output();
  return std::atoi(r.out.c_str());
}

std::string PageText(const std::string& path, int page) {
  auto r = RunCommand("pdftotext -q -layout -f " + std::to_string(page) + " -l " + std::to_string(page) + " " +
                      Quote(path) + " -");
  EXPECT_EQ(r.exit_code, 0) << r.output();
  return r.out;
}

std::string Squeeze(const std::string& s) {  // text without spaces and line breaks (layout differs, text must not)
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\f') out += c;
  return out;
}

TEST(jobs_PrintFile, IndexBlanksAndEveryLetterOnTheOddPageTheIndexNames) {
  const std::string dir = testing::FreshDir("print");
  issuing::IssuerConfig c;
  c.archive_root = dir + "/archive";
  c.signer.dev_identity_dir = dir + "/.zhiping/dev-identity";
  issuing::Issuer issuer(c, testing::SharedRenderer());
  const BulkBody body = BulkBody::Parse(Body(9, {3}));
  BulkResult r = RunBulk(issuer, body, {"clerk", "urn:zhiping:user:clerk"}, "print test", BulkOptions());
  ASSERT_EQ(r.issued.size(), 8u);
  ASSERT_EQ(r.failed.size(), 1u);

  const std::vector<PrintEntry> entries = PrintEntries(body, r.issued);
  ASSERT_EQ(entries.size(), 9u);
  EXPECT_TRUE(entries[3].object_id.empty());
  const std::string out = dir + "/print.pdf";
  PrintSummary s;
  {
    std::ofstream f(out, std::ios::binary);
    s = WritePrintFile(issuer.store(), *issuer.renderer().font_set(), PrintIndexOf(LettersKind()), entries, f);
    ASSERT_TRUE(f.good());
  }
  auto check = RunCommand("qpdf --check " + Quote(out));
  EXPECT_EQ(check.exit_code, 0) << check.output();
  EXPECT_NE(check.out.find("No syntax or stream encoding errors found"), std::string::npos) << check.output();
  // PDF/A-2b (docs/pdfa.md): the print file, and an issued letter as archived (the issuer passes title and office).
  for (const std::string& problem : testing::PdfAProblems(out)) ADD_FAILURE() << "print file: " << problem;
  testing::WriteAll(dir + "/issued.pdf", issuer.store().Read(entries[0].object_id, entries[0].path, entries[0].version));
  for (const std::string& problem : testing::PdfAProblems(dir + "/issued.pdf")) ADD_FAILURE() << "letter: " << problem;
  EXPECT_NE(RunCommand("pdfinfo " + Quote(out)).out.find("评审结果通知书打印文件"), std::string::npos);

  // Page count: the letters' own pages (counted in the archived originals) + blanks + index.
  int letter_pages = 0, odd_letters = 0;
  std::vector<std::string> originals(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].object_id.empty()) continue;
    originals[i] = dir + "/letter-" + std::to_string(i) + ".pdf";
    testing::WriteAll(originals[i], issuer.store().Read(entries[i].object_id, entries[i].path, entries[i].version));
    const int n = PageCount(originals[i]);
    letter_pages += n;
    odd_letters += n % 2;
  }
  ASSERT_GE(s.index_pages, 1u);
  const int index_padded = static_cast<int>(s.index_pages + s.index_pages % 2);
  EXPECT_EQ(s.blank_pages, static_cast<size_t>(odd_letters + static_cast<int>(s.index_pages % 2)));
  EXPECT_EQ(PageCount(out), letter_pages + static_cast<int>(s.blank_pages) + static_cast<int>(s.index_pages));
  EXPECT_EQ(static_cast<int>(s.pages), PageCount(out));
  EXPECT_EQ(s.documents, 8u);
  EXPECT_EQ(s.failed, 1u);

  // The index: every row's page number is where that letter's first page is, odd, and the failed one has none.
  std::string index;
  for (int p = 1; p <= static_cast<int>(s.index_pages); ++p) index += PageText(out, p);
  EXPECT_NE(index.find("序号"), std::string::npos) << index;
  EXPECT_NE(index.find("页码"), std::string::npos) << index;
  std::istringstream lines(index);
  std::string line;
  std::set<size_t> listed;
  while (std::getline(lines, line)) {
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].name.empty() || line.find(entries[i].name) == std::string::npos) continue;
      listed.insert(i);
      const std::string last = line.substr(line.find_last_not_of(' ') == std::string::npos
                                               ? 0
                                               : line.find_last_of(' ', line.find_last_not_of(' ')) + 1);
      if (entries[i].object_id.empty()) {
        EXPECT_NE(line.find("未生成"), std::string::npos) << line;
        EXPECT_EQ(s.first_pages[i], 0);
        continue;
      }
      const int page = std::atoi(last.c_str());
      EXPECT_EQ(page, s.first_pages[i]) << line;
      EXPECT_EQ(page % 2, 1) << "letter " << i << " starts on an even page: " << line;
      EXPECT_GT(page, index_padded);
      // The text of that page is the archived letter's first page.
      EXPECT_EQ(Squeeze(PageText(out, page)), Squeeze(PageText(originals[i], 1))) << "letter " << i;
      EXPECT_NE(PageText(out, page).find(entries[i].name), std::string::npos) << "letter " << i;
    }
  }
  EXPECT_EQ(listed.size(), entries.size()) << index;
}

// A bulk run of `kind` issued for real and its print file written and read back; the checks every print file must
// pass: qpdf --check clean; pages = the documents' own pages (counted in the archived originals) + blanks + index;
// every document's pages, in order, from the odd page the summary gives, each page's text the original's; a blank
// page after each document with an odd number of pages.
struct Printed {
  std::vector<PrintEntry> entries;
  PrintSummary summary;
  std::string index;  // the index pages' text
};

Printed IssueAndPrint(const BulkKind& kind, const std::string& body_text, size_t failed) {
  const std::string dir = testing::FreshDir(std::string("print-") + kind.name);
  issuing::IssuerConfig c;
  c.archive_root = dir + "/archive";
  c.signer.dev_identity_dir = dir + "/.zhiping/dev-identity";
  issuing::Issuer issuer(c, testing::SharedRenderer());
  const BulkBody body = BulkBody::Parse(body_text, kind);
  EXPECT_TRUE(body.EnvelopeProblems(100).empty());
  BulkResult r = RunBulk(issuer, body, {"clerk", "urn:zhiping:user:clerk"}, "print test", BulkOptions());
  EXPECT_EQ(r.failed.size(), failed);
  EXPECT_EQ(r.issued.size(), body.size() - failed);
  Printed p;
  p.entries = PrintEntries(body, r.issued);
  const std::string out = dir + "/print.pdf";
  {
    std::ofstream f(out, std::ios::binary);
    p.summary = WritePrintFile(issuer.store(), *issuer.renderer().font_set(), PrintIndexOf(kind), p.entries, f);
    EXPECT_TRUE(f.good());
  }
  auto check = RunCommand("qpdf --check " + Quote(out));
  EXPECT_EQ(check.exit_code, 0) << check.output();
  for (const std::string& problem : testing::PdfAProblems(out)) ADD_FAILURE() << kind.name << " print file: " << problem;
  const PrintSummary& s = p.summary;
  EXPECT_EQ(s.documents, body.size() - failed);
  EXPECT_EQ(s.failed, failed);
  int own_pages = 0;
  size_t odd = 0;
  for (size_t i = 0; i < p.entries.size(); ++i) {
    const PrintEntry& e = p.entries[i];
    if (e.object_id.empty()) {
      EXPECT_EQ(s.first_pages[i], 0);
      continue;
    }
    const std::string original = dir + "/document-" + std::to_string(i) + ".pdf";
    testing::WriteAll(original, issuer.store().Read(e.object_id, e.path, e.version));
    if (i == 0)  // every kind's issued document is PDF/A-2b (photos, tables and all)
      for (const std::string& problem : testing::PdfAProblems(original)) ADD_FAILURE() << kind.name << ": " << problem;
    const int n = PageCount(original);
    own_pages += n;
    odd += n % 2;
    EXPECT_EQ(s.first_pages[i] % 2, 1) << kind.name << " " << i << " starts on an even page";
    for (int k = 0; k < n; ++k)
      EXPECT_EQ(Squeeze(PageText(out, s.first_pages[i] + k)), Squeeze(PageText(original, 1 + k)))
          << kind.name << " " << i << ", its page " << k + 1;
    if (n % 2) {
      EXPECT_EQ(Squeeze(PageText(out, s.first_pages[i] + n)), "") << "the blank after " << i;
    }
  }
  EXPECT_EQ(s.blank_pages, odd + s.index_pages % 2);
  EXPECT_EQ(PageCount(out), own_pages + static_cast<int>(s.blank_pages + s.index_pages));
  EXPECT_EQ(static_cast<int>(s.pages), PageCount(out));
  for (int k = 1; k <= static_cast<int>(s.index_pages); ++k) p.index += PageText(out, k);
  return p;
}

TEST(jobs_PrintFile, ReviewFormsOnePerApplicantEachOnItsOwnSheet) {
  const Printed p = IssueAndPrint(*FindBulkKind("review-forms"), testing::ReviewFormsBody(4, {2}), 1);
  EXPECT_NE(p.index.find("评审表打印文件"), std::string::npos) << p.index;
  EXPECT_NE(p.index.find("姓名"), std::string::npos) << p.index;
  EXPECT_NE(p.index.find("工作单位"), std::string::npos) << p.index;
  EXPECT_NE(p.index.find("未生成"), std::string::npos) << p.index;  // item 2 has no name: listed, no page
  for (size_t i : {0, 1, 3}) {
    EXPECT_NE(p.index.find(testing::ReviewFormName(i)), std::string::npos) << i << p.index;
    EXPECT_NE(p.index.find(" " + std::to_string(p.summary.first_pages[i]) + "\n"), std::string::npos) << i << p.index;
  }
  EXPECT_EQ(p.entries[0].path, "review-form.pdf");
}

TEST(jobs_PrintFile, ReportsOnePerCommitteeListedByCommitteeAndDocumentNumber) {
  const Printed p = IssueAndPrint(*FindBulkKind("reports"), testing::ReportsBody(3), 0);
  EXPECT_NE(p.index.find("评审委员会报告打印文件"), std::string::npos) << p.index;
  EXPECT_NE(p.index.find("评审委员会"), std::string::npos) << p.index;
  EXPECT_NE(p.index.find("文号"), std::string::npos) << p.index;
  for (size_t i = 0; i < 3; ++i) {
    // The report's row: 序号, its 文号 on one line, and the page it starts on.
    const std::string doc_no = "杭政职评〔2022〕" + std::to_string(i + 5) + "号";
    std::istringstream lines(p.index);
    std::string line, row;
    while (std::getline(lines, line))
      if (Squeeze(line).find(doc_no) != std::string::npos) row = Squeeze(line);
    EXPECT_EQ(row, std::to_string(i + 1) + doc_no + std::to_string(p.summary.first_pages[i])) << p.index;
    EXPECT_EQ(p.entries[i].path, "report-c" + std::to_string(i) + ".pdf");
  }
}

}  // namespace
}  // namespace zhiping::jobs
