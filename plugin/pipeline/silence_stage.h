// SilenceStage: drops alerts an active silence matches (Alertmanager's silencer); they drop out
// of the group at this flush and come back when the silence ends.
#pragma once

#include "mute/silencer.h"
#include "pipeline/stage.h"

namespace alertdigest {

class SilenceStage final : public Stage {
 public:
  explicit SilenceStage(const Silencer& silencer) : silencer_(silencer) {}
  std::string_view name() const override { return "silence"; }
  Result<StageOutcome> Process(FlushContext& ctx) override;

 private:
  const Silencer& silencer_;
};

}  // namespace alertdigest
