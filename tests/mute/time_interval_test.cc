// Time intervals evaluated on the interval's own wall clock (Alertmanager's ContainsTime),
// including the DST edges of Europe/Berlin in 2026 (spring forward 2026-03-29 01:00Z, 02:00 CET
// → 03:00 CEST; fall back 2026-10-25 01:00Z, 03:00 CEST → 02:00 CET).
#include "mute/time_interval.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace alertdigest {
namespace {

using Ranges = std::vector<std::pair<int, int>>;

TimeInterval Spec(std::string tz = "UTC") {
  TimeInterval t;
  t.name = "t";
  t.timezone = std::move(tz);
  return t;
}
TimeInterval Times(Ranges minutes, std::string tz = "UTC") {
  TimeInterval t = Spec(std::move(tz));
  t.times_minutes = std::move(minutes);
  return t;
}
TimeInterval Weekdays(Ranges r, std::string tz = "UTC") {
  TimeInterval t = Spec(std::move(tz));
  t.weekdays = std::move(r);
  return t;
}
TimeInterval Days(Ranges r) {
  TimeInterval t = Spec();
  t.days_of_month = std::move(r);
  return t;
}
TimeInterval Months(Ranges r, std::string tz = "UTC") {
  TimeInterval t = Spec(std::move(tz));
  t.months = std::move(r);
  return t;
}
TimeInterval Years(Ranges r, std::string tz = "UTC") {
  TimeInterval t = Spec(std::move(tz));
  t.years = std::move(r);
  return t;
}
// 22:00–07:00 as the config loader stores it (split at midnight).
TimeInterval Nights(std::string tz) { return Times({{22 * 60, 24 * 60}, {0, 7 * 60}}, tz); }
TimeInterval BusinessHours(std::string tz) { return Times({{9 * 60, 17 * 60}}, tz); }

struct ContainsCase {
  const char* why;
  TimeInterval spec;
  const char* at;  // RFC 3339, UTC
  bool want;
};

class ContainsTest : public testing::TestWithParam<ContainsCase> {};

TEST_P(ContainsTest, Contains) {
  const ContainsCase& c = GetParam();
  Result<TimeIntervalMatcher> m = TimeIntervalMatcher::Create(c.spec);
  ASSERT_TRUE(m.ok()) << m.status().message();
  Result<Timestamp> t = ParseRfc3339(c.at);
  ASSERT_TRUE(t.ok()) << c.at;
  EXPECT_EQ(m->Contains(*t), c.want) << c.why << " at " << c.at;
}

const ContainsCase kCases[] = {
    // --- empty spec
    {"no field restricts nothing", Spec(), "2026-05-05T12:00:00Z", true},
    // --- weekdays (2026-03-27 is a Friday)
    {"friday is in monday:friday", Weekdays({{1, 5}}), "2026-03-27T12:00:00Z", true},
    {"saturday is not", Weekdays({{1, 5}}), "2026-03-28T12:00:00Z", false},
    {"sunday is 0", Weekdays({{0, 0}}), "2026-03-29T12:00:00Z", true},
    {"several ranges: sunday or monday:friday", Weekdays({{1, 5}, {0, 0}}), "2026-03-29T00:00:00Z",
     true},
    {"the weekday is the local one: friday 23:30Z is saturday in Berlin",
     Weekdays({{1, 5}}, "Europe/Berlin"), "2026-03-27T23:30:00Z", false},
    // --- times
    {"start is inclusive", BusinessHours("UTC"), "2026-05-05T09:00:00Z", true},
    {"end is exclusive", BusinessHours("UTC"), "2026-05-05T17:00:00Z", false},
    {"last second before the end", BusinessHours("UTC"), "2026-05-05T16:59:59Z", true},
    {"nights: before 22:00", Nights("UTC"), "2026-05-05T21:59:00Z", false},
    {"nights: 22:00", Nights("UTC"), "2026-05-05T22:00:00Z", true},
    {"nights: midnight", Nights("UTC"), "2026-05-06T00:00:00Z", true},
    {"nights: 06:59", Nights("UTC"), "2026-05-06T06:59:00Z", true},
    {"nights: 07:00 is the end", Nights("UTC"), "2026-05-06T07:00:00Z", false},
    {"24:00 end includes 23:59", Times({{18 * 60, 24 * 60}}), "2026-05-05T23:59:59Z", true},
    {"24:00 end excludes the next midnight", Times({{18 * 60, 24 * 60}}), "2026-05-06T00:00:00Z",
     false},
    // --- days of month
    {"-1 is Feb 29 in the leap year 2028", Days({{-1, -1}}), "2028-02-29T12:00:00Z", true},
    {"-1 is not Feb 28 in 2028", Days({{-1, -1}}), "2028-02-28T12:00:00Z", false},
    {"-1 is Feb 28 in 2026", Days({{-1, -1}}), "2026-02-28T12:00:00Z", true},
    {"-2:-1 covers Feb 27 in 2026", Days({{-2, -1}}), "2026-02-27T12:00:00Z", true},
    {"-2:-1 does not cover Feb 27 in 2028", Days({{-2, -1}}), "2028-02-27T12:00:00Z", false},
    {"25:31 is clamped to Feb 28", Days({{25, 31}}), "2026-02-28T12:00:00Z", true},
    {"30:31 starts after February ends: never in it", Days({{30, 31}}), "2026-02-28T12:00:00Z",
     false},
    {"30:31 is not carried into March", Days({{30, 31}}), "2026-03-01T12:00:00Z", false},
    {"1:-1 is every day", Days({{1, -1}}), "2026-02-17T12:00:00Z", true},
    {"1:5 excludes the 6th", Days({{1, 5}}), "2026-02-06T00:00:00Z", false},
    // --- months and years
    {"march is in january:march", Months({{1, 3}}), "2026-03-31T23:30:00Z", true},
    {"the same instant is april in Berlin", Months({{1, 3}}, "Europe/Berlin"),
     "2026-03-31T23:30:00Z", false},
    {"december alone", Months({{12, 12}}), "2026-12-01T00:00:00Z", true},
    {"2025 is not in 2026:2027", Years({{2026, 2027}}), "2025-12-31T23:30:00Z", false},
    {"but it is 2026 in Berlin already", Years({{2026, 2027}}, "Europe/Berlin"),
     "2025-12-31T23:30:00Z", true},
    {"2028 is past the range", Years({{2026, 2027}}), "2028-01-01T00:00:00Z", false},
    // --- time zones: 2026-06-15T07:30Z
    {"09:30 in Berlin (CEST)", BusinessHours("Europe/Berlin"), "2026-06-15T07:30:00Z", true},
    {"03:30 in New York", BusinessHours("America/New_York"), "2026-06-15T07:30:00Z", false},
    {"16:30 in Tokyo", BusinessHours("Asia/Tokyo"), "2026-06-15T07:30:00Z", true},
    {"07:30 in UTC", BusinessHours("UTC"), "2026-06-15T07:30:00Z", false},
    // --- DST, spring forward: local 02:00–03:00 does not exist on 2026-03-29
    {"02:30 CET the day before", Times({{120, 180}}, "Europe/Berlin"), "2026-03-28T01:30:00Z",
     true},
    {"01:59 CET, just before the jump", Times({{120, 180}}, "Europe/Berlin"),
     "2026-03-29T00:59:00Z", false},
    {"the jump lands on 03:00 CEST", Times({{120, 180}}, "Europe/Berlin"), "2026-03-29T01:00:00Z",
     false},
    {"03:30 CEST", Times({{120, 180}}, "Europe/Berlin"), "2026-03-29T01:30:00Z", false},
    {"spring night: 21:59 CET", Nights("Europe/Berlin"), "2026-03-28T20:59:00Z", false},
    {"spring night: 22:00 CET", Nights("Europe/Berlin"), "2026-03-28T21:00:00Z", true},
    {"spring night: 01:59 CET", Nights("Europe/Berlin"), "2026-03-29T00:59:00Z", true},
    {"spring night: 03:00 CEST", Nights("Europe/Berlin"), "2026-03-29T01:00:00Z", true},
    {"spring night: 06:59 CEST", Nights("Europe/Berlin"), "2026-03-29T04:59:00Z", true},
    {"spring night ends 07:00 CEST (05:00Z, an hour earlier in UTC)", Nights("Europe/Berlin"),
     "2026-03-29T05:00:00Z", false},
    // --- DST, fall back: local 02:00–03:00 happens twice on 2026-10-25
    {"first 02:30 (CEST)", Times({{120, 180}}, "Europe/Berlin"), "2026-10-25T00:30:00Z", true},
    {"second 02:30 (CET)", Times({{120, 180}}, "Europe/Berlin"), "2026-10-25T01:30:00Z", true},
    {"01:59 CEST", Times({{120, 180}}, "Europe/Berlin"), "2026-10-24T23:59:00Z", false},
    {"03:00 CET ends it for good", Times({{120, 180}}, "Europe/Berlin"), "2026-10-25T02:00:00Z",
     false},
    {"autumn night: 21:59 CEST", Nights("Europe/Berlin"), "2026-10-24T19:59:00Z", false},
    {"autumn night: 22:00 CEST", Nights("Europe/Berlin"), "2026-10-24T20:00:00Z", true},
    {"autumn night: 06:59 CET", Nights("Europe/Berlin"), "2026-10-25T05:59:00Z", true},
    {"autumn night ends 07:00 CET (06:00Z)", Nights("Europe/Berlin"), "2026-10-25T06:00:00Z",
     false},
};

INSTANTIATE_TEST_SUITE_P(TimeInterval, ContainsTest, testing::ValuesIn(kCases));

TEST(TimeIntervalMatcherTest, UnknownZoneFails) {
  TimeInterval spec = Spec("Europe/Berln");
  spec.name = "nights";
  Result<TimeIntervalMatcher> m = TimeIntervalMatcher::Create(spec);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(), "time interval \"nights\": unknown time zone \"Europe/Berln\"");
}

