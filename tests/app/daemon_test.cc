// The daemon behind its Intake interface: durable acknowledgement, group commit, overload,
// the Nagios spool, reload, timers and delivery in one process, clean stop.
#include "app/daemon.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <fmt/format.h>

namespace alertdigest {
namespace {

namespace fs = std::filesystem;

constexpr char kConfig[] = R"(
[storage]
path = "state.db"

[delivery]
file_dir = "outbox"

[defaults]
group_wait = "100ms"
group_interval = "1s"

[route]
receiver = "team"
group_by = ["alertname"]

[[receiver]]
name = "team"
to = ["team@example.com"]
)";

Alert MakeAlert(const std::string& name, const std::string& instance) {
  Alert a;
  a.labels = LabelSet{{"alertname", name}, {"instance", instance}};
  a.Finalize(std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()),
             std::chrono::minutes(5));
  return a;
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ad-daemon-XXXXXX";
    dir_ = mkdtemp(tmpl);
    std::ofstream(dir_ + "/config.toml") << kConfig;
  }
  void TearDown() override {
    daemon_.reset();
    fs::remove_all(dir_);
  }
  void Start(DaemonOptions o = {}) {
    auto d = Daemon::Start(dir_ + "/config.toml", clock_, metrics_, o);
    ASSERT_TRUE(d.ok()) << d.status().message();
    daemon_ = std::move(d.value());
  }
  size_t StoredAlerts() {
    auto store = OpenSqliteStore(dir_ + "/state.db");  // a second connection, as another process
    return store.ok() ? (*store)->LoadAlerts()->size() : 0;
  }
  template <typename F>
  bool Eventually(F f, int ms = 5000) {
    for (int i = 0; i < ms / 20; ++i) {
      if (f()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return f();
  }
  size_t Emails() {
    if (!fs::exists(dir_ + "/outbox")) return 0;
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir_ + "/outbox")) n += e.path().extension() == ".eml";
    return n;
  }

  std::string dir_;
  SystemClock clock_;
  MetricsRegistry metrics_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(DaemonTest, SubmitReturnsOnlyOnceCommitted) {
  Start();
  EXPECT_TRUE(daemon_->Ready());
  ASSERT_TRUE(daemon_->Submit({MakeAlert("DiskFull", "db-1"), MakeAlert("DiskFull", "db-2")}, "api").ok());
  EXPECT_EQ(StoredAlerts(), 2u) << "a 200 means the alerts are in the state file";
  auto listed = daemon_->ListAlerts();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].receivers, std::vector<std::string>{"team"});
}

TEST_F(DaemonTest, ConcurrentSubmissionsShareCommits) {
  Start();
  constexpr int kThreads = 16, kEach = 50;
  std::atomic<int> ok = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        ok += daemon_->Submit({MakeAlert("Load", fmt::format("h{}-{}", t, i))}, "api").ok();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, kThreads * kEach);
  EXPECT_EQ(StoredAlerts(), static_cast<size_t>(kThreads * kEach));
  std::string m = daemon_->Metrics();
  std::smatch count;
  ASSERT_TRUE(std::regex_search(m, count, std::regex(R"(alertdigest_commit_batch_alerts_count (\d+))")));
  EXPECT_LT(std::stoi(count[1]), kThreads * kEach) << "fewer commits than requests: " << count[1];
}

TEST_F(DaemonTest, OverloadIsRefusedNotQueued) {
  DaemonOptions o;
  o.max_pending_alerts = 3;
  Start(o);
  std::vector<Alert> many;
  for (int i = 0; i < 4; ++i) many.push_back(MakeAlert("Big", std::to_string(i)));
  Status s = daemon_->Submit(std::move(many), "api");
  EXPECT_EQ(s.code(), Status::Code::kUnavailable);
  EXPECT_NE(s.message().find("overloaded"), std::string::npos);
  EXPECT_EQ(StoredAlerts(), 0u);
}

TEST_F(DaemonTest, TimersAndDeliveryRunInTheSameProcess) {
  Start();
  ASSERT_TRUE(daemon_->Submit({MakeAlert("DiskFull", "db-1")}, "api").ok());
  EXPECT_TRUE(Eventually([&] { return Emails() == 1; })) << "group_wait 100ms, then the outbox";
  EXPECT_TRUE(Eventually([&] {
    return daemon_->Metrics().find(R"(alertdigest_notifications_total{receiver="team",result="delivered"} 1)") !=
           std::string::npos;
  }));
}

