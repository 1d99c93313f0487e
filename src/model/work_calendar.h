// model/work_calendar.h — which days are working days, for rules such as "the publicity period lasts at least
// 5 working days" (domain.md). Monday–Friday, minus public holidays, plus the weekend days made working days in
// exchange (调休). The State Council publishes each year's dates late the year before; the years listed in
// work_calendar.cpp are built in, and an office adds later years (or corrects one) with a calendar file
// (configuration key calendar.file), one entry per line:
//
//   2027-01-01 holiday            # 元旦
//   2027-02-06..2027-02-12 holiday
//   2027-02-14 workday            # 调休上班
//
// A file entry replaces the built-in one for the same day. For a year with no entries only weekends are known, and
// WorkingDaysBetween says so (KnowsYear).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/dates.h"

namespace zhiping::model {

class WorkCalendar {
 public:
  // The built-in dates (shared; immutable).
  static std::shared_ptr<const WorkCalendar> BuiltIn();
  // The built-in dates plus the file's. Throws zhiping::Error kNotFound when the file cannot be read and
  // kInvalidInput naming `path:line` for a line that is not "DATE[..DATE] holiday|workday [# comment]".
  static std::shared_ptr<const WorkCalendar> WithFile(const std::string& path);

  bool IsWorkingDay(const Date& day) const;  // `day` must have a day
  // Working days from `start` to `end`, both included; 0 when end is before start; counts at most a year.
  int WorkingDaysBetween(const Date& start, const Date& end) const;
  bool KnowsYear(int year) const;  // holidays of `year` are listed (built in or from a file)
  std::vector<int> Years() const;  // the years with entries, ascending

 private:
  // Adds "DATE[..DATE] holiday|workday" lines of `text`; problems are named `source:line`.
  void AddLines(const std::string& text, const std::string& source);

  std::map<long, bool> days_;  // day number (days since 1970-01-01) -> a working day?
  std::map<int, int> years_;   // year -> entries
};

}  // namespace zhiping::model
