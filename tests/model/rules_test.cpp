// The shared rules on their own: ids, identity numbers, dates, base64.
#include <gtest/gtest.h>

#include "model/dates.h"
#include "model/id_number.h"
#include "model/photo.h"
#include "model/validate.h"

namespace zhiping::model {
namespace {

TEST(model_Rules, ApplicantId) {
  EXPECT_TRUE(IsValidApplicantId("ZG2022-000123"));
  EXPECT_TRUE(IsValidApplicantId("a.b_c-D9"));
  EXPECT_TRUE(IsValidApplicantId(std::string(64, 'x')));
  EXPECT_FALSE(IsValidApplicantId(""));
  EXPECT_FALSE(IsValidApplicantId(std::string(65, 'x')));
  EXPECT_FALSE(IsValidApplicantId("../etc"));
  EXPECT_FALSE(IsValidApplicantId("张三"));
  EXPECT_FALSE(IsValidApplicantId("a b"));
}

TEST(model_Rules, IsoDates) {
  EXPECT_TRUE(IsIsoDate("2022-07-27", false));
  EXPECT_TRUE(IsIsoDate("2020-02-29", false));
  EXPECT_TRUE(IsIsoDate("2000-02-29", false));
  EXPECT_FALSE(IsIsoDate("2100-02-29", false));
  EXPECT_FALSE(IsIsoDate("2022-02-29", false));
  EXPECT_FALSE(IsIsoDate("2022-04-31", false));
  EXPECT_FALSE(IsIsoDate("2022-13-01", false));
  EXPECT_FALSE(IsIsoDate("2022-7-27", false));
  EXPECT_FALSE(IsIsoDate("2022-07-27T00:00", false));
  EXPECT_FALSE(IsIsoDate("2022-07", false));
  EXPECT_TRUE(IsIsoDate("2022-07", true));
  EXPECT_FALSE(IsIsoDate("2022-00", true));
  EXPECT_FALSE(IsIsoDate("", true));
}

TEST(model_Rules, CompareAtCoarserPrecision) {
  PartialDate month, day, later;
  ASSERT_TRUE(ParseDate("2002-07", true, &month));
  ASSERT_TRUE(ParseDate("2002-07-15", false, &day));
  ASSERT_TRUE(ParseDate("2002-08-01", false, &later));
  EXPECT_EQ(CompareDates(month, day), 0);
  EXPECT_LT(CompareDates(day, later), 0);
  EXPECT_GT(CompareDates(later, month), 0);
}

TEST(model_Rules, WorkingDays) {
  PartialDate start, end;
  ASSERT_TRUE(ParseDate("2022-12-01", false, &start));  // a Thursday
  ASSERT_TRUE(ParseDate("2022-12-07", false, &end));
  EXPECT_EQ(WorkingDaysBetween(start, end), 5);
  ASSERT_TRUE(ParseDate("2022-12-04", false, &end));    // Sunday
  EXPECT_EQ(WorkingDaysBetween(start, end), 2);
  EXPECT_EQ(WorkingDaysBetween(end, start), 0);
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

TEST(model_Rules, PhotoSignatures) {
  EXPECT_EQ(PhotoDataProblem("image/jpeg", "/9j/4AAQ", "/p/media_type"), "");  // FF D8 FF E0 00 10
  EXPECT_EQ(PhotoDataProblem("image/png", "iVBORw0KGgo=", "/p/media_type"), "");
  EXPECT_NE(PhotoDataProblem("image/png", "/9j/4AAQ", "/p/media_type").find("is a JPEG image but /p/media_type"),
            std::string::npos);
}

}  // namespace
}  // namespace zhiping::model
