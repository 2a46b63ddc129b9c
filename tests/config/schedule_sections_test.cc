// [[digest]], [[escalation]] and [[rotation]]: what they parse into (DESIGN.md §3 is the
// contract), the references between them and routes, and the exact message for every rejection.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_test_util.h"

namespace alertdigest {
namespace {

using config_test::kMinimal;
using config_test::Messages;
using config_test::MustParse;
using namespace std::chrono_literals;

namespace fs = std::filesystem;

int64_t Day(std::chrono::year_month_day ymd) {
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

Timestamp T(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

TEST(ScheduleSectionsTest, TheDesignExampleLoads) {
  ConfigLoad load = LoadConfig(AD_TESTDATA_DIR "/design_example/config.toml");
  ASSERT_TRUE(load.errors.empty()) << testing::PrintToString(Messages(load.errors));
  EXPECT_TRUE(load.warnings.empty()) << testing::PrintToString(Messages(load.warnings));
  const Config& cfg = *load.config;
  EXPECT_EQ(cfg.server.ack_key_file, "/etc/alertdigest/ack.key");
  EXPECT_EQ(cfg.server.ack_link_ttl, 24h * 7) << "the default";

  const DigestRule* digest = cfg.FindDigest("daily-ops");
  ASSERT_NE(digest, nullptr);
  EXPECT_EQ(digest->schedule.text(), "0 8 * * 1-5");
  EXPECT_TRUE(digest->schedule.Matches(3, 6, 5, 8, 0)) << "a friday at 08:00";
  EXPECT_FALSE(digest->schedule.Matches(3, 7, 6, 8, 0)) << "not on saturday";
  EXPECT_EQ(digest->timezone, "Europe/Berlin");
  ASSERT_EQ(digest->matchers.size(), 1u);
  EXPECT_EQ(digest->matchers[0].ToString(), "severity=~\"warning|info\"");
  EXPECT_EQ(digest->receiver, "team");
  EXPECT_FALSE(digest->window.has_value()) << "\"\": since the previous digest";
  EXPECT_FALSE(digest->send_empty);
  EXPECT_EQ(digest->flapping_threshold, 3);

  const EscalationPolicy* escalation = cfg.FindEscalation("db-oncall");
  ASSERT_NE(escalation, nullptr);
  ASSERT_EQ(escalation->steps.size(), 2u);
  EXPECT_EQ(escalation->steps[0].after, 0min);
  EXPECT_EQ(escalation->steps[0].to, std::vector<std::string>{"rotation:db-primary"});
  EXPECT_EQ(escalation->steps[1].after, 15min);
  EXPECT_EQ(escalation->steps[1].to, std::vector<std::string>{"db-lead@example.com"});
  EXPECT_EQ(escalation->repeat, std::optional<Duration>(30min));
  EXPECT_FALSE(escalation->ack_timeout.has_value());
  ASSERT_EQ(cfg.route.routes.size(), 1u);
  EXPECT_EQ(cfg.route.routes[0].escalation, "db-oncall");

  const Rotation* rotation = cfg.FindRotation("db-primary");
  ASSERT_NE(rotation, nullptr);
  EXPECT_EQ(rotation->members, (std::vector<std::string>{"ann@example.com", "bob@example.com"}));
  EXPECT_EQ(rotation->shift, 24h * 7);
  EXPECT_EQ(rotation->handoff_weekday, 1);
  EXPECT_EQ(rotation->handoff_minute, 9 * 60);
  EXPECT_EQ(rotation->timezone, "Europe/Berlin");
  EXPECT_EQ(rotation->start_day, Day(1970y / 1 / 5)) << "the first monday on or after 1970-01-01";
}

// config.toml.example documents the three sections as comments; uncommented, they load.
TEST(ScheduleSectionsTest, TheShippedExampleDocumentsValidSections) {
  std::ifstream in(AD_SOURCE_DIR "/config.toml.example");
  ASSERT_TRUE(in) << "config.toml.example";
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string sections;
  for (const char* header : {"# [[digest]]", "# [[escalation]]", "# [[rotation]]"}) {
    auto it = std::find(lines.begin(), lines.end(), std::string(header));
    ASSERT_NE(it, lines.end()) << header;
    for (; it != lines.end() && it->starts_with("#"); ++it) {
      sections += it->substr(it->starts_with("# ") ? 2 : 1) + "\n";
    }
  }
  ConfigLoad load =
      ParseConfig(std::string("[server]\nack_key_file = \"ack.key\"\n") + kMinimal + sections +
                      "[[route.routes]]\nmatchers = ['team=\"db\"']\n"
                      "escalation = \"db-oncall\"\n",
                  "config.toml.example");
  ASSERT_TRUE(load.errors.empty()) << testing::PrintToString(Messages(load.errors)) << sections;
  EXPECT_EQ(load.config->digests.size(), 1u);
  EXPECT_EQ(load.config->escalations.size(), 1u);
  ASSERT_EQ(load.config->rotations.size(), 1u);
  EXPECT_EQ(load.config->rotations[0].overrides.size(), 1u);
}

TEST(ScheduleSectionsTest, DigestEveryKey) {
  auto cfg = MustParse(std::string(R"([[digest]]
name = "nightly"
schedule = "30 6 * jan-mar mon,WED"
timezone = "America/New_York"
matchers = ['severity="warning"', 'team!="web"']
receiver = "team"
window = "1d"
send_empty = true
flapping_threshold = 5
[[digest]]
name = "routed"
schedule = "0 8 * * *"
receiver = "team"
[[route.routes]]
matchers = ['severity="info"']
receiver = "digest:routed"
)") + kMinimal);
  ASSERT_NE(cfg, nullptr);
  ASSERT_EQ(cfg->digests.size(), 2u);
  const DigestRule& d = cfg->digests[0];
  EXPECT_EQ(d.name, "nightly");
  EXPECT_EQ(d.schedule.text(), "30 6 * jan-mar mon,WED");
  EXPECT_EQ(d.timezone, "America/New_York");
  EXPECT_EQ(d.matchers.size(), 2u);
  EXPECT_EQ(d.window, std::optional<Duration>(24h));
  EXPECT_TRUE(d.send_empty);
  EXPECT_EQ(d.flapping_threshold, 5);
  EXPECT_EQ(d.where.line, 1);
  const DigestRule& routed = cfg->digests[1];
  EXPECT_EQ(routed.timezone, "UTC") << "the default";
  EXPECT_TRUE(routed.matchers.empty()) << "routes feed it";
  EXPECT_EQ(cfg->route.routes[0].receiver, "digest:routed");
}

TEST(ScheduleSectionsTest, EscalationEveryKey) {
  auto cfg = MustParse(std::string(R"([server]
ack_key_file = "keys/ack.key"
ack_link_ttl = "36h"
[[escalation]]
name = "db"
steps = [
  { after = "0m", to = ["rotation:primary", "Lead <lead@example.com>"] },
  { after = "1h", to = ["cto@example.com"] },
]
repeat = ""
ack_timeout = "2h"
[[escalation]]
name = "web"
steps = [{ after = "5m", to = ["web@example.com"] }]
repeat = "10m"
[[rotation]]
name = "primary"
members = ["ann@example.com"]
[[route.routes]]
matchers = ['team="db"']
escalation = "db"
)") + kMinimal);
  ASSERT_NE(cfg, nullptr);
  EXPECT_EQ(cfg->server.ack_key_file, "/etc/ad/keys/ack.key") << "resolved like other paths";
  EXPECT_EQ(cfg->server.ack_link_ttl, 36h);
  ASSERT_EQ(cfg->escalations.size(), 2u);
  const EscalationPolicy& db = cfg->escalations[0];
  ASSERT_EQ(db.steps.size(), 2u);
  EXPECT_EQ(db.steps[0].to,
            (std::vector<std::string>{"rotation:primary", "Lead <lead@example.com>"}));
  EXPECT_EQ(db.steps[1].after, 1h);
  EXPECT_FALSE(db.repeat.has_value()) << "\"\" = no repeat";
  EXPECT_EQ(db.ack_timeout, std::optional<Duration>(2h));
  EXPECT_EQ(db.where.line, 4);
  const EscalationPolicy& web = cfg->escalations[1];
  EXPECT_EQ(web.steps[0].after, 5min) << "the first step may wait";
  EXPECT_EQ(web.repeat, std::optional<Duration>(10min));
  EXPECT_FALSE(web.ack_timeout.has_value()) << "absent = none";
}

TEST(ScheduleSectionsTest, RotationDefaultsAndEveryKey) {
  auto cfg = MustParse(std::string(R"([[rotation]]
name = "weekly"
members = ["ann@example.com", "Bob <bob@example.com>"]
[[rotation]]
name = "daily"
members = ["a@example.com", "b@example.com", "c@example.com"]
shift = "2d"
handoff = "18:30"
timezone = "America/New_York"
start = "2026-03-03"
overrides = [
{ name = "s", start = "2026-03-04T18:30:00-05:00", end = "2026-03-05T23:30:00Z", member = "d@x.io" }
]
[[rotation]]
name = "fortnight"
members = ["x@example.com"]
shift = "2w"
handoff = "Friday 17:00"
start = 2026-03-06
[[rotation.overrides]]
name = "holiday"
start = 2026-12-24T00:00:00Z
end = 2026-12-27T00:00:00+01:00
member = "y@example.com"
[[rotation]]
name = "days"
members = ["z@example.com"]
shift = "3d"
)") + kMinimal);
  ASSERT_NE(cfg, nullptr);
  ASSERT_EQ(cfg->rotations.size(), 4u);
  const Rotation& weekly = cfg->rotations[0];
  EXPECT_EQ(weekly.shift, 24h * 7) << "default one week";
  EXPECT_EQ(weekly.handoff_weekday, 1) << "whole weeks hand off on monday by default";
  EXPECT_EQ(weekly.handoff_minute, 9 * 60) << "at 09:00";
  EXPECT_EQ(weekly.timezone, "UTC");
  EXPECT_EQ(weekly.start_day, Day(1970y / 1 / 5)) << "the first monday on or after 1970-01-01";
  EXPECT_TRUE(weekly.overrides.empty());

  const Rotation& daily = cfg->rotations[1];
  EXPECT_EQ(daily.shift, 48h);
  EXPECT_EQ(daily.handoff_weekday, -1);
  EXPECT_EQ(daily.handoff_minute, 18 * 60 + 30);
  EXPECT_EQ(daily.timezone, "America/New_York");
  EXPECT_EQ(daily.start_day, Day(2026y / 3 / 3));
  ASSERT_EQ(daily.overrides.size(), 1u);
  EXPECT_EQ(daily.overrides[0].name, "s");
  EXPECT_EQ(daily.overrides[0].start, T("2026-03-04T23:30:00Z"));
  EXPECT_EQ(daily.overrides[0].end, T("2026-03-05T23:30:00Z"));
  EXPECT_EQ(daily.overrides[0].member, "d@x.io");

  const Rotation& fortnight = cfg->rotations[2];
  EXPECT_EQ(fortnight.shift, 24h * 14);
  EXPECT_EQ(fortnight.handoff_weekday, 5) << "weekday names in any case, short or long";
  EXPECT_EQ(fortnight.handoff_minute, 17 * 60);
  EXPECT_EQ(fortnight.start_day, Day(2026y / 3 / 6)) << "a TOML date";
  ASSERT_EQ(fortnight.overrides.size(), 1u) << "[[rotation.overrides]] works too";
  EXPECT_EQ(fortnight.overrides[0].start, T("2026-12-24T00:00:00Z")) << "TOML date-times";
  EXPECT_EQ(fortnight.overrides[0].end, T("2026-12-26T23:00:00Z"));

  const Rotation& days = cfg->rotations[3];
  EXPECT_EQ(days.handoff_weekday, -1) << "not whole weeks: daily 09:00 by default";
  EXPECT_EQ(days.handoff_minute, 9 * 60);
  EXPECT_EQ(days.start_day, 0) << "1970-01-01";
}

TEST(ScheduleSectionsTest, NamesAndReferencesWorkAcrossFiles) {
  std::string tmpl = (fs::temp_directory_path() / "schedule_sections.XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const std::string dir = tmpl;
  std::ofstream(dir + "/config.toml") << R"(rules = ["rules/*.toml"]
[server]
ack_key_file = "ack.key"
[route]
receiver = "team"
escalation = "db"
[[route.routes]]
matchers = ['severity="info"']
receiver = "digest:morning"
[[receiver]]
name = "team"
to = ["team@example.com"]
[[rotation]]
name = "primary"
members = ["ann@example.com"]
)";
  fs::create_directories(dir + "/rules");
  std::ofstream(dir + "/rules/a.toml") << R"([[escalation]]
name = "db"
steps = [{ after = "0m", to = ["rotation:primary"] }]
[[digest]]
name = "morning"
schedule = "0 8 * * *"
receiver = "team"
[[rotation]]
name = "primary"
members = ["bob@example.com"]
)";
  ConfigLoad load = LoadConfig(dir + "/config.toml");
  EXPECT_EQ(Messages(load.errors),
            std::vector<std::string>{dir +
                                     "/rules/a.toml:9: rotation[0].name: duplicate rotation "
                                     "\"primary\" (first defined at " +
                                     dir + "/config.toml:14)"})
      << "everything else resolves across files";
  fs::remove_all(dir);
}

struct RejectCase {
  const char* why;
  std::string own;    // put before a minimal valid config, so line numbers are its own
  std::string error;  // the one expected error, exactly
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.why; }

class ScheduleSectionRejectTest : public testing::TestWithParam<RejectCase> {};

TEST_P(ScheduleSectionRejectTest, ReportsExactlyThisError) {
  const RejectCase& c = GetParam();
  ConfigLoad load = ParseConfig(c.own + kMinimal, "config.toml");
  EXPECT_EQ(load.config, nullptr) << c.why;
  EXPECT_EQ(Messages(load.errors), std::vector<std::string>{c.error}) << c.why;
}

// A [[digest]] "d" that collects alerts, and then `lines` (line 4 onwards).
std::string Dg(const char* lines) {
  return std::string("[[digest]]\nname = \"d\"\nmatchers = ['a=\"1\"']\n") + lines;
}
constexpr char kDigestOk[] = "schedule = \"0 8 * * *\"\nreceiver = \"team\"\n";
std::string DgOk(const char* lines) { return Dg(kDigestOk) + lines; }  // from line 6

// An [[escalation]] "e" and then `lines` (line 3 onwards).
std::string Esc(const char* lines) { return std::string("[[escalation]]\nname = \"e\"\n") + lines; }
constexpr char kOneStep[] = "steps = [{ after = \"0m\", to = [\"a@example.com\"] }]\n";

// A [[rotation]] "r" with one member, and then `lines` (line 4 onwards).
std::string Rot(const char* lines) {
  return std::string("[[rotation]]\nname = \"r\"\nmembers = [\"a@example.com\"]\n") + lines;
}
// A rotation "r" (line 1) with this one override (line 4).
std::string Ovr(const char* table) { return Rot("overrides = [\n") + table + "\n]\n"; }

INSTANTIATE_TEST_SUITE_P(
    Config, ScheduleSectionRejectTest,
    testing::Values(
        // --- digest: name, schedule, zone, matchers
        RejectCase{"a digest needs a name",
                   "[[digest]]\nschedule = \"0 8 * * *\"\nreceiver = \"team\"\n"
                   "matchers = ['a=\"1\"']\n",
                   "config.toml:1: digest[0].name: missing (each [[digest]] needs a name)"},
        RejectCase{"digest names are unique", DgOk("[[digest]]\nname = \"d\"\n") + kDigestOk,
                   "config.toml:7: digest[1].name: duplicate digest \"d\" (first defined at "
                   "config.toml:2)"},
        RejectCase{"a digest needs a schedule", Dg("receiver = \"team\"\n"),
                   "config.toml:1: digest[0].schedule: missing (a 5-field cron expression, e.g. "
                   "\"0 8 * * 1-5\")"},
        RejectCase{"the schedule is cron: the field is named",
                   Dg("schedule = \"0 25 * * *\"\nreceiver = \"team\"\n"),
                   "config.toml:4: digest[0].schedule: bad schedule \"0 25 * * *\": hour field "
                   "\"25\": value 25 out of range 0-23"},
        RejectCase{"the schedule has 5 fields",
                   Dg("schedule = \"0 0 8 * * 1-5\"\nreceiver = \"team\"\n"),
                   "config.toml:4: digest[0].schedule: bad schedule \"0 0 8 * * 1-5\": expected 5 "
                   "fields (minute hour day-of-month month day-of-week), got 6"},
        RejectCase{"the schedule is a string", Dg("schedule = 8\nreceiver = \"team\"\n"),
                   "config.toml:4: digest[0].schedule: expected a string, got integer"},
        RejectCase{"an unknown time zone", DgOk("timezone = \"Europe/Berln\"\n"),
                   "config.toml:6: digest[0].timezone: unknown time zone \"Europe/Berln\""},
        RejectCase{"matchers are parsed",
                   std::string("[[digest]]\nname = \"d\"\nmatchers = ['a~\"1\"']\n") + kDigestOk,
                   "config.toml:3: digest[0].matchers[0]: bad matcher 'a~\"1\"': expected one of "
                   "= != =~ !~ after \"a\""},
        // --- digest: receiver
        RejectCase{"a digest needs a receiver", Dg("schedule = \"0 8 * * *\"\n"),
                   "config.toml:1: digest[0].receiver: missing (the [[receiver]] the digest is "
                   "mailed to)"},
        RejectCase{"the receiver must exist",
                   Dg("schedule = \"0 8 * * *\"\nreceiver = \"nobody\"\n"),
                   "config.toml:5: digest[0].receiver: undefined receiver \"nobody\" (defined: "
                   "team)"},
        RejectCase{"a digest is not mailed to a digest",
                   Dg("schedule = \"0 8 * * *\"\nreceiver = \"digest:d\"\n"),
                   "config.toml:5: digest[0].receiver: undefined receiver \"digest:d\" (defined: "
                   "team)"},
        RejectCase{"the receiver is not empty", Dg("schedule = \"0 8 * * *\"\nreceiver = \"\"\n"),
                   "config.toml:5: digest[0].receiver: must not be empty"},
        // --- digest: window, send_empty, flapping_threshold, unknown keys
        RejectCase{"a window is positive", DgOk("window = \"0s\"\n"),
                   "config.toml:6: digest[0].window: must be greater than 0"},
        RejectCase{"a window is a duration", DgOk("window = \"1 day\"\n"),
                   "config.toml:6: digest[0].window: bad duration \"1 day\": unknown unit (want "
                   "e.g. \"30s\", \"5m\", \"1h30m\")"},
        RejectCase{"send_empty is a boolean", DgOk("send_empty = \"yes\"\n"),
                   "config.toml:6: digest[0].send_empty: expected a boolean, got string"},
        RejectCase{"flapping_threshold is at least 1", DgOk("flapping_threshold = 0\n"),
                   "config.toml:6: digest[0].flapping_threshold: must be between 1 and "
                   "2147483647, got 0"},
        RejectCase{"unknown digest keys", DgOk("sendempty = true\n"),
                   "config.toml:6: digest[0].sendempty: unknown key (did you mean "
                   "\"send_empty\"?)"},
        // --- digest: what it selects, and routes naming it
        RejectCase{"a digest must select something",
                   "[[digest]]\nname = \"daily-ops\"\nschedule = \"0 8 * * *\"\n"
                   "receiver = \"team\"\nmatchers = []\n",
                   "config.toml:1: digest[0]: selects no alerts: give it matchers or route alerts "
                   "to receiver \"digest:daily-ops\""},
        RejectCase{"a route may only name a digest that exists",
                   "[[route.routes]]\nreceiver = \"digest:nightly\"\n",
                   "config.toml:2: route.routes[0].receiver: undefined digest \"nightly\" "
                   "(defined: none)"},
        RejectCase{"a route's digest receiver has a name",
                   "[[route.routes]]\nreceiver = \"digest:\"\n",
                   "config.toml:2: route.routes[0].receiver: \"digest:\" needs a digest name "
                   "(\"digest:daily-ops\")"},
        // --- escalation: name and steps
        RejectCase{"an escalation needs a name", std::string("[[escalation]]\n") + kOneStep,
                   "config.toml:1: escalation[0].name: missing (each [[escalation]] needs a name)"},
        RejectCase{"escalation names are unique",
                   Esc(kOneStep) + "[[escalation]]\nname = \"e\"\n" + kOneStep,
                   "config.toml:5: escalation[1].name: duplicate escalation \"e\" (first defined "
                   "at config.toml:2)"},
        RejectCase{"an escalation needs steps", Esc(""),
                   "config.toml:1: escalation[0].steps: missing (at least one step, e.g. [{ after "
                   "= \"0m\", to = [\"oncall@example.com\"] }])"},
        RejectCase{"steps are not empty", Esc("steps = []\n"),
                   "config.toml:3: escalation[0].steps: must not be empty (an escalation needs at "
                   "least one step)"},
        RejectCase{"steps is a list", Esc("steps = \"0m\"\n"),
                   "config.toml:3: escalation[0].steps: expected a list of { after, to } tables, "
                   "got string"},
        RejectCase{"of tables", Esc("steps = [\"0m\"]\n"),
                   "config.toml:3: escalation[0].steps[0]: expected a table like { after = "
                   "\"15m\", to = [\"lead@example.com\"] }, got string"},
        RejectCase{"each step says when", Esc("steps = [{ to = [\"a@example.com\"] }]\n"),
                   "config.toml:3: escalation[0].steps[0].after: missing (how long after the "
                   "start, e.g. \"0m\")"},
        RejectCase{"after is never negative",
                   Esc("steps = [{ after = \"-5m\", to = [\"a@example.com\"] }]\n"),
                   "config.toml:3: escalation[0].steps[0].after: bad duration \"-5m\": must not "
                   "be negative (want e.g. \"30s\", \"5m\", \"1h30m\")"},
        RejectCase{"steps come strictly one after another",
                   Esc("steps = [\n  { after = \"15m\", to = [\"a@example.com\"] },\n"
                       "  { after = \"15m\", to = [\"b@example.com\"] },\n]\n"),
                   "config.toml:5: escalation[0].steps[1].after: must be later than the previous "
                   "step (15m)"},
        RejectCase{"and in order",
                   Esc("steps = [\n  { after = \"1h\", to = [\"a@example.com\"] },\n"
                       "  { after = \"30m\", to = [\"b@example.com\"] },\n]\n"),
                   "config.toml:5: escalation[0].steps[1].after: must be later than the previous "
                   "step (1h)"},
        RejectCase{"each step says whom", Esc("steps = [{ after = \"0m\" }]\n"),
                   "config.toml:3: escalation[0].steps[0].to: missing (addresses or "
                   "\"rotation:<name>\")"},
        RejectCase{"to is not empty", Esc("steps = [{ after = \"0m\", to = [] }]\n"),
                   "config.toml:3: escalation[0].steps[0].to: must not be empty (addresses or "
                   "\"rotation:<name>\")"},
        RejectCase{"targets are addresses",
                   Esc("steps = [{ after = \"0m\", to = [\"a@example.com\", \"lead\"] }]\n"),
                   "config.toml:3: escalation[0].steps[0].to[1]: bad address \"lead\": expected "
                   "\"a@example.com\" or \"Name <a@example.com>\""},
        RejectCase{"or rotations that exist",
                   Esc("steps = [{ after = \"0m\", to = [\"rotation:db\"] }]\n"),
                   "config.toml:3: escalation[0].steps[0].to[0]: undefined rotation \"db\" "
                   "(defined: none)"},
        RejectCase{"a rotation target has a name",
                   Esc("steps = [{ after = \"0m\", to = [\"rotation:\"] }]\n"),
                   "config.toml:3: escalation[0].steps[0].to[0]: \"rotation:\" needs a rotation "
                   "name (\"rotation:db-primary\")"},
        RejectCase{"unknown step keys",
                   Esc("steps = [{ after = \"0m\", to = [\"a@example.com\"], cc = [] }]\n"),
                   "config.toml:3: escalation[0].steps[0].cc: unknown key (did you mean \"to\"?)"},
        // --- escalation: repeat, ack_timeout, and what a route needs
        RejectCase{"repeat is positive", Esc(kOneStep) + "repeat = \"0s\"\n",
                   "config.toml:4: escalation[0].repeat: must be greater than 0"},
        RejectCase{"ack_timeout is a duration", Esc(kOneStep) + "ack_timeout = \"soon\"\n",
                   "config.toml:4: escalation[0].ack_timeout: bad duration \"soon\": expected a "
                   "number (want e.g. \"30s\", \"5m\", \"1h30m\")"},
        RejectCase{"ack_timeout is a string", Esc(kOneStep) + "ack_timeout = 5\n",
                   "config.toml:4: escalation[0].ack_timeout: expected a duration string like "
                   "\"30s\", got integer"},
        RejectCase{"unknown escalation keys", Esc(kOneStep) + "repeats = \"5m\"\n",
                   "config.toml:4: escalation[0].repeats: unknown key (did you mean \"repeat\"?)"},
        RejectCase{"escalating needs the key that signs ack links",
                   Esc(kOneStep) + "[[route.routes]]\nmatchers = ['a=\"1\"']\nescalation = \"e\"\n",
                   "config.toml:6: server.ack_key_file: required when a route has an escalation "
                   "(it signs the acknowledgement links)"},
        // --- rotation: name and members
        RejectCase{"a rotation needs a name", "[[rotation]]\nmembers = [\"a@example.com\"]\n",
                   "config.toml:1: rotation[0].name: missing (each [[rotation]] needs a name)"},
        RejectCase{"rotation names are unique",
                   Rot("[[rotation]]\nname = \"r\"\nmembers = [\"b@example.com\"]\n"),
                   "config.toml:5: rotation[1].name: duplicate rotation \"r\" (first defined at "
                   "config.toml:2)"},
        RejectCase{"a rotation needs members", "[[rotation]]\nname = \"r\"\n",
                   "config.toml:1: rotation[0].members: missing (the addresses that take turns)"},
        RejectCase{"members are not empty", "[[rotation]]\nname = \"r\"\nmembers = []\n",
                   "config.toml:3: rotation[0].members: must not be empty (the addresses that "
                   "take turns)"},
        RejectCase{"members are addresses",
                   "[[rotation]]\nname = \"r\"\nmembers = [\"a@example.com\", \"bob\"]\n",
                   "config.toml:3: rotation[0].members[1]: bad address \"bob\": expected "
                   "\"a@example.com\" or \"Name <a@example.com>\""},
        // --- rotation: shift and hand-off
        RejectCase{"a weekday hand-off needs whole weeks",
                   Rot("shift = \"10d\"\nhandoff = \"mon 09:00\"\n"),
                   "config.toml:4: rotation[0].shift: must be a whole number of weeks with a "
                   "weekday hand-off, got 1w3d"},
        RejectCase{"a daily hand-off needs whole days",
                   Rot("shift = \"36h\"\nhandoff = \"09:00\"\n"),
                   "config.toml:4: rotation[0].shift: must be a whole number of days, got 1d12h"},
        RejectCase{"so does the default hand-off", Rot("shift = \"12h\"\n"),
                   "config.toml:4: rotation[0].shift: must be a whole number of days, got 12h"},
        RejectCase{"a shift is positive", Rot("shift = \"0s\"\n"),
                   "config.toml:4: rotation[0].shift: must be greater than 0"},
        RejectCase{"hand-off hours have two digits", Rot("handoff = \"mon 9:00\"\n"),
                   "config.toml:4: rotation[0].handoff: bad hand-off \"mon 9:00\" (want \"HH:MM\" "
                   "or a weekday and a time, like \"mon 09:00\")"},
        RejectCase{"hand-off weekdays are names", Rot("handoff = \"1 09:00\"\n"),
                   "config.toml:4: rotation[0].handoff: bad hand-off \"1 09:00\" (want \"HH:MM\" "
                   "or a weekday and a time, like \"mon 09:00\")"},
        RejectCase{"a hand-off is within the day", Rot("handoff = \"24:00\"\n"),
                   "config.toml:4: rotation[0].handoff: bad hand-off \"24:00\" (want \"HH:MM\" "
                   "or a weekday and a time, like \"mon 09:00\")"},
        // --- rotation: zone and start
        RejectCase{"an unknown time zone", Rot("timezone = \"Berlin\"\n"),
                   "config.toml:4: rotation[0].timezone: unknown time zone \"Berlin\""},
        RejectCase{"start is a date", Rot("start = \"2026-3-2\"\n"),
                   "config.toml:4: rotation[0].start: bad date \"2026-3-2\" (want "
                   "\"YYYY-MM-DD\")"},
        RejectCase{"a real date", Rot("start = \"2026-02-30\"\n"),
                   "config.toml:4: rotation[0].start: bad date \"2026-02-30\" (want "
                   "\"YYYY-MM-DD\")"},
        RejectCase{"not a number", Rot("start = 20260302\n"),
                   "config.toml:4: rotation[0].start: expected a date like \"2026-03-02\", got "
                   "integer"},
        RejectCase{"start falls on the hand-off weekday",
                   Rot("handoff = \"mon 09:00\"\nstart = \"2026-03-03\"\n"),
                   "config.toml:5: rotation[0].start: 2026-03-03 is a tuesday, but the hand-off "
                   "is on monday"},
        RejectCase{"also with the default hand-off", Rot("start = 2026-03-04\n"),
                   "config.toml:4: rotation[0].start: 2026-03-04 is a wednesday, but the hand-off "
                   "is on monday"},
        // --- rotation: overrides
        RejectCase{"overrides is a list", Rot("overrides = \"none\"\n"),
                   "config.toml:4: rotation[0].overrides: expected a list of { name, start, end, "
                   "member } tables, got string"},
        RejectCase{"of tables", Ovr("\"b@example.com\""),
                   "config.toml:5: rotation[0].overrides[0]: expected a { name, start, end, member "
                   "} table, got string"},
        RejectCase{"an override ends after it starts",
                   Ovr("{ name = \"o\", start = \"2026-03-04T10:00:00Z\", end = "
                       "\"2026-03-04T11:00:00+01:00\", member = \"b@example.com\" }"),
                   "config.toml:5: rotation[0].overrides[0].end: must be after start"},
        RejectCase{"override times are RFC 3339",
                   Ovr("{ name = \"o\", start = \"2026-03-04 10:00\", end = "
                       "\"2026-03-05T10:00:00Z\", member = \"b@example.com\" }"),
                   "config.toml:5: rotation[0].overrides[0].start: bad time \"2026-03-04 10:00\": "
                   "malformed time of day (want RFC 3339, e.g. 2026-11-26T01:08:18Z)"},
        RejectCase{"a TOML date-time needs an offset",
                   Ovr("{ name = \"o\", start = 2026-03-04T10:00:00, end = "
                       "2026-03-05T10:00:00Z, member = \"b@example.com\" }"),
                   "config.toml:5: rotation[0].overrides[0].start: a date-time needs a UTC offset "
                   "(\"Z\" or like \"+01:00\") to be one instant"},
        RejectCase{"an override has both ends",
                   Ovr("{ name = \"o\", start = \"2026-03-04T10:00:00Z\", member = "
                       "\"b@example.com\" }"),
                   "config.toml:5: rotation[0].overrides[0].end: missing (an RFC 3339 time like "
                   "\"2026-03-04T09:00:00+01:00\")"},
        RejectCase{"an override's member is an address",
                   Ovr("{ name = \"o\", start = \"2026-03-04T10:00:00Z\", end = "
                       "\"2026-03-05T10:00:00Z\", member = \"rotation:r\" }"),
                   "config.toml:5: rotation[0].overrides[0].member: bad address \"rotation:r\": "
                   "expected \"a@example.com\" or \"Name <a@example.com>\""},
        RejectCase{"an override has a name",
                   Ovr("{ start = \"2026-03-04T10:00:00Z\", end = \"2026-03-05T10:00:00Z\", "
                       "member = \"b@example.com\" }"),
                   "config.toml:5: rotation[0].overrides[0].name: missing (shown as the reason in "
                   "escalation mails)"},
        RejectCase{"unknown override keys",
                   Ovr("{ name = \"o\", start = \"2026-03-04T10:00:00Z\", end = "
                       "\"2026-03-05T10:00:00Z\", member = \"b@example.com\", reason = \"flu\" }"),
                   "config.toml:5: rotation[0].overrides[0].reason: unknown key"},
        RejectCase{"unknown rotation keys", Rot("hand_off = \"mon 09:00\"\n"),
                   "config.toml:4: rotation[0].hand_off: unknown key (did you mean "
                   "\"handoff\"?)"},
        // --- server
        RejectCase{"ack links expire", "[server]\nack_link_ttl = \"0s\"\n",
                   "config.toml:2: server.ack_link_ttl: must be greater than 0"}));

// Every problem of a broken section is reported at once, in file order.
TEST(ScheduleSectionsTest, AllProblemsOfOneSectionAtOnce) {
  ConfigLoad load = ParseConfig(std::string(R"([[digest]]
name = "d"
schedule = "0 8 * *"
timezone = "Mars/Olympus"
receiver = "nobody"
window = "0s"
)") + kMinimal,
                                "config.toml");
  EXPECT_EQ(Messages(load.errors),
            (std::vector<std::string>{
                "config.toml:1: digest[0]: selects no alerts: give it matchers or route alerts to "
                "receiver \"digest:d\"",
                "config.toml:3: digest[0].schedule: bad schedule \"0 8 * *\": expected 5 fields "
                "(minute hour day-of-month month day-of-week), got 4",
                "config.toml:4: digest[0].timezone: unknown time zone \"Mars/Olympus\"",
                "config.toml:5: digest[0].receiver: undefined receiver \"nobody\" (defined: team)",
                "config.toml:6: digest[0].window: must be greater than 0",
            }));
}

}  // namespace
}  // namespace alertdigest
