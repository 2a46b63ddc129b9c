// [[time_interval]] and [[inhibit_rule]]: what they parse into (DESIGN.md §3 is the contract)
// and the exact message for every malformed value.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "config/config_test_util.h"

namespace alertdigest {
namespace {

using config_test::kMinimal;
using config_test::Messages;
using config_test::MustParse;
using Ranges = std::vector<std::pair<int, int>>;

TEST(TimeIntervalConfigTest, DesignExampleParses) {
  auto cfg = MustParse(std::string(R"([[time_interval]]
name = "nights"
timezone = "Europe/Berlin"
times = [{ start = "22:00", end = "07:00" }]
weekdays = ["monday:friday"]
)") + kMinimal);
  ASSERT_NE(cfg, nullptr);
  ASSERT_EQ(cfg->time_intervals.size(), 1u);
  const TimeInterval& t = cfg->time_intervals[0];
  EXPECT_EQ(t.name, "nights");
  EXPECT_EQ(t.timezone, "Europe/Berlin");
  EXPECT_EQ(t.times_minutes, (Ranges{{22 * 60, 24 * 60}, {0, 7 * 60}})) << "split at midnight";
  EXPECT_EQ(t.weekdays, (Ranges{{1, 5}}));
  EXPECT_TRUE(t.days_of_month.empty());
  EXPECT_EQ(t.where.line, 1);
}

TEST(TimeIntervalConfigTest, EveryFieldAndItsDefaults) {
  auto cfg = MustParse(std::string(R"([[time_interval]]
name = "all"
times = [{ start = "00:00", end = "24:00" }, { start = "08:30", end = "09:15" },
         { start = "18:00", end = "00:00" }]
weekdays = ["Sunday", "tuesday:THURSDAY", "saturday:saturday"]
days_of_month = ["1:5", "-1", "1:-1", "-7:-3"]
months = ["january:march", "12", "5:june"]
years = ["2026:2027", "2030"]
[[time_interval]]
name = "always"
)") + kMinimal);
  ASSERT_NE(cfg, nullptr);
  ASSERT_EQ(cfg->time_intervals.size(), 2u);
  const TimeInterval& t = cfg->time_intervals[0];
  EXPECT_EQ(t.timezone, "UTC") << "the default";
  EXPECT_EQ(t.times_minutes, (Ranges{{0, 1440}, {510, 555}, {1080, 1440}}))
      << "an end of 00:00 adds no empty morning part";
  EXPECT_EQ(t.weekdays, (Ranges{{0, 0}, {2, 4}, {6, 6}})) << "names in any case";
  EXPECT_EQ(t.days_of_month, (Ranges{{1, 5}, {-1, -1}, {1, -1}, {-7, -3}}));
  EXPECT_EQ(t.months, (Ranges{{1, 3}, {12, 12}, {5, 6}}));
  EXPECT_EQ(t.years, (Ranges{{2026, 2027}, {2030, 2030}}));
  const TimeInterval& always = cfg->time_intervals[1];
  EXPECT_TRUE(always.times_minutes.empty() && always.weekdays.empty() && always.months.empty());
}

TEST(InhibitRuleConfigTest, DesignExampleParsesWithoutWarning) {
  ConfigLoad load = ParseConfig(std::string(R"([[inhibit_rule]]
source_matchers = ['severity="critical"']
target_matchers = ['severity="warning"']
equal = ["cluster"]
[[inhibit_rule]]
source_matchers = ['alertname="NodeDown"', 'team=~"db|ops"']
target_matchers = ['alertname!="NodeDown"']
[[time_interval]]
name = "t"
)") + kMinimal,
                                "config.toml");
  ASSERT_TRUE(load.errors.empty()) << testing::PrintToString(Messages(load.errors));
  EXPECT_TRUE(load.warnings.empty()) << testing::PrintToString(Messages(load.warnings));
  const Config& cfg = *load.config;
  ASSERT_EQ(cfg.inhibit_rules.size(), 2u);
  const InhibitRule& r = cfg.inhibit_rules[0];
  ASSERT_EQ(r.source_matchers.size(), 1u);
  EXPECT_EQ(r.source_matchers[0].ToString(), "severity=\"critical\"");
  ASSERT_EQ(r.target_matchers.size(), 1u);
  EXPECT_EQ(r.target_matchers[0].ToString(), "severity=\"warning\"");
  EXPECT_EQ(r.equal, std::vector<std::string>{"cluster"});
  EXPECT_EQ(r.where.line, 1);
  EXPECT_EQ(cfg.inhibit_rules[1].source_matchers.size(), 2u);
  EXPECT_TRUE(cfg.inhibit_rules[1].equal.empty());
}

struct RejectCase {
  const char* why;
  std::string own;    // put before a minimal valid config, so line numbers are its own
  std::string error;  // the one expected error, exactly
};

class MuteSectionRejectTest : public testing::TestWithParam<RejectCase> {};

TEST_P(MuteSectionRejectTest, ReportsExactlyThisError) {
  const RejectCase& c = GetParam();
  ConfigLoad load = ParseConfig(c.own + kMinimal, "config.toml");
  EXPECT_EQ(load.config, nullptr) << c.why;
  EXPECT_EQ(Messages(load.errors), std::vector<std::string>{c.error}) << c.why;
}

// [[time_interval]] named "n" with one more line.
std::string Ti(const char* line) { return std::string("[[time_interval]]\nname = \"n\"\n") + line; }
// [[inhibit_rule]] with these lines.
std::string Ir(const char* lines) { return std::string("[[inhibit_rule]]\n") + lines; }
constexpr char kSides[] = "source_matchers = ['a=\"1\"']\ntarget_matchers = ['b=\"2\"']\n";

INSTANTIATE_TEST_SUITE_P(
    Config, MuteSectionRejectTest,
    testing::Values(
        // --- time_interval: name and time zone
        RejectCase{"names are unique", Ti("[[time_interval]]\nname = \"n\"\n"),
                   "config.toml:4: time_interval[1].name: duplicate time_interval \"n\" (first "
                   "defined at config.toml:2)"},
        RejectCase{"names are not empty", "[[time_interval]]\nname = \"\"\n",
                   "config.toml:2: time_interval[0].name: must not be empty"},
        RejectCase{"an unknown time zone", Ti("timezone = \"Europe/Berln\"\n"),
                   "config.toml:3: time_interval[0].timezone: unknown time zone \"Europe/Berln\""},
        RejectCase{"time zone names are case-sensitive", Ti("timezone = \"utc\"\n"),
                   "config.toml:3: time_interval[0].timezone: unknown time zone \"utc\""},
        RejectCase{"a time zone is a string", Ti("timezone = 1\n"),
                   "config.toml:3: time_interval[0].timezone: expected a string, got integer"},
        RejectCase{"unknown keys are flagged", Ti("weekday = [\"monday\"]\n"),
                   "config.toml:3: time_interval[0].weekday: unknown key (did you mean "
                   "\"weekdays\"?)"},
        // --- times
        RejectCase{"times is a list", Ti("times = \"22:00\"\n"),
                   "config.toml:3: time_interval[0].times: expected a list of { start, end } "
                   "tables, got string"},
        RejectCase{"of tables", Ti("times = [\"22:00-07:00\"]\n"),
                   "config.toml:3: time_interval[0].times[0]: expected a table like { start = "
                   "\"22:00\", end = \"07:00\" }, got string"},
        RejectCase{"HH:MM has two-digit hours",
                   Ti("times = [{ start = \"7:00\", end = \"08:00\" }]\n"),
                   "config.toml:3: time_interval[0].times[0].start: bad time \"7:00\" (want "
                   "\"HH:MM\", 00:00 to 24:00)"},
        RejectCase{"minutes stop at 59", Ti("times = [{ start = \"07:00\", end = \"08:60\" }]\n"),
                   "config.toml:3: time_interval[0].times[0].end: bad time \"08:60\" (want "
                   "\"HH:MM\", 00:00 to 24:00)"},
        RejectCase{"nothing after 24:00", Ti("times = [{ start = \"07:00\", end = \"24:01\" }]\n"),
                   "config.toml:3: time_interval[0].times[0].end: bad time \"24:01\" (want "
                   "\"HH:MM\", 00:00 to 24:00)"},
        RejectCase{"24:00 only ends a range",
                   Ti("times = [{ start = \"24:00\", end = \"07:00\" }]\n"),
                   "config.toml:3: time_interval[0].times[0].start: bad time \"24:00\" (24:00 is "
                   "only allowed as an end)"},
        RejectCase{"both ends are required", Ti("times = [{ start = \"07:00\" }]\n"),
                   "config.toml:3: time_interval[0].times[0].end: missing"},
        RejectCase{"an empty range is a mistake",
                   Ti("times = [{ start = \"07:00\", end = \"07:00\" }]\n"),
                   "config.toml:3: time_interval[0].times[0].end: must differ from start (an "
                   "empty range)"},
        RejectCase{"Alertmanager's key names are not ours",
                   Ti("times = [{ start = \"07:00\", end = \"08:00\", end_time = \"09:00\" }]\n"),
                   "config.toml:3: time_interval[0].times[0].end_time: unknown key"},
        // --- weekdays
        RejectCase{"weekday names are spelt out", Ti("weekdays = [\"monday\", \"tue\"]\n"),
                   "config.toml:3: time_interval[0].weekdays[1]: bad weekday range \"tue\": "
                   "unknown weekday \"tue\""},
        RejectCase{"weekday ranges do not wrap", Ti("weekdays = [\"friday:monday\"]\n"),
                   "config.toml:3: time_interval[0].weekdays[0]: bad weekday range "
                   "\"friday:monday\": start is after end"},
        RejectCase{"weekdays is a list", Ti("weekdays = \"monday\"\n"),
                   "config.toml:3: time_interval[0].weekdays: expected a list of strings, got "
                   "string"},
        // --- days_of_month
        RejectCase{"there is no day 0", Ti("days_of_month = [\"0\"]\n"),
                   "config.toml:3: time_interval[0].days_of_month[0]: bad day of month range "
                   "\"0\": day must be 1 to 31 or -31 to -1, got 0"},
        RejectCase{"nor a day 32", Ti("days_of_month = [\"1:32\"]\n"),
                   "config.toml:3: time_interval[0].days_of_month[0]: bad day of month range "
                   "\"1:32\": day must be 1 to 31 or -31 to -1, got 32"},
        RejectCase{"days are numbers", Ti("days_of_month = [\"first\"]\n"),
                   "config.toml:3: time_interval[0].days_of_month[0]: bad day of month range "
                   "\"first\": expected a day number, got \"first\""},
        RejectCase{"a negative start needs a negative end", Ti("days_of_month = [\"-1:5\"]\n"),
                   "config.toml:3: time_interval[0].days_of_month[0]: bad day of month range "
                   "\"-1:5\": a negative start needs a negative end"},
        RejectCase{"day ranges do not wrap", Ti("days_of_month = [\"-1:-3\"]\n"),
                   "config.toml:3: time_interval[0].days_of_month[0]: bad day of month range "
                   "\"-1:-3\": start is after end"},
        // --- months and years
        RejectCase{"month names are spelt out", Ti("months = [\"jan\"]\n"),
                   "config.toml:3: time_interval[0].months[0]: bad month range \"jan\": unknown "
                   "month \"jan\""},
        RejectCase{"month numbers are 1 to 12", Ti("months = [\"13\"]\n"),
                   "config.toml:3: time_interval[0].months[0]: bad month range \"13\": month "
                   "must be 1 to 12, got 13"},
        RejectCase{"month ranges do not wrap", Ti("months = [\"december:january\"]\n"),
                   "config.toml:3: time_interval[0].months[0]: bad month range "
                   "\"december:january\": start is after end"},
        RejectCase{"years are numbers", Ti("years = [\"2026:next\"]\n"),
                   "config.toml:3: time_interval[0].years[0]: bad year range \"2026:next\": "
                   "expected a year like 2026, got \"next\""},
        RejectCase{"year ranges go forward", Ti("years = [\"2027:2026\"]\n"),
                   "config.toml:3: time_interval[0].years[0]: bad year range \"2027:2026\": "
                   "start is after end"},
        // --- inhibit_rule
        RejectCase{"source_matchers are required", Ir("target_matchers = ['b=\"2\"']\n"),
                   "config.toml:1: inhibit_rule[0].source_matchers: missing: an inhibit rule "
                   "needs at least one matcher on each side"},
        RejectCase{"target_matchers must not be empty",
                   Ir("source_matchers = ['a=\"1\"']\ntarget_matchers = []\n"),
                   "config.toml:3: inhibit_rule[0].target_matchers: must not be empty: an "
                   "inhibit rule needs at least one matcher on each side"},
        RejectCase{"matchers are parsed",
                   Ir("source_matchers = ['a~\"1\"']\ntarget_matchers = ['b=\"2\"']\n"),
                   "config.toml:2: inhibit_rule[0].source_matchers[0]: bad matcher 'a~\"1\"': "
                   "expected one of = != =~ !~ after \"a\""},
        RejectCase{"matchers are strings",
                   Ir("source_matchers = ['a=\"1\"']\ntarget_matchers = [{ b = 2 }]\n"),
                   "config.toml:3: inhibit_rule[0].target_matchers[0]: expected a string, got "
                   "table"},
        RejectCase{"equal names labels", (Ir(kSides) + "equal = [\"cluster\", \"1x\"]\n"),
                   "config.toml:4: inhibit_rule[0].equal[1]: bad label name \"1x\""},
        RejectCase{"equal is a list", (Ir(kSides) + "equal = \"cluster\"\n"),
                   "config.toml:4: inhibit_rule[0].equal: expected a list of strings, got "
                   "string"},
        RejectCase{"unknown keys are flagged", (Ir(kSides) + "equals = [\"cluster\"]\n"),
                   "config.toml:4: inhibit_rule[0].equals: unknown key (did you mean "
                   "\"equal\"?)"},
        RejectCase{"inhibit_rule is an array of tables", "inhibit_rule = 1\n",
                   "config.toml:1: inhibit_rule: expected an array of tables ([[inhibit_rule]]), "
                   "got integer"}));

}  // namespace
}  // namespace alertdigest
