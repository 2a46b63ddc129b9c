// InhibitStage: drops alerts an inhibit rule mutes (a firing source with equal labels), as
// Alertmanager's inhibitor does; they simply drop out of the group at this flush. The index of
// firing sources is rebuilt once per round of flushes (Prepare), not once per group.
#pragma once

#include "mute/inhibitor.h"
#include "pipeline/stage.h"

namespace alertdigest {

class InhibitStage final : public Stage {
 public:
  explicit InhibitStage(Inhibitor& inhibitor) : inhibitor_(inhibitor) {}
  std::string_view name() const override { return "inhibit"; }
  void Prepare(const AlertTable& alerts, Timestamp now) override { inhibitor_.Index(alerts, now); }
  Result<StageOutcome> Process(FlushContext& ctx) override;

 private:
  Inhibitor& inhibitor_;
};

}  // namespace alertdigest
