// The rows the store keeps, as plain structs. The engine holds the working set in memory; the
// store is what survives a crash (DESIGN.md §6).
#pragma once

#include <string>
#include <vector>

#include "core/alert.h"
#include "core/matcher.h"

namespace alertdigest {

// An aggregation group: its timer state and member alerts.
struct GroupRecord {
  std::string group_key;  // route key + ":" + group labels
  std::string receiver;
  std::string route_key;
  LabelSet group_labels;
  Timestamp next_flush_at = kNoTime;
  bool has_flushed = false;
  std::vector<Fingerprint> members;  // sorted
};

// The notification log: what was last sent to a receiver for a group (Alertmanager's nflog).
struct NflogEntry {
  std::string receiver;
  std::string group_key;
  Timestamp sent_at = kNoTime;
  std::vector<Fingerprint> firing;    // sorted
  std::vector<Fingerprint> resolved;  // sorted
  // Threading of the group episode this entry belongs to (see EpisodeThread).
  std::string episode_message_id;
  std::string episode_subject;
};

enum class OutboxState { kPending, kSent, kDead };

struct OutboxMessage {
  int64_t id = 0;  // assigned by the store
  std::string message_id;
  std::string kind;  // X-Alertdigest-Kind
  std::string group_key;
  std::string receiver;
  std::string subject;
  std::string envelope_from;
  std::vector<std::string> recipients;
  std::string data;  // the full RFC 5322 message
  Timestamp created_at = kNoTime;
  Timestamp next_attempt_at = kNoTime;
  int attempts = 0;
  OutboxState state = OutboxState::kPending;
  std::string last_error;
  Timestamp sent_at = kNoTime;
};

// Work handed over durably by another process (the Nagios command): alerts to ingest, or an
// event the engine records (acknowledgement, flapping, downtime). The daemon drains the spool.
struct SpoolEntry {
  int64_t id = 0;  // assigned by the store
  std::string source;  // "nagios"
  enum class Kind { kAlert, kEvent };
  Kind kind = Kind::kAlert;
  Alert alert;             // kAlert: a finalized alert
  std::string event_type;  // kEvent: "ACKNOWLEDGEMENT", "FLAPPINGSTART", "DOWNTIMESTART", …
  LabelSet event_labels;   // kEvent: whom it concerns (host, service, alertname…)
  std::string author;
  std::string comment;
  Timestamp at = kNoTime;
};

// An event recorded for later (digests show flapping and downtime; escalation uses acks).
struct EventRecord {
  std::string source;
  std::string type;
  LabelSet labels;
  std::string author;
  std::string comment;
  Timestamp at = kNoTime;
};

// A recipient the server refused for good (5xx at RCPT) while others got the message.
struct DeadRecipient {
  int64_t outbox_id = 0;
  std::string recipient;
  std::string error;
  Timestamp at = kNoTime;
};

// A silence (Alertmanager's): mutes every alert all of whose labels its matchers match, from
// starts_at until ends_at. Expiring one sets ends_at to now; expired silences are kept for a
// retention time so they can still be listed. The store keeps the matchers as their canonical
// text (Matcher::ToString), one per line, and parses them again on load.
struct Silence {
  std::string id;  // UUID v4, 36 characters; assigned when the silence is created
  std::vector<Matcher> matchers;
  Timestamp starts_at = kNoTime;
  Timestamp ends_at = kNoTime;
  std::string created_by;
  std::string comment;
  Timestamp updated_at = kNoTime;
};

struct OutboxStats {
  int64_t pending = 0;
  int64_t sent = 0;
  int64_t dead = 0;
  Timestamp oldest_pending = kNoTime;
};

}  // namespace alertdigest
