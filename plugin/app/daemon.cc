#include "app/daemon.h"

#include <fmt/format.h>

#include "core/log.h"
#include "dispatch/route_matcher.h"
#include "mute/silencer.h"

namespace alertdigest {
namespace {

std::string JoinErrors(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const ConfigError& e : errors) out += (out.empty() ? "" : "\n") + e.ToString();
  return out;
}

// Loads and validates a config and builds an Engine from it (templates, state). `lock`, when
// given, receives the lock on the state file, taken before the state is opened.
Result<std::shared_ptr<Engine>> BuildEngine(const std::string& path, const Clock& clock,
                                            StateLock* lock = nullptr) {
  ConfigLoad load = LoadConfig(path);
  for (const ConfigError& w : load.warnings) log::Warn("config", {{"warning", w.ToString()}});
  if (!load.errors.empty()) return Status::InvalidArgument(JoinErrors(load.errors));
  if (lock) {
    auto acquired = StateLock::Acquire(load.config->storage.path);
    if (!acquired.ok()) return acquired.status();
    *lock = std::move(acquired).value();
  }
  std::vector<ConfigError> template_errors;
  auto engine = Engine::Create(load.config, clock, {}, &template_errors);
  if (!engine.ok()) {
    return template_errors.empty() ? engine.status()
                                   : Status::InvalidArgument(JoinErrors(template_errors));
  }
  return std::shared_ptr<Engine>(std::move(engine.value()));
}

// After the store failed (disk full, I/O error), how long the timers and the outbox wait before
// trying again. Without it a due group's timer, already past, would retry (and log) in a busy
// loop, and the outbox would re-deliver every message whose sent mark it cannot commit.
constexpr Duration kStoreRetry = std::chrono::seconds(1);

const std::vector<double> kLatencyBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                             0.5,   1,    2.5,   5,    10,  30};

}  // namespace

Daemon::Daemon(std::string config_path, const Clock& clock, MetricsRegistry& metrics,
               DaemonOptions o)
    : config_path_(std::move(config_path)), clock_(clock), metrics_(metrics), options_(o) {}

Result<std::unique_ptr<Daemon>> Daemon::Start(const std::string& config_path, const Clock& clock,
                                              MetricsRegistry& metrics, DaemonOptions options) {
  std::unique_ptr<Daemon> d(new Daemon(config_path, clock, metrics, options));
  auto engine = BuildEngine(config_path, clock, &d->state_lock_);
  if (!engine.ok()) return engine.status();
  d->engine_ = std::move(engine.value());
  auto now_s = std::chrono::duration<double>(clock.Now().time_since_epoch()).count();
  metrics
      .GetGauge("alertdigest_config_last_reload_successful",
                "Whether the last configuration (re)load succeeded.")
      .Set(1);
  metrics
      .GetGauge("alertdigest_config_last_reload_success_timestamp_seconds",
                "When the configuration was last loaded successfully.")
      .Set(now_s);
  d->engine_thread_ = std::thread([p = d.get()] { p->EngineLoop(); });
  d->outbox_thread_ = std::thread([p = d.get()] { p->OutboxLoop(); });
  d->ready_ = true;
  log::Info("engine started", {{"config", config_path}});
  return d;
}

Daemon::~Daemon() { Stop(); }

void Daemon::Stop() {
  if (stopped_.exchange(true)) return;
  // A start that failed (state locked or damaged) never ran: no "engine stopped" line right
  // before the error that says why it did not start.
  if (!engine_thread_.joinable()) return;
  ready_ = false;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  engine_cv_.notify_all();
  if (engine_thread_.joinable()) engine_thread_.join();  // commits what was submitted first
  {
    std::lock_guard lock(outbox_mu_);
    outbox_stop_ = true;
  }
  outbox_cv_.notify_all();
  if (outbox_thread_.joinable()) outbox_thread_.join();  // after the message in hand
  log::Info("engine stopped");
}

