// When a cron schedule runs, on the wall clock of an IANA time zone (date/tz over the OS tzdb).
//
// DST, as Vixie cron and cronie handle it:
//   - spring forward: a local time that does not exist that day (02:30 in Europe/Berlin on the
//     last Sunday of March) runs ONCE, at the first instant after the gap (03:00 local);
//   - fall back: a local time that happens twice (02:30 on the last Sunday of October) runs
//     ONCE, at its first occurrence.
// Pure, no I/O; thread-safe.
#pragma once

#include "core/cron.h"
#include "core/time.h"

namespace date {
class time_zone;
}

namespace alertdigest {

// The first run strictly after `after`. `zone` must not be null (locate it with FindZone()).
// Searches at most ~5 years ahead; returns kNoTime when the schedule never matches a real day
// ("0 0 31 2 *").
Timestamp NextRun(const CronSchedule& schedule, const date::time_zone* zone, Timestamp after);

// The last run at or before `at`, or kNoTime if none within ~5 years before it (the latest
// digest that a daemon which was down should send once on start).
Timestamp PreviousRun(const CronSchedule& schedule, const date::time_zone* zone, Timestamp at);

// The zone for an IANA name checked at config load; null if unknown.
const date::time_zone* FindZone(const std::string& name);

}  // namespace alertdigest
