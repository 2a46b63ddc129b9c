// Calendar digests in virtual time: what a digest says about its window, routes that send to a
// digest, deferred alerts, and that restarts neither skip nor repeat a digest (a missed one is
// sent once, late) — against a real SQLite file.
#include "dispatch/digest_scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "timers_fixture.h"

namespace alertdigest {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Timestamp T(const char* rfc3339) { return *ParseRfc3339(rfc3339); }
// Sunday noon; the digest runs at 08:00 Berlin on weekdays = 07:00Z in winter.
const Timestamp kSunday = T("2026-11-29T12:00:00Z");
const Timestamp kMondayRun = T("2026-11-30T07:00:00Z");
const Timestamp kTuesdayRun = T("2026-12-01T07:00:00Z");

constexpr const char* kConfig = R"(
[defaults]
group_wait = "0s"
group_interval = "1m"
repeat_interval = "4h"

[route]
receiver = "team"
group_by = ["alertname"]

[[route.routes]]
matchers = ['severity="info"']
receiver = "digest:daily-ops"

[[route.routes]]
matchers = ['team="night"']
receiver = "team"
mute_time_intervals = ["nights"]

[[receiver]]
name = "team"
to = ["team@example.com"]

[[time_interval]]
name = "nights"
timezone = "Europe/Berlin"
times = [{ start = "22:00", end = "07:00" }]

[[digest]]
name = "daily-ops"
schedule = "0 8 * * 1-5"
timezone = "Europe/Berlin"
matchers = ['severity="warning"']
receiver = "team"
flapping_threshold = 2

[[digest]]
name = "weekly-critical"
schedule = "0 9 * * mon"
timezone = "UTC"
matchers = ['severity="critical"']
receiver = "team"
window = "2h"
send_empty = true
)";

LabelSet Labels(std::string name, std::string severity, std::string extra = "") {
  LabelSet l{{"alertname", std::move(name)}, {"severity", std::move(severity)}};
  if (!extra.empty()) l.Set("team", std::move(extra));
  return l;
}

std::vector<std::string> Names(const std::vector<DigestEntry>& entries) {
  std::vector<std::string> out;
  for (const DigestEntry& e : entries) out.emplace_back(e.labels.Get("alertname"));
  std::sort(out.begin(), out.end());
  return out;
}

class DigestSchedulerTest : public TimersFixture {
 protected:
  void SetUp() override {
    TimersFixture::SetUp();
    clock_.Set(kSunday);
    Configure(kConfig);
  }
  std::vector<DigestReport> Daily() {
    std::vector<DigestReport> out;
    for (const DigestReport& r : renderer_.digests)
      if (r.rule == "daily-ops") out.push_back(r);
    return out;
  }
};

TEST_F(DigestSchedulerTest, TellsTheStoryOfTheWindow) {
  clock_.Set(kSunday + hours(1));
  Fire(Labels("DiskSpace", "warning"));
  Fire(Labels("NewsletterLag", "info"));  // routed to the digest only
  for (int i = 0; i < 3; ++i) {           // fires and resolves three times
    clock_.Set(kSunday + hours(2) + minutes(10 * i));
    Fire(Labels("Flappy", "warning"));
    RunDue();
    clock_.Set(kSunday + hours(2) + minutes(10 * i + 5));
    Resolve(Labels("Flappy", "warning"));
    RunDue();
  }
  clock_.Set(kSunday + hours(8));
  Resolve(Labels("DiskSpace", "warning"));
  RunDue();
  clock_.Set(T("2026-11-29T22:30:00Z"));  // 23:30 in Berlin: quiet hours
  Fire(Labels("BackupSlow", "warning", "night"));
  RunDue();
  {
    WriteBatch b;
    b.AddEvent({"nagios", "FLAPPINGSTART", LabelSet{{"alertname", "Flappy"}}, "", "", clock_.Now()});
    b.AddEvent({"nagios", "DOWNTIMESTART", LabelSet{{"alertname", "Unrelated"}}, "", "", clock_.Now()});
    ASSERT_TRUE(store_->Write(b).ok());
  }

  // No group notification for the digest-only alert, none during quiet hours (the held one
  // goes out after them, at 08:00 Berlin).
  for (const FakeRenderer::Call& c : renderer_.calls) {
    for (const Alert& a : c.n.firing) {
      EXPECT_NE(a.labels.Get("alertname"), "NewsletterLag");
      EXPECT_NE(a.labels.Get("alertname"), "BackupSlow");
    }
  }

  EXPECT_EQ(digests_->NextDeadline(), kMondayRun);
  At(kMondayRun - minutes(1));
  EXPECT_TRUE(Daily().empty());
  At(kMondayRun);
  const std::vector<DigestReport> daily = Daily();
  ASSERT_EQ(daily.size(), 1u);
  const DigestReport& r = daily[0];
  EXPECT_EQ(r.window_start, kSunday);
  EXPECT_EQ(r.window_end, kMondayRun);
  EXPECT_FALSE(r.late);
  EXPECT_EQ(r.timezone, "Europe/Berlin");
  EXPECT_EQ(Names(r.fired),
            (std::vector<std::string>{"BackupSlow", "DiskSpace", "Flappy", "NewsletterLag"}));
  EXPECT_EQ(Names(r.open), (std::vector<std::string>{"BackupSlow", "NewsletterLag"}));
  EXPECT_EQ(Names(r.resolved), (std::vector<std::string>{"DiskSpace", "Flappy"}));
  ASSERT_EQ(r.flapping.size(), 1u);
  EXPECT_EQ(r.flapping[0].fired_count, 3);
  ASSERT_FALSE(r.noisiest_alertnames.empty());
  EXPECT_EQ(r.noisiest_alertnames[0].what, "Flappy");
  EXPECT_EQ(r.noisiest_alertnames[0].count, 3);
  ASSERT_EQ(r.deferred.size(), 1u);
  EXPECT_EQ(r.deferred[0].interval, "nights");
  EXPECT_EQ(r.deferred[0].labels.Get("alertname"), "BackupSlow");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].type, "FLAPPINGSTART");
  for (const DigestEntry& e : r.resolved) {
    if (e.labels.Get("alertname") == "DiskSpace") {
      EXPECT_EQ(e.ends_at, kSunday + hours(8));
    }
  }
  EXPECT_EQ(digests_->NextDeadline(), T("2026-11-30T09:00:00Z"));  // the weekly one, then Tuesday
}

