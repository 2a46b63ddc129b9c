#include "pipeline/silence_stage.h"

namespace alertdigest {

Result<StageOutcome> SilenceStage::Process(FlushContext& ctx) {
  if (silencer_.silences().empty()) return StageOutcome::kContinue;
  size_t before = ctx.alerts.size();
  std::erase_if(ctx.alerts,
                [&](const Alert& a) { return !silencer_.SilencedBy(a.labels, ctx.now).empty(); });
  ctx.muted += before - ctx.alerts.size();
  return StageOutcome::kContinue;
}

}  // namespace alertdigest
