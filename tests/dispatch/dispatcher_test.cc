// The dispatcher in virtual time against a real SQLite file: Alertmanager's group timers and
// notification-log decisions, and what survives a restart.
#include "dispatch/dispatcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "fakes/fake_renderer.h"
#include "pipeline/pipeline_builder.h"

namespace alertdigest {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
const Timestamp kT0 = FromUnixMillis(1'800'000'000'000);

Config MakeConfig() {
  Config c;
  c.route.receiver = "team";
  c.route.key = "{}";
  c.route.group_by = {"alertname"};
  c.route.group_wait = seconds(30);
  c.route.group_interval = minutes(5);
  c.route.repeat_interval = hours(1);
  c.route.send_resolved = true;
  Receiver r;
  r.name = "team";
  r.to = {"team@example.com"};
  c.receivers.push_back(r);
  return c;
}

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ad-dispatch-XXXXXX";
    dir_ = mkdtemp(tmpl);
    config_ = MakeConfig();
    Open();
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }
  void Open() {
    store_ = std::move(OpenSqliteStore(dir_ + "/state.db").value());
    log_ = std::make_unique<NotificationLog>();
    mute_ =
        std::make_unique<MuteState>(MuteState{Inhibitor(config_.inhibit_rules), Silencer(),
                                              *TimeIntervalSet::Create(config_.time_intervals)});
    pipeline_ = BuildNotificationPipeline(config_, *log_, renderer_, *mute_, escalations_, links_);
    dispatcher_ = std::make_unique<Dispatcher>(config_, *store_, clock_, *pipeline_, *log_);
    ASSERT_TRUE(dispatcher_->Load().ok());
  }
  void Close() {
    dispatcher_.reset();
    pipeline_.reset();
    mute_.reset();
    log_.reset();
    store_.reset();
  }
  // A firing alert: started `age` ago; its end is far enough out that tests need not model
  // Prometheus' re-sends unless they are the point (then they call Fire again).
  void Fire(std::string instance, std::string name = "HighCPU", Duration age = seconds(0)) {
    Alert a;
    a.labels = LabelSet{{"alertname", std::move(name)}, {"instance", std::move(instance)}};
    a.starts_at = clock_.Now() - age;
    a.ends_at = clock_.Now() + hours(2);
    a.Finalize(clock_.Now(), minutes(5));
    dispatcher_->Ingest({a});
  }
  void Resolve(std::string instance, std::string name = "HighCPU") {
    Alert a;
    a.labels = LabelSet{{"alertname", std::move(name)}, {"instance", std::move(instance)}};
    a.ends_at = clock_.Now();
    a.Finalize(clock_.Now(), minutes(5));
    dispatcher_->Ingest({a});
  }
  // Advances virtual time to `t` after kT0 and flushes what is due; returns mails queued.
  int At(Duration t) {
    clock_.Set(kT0 + t);
    auto r = dispatcher_->FlushDue();
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : -1;
  }
  const FakeRenderer::Call& Last() { return renderer_.calls.back(); }
  // The instances of the firing alerts in the last mail, in its order.
  std::vector<std::string> LastFiringInstances() {
    std::vector<std::string> out;
    for (const Alert& a : Last().n.firing) out.emplace_back(a.labels.Get("instance"));
    return out;
  }
  // An alert with these labels, received now, ending at `ends` (kNoTime: resolve_timeout).
  void Ingest(LabelSet labels, Timestamp ends) {
    Alert a;
    a.labels = std::move(labels);
    a.ends_at = ends;
    a.Finalize(clock_.Now(), minutes(5));
    dispatcher_->Ingest({a});
  }
  // NodeDown on an instance mutes HighCPU on the same instance.
  void InhibitHighCpuByNodeDown() {
    InhibitRule rule;
    rule.source_matchers = {*Matcher::Parse(R"(alertname="NodeDown")")};
    rule.target_matchers = {*Matcher::Parse(R"(alertname="HighCPU")")};
    rule.equal = {"instance"};
    config_.inhibit_rules = {rule};
    Close();
    Open();
  }

  std::string dir_;
  Config config_;
  ManualClock clock_{kT0};
  FakeRenderer renderer_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<NotificationLog> log_;
  std::unique_ptr<MuteState> mute_;
  EscalationBook escalations_;
  AckLinks links_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_F(DispatcherTest, FirstNotificationWaitsForGroupWait) {
  Fire("web-1");
  EXPECT_EQ(At(seconds(29)), 0);
  Fire("web-2");  // joins the same group before it flushes
  EXPECT_EQ(At(seconds(30)), 1);
  EXPECT_EQ(Last().n.reason, NotifyReason::kFirstNotification);
  EXPECT_EQ(Last().n.firing.size(), 2u);
  EXPECT_EQ(Last().n.group_key, R"({}:{alertname="HighCPU"})");
}