std::shared_ptr<const AckSigner> Daemon::ack_signer() const {
  std::shared_ptr<Engine> e = engine();
  if (!e || !e->ack_signer()) return nullptr;
  return std::shared_ptr<const AckSigner>(e, e->ack_signer());
}

std::shared_ptr<Engine> Daemon::engine() const {
  std::lock_guard lock(engine_mu_);
  return engine_;
}

std::shared_ptr<const Config> Daemon::config() const {
  auto e = engine();
  return std::shared_ptr<const Config>(e, &e->config());
}

Status Daemon::EnqueueLocked(std::vector<Alert>&& alerts, std::string_view source,
                             std::function<void(Status)> done) {
  if (stopping_) return Status::Unavailable("shutting down; send again later");
  if (pending_alerts_ + alerts.size() > options_.max_pending_alerts) {
    metrics_
        .GetCounter("alertdigest_alerts_throttled_total",
                    "Alerts refused with 503 because too many waited for a commit.",
                    {{"source", std::string(source)}})
        .Inc(static_cast<double>(alerts.size()));
    return Status::Unavailable(fmt::format(
        "overloaded: {} alerts are waiting to be committed; send again later", pending_alerts_));
  }
  pending_alerts_ += alerts.size();
  submissions_.push_back({std::move(alerts), std::string(source), std::move(done)});
  return Status::Ok();
}

Status Daemon::Submit(std::vector<Alert>&& alerts, std::string_view source) {
  if (alerts.empty()) return Status::Ok();
  std::promise<Status> promise;
  std::future<Status> result = promise.get_future();
  {
    std::lock_guard lock(mu_);
    Status st = EnqueueLocked(std::move(alerts), source,
                              [&promise](Status s) { promise.set_value(std::move(s)); });
    if (!st.ok()) return st;
  }
  engine_cv_.notify_one();
  return result.get();
}

void Daemon::SubmitAllAsync(std::shared_ptr<std::vector<IntakeBatch>> batches,
                            std::function<void()> done) {
  // Every batch is queued under one lock, so they are answered after one commit; `remaining`
  // counts the answers still to come.
  auto remaining = std::make_shared<std::atomic<size_t>>(1);  // 1: this call, until the end
  auto finish_one = [remaining, done] {
    if (remaining->fetch_sub(1) == 1) done();
  };
  std::deque<Submission> direct;
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < batches->size(); ++i) {
      IntakeBatch& b = (*batches)[i];
      if (b.alerts.empty()) continue;
      remaining->fetch_add(1);
      b.result = EnqueueLocked(std::move(b.alerts), b.source, [batches, i, finish_one](Status st) {
        (*batches)[i].result = std::move(st);
        finish_one();
      });
      if (!b.result.ok()) remaining->fetch_sub(1);  // refused at once: nothing to wait for
    }
    // When the engine thread is idle, the caller ingests and commits itself: no wake-up of the
    // engine thread and no wait for it (the HTTP loop's answers go out a context switch
    // sooner). engine_busy_ keeps the two apart.
    if (!engine_busy_ && !submissions_.empty() && !stopping_) {
      engine_busy_ = true;
      direct.swap(submissions_);
    }
  }
  if (direct.empty()) {
    engine_cv_.notify_one();
  } else {
    AcceptSubmissions(direct);
    // New groups may be due before the engine thread planned to wake (group_wait 0).
    std::optional<Timestamp> due = engine()->NextDeadline();
    bool wake;
    {
      std::lock_guard lock(mu_);
      engine_busy_ = false;
      if (due && *due < engine_wake_at_) engine_recheck_ = true;
      wake = engine_recheck_ || engine_waits_for_idle_ || !submissions_.empty() || !tasks_.empty();
    }
    if (wake) engine_cv_.notify_one();  // (else the engine thread sleeps on undisturbed)
  }
  finish_one();
}

void Daemon::RunOnEngine(std::function<void()> task) {
  std::promise<void> done;
  auto f = done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    tasks_.push_back([&] {
      task();
      done.set_value();
    });
  }
  engine_cv_.notify_one();
  f.wait();
}

