// CronSchedule: a classic 5-field cron expression ("minute hour day-of-month month day-of-week"),
// parsed once. Fields are separated by spaces or tabs and take `*`, numbers, ranges `a-b`,
// lists `a,b`, steps `*/n` and `a-b/n` (and `a/n`, meaning a through the field's maximum, as
// cronie reads it), and names for months (jan…dec) and weekdays (sun…sat), case-insensitive,
// also inside ranges ("mon-fri", "jan-mar/2"). Day-of-week 7 is sunday too ("5-7" = fri…sun).
// Ranges do not wrap ("fri-mon" is an error).
//
// Day matching follows Vixie cron: when both day-of-month and day-of-week are restricted, a day
// matches if EITHER matches ("0 0 1 * mon" = the 1st and every monday); otherwise both must.
// A day field is unrestricted only when written as `*` (or `*/1`); `*/2` restricts it (this is
// the common reading; Vixie's "first character is *" quirk is not copied).
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

  // InvalidArgument with a message naming the field and quoting it, e.g.
  //   `hour field "25": value 25 out of range 0-23`,
  //   `expected 5 fields (minute hour day-of-month month day-of-week), got 6`,
  //   `month field "foo": "foo" is not a number or month name (jan-dec)`,
  //   `day-of-week field "fri-mon": range fri-mon goes backwards`,
  //   `minute field "*/0": step 0 must be at least 1`.
  static Result<CronSchedule> Parse(std::string_view text);

  // weekday: 0 = sunday … 6 = saturday; month 1…12; day 1…31.
  bool MatchesDay(int month, int day, int weekday) const;
  bool MatchesTime(int hour, int minute) const;
  bool Matches(int month, int day, int weekday, int hour, int minute) const {
    return MatchesDay(month, day, weekday) && MatchesTime(hour, minute);
  }

  // True when the hour field selects all 24 hours ("*", "0-23", "*/1"): such a schedule runs
  // on real elapsed time through DST changes (schedule/cron_schedule.h).
  bool RunsEveryHour() const { return hours_.all(); }

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
