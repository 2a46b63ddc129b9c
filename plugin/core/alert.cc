#include "core/alert.h"

namespace alertdigest {

void Alert::Finalize(Timestamp received_at, Duration resolve_timeout) {
  updated_at = received_at;
  if (starts_at == kNoTime) starts_at = ends_at != kNoTime ? ends_at : received_at;
  if (ends_at == kNoTime) {
    ends_at = received_at + resolve_timeout;
    ends_at_is_timeout = true;
  }
  fingerprint = labels.ComputeFingerprint();
}

Alert MergeIncoming(const Alert& stored, Alert incoming) {
  // Alertmanager provider/mem: merge only when the active ranges overlap.
  bool overlaps =
      (incoming.ends_at > stored.starts_at && incoming.ends_at < stored.ends_at) ||
      (incoming.starts_at > stored.starts_at && incoming.starts_at < stored.ends_at);
  if (!overlaps) return incoming;

  // types.Alert.Merge: the younger alert is authoritative for annotations and end.
  bool incoming_is_younger = !(incoming.updated_at < stored.updated_at);
  Alert res = incoming_is_younger ? std::move(incoming) : stored;
  const Alert& older = incoming_is_younger ? stored : incoming;
  if (older.starts_at < res.starts_at) res.starts_at = older.starts_at;
  bool younger_resolved = !res.ends_at_is_timeout && res.ends_at <= res.updated_at;
  bool older_resolved = !older.ends_at_is_timeout && older.ends_at <= older.updated_at;
  if (younger_resolved) {
    // The latest explicit resolve time wins if both are resolved.
    if (older_resolved && older.ends_at > res.ends_at) res.ends_at = older.ends_at;
  } else if (older.ends_at > res.ends_at && !older.ends_at_is_timeout) {
    // A non-timeout end always rules if it is the latest.
    res.ends_at = older.ends_at;
    res.ends_at_is_timeout = false;
  }
  return res;
}

}  // namespace alertdigest
