#include "dispatch/escalator.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/fingerprint.h"
#include "core/log.h"
#include "pipeline/outbox_stage.h"
#include "schedule/escalation_plan.h"
#include "schedule/rotation.h"

namespace alertdigest {
namespace {

// After a step could not be rendered or committed, the next try waits this long.
constexpr Duration kRetryAfterFailure = std::chrono::minutes(1);

// When the record next needs attention: its next step, or its ack timeout.
Timestamp DeadlineOf(const EscalationRecord& r, const EscalationPolicy& policy) {
  if (r.acked_at == kNoTime) return r.next_due_at;
  return policy.ack_timeout ? r.acked_at + *policy.ack_timeout : kNoTime;
}

// "ann@example.com is on call in db-primary" for every rotation the step names.
std::string OnCallNote(const Config& config, const EscalationStep& step, Timestamp now) {
  std::vector<std::string> notes;
  for (const std::string& target : step.to) {
    if (!target.starts_with("rotation:")) continue;
    const Rotation* rotation = config.FindRotation(target.substr(9));
    if (rotation == nullptr) continue;
    OnCall who = WhoIsOnCall(*rotation, now);
    notes.push_back(who.override_name.empty()
                        ? fmt::format("{} is on call in {}", who.member, rotation->name)
                        : fmt::format("{} is on call in {} (override \"{}\")", who.member,
                                      rotation->name, who.override_name));
  }
  std::string out;
  for (const std::string& n : notes) out += (out.empty() ? "" : "; ") + n;
  return out;
}

bool Includes(const LabelSet& labels, const LabelSet& subset) {
  for (LabelView l : subset) {
    if (labels.Get(l.name) != l.value) return false;
  }
  return true;
}

}  // namespace

Escalator::Escalator(const Config& config, Store& store, const Clock& clock, EscalationBook& book,
                     const EmailRenderer& renderer, const AckLinks& links,
                     const AlertTable& alerts)
    : config_(config),
      store_(store),
      clock_(clock),
      book_(book),
      renderer_(renderer),
      links_(links),
      alerts_(alerts) {}

Status Escalator::Load() {
  auto loaded = store_.LoadEscalations();
  if (!loaded.ok()) return loaded.status();
  std::vector<EscalationRecord> kept;
  WriteBatch dropped;
  for (EscalationRecord& r : *loaded) {
    if (config_.FindEscalation(r.policy) == nullptr) {
      log::Warn("dropping escalation of a removed policy",
                {{"group", r.group_key}, {"policy", r.policy}});
      dropped.DeleteEscalation(r.group_key);
      continue;
    }
    kept.push_back(std::move(r));
  }
  book_.Load(std::move(kept));
  return dropped.empty() ? Status::Ok() : store_.Write(dropped);
}

std::optional<Timestamp> Escalator::NextDeadline() const {
  std::optional<Timestamp> next;
  for (const auto& [key, r] : book_.records()) {
    const EscalationPolicy* policy = config_.FindEscalation(r.policy);
    if (policy == nullptr) continue;
    Timestamp at = DeadlineOf(r, *policy);
    if (auto retry = retry_after_.find(key); retry != retry_after_.end())
      at = std::max(at, retry->second);
    if (at != kNoTime && (!next || at < *next)) next = at;
  }
  return next;
}

std::vector<Alert> Escalator::StillFiring(const EscalationRecord& r, Timestamp now) const {
  std::vector<Alert> out;
  for (Fingerprint fp : r.firing) {
    const Alert* a = alerts_.Find(fp);
    if (a != nullptr && !a->ResolvedAt(now)) out.push_back(*a);
  }
  std::sort(out.begin(), out.end(), [](const Alert& a, const Alert& b) {
    return std::tie(a.starts_at, a.fingerprint) < std::tie(b.starts_at, b.fingerprint);
  });
  return out;
}

Result<int> Escalator::FireDue() {
  const Timestamp now = clock_.Now();
  std::vector<std::string> due;
  for (const auto& [key, r] : book_.records()) {
    const EscalationPolicy* policy = config_.FindEscalation(r.policy);
    if (policy == nullptr) continue;
    Timestamp at = DeadlineOf(r, *policy);
    if (auto retry = retry_after_.find(key); retry != retry_after_.end()) {
      if (now < retry->second) continue;
    }
    if (at != kNoTime && at <= now) due.push_back(key);
  }
  int queued = 0;
  for (const std::string& key : due) {
    const EscalationRecord* r = book_.Find(key);
    if (r == nullptr) continue;
    const EscalationPolicy& policy = *config_.FindEscalation(r->policy);
    if (StillFiring(*r, now).empty()) {
      WriteBatch b;
      b.DeleteEscalation(key);
      if (Status s = WriteAndApply(b); !s.ok()) return s;
      log::Info("escalation ended: nothing fires", {{"group", key}, {"episode", r->episode}});
      continue;
    }
    EscalationRecord next = *r;
    if (next.acked_at != kNoTime) {  // the ack timed out: climb again from the first step
      log::Info("acknowledgement timed out; escalating again",
                {{"group", key}, {"episode", next.episode}, {"acked_by", next.acked_by}});
      next.acked_at = kNoTime;
      next.acked_by.clear();
      next.ack_comment.clear();
      next.ack_via.clear();
      next.climb_started_at = now;
      next.next_step = 0;
      next.repeats_sent = 0;
      next.next_due_at = NextDue(policy, ClimbPosition{0, 0, now});
    }
    if (Status s = SendStep(next, policy, now, &queued); !s.ok()) {
      retry_after_[key] = now + kRetryAfterFailure;
      log::Error("escalation step failed; retrying in a minute",
                 {{"group", key}, {"err", s.message()}});
    } else {
      retry_after_.erase(key);
    }
  }
  return queued;
}

Status Escalator::SendStep(const EscalationRecord& r, const EscalationPolicy& policy,
                           Timestamp now, int* queued) {
  ClimbPosition pos{r.next_step, r.repeats_sent, r.climb_started_at};
  const Timestamp due = NextDue(policy, pos);
  const int step = TakeDueStep(policy, pos, now);
  EscalationRecord next = r;
  next.next_step = pos.next_step;
  next.repeats_sent = pos.repeats_sent;
  next.next_due_at = NextDue(policy, pos);
  WriteBatch b;
  if (step >= 0) {
    EscalationNotice n;
    n.group_key = r.group_key;
    n.group_labels = r.group_labels;
    n.receiver = r.receiver;
    n.policy = policy.name;
    n.step = step + 1;
    n.step_count = static_cast<int>(policy.steps.size());
    n.repeat = pos.repeats_sent > r.repeats_sent;
    n.late = due != kNoTime && now - due >= kLateAfter;
    n.recipients = StepRecipients(config_, policy.steps[step], now);
    n.on_call_note = OnCallNote(config_, policy.steps[step], now);
    n.episode = r.episode;
    n.episode_started_at = r.episode_started_at;
    n.firing = StillFiring(r, now);
    n.ack_url = links_.For(r.group_key, r.episode, now);
    n.ack_expires_at = links_.ExpiryFor(now);
    n.now = now;
    auto email = renderer_.RenderEscalation(n, {r.thread_message_id, r.thread_subject});
    if (!email.ok()) return email.status().Wrap("render escalation step");
    if (next.thread_message_id.empty()) {
      next.thread_message_id = email->message_id;
      next.thread_subject = email->subject;
    }
    b.AddOutbox(ToOutbox(*email, EmailKind::kEscalation, r.group_key, r.receiver, now));
    log::Info("escalation step queued",
              {{"group", r.group_key}, {"policy", policy.name}, {"step", n.step},
               {"repeat", n.repeat}, {"late", n.late},
               {"to", static_cast<int64_t>(n.recipients.size())},
               {"message_id", email->message_id}});
    ++*queued;
  }
  b.PutEscalation(next);
  return WriteAndApply(b);
}

const EscalationRecord* Escalator::Find(const std::string& group) const {
  if (const EscalationRecord* r = book_.Find(group)) return r;
  if (group.size() != 16) return nullptr;
  std::string id = group;
  std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& [key, r] : book_.records()) {
    if (HashHex(key) == id) return &r;
  }
  return nullptr;
}

