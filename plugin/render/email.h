// What the pipeline hands the renderer (Notification) and what it gets back (Email): a complete
// RFC 5322 message, serialised once. Every transport sends exactly these bytes, so a retry after
// a crash carries the same Message-ID and body (STYLE: no one-shot part sources).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/alert.h"
#include "render/digest_report.h"

namespace alertdigest {

// Why a group notification goes out (Alertmanager's notification_reason).
enum class NotifyReason { kFirstNotification, kNewAlerts, kSomeResolved, kAllResolved, kRepeat };
std::string_view NotifyReasonText(NotifyReason r);  // "first notification", "new alerts", …

// Value of the X-Alertdigest-Kind header.
enum class EmailKind { kNotification, kDigest, kEscalation, kTest };
std::string_view EmailKindText(EmailKind k);  // "notification", "digest", "escalation", "test"

struct Notification {
  EmailKind kind = EmailKind::kNotification;
  std::string receiver;   // Receiver::name
  std::string group_key;  // {}/{…}:{alertname="X"}
  LabelSet group_labels;
  std::vector<Alert> firing;    // sorted by startsAt, then fingerprint
  std::vector<Alert> resolved;  // already filtered by send_resolved
  NotifyReason reason = NotifyReason::kFirstNotification;
  Timestamp now = kNoTime;
  // Groups on a route with an escalation policy: the signed ack link of the current episode
  // (empty once acknowledged) and, once acknowledged, who did it.
  std::string ack_url;
  std::optional<AckInfo> ack;
};

// Threading of one group episode: the first mail's Message-ID and subject. Empty for the first
// mail of an episode; the renderer then generates both.
struct EpisodeThread {
  std::string first_message_id;  // without <>
  std::string subject;           // reused verbatim so the subject stays stable in the episode
};

struct Email {
  std::string message_id;  // without <>, unique, e.g. "20261126T010818.930Z.3f2a…@alertdigest"
  std::string subject;     // decoded text (for logs and the episode)
  std::string envelope_from;
  std::vector<std::string> recipients;  // bare addresses of To + Cc + Bcc, deduplicated
  std::string data;                     // the full message, CRLF line ends
};

}  // namespace alertdigest
