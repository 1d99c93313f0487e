// model/dates.h — the one date type: calendar dates as the contract writes them, "YYYY-MM-DD", or "YYYY-MM" when
// only a month is known. Every stage that reads, compares or prints a date of the body uses this type and these
// functions (there is no second date parser).
//
// Data mixes both precisions ("birth": "1980-01" next to "work_start": "2002-07-15"), so comparisons are made at the
// coarser of the two: "2002-07" is neither before nor after "2002-07-15". That never flags a date the user could
// not have written more precisely.
#pragma once

#include <string>

namespace zhiping::model {

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;  // 0 when only the month is known
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

// Strict: four-digit year, two-digit month and day, a real calendar day (no 2022-02-30). Nothing else around it.
bool ParseDate(const std::string& text, bool allow_month_only, Date* out);

// <0, 0, >0 at the coarser precision of the two.
int CompareDates(const Date& a, const Date& b);

// "2022-07-27" / "2022-07".
std::string FormatDate(const Date& d);
// "2022年7月27日" / "2022年7月": how documents print a date (the view's X_cn fields).
std::string ChineseDate(const Date& d);
// ChineseDate of `text` when it parses as a date (month-only allowed); "" otherwise.
std::string ChineseDateOf(const std::string& text);

}  // namespace zhiping::model
