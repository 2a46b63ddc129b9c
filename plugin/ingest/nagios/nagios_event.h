// NagiosEvent: one Nagios (or Icinga) notification, read from its macros, and its mapping to the
// work the daemon takes over through the spool (store/records.h SpoolEntry).
//
// Identity (the labels; the fingerprint is computed from them):
//   alertname  service: SERVICEDESC; host: nagios.host_alertname, or by state "HostDown" /
//              "HostUnreachable" when that is not set
//   host       HOSTNAME
//   service    SERVICEDESC (service notifications only)
//   source     "nagios"
//   + one lower-case label per nagios.extra_labels macro that is set (e.g. hostgroupnames)
// The state and the severity are ANNOTATIONS, not labels: Nagios sends one notification stream
// per service whose state moves WARNING → CRITICAL → WARNING → OK, and a label that changes with
// the state would make each change a new alert whose predecessor never resolves. So a service
// problem is one alert from its first PROBLEM to its RECOVERY, whatever its states in between,
// and a RECOVERY resolves exactly the alert the PROBLEM created (same labels, same fingerprint).
// Routing: route on labels that do not change with the state — the service name, the host, or a
// custom variable copied by extra_labels (e.g. "_SERVICESEVERITY" from `_SEVERITY critical` in the
// service definition → label _serviceseverity). Annotations: summary (output), description (long
// output, "\n" turned into newlines), state, severity (critical for CRITICAL/DOWN/UNREACHABLE,
// warning for WARNING/UNKNOWN; on a RECOVERY the severity of the state it recovered from),
// notes_url, action_url, notification_number, contact, host_address (when set).
//
// Types:
//   PROBLEM   a firing alert. startsAt = LAST{SERVICE,HOST}STATECHANGE, else TIMET, else now (the
//             store keeps the earliest start of an episode). nagios.resolve = "recovery" (default):
//             endsAt = kNagiosOpenEnd, an explicit end, so the alert never resolves by
//             resolve_timeout while Nagios, which re-notifies only every notification_interval,
//             still sees a problem; only the RECOVERY ends it. "timeout": no endsAt, it resolves
//             after defaults.resolve_timeout unless notified again.
//   RECOVERY  the same alert resolved at TIMET (never later than now).
//   anything else (ACKNOWLEDGEMENT, FLAPPINGSTART/STOP/DISABLED, DOWNTIMESTART/END/CANCELLED,
//             CUSTOM, Icinga's FLAPPINGEND / DOWNTIMEREMOVED): an event with the identity labels,
//             NOTIFICATIONAUTHOR and NOTIFICATIONCOMMENT, at TIMET.
// Host alerts named by state: a PROBLEM whose LASTHOSTSTATE is the other problem state also
// resolves the other name, and a RECOVERY resolves the name of LASTHOSTSTATE (both names when the
// environment is missing). A fixed host_alertname avoids the question.
//
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "ingest/nagios/nagios_macros.h"
#include "store/records.h"

namespace alertdigest {

// The end of a PROBLEM that only its RECOVERY may end: 9999-12-31T23:59:59Z.
inline constexpr Timestamp kNagiosOpenEnd{Duration{253402300799000}};

struct NagiosEvent {
  std::string type;  // upper case: "PROBLEM", "RECOVERY", "ACKNOWLEDGEMENT", …
  bool is_host = false;  // SERVICEDESC empty
  std::string host;
  std::string service;
  std::string state;       // SERVICESTATE or HOSTSTATE
  std::string last_state;  // LASTSERVICESTATE or LASTHOSTSTATE ("" without environment)
  std::string output;
  std::string long_output;  // with real newlines
  std::string notes_url;
  std::string action_url;
  std::string notification_number;
  std::string contact;
  std::string host_address;
  std::string author;
  std::string comment;
  Timestamp state_changed_at = kNoTime;  // LAST…STATECHANGE
  Timestamp at = kNoTime;                // TIMET
  LabelSet extra_labels;                 // from nagios.extra_labels

  // Reads the notification. InvalidArgument when NOTIFICATIONTYPE or HOSTNAME is missing (the
  // command was not called by Nagios, or with fewer arguments than it needs).
  static Result<NagiosEvent> Parse(const NagiosMacros& macros, const NagiosConfig& config);

  // The spool entries for this notification (one, or two for a host alert named by state that
  // must resolve its other name), finalized at `now`.
  std::vector<SpoolEntry> ToSpoolEntries(const NagiosConfig& config, Timestamp now,
                                         Duration resolve_timeout) const;
};

// "critical" for CRITICAL, DOWN, UNREACHABLE; "warning" for WARNING, UNKNOWN; "" otherwise.
std::string NagiosSeverity(std::string_view state);

// One JSON object per entry, for `alertdigest nagios --dry-run`:
// {"kind":"alert","fingerprint":…,"labels":{…},"annotations":{…},"startsAt":…,"endsAt":…}
// {"kind":"event","type":…,"labels":{…},"author":…,"comment":…,"at":…}
std::string SpoolEntryToJson(const SpoolEntry& entry);

}  // namespace alertdigest
