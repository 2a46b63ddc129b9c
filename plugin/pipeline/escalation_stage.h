// EscalationStage: keeps the episode of every group on an escalating route (`escalation = "x"`)
// and tells the rest of the pipeline whether it is acknowledged.
//
// An episode starts when the group has firing alerts and either none was running or an alert
// fires that the episode did not have (a new alert joined, or one fired again after it
// resolved); it ends when no alert of the group fires. A new episode gets a fresh climb and no
// acknowledgement. The stage sets ctx.ack (when acknowledged) or ctx.ack_url (the signed link),
// and puts the episode into the flush's batch; the Escalator sends the steps on its own timers.
#pragma once

#include "config/config.h"
#include "pipeline/ack_links.h"
#include "pipeline/escalation_book.h"
#include "pipeline/stage.h"

namespace alertdigest {

class EscalationStage final : public Stage {
 public:
  EscalationStage(const Config& config, EscalationBook& book, const AckLinks& links)
      : config_(config), book_(book), links_(links) {}
  std::string_view name() const override { return "escalation"; }
  Result<StageOutcome> Process(FlushContext& ctx) override;
  void Committed(const WriteBatch& batch) override { book_.ApplyCommitted(batch); }

 private:
  const Config& config_;
  EscalationBook& book_;
  const AckLinks& links_;
};

// The episode that starts at `now` for a group with `firing` alerts. Episode numbers are the
// start time in milliseconds, kept strictly increasing per group, so a link to an episode that
// ended can never match a later one.
EscalationRecord StartEpisode(const EscalationPolicy& policy, const FlushContext& ctx,
                              std::vector<Fingerprint> firing, const EscalationRecord* previous);

// AckStage (after dedup): an acknowledged episode gets no reminders (repeat_interval); changes
// — new alerts (which start a new episode anyway) and resolutions — still go out.
class AckStage final : public Stage {
 public:
  std::string_view name() const override { return "ack"; }
  Result<StageOutcome> Process(FlushContext& ctx) override;
};

}  // namespace alertdigest