Result<AckResult> Escalator::Acknowledge(const AckRequest& request) {
  if (request.by.empty()) {
    return Status::InvalidArgument("acknowledge: say who acknowledges (\"by\" is empty)");
  }
  const EscalationRecord* r = Find(request.group);
  if (r == nullptr) {
    if (request.episode != 0) {
      return Status::FailedPrecondition(
          "this alert episode is over: the group no longer fires, nothing to acknowledge");
    }
    return Status::NotFound(
        fmt::format("no escalating group \"{}\" (give a group key or its 16-digit id from the "
                    "mail's X-Alertdigest-Group header)",
                    request.group));
  }
  if (request.episode != 0 && request.episode != r->episode) {
    return Status::FailedPrecondition(
        "this alert episode is over: new alerts joined the group or it fired again since this "
        "link was sent; the newer mail carries a new link");
  }
  return Ack(*r, request.by, request.comment, request.via, clock_.Now());
}

Result<int> Escalator::AcknowledgeMatching(const LabelSet& labels, const std::string& by,
                                           const std::string& comment, const std::string& via) {
  const Timestamp now = clock_.Now();
  std::vector<std::string> keys;
  for (const auto& [key, r] : book_.records()) {
    for (const Alert& a : StillFiring(r, now)) {
      if (Includes(a.labels, labels)) {
        keys.push_back(key);
        break;
      }
    }
  }
  int acked = 0;
  for (const std::string& key : keys) {
    auto result = Ack(*book_.Find(key), by.empty() ? via : by, comment, via, now);
    if (!result.ok()) return result.status();
    if (!result->already_acked) ++acked;
  }
  return acked;
}

