// Acknowledging an escalating group episode: what is asked and what it did. Shared by the
// Escalator (which decides) and the Intake (HTTP ack pages, API, CLI, Nagios) that asks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/alert.h"

namespace alertdigest {

// An acknowledgement of a group's escalation episode, from a link, the API, the CLI or Nagios.
struct AckRequest {
  std::string group;   // a group key, or the 16-hex-digit group id (X-Alertdigest-Group)
  int64_t episode = 0;  // 0 = whatever episode is current (API/CLI); links name theirs
  std::string by;       // who ("ann@example.com", a Nagios contact); required
  std::string comment;
  std::string via;  // "link" | "api" | "cli" | "nagios"
};

// What an ack did, for the confirmation page and the API's answer.
struct AckResult {
  std::string group_key;
  int64_t episode = 0;
  bool already_acked = false;  // acknowledged before (by `previous`); nothing changed
  std::string previous_by;
  Timestamp at = kNoTime;
};

// What an ack link's confirmation page shows before the POST.
struct AckPreview {
  std::string group_key;
  LabelSet group_labels;
  int64_t episode = 0;
  bool current = false;  // the link's episode is the group's current, unresolved one
  std::vector<Alert> firing;
  std::string acked_by;  // non-empty when already acknowledged
  Timestamp acked_at = kNoTime;
};

}  // namespace alertdigest
