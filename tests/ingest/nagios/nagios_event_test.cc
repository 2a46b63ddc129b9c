// Every captured Nagios 4.4.6 call maps to the alert or event an operator expects, and the alerts
// of one problem keep one fingerprint from PROBLEM through re-notifications and state changes to
// RECOVERY.
#include "ingest/nagios/nagios_event.h"

#include <gtest/gtest.h>

#include "ingest/nagios/nagios_sample.h"

namespace alertdigest {
namespace {

using std::chrono::minutes;
using testing::LoadNagiosSample;

const Timestamp kNow = FromUnixMillis(int64_t{1795655400} * 1000);  // after every sample

std::vector<SpoolEntry> Map(const std::string& sample, const NagiosConfig& config = {},
                            bool with_env = true, bool with_args = true) {
  testing::NagiosSample s = LoadNagiosSample(sample);
  EXPECT_FALSE(s.args.empty()) << sample;
  NagiosMacros macros(with_env ? s.env : std::map<std::string, std::string>{},
                      with_args ? s.args : std::vector<std::string>{});
  Result<NagiosEvent> e = NagiosEvent::Parse(macros, config);
  EXPECT_TRUE(e.ok()) << e.status().message();
  if (!e.ok()) return {};
  return e->ToSpoolEntries(config, kNow, minutes(5));
}

SpoolEntry One(const std::string& sample, const NagiosConfig& config = {}) {
  std::vector<SpoolEntry> v = Map(sample, config);
  EXPECT_EQ(v.size(), 1u) << sample;
  return v.empty() ? SpoolEntry{} : v[0];
}

Timestamp Epoch(int64_t s) { return FromUnixMillis(s * 1000); }

TEST(NagiosEventTest, ServiceProblemWarningIsFiringWithOpenEnd) {
  SpoolEntry e = One("service-01-problem-warning.json");
  ASSERT_EQ(e.kind, SpoolEntry::Kind::kAlert);
  EXPECT_EQ(e.source, "nagios");
  const Alert& a = e.alert;
  EXPECT_EQ(a.labels, (LabelSet{{"alertname", "Harness Load"},
                                {"host", "harness-host"},
                                {"service", "Harness Load"},
                                {"source", "nagios"}}));
  EXPECT_EQ(a.annotations.Get("state"), "WARNING");
  EXPECT_EQ(a.annotations.Get("severity"), "warning");
  EXPECT_EQ(a.annotations.Get("summary"),
            "LOAD WARNING - load average: 5.10, 4.80, 3.20 (cycle 0/60s)");
  EXPECT_EQ(a.annotations.Get("notification_number"), "1");
  EXPECT_EQ(a.annotations.Get("contact"), "harness-oncall");
  EXPECT_EQ(a.annotations.Get("host_address"), "127.0.0.1");
  EXPECT_FALSE(a.annotations.Has("description"));  // no long output: no empty annotation
  EXPECT_EQ(a.starts_at, Epoch(1795655301));          // LASTSERVICESTATECHANGE
  EXPECT_EQ(a.ends_at, kNagiosOpenEnd);                // only a RECOVERY ends it
  EXPECT_FALSE(a.ends_at_is_timeout);
  EXPECT_FALSE(a.ResolvedAt(kNow + std::chrono::hours(24 * 365)));
}

TEST(NagiosEventTest, CriticalKeepsQuotesAmpersandAndBracketsFromTheEnvironment) {
  const Alert a = One("service-02-problem-critical.json").alert;
  EXPECT_EQ(a.annotations.Get("severity"), "critical");
  // argv has "on db-1  /backup" (Nagios strips ' & < > from output macros in arguments).
  EXPECT_EQ(a.annotations.Get("summary"),
            "DISK CRITICAL - /srv/db 97% used on 'db-1' & /backup 91% (cycle 0/60s)");
  EXPECT_EQ(a.annotations.Get("description"),
            "/srv/db: 97% used (9.7 GiB of 10 GiB)\n/backup: 91% used <threshold 90%>");
}

TEST(NagiosEventTest, ArgumentsAloneWorkButLoseTheIllegalCharacters) {
  std::vector<SpoolEntry> v = Map("service-02-problem-critical.json", {}, /*with_env=*/false);
  ASSERT_EQ(v.size(), 1u);
  const Alert& a = v[0].alert;
  EXPECT_EQ(a.fingerprint, One("service-02-problem-critical.json").alert.fingerprint);
  EXPECT_EQ(a.annotations.Get("summary"),
            "DISK CRITICAL - /srv/db 97% used on db-1  /backup 91% (cycle 0/60s)");
  EXPECT_EQ(a.annotations.Get("description"),
            "/srv/db: 97% used (9.7 GiB of 10 GiB)\n/backup: 91% used threshold 90%");
  EXPECT_EQ(a.starts_at, Epoch(1795655301));  // TIMET: no LASTSERVICESTATECHANGE in argv
  EXPECT_EQ(a.ends_at, kNagiosOpenEnd);
}

TEST(NagiosEventTest, EnvironmentAloneWorks) {
  std::vector<SpoolEntry> v =
      Map("service-02-problem-critical.json", {}, /*with_env=*/true, /*with_args=*/false);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].alert.annotations.Get("summary"),
            "DISK CRITICAL - /srv/db 97% used on 'db-1' & /backup 91% (cycle 0/60s)");
}

