#include "pipeline/time_interval_stage.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace alertdigest {

std::string TimeIntervalStage::FirstContaining(const std::vector<std::string>& names,
                                               Timestamp now) const {
  for (const std::string& name : names) {
    if (intervals_.AnyContains({name}, now)) return name;
  }
  return names.empty() ? "" : names.front();
}

Result<StageOutcome> TimeIntervalStage::Process(FlushContext& ctx) {
  const Route& r = *ctx.route;
  bool muted = !r.mute_time_intervals.empty() && intervals_.AnyContains(r.mute_time_intervals, ctx.now);
  bool inactive =
      !r.active_time_intervals.empty() && !intervals_.AnyContains(r.active_time_intervals, ctx.now);
  if (muted || inactive) {
    ctx.muted += ctx.alerts.size();
    // Deferred, not dropped: the digests list what quiet hours held back.
    std::string why = inactive ? "outside " + fmt::format("{}", fmt::join(r.active_time_intervals, ", "))
                               : FirstContaining(r.mute_time_intervals, ctx.now);
    for (const Alert& a : ctx.alerts) {
      if (a.ResolvedAt(ctx.now)) continue;
      ctx.batch->PutDeferred(
          {ctx.group_key, ctx.receiver, a.fingerprint, a.labels, why, ctx.now, ctx.now});
    }
    return StageOutcome::kStop;
  }
  return StageOutcome::kContinue;
}

}  // namespace alertdigest
