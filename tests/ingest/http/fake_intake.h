// FakeIntake: an Intake that records submissions, fails on demand, answers ListAlerts with a
// canned snapshot, keeps silences in memory, records acknowledgements and previews (answering
// with settable results) and can hold Submit() for a while (to test Stop() with a request in
// flight).
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics.h"
#include "ingest/intake.h"

namespace alertdigest {

class FakeIntake final : public Intake {
 public:
  struct Submission {
    std::vector<Alert> alerts;
    std::string source;
  };

  explicit FakeIntake(MetricsRegistry& metrics) : metrics_(metrics) {}

  Status Submit(std::vector<Alert>&& alerts, std::string_view source) override {
    submit_started_.fetch_add(1);
    if (submit_delay_.count() > 0) std::this_thread::sleep_for(submit_delay_);
    std::lock_guard<std::mutex> lock(mu_);
    if (!submit_result_.ok()) return submit_result_;
    submissions_.push_back({std::move(alerts), std::string(source)});
    return Status::Ok();
  }
  std::vector<AlertSnapshot> ListAlerts() override {
    std::lock_guard<std::mutex> lock(mu_);
    return snapshots_;
  }
  // Silences: kept in memory; ids "silence-1", "silence-2"…; no validation (the daemon's).
  Result<std::string> PutSilence(Silence s) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!put_silence_result_.ok()) return put_silence_result_;
    if (s.id.empty()) {
      s.id = "silence-" + std::to_string(silences_.size() + 1);
      silences_.push_back(std::move(s));
      return silences_.back().id;
    }
    for (Silence& e : silences_) {
      if (e.id == s.id) {
        e = std::move(s);
        return e.id;
      }
    }
    return Status::NotFound("no silence with id \"" + s.id + "\"");
  }
  std::vector<Silence> ListSilences() override {
    std::lock_guard<std::mutex> lock(mu_);
    return silences_;
  }
  Status ExpireSilence(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (Silence& e : silences_) {
      if (e.id != id) continue;
      e.ends_at = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
      return Status::Ok();
    }
    return Status::NotFound("no silence with id \"" + id + "\"");
  }
  Status Reload() override {
    std::lock_guard<std::mutex> lock(mu_);
    return reload_result_;
  }
  // Records the request; answers with SetAckResult's result, by default a fresh
  // acknowledgement of the request's group (episode 1 when the request names none) at kAckAt.
  Result<AckResult> Acknowledge(const AckRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    ack_requests_.push_back(request);
    if (ack_result_) return *ack_result_;
    AckResult r;
    r.group_key = request.group;
    r.episode = request.episode == 0 ? 1 : request.episode;
    r.at = kAckAt;
    return r;
  }
  // Records (group_key, episode); answers with SetPreview's result, by default NotFound.
  Result<AckPreview> PreviewAck(const std::string& group_key, int64_t episode) override {
    std::lock_guard<std::mutex> lock(mu_);
    previews_.emplace_back(group_key, episode);
    if (preview_) return *preview_;
    return Status::NotFound("no escalating group \"" + group_key + "\"");
  }
  bool Ready() const override { return ready_.load(); }
  std::string Metrics() override { return metrics_.Render(); }

  // --- test controls
  void FailSubmit(Status st) {
    std::lock_guard<std::mutex> lock(mu_);
    submit_result_ = std::move(st);
  }
  void SetSubmitDelay(std::chrono::milliseconds d) { submit_delay_ = d; }
  void SetSnapshots(std::vector<AlertSnapshot> s) {
    std::lock_guard<std::mutex> lock(mu_);
    snapshots_ = std::move(s);
  }
  void SetReloadResult(Status st) {
    std::lock_guard<std::mutex> lock(mu_);
    reload_result_ = std::move(st);
  }
  void FailPutSilence(Status st) {
    std::lock_guard<std::mutex> lock(mu_);
    put_silence_result_ = std::move(st);
  }
  void SetReady(bool ready) { ready_.store(ready); }
  // 2026-05-01T12:00:00Z
  static constexpr Timestamp kAckAt = Timestamp{std::chrono::seconds(1777636800)};
  void SetAckResult(Result<AckResult> r) {
    std::lock_guard<std::mutex> lock(mu_);
    ack_result_ = std::move(r);
  }
  void SetPreview(Result<AckPreview> p) {
    std::lock_guard<std::mutex> lock(mu_);
    preview_ = std::move(p);
  }
  std::vector<AckRequest> ack_requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return ack_requests_;
  }
  std::vector<std::pair<std::string, int64_t>> previews() const {
    std::lock_guard<std::mutex> lock(mu_);
    return previews_;
  }
  int submit_started() const { return submit_started_.load(); }
  std::vector<Submission> submissions() const {
    std::lock_guard<std::mutex> lock(mu_);
    return submissions_;
  }
  size_t submitted_alert_count() const {
    std::lock_guard<std::mutex> lock(mu_);
    size_t n = 0;
    for (const Submission& s : submissions_) n += s.alerts.size();
    return n;
  }

 private:
  MetricsRegistry& metrics_;
  mutable std::mutex mu_;
  std::vector<Submission> submissions_;
  std::vector<AlertSnapshot> snapshots_;
  Status submit_result_;
  Status reload_result_;
  Status put_silence_result_;
  std::vector<Silence> silences_;
  std::optional<Result<AckResult>> ack_result_;
  std::optional<Result<AckPreview>> preview_;
  std::vector<AckRequest> ack_requests_;
  std::vector<std::pair<std::string, int64_t>> previews_;
  std::atomic<bool> ready_{false};
  std::atomic<int> submit_started_{0};
  std::chrono::milliseconds submit_delay_{0};
};

}  // namespace alertdigest