TEST_F(DaemonTest, NagiosSpoolIsDrained) {
  Start();
  {
    auto store = OpenSqliteStore(dir_ + "/state.db");
    ASSERT_TRUE(store.ok());
    SpoolEntry alert;
    alert.source = "nagios";
    alert.alert = MakeAlert("Harness Disk", "harness-host");
    SpoolEntry ack;
    ack.source = "nagios";
    ack.kind = SpoolEntry::Kind::kEvent;
    ack.event_type = "ACKNOWLEDGEMENT";
    ack.event_labels = LabelSet{{"host", "harness-host"}};
    ack.author = "Jane Doe";
    ack.comment = "Looking into it";
    ack.at = clock_.Now();
    ASSERT_TRUE((*store)->AppendSpool({alert, ack}).ok());
  }
  EXPECT_TRUE(Eventually([&] { return daemon_->ListAlerts().size() == 1; }));
  auto store = OpenSqliteStore(dir_ + "/state.db");
  EXPECT_TRUE(Eventually([&] { return (*store)->ReadSpool(10)->empty(); })) << "consumed once";
  auto events = (*store)->ListEvents(kNoTime, 10);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].author, "Jane Doe");
}

TEST_F(DaemonTest, ReloadSwapsOnlyAValidConfig) {
  Start();
  std::ofstream(dir_ + "/config.toml") << std::string(kConfig) + "\n[route]\nbroken = true\n";
  Status bad = daemon_->Reload();
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("config.toml:"), std::string::npos) << bad.message();
  EXPECT_TRUE(daemon_->Submit({MakeAlert("StillWorks", "x")}, "api").ok()) << "old config kept";
  EXPECT_NE(daemon_->Metrics().find("alertdigest_config_last_reload_successful 0"), std::string::npos);

  std::string fixed = kConfig;
  fixed.replace(fixed.find("\"alertname\"]"), 12, "\"alertname\", \"instance\"]");
  std::ofstream(dir_ + "/config.toml") << fixed;
  ASSERT_TRUE(daemon_->Reload().ok());
  EXPECT_EQ(daemon_->config()->route.group_by, (std::vector<std::string>{"alertname", "instance"}));
  EXPECT_EQ(daemon_->ListAlerts().size(), 1u) << "state survives the swap";
  EXPECT_NE(daemon_->Metrics().find("alertdigest_config_last_reload_successful 1"), std::string::npos);
}

TEST_F(DaemonTest, StopCommitsWhatWasAcceptedAndRefusesTheRest) {
  Start();
  std::atomic<int> accepted = 0;
  std::thread late([&] {
    for (int i = 0; i < 100000; ++i) {
      Status s = daemon_->Submit({MakeAlert("Late", std::to_string(i))}, "api");
      if (!s.ok()) {
        EXPECT_EQ(s.code(), Status::Code::kUnavailable);
        break;
      }
      ++accepted;
    }
  });
  ASSERT_TRUE(Eventually([&] { return accepted > 0; }));  // stop while submissions flow
  daemon_->Stop();
  late.join();
  EXPECT_FALSE(daemon_->Ready());
  EXPECT_EQ(daemon_->Submit({MakeAlert("After", "x")}, "api").code(), Status::Code::kUnavailable);
  EXPECT_EQ(StoredAlerts(), static_cast<size_t>(accepted.load()))
      << "exactly what was answered ok is stored";
}

TEST_F(DaemonTest, ASilenceHoldsMailBackUntilItIsExpired) {
  Start();
  Silence s;
  s.matchers = {*Matcher::Parse(R"(alertname="Noisy")")};
  s.starts_at = clock_.Now();
  s.ends_at = clock_.Now() + std::chrono::hours(1);
  s.created_by = "ann";
  s.comment = "known issue";
  auto id = daemon_->PutSilence(s);
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_TRUE(daemon_->Submit({MakeAlert("Noisy", "a")}, "api").ok());
  auto listed = daemon_->ListAlerts();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].state, "suppressed");
  EXPECT_EQ(listed[0].silenced_by, std::vector<std::string>{*id});
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // past group_wait (100ms)
  EXPECT_EQ(Emails(), 0u) << "silenced: no mail";
  ASSERT_TRUE(daemon_->ExpireSilence(*id).ok());
  EXPECT_TRUE(Eventually([&] { return Emails() == 1; })) << "the next tick (1s) sends it";
}

}  // namespace
}  // namespace alertdigest
