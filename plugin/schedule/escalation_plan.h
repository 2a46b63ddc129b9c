// The escalation clock for one group episode: which step of an [[escalation]] policy is due
// when, the repeat of the last step, and the ack timeout. Pure (no I/O, no clock of its own);
// dispatch/escalator.h keeps the state and sends the mails.
//
// A "climb" starts when an episode starts (or when an ack times out): step i is due at
// climb_start + steps[i].after; after the last step, with `repeat`, the last step is due again
// every `repeat` until acknowledged.
// Thread-safe (pure functions).
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/time.h"

namespace alertdigest {

struct ClimbPosition {
  int next_step = 0;              // index into steps; == steps.size() once all were sent
  int repeats_sent = 0;           // repeats of the last step sent so far in this climb
  Timestamp climb_start = kNoTime;
};

// When the next mail of this climb is due, or kNoTime when nothing more will be sent (all steps
// sent and no repeat).
Timestamp NextDue(const EscalationPolicy& policy, const ClimbPosition& pos);

// What to send at `now`: the LATEST step that is due (steps that came due earlier, e.g. while
// the daemon was down, are skipped — one mail, not a burst). Returns the step index to send
// (steps.size()-1 for a repeat) and advances `pos`; -1 when nothing is due.
int TakeDueStep(const EscalationPolicy& policy, ClimbPosition& pos, Timestamp now);

// The recipients of a step at `now`: addresses as written, "rotation:x" replaced by whoever is
// on call in rotation x; duplicates removed, order kept. `config` provides the rotations.
std::vector<std::string> StepRecipients(const Config& config, const EscalationStep& step,
                                        Timestamp now);

}  // namespace alertdigest