TEST_F(DispatcherTest, ResendsAloneNeverMail) {
  Fire("web-1");
  EXPECT_EQ(At(seconds(30)), 1);
  for (int i = 1; i <= 11; ++i) {  // Prometheus re-sends every minute
    clock_.Set(kT0 + minutes(i));
    Fire("web-1");
    EXPECT_EQ(At(minutes(i)), 0) << "minute " << i;
  }
}

TEST_F(DispatcherTest, NewAlertWaitsForTheNextGroupIntervalTick) {
  Fire("web-1");
  EXPECT_EQ(At(seconds(30)), 1);
  clock_.Set(kT0 + minutes(1));
  Fire("web-2");
  EXPECT_EQ(At(minutes(5)), 0) << "ticks are group_wait + k * group_interval";
  EXPECT_EQ(At(minutes(5) + seconds(30)), 1);
  EXPECT_EQ(Last().n.reason, NotifyReason::kNewAlerts);
  EXPECT_EQ(Last().n.firing.size(), 2u);
}

TEST_F(DispatcherTest, SomeThenAllResolved) {
  Fire("web-1");
  Fire("web-2");
  EXPECT_EQ(At(seconds(30)), 1);
  clock_.Set(kT0 + minutes(2));
  Resolve("web-1");
  Fire("web-2");
  EXPECT_EQ(At(minutes(5) + seconds(30)), 1);
  EXPECT_EQ(Last().n.reason, NotifyReason::kSomeResolved);
  EXPECT_EQ(Last().n.firing.size(), 1u);
  EXPECT_EQ(Last().n.resolved.size(), 1u);
  EXPECT_EQ(At(minutes(10) + seconds(30)), 0) << "resolved alert left the group";
  clock_.Set(kT0 + minutes(11));
  Resolve("web-2");
  EXPECT_EQ(At(minutes(15) + seconds(30)), 1);
  EXPECT_EQ(Last().n.reason, NotifyReason::kAllResolved);
  EXPECT_EQ(dispatcher_->group_count(), 0u) << "an empty group is removed";
}

// Routings (group keys) outlive groups and are shared: an emptied group is re-created for an
// alert of its routing, and an alert forgotten by garbage collection is routed afresh.
TEST_F(DispatcherTest, GroupsComeBackAfterEmptyingAndForgottenAlertsAreRoutedAgain) {
  Fire("web-1");
  Fire("web-2");
  EXPECT_EQ(At(seconds(30)), 1);
  clock_.Set(kT0 + minutes(2));
  Resolve("web-1");
  Resolve("web-2");
  EXPECT_EQ(At(minutes(5) + seconds(30)), 1);
  EXPECT_EQ(dispatcher_->group_count(), 0u);
  clock_.Set(kT0 + minutes(6));
  Fire("web-1");  // a new episode: the group is created again
  EXPECT_EQ(dispatcher_->group_count(), 1u);
  EXPECT_EQ(At(minutes(6) + seconds(30)), 1);
  EXPECT_EQ(LastFiringInstances(), std::vector<std::string>{"web-1"});
  At(hours(1) + minutes(3));  // web-2 ended over an hour ago, in no group: forgotten
  EXPECT_EQ(dispatcher_->alert_count(), 1u);
  Fire("web-2");
  EXPECT_EQ(dispatcher_->alert_count(), 2u);
  EXPECT_EQ(At(hours(1) + minutes(10)), 1);
  EXPECT_EQ(LastFiringInstances(), (std::vector<std::string>{"web-1", "web-2"}));
  EXPECT_EQ(dispatcher_->group_count(), 1u);
}