TEST(NagiosEventTest, RenotificationHasTheSameFingerprint) {
  const Alert first = One("service-02-problem-critical.json").alert;
  const Alert again = One("service-03-renotification.json").alert;
  EXPECT_EQ(again.fingerprint, first.fingerprint);
  EXPECT_EQ(again.annotations.Get("notification_number"), "2");
  EXPECT_EQ(MergeIncoming(first, again).starts_at, first.starts_at);  // one episode
}

TEST(NagiosEventTest, WarningToCriticalIsTheSameAlertWithNewAnnotations) {
  const Alert warning = One("service-01-problem-warning.json").alert;
  const Alert critical = One("service-07-problem-warning-to-critical.json").alert;
  EXPECT_EQ(critical.fingerprint, warning.fingerprint);
  Alert merged = MergeIncoming(warning, critical);
  EXPECT_EQ(merged.annotations.Get("severity"), "critical");
  EXPECT_EQ(merged.starts_at, warning.starts_at);
  EXPECT_FALSE(merged.ResolvedAt(kNow));
}

TEST(NagiosEventTest, RecoveryResolvesTheProblemsAlert) {
  const Alert problem = One("service-02-problem-critical.json").alert;
  const Alert recovery = One("service-04-recovery.json").alert;
  EXPECT_EQ(recovery.fingerprint, problem.fingerprint);
  EXPECT_EQ(recovery.ends_at, Epoch(1795655321));  // TIMET
  EXPECT_FALSE(recovery.ends_at_is_timeout);
  EXPECT_EQ(recovery.annotations.Get("state"), "OK");
  EXPECT_EQ(recovery.annotations.Get("severity"), "critical");  // what it recovered from
  Alert merged = MergeIncoming(problem, recovery);
  EXPECT_TRUE(merged.ResolvedAt(kNow));
  EXPECT_EQ(merged.ends_at, Epoch(1795655321));
  EXPECT_EQ(merged.starts_at, problem.starts_at);
}

TEST(NagiosEventTest, AcknowledgementIsAnEventWithAuthorAndComment) {
  SpoolEntry e = One("service-05-acknowledgement.json");
  ASSERT_EQ(e.kind, SpoolEntry::Kind::kEvent);
  EXPECT_EQ(e.event_type, "ACKNOWLEDGEMENT");
  EXPECT_EQ(e.author, "Jane Doe");
  EXPECT_EQ(e.comment, "Looking into it (ticket #42)");
  EXPECT_EQ(e.at, Epoch(1795655307));
  // The event names the alert it is about: its identity labels.
  EXPECT_EQ(e.event_labels, One("service-02-problem-critical.json").alert.labels);
}

TEST(NagiosEventTest, CustomNotificationsAreEvents) {
  SpoolEntry service = One("service-06-custom.json");
  ASSERT_EQ(service.kind, SpoolEntry::Kind::kEvent);
  EXPECT_EQ(service.event_type, "CUSTOM");
  EXPECT_EQ(service.author, "John Smith");
  EXPECT_EQ(service.comment, "Custom note for the load service");
  EXPECT_EQ(service.event_labels.Get("service"), "Harness Load");

  SpoolEntry host = One("host-03-custom.json");
  ASSERT_EQ(host.kind, SpoolEntry::Kind::kEvent);
  EXPECT_EQ(host.comment, "Maintenance window starts at 14:00");
  EXPECT_FALSE(host.event_labels.Has("service"));
}

TEST(NagiosEventTest, HostDownAndItsRecovery) {
  const Alert down = One("host-01-problem-down.json").alert;
  EXPECT_EQ(down.labels, (LabelSet{{"alertname", "HostDown"},
                                   {"host", "harness-host"},
                                   {"source", "nagios"}}));
  EXPECT_EQ(down.annotations.Get("state"), "DOWN");
  EXPECT_EQ(down.annotations.Get("severity"), "critical");
  EXPECT_EQ(down.annotations.Get("summary"), "PING CRITICAL - Packet loss = 100% (cycle 31/60s)");
  EXPECT_EQ(down.starts_at, Epoch(1795655332));  // LASTHOSTSTATECHANGE
  EXPECT_EQ(down.ends_at, kNagiosOpenEnd);

  // LASTHOSTSTATE=DOWN: the recovery resolves HostDown only.
  const Alert up = One("host-02-recovery.json").alert;
  EXPECT_EQ(up.fingerprint, down.fingerprint);
  EXPECT_TRUE(MergeIncoming(down, up).ResolvedAt(kNow));
}

TEST(NagiosEventTest, HostRecoveryWithoutEnvironmentResolvesBothStateNames) {
  std::vector<SpoolEntry> v = Map("host-02-recovery.json", {}, /*with_env=*/false);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].alert.labels.Get("alertname"), "HostDown");
  EXPECT_EQ(v[1].alert.labels.Get("alertname"), "HostUnreachable");
  EXPECT_TRUE(v[0].alert.ResolvedAt(kNow));
  EXPECT_TRUE(v[1].alert.ResolvedAt(kNow));
}

