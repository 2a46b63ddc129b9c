// DedupStage: decides whether a flush notifies at all, exactly as Alertmanager's notification
// log does (notify/dedup_stage.go needsUpdate), and why:
//   no log entry           → notify if anything fires            (first notification)
//   a firing alert not in the last sent firing set               (new alerts)
//   nothing fires, but the last send had firing alerts           (all resolved; logged even
//                                                                 without send_resolved)
//   send_resolved and a resolved alert not in the last sent set  (some resolved)
//   otherwise only when last send + repeat_interval <= now       (repeat)
// One deliberate difference: the repeat rule is "at or after", not Alertmanager's strict
// "before", so a reminder lands on the first tick at or after last-send + repeat_interval.
#pragma once

#include "pipeline/notification_log.h"
#include "pipeline/stage.h"

namespace alertdigest {

class DedupStage final : public Stage {
 public:
  explicit DedupStage(const NotificationLog& log) : log_(log) {}
  std::string_view name() const override { return "dedup"; }
  Result<StageOutcome> Process(FlushContext& ctx) override;

 private:
  const NotificationLog& log_;
};

}  // namespace alertdigest