TEST_F(DispatcherTest, WithoutSendResolvedTheLogIsStillCleared) {
  config_.route.send_resolved = false;
  Close();
  Open();
  Fire("web-1");
  EXPECT_EQ(At(seconds(30)), 1);
  clock_.Set(kT0 + minutes(1));
  Resolve("web-1");
  EXPECT_EQ(At(minutes(5) + seconds(30)), 0) << "no mail about the resolution";
  clock_.Set(kT0 + minutes(6));
  Fire("web-1");  // a new episode of the same alert
  EXPECT_EQ(At(minutes(6) + seconds(30)), 1);
  EXPECT_EQ(Last().n.reason, NotifyReason::kFirstNotification);
  EXPECT_TRUE(Last().thread.first_message_id.empty()) << "a new episode starts a new thread";
}

TEST_F(DispatcherTest, RepeatLandsOnFirstTickAtOrAfterRepeatInterval) {
  Fire("web-1");
  EXPECT_EQ(At(seconds(30)), 1);
  // Keep it firing; ticks at 0:30 + k*5m. Last send at 0:30, repeat 1h → due at 1:00:30 exactly.
  int mails = 0;
  Duration when{};
  for (int k = 1; k <= 13; ++k) {
    Duration t = seconds(30) + minutes(5) * k;
    clock_.Set(kT0 + t - seconds(10));
    Fire("web-1");
    if (int n = At(t); n > 0 && mails++ == 0) when = t;
  }
  EXPECT_EQ(mails, 1);
  EXPECT_EQ(when, hours(1) + seconds(30));
  EXPECT_EQ(Last().n.reason, NotifyReason::kRepeat);
}

TEST_F(DispatcherTest, AnAlertOlderThanGroupWaitFlushesANewGroupAtOnce) {
  Fire("web-1", "HighCPU", /*age=*/minutes(10));
  EXPECT_EQ(At(seconds(0)), 1);
}

// An alert that makes its group due at once is committed in the flush's own transaction (one
// fsync for both, Dispatcher::FlushDue): after a restart the alert, the flushed group and the
// queued mail are all there, and nothing is sent twice.
TEST_F(DispatcherTest, PendingIngestIsCommittedWithTheFlushItMakesDue) {
  Fire("web-1", "HighCPU", /*age=*/minutes(10));  // ingested, not committed
  ASSERT_EQ(At(seconds(0)), 1);
  Close();
  Open();
  EXPECT_EQ(dispatcher_->alert_count(), 1u);
  auto mails = store_->DueOutbox(kT0 + hours(1), 10);
  ASSERT_TRUE(mails.ok());
  EXPECT_EQ(mails->size(), 1u);
  auto groups = store_->LoadGroups();
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_TRUE(groups->front().has_flushed);
  EXPECT_EQ(At(seconds(1)), 0) << "flushed once, and the restart knows it";
}

TEST_F(DispatcherTest, FollowUpsThreadUnderTheFirstMailWithItsSubject) {
  Fire("web-1");
  EXPECT_EQ(At(seconds(30)), 1);
  std::string first_id = Last().message_id;
  clock_.Set(kT0 + minutes(1));
  Fire("web-2");
  EXPECT_EQ(At(minutes(5) + seconds(30)), 1);
  EXPECT_EQ(Last().thread.first_message_id, first_id);
  EXPECT_EQ(Last().thread.subject, R"(subject of {}:{alertname="HighCPU"})");
}

TEST_F(DispatcherTest, EndOfInputFlushesEveryGroupButRespectsTheLog) {
  Fire("web-1");
  Fire("db-1", "DiskFull");
  auto r = dispatcher_->FlushDue(/*all_now=*/true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 2);
  r = dispatcher_->FlushDue(/*all_now=*/true);
  EXPECT_EQ(*r, 0) << "nothing new: the notification log says it was sent";
}

TEST_F(DispatcherTest, StateSurvivesARestart) {
  Fire("web-1");
  ASSERT_TRUE(dispatcher_->Commit().ok());
  Close();  // "crash" before group_wait
  Open();
  EXPECT_EQ(dispatcher_->alert_count(), 1u);
  EXPECT_EQ(At(seconds(29)), 0) << "the group timer survived";
  EXPECT_EQ(At(seconds(30)), 1);
  Close();
  Open();
  clock_.Set(kT0 + minutes(1));
  Fire("web-1");
  EXPECT_EQ(At(minutes(5) + seconds(30)), 0) << "the notification log survived: no repeat mail";
  EXPECT_EQ(renderer_.calls.size(), 1u);
}

