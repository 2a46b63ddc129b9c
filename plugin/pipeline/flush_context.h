// FlushContext: what travels through the notification pipeline for one flush of one
// aggregation group, and what the stages add to it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "render/email.h"
#include "store/write_batch.h"

namespace alertdigest {

struct FlushContext {
  // Set by the dispatcher.
  const Route* route = nullptr;
  std::string receiver;
  std::string group_key;
  LabelSet group_labels;
  Timestamp now = kNoTime;
  std::vector<Alert> alerts;  // the group's members, each firing or resolved at `now`
  WriteBatch* batch = nullptr;  // everything that must commit with this flush goes here

  // Set by stages.
  NotifyReason reason = NotifyReason::kFirstNotification;
  const NflogEntry* previous = nullptr;  // the log entry before this flush, if any
  std::optional<Email> email;            // the mail that goes out, if any
  size_t muted = 0;                      // alerts held back by inhibition, silences, intervals
  // Escalating routes only (EscalationStage): the episode's acknowledgement, or its ack link.
  std::optional<AckInfo> ack;
  std::string ack_url;
};

}  // namespace alertdigest