void Daemon::EngineLoop() {
  Timestamp next_spool = kNoTime;
  Timestamp timers_retry_at = kNoTime;  // after a failed RunDue: not again before this
  for (;;) {
    std::deque<Submission> batch;
    std::deque<std::function<void()>> tasks;
    bool stopping;
    {
      std::unique_lock lock(mu_);
      // The engine is ours whenever no caller ingests directly (SubmitAllAsync); its deadline
      // may only be read then.
      engine_waits_for_idle_ = true;
      engine_cv_.wait(lock, [&] { return !engine_busy_; });
      engine_waits_for_idle_ = false;
      Timestamp wake = clock_.Now() + options_.spool_poll;
      if (auto d = engine()->NextDeadline()) wake = std::min(wake, std::max(*d, timers_retry_at));
      engine_wake_at_ = wake;
      engine_cv_.wait_until(lock, std::chrono::system_clock::time_point(wake), [&] {
        return stopping_ || engine_recheck_ ||
               (!engine_busy_ && (!submissions_.empty() || !tasks_.empty()));
      });
      if (engine_busy_) continue;  // a direct ingest runs: wait for it, then plan again
      engine_recheck_ = false;
      engine_busy_ = true;
      batch.swap(submissions_);
      tasks.swap(tasks_);
      stopping = stopping_;
    }
    // Whatever happens below, the engine is free again after this round.
    struct Release {
      Daemon* d;
      ~Release() {
        std::lock_guard lock(d->mu_);
        d->engine_busy_ = false;
      }
    } release{this};
    if (!batch.empty()) AcceptSubmissions(batch);
    for (auto& t : tasks) t();
    if (stopping) {
      std::lock_guard lock(mu_);
      if (submissions_.empty()) break;  // else: one more round for late arrivals
      continue;
    }
    if (clock_.Now() >= next_spool) {
      DrainSpool();
      next_spool = clock_.Now() + options_.spool_poll;
    }
    if (clock_.Now() < timers_retry_at) continue;
    auto queued = engine()->RunDue();
    if (!queued.ok()) {
      log::Error("flush failed; retrying in a second", {{"err", queued.status().message()}});
      timers_retry_at = clock_.Now() + kStoreRetry;
      continue;
    }
    timers_retry_at = kNoTime;
    if (*queued > 0) WakeOutbox();
  }
}

void Daemon::AcceptSubmissions(std::deque<Submission>& batch) {
  Dispatcher& d = engine()->dispatcher();
  size_t alerts = 0;
  for (Submission& s : batch) {  // (the HTTP layer counts what it received, by source)
    alerts += s.alerts.size();
    d.Ingest(std::move(s.alerts));
  }
  // A group these alerts made due now (group_wait 0) is flushed before they are answered, and
  // they are committed with it (Dispatcher::FlushDue): one fsync for the alert and its mail.
  // (A failure here is left to the engine thread's timers, which retry and say so; the commit
  // below answers for the alerts.)
  if (std::optional<Timestamp> due = engine()->NextDeadline(); due && *due <= clock_.Now()) {
    Result<int> queued = engine()->RunDue();
    if (queued.ok() && *queued > 0) WakeOutbox();
  }
  // One commit for every submission that waited: durability without a fsync per request.
  Status st = d.Commit();
  metrics_
      .GetHistogram("alertdigest_commit_batch_alerts", "Alerts per group commit.",
                    {1, 10, 100, 1000, 10000, 100000})
      .Observe(static_cast<double>(alerts));
  if (!st.ok()) log::Error("commit failed; answering 503", {{"err", st.message()}});
  {
    std::lock_guard lock(mu_);
    pending_alerts_ -= alerts;
  }
  for (Submission& s : batch) {
    s.done(st.ok() ? Status::Ok() : Status::IoError("could not store the alerts: " + st.message()));
  }
}

