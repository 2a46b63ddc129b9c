#include "pipeline/dedup_stage.h"

#include <algorithm>

namespace alertdigest {
namespace {

// Every element of `subset` is in `set` (both sorted).
bool IsSubset(const std::vector<Fingerprint>& set, const std::vector<Fingerprint>& subset) {
  return std::includes(set.begin(), set.end(), subset.begin(), subset.end());
}

}  // namespace

Result<StageOutcome> DedupStage::Process(FlushContext& ctx) {
  std::vector<Fingerprint> firing, resolved;
  for (const Alert& a : ctx.alerts) {
    (a.ResolvedAt(ctx.now) ? resolved : firing).push_back(a.fingerprint);
  }
  std::sort(firing.begin(), firing.end());
  std::sort(resolved.begin(), resolved.end());

  const NflogEntry* entry = log_.Find(ctx.receiver, ctx.group_key);
  ctx.previous = entry;
  if (entry == nullptr) {
    if (firing.empty()) return StageOutcome::kStop;
    ctx.reason = NotifyReason::kFirstNotification;
    return StageOutcome::kContinue;
  }
  if (!IsSubset(entry->firing, firing)) {
    ctx.reason = entry->firing.empty() ? NotifyReason::kFirstNotification : NotifyReason::kNewAlerts;
    return StageOutcome::kContinue;
  }
  if (firing.empty()) {
    if (entry->firing.empty()) return StageOutcome::kStop;  // fired and resolved unseen
    ctx.reason = NotifyReason::kAllResolved;
    return StageOutcome::kContinue;
  }
  if (ctx.route->send_resolved && !IsSubset(entry->resolved, resolved)) {
    ctx.reason = NotifyReason::kSomeResolved;
    return StageOutcome::kContinue;
  }
  if (entry->sent_at + ctx.route->repeat_interval <= ctx.now) {
    ctx.reason = NotifyReason::kRepeat;
    return StageOutcome::kContinue;
  }
  return StageOutcome::kStop;
}

}  // namespace alertdigest
