#include "deliver/outbox_worker.h"

#include <algorithm>
#include <random>

#include "core/crash_point.h"
#include "core/log.h"

namespace alertdigest {

OutboxWorker::OutboxWorker(Store& store, Transport& transport, const Clock& clock,
                           RetryConfig retry, std::function<double()> jitter)
    : store_(store), transport_(transport), clock_(clock), retry_(retry), jitter_(std::move(jitter)) {
  if (!jitter_) {
    jitter_ = [rng = std::mt19937_64(std::random_device{}()),
               dist = std::uniform_real_distribution<double>(0.8, 1.2)]() mutable {
      return dist(rng);
    };
  }
}

Duration OutboxWorker::Backoff(int attempts) const {
  double ms = static_cast<double>(retry_.initial.count());
  for (int i = 0; i < attempts && ms < retry_.max.count(); ++i) ms *= 2;
  ms = std::min(ms, static_cast<double>(retry_.max.count())) * jitter_();
  return Duration{static_cast<int64_t>(ms)};
}

Result<std::vector<DeliveryReport>> OutboxWorker::DeliverDue(int limit) {
  auto due = store_.DueOutbox(clock_.Now(), limit);
  if (!due.ok()) return due.status();
  std::vector<DeliveryReport> reports;
  for (const OutboxMessage& m : due.value()) {
    DeliveryReport r{m.id, m.message_id, m.receiver, m.subject, transport_.Deliver(m)};
    Timestamp now = clock_.Now();
    Status s;
    switch (r.result.kind) {
      case DeliveryResult::Kind::kDelivered:
        CrashPoint("deliver.before-mark-sent");
        s = store_.MarkSent(m.id, now);
        log::Info("delivered", {{"transport", transport_.name()}, {"message_id", m.message_id},
                                {"receiver", m.receiver}, {"to", r.result.detail}});
        break;
      case DeliveryResult::Kind::kTransient:
        r.dead = now - m.created_at >= retry_.give_up;
        s = store_.MarkFailed(m.id, now + Backoff(m.attempts), r.result.detail, r.dead);
        log::Warn(r.dead ? "delivery failed; giving up (dead letter)" : "delivery failed; will retry",
                  {{"transport", transport_.name()}, {"message_id", m.message_id},
                   {"attempt", m.attempts + 1}, {"err", r.result.detail}});
        break;
      case DeliveryResult::Kind::kPermanent:
        r.dead = true;
        s = store_.MarkFailed(m.id, now, r.result.detail, true);
        log::Error("delivery failed permanently (dead letter)",
                   {{"transport", transport_.name()}, {"message_id", m.message_id},
                    {"err", r.result.detail}});
        break;
    }
    if (!s.ok()) return s;
    reports.push_back(std::move(r));
  }
  return reports;
}

}  // namespace alertdigest
