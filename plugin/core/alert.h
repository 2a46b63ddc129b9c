// Alert: the unit everything moves. Same fields and merge rules as Alertmanager's types.Alert.
#pragma once

#include <string>

#include "core/compact_string.h"
#include "core/label_set.h"
#include "core/time.h"

namespace alertdigest {

struct Alert {
  LabelSet labels;       // identity (see fingerprint)
  LabelSet annotations;  // not identity
  Timestamp starts_at = kNoTime;
  Timestamp ends_at = kNoTime;
  // True when ends_at was not given by the source but set to receipt + resolve_timeout; such an
  // end is "soft" and loses to an explicit one on merge (Alertmanager's Alert.Timeout).
  bool ends_at_is_timeout = false;
  CompactString generator_url;
  Timestamp updated_at = kNoTime;  // when we last received it
  Fingerprint fingerprint;         // of labels; set by Finalize()

  // Resolved at `now` when it has an end and that end is not after now.
  bool ResolvedAt(Timestamp now) const { return ends_at != kNoTime && ends_at <= now; }

  // Fills the defaults Alertmanager's API fills, given the receipt time: a missing startsAt
  // becomes endsAt or now; a missing endsAt becomes now + resolve_timeout (soft).
  // Computes the fingerprint.
  void Finalize(Timestamp received_at, Duration resolve_timeout);
};

// Alertmanager's provider rule: when an alert with the same fingerprint is stored, merge the two
// if their active ranges overlap (keeping the earliest start and the authoritative end), else the
// incoming one replaces the stored one (a new episode of the same alert).
// Takes `incoming` by value so the usual case (the incoming alert is the younger) moves it.
Alert MergeIncoming(const Alert& stored, Alert incoming);

}  // namespace alertdigest
