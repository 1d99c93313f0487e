#include "xlsx/cells.h"

#include <gtest/gtest.h>

namespace zhiping::xlsx {
namespace {

TEST(xlsx_Cells, IsoDates) {
  IsoDate d;
  ASSERT_TRUE(ParseIsoDate("2022-09-15", &d));
  EXPECT_EQ(d.year, 2022);
  EXPECT_EQ(d.month, 9);
  EXPECT_EQ(d.day, 15);
  ASSERT_TRUE(ParseIsoDate("1980-01", &d));
  EXPECT_EQ(d.day, 0);
  EXPECT_TRUE(ParseIsoDate("2020-02-29", &d));
  EXPECT_FALSE(ParseIsoDate("2021-02-29", &d));
  EXPECT_FALSE(ParseIsoDate("1900-02-29", &d));
  EXPECT_FALSE(ParseIsoDate("2022-13", &d));
  EXPECT_FALSE(ParseIsoDate("2022-9-1", &d));
  EXPECT_FALSE(ParseIsoDate("1899-12-31", &d));  // before Excel's calendar
  EXPECT_FALSE(ParseIsoDate("2022年9月", &d));
  EXPECT_FALSE(ParseIsoDate("", &d));
}

TEST(xlsx_Cells, WholeYears) {
  IsoDate since, deadline, day_before;
  ParseIsoDate("2015-12", &since);
  ParseIsoDate("2022-09-15", &deadline);
  EXPECT_EQ(WholeYearsBetween(since, deadline), 6);
  ParseIsoDate("2016-09-15", &since);
  EXPECT_EQ(WholeYearsBetween(since, deadline), 6);
  ParseIsoDate("2016-09-16", &day_before);
  EXPECT_EQ(WholeYearsBetween(day_before, deadline), 5);
  EXPECT_EQ(WholeYearsBetween(deadline, since), 0);
}

TEST(xlsx_Cells, Decimals) {
  double v = 0;
  EXPECT_TRUE(ParseDecimal("86", &v));
  EXPECT_EQ(v, 86);
  EXPECT_TRUE(ParseDecimal("-3.5", &v));
  EXPECT_EQ(v, -3.5);
  EXPECT_TRUE(ParseDecimal("1e3", &v));
  EXPECT_EQ(v, 1000);
  for (const char* bad : {"", "-", "1.", ".5", "0x10", "inf", "nan", " 1", "1 ", "+1", "=1+1", "1e", "８６"}) {
    EXPECT_FALSE(ParseDecimal(bad, &v)) << bad;
  }
}

TEST(xlsx_Cells, DisplayWidthCountsCjkTwice) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("姓名"), 4);
  EXPECT_EQ(DisplayWidth("吉𠮷"), 4);
  EXPECT_EQ(DisplayWidth("（宣传部）"), 10);
  EXPECT_EQ(DisplayWidth("0571-87052402"), 13);
  EXPECT_EQ(AutoColumnWidth(0), 6);
  EXPECT_EQ(AutoColumnWidth(1000), 60);
  EXPECT_GE(AutoColumnWidth(20), 20);
}

}  // namespace
}  // namespace zhiping::xlsx