TEST(NagiosEventTest, FixedHostAlertnameAndExtraLabels) {
  NagiosConfig config;
  config.host_alertname = "HostProblem";
  config.extra_labels = {"HOSTALIAS", "HOSTGROUPNAMES"};  // HOSTGROUPNAMES is empty here
  const Alert down = One("host-01-problem-down.json", config).alert;
  EXPECT_EQ(down.labels, (LabelSet{{"alertname", "HostProblem"},
                                   {"host", "harness-host"},
                                   {"hostalias", "Harness Test Host"},
                                   {"source", "nagios"}}));
  EXPECT_EQ(One("host-02-recovery.json", config).alert.fingerprint, down.fingerprint);
}

TEST(NagiosEventTest, ResolveByTimeoutLeavesTheEndSoft) {
  NagiosConfig config;
  config.resolve = NagiosConfig::Resolve::kTimeout;
  const Alert a = One("service-01-problem-warning.json", config).alert;
  EXPECT_EQ(a.ends_at, kNow + minutes(5));
  EXPECT_TRUE(a.ends_at_is_timeout);
}

TEST(NagiosEventTest, EveryOtherTypeIsAnEvent) {
  for (std::string type : {"FLAPPINGSTART", "FLAPPINGSTOP", "FLAPPINGDISABLED", "DOWNTIMESTART",
                           "DOWNTIMEEND", "DOWNTIMECANCELLED", "DowntimeRemoved"}) {
    NagiosMacros m({{"NAGIOS_NOTIFICATIONTYPE", type}, {"NAGIOS_HOSTNAME", "h1"},
                    {"NAGIOS_SERVICEDESC", "Disk"}, {"NAGIOS_TIMET", "1795655300"}},
                   {});
    Result<NagiosEvent> e = NagiosEvent::Parse(m, {});
    ASSERT_TRUE(e.ok()) << type;
    std::vector<SpoolEntry> v = e->ToSpoolEntries({}, kNow, minutes(5));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].kind, SpoolEntry::Kind::kEvent) << type;
    for (char& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(v[0].event_type, type);
  }
}

TEST(NagiosEventTest, NotANotificationIsRejectedWithAReason) {
  Result<NagiosEvent> e = NagiosEvent::Parse(NagiosMacros({}, {}), {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(e.status().message().find("NOTIFICATIONTYPE"), std::string::npos);
}

TEST(NagiosEventTest, Latin1OutputBecomesUtf8) {
  NagiosMacros m({}, {"PROBLEM", "h1", "Temp", "WARNING", "Temp 41\xb0" "C"});
  Result<NagiosEvent> e = NagiosEvent::Parse(m, {});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->output, "Temp 41\xc2\xb0" "C");
}

TEST(NagiosEventTest, DryRunJson) {
  SpoolEntry e = One("service-05-acknowledgement.json");
  EXPECT_EQ(SpoolEntryToJson(e),
            R"({"kind":"event","type":"ACKNOWLEDGEMENT","labels":{"alertname":"Harness Disk",)"
            R"("host":"harness-host","service":"Harness Disk","source":"nagios"},)"
            R"j("author":"Jane Doe","comment":"Looking into it (ticket #42)",)j"
            R"("at":"2026-11-26T01:08:27Z"})");
}

// Fuzzing (tests/fuzz/nagios_fuzzer): an epoch of 19 digits overflowed the conversion to
// milliseconds (undefined behaviour, a garbage start time). Epochs past 9999-12-31T23:59:59Z
// are no time at all: the start falls back to TIMET, then to now.
TEST(NagiosEventTest, EpochsPastTheYear9999AreIgnored) {
  NagiosMacros m({{"NAGIOS_NOTIFICATIONTYPE", "PROBLEM"}, {"NAGIOS_HOSTNAME", "h1"},
                  {"NAGIOS_SERVICEDESC", "Disk"}, {"NAGIOS_SERVICESTATE", "CRITICAL"},
                  {"NAGIOS_LASTSERVICESTATECHANGE", "1795655307956558332"},
                  {"NAGIOS_TIMET", "253402300800"}},
                 {});
  Result<NagiosEvent> e = NagiosEvent::Parse(m, {});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->state_changed_at, kNoTime);
  EXPECT_EQ(e->at, kNoTime);
  std::vector<SpoolEntry> v = e->ToSpoolEntries({}, kNow, minutes(5));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].alert.starts_at, kNow);

  NagiosMacros last({{"NAGIOS_NOTIFICATIONTYPE", "PROBLEM"}, {"NAGIOS_HOSTNAME", "h1"},
                     {"NAGIOS_TIMET", "253402300799"}},
                    {});
  EXPECT_EQ(NagiosEvent::Parse(last, {})->at, kNagiosOpenEnd);  // the last second that is a time
}

}  // namespace
}  // namespace alertdigest
