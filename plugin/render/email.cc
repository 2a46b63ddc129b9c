#include "render/email.h"

namespace alertdigest {

std::string_view NotifyReasonText(NotifyReason r) {
  switch (r) {
    case NotifyReason::kFirstNotification:
      return "first notification";
    case NotifyReason::kNewAlerts:
      return "new alerts";
    case NotifyReason::kSomeResolved:
      return "some resolved";
    case NotifyReason::kAllResolved:
      return "all resolved";
    case NotifyReason::kRepeat:
      return "repeat";
  }
  return "unknown";
}

std::string_view EmailKindText(EmailKind k) {
  switch (k) {
    case EmailKind::kNotification:
      return "notification";
    case EmailKind::kDigest:
      return "digest";
    case EmailKind::kEscalation:
      return "escalation";
    case EmailKind::kTest:
      return "test";
  }
  return "unknown";
}

}  // namespace alertdigest
