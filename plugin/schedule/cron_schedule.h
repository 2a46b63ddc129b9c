// When a cron schedule runs, on the wall clock of an IANA time zone (date/tz over the OS tzdb).
//
// A schedule runs at every instant whose local wall time (in `zone`) it matches, with two DST
// rules, the split Vixie cron and cronie make between "fixed-time" and "wildcard" jobs:
//
//   - A schedule with specific hours ("30 2 * * *", "0 8 * * 1-5", "0 */2 * * *") follows the
//     wall clock, once per local date and time:
//       spring forward: a local time that does not exist that day (02:30 in Europe/Berlin on the
//       last Sunday of March) runs ONCE, at the first instant after the gap (03:00 local); several
//       such times ("0,30 2 * * *") collapse into that one run;
//       fall back: a local time that happens twice (02:30 on the last Sunday of October) runs
//       ONCE, at its first occurrence.
//   - A schedule whose hour field selects every hour ("*/15 * * * *", "30 * * * *") follows real
//     elapsed time: local times inside a spring-forward gap are skipped (the gap has no such
//     minutes), and during the repeated hour of a fall-back it runs in both passes, so
//     "*/15 * * * *" still runs every 15 minutes and "30 * * * *" every hour. Each local
//     minute runs at most once per pass, never twice at one instant.
//
// Searches go day by day (and only through the matching hours and minutes of a matching day), so
// even a schedule that never matches costs ~1,800 day checks, not minute steps.
// Pure, no I/O; thread-safe.
#pragma once

#include <string>

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

// The zone for an IANA name checked at config load; null if unknown. Never throws.
const date::time_zone* FindZone(const std::string& name);

}  // namespace alertdigest
