#include "model/dates.h"

#include <cstdio>

namespace zhiping::model {

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return (month == 2 && IsLeapYear(year)) ? 29 : kDays[month - 1];
}

static bool ReadDigits(const std::string& s, size_t pos, size_t count, int* out) {
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool ParseDate(const std::string& text, bool allow_month_only, Date* out) {
  Date d;
  if (text.size() != 7 && text.size() != 10) return false;
  if (text.size() == 7 && !allow_month_only) return false;
  if (!ReadDigits(text, 0, 4, &d.year) || text[4] != '-' || !ReadDigits(text, 5, 2, &d.month)) return false;
  if (d.year < 1000 || d.month < 1 || d.month > 12) return false;
  if (text.size() == 10) {
    if (text[7] != '-' || !ReadDigits(text, 8, 2, &d.day)) return false;
    if (d.day < 1 || d.day > DaysInMonth(d.year, d.month)) return false;
  }
  if (out) *out = d;
  return true;
}

int CompareDates(const Date& a, const Date& b) {
  if (a.year != b.year) return a.year < b.year ? -1 : 1;
  if (a.month != b.month) return a.month < b.month ? -1 : 1;
  if (a.day == 0 || b.day == 0 || a.day == b.day) return 0;
  return a.day < b.day ? -1 : 1;
}

std::string FormatDate(const Date& d) {
  char buf[16];
  if (d.day == 0) std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
  else std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string ChineseDate(const Date& d) {
  std::string out = std::to_string(d.year) + "年" + std::to_string(d.month) + "月";
  if (d.day != 0) out += std::to_string(d.day) + "日";
  return out;
}

std::string ChineseDateOf(const std::string& text) {
  Date d;
  return ParseDate(text, true, &d) ? ChineseDate(d) : "";
}

}  // namespace zhiping::model
