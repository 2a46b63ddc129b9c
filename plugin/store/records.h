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

// One firing episode of an alert (fingerprint + start), the history digests read. Written when
// the episode starts and again when its end becomes known (an explicit resolve, a new episode
// replacing it, or the dispatcher forgetting it); ends_at == kNoTime while the end is unknown
// (still firing, or resolved by timeout and not yet forgotten: the alert table knows).
struct EpisodeRecord {
  Fingerprint fingerprint;
  Timestamp starts_at = kNoTime;
  Timestamp ends_at = kNoTime;
  LabelSet labels;
  LabelSet annotations;
};

// Where a [[digest]] rule stands: the last scheduled run it has sent (or skipped as empty) and
// the start of the next window. Written in the same transaction as the digest's outbox row.
struct DigestState {
  std::string name;
  Timestamp last_run_at = kNoTime;   // the scheduled time, not the send time
  Timestamp window_start = kNoTime;
};

// The escalation of one group episode (dispatch/escalator.h).
struct EscalationRecord {
  std::string group_key;
  std::string policy;        // EscalationPolicy::name
  std::string receiver;      // the route's receiver (templates, From)
  LabelSet group_labels;
  int64_t episode = 0;       // 1, 2, …: bumped when new alerts join or the group fires again
  Timestamp episode_started_at = kNoTime;
  std::vector<Fingerprint> firing;  // the episode's firing alerts at the last flush, sorted
  // The climb (schedule/escalation_plan.h ClimbPosition).
  Timestamp climb_started_at = kNoTime;
  int next_step = 0;
  int repeats_sent = 0;
  Timestamp next_due_at = kNoTime;  // kNoTime: nothing due (acked, or all steps sent)
  // Acknowledgement of this episode; acked_at == kNoTime when not acknowledged.
  Timestamp acked_at = kNoTime;
  std::string acked_by;
  std::string ack_comment;
  std::string ack_via;  // "link" | "api" | "cli" | "nagios"
  // Threading of the escalation mails of this episode.
  std::string thread_message_id;
  std::string thread_subject;
};

// An alert a mute time interval held back from a receiver: digests list it so nothing muted by
// quiet hours is silently dropped. One row per (group, alert, interval); later holds move
// last_at.
struct DeferredRecord {
  std::string group_key;
  std::string receiver;
  Fingerprint fingerprint;
  LabelSet labels;
  std::string interval;  // the time interval's name ("nights")
  Timestamp first_at = kNoTime;
  Timestamp last_at = kNoTime;
};

struct OutboxStats {
  int64_t pending = 0;
  int64_t sent = 0;
  int64_t dead = 0;
  Timestamp oldest_pending = kNoTime;
};

}  // namespace alertdigest
