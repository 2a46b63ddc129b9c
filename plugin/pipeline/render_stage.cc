#include "pipeline/render_stage.h"

#include <algorithm>

namespace alertdigest {

Result<StageOutcome> RenderStage::Process(FlushContext& ctx) {
  Notification n;
  n.kind = EmailKind::kNotification;
  n.receiver = ctx.receiver;
  n.group_key = ctx.group_key;
  n.group_labels = ctx.group_labels;
  n.reason = ctx.reason;
  n.now = ctx.now;
  n.ack_url = ctx.ack_url;
  n.ack = ctx.ack;
  for (const Alert& a : ctx.alerts) {
    if (!a.ResolvedAt(ctx.now)) n.firing.push_back(a);
    else if (ctx.route->send_resolved) n.resolved.push_back(a);
  }
  if (n.firing.empty() && n.resolved.empty()) return StageOutcome::kContinue;
  auto by_start = [](const Alert& a, const Alert& b) {
    return std::tie(a.starts_at, a.fingerprint) < std::tie(b.starts_at, b.fingerprint);
  };
  std::sort(n.firing.begin(), n.firing.end(), by_start);
  std::sort(n.resolved.begin(), n.resolved.end(), by_start);

  EpisodeThread thread;
  if (EpisodeContinues(ctx.previous)) {
    thread.first_message_id = ctx.previous->episode_message_id;
    thread.subject = ctx.previous->episode_subject;
  }
  auto email = renderer_.Render(n, thread);
  if (!email.ok()) return email.status();
  ctx.email = std::move(email.value());
  return StageOutcome::kContinue;
}

}  // namespace alertdigest
