// The engine's three timers — group flushes, escalation steps, calendar digests — composed as
// app/engine.cc composes them, over a real SQLite file, a ManualClock and the FakeRenderer, from a
// config written in TOML. Restart() closes everything and opens it again on the same file.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "config/config.h"
#include "dispatch/digest_scheduler.h"
#include "dispatch/dispatcher.h"
#include "dispatch/escalator.h"
#include "fakes/fake_renderer.h"
#include "pipeline/pipeline_builder.h"

namespace alertdigest {

class TimersFixture : public ::testing::Test {
 protected:
  static constexpr const char* kAckKey = "0123456789abcdef0123456789abcdef";

  void SetUp() override {
    char tmpl[] = "/tmp/ad-timers-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }

  // Loads `toml` (with ACK_KEY_FILE replaced by a key file in the test's directory) and opens.
  void Configure(std::string toml) {
    std::string key_file = dir_ + "/ack.key";
    std::ofstream(key_file) << kAckKey << "\n";
    for (size_t at; (at = toml.find("ACK_KEY_FILE")) != std::string::npos;)
      toml.replace(at, 12, key_file);
    ConfigLoad load = ParseConfig(toml, dir_ + "/config.toml");
    for (const ConfigError& e : load.errors) ADD_FAILURE() << e.ToString();
    ASSERT_TRUE(load.config);
    config_ = load.config;
    Open();
  }
  void Open() {
    store_ = std::move(OpenSqliteStore(dir_ + "/state.db").value());
    log_ = std::make_unique<NotificationLog>();
    mute_ = std::make_unique<MuteState>(MuteState{Inhibitor(config_->inhibit_rules), Silencer(),
                                                  *TimeIntervalSet::Create(config_->time_intervals)});
    signer_ = std::make_unique<AckSigner>(*AckSigner::Create(kAckKey));
    links_ = AckLinks(signer_.get(), "http://alerts.test", config_->server.ack_link_ttl);
    book_ = std::make_unique<EscalationBook>();
    pipeline_ = BuildNotificationPipeline(*config_, *log_, renderer_, *mute_, *book_, links_);
    dispatcher_ = std::make_unique<Dispatcher>(*config_, *store_, clock_, *pipeline_, *log_);
    escalator_ = std::make_unique<Escalator>(*config_, *store_, clock_, *book_, renderer_, links_,
                                             dispatcher_->alerts());
    digests_ = std::make_unique<DigestScheduler>(*config_, *store_, clock_, renderer_,
                                                 dispatcher_->alerts());
    ASSERT_TRUE(escalator_->Load().ok());
    ASSERT_TRUE(dispatcher_->Load().ok());
    ASSERT_TRUE(digests_->Load().ok());
  }
  void Close() {
    digests_.reset();
    escalator_.reset();
    dispatcher_.reset();
    pipeline_.reset();
    book_.reset();
    mute_.reset();
    log_.reset();
    store_.reset();
  }
  void Restart() {
    Close();
    Open();
  }

  // Runs the three timers as Engine::RunDue does; returns the mails queued.
  int RunDue() {
    int queued = 0;
    auto flushed = dispatcher_->FlushDue();
    EXPECT_TRUE(flushed.ok()) << flushed.status().message();
    auto stepped = escalator_->FireDue();
    EXPECT_TRUE(stepped.ok()) << stepped.status().message();
    auto digested = digests_->RunDue();
    EXPECT_TRUE(digested.ok()) << digested.status().message();
    if (flushed.ok()) queued += *flushed;
    if (stepped.ok()) queued += *stepped;
    if (digested.ok()) queued += *digested;
    return queued;
  }
  // Moves the clock to `t` and runs what is due.
  int At(Timestamp t) {
    clock_.Set(t);
    return RunDue();
  }

  // A firing alert received now; ends far out unless re-sent (tests re-send when it matters).
  void Fire(LabelSet labels, Duration lasts = std::chrono::hours(48)) {
    Alert a;
    a.labels = std::move(labels);
    a.starts_at = clock_.Now();
    a.ends_at = clock_.Now() + lasts;
    a.Finalize(clock_.Now(), std::chrono::minutes(5));
    dispatcher_->Ingest({a});
    ASSERT_TRUE(dispatcher_->Commit().ok());
  }
  void Resolve(LabelSet labels) {
    Alert a;
    a.labels = std::move(labels);
    a.ends_at = clock_.Now();
    a.Finalize(clock_.Now(), std::chrono::minutes(5));
    dispatcher_->Ingest({a});
    ASSERT_TRUE(dispatcher_->Commit().ok());
  }

  std::string dir_;
  std::shared_ptr<const Config> config_;
  ManualClock clock_{FromUnixMillis(0)};
  FakeRenderer renderer_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<NotificationLog> log_;
  std::unique_ptr<MuteState> mute_;
  std::unique_ptr<AckSigner> signer_;
  AckLinks links_;
  std::unique_ptr<EscalationBook> book_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<Escalator> escalator_;
  std::unique_ptr<DigestScheduler> digests_;
};

}  // namespace alertdigest
