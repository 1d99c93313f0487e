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
#include "support/files.h"
#include "support/json_edit.h"
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

}  // namespace
}  // namespace zhiping::jobs
