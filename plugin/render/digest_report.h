// What a calendar digest or an escalation mail says, as plain data: built by dispatch/
// (digest_scheduler.h, escalator.h) from the store and the alert table, rendered by
// EmailRenderer::RenderDigest / RenderEscalation.
#pragma once

#include <string>
#include <vector>

#include "core/alert.h"

namespace alertdigest {

// An acknowledgement as the mails show it.
struct AckInfo {
  std::string by;
  std::string comment;
  std::string via;  // "link" | "api" | "cli" | "nagios"
  Timestamp at = kNoTime;
};

// One alert in a digest section.
struct DigestEntry {
  Fingerprint fingerprint;
  LabelSet labels;
  LabelSet annotations;
  Timestamp starts_at = kNoTime;  // of the (latest) episode in the window
  Timestamp ends_at = kNoTime;    // kNoTime while still open
  int fired_count = 1;            // episodes that started in the window
};

struct DigestCount {
  std::string what;  // an alertname, or a label set in Prometheus text form
  int64_t count = 0;
};

// A recorded event in the window: Nagios FLAPPINGSTART/STOP, DOWNTIMESTART/END, or an
// ACKNOWLEDGEMENT (from any source).
struct DigestEvent {
  std::string type;
  std::string source;
  LabelSet labels;
  std::string author;
  std::string comment;
  Timestamp at = kNoTime;
};

// Alerts a mute time interval held back from a receiver during the window.
struct DigestDeferred {
  LabelSet labels;
  std::string receiver;
  std::string interval;
  Timestamp first_at = kNoTime;
  Timestamp last_at = kNoTime;
};

struct DigestReport {
  std::string rule;      // DigestRule::name
  std::string receiver;  // whose templates' From/To apply
  std::string timezone;  // times in the mail are shown in this zone (plus UTC in the CSV)
  Timestamp window_start = kNoTime;
  Timestamp window_end = kNoTime;  // == the scheduled run
  Timestamp generated_at = kNoTime;
  bool late = false;  // sent after its scheduled time because the daemon was down
  int flapping_threshold = 3;
  // Sections; each sorted for reading (newest first for fired/resolved, oldest start first for
  // open). The renderer shows a bounded number of each and summarises the rest ("and N more");
  // the CSV attachment (receiver attach = "csv") lists all of them.
  std::vector<DigestEntry> fired;     // episodes that started in the window
  std::vector<DigestEntry> open;      // still firing at window_end
  std::vector<DigestEntry> resolved;  // ended in the window
  std::vector<DigestEntry> flapping;  // fired more than flapping_threshold times
  std::vector<DigestCount> noisiest_alertnames;  // top by episodes in the window
  std::vector<DigestCount> noisiest_label_sets;
  std::vector<DigestEvent> events;
  std::vector<DigestDeferred> deferred;

  bool empty() const {
    return fired.empty() && open.empty() && resolved.empty() && events.empty() &&
           deferred.empty();
  }
};

// One escalation mail: a step of a policy for one group episode.
struct EscalationNotice {
  std::string group_key;
  LabelSet group_labels;
  std::string receiver;  // the route's receiver (From; never its To: the step says whom)
  std::string policy;
  int step = 1;          // 1-based
  int step_count = 1;
  bool repeat = false;   // a repeat of the last step
  bool late = false;     // came due while the daemon was down
  std::vector<std::string> recipients;  // already resolved (rotations → members)
  std::string on_call_note;             // e.g. "ann@example.com is on call in db-primary"
  int64_t episode = 0;
  Timestamp episode_started_at = kNoTime;
  std::vector<Alert> firing;  // sorted by startsAt, then fingerprint
  std::string ack_url;        // signed link (external_url + "/ack/" + token)
  Timestamp ack_expires_at = kNoTime;
  Timestamp now = kNoTime;
};

}  // namespace alertdigest
