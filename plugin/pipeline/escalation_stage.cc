#include "pipeline/escalation_stage.h"

#include <algorithm>

#include "core/log.h"
#include "schedule/escalation_plan.h"

namespace alertdigest {

EscalationRecord StartEpisode(const EscalationPolicy& policy, const FlushContext& ctx,
                              std::vector<Fingerprint> firing, const EscalationRecord* previous) {
  EscalationRecord r;
  r.group_key = ctx.group_key;
  r.policy = policy.name;
  r.receiver = ctx.receiver;
  r.group_labels = ctx.group_labels;
  int64_t start_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(ctx.now.time_since_epoch()).count();
  r.episode = previous ? std::max(start_ms, previous->episode + 1) : start_ms;
  r.episode_started_at = ctx.now;
  r.firing = std::move(firing);
  r.climb_started_at = ctx.now;
  r.next_due_at = NextDue(policy, ClimbPosition{0, 0, ctx.now});
  return r;
}

Result<StageOutcome> EscalationStage::Process(FlushContext& ctx) {
  if (ctx.route->escalation.empty()) return StageOutcome::kContinue;
  const EscalationPolicy* policy = config_.FindEscalation(ctx.route->escalation);
  if (policy == nullptr) return StageOutcome::kContinue;  // config validation makes this unreachable

  std::vector<Fingerprint> firing;
  for (const Alert& a : ctx.alerts) {
    if (!a.ResolvedAt(ctx.now)) firing.push_back(a.fingerprint);
  }
  std::sort(firing.begin(), firing.end());
  const EscalationRecord* current = book_.Find(ctx.group_key);

  if (firing.empty()) {
    if (current != nullptr) {
      ctx.batch->DeleteEscalation(ctx.group_key);
      log::Info("escalation ended: nothing fires",
                {{"group", ctx.group_key}, {"episode", current->episode}});
    }
    return StageOutcome::kContinue;
  }

  bool joined = current == nullptr || current->policy != policy->name ||
                !std::includes(current->firing.begin(), current->firing.end(), firing.begin(),
                               firing.end());
  EscalationRecord record;
  if (joined) {
    record = StartEpisode(*policy, ctx, std::move(firing), current);
    log::Info("escalation episode started",
              {{"group", ctx.group_key}, {"policy", policy->name}, {"episode", record.episode}});
    ctx.batch->PutEscalation(record);
  } else {
    record = *current;
    if (record.firing != firing) {  // some resolved or went quiet: the episode goes on
      record.firing = std::move(firing);
      ctx.batch->PutEscalation(record);
    }
  }
  if (record.acked_at != kNoTime) {
    ctx.ack = AckInfo{record.acked_by, record.ack_comment, record.ack_via, record.acked_at};
  } else {
    ctx.ack_url = links_.For(ctx.group_key, record.episode, ctx.now);
  }
  return StageOutcome::kContinue;
}

Result<StageOutcome> AckStage::Process(FlushContext& ctx) {
  if (ctx.ack && ctx.reason == NotifyReason::kRepeat) {
    log::Debug("reminder held back: acknowledged",
               {{"group", ctx.group_key}, {"by", ctx.ack->by}});
    return StageOutcome::kStop;
  }
  return StageOutcome::kContinue;
}

}  // namespace alertdigest