void Daemon::DrainSpool() {
  auto e = engine();
  auto entries = e->store().ReadSpool(1000);
  if (!entries.ok()) {
    log::Error("cannot read the spool", {{"err", entries.status().message()}});
    return;
  }
  if (entries->empty()) return;
  WriteBatch also;
  std::vector<Alert> alerts;
  std::vector<SpoolEntry> acks;  // applied to escalations once the alerts are in
  for (SpoolEntry& s : *entries) {
    also.DeleteSpooled(s.id);
    if (s.kind == SpoolEntry::Kind::kAlert) {
      alerts.push_back(std::move(s.alert));
    } else if (s.event_type == "ACKNOWLEDGEMENT") {
      acks.push_back(std::move(s));  // recorded as an event by the escalator, with its effect
    } else {
      also.AddEvent({s.source, s.event_type, s.event_labels, s.author, s.comment, s.at});
      log::Info(
          "event recorded",
          {{"source", s.source}, {"type", s.event_type}, {"labels", s.event_labels.ToString()}});
    }
  }
  metrics_
      .GetCounter("alertdigest_alerts_received_total", "Alerts received, by source.",
                  {{"source", "nagios"}})
      .Inc(static_cast<double>(alerts.size()));
  e->dispatcher().Ingest(std::move(alerts));
  // The alerts, their removal from the spool and the events: one transaction.
  if (Status st = e->dispatcher().Commit(std::move(also)); !st.ok()) {
    log::Error("cannot apply the spool", {{"err", st.message()}});
    return;
  }
  for (const SpoolEntry& s : acks) {
    // A Nagios ACKNOWLEDGEMENT names the host (and service): every escalating episode with a
    // firing alert of that host/service is acknowledged.
    auto acked = e->escalator().AcknowledgeMatching(s.event_labels, s.author, s.comment, s.source);
    if (!acked.ok()) {
      log::Error("cannot apply an acknowledgement", {{"err", acked.status().message()}});
      continue;
    }
    log::Info("acknowledgement applied", {{"source", s.source},
                                          {"by", s.author},
                                          {"labels", s.event_labels.ToString()},
                                          {"episodes", static_cast<int64_t>(*acked)}});
    if (*acked == 0) {  // nothing escalating: still recorded, for the digests
      WriteBatch b;
      b.AddEvent({s.source, s.event_type, s.event_labels, s.author, s.comment, s.at});
      if (Status st = e->store().Write(b); !st.ok())
        log::Error("cannot record an acknowledgement", {{"err", st.message()}});
    }
  }
}

void Daemon::WakeOutbox() {
  {
    std::lock_guard lock(outbox_mu_);
    outbox_wake_ = true;
  }
  outbox_cv_.notify_one();
}

void Daemon::OutboxLoop() {
  for (;;) {
    auto e = engine();
    auto reports = e->outbox().DeliverDue();
    if (!reports.ok()) log::Error("outbox unusable", {{"err", reports.status().message()}});
    for (const DeliveryReport& r : reports.ok() ? *reports : std::vector<DeliveryReport>{}) {
      const char* result = r.result.kind == DeliveryResult::Kind::kDelivered ? "delivered"
                           : r.dead                                          ? "dead"
                                                                             : "retry";
      metrics_
          .GetCounter("alertdigest_notifications_total",
                      "Delivery attempts by receiver and result.",
                      {{"receiver", r.receiver}, {"result", result}})
          .Inc();
      metrics_
          .GetHistogram("alertdigest_notification_latency_seconds",
                        "How long handing one message to the transport took.", kLatencyBuckets)
          .Observe(std::chrono::duration<double>(r.took).count());
    }
    metrics_
        .GetGauge("alertdigest_delivery_paused",
                  "1 while sending is paused (bad credentials, daily limit, budget).")
        .Set(e->outbox().pause() ? 1 : 0);
    // Sleep until woken by a flush, the next retry, the end of a pause, or at most 30 s; after
    // a store failure at least kStoreRetry (the worker keeps what it could not record).
    Timestamp wake = clock_.Now() + std::chrono::seconds(30);
    if (auto next = e->store().NextOutboxAttempt(); next.ok() && *next != kNoTime)
      wake = std::min(wake, std::max(*next, clock_.Now() + std::chrono::milliseconds(50)));
    if (!reports.ok()) wake = std::max(wake, clock_.Now() + kStoreRetry);
    if (const auto& pause = e->outbox().pause(); pause && pause->until != kNoTime)
      wake = std::max(wake, pause->until);
    e.reset();
    std::unique_lock lock(outbox_mu_);
    outbox_cv_.wait_until(lock, std::chrono::system_clock::time_point(wake),
                          [&] { return outbox_wake_ || outbox_stop_; });
    if (outbox_stop_) return;
    outbox_wake_ = false;
  }
}