Result<AckResult> Escalator::Ack(const EscalationRecord& r, const std::string& by,
                                 const std::string& comment, const std::string& via,
                                 Timestamp now) {
  AckResult result{r.group_key, r.episode, false, "", now};
  if (r.acked_at != kNoTime) {
    result.already_acked = true;
    result.previous_by = r.acked_by;
    result.at = r.acked_at;
    return result;
  }
  EscalationRecord next = r;
  next.acked_at = now;
  next.acked_by = by;
  next.ack_comment = comment;
  next.ack_via = via;
  next.next_due_at = kNoTime;
  WriteBatch b;
  b.PutEscalation(next);
  b.AddEvent({via, "ACKNOWLEDGEMENT", r.group_labels, by, comment, now});
  if (Status s = WriteAndApply(b); !s.ok()) return s.Wrap("store acknowledgement");
  log::Info("episode acknowledged", {{"group", r.group_key}, {"episode", r.episode},
                                     {"by", by}, {"via", via}});
  return result;
}

Result<AckPreview> Escalator::Preview(const std::string& group_key, int64_t episode) const {
  AckPreview p;
  p.group_key = group_key;
  p.episode = episode;
  const EscalationRecord* r = Find(group_key);
  if (r == nullptr) return p;  // over: the page says so
  p.group_labels = r->group_labels;
  p.current = episode == 0 || episode == r->episode;
  if (!p.current) return p;
  p.episode = r->episode;
  p.firing = StillFiring(*r, clock_.Now());
  p.acked_by = r->acked_by;
  p.acked_at = r->acked_at;
  return p;
}

Status Escalator::WriteAndApply(const WriteBatch& batch) {
  if (Status s = store_.Write(batch); !s.ok()) return s;
  book_.ApplyCommitted(batch);
  return Status::Ok();
}

}  // namespace alertdigest
