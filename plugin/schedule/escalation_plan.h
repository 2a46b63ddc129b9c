// The escalation clock for one group episode: which step of an [[escalation]] policy is due
// when, the repeat of the last step, and the ack timeout. Pure (no I/O, no clock of its own);
// dispatch/escalator.h keeps the state and sends the mails.
//
// A "climb" starts when an episode starts (or when an ack times out): step i is due at
// climb_start + steps[i].after; after the last step, with `repeat`, the last step is due again
// at last_due + k × repeat (k = 1, 2, …; last_due = climb_start + steps.back().after) until
// acknowledged. Example: steps at 0m and 15m, repeat 30m → mails at 0m, 15m, 45m, 75m, …
//
// Missed mails are never sent as a burst: when the daemon was down across several due times,
// TakeDueStep sends the latest due step once and counts the skipped ones (steps and repeat
// slots) as done, so the next mail is the next one on the original timetable.
// Thread-safe (pure functions).
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/time.h"

namespace alertdigest {

struct ClimbPosition {
  int next_step = 0;     // index into steps; == steps.size() once all were sent
  int repeats_sent = 0;  // repeat slots of the last step used up so far (sent or skipped)
  Timestamp climb_start = kNoTime;  // kNoTime: no climb, nothing is due
};

// When the next mail of this climb is due, or kNoTime when nothing more will be sent (all steps
// sent and no repeat, no steps, or no climb_start).
Timestamp NextDue(const EscalationPolicy& policy, const ClimbPosition& pos);

// What to send at `now`: the LATEST step that is due (steps that came due earlier, e.g. while
// the daemon was down, are skipped — one mail, not a burst). Returns the step index to send
// (steps.size()-1 for a repeat) and advances `pos` past every due time up to `now`; -1 (and
// `pos` unchanged) when nothing is due.
int TakeDueStep(const EscalationPolicy& policy, ClimbPosition& pos, Timestamp now);

// The recipients of a step at `now`: addresses as written, "rotation:x" replaced by whoever is
// on call in rotation x (schedule/rotation.h; an unknown rotation adds nobody); duplicates —
// the same address, compared without display name and case-insensitively — removed, the first
// spelling and the order kept. `config` provides the rotations.
std::vector<std::string> StepRecipients(const Config& config, const EscalationStep& step,
                                        Timestamp now);

}  // namespace alertdigest