TEST_F(DispatcherTest, ContinueSendsToEveryMatchingReceiver) {
  Route db;
  db.matchers = {*Matcher::Parse(R"(alertname="DiskFull")")};
  db.receiver = "db";
  db.key = R"({}/{alertname="DiskFull"})";
  db.group_by = {"alertname"};
  db.group_wait = seconds(30);
  db.group_interval = minutes(5);
  db.repeat_interval = hours(1);
  db.continue_matching = true;
  config_.route.routes.push_back(db);
  Route all = db;
  all.matchers = {*Matcher::Parse(R"(alertname=~".+")")};
  all.receiver = "team";
  all.key = R"({}/{alertname=~".+"})";
  all.continue_matching = false;
  config_.route.routes.push_back(all);
  Receiver db_receiver;
  db_receiver.name = "db";
  db_receiver.to = {"db@example.com"};
  config_.receivers.push_back(db_receiver);
  Close();
  Open();
  Fire("db-1", "DiskFull");
  EXPECT_EQ(At(seconds(30)), 2);
  // Both children took it (the first has continue = true); the root did not.
  std::set<std::string> receivers{renderer_.calls[0].n.receiver, renderer_.calls[1].n.receiver};
  EXPECT_EQ(receivers, (std::set<std::string>{"db", "team"}));
  EXPECT_NE(renderer_.calls[0].n.group_key, renderer_.calls[1].n.group_key);
}

// --- Muting: inhibition, time intervals and silences run before the notification log. ---

TEST_F(DispatcherTest, InhibitedAlertsDropOutOfTheirGroup) {
  InhibitRule rule;
  rule.source_matchers = {*Matcher::Parse(R"(severity="critical")")};
  rule.target_matchers = {*Matcher::Parse(R"(severity="warning")")};
  rule.equal = {"cluster"};
  config_.inhibit_rules = {rule};
  Close();
  Open();
  auto fire = [&](std::string name, std::string severity, std::string cluster) {
    Ingest({{"alertname", name}, {"severity", severity}, {"cluster", cluster}},
           clock_.Now() + hours(2));
  };
  fire("DatabaseDown", "critical", "eu-1");
  fire("SlowQueries", "warning", "eu-1");   // muted: a critical in the same cluster
  fire("SlowQueries2", "warning", "us-1");  // not muted: other cluster
  EXPECT_EQ(At(seconds(30)), 2);
  std::set<std::string> groups;
  for (const auto& c : renderer_.calls) groups.insert(c.n.group_key);
  EXPECT_EQ(groups, (std::set<std::string>{R"({}:{alertname="DatabaseDown"})",
                                           R"({}:{alertname="SlowQueries2"})"}));
}

TEST_F(DispatcherTest, InhibitionEndingMidGroupLetsTheTargetThrough) {
  InhibitHighCpuByNodeDown();
  LabelSet node{{"alertname", "NodeDown"}, {"instance", "web-1"}};
  Ingest(node, clock_.Now() + hours(2));
  Fire("web-1");  // HighCPU on the same instance: inhibited
  EXPECT_EQ(At(seconds(30)), 1);
  EXPECT_EQ(Last().n.group_key, R"({}:{alertname="NodeDown"})") << "only the source mails";
  clock_.Set(kT0 + minutes(3));
  Ingest(node, clock_.Now());  // the node is back
  Fire("web-1");
  EXPECT_EQ(At(minutes(5) + seconds(30)), 2) << "the source resolved; the target is free";
  std::set<std::string> reasons;
  for (size_t i = 1; i < renderer_.calls.size(); ++i)
    reasons.insert(std::string(NotifyReasonText(renderer_.calls[i].n.reason)));
  EXPECT_EQ(reasons, (std::set<std::string>{"first notification", "all resolved"}));
}