TEST(TimeIntervalSetTest, DesignExampleNightsOnWeekdays) {
  ConfigLoad load = ParseConfig(R"(
[route]
receiver = "team"
[[route.routes]]
matchers = ['severity="critical"']
mute_time_intervals = ["nights"]
[[receiver]]
name = "team"
to = ["team@example.com"]
[[time_interval]]
name = "nights"
timezone = "Europe/Berlin"
times = [{ start = "22:00", end = "07:00" }]
weekdays = ["monday:friday"]
[[time_interval]]
name = "sundays"
weekdays = ["sunday"]
)",
                                "config.toml");
  ASSERT_TRUE(load.errors.empty()) << load.errors[0].ToString();
  Result<TimeIntervalSet> set = TimeIntervalSet::Create(load.config->time_intervals);
  ASSERT_TRUE(set.ok());
  const std::vector<std::string>& mute = load.config->route.routes[0].mute_time_intervals;
  auto at = [](const char* text) { return ParseRfc3339(text).value(); };
  EXPECT_TRUE(set->AnyContains(mute, at("2026-03-26T22:30:00Z"))) << "thursday 23:30 CET";
  EXPECT_FALSE(set->AnyContains(mute, at("2026-03-28T00:30:00Z"))) << "saturday 01:30 CET";
  EXPECT_FALSE(set->AnyContains(mute, at("2026-03-26T12:00:00Z"))) << "thursday noon";
  EXPECT_TRUE(set->AnyContains({"nights", "sundays"}, at("2026-03-29T12:00:00Z"))) << "sunday";
  EXPECT_FALSE(set->AnyContains({}, at("2026-03-29T12:00:00Z"))) << "no names, never muted";
  EXPECT_FALSE(set->AnyContains({"unknown"}, at("2026-03-29T12:00:00Z")));
  EXPECT_EQ(set->Find("unknown"), nullptr);
}

}  // namespace
}  // namespace alertdigest
