#include "schedule/rotation.h"

#include <date/tz.h>

#include <algorithm>

#include "schedule/cron_schedule.h"

namespace alertdigest {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// Hand-off n of a rotation, as a UTC instant on its wall clock (or on UTC without a zone).
class Handoffs {
 public:
  explicit Handoffs(const Rotation& r)
      : rotation_(r),
        zone_(FindZone(r.timezone)),
        shift_days_(std::max<int64_t>(1, std::chrono::floor<hours>(r.shift).count() / 24)) {}

  date::local_time<Duration> Local(int64_t n) const {
    const date::local_days day{date::days(rotation_.start_day + n * shift_days_)};
    return date::local_time<Duration>{day} + minutes(rotation_.handoff_minute);
  }

  Timestamp Instant(int64_t n) const {
    const date::local_time<Duration> local = Local(n);
    if (zone_ == nullptr) return Timestamp{local.time_since_epoch()};
    const date::local_info info = zone_->get_info(date::floor<std::chrono::seconds>(local));
    if (info.result == date::local_info::nonexistent) {
      return std::chrono::time_point_cast<Duration>(info.first.end);  // after the gap
    }
    return Timestamp{local.time_since_epoch() - info.first.offset};  // first occurrence
  }

  // The n with Instant(n) <= at < Instant(n + 1).
  int64_t ShiftAt(Timestamp at) const {
    const date::local_time<Duration> local =
        zone_ == nullptr ? date::local_time<Duration>{at.time_since_epoch()} : zone_->to_local(at);
    const Duration period = hours(24 * shift_days_);
    const Duration since_start = local - Local(0);
    int64_t n = since_start.count() / period.count();
    if (since_start.count() % period.count() < 0) --n;  // floor, also before the start
    while (Instant(n) > at) --n;
    while (Instant(n + 1) <= at) ++n;
    return n;
  }

 private:
  const Rotation& rotation_;
  const date::time_zone* zone_;
  int64_t shift_days_;
};

// The override in effect at `at`: of those covering it, the one that began last.
const RotationOverride* OverrideAt(const Rotation& r, Timestamp at) {
  const RotationOverride* winner = nullptr;
  for (const RotationOverride& o : r.overrides) {
    if (o.start <= at && at < o.end && (winner == nullptr || o.start >= winner->start)) {
      winner = &o;
    }
  }
  return winner;
}

}  // namespace

OnCall WhoIsOnCall(const Rotation& rotation, Timestamp at) {
  OnCall out;
  if (const RotationOverride* o = OverrideAt(rotation, at)) {
    out.member = o->member;
    out.override_name = o->name;
    out.shift_start = o->start;
    out.shift_end = o->end;
    for (const RotationOverride& other : rotation.overrides) {
      if (&other == o || other.start <= o->start) continue;
      // A nested override that began later takes over at its start …
      if (other.start > at) out.shift_end = std::min(out.shift_end, other.start);
      // … and, once over, hands back at its end.
      if (other.end <= at) out.shift_start = std::max(out.shift_start, other.end);
    }
    return out;
  }
  if (rotation.members.empty()) return out;
  const Handoffs handoffs(rotation);
  const int64_t n = handoffs.ShiftAt(at);
  const auto size = static_cast<int64_t>(rotation.members.size());
  out.member = rotation.members[static_cast<size_t>(((n % size) + size) % size)];
  out.shift_start = handoffs.Instant(n);
  out.shift_end = handoffs.Instant(n + 1);
  for (const RotationOverride& o : rotation.overrides) {
    if (o.end > out.shift_start && o.end <= at) out.shift_start = o.end;
    if (o.start > at && o.start < out.shift_end) out.shift_end = o.start;
  }
  return out;
}

}  // namespace alertdigest