std::vector<AlertSnapshot> Daemon::ListAlerts() {
  std::vector<AlertSnapshot> out;
  RunOnEngine([&] {
    Engine& e = *engine();
    Dispatcher& d = e.dispatcher();
    Timestamp now = clock_.Now();
    e.mute().inhibitor.Index(d.alerts(), now);
    d.alerts().ForEach([&](const Alert& a) {
      if (a.ResolvedAt(now)) return;
      AlertSnapshot s;
      s.alert = a;
      for (const Route* r : MatchRoutes(d.config().route, a.labels))
        s.receivers.push_back(r->receiver);
      s.silenced_by = e.mute().silencer.SilencedBy(a.labels, now);
      if (auto by = e.mute().inhibitor.InhibitedBy(a)) s.inhibited_by.push_back(by->ToHex());
      if (!s.silenced_by.empty() || !s.inhibited_by.empty()) s.state = "suppressed";
      out.push_back(std::move(s));
    });
  });
  std::sort(out.begin(), out.end(), [](const AlertSnapshot& a, const AlertSnapshot& b) {
    return a.alert.fingerprint < b.alert.fingerprint;
  });
  return out;
}

// Engine thread only: the pipeline's silencer follows the stored silences.
void Daemon::RefreshSilences() {
  auto e = engine();
  auto loaded = e->store().LoadSilences();
  if (loaded.ok())
    e->mute().silencer.Replace(std::move(loaded).value());
  else
    log::Error("cannot reload silences", {{"err", loaded.status().message()}});
}

Result<std::string> Daemon::PutSilence(Silence s) {
  Result<std::string> result = Status::Unavailable("shutting down");
  RunOnEngine([&] {
    Store& store = engine()->store();
    const Timestamp now = clock_.Now();
    if (s.id.empty()) {
      s.id = NewSilenceId();
    } else {
      auto existing = store.LoadSilences();
      if (!existing.ok()) {
        result = existing.status();
        return;
      }
      if (std::none_of(existing->begin(), existing->end(),
                       [&](const Silence& e) { return e.id == s.id; })) {
        result = Status::NotFound("no silence with id \"" + s.id + "\"");
        return;
      }
    }
    if (s.starts_at < now) s.starts_at = now;  // Alertmanager's rule: no retroactive silences
    s.updated_at = now;
    if (Status v = Validate(s); !v.ok()) {
      result = v;
      return;
    }
    if (Status w = store.PutSilence(s); !w.ok()) {
      result = w;
      return;
    }
    (void)store.DeleteSilencesEndedBefore(now - kSilenceRetention);
    RefreshSilences();
    log::Info("silence stored", {{"id", s.id}, {"by", s.created_by}});
    result = s.id;
  });
  return result;
}

std::vector<Silence> Daemon::ListSilences() {
  std::vector<Silence> out;
  RunOnEngine([&] {
    auto loaded = engine()->store().LoadSilences();
    if (loaded.ok()) {
      out = std::move(loaded).value();
    } else {
      log::Error("cannot read silences", {{"err", loaded.status().message()}});
    }
  });
  return out;
}

