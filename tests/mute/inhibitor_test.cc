// Inhibition as Alertmanager does it: firing sources mute matching targets with equal labels;
// an alert never inhibits itself.
#include "mute/inhibitor.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace alertdigest {
namespace {

const Timestamp kNow = FromUnixMillis(1'780'000'000'000);

Matcher M(const char* text) { return Matcher::Parse(text).value(); }

InhibitRule Rule(std::vector<Matcher> source, std::vector<Matcher> target,
                 std::vector<std::string> equal) {
  return InhibitRule{std::move(source), std::move(target), std::move(equal), {}};
}

// critical mutes warning in the same cluster: DESIGN.md §3's rule.
InhibitRule CriticalMutesWarning() {
  return Rule({M(R"(severity="critical")")}, {M(R"(severity="warning")")}, {"cluster"});
}

Alert A(LabelSet labels, bool resolved = false) {
  Alert a;
  a.labels = std::move(labels);
  a.starts_at = kNow - std::chrono::hours(1);
  a.ends_at = resolved ? kNow - std::chrono::minutes(1) : kNow + std::chrono::minutes(5);
  a.fingerprint = a.labels.ComputeFingerprint();
  return a;
}

class InhibitorTest : public testing::Test {
 protected:
  void IndexAlerts(Inhibitor& inhibitor, const std::vector<Alert>& alerts) {
    AlertMap map;
    for (const Alert& a : alerts) map.alerts.emplace(a.fingerprint, a);
    inhibitor.Index(map, kNow);
  }
};

TEST_F(InhibitorTest, SourceMutesTargetWithEqualLabels) {
  Inhibitor inhibitor({CriticalMutesWarning()});
  Alert source = A({{"alertname", "Down"}, {"cluster", "a"}, {"severity", "critical"}});
  Alert target = A({{"alertname", "Slow"}, {"cluster", "a"}, {"severity", "warning"}});
  IndexAlerts(inhibitor, {source, target});
  EXPECT_EQ(inhibitor.InhibitedBy(target), source.fingerprint);
  EXPECT_EQ(inhibitor.InhibitedBy(source), std::nullopt) << "the source is no target";
}

TEST_F(InhibitorTest, DifferentEqualValueDoesNotMute) {
  Inhibitor inhibitor({CriticalMutesWarning()});
  Alert source = A({{"alertname", "Down"}, {"cluster", "a"}, {"severity", "critical"}});
  Alert target = A({{"alertname", "Slow"}, {"cluster", "b"}, {"severity", "warning"}});
  IndexAlerts(inhibitor, {source, target});
  EXPECT_EQ(inhibitor.InhibitedBy(target), std::nullopt);
}

TEST_F(InhibitorTest, LabelMissingOnBothCountsAsEqual) {
  Inhibitor inhibitor({CriticalMutesWarning()});
  Alert source = A({{"alertname", "Down"}, {"severity", "critical"}});
  Alert target = A({{"alertname", "Slow"}, {"severity", "warning"}});
  Alert other = A({{"alertname", "Slow"}, {"cluster", "a"}, {"severity", "warning"}});
  IndexAlerts(inhibitor, {source, target, other});
  EXPECT_EQ(inhibitor.InhibitedBy(target), source.fingerprint);
  EXPECT_EQ(inhibitor.InhibitedBy(other), std::nullopt) << "missing on one side only";
}

TEST_F(InhibitorTest, ResolvedSourceDoesNotInhibit) {
  Inhibitor inhibitor({CriticalMutesWarning()});
  Alert source = A({{"cluster", "a"}, {"severity", "critical"}}, /*resolved=*/true);
  Alert target = A({{"cluster", "a"}, {"severity", "warning"}});
  IndexAlerts(inhibitor, {source, target});
  EXPECT_EQ(inhibitor.InhibitedBy(target), std::nullopt);
}

TEST_F(InhibitorTest, NoIndexNoInhibition) {
  Inhibitor inhibitor({CriticalMutesWarning()});
  EXPECT_EQ(inhibitor.InhibitedBy(A({{"cluster", "a"}, {"severity", "warning"}})), std::nullopt);
}

TEST_F(InhibitorTest, ReindexForgetsOldSources) {
  Inhibitor inhibitor({CriticalMutesWarning()});
  Alert source = A({{"cluster", "a"}, {"severity", "critical"}});
  Alert target = A({{"cluster", "a"}, {"severity", "warning"}});
  IndexAlerts(inhibitor, {source, target});
  ASSERT_TRUE(inhibitor.InhibitedBy(target));
  IndexAlerts(inhibitor, {target});
  EXPECT_EQ(inhibitor.InhibitedBy(target), std::nullopt);
}

TEST_F(InhibitorTest, AlertCannotInhibitItselfButInhibitsOthers) {
  // Every alert of team db is both a source and a target of this rule.
  Inhibitor inhibitor({Rule({M(R"(team="db")")}, {M(R"(team=~"db|web")")}, {})});
  Alert both = A({{"alertname", "DbDown"}, {"team", "db"}});
  Alert web = A({{"alertname", "WebSlow"}, {"team", "web"}});
  IndexAlerts(inhibitor, {both, web});
  EXPECT_EQ(inhibitor.InhibitedBy(both), std::nullopt) << "only itself is a source";
  EXPECT_EQ(inhibitor.InhibitedBy(web), both.fingerprint);
}

TEST_F(InhibitorTest, TwoSidedAlertsDoNotMuteEachOther) {
  // Alertmanager's excludeTwoSidedMatch: otherwise both would be muted and nothing shown.
  Inhibitor inhibitor({Rule({M(R"(team="db")")}, {M(R"(team="db")")}, {})});
  Alert one = A({{"alertname", "DbDown"}, {"team", "db"}});
  Alert two = A({{"alertname", "DbSlow"}, {"team", "db"}});
  IndexAlerts(inhibitor, {one, two});
  EXPECT_EQ(inhibitor.InhibitedBy(one), std::nullopt);
  EXPECT_EQ(inhibitor.InhibitedBy(two), std::nullopt);
}

TEST_F(InhibitorTest, TwoSidedTargetIsMutedByOneSidedSource) {
  Inhibitor inhibitor({Rule({M(R"(team=~"db|ops")")}, {M(R"(team=~"db|web")")}, {})});
  Alert both = A({{"alertname", "DbDown"}, {"team", "db"}});
  Alert ops = A({{"alertname", "OpsDown"}, {"team", "ops"}});
  IndexAlerts(inhibitor, {both, ops});
  EXPECT_EQ(inhibitor.InhibitedBy(both), ops.fingerprint);
}

TEST_F(InhibitorTest, SeveralRules) {
  Inhibitor inhibitor({
      CriticalMutesWarning(),
      Rule({M(R"(alertname="NodeDown")")}, {M(R"(alertname!="NodeDown")")}, {"instance"}),
  });
  Alert node_down = A({{"alertname", "NodeDown"}, {"instance", "h1"}, {"severity", "info"}});
  Alert disk = A({{"alertname", "DiskFull"}, {"instance", "h1"}, {"severity", "info"}});
  Alert disk_h2 = A({{"alertname", "DiskFull"}, {"instance", "h2"}, {"severity", "info"}});
  Alert critical = A({{"alertname", "Db"}, {"cluster", "c"}, {"severity", "critical"}});
  Alert warning = A({{"alertname", "Lag"}, {"cluster", "c"}, {"severity", "warning"}});
  IndexAlerts(inhibitor, {node_down, disk, disk_h2, critical, warning});
  EXPECT_EQ(inhibitor.InhibitedBy(disk), node_down.fingerprint) << "second rule";
  EXPECT_EQ(inhibitor.InhibitedBy(disk_h2), std::nullopt) << "other instance";
  EXPECT_EQ(inhibitor.InhibitedBy(warning), critical.fingerprint) << "first rule";
  EXPECT_EQ(inhibitor.InhibitedBy(node_down), std::nullopt);
}

TEST_F(InhibitorTest, SeveralSourcesYieldTheSmallestFingerprint) {
  Inhibitor inhibitor({CriticalMutesWarning()});
  Alert s1 = A({{"alertname", "A"}, {"cluster", "a"}, {"severity", "critical"}});
  Alert s2 = A({{"alertname", "B"}, {"cluster", "a"}, {"severity", "critical"}});
  Alert target = A({{"cluster", "a"}, {"severity", "warning"}});
  IndexAlerts(inhibitor, {s1, s2, target});
  EXPECT_EQ(inhibitor.InhibitedBy(target), std::min(s1.fingerprint, s2.fingerprint));
}

}  // namespace
}  // namespace alertdigest