TEST_F(DigestSchedulerTest, ARestartNeitherSkipsNorRepeats) {
  clock_.Set(kSunday + hours(1));
  Fire(Labels("DiskSpace", "warning"));
  At(kMondayRun);
  ASSERT_EQ(Daily().size(), 1u);
  Restart();
  At(kMondayRun + minutes(1));
  EXPECT_EQ(Daily().size(), 1u);
  Restart();
  EXPECT_EQ(digests_->NextDeadline(), T("2026-11-30T09:00:00Z"));  // the weekly one
  At(kTuesdayRun);
  ASSERT_EQ(Daily().size(), 2u);
  EXPECT_EQ(Daily()[1].window_start, kMondayRun);
  EXPECT_EQ(Names(Daily()[1].open), std::vector<std::string>{"DiskSpace"});
  EXPECT_TRUE(Daily()[1].fired.empty());
}

TEST_F(DigestSchedulerTest, AMissedDigestIsSentOnceOnStartMarkedLate) {
  clock_.Set(kSunday + hours(1));
  Fire(Labels("DiskSpace", "warning"));
  // Down from Sunday until Tuesday noon: Monday's and Tuesday's runs were missed.
  Close();
  clock_.Set(kTuesdayRun + hours(5));
  Open();
  RunDue();
  ASSERT_EQ(Daily().size(), 1u);
  EXPECT_TRUE(Daily()[0].late);
  EXPECT_EQ(Daily()[0].window_start, kSunday);
  EXPECT_EQ(Daily()[0].window_end, kTuesdayRun);
  At(kTuesdayRun + hours(6));
  EXPECT_EQ(Daily().size(), 1u);
  EXPECT_EQ(digests_->NextDeadline(), T("2026-12-02T07:00:00Z"));
}

TEST_F(DigestSchedulerTest, EmptyWindowsAreSkippedUnlessSendEmpty) {
  At(kMondayRun);
  EXPECT_TRUE(Daily().empty());
  EXPECT_EQ(digests_->NextDeadline(), T("2026-11-30T09:00:00Z"));  // the weekly one
  At(T("2026-11-30T09:00:00Z"));
  ASSERT_EQ(renderer_.digests.size(), 1u);
  const DigestReport& weekly = renderer_.digests[0];
  EXPECT_EQ(weekly.rule, "weekly-critical");
  EXPECT_TRUE(weekly.empty());
  EXPECT_EQ(weekly.window_start, T("2026-11-30T07:00:00Z"));  // window = "2h"
  // The daily window moved on although nothing was sent.
  clock_.Set(kMondayRun + hours(3));
  Fire(Labels("DiskSpace", "warning"));
  At(kTuesdayRun);
  ASSERT_EQ(Daily().size(), 1u);
  EXPECT_EQ(Daily()[0].window_start, kMondayRun);
}

}  // namespace
}  // namespace alertdigest
