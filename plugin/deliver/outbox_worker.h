// OutboxWorker: delivers due outbox messages through a Transport and records the outcome.
//
// - A message is marked sent only after the transport confirmed delivery; a crash in between
//   re-delivers it once after restart with the same Message-ID (DESIGN.md §6). Marks are
//   committed in groups (every kSentGroup deliveries and at the end of each batch): one commit
//   per message would cost a third of the SMTP throughput; the price is that a crash may
//   re-deliver the last few messages of a batch — each at most once, each with its Message-ID.
//   Marks the store refused (disk full) are kept and committed before anything else is sent.
// - Transient failures retry with jittered exponential backoff (retry.initial doubling up to
//   retry.max); after retry.give_up since the message was queued, or on a permanent failure, it
//   becomes a dead letter with the reason kept. Recipients refused for good are dead-lettered
//   one by one; the others still get the message.
// - Account problems (bad password, daily limit, untrusted certificate) pause the worker: the
//   message is not charged an attempt, everything stays queued, and the pause says what to do.
//   A pause that clears by itself (daily limit) ends after an hour; others until Resume()
//   (a reload) or the next process start.
// - With a daily budget, at most that many messages are sent in any rolling 24 hours; the
//   rest wait (Gmail blocks an account for a day when its limit is hit).
//
// Thread-compatible: one worker per transport, on one thread; the Store is thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "deliver/transport.h"
#include "store/store.h"

namespace alertdigest {

struct DeliveryReport {
  int64_t outbox_id = 0;
  std::string message_id;
  std::string receiver;
  std::string subject;
  DeliveryResult result;
  bool dead = false;  // dead-lettered by this attempt
  Duration took{};    // how long the transport took
};

struct OutboxWorkerOptions {
  RetryConfig retry;
  int daily_budget = 0;  // messages per rolling 24 h; 0 = no limit
};

class OutboxWorker {
 public:
  struct Pause {
    Timestamp until = kNoTime;  // kNoTime: until Resume()
    std::string reason;         // the server's words or the local error
    std::string hint;           // what to do
  };

  // `jitter` returns a factor in [0.8, 1.2]; tests pass a constant.
  OutboxWorker(Store& store, Transport& transport, const Clock& clock, OutboxWorkerOptions options,
               std::function<double()> jitter = {});

  // Attempts every message due now (up to `limit`), oldest first; nothing while paused, and
  // nothing (an error) while earlier sent marks still can't be committed.
  Result<std::vector<DeliveryReport>> DeliverDue(int limit = 256);

  // Why the worker is not sending, if it is not.
  const std::optional<Pause>& pause() const { return pause_; }
  void Resume() { pause_.reset(); }

  // The delay before attempt number `attempts + 1` (exposed for tests).
  Duration Backoff(int attempts) const;

 private:
  // Messages the budget still allows now; negative or zero: none (and pauses).
  Result<int> BudgetLeft(Timestamp now);
  Status Record(const OutboxMessage& m, DeliveryReport& r, Timestamp now);
  Status CommitSent(Timestamp now);

  Store& store_;
  Transport& transport_;
  const Clock& clock_;
  OutboxWorkerOptions options_;
  std::function<double()> jitter_;
  std::optional<Pause> pause_;
  std::vector<int64_t> delivered_unmarked_;  // delivered, sent mark not yet committed
};

}  // namespace alertdigest
