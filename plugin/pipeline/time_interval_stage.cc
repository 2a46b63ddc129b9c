#include "pipeline/time_interval_stage.h"

namespace alertdigest {

Result<StageOutcome> TimeIntervalStage::Process(FlushContext& ctx) {
  const Route& r = *ctx.route;
  bool muted = !r.mute_time_intervals.empty() && intervals_.AnyContains(r.mute_time_intervals, ctx.now);
  bool inactive =
      !r.active_time_intervals.empty() && !intervals_.AnyContains(r.active_time_intervals, ctx.now);
  if (muted || inactive) {
    ctx.muted += ctx.alerts.size();
    return StageOutcome::kStop;
  }
  return StageOutcome::kContinue;
}

}  // namespace alertdigest
