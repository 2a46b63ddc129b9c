#include "pipeline/inhibit_stage.h"

namespace alertdigest {

Result<StageOutcome> InhibitStage::Process(FlushContext& ctx) {
  if (inhibitor_.rules().empty()) return StageOutcome::kContinue;
  size_t before = ctx.alerts.size();
  std::erase_if(ctx.alerts, [&](const Alert& a) { return inhibitor_.InhibitedBy(a).has_value(); });
  ctx.muted += before - ctx.alerts.size();
  return StageOutcome::kContinue;
}

}  // namespace alertdigest
