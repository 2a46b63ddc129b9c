#include "mute/time_interval.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace alertdigest {
namespace {

bool InAnyRange(const std::vector<std::pair<int, int>>& ranges, int value) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [value](const auto& r) { return value >= r.first && value <= r.second; });
}

// Alertmanager's day-of-month check: negative days count from the month's end; a range that
// starts after the month's last day never matches; otherwise both ends are clamped to it.
bool DayOfMonthMatches(const std::vector<std::pair<int, int>>& ranges, int day, int days_in_month) {
  for (auto [begin, end] : ranges) {
    if (begin < 0) begin = days_in_month + begin + 1;
    if (end < 0) end = days_in_month + end + 1;
    if (begin > days_in_month) continue;
    begin = std::clamp(begin, -days_in_month, days_in_month);
    end = std::clamp(end, -days_in_month, days_in_month);
    if (day >= begin && day <= end) return true;
  }
  return false;
}

}  // namespace

Result<TimeIntervalMatcher> TimeIntervalMatcher::Create(const TimeInterval& spec) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(spec.timezone);
  } catch (const std::exception&) {
    zone = nullptr;
  }
  if (zone == nullptr) {
    return Status::InvalidArgument(
        fmt::format("time interval \"{}\": unknown time zone \"{}\"", spec.name, spec.timezone));
  }
  return TimeIntervalMatcher(spec, zone);
}

bool TimeIntervalMatcher::Contains(Timestamp t) const {
  const date::local_time<std::chrono::milliseconds> local = zone_->to_local(t);
  const date::local_days day = date::floor<date::days>(local);
  if (!spec_.times_minutes.empty()) {
    int minute = static_cast<int>(date::floor<std::chrono::minutes>(local - day).count());
    // times_minutes are half-open [start, end).
    bool in =
        std::any_of(spec_.times_minutes.begin(), spec_.times_minutes.end(),
                    [minute](const auto& r) { return minute >= r.first && minute < r.second; });
    if (!in) return false;
  }
  if (!spec_.weekdays.empty() &&
      !InAnyRange(spec_.weekdays, static_cast<int>(date::weekday(day).c_encoding()))) {
    return false;
  }
  const date::year_month_day ymd(day);
  if (!spec_.days_of_month.empty()) {
    const date::year_month_day_last last(ymd.year(), date::month_day_last(ymd.month()));
    int days_in_month = static_cast<int>(static_cast<unsigned>(last.day()));
    if (!DayOfMonthMatches(spec_.days_of_month, static_cast<int>(static_cast<unsigned>(ymd.day())),
                           days_in_month)) {
      return false;
    }
  }
  if (!spec_.months.empty() &&
      !InAnyRange(spec_.months, static_cast<int>(static_cast<unsigned>(ymd.month())))) {
    return false;
  }
  if (!spec_.years.empty() && !InAnyRange(spec_.years, static_cast<int>(ymd.year()))) {
    return false;
  }
  return true;
}

Result<TimeIntervalSet> TimeIntervalSet::Create(const std::vector<TimeInterval>& intervals) {
  TimeIntervalSet set;
  for (const TimeInterval& spec : intervals) {
    Result<TimeIntervalMatcher> m = TimeIntervalMatcher::Create(spec);
    if (!m.ok()) return m.status();
    set.by_name_.insert_or_assign(spec.name, std::move(m).value());
  }
  return set;
}

bool TimeIntervalSet::AnyContains(const std::vector<std::string>& names, Timestamp t) const {
  return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
    const TimeIntervalMatcher* m = Find(name);
    return m != nullptr && m->Contains(t);
  });
}

const TimeIntervalMatcher* TimeIntervalSet::Find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second;
}

}  // namespace alertdigest
