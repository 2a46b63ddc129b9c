// Time intervals: does an instant fall into a [[time_interval]]? (Alertmanager's
// timeinterval.TimeInterval.ContainsTime.)
//
// The instant is converted to the wall clock of the interval's time zone (Howard Hinnant's
// date/tz over the OS tzdb), and each non-empty field must then contain the local value: the
// minute of the day in some `times` range, the weekday, the day of the month (negative days
// counted from the month's end and clamped to it), the month and the year. Across DST this
// means: on a spring-forward day a local time that is skipped (02:30 in Berlin on 2026-03-29)
// is never reached, so a 02:00–03:00 range is empty that day; on a fall-back day the repeated
// hour is inside the range both times.
//
// Thread-safety: immutable after Create; Contains() may be called from any thread.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "core/time.h"

namespace date {
class time_zone;
}

namespace alertdigest {

class TimeIntervalMatcher {
 public:
  // InvalidArgument "time interval \"x\": unknown time zone \"y\"" when the zone is unknown
  // (the config loader checks it, so this only fails for hand-built specs).
  static Result<TimeIntervalMatcher> Create(const TimeInterval& spec);

  // True when `t` lies inside the interval. O(number of ranges).
  bool Contains(Timestamp t) const;

  const std::string& name() const { return spec_.name; }

 private:
  TimeIntervalMatcher(TimeInterval spec, const date::time_zone* zone)
      : spec_(std::move(spec)), zone_(zone) {}

  TimeInterval spec_;
  const date::time_zone* zone_;  // owned by the process-wide tzdb, never freed
};

// Every interval of a Config, by name; built once per config load.
// Thread-safety: immutable after Create.
class TimeIntervalSet {
 public:
  TimeIntervalSet() = default;
  // Fails like TimeIntervalMatcher::Create, for the first bad interval.
  static Result<TimeIntervalSet> Create(const std::vector<TimeInterval>& intervals);

  // True when any interval named in `names` contains `t`. A name without an interval (which
  // the config loader rejects) contains nothing.
  bool AnyContains(const std::vector<std::string>& names, Timestamp t) const;

  // nullptr when no interval has this name.
  const TimeIntervalMatcher* Find(const std::string& name) const;

 private:
  std::map<std::string, TimeIntervalMatcher, std::less<>> by_name_;
};

}  // namespace alertdigest