Status Daemon::ExpireSilence(const std::string& id) {
  Status result = Status::Unavailable("shutting down");
  RunOnEngine([&] {
    Store& store = engine()->store();
    auto loaded = store.LoadSilences();
    if (!loaded.ok()) {
      result = loaded.status();
      return;
    }
    auto it =
        std::find_if(loaded->begin(), loaded->end(), [&](const Silence& e) { return e.id == id; });
    if (it == loaded->end()) {
      result = Status::NotFound("no silence with id \"" + id + "\"");
      return;
    }
    const Timestamp now = clock_.Now();
    if (StateAt(*it, now) == SilenceState::kExpired) {
      result = Status::InvalidArgument("silence " + id + " has already expired");
      return;
    }
    if (it->starts_at > now) it->starts_at = now;  // a pending one never starts
    it->ends_at = now;
    it->updated_at = now;
    result = store.PutSilence(*it);
    if (result.ok()) {
      RefreshSilences();
      log::Info("silence expired", {{"id", id}});
    }
  });
  return result;
}

Status Daemon::Reload() {
  auto result = Status::Ok();
  RunOnEngine([&] {
    auto current = engine();
    if (Status s = current->dispatcher().Commit(); !s.ok()) {
      result = s.Wrap("reload: commit pending state first");
      return;
    }
    auto fresh = BuildEngine(config_path_, clock_);
    auto& ok_gauge = metrics_.GetGauge("alertdigest_config_last_reload_successful",
                                       "Whether the last configuration (re)load succeeded.");
    if (!fresh.ok()) {
      ok_gauge.Set(0);
      result = fresh.status();
      log::Error("reload failed; keeping the running configuration", {{"err", result.message()}});
      return;
    }
    if ((*fresh)->config().storage.path != current->config().storage.path) {
      ok_gauge.Set(0);
      result = Status::InvalidArgument("storage.path cannot change on reload; restart instead");
      return;
    }
    {
      std::lock_guard lock(engine_mu_);
      engine_ = std::move(fresh.value());
    }
    ok_gauge.Set(1);
    metrics_
        .GetGauge("alertdigest_config_last_reload_success_timestamp_seconds",
                  "When the configuration was last loaded successfully.")
        .Set(std::chrono::duration<double>(clock_.Now().time_since_epoch()).count());
    log::Info("configuration reloaded", {{"config", config_path_}});
    WakeOutbox();  // a fixed password or budget may let queued mail go now
  });
  return result;
}

void Daemon::UpdateGauges() {
  auto e = engine();
  RunOnEngine([&] {
    const Dispatcher& d = e->dispatcher();
    Timestamp now = clock_.Now();
    size_t active = 0;
    d.alerts().ForEach([&](const Alert& a) { active += !a.ResolvedAt(now); });
    metrics_.GetGauge("alertdigest_alerts", "Alerts by state.", {{"state", "active"}})
        .Set(static_cast<double>(active));
    metrics_.GetGauge("alertdigest_aggregation_groups", "Aggregation groups.")
        .Set(static_cast<double>(d.group_count()));
  });
  if (auto stats = e->store().GetOutboxStats(); stats.ok()) {
    metrics_
        .GetGauge("alertdigest_outbox_messages", "Outbox messages by state.",
                  {{"state", "pending"}})
        .Set(static_cast<double>(stats->pending));
    metrics_
        .GetGauge("alertdigest_outbox_messages", "Outbox messages by state.", {{"state", "dead"}})
        .Set(static_cast<double>(stats->dead));
    double age = stats->pending
                     ? std::chrono::duration<double>(clock_.Now() - stats->oldest_pending).count()
                     : 0;
    metrics_
        .GetGauge("alertdigest_outbox_oldest_pending_age_seconds",
                  "Age of the oldest message waiting for delivery.")
        .Set(age);
  }
}

std::string Daemon::Metrics() {
  UpdateGauges();
  return metrics_.Render();
}

Result<AckResult> Daemon::Acknowledge(const AckRequest& request) {
  Result<AckResult> result = Status::Unavailable("shutting down; try again later");
  RunOnEngine([&] { result = engine()->escalator().Acknowledge(request); });
  return result;
}

Result<AckPreview> Daemon::PreviewAck(const std::string& group_key, int64_t episode) {
  Result<AckPreview> result = Status::Unavailable("shutting down; try again later");
  RunOnEngine([&] { result = engine()->escalator().Preview(group_key, episode); });
  return result;
}

}  // namespace alertdigest
