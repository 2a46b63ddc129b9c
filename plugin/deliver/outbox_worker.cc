#include "deliver/outbox_worker.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "core/crash_point.h"
#include "core/log.h"

namespace alertdigest {
namespace {

constexpr Duration kSelfClearingPause = std::chrono::hours(1);
constexpr Duration kBudgetRecheck = std::chrono::minutes(10);
constexpr Duration kBudgetWindow = std::chrono::hours(24);
constexpr size_t kSentGroup = 32;

std::vector<std::string> Without(const std::vector<std::string>& all,
                                 const std::vector<RefusedRecipient>& drop) {
  std::vector<std::string> out;
  for (const auto& a : all) {
    bool dropped = std::any_of(drop.begin(), drop.end(),
                               [&](const RefusedRecipient& r) { return r.address == a; });
    if (!dropped) out.push_back(a);
  }
  return out;
}

}  // namespace

OutboxWorker::OutboxWorker(Store& store, Transport& transport, const Clock& clock,
                           OutboxWorkerOptions options, std::function<double()> jitter)
    : store_(store),
      transport_(transport),
      clock_(clock),
      options_(options),
      jitter_(std::move(jitter)) {
  if (!jitter_) {
    jitter_ = [rng = std::mt19937_64(std::random_device{}()),
               dist = std::uniform_real_distribution<double>(0.8, 1.2)]() mutable {
      return dist(rng);
    };
  }
}

Duration OutboxWorker::Backoff(int attempts) const {
  double ms = static_cast<double>(options_.retry.initial.count());
  for (int i = 0; i < attempts && ms < options_.retry.max.count(); ++i) ms *= 2;
  ms = std::min(ms, static_cast<double>(options_.retry.max.count())) * jitter_();
  return Duration{static_cast<int64_t>(ms)};
}

Result<int> OutboxWorker::BudgetLeft(Timestamp now) {
  if (options_.daily_budget <= 0) return 1 << 30;
  auto sent = store_.CountSentSince(now - kBudgetWindow);
  if (!sent.ok()) return sent.status();
  int left = options_.daily_budget - static_cast<int>(*sent);
  if (left <= 0) {
    pause_ = Pause{now + kBudgetRecheck,
                   fmt::format("daily budget reached: {} messages sent in the last 24 hours",
                               *sent),
                   "messages wait in the outbox until the rolling 24-hour window frees up; "
                   "raise smtp.daily_budget only if the account's real limit is higher"};
    log::Warn("sending held back by the daily budget",
              {{"sent_24h", *sent}, {"daily_budget", options_.daily_budget}});
  }
  return left;
}

Result<std::vector<DeliveryReport>> OutboxWorker::DeliverDue(int limit) {
  Timestamp now = clock_.Now();
  if (pause_) {
    if (pause_->until == kNoTime || pause_->until > now) return std::vector<DeliveryReport>{};
    log::Info("sending resumes", {{"after", pause_->reason}});
    pause_.reset();
  }
  // Marks a failed commit left behind (the store could not be written): they go first, and
  // nothing is sent while they can't be recorded — else every call would hand the same
  // messages to the transport again.
  if (Status s = CommitSent(now); !s.ok()) return s;
  auto left = BudgetLeft(now);
  if (!left.ok()) return left.status();
  if (*left <= 0) return std::vector<DeliveryReport>{};
  auto due = store_.DueOutbox(now, std::min(limit, *left));
  if (!due.ok()) return due.status();

  std::vector<DeliveryReport> reports;
  for (const OutboxMessage& m : due.value()) {
    auto started = std::chrono::steady_clock::now();
    DeliveryReport r{m.id, m.message_id, m.receiver, m.subject, transport_.Deliver(m)};
    r.took = std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started);
    now = clock_.Now();
    if (r.result.account_problem) {
      // Not this message's fault: it keeps its place and its attempts; everything waits.
      pause_ = Pause{r.result.retry_later ? now + kSelfClearingPause : kNoTime, r.result.detail,
                     r.result.hint};
      log::Error("sending paused: the mail account or its configuration needs attention",
                 {{"transport", transport_.name()}, {"err", r.result.detail},
                  {"what_to_do", r.result.hint},
                  {"until", r.result.retry_later ? FormatRfc3339(pause_->until)
                                                 : std::string("reload or restart")}});
      reports.push_back(std::move(r));
      break;
    }
    if (Status s = Record(m, r, now); !s.ok()) {
      transport_.EndBatch();
      CommitSent(now);
      return s;
    }
    reports.push_back(std::move(r));
  }
  transport_.EndBatch();
  if (Status s = CommitSent(clock_.Now()); !s.ok()) return s;
  return reports;
}

Status OutboxWorker::CommitSent(Timestamp now) {
  if (delivered_unmarked_.empty()) return Status::Ok();
  Status s = store_.MarkSent(delivered_unmarked_, now);
  // On failure they stay here (DeliverDue commits them before sending anything else) and
  // pending in the store: only a restart before the store recovers re-delivers them, once,
  // with the same Message-ID.
  if (s.ok()) delivered_unmarked_.clear();
  return s;
}

Status OutboxWorker::Record(const OutboxMessage& m, DeliveryReport& r, Timestamp now) {
  const DeliveryResult& res = r.result;
  std::vector<std::string> owed = Without(m.recipients, res.rejected_recipients);
  if (!res.rejected_recipients.empty() && !owed.empty()) {
    // Refused one by one while others still get it: dead letters per recipient. (When nobody
    // is left, the message itself becomes the dead letter below.)
    std::vector<DeadRecipient> dead;
    for (const RefusedRecipient& rr : res.rejected_recipients)
      dead.push_back({m.id, rr.address, rr.reason, now});
    if (Status s = store_.AddDeadRecipients(dead); !s.ok()) return s;
  }
  switch (res.kind) {
    case DeliveryResult::Kind::kDelivered:
      CrashPoint("deliver.before-mark-sent");
      log::Info("delivered", {{"transport", transport_.name()}, {"message_id", m.message_id},
                              {"receiver", m.receiver}, {"to", res.detail}});
      if (!res.deferred_recipients.empty()) {
        return store_.RetryRecipients(m.id, res.deferred_recipients, now + Backoff(m.attempts),
                                      res.hint.empty() ? res.detail : res.hint);
      }
      delivered_unmarked_.push_back(m.id);
      return delivered_unmarked_.size() >= kSentGroup ? CommitSent(now) : Status::Ok();
    case DeliveryResult::Kind::kTransient:
      r.dead = owed.empty() || now - m.created_at >= options_.retry.give_up;
      log::Warn(r.dead ? "delivery failed; giving up (dead letter)" : "delivery failed; will retry",
                {{"transport", transport_.name()}, {"message_id", m.message_id},
                 {"attempt", m.attempts + 1}, {"err", res.detail}});
      if (!r.dead && owed.size() != m.recipients.size())
        return store_.RetryRecipients(m.id, owed, now + Backoff(m.attempts), res.detail);
      return store_.MarkFailed(m.id, now + Backoff(m.attempts), res.detail, r.dead);
    case DeliveryResult::Kind::kPermanent:
      r.dead = true;
      log::Error("delivery failed permanently (dead letter)",
                 {{"transport", transport_.name()}, {"message_id", m.message_id},
                  {"err", res.detail}, {"what_to_do", res.hint}});
      return store_.MarkFailed(m.id, now, res.detail, true);
  }
  return Status::Ok();
}

}  // namespace alertdigest
