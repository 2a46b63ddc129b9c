// Who is on call in a [[rotation]] at a given time: the override covering that instant, if any,
// else the member whose shift contains it. Shifts are counted on the rotation's local wall
// clock from its start hand-off, so a DST change never moves a hand-off ("mon 09:00" stays
// 09:00 local).
// Pure, no I/O; thread-safe.
#pragma once

#include <string>

#include "config/config.h"
#include "core/time.h"

namespace alertdigest {

struct OnCall {
  std::string member;         // an address from members (or an override's)
  std::string override_name;  // set when an override applies
  Timestamp shift_start = kNoTime;  // the current shift (or override) began …
  Timestamp shift_end = kNoTime;    // … and ends (the next hand-off)
};

OnCall WhoIsOnCall(const Rotation& rotation, Timestamp at);

}  // namespace alertdigest
