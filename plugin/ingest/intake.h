// Intake: what the HTTP server and the Nagios command hand their work to. Implemented by the
// daemon (app/daemon.h), which owns the engine thread; tests use a fake.
//
// Thread-safety: every method may be called from any HTTP worker thread concurrently.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.h"
#include "core/status.h"
#include "dispatch/ack.h"
#include "store/records.h"

namespace alertdigest {

// One active alert as GET /api/v2/alerts shows it (Alertmanager's gettableAlert).
struct AlertSnapshot {
  Alert alert;
  std::vector<std::string> receivers;     // receiver names its routes lead to
  std::string state = "active";           // "active" | "suppressed" | "unprocessed"
  std::vector<std::string> silenced_by;   // ids of the active silences that match it
  std::vector<std::string> inhibited_by;  // fingerprints of the alerts that inhibit it
};

// One request's alerts for Intake::SubmitAllAsync, and what became of them.
struct IntakeBatch {
  std::vector<Alert> alerts;
  std::string source;
  Status result;  // set by SubmitAllAsync (Ok for a batch without alerts)
};

class Intake {
 public:
  virtual ~Intake() = default;

  // Hands finalized alerts to the engine and returns once they are committed to the state
  // file (then, and only then, the caller may answer 200). Errors:
  //   Unavailable — overloaded or shutting down: answer 503, the client keeps its alerts;
  //   IoError     — the commit failed (disk full…): answer 503, nothing was accepted.
  // `source` names the client for metrics: "prometheus", "alertmanager", "nagios", "api".
  virtual Status Submit(std::vector<Alert>&& alerts, std::string_view source) = 0;

  // Submit for several requests at once, for a server that reads many per turn: each batch gets
  // Submit's result in `result`, its alerts moved out. Returns at once, and `done` runs once
  // every batch has its result — on another thread (the daemon's engine thread, right after
  // the commit), or on this one when nothing had to wait. `done` must be cheap and must not call
  // the Intake. The daemon hands all batches to the engine in one go (one wake-up, one commit);
  // this default submits them one by one, waiting, then calls `done`.
  virtual void SubmitAllAsync(std::shared_ptr<std::vector<IntakeBatch>> batches,
                              std::function<void()> done) {
    for (IntakeBatch& b : *batches) {
      if (!b.alerts.empty()) b.result = Submit(std::move(b.alerts), b.source);
    }
    done();
  }

  // Active (not resolved) alerts, newest state, for GET /api/v2/alerts.
  virtual std::vector<AlertSnapshot> ListAlerts() = 0;

  // Silences (Alertmanager's API and `alertdigest silence`). PutSilence creates a silence when
  // s.id is empty and returns its new id; with s.id set it updates that silence in place (not
  // Alertmanager's "expire the old one, create a new one"; the id stays the same). A start in
  // the past becomes now. Errors: InvalidArgument — the silence breaks a rule of
  // mute/silencer.h Validate() (answer 400); NotFound — no silence has s.id (404);
  // IoError/Unavailable — it could not be stored (503).
  virtual Result<std::string> PutSilence(Silence s) = 0;
  // Every silence still kept, expired ones included.
  virtual std::vector<Silence> ListSilences() = 0;
  // Ends the silence now (a pending one never starts). NotFound for an unknown id;
  // InvalidArgument when it has already expired.
  virtual Status ExpireSilence(const std::string& id) = 0;

  // Rebuilds the whole configuration and swaps it in only if all of it is valid. The error
  // lists every problem ("file:line: key: message", one per line).
  virtual Status Reload() = 0;

  // Acknowledges the escalation episode of a group (stops its escalation and repeats; durable on
  // return). Errors: NotFound — no group with an escalation matches `group` ("no escalating
  // group …"); FailedPrecondition — the episode named has ended (resolved, or superseded by new
  // alerts: "this alert episode is over"); InvalidArgument — `by` is empty or `group` names
  // more than one group; IoError/Unavailable — not stored (503).
  virtual Result<AckResult> Acknowledge(const AckRequest& request) = 0;
  // For the confirmation page of an ack link (GET): NotFound when the group is unknown.
  virtual Result<AckPreview> PreviewAck(const std::string& group_key, int64_t episode) = 0;

  // True once the state is loaded and the engine runs (GET /readyz).
  virtual bool Ready() const = 0;

  // Prometheus text format for GET /metrics.
  virtual std::string Metrics() = 0;
};

}  // namespace alertdigest
