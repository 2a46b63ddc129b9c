// Who is on call in a [[rotation]] at a given time: the override covering that instant, if any,
// else the member whose shift contains it.
//
// Regular shifts are counted on the rotation's local wall clock: shift n (any integer, negative
// before the start) begins at the hand-off time (handoff_minute) of local date
// start_day + n × shift, and members[n mod size] holds it; so a DST change never moves a
// hand-off ("mon 09:00" stays 09:00 local, and a shift across a DST change is an hour shorter
// or longer). A hand-off time that does not exist that day (inside a spring-forward gap) happens
// at the first instant after the gap; one that happens twice, at its first occurrence (the same
// rules as a fixed-hour cron schedule, schedule/cron_schedule.h).
//
// Overrides: when several cover `at`, the one that began last wins (a one-day swap inside a
// week's cover); on a tie, the later one in the list.
//
// shift_start / shift_end bound the current turn of the returned member as UTC instants: the
// regular hand-offs around `at`, cut short by overrides that begin or end inside that shift; for
// an override, its start and end, cut short by a later-starting override nested in it.
//
// Pure, no I/O; thread-safe. A rotation that passed config validation always has members; an
// empty one yields an empty OnCall.
#pragma once

#include <string>

#include "config/config.h"
#include "core/time.h"

namespace alertdigest {

struct OnCall {
  std::string member;               // an address from members (or an override's)
  std::string override_name;        // set when an override applies
  Timestamp shift_start = kNoTime;  // the current shift (or override) began …
  Timestamp shift_end = kNoTime;    // … and ends (the next hand-off)
};

OnCall WhoIsOnCall(const Rotation& rotation, Timestamp at);

}  // namespace alertdigest
