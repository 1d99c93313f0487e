// The shared rules on their own: ids, identity numbers, dates, base64.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "common/error.h"
#include "common/ids.h"
#include "model/dates.h"
#include "model/id_number.h"
#include "model/photo.h"
#include "test_images.h"
#include "model/validate.h"
#include "model/work_calendar.h"

namespace zhiping::model {
namespace {

TEST(model_Rules, ApplicantId) {
  EXPECT_TRUE(IsValidId("ZG2022-000123"));
  EXPECT_TRUE(IsValidId("a.b_c-D9"));
  EXPECT_TRUE(IsValidId(std::string(64, 'x')));
  EXPECT_FALSE(IsValidId(""));
  EXPECT_FALSE(IsValidId(std::string(65, 'x')));
  EXPECT_FALSE(IsValidId("../etc"));
  EXPECT_FALSE(IsValidId(".."));
  EXPECT_FALSE(IsValidId("."));
  EXPECT_TRUE(IsValidId("..a"));
  EXPECT_FALSE(IsValidId("张三"));
  EXPECT_FALSE(IsValidId("a b"));
}

TEST(model_Rules, IsoDates) {
  EXPECT_TRUE(ParseDate("2022-07-27", false, nullptr));
  EXPECT_TRUE(ParseDate("2020-02-29", false, nullptr));
  EXPECT_TRUE(ParseDate("2000-02-29", false, nullptr));
  EXPECT_FALSE(ParseDate("2100-02-29", false, nullptr));
  EXPECT_FALSE(ParseDate("2022-02-29", false, nullptr));
  EXPECT_FALSE(ParseDate("2022-04-31", false, nullptr));
  EXPECT_FALSE(ParseDate("2022-13-01", false, nullptr));
  EXPECT_FALSE(ParseDate("2022-7-27", false, nullptr));
  EXPECT_FALSE(ParseDate("2022-07-27T00:00", false, nullptr));
  EXPECT_FALSE(ParseDate("2022-07", false, nullptr));
  EXPECT_TRUE(ParseDate("2022-07", true, nullptr));
  EXPECT_FALSE(ParseDate("2022-00", true, nullptr));
  EXPECT_FALSE(ParseDate("", true, nullptr));
}

TEST(model_Rules, CompareAtCoarserPrecision) {
  Date month, day, later;
  ASSERT_TRUE(ParseDate("2002-07", true, &month));
  ASSERT_TRUE(ParseDate("2002-07-15", false, &day));
  ASSERT_TRUE(ParseDate("2002-08-01", false, &later));
  EXPECT_EQ(CompareDates(month, day), 0);
  EXPECT_LT(CompareDates(day, later), 0);
  EXPECT_GT(CompareDates(later, month), 0);
}

Date Day(const std::string& text) {
  Date d;
  EXPECT_TRUE(ParseDate(text, false, &d)) << text;
  return d;
}

TEST(model_Rules, WorkingDays) {
  const WorkCalendar& china = *WorkCalendar::BuiltIn();
  EXPECT_EQ(china.WorkingDaysBetween(Day("2022-12-01"), Day("2022-12-07")), 5);  // Thursday to Wednesday
  EXPECT_EQ(china.WorkingDaysBetween(Day("2022-12-01"), Day("2022-12-04")), 2);  // to Sunday
  EXPECT_EQ(china.WorkingDaysBetween(Day("2022-12-04"), Day("2022-12-01")), 0);
  // 国庆 2022: 10-01..10-07 off, Saturday 10-08 and Sunday 10-09 worked. Monday to Friday alone would say 7.
  EXPECT_EQ(china.WorkingDaysBetween(Day("2022-09-29"), Day("2022-10-09")), 4);
  EXPECT_TRUE(china.IsWorkingDay(Day("2022-10-08")));
  EXPECT_FALSE(china.IsWorkingDay(Day("2022-10-03")));
  // 春节 2026: 02-15..02-23 off; Saturday 02-14 and 02-28 worked. Monday to Friday alone would say 15.
  EXPECT_EQ(china.WorkingDaysBetween(Day("2026-02-09"), Day("2026-02-28")), 11);
  EXPECT_TRUE(china.KnowsYear(2022));
  EXPECT_TRUE(china.KnowsYear(2026));
  EXPECT_FALSE(china.KnowsYear(2027));
  EXPECT_EQ(china.Years().front(), 2022);
}

TEST(model_Rules, CalendarFileAddsAYearAndReplacesBuiltInDays) {
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/zhiping-calendar-test.conf";
  {
    std::ofstream f(path);
    f << "# an office's additions\n\n2027-02-06..2027-02-12 holiday  # 春节\n2027-02-14 workday\n"
      << "2022-10-07 workday   # a correction of a built-in day\n";
  }
  auto calendar = WorkCalendar::WithFile(path);
  EXPECT_TRUE(calendar->KnowsYear(2027));
  EXPECT_FALSE(calendar->IsWorkingDay(Day("2027-02-08")));  // a Monday inside the holiday
  EXPECT_TRUE(calendar->IsWorkingDay(Day("2027-02-14")));   // a Sunday worked
  EXPECT_TRUE(calendar->IsWorkingDay(Day("2022-10-07")));
  EXPECT_FALSE(WorkCalendar::BuiltIn()->IsWorkingDay(Day("2022-10-07")));  // the built-in one is untouched

  for (const char* line : {"2027-13-01 holiday", "2027-01-01 vacation", "2027-01-01 holiday extra",
                           "2027-02-12..2027-02-06 holiday"}) {
    std::ofstream(path) << "# ok\n" << line << "\n";
    try {
      WorkCalendar::WithFile(path);
      ADD_FAILURE() << line;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << line;
      EXPECT_NE(std::string(e.what()).find(path + ":2: "), std::string::npos) << e.what();
    }
  }
  std::remove(path.c_str());
  try {
    WorkCalendar::WithFile(path);
    ADD_FAILURE() << "a missing file";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
}

TEST(model_Rules, IdNumber) {
  // GB 11643 worked example: 11010519491231002 -> check character X.
  EXPECT_EQ(IdNumberCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(IdNumberProblem("11010519491231002X"), "");
  EXPECT_EQ(IdNumberProblem("110105194912310021"), "checksum digit should be X");
  EXPECT_EQ(IdNumberProblem("11010519491231002"), "must be 18 characters (has 17)");
  IdNumberFacts facts;
  ASSERT_EQ(CheckIdNumber("11010519491231002X", &facts), "");
  EXPECT_EQ(FormatDate(facts.birth), "1949-12-31");
  EXPECT_FALSE(facts.male);  // sequence 002: even
}

TEST(model_Rules, Base64) {
  std::string out;
  EXPECT_TRUE(DecodeBase64("SGVsbG8=", &out));
  EXPECT_EQ(out, "Hello");
  EXPECT_TRUE(DecodeBase64("SGVs\nbG8", &out));  // wrapped, unpadded
  EXPECT_EQ(out, "Hello");
  EXPECT_FALSE(DecodeBase64("SGVsbG8==", &out));  // too much padding
  EXPECT_FALSE(DecodeBase64("SGVsbG8=x", &out));  // data after padding
  EXPECT_FALSE(DecodeBase64("SGVsb", &out));      // a lone symbol
  EXPECT_FALSE(DecodeBase64("SGVsbG9=", &out));  // leftover bits not zero
  EXPECT_FALSE(DecodeBase64("SGV*", &out));
}

TEST(model_Rules, PhotoSignaturesAndDecoding) {
  const std::string jpeg = testimages::Base64(testimages::MakeJpeg({}));
  const std::string png = testimages::Base64(testimages::MakePng({}));
  EXPECT_EQ(PhotoDataProblem("image/jpeg", jpeg, "/p/media_type"), "");
  EXPECT_EQ(PhotoDataProblem("image/png", png, "/p/media_type"), "");
  EXPECT_NE(PhotoDataProblem("image/png", jpeg, "/p/media_type").find("is a JPEG image but /p/media_type"),
            std::string::npos);
  // A signature alone is no longer enough: the photo must decode whole.
  EXPECT_EQ(PhotoDataProblem("image/jpeg", "/9j/4AAQ", "/p/media_type"),
            "cannot be read as a JPEG: Premature end of JPEG file");
  EXPECT_EQ(PhotoDataProblem("image/png", "iVBORw0KGgo=", "/p/media_type"),
            "cannot be read as a PNG: the file ends early (truncated)");
}

}  // namespace
}  // namespace zhiping::model
