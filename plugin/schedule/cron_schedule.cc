#include "schedule/cron_schedule.h"

#include <date/tz.h>

#include <exception>
#include <optional>

namespace alertdigest {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr int kSearchDays = 5 * 366 + 2;

Timestamp ToTimestamp(date::sys_seconds t) { return std::chrono::time_point_cast<Duration>(t); }

bool DayMatches(const CronSchedule& s, date::local_days day) {
  const date::year_month_day ymd(day);
  const date::weekday wd(day);
  return s.MatchesDay(static_cast<int>(static_cast<unsigned>(ymd.month())),
                      static_cast<int>(static_cast<unsigned>(ymd.day())),
                      static_cast<int>(wd.c_encoding()));
}

// The instants at which the schedule runs for local time `t` (see the header's DST rules).
struct RunInstants {
  Timestamp at[2];
  int count = 0;
};

RunInstants InstantsOf(const date::time_zone* zone, date::local_seconds t, bool every_hour) {
  RunInstants out;
  const date::local_info info = zone->get_info(t);
  const date::sys_seconds first{t.time_since_epoch() - info.first.offset};
  switch (info.result) {
    case date::local_info::unique:
      out.at[out.count++] = ToTimestamp(first);
      break;
    case date::local_info::nonexistent:
      // info.first.end is the transition: the first instant after the gap.
      if (!every_hour) out.at[out.count++] = ToTimestamp(info.first.end);
      break;
    case date::local_info::ambiguous:
      out.at[out.count++] = ToTimestamp(first);
      if (every_hour) {
        out.at[out.count++] =
            ToTimestamp(date::sys_seconds{t.time_since_epoch() - info.second.offset});
      }
      break;
  }
  return out;
}

// The UTC offset that holds for the whole local day, or nullopt when a transition falls inside
// it (then each local time is converted on its own).
std::optional<seconds> ConstantOffset(const date::time_zone* zone, date::local_days day) {
  const date::local_seconds midnight{day};
  const date::local_info info = zone->get_info(midnight);
  if (info.result != date::local_info::unique) return std::nullopt;
  const date::sys_seconds next_midnight{(midnight + hours(24)).time_since_epoch() -
                                        info.first.offset};
  if (info.first.end < next_midnight) return std::nullopt;
  return info.first.offset;
}

// Calls visit(local time) for every matching time of day, in order (reverse when `backwards`);
// stops when visit returns true.
template <typename Visit>
void ForEachTime(const CronSchedule& s, date::local_days day, bool backwards, Visit visit) {
  for (int i = 0; i < 24 * 60; ++i) {
    int minute_of_day = backwards ? 24 * 60 - 1 - i : i;
    int h = minute_of_day / 60, m = minute_of_day % 60;
    if (!s.MatchesTime(h, m)) continue;
    if (visit(date::local_seconds{day} + hours(h) + minutes(m))) return;
  }
}

// The earliest run on local `day` that is after `after`, or kNoTime.
Timestamp FirstRunOfDayAfter(const CronSchedule& s, const date::time_zone* zone,
                             date::local_days day, Timestamp after) {
  Timestamp best = kNoTime;
  if (std::optional<seconds> offset = ConstantOffset(zone, day)) {
    // One offset: instants rise with local time, so the first one past `after` is the answer.
    ForEachTime(s, day, /*backwards=*/false, [&](date::local_seconds t) {
      Timestamp at = ToTimestamp(date::sys_seconds{t.time_since_epoch() - *offset});
      if (at <= after) return false;
      best = at;
      return true;
    });
    return best;
  }
  const bool every_hour = s.RunsEveryHour();
  ForEachTime(s, day, /*backwards=*/false, [&](date::local_seconds t) {
    RunInstants r = InstantsOf(zone, t, every_hour);
    for (int k = 0; k < r.count; ++k) {
      if (r.at[k] > after && (best == kNoTime || r.at[k] < best)) best = r.at[k];
    }
    return false;
  });
  return best;
}

// The latest run on local `day` that is at or before `at`, or kNoTime.
Timestamp LastRunOfDayAtOrBefore(const CronSchedule& s, const date::time_zone* zone,
                                 date::local_days day, Timestamp at) {
  Timestamp best = kNoTime;
  if (std::optional<seconds> offset = ConstantOffset(zone, day)) {
    ForEachTime(s, day, /*backwards=*/true, [&](date::local_seconds t) {
      Timestamp run = ToTimestamp(date::sys_seconds{t.time_since_epoch() - *offset});
      if (run > at) return false;
      best = run;
      return true;
    });
    return best;
  }
  const bool every_hour = s.RunsEveryHour();
  ForEachTime(s, day, /*backwards=*/false, [&](date::local_seconds t) {
    RunInstants r = InstantsOf(zone, t, every_hour);
    for (int k = 0; k < r.count; ++k) {
      if (r.at[k] <= at && (best == kNoTime || r.at[k] > best)) best = r.at[k];
    }
    return false;
  });
  return best;
}

date::local_days LocalDayOf(const date::time_zone* zone, Timestamp t) {
  return date::floor<date::days>(zone->to_local(t));
}

}  // namespace

Timestamp NextRun(const CronSchedule& schedule, const date::time_zone* zone, Timestamp after) {
  // Runs of one local day all come at or after those of the day before, but a fall-back
  // around midnight can make the two overlap: the day after the first hit is checked too.
  const date::local_days start = LocalDayOf(zone, after) - date::days(1);
  Timestamp best = kNoTime;
  int last_day = kSearchDays;
  for (int i = 0; i <= last_day; ++i) {
    const date::local_days day = start + date::days(i);
    if (!DayMatches(schedule, day)) continue;
    Timestamp t = FirstRunOfDayAfter(schedule, zone, day, after);
    if (t == kNoTime) continue;
    if (best == kNoTime) last_day = i + 1;
    if (best == kNoTime || t < best) best = t;
  }
  return best;
}

Timestamp PreviousRun(const CronSchedule& schedule, const date::time_zone* zone, Timestamp at) {
  const date::local_days start = LocalDayOf(zone, at) + date::days(1);
  Timestamp best = kNoTime;
  int last_day = kSearchDays;
  for (int i = 0; i <= last_day; ++i) {
    const date::local_days day = start - date::days(i);
    if (!DayMatches(schedule, day)) continue;
    Timestamp t = LastRunOfDayAtOrBefore(schedule, zone, day, at);
    if (t == kNoTime) continue;
    if (best == kNoTime) last_day = i + 1;
    if (best == kNoTime || t > best) best = t;
  }
  return best;
}

const date::time_zone* FindZone(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace alertdigest
