// Daemon: `alertdigest serve` without its HTTP front: intake, timers and delivery in one
// process, behind the Intake interface the HTTP server and tests call.
//
// Threads:
//   engine thread — owns the Engine's dispatcher: ingests submitted batches (group commit: every
//                   submission waiting at that moment is merged and committed in ONE
//                   transaction, then all are answered), drains the Nagios spool, fires group
//                   timers (FlushDue), runs reloads and API queries as tasks;
//   outbox thread — delivers due mail through the Engine's OutboxWorker; woken when a flush
//                   queued mail, else at the next retry time.
//   callers       — any thread: Submit() blocks until its alerts are committed (or refused).
//                   SubmitAllAsync() (the HTTP event loop) ingests and commits on the caller's
//                   thread when the engine thread is idle, else queues like Submit(); a flag
//                   (engine_busy_) gives the engine to one thread at a time.
// Overload: at most `max_pending_alerts` may wait for a commit; beyond that Submit answers
// Unavailable at once (the HTTP layer turns it into 503) instead of queueing without bound.
// Reload builds a complete new Engine from the new config and swaps it in only if that worked.
//
// Thread-safety: all public methods are thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/engine.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "ingest/intake.h"
#include "store/state_lock.h"

namespace alertdigest {

struct DaemonOptions {
  size_t max_pending_alerts = 200000;
  Duration spool_poll = std::chrono::milliseconds(500);
};

class Daemon final : public Intake {
 public:
  // Loads the config, locks the state file (StateLock: one owner at a time), opens the state
  // and starts both threads. Errors: the config's errors (one per line) as InvalidArgument;
  // Unavailable when another process owns the state; the store's as they come.
  static Result<std::unique_ptr<Daemon>> Start(const std::string& config_path, const Clock& clock,
                                               MetricsRegistry& metrics,
                                               DaemonOptions options = {});
  ~Daemon() override;

  // Finishes what was submitted (commits it), lets the outbox worker finish the message in
  // hand, and joins the threads. Submissions after this answer Unavailable.
  void Stop();

  std::shared_ptr<const Config> config() const;
  // The current config's ack link key (nullptr without ack_key_file), for the ack pages: after
  // a reload, the new one. Keeps its engine alive while held.
  std::shared_ptr<const AckSigner> ack_signer() const;

  // Intake
  Status Submit(std::vector<Alert>&& alerts, std::string_view source) override;
  // All batches queued under one lock and one wake-up: the engine commits them together.
  void SubmitAllAsync(std::shared_ptr<std::vector<IntakeBatch>> batches,
                      std::function<void()> done) override;
  std::vector<AlertSnapshot> ListAlerts() override;
  // Silences live in the store only (read and written on the engine thread); each write also
  // drops silences expired longer than kSilenceRetention (mute/silencer.h).
  Result<std::string> PutSilence(Silence s) override;
  std::vector<Silence> ListSilences() override;
  Status ExpireSilence(const std::string& id) override;
  Status Reload() override;
  Result<AckResult> Acknowledge(const AckRequest& request) override;
  Result<AckPreview> PreviewAck(const std::string& group_key, int64_t episode) override;
  bool Ready() const override { return ready_; }
  std::string Metrics() override;

 private:
  // Queues one submission (mu_ held); Unavailable when stopping or overloaded.
  Status EnqueueLocked(std::vector<Alert>&& alerts, std::string_view source,
                       std::function<void(Status)> done);
  struct Submission {
    std::vector<Alert> alerts;
    std::string source;
    std::function<void(Status)> done;  // on the engine thread, after the commit
  };

  Daemon(std::string config_path, const Clock& clock, MetricsRegistry& metrics, DaemonOptions o);
  void EngineLoop();
  void OutboxLoop();
  void AcceptSubmissions(std::deque<Submission>& batch);
  void DrainSpool();
  // Runs `task` on the engine thread and waits for it.
  void RunOnEngine(std::function<void()> task);
  std::shared_ptr<Engine> engine() const;
  void WakeOutbox();
  void UpdateGauges();
  void RefreshSilences();

  const std::string config_path_;
  const Clock& clock_;
  MetricsRegistry& metrics_;
  const DaemonOptions options_;

  // Held from before the state is opened until after the last engine closed it (declared
  // before engine_, so destroyed after it).
  StateLock state_lock_;
  mutable std::mutex engine_mu_;
  std::shared_ptr<Engine> engine_;  // guarded by engine_mu_; replaced by reloads

  std::mutex mu_;  // guards the queues and flags below
  std::condition_variable engine_cv_;
  std::deque<Submission> submissions_;
  size_t pending_alerts_ = 0;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  // Someone works on the engine: the engine thread, or a SubmitAllAsync caller ingesting
  // directly while the engine thread is idle. Nobody else touches the engine meanwhile.
  bool engine_busy_ = false;
  Timestamp engine_wake_at_ = kNoTime;  // when the engine thread plans to wake next
  bool engine_recheck_ = false;         // a direct ingest made a group due sooner than that
  bool engine_waits_for_idle_ = false;  // the engine thread waits for engine_busy_ to clear

  std::mutex outbox_mu_;
  std::condition_variable outbox_cv_;
  bool outbox_wake_ = false;  // guarded by outbox_mu_
  bool outbox_stop_ = false;  // guarded by outbox_mu_

  std::atomic<bool> ready_{false};
  std::atomic<bool> stopped_{false};
  std::thread engine_thread_;
  std::thread outbox_thread_;
};

}  // namespace alertdigest
