// TimeIntervalStage: a route's mute_time_intervals and active_time_intervals. While a mute
// interval holds (or outside every active interval) the flush stops before the notification
// log: nothing is sent and nothing is marked as sent, so what was held back goes out at the
// first tick after the interval ends; every held alert is recorded as deferred (with the interval's
// name) so the next digest lists it.
#pragma once

#include "mute/time_interval.h"
#include "pipeline/stage.h"

namespace alertdigest {

class TimeIntervalStage final : public Stage {
 public:
  explicit TimeIntervalStage(const TimeIntervalSet& intervals) : intervals_(intervals) {}
  std::string_view name() const override { return "time intervals"; }
  Result<StageOutcome> Process(FlushContext& ctx) override;

 private:
  // The first of `names` that contains `now` (the interval to name in the digest).
  std::string FirstContaining(const std::vector<std::string>& names, Timestamp now) const;
  const TimeIntervalSet& intervals_;
};

}  // namespace alertdigest
