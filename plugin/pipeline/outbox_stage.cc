#include "pipeline/outbox_stage.h"

#include <algorithm>

#include "pipeline/render_stage.h"

namespace alertdigest {

Result<StageOutcome> OutboxStage::Process(FlushContext& ctx) {
  NflogEntry entry;
  entry.receiver = ctx.receiver;
  entry.group_key = ctx.group_key;
  entry.sent_at = ctx.now;
  for (const Alert& a : ctx.alerts) {
    (a.ResolvedAt(ctx.now) ? entry.resolved : entry.firing).push_back(a.fingerprint);
  }
  std::sort(entry.firing.begin(), entry.firing.end());
  std::sort(entry.resolved.begin(), entry.resolved.end());
  if (EpisodeContinues(ctx.previous)) {
    entry.episode_message_id = ctx.previous->episode_message_id;
    entry.episode_subject = ctx.previous->episode_subject;
  } else if (ctx.email) {
    entry.episode_message_id = ctx.email->message_id;
    entry.episode_subject = ctx.email->subject;
  }
  ctx.batch->PutNflog(entry);

  if (ctx.email) {
    ctx.batch->AddOutbox(
        ToOutbox(*ctx.email, EmailKind::kNotification, ctx.group_key, ctx.receiver, ctx.now));
  }
  return StageOutcome::kContinue;
}

OutboxMessage ToOutbox(const Email& e, EmailKind kind, const std::string& group_key,
                       const std::string& receiver, Timestamp now) {
  OutboxMessage m;
  m.message_id = e.message_id;
  m.kind = std::string(EmailKindText(kind));
  m.group_key = group_key;
  m.receiver = receiver;
  m.subject = e.subject;
  m.envelope_from = e.envelope_from;
  m.recipients = e.recipients;
  m.data = e.data;
  m.created_at = m.next_attempt_at = now;
  return m;
}

}  // namespace alertdigest
