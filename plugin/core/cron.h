// CronSchedule: a classic 5-field cron expression ("minute hour day-of-month month day-of-week"),
// parsed once. Fields take `*`, numbers, ranges `a-b`, lists `a,b`, steps `*/n` and `a-b/n`,
// and names for months (jan…dec) and weekdays (sun…sat, case-insensitive); day-of-week 7 is
// sunday too. As in Vixie cron, when both day-of-month and day-of-week are restricted (neither
// is `*`), a day matches if EITHER matches.
//
// Pure and time-zone free: Matches() takes wall-clock fields; schedule/cron_schedule.h finds the
// next run in an IANA zone (DST gaps and overlaps). Thread-safe (immutable after Parse).
#pragma once

#include <bitset>
#include <string>
#include <string_view>

#include "core/status.h"

namespace alertdigest {

class CronSchedule {
 public:
  CronSchedule() = default;  // matches nothing; use Parse()

  // InvalidArgument with a message naming the field, e.g.
  //   `hour field "25": value 25 out of range 0-23`, `expected 5 fields, got 6`.
  static Result<CronSchedule> Parse(std::string_view text);

  // weekday: 0 = sunday … 6 = saturday; month 1…12; day 1…31.
  bool MatchesDay(int month, int day, int weekday) const;
  bool MatchesTime(int hour, int minute) const;
  bool Matches(int month, int day, int weekday, int hour, int minute) const {
    return MatchesDay(month, day, weekday) && MatchesTime(hour, minute);
  }

  const std::string& text() const { return text_; }  // as written, trimmed

 private:
  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    // 1…31
  std::bitset<13> months_;  // 1…12
  std::bitset<7> weekdays_;
  bool day_restricted_ = false;
  bool weekday_restricted_ = false;
};

}  // namespace alertdigest
