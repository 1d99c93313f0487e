// The roster's sources: a request held whole, a body kept as text (rows read from it, or handed over typed by another
// thread) — every shipped roster template makes the same workbook from each. A cancelled feed stops the writer and
// leaves nothing.
#include "xlsx/roster_source.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Stringifier.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "support/temp_dir.h"
#include "test_util.h"
#include "xlsx/roster.h"

namespace zhiping::xlsx {
namespace {

using Poco::Dynamic::Var;

std::string Stringify(const Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(v, out);
  return out.str();
}

std::string Book(const std::string& path) {
  std::string error;
  Var book = testing::ReadBack(path, &error);
  EXPECT_EQ(error, "") << path;
  return Stringify(book);
}

const model::ValidationContext kCtx("2022-12-31");

TEST(xlsx_RosterSource, EverySourceMakesTheSameWorkbook) {
  zhiping::testing::ScratchDir dir("sources");
  const std::string text = testing::kBodyJson;
  const model::LazyBody body = model::LazyBody::FromText(text, {model::kApplicantsList, model::kResultsList});
  for (const char* name : {"roster-summary", "roster-qualification", "roster-results"}) {
    SCOPED_TRACE(name);
    auto tmpl = LoadRosterTemplate(testing::TemplatePath(name));
    const model::RosterRequest request = testing::Request(name, testing::Body());
    WriteRoster(*tmpl, request, dir.path() + "/whole.xlsx");

    LazyRosterSource lazy(*tmpl, name, body, request.batch, kCtx);
    WriteRoster(*tmpl, lazy, dir.path() + "/lazy.xlsx");

    RowQueue<FedRow> queue(2, 1);  // tiny batches: the threads hand over many times
    std::thread producer([&] {
      for (const model::Applicant& a : request.applicants) queue.Push(FedRow{a, {}});
      queue.Close();
    });
    LazyRosterSource fed(*tmpl, name, body, request.batch, kCtx, &queue);
    WriteRoster(*tmpl, fed, dir.path() + "/fed.xlsx");
    producer.join();

    // Fed with the partners found and typed by the feeding thread (FeedRow), as render does.
    RowQueue<FedRow> partnered(2, 1);
    std::thread feeder([&] {
      model::LazyBody::Reader reader(body);
      JoinIndex index(name, body, kCtx);
      const model::LazyBody::List* results = body.Find(model::kResultsList);
      for (const model::Applicant& a : request.applicants) {
        partnered.Push(FeedRow(*tmpl, a, index, reader, [&](size_t i) {
          return model::TypedRosterResult(reader, *results, i, kCtx);
        }));
      }
      partnered.Close();
    });
    LazyRosterSource fed_partners(*tmpl, name, body, request.batch, kCtx, &partnered);
    WriteRoster(*tmpl, fed_partners, dir.path() + "/fed-partners.xlsx");
    feeder.join();

    const std::string whole = Book(dir.path() + "/whole.xlsx");
    EXPECT_NE(whole.find("张三"), std::string::npos);
    EXPECT_EQ(Book(dir.path() + "/lazy.xlsx"), whole);
    EXPECT_EQ(Book(dir.path() + "/fed.xlsx"), whole);
    EXPECT_EQ(Book(dir.path() + "/fed-partners.xlsx"), whole);
  }
}

TEST(xlsx_RosterSource, ACancelledFeedStopsTheWriterAndLeavesNothing) {
  zhiping::testing::ScratchDir dir("source-cancel");
  auto tmpl = LoadRosterTemplate(testing::TemplatePath("roster-summary"));
  const model::LazyBody body = model::LazyBody::FromText(testing::kBodyJson, {model::kApplicantsList});
  const model::RosterRequest request = testing::Request("roster-summary", testing::Body());
  RowQueue<FedRow> queue;
  queue.Cancel();
  LazyRosterSource fed(*tmpl, "roster-summary", body, request.batch, kCtx, &queue);
  try {
    WriteRoster(*tmpl, fed, dir.path() + "/out.xlsx");
    FAIL() << "wrote with a cancelled feed";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(xlsx_RosterSource, AJoinMatchesTheFirstElementWithTheKey) {
  auto tmpl = LoadRosterTemplate(testing::TemplatePath("roster-results"));
  model::RosterRequest request = testing::Request("roster-results", testing::Body());
  RequestRosterSource source(*tmpl, request);
  const RosterJoin& join = tmpl->joins.at(0);
  templating::Selection score;
  score.Add("exam.score");
  templating::RowReads reads(score);
  templating::Data partner;
  ASSERT_TRUE(source.Partner(join, "ZG2022-000002", reads, &partner));
  EXPECT_EQ(templating::TextOf(partner.get("exam")->get("score")), "58.5");
  EXPECT_FALSE(source.Partner(join, "ZG2022-000003", reads, &partner)) << "李四 has no result";
  EXPECT_FALSE(source.Partner(join, "", reads, &partner));
}

}  // namespace
}  // namespace zhiping::xlsx
