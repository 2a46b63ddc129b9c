// DigestScheduler: the calendar digests. Each [[digest]] rule runs at its cron schedule on the
// wall clock of its time zone (schedule/cron_schedule.h: DST-correct) and mails what happened in
// its window — by default since its previous run — to its receiver: newly fired, still open,
// resolved, flapping, the noisiest alerts, Nagios flapping/downtime events, acknowledgements,
// and what mute time intervals deferred.
//
// An alert belongs to a digest when a route sends it to receiver "digest:<name>", or when the
// rule has matchers and all of them match.
//
// Durability: the digest's outbox row and the rule's new state (last run, next window start)
// commit in one transaction, so a restart neither skips nor repeats a digest. A rule first seen
// starts its window then (persisted at once). If the daemon was down at a scheduled time, the
// latest missed run is sent once on start, marked late, with a window reaching back to the
// previous digest.
//
// Thread-compatible: the engine thread owns it. Virtual time: tests advance a ManualClock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "pipeline/stage.h"
#include "render/digest_report.h"
#include "render/email_renderer.h"
#include "store/store.h"

namespace date {
class time_zone;
}

namespace alertdigest {

// History (alert episodes, deferred holds, events) is kept at least this long, and longer when
// a rule's window needs it.
inline constexpr Duration kMinHistoryRetention = std::chrono::hours(24 * 35);

class DigestScheduler {
 public:
  // All references must outlive the scheduler; `alerts` is the dispatcher's alert table (the
  // current end of episodes whose end the history does not know yet).
  DigestScheduler(const Config& config, Store& store, const Clock& clock,
                  const EmailRenderer& renderer, const AlertTable& alerts);

  // Loads the rules' states; a rule without one starts its first window now. Call once.
  Status Load();

  // The next scheduled run of any rule.
  std::optional<Timestamp> NextDeadline() const;

  // Runs every rule whose scheduled time has come; returns the number of digests queued (an
  // empty window without send_empty queues nothing but still moves the window). A failed
  // render is logged and retried a minute later; errors only when the store fails.
  Result<int> RunDue();

  // What the digest of `rule` for the window [from, to) says (no state change). Public for
  // previews and tests.
  Result<DigestReport> BuildReport(const DigestRule& rule, Timestamp from, Timestamp to) const;

 private:
  struct Scheduled {
    const DigestRule* rule = nullptr;
    const date::time_zone* zone = nullptr;
    DigestState state;
    Timestamp next_run = kNoTime;
  };
  bool Belongs(const DigestRule& rule, const LabelSet& labels) const;
  Status RunRule(Scheduled& s, Timestamp now, int* queued);
  Duration HistoryRetention() const;

  const Config& config_;
  Store& store_;
  const Clock& clock_;
  const EmailRenderer& renderer_;
  const AlertTable& alerts_;
  std::vector<Scheduled> rules_;
  Timestamp last_prune_ = kNoTime;
};

}  // namespace alertdigest
