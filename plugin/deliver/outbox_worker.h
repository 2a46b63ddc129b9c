// OutboxWorker: delivers due outbox messages through a Transport and records the outcome.
// A message is marked sent only after the transport confirmed delivery; a crash in between
// re-delivers it once after restart with the same Message-ID (DESIGN.md §6). Transient failures
// retry with jittered exponential backoff (retry.initial doubling up to retry.max); after
// retry.give_up since the message was queued, or on a permanent failure, it becomes a dead
// letter with the reason kept.
//
// Thread-compatible: one worker per transport; the Store is thread-safe.
#pragma once

#include <functional>
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
};

class OutboxWorker {
 public:
  // `jitter` returns a factor in [0.8, 1.2]; tests pass a constant.
  OutboxWorker(Store& store, Transport& transport, const Clock& clock, RetryConfig retry,
               std::function<double()> jitter = {});

  // Attempts every message due now (up to `limit`), oldest first.
  Result<std::vector<DeliveryReport>> DeliverDue(int limit = 256);

  // The delay before attempt number `attempts + 1` (exposed for tests).
  Duration Backoff(int attempts) const;

 private:
  Store& store_;
  Transport& transport_;
  const Clock& clock_;
  RetryConfig retry_;
  std::function<double()> jitter_;
};

}  // namespace alertdigest
