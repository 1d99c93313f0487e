#include "model/work_calendar.h"

#include <sstream>

#include "common/error.h"
#include "common/json.h"

namespace zhiping::model {

namespace {

// From the General Office of the State Council's yearly notices on public holidays (国务院办公厅关于…部分节假日
// 安排的通知), 2022 to 2026. Weekend days inside a holiday are listed too; they change nothing but keep each
// holiday whole and recognisable.
const char kChina[] = R"(
# 2022
2022-01-01..2022-01-03 holiday  # 元旦
2022-01-29 workday
2022-01-30 workday
2022-01-31..2022-02-06 holiday  # 春节
2022-04-02 workday
2022-04-03..2022-04-05 holiday  # 清明节
2022-04-24 workday
2022-04-30..2022-05-04 holiday  # 劳动节
2022-05-07 workday
2022-06-03..2022-06-05 holiday  # 端午节
2022-09-10..2022-09-12 holiday  # 中秋节
2022-10-01..2022-10-07 holiday  # 国庆节
2022-10-08 workday
2022-10-09 workday
# 2023
2022-12-31..2023-01-02 holiday  # 元旦
2023-01-21..2023-01-27 holiday  # 春节
2023-01-28 workday
2023-01-29 workday
2023-04-05 holiday              # 清明节
2023-04-23 workday
2023-04-29..2023-05-03 holiday  # 劳动节
2023-05-06 workday
2023-06-22..2023-06-24 holiday  # 端午节
2023-06-25 workday
2023-09-29..2023-10-06 holiday  # 中秋节、国庆节
2023-10-07 workday
2023-10-08 workday
# 2024
2024-01-01 holiday              # 元旦
2024-02-04 workday
2024-02-10..2024-02-17 holiday  # 春节
2024-02-18 workday
2024-04-04..2024-04-06 holiday  # 清明节
2024-04-07 workday
2024-04-28 workday
2024-05-01..2024-05-05 holiday  # 劳动节
2024-05-11 workday
2024-06-10 holiday              # 端午节
2024-09-14 workday
2024-09-15..2024-09-17 holiday  # 中秋节
2024-09-29 workday
2024-10-01..2024-10-07 holiday  # 国庆节
2024-10-12 workday
# 2025
2025-01-01 holiday              # 元旦
2025-01-26 workday
2025-01-28..2025-02-04 holiday  # 春节
2025-02-08 workday
2025-04-04..2025-04-06 holiday  # 清明节
2025-04-27 workday
2025-05-01..2025-05-05 holiday  # 劳动节
2025-05-31..2025-06-02 holiday  # 端午节
2025-09-28 workday
2025-10-01..2025-10-08 holiday  # 国庆节、中秋节
2025-10-11 workday
# 2026
2026-01-01..2026-01-03 holiday  # 元旦
2026-01-04 workday
2026-02-14 workday
2026-02-15..2026-02-23 holiday  # 春节
2026-02-28 workday
2026-04-04..2026-04-06 holiday  # 清明节
2026-05-01..2026-05-05 holiday  # 劳动节
2026-05-09 workday
2026-06-19..2026-06-21 holiday  # 端午节
2026-09-20 workday
2026-09-25..2026-09-27 holiday  # 中秋节
2026-10-01..2026-10-07 holiday  # 国庆节
2026-10-10 workday
)";

// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
long DayNumber(const Date& d) {
  int y = d.year - (d.month <= 2 ? 1 : 0);
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int YearOfDayNumber(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  long month = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

bool IsWeekday(long day) { return ((day % 7) + 7 + 3) % 7 < 5; }  // 1970-01-01 was a Thursday

}  // namespace

void WorkCalendar::AddLines(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    size_t hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::string range, kind, extra;
    if (!(words >> range)) continue;  // blank or comment
    words >> kind >> extra;
    auto bad = [&](const std::string& why) {
      std::string where = source + ":" + std::to_string(n);
      throw Error(ErrorKind::kInvalidInput, where + ": " + why, {{where, why}});
    };
    if (kind != "holiday" && kind != "workday") bad("expected DATE holiday, DATE workday or DATE..DATE holiday");
    if (!extra.empty()) bad("unexpected '" + extra + "' (comments start with #)");
    size_t dots = range.find("..");
    Date first, last;
    if (!ParseDate(range.substr(0, dots), false, &first) ||
        !ParseDate(dots == std::string::npos ? range : range.substr(dots + 2), false, &last)) {
      bad("'" + range + "' is not a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD");
    }
    long from = DayNumber(first), to = DayNumber(last);
    if (to < from || to - from > 31) bad("'" + range + "' is not a range of at most a month, first day first");
    for (long day = from; day <= to; ++day) {
      days_[day] = kind == "workday";
      ++years_[YearOfDayNumber(day)];
    }
  }
}

std::shared_ptr<const WorkCalendar> WorkCalendar::BuiltIn() {
  static const std::shared_ptr<const WorkCalendar> china = [] {
    auto c = std::make_shared<WorkCalendar>();
    c->AddLines(kChina, "built-in calendar");
    return c;
  }();
  return china;
}

std::shared_ptr<const WorkCalendar> WorkCalendar::WithFile(const std::string& path) {
  auto c = std::make_shared<WorkCalendar>(*BuiltIn());
  c->AddLines(ReadFile(path), path);
  return c;
}

bool WorkCalendar::IsWorkingDay(const Date& day) const {
  long n = DayNumber(day);
  auto it = days_.find(n);
  return it != days_.end() ? it->second : IsWeekday(n);
}

int WorkCalendar::WorkingDaysBetween(const Date& start, const Date& end) const {
  long first = DayNumber(start), last = DayNumber(end);
  if (last > first + 366) last = first + 366;  // publicity lasts days, not years
  int count = 0;
  for (long day = first; day <= last; ++day) {
    auto it = days_.find(day);
    if (it != days_.end() ? it->second : IsWeekday(day)) ++count;
  }
  return count;
}

bool WorkCalendar::KnowsYear(int year) const { return years_.count(year) != 0; }

std::vector<int> WorkCalendar::Years() const {
  std::vector<int> out;
  for (const auto& [year, entries] : years_) out.push_back(year);
  return out;
}

}  // namespace zhiping::model
