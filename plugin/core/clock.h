// The injected clock. Every timer, schedule and escalation reads time only through a Clock, so
// tests drive virtual time with ManualClock instead of sleeping.
#pragma once

#include <atomic>

#include "core/time.h"

namespace alertdigest {

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  }
};

// Virtual time for tests: starts where it is told and moves only when advanced. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_ms_(ToUnixMillis(start)) {}
  Timestamp Now() const override { return FromUnixMillis(now_ms_.load()); }
  void Advance(Duration d) { now_ms_ += d.count(); }
  void Set(Timestamp t) { now_ms_ = ToUnixMillis(t); }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace alertdigest
