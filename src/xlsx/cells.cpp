#include "xlsx/cells.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/utf8.h"

namespace zhiping::xlsx {

static bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

static int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool ParseIsoDate(std::string_view s, IsoDate* out) {
  IsoDate d;
  if (s.size() != 7 && s.size() != 10) return false;
  if (!Digits(s, 0, 4, &d.year) || s[4] != '-' || !Digits(s, 5, 2, &d.month)) return false;
  if (d.year < 1900 || d.month < 1 || d.month > 12) return false;
  if (s.size() == 10) {
    if (s[7] != '-' || !Digits(s, 8, 2, &d.day)) return false;
    if (d.day < 1 || d.day > DaysInMonth(d.year, d.month)) return false;
  }
  *out = d;
  return true;
}

int WholeYearsBetween(const IsoDate& from, const IsoDate& until) {
  int from_day = from.day == 0 ? 1 : from.day;
  int until_day = until.day == 0 ? 1 : until.day;
  int years = until.year - from.year;
  if (until.month < from.month || (until.month == from.month && until_day < from_day)) --years;
  return std::max(years, 0);
}

bool ParseDecimal(std::string_view s, double* out) {
  // Grammar: -?digits(.digits)?([eE][+-]?digits)?  — checked by hand because strtod also takes hex, inf and spaces.
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == int_start) return false;
  if (i < s.size() && s[i] == '.') {
    size_t frac_start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == frac_start) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == exp_start) return false;
  }
  if (i != s.size()) return false;
  std::string copy(s);
  double v = std::strtod(copy.c_str(), nullptr);
  if (!std::isfinite(v)) return false;
  *out = v;
  return true;
}

static bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) ||   // Hangul Jamo
         (c >= 0x2010 && c <= 0x2027) ||   // —…“” as CJK fonts draw them
         (c >= 0x2E80 && c <= 0xA4CF) ||   // CJK radicals, punctuation, kana, CJK Ext A, unified ideographs, Yi
         (c >= 0xAC00 && c <= 0xD7A3) ||   // Hangul syllables
         (c >= 0xF900 && c <= 0xFAFF) ||   // CJK compatibility ideographs
         (c >= 0xFE30 && c <= 0xFE4F) ||   // CJK compatibility forms
         (c >= 0xFF00 && c <= 0xFF60) ||   // fullwidth forms （），
         (c >= 0xFFE0 && c <= 0xFFE6) ||
         (c >= 0x20000 && c <= 0x3FFFD);   // CJK Ext B and beyond (𠮷)
}

int DisplayWidth(std::string_view utf8) {
  std::u32string cps;
  size_t bad = 0;
  if (!DecodeUtf8(utf8, &cps, &bad)) return static_cast<int>(utf8.size());
  int width = 0;
  for (char32_t c : cps) width += IsWide(c) ? 2 : 1;
  return width;
}

double AutoColumnWidth(int display_width) {
  // Excel's unit is the width of '0' in the default font; a CJK glyph is about two of them. +2 leaves room for the
  // autofilter button in the header and for cell padding.
  double width = display_width * 1.1 + 2;
  return std::clamp(width, 6.0, 60.0);
}

}  // namespace zhiping::xlsx
