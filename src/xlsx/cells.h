// xlsx/cells.h — how one value becomes one cell: dates, numbers, years, and how wide text looks.
//
// Kept apart from the writer so the rules (what counts as a date, how wide 中文 is) are tested on their own.
#pragma once

#include <string>
#include <string_view>

namespace zhiping::xlsx {

struct IsoDate {
  int year = 0, month = 0, day = 0;  // day == 0 when only the month is known ("1980-01")
};

// Strict ISO YYYY-MM-DD or YYYY-MM with a real calendar day and year 1900..9999 (Excel's date range).
bool ParseIsoDate(std::string_view text, IsoDate* out);

// Whole years from `from` to `until`; a month-only date counts as its first day. Negative spans give 0.
int WholeYearsBetween(const IsoDate& from, const IsoDate& until);

// A plain decimal number ("86", "-3.5", "1e3"); no hex, inf, nan, spaces or leading '+'. So "0571" is a number, but
// ID numbers and phones are kText columns and never reach here.
bool ParseDecimal(std::string_view text, double* out);

// Width as a spreadsheet shows it: CJK and fullwidth characters count 2, others 1. Invalid UTF-8 counts per byte.
int DisplayWidth(std::string_view utf8);

// Column width in Excel units for text of DisplayWidth `display_width`, with padding, clamped to 6..60.
double AutoColumnWidth(int display_width);

}  // namespace zhiping::xlsx