TEST_F(DispatcherTest, InhibitionStartingMidGroupDropsTheTargetAtTheNextFlush) {
  InhibitHighCpuByNodeDown();
  Fire("web-1");
  Fire("web-2");
  EXPECT_EQ(At(seconds(30)), 1);
  EXPECT_EQ(Last().n.firing.size(), 2u);
  clock_.Set(kT0 + minutes(2));
  // web-2's node goes down: its HighCPU is now noise.
  Ingest({{"alertname", "NodeDown"}, {"instance", "web-2"}}, clock_.Now() + hours(2));
  clock_.Set(kT0 + minutes(4));
  Fire("web-1");
  Fire("web-2");
  EXPECT_EQ(At(minutes(5) + seconds(30)), 1) << "only the NodeDown group is new";
  EXPECT_EQ(Last().n.group_key, R"({}:{alertname="NodeDown"})");
  clock_.Set(kT0 + minutes(9));
  Fire("web-3");
  EXPECT_EQ(At(minutes(10) + seconds(30)), 1);
  EXPECT_EQ(LastFiringInstances(), (std::vector<std::string>{"web-1", "web-3"}))
      << "web-2 stays inhibited";
}

TEST_F(DispatcherTest, SilenceStartingMidGroupDropsTheAlertAtTheNextFlush) {
  Fire("web-1");
  Fire("web-2");
  EXPECT_EQ(At(seconds(30)), 1);
  Silence s;
  s.id = "5b3c0a7e-0000-4000-8000-000000000002";
  s.matchers = {*Matcher::Parse(R"(instance="web-2")")};
  s.starts_at = kT0 + minutes(2);
  s.ends_at = kT0 + hours(1);
  s.created_by = "bob";
  s.comment = "rebooting web-2";
  mute_->silencer.Replace({s});
  clock_.Set(kT0 + minutes(4));
  Fire("web-1");
  Fire("web-2");
  EXPECT_EQ(At(minutes(5) + seconds(30)), 0)
      << "a silenced alert drops out; nothing new is firing, so nothing is sent";
  clock_.Set(kT0 + minutes(9));
  Fire("web-3");
  EXPECT_EQ(At(minutes(10) + seconds(30)), 1);
  EXPECT_EQ(LastFiringInstances(), (std::vector<std::string>{"web-1", "web-3"}))
      << "web-2 stays out while silenced";
}

TEST_F(DispatcherTest, MuteTimeIntervalHoldsTheMailUntilItEnds) {
  TimeInterval nights;
  nights.name = "nights";
  nights.times_minutes = {{22 * 60, 24 * 60}, {0, 7 * 60}};
  config_.time_intervals = {nights};
  config_.route.mute_time_intervals = {"nights"};
  Close();
  Open();
  // kT0 is 2027-01-15T08:00:00Z; go to 23:00 UTC.
  Timestamp night = std::chrono::floor<std::chrono::days>(kT0) + hours(23);
  clock_.Set(night);
  Fire("web-1");
  clock_.Set(night + seconds(30));
  EXPECT_EQ(dispatcher_->FlushDue().value(), 0) << "muted at night";
  for (Timestamp t = night + seconds(30); t < night + hours(9); t += minutes(5)) {
    clock_.Set(t);
    Fire("web-1");  // still firing through the night
    ASSERT_TRUE(dispatcher_->FlushDue().ok());
    if (!renderer_.calls.empty()) break;
  }
  ASSERT_EQ(renderer_.calls.size(), 1u) << "the held-back mail goes out after the interval";
  EXPECT_GE(renderer_.calls[0].n.now, night + hours(8));  // 07:00 the next morning
  EXPECT_EQ(renderer_.calls[0].n.reason, NotifyReason::kFirstNotification);
}

TEST_F(DispatcherTest, SilencedAlertsAreHeldBackWhileTheSilenceLasts) {
  Silence s;
  s.id = "5b3c0a7e-0000-4000-8000-000000000001";
  s.matchers = {*Matcher::Parse(R"(instance="web-1")")};
  s.starts_at = kT0;
  s.ends_at = kT0 + minutes(20);
  s.created_by = "ann";
  s.comment = "maintenance";
  mute_->silencer.Replace({s});
  Fire("web-1");
  Fire("web-2");
  EXPECT_EQ(At(seconds(30)), 1);
  EXPECT_EQ(Last().n.firing.size(), 1u) << "web-1 is silenced";
  EXPECT_EQ(Last().n.firing[0].labels.Get("instance"), "web-2");
  EXPECT_EQ(At(minutes(20) + seconds(30)), 1) << "the silence ended: web-1 is new to the log";
  EXPECT_EQ(Last().n.reason, NotifyReason::kNewAlerts);
  EXPECT_EQ(Last().n.firing.size(), 2u);
}

}  // namespace
}  // namespace alertdigest
