// Escalator: the on-call side of escalating routes. For every group episode the EscalationStage
// started (pipeline/escalation_stage.h) it sends the policy's steps on their own timers — step i
// at climb start + steps[i].after, then the last step every `repeat` — until the episode is
// acknowledged or nothing fires any more; with `ack_timeout`, an acknowledged episode that still
// fires that long after its ack climbs again from the first step.
//
// Each mail is committed together with the episode's new position (one transaction), so a
// restart neither repeats nor skips a step; a step that came due while the daemon was down is
// sent once on start (marked late), and of several, only the latest.
//
// Acknowledgements (links, API, CLI, Nagios) are recorded in the episode and as an
// ACKNOWLEDGEMENT event (for digests), in one transaction.
//
// Thread-compatible: the engine thread owns it. Virtual time: tests advance a ManualClock.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "dispatch/ack.h"
#include "pipeline/ack_links.h"
#include "pipeline/escalation_book.h"
#include "pipeline/stage.h"
#include "render/email_renderer.h"
#include "store/store.h"

namespace alertdigest {

// A step sent this long after it came due counts as late (the daemon was not running).
inline constexpr Duration kLateAfter = std::chrono::minutes(1);

class Escalator {
 public:
  // All references must outlive the escalator; `alerts` is the dispatcher's alert table.
  Escalator(const Config& config, Store& store, const Clock& clock, EscalationBook& book,
            const EmailRenderer& renderer, const AckLinks& links, const AlertTable& alerts);

  // Loads the episodes from the store into the book. Call once, before the rest. Episodes whose
  // policy is gone from the config are dropped (logged).
  Status Load();

  // When the next step (or ack timeout) is due, if any.
  std::optional<Timestamp> NextDeadline() const;

  // Sends every step that is due now. Returns the number of mails queued. An episode whose
  // alerts all resolved is closed instead. A failing render or commit is logged and retried at
  // the next call; errors only when the store fails.
  Result<int> FireDue();

  // See Intake::Acknowledge for the errors.
  Result<AckResult> Acknowledge(const AckRequest& request);
  // Acknowledges every escalating episode with a firing alert whose labels include all of
  // `labels` (a Nagios ACKNOWLEDGEMENT names host and service). Returns how many.
  Result<int> AcknowledgeMatching(const LabelSet& labels, const std::string& by,
                                  const std::string& comment, const std::string& via);
  Result<AckPreview> Preview(const std::string& group_key, int64_t episode) const;

  // The escalating episode of `group` (a group key or its 16-hex id), or null.
  const EscalationRecord* Find(const std::string& group) const;

 private:
  // The episode's alerts that still fire now, sorted by start.
  std::vector<Alert> StillFiring(const EscalationRecord& r, Timestamp now) const;
  Status SendStep(const EscalationRecord& r, const EscalationPolicy& policy, Timestamp now,
                  int* queued);
  Result<AckResult> Ack(const EscalationRecord& r, const std::string& by,
                        const std::string& comment, const std::string& via, Timestamp now);
  Status WriteAndApply(const WriteBatch& batch);

  const Config& config_;
  Store& store_;
  const Clock& clock_;
  EscalationBook& book_;
  const EmailRenderer& renderer_;
  const AckLinks& links_;
  const AlertTable& alerts_;
  // Episodes whose last step failed to render or commit wait until then (no busy loop).
  std::map<std::string, Timestamp> retry_after_;
};

}  // namespace alertdigest
