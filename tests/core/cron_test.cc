// CronSchedule: the 5-field syntax (what each form selects) and the exact message for every
// rejection. Time zones and DST are schedule/cron_schedule_test.cc's.
#include "core/cron.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace alertdigest {
namespace {

// Every minute of the day the schedule matches, as "HH:MM".
std::vector<std::string> Times(const CronSchedule& s) {
  std::vector<std::string> out;
  for (int h = 0; h < 24; ++h) {
    for (int m = 0; m < 60; ++m) {
      if (s.MatchesTime(h, m))
        out.push_back((h < 10 ? "0" : "") + std::to_string(h) + ":" + (m < 10 ? "0" : "") +
                      std::to_string(m));
    }
  }
  return out;
}

struct TimeCase {
  const char* why;
  const char* text;
  std::vector<std::string> times;  // every matching minute of a day
};

void PrintTo(const TimeCase& c, std::ostream* os) { *os << c.text << ": " << c.why; }

class CronTimeTest : public testing::TestWithParam<TimeCase> {};

TEST_P(CronTimeTest, SelectsTheseMinutes) {
  const TimeCase& c = GetParam();
  Result<CronSchedule> s = CronSchedule::Parse(c.text);
  ASSERT_TRUE(s.ok()) << c.why << ": " << s.status().message();
  EXPECT_EQ(Times(*s), c.times) << c.why;
}

INSTANTIATE_TEST_SUITE_P(
    Cron, CronTimeTest,
    testing::Values(
        TimeCase{"one fixed time", "30 2 * * *", {"02:30"}},
        TimeCase{"lists", "0,30 8,17 * * *", {"08:00", "08:30", "17:00", "17:30"}},
        TimeCase{"ranges", "58-59 22-23 * * *", {"22:58", "22:59", "23:58", "23:59"}},
        TimeCase{"a step over a range", "0-59/20 9 * * *", {"09:00", "09:20", "09:40"}},
        TimeCase{"a step over *", "0 */8 * * *", {"00:00", "08:00", "16:00"}},
        TimeCase{"a/n runs from a to the field's end", "50/5 23 * * *", {"23:50", "23:55"}},
        TimeCase{"a step larger than the range selects its start", "10-20/100 0 * * *", {"00:10"}},
        TimeCase{"lists of ranges and steps",
                 "5,40-41 0-1/1 * * *",
                 {"00:05", "00:40", "00:41", "01:05", "01:40", "01:41"}},
        TimeCase{"tabs and extra spaces separate fields", "  15\t 6  *   * *  ", {"06:15"}}));

TEST(CronTest, EveryMinuteMatchesEveryMinute) {
  Result<CronSchedule> s = CronSchedule::Parse("* * * * *");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Times(*s).size(), 24u * 60u);
  EXPECT_TRUE(s->RunsEveryHour());
  EXPECT_TRUE(CronSchedule::Parse("*/15 0-23 * * *")->RunsEveryHour());
  EXPECT_FALSE(CronSchedule::Parse("0 */2 * * *")->RunsEveryHour());
  EXPECT_EQ(s->text(), "* * * * *");
  EXPECT_EQ(CronSchedule::Parse("  0 8 * * 1-5\n")->text(), "0 8 * * 1-5") << "trimmed";
}

TEST(CronTest, DefaultConstructedMatchesNothing) {
  CronSchedule s;
  EXPECT_FALSE(s.Matches(1, 1, 4, 0, 0));
  EXPECT_TRUE(Times(s).empty());
}

struct DayCase {
  const char* why;
  const char* text;
  int month, day, weekday;  // weekday 0 = sunday
  bool want;
};

void PrintTo(const DayCase& c, std::ostream* os) { *os << c.text << ": " << c.why; }

class CronDayTest : public testing::TestWithParam<DayCase> {};

TEST_P(CronDayTest, MatchesDay) {
  const DayCase& c = GetParam();
  Result<CronSchedule> s = CronSchedule::Parse(c.text);
  ASSERT_TRUE(s.ok()) << c.why << ": " << s.status().message();
  EXPECT_EQ(s->MatchesDay(c.month, c.day, c.weekday), c.want) << c.why;
}

INSTANTIATE_TEST_SUITE_P(
    Cron, CronDayTest,
    testing::Values(
        DayCase{"weekdays 1-5: a friday", "0 8 * * 1-5", 3, 6, 5, true},
        DayCase{"weekdays 1-5: a saturday", "0 8 * * 1-5", 3, 7, 6, false},
        DayCase{"weekday names", "0 8 * * MON,wed", 1, 7, 3, true},
        DayCase{"weekday names: not tuesday", "0 8 * * mon,Wed", 1, 6, 2, false},
        DayCase{"weekday name ranges", "0 8 * * mon-fri", 1, 9, 5, true},
        DayCase{"7 is sunday", "0 8 * * 7", 1, 4, 0, true},
        DayCase{"0 is sunday", "0 8 * * 0", 1, 4, 0, true},
        DayCase{"5-7 is friday to sunday", "0 8 * * 5-7", 1, 4, 0, true},
        DayCase{"5-7 does not include monday", "0 8 * * 5-7", 1, 5, 1, false},
        DayCase{"sun-sat is every day", "0 8 * * sun-sat", 1, 10, 6, true},
        DayCase{"month names", "0 9 * jan-mar mon,wed", 2, 2, 1, true},
        DayCase{"month names: april is out", "0 9 * jan-mar mon,wed", 4, 6, 1, false},
        DayCase{"month names are case-insensitive", "0 9 * DEC *", 12, 24, 4, true},
        DayCase{"month steps", "0 0 1 */3 *", 10, 1, 4, true},
        DayCase{"month steps: february is not selected", "0 0 1 */3 *", 2, 1, 0, false},
        DayCase{"day of month only: weekday does not matter", "0 0 13 * *", 3, 13, 5, true},
        DayCase{"weekday only: day does not matter", "0 0 * * fri", 3, 12, 5, true},
        DayCase{"both restricted: the 13th on a thursday (OR)", "0 0 13 * fri", 8, 13, 4, true},
        DayCase{"both restricted: a friday the 14th (OR)", "0 0 13 * fri", 8, 14, 5, true},
        DayCase{"both restricted: neither", "0 0 13 * fri", 8, 15, 6, false},
        DayCase{"*/1 is unrestricted: AND", "0 0 */1 * fri", 8, 15, 6, false},
        DayCase{"*/2 restricts the day: OR", "0 0 */2 * fri", 8, 15, 6, true},
        DayCase{"both restricted still needs the month", "0 0 13 jan fri", 8, 13, 4, false},
        DayCase{"31 february never matches", "0 0 31 2 *", 2, 28, 6, false}));

struct RejectCase {
  const char* text;
  const char* error;
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.text; }

class CronRejectTest : public testing::TestWithParam<RejectCase> {};

TEST_P(CronRejectTest, ExactMessage) {
  const RejectCase& c = GetParam();
  Result<CronSchedule> s = CronSchedule::Parse(c.text);
  ASSERT_FALSE(s.ok()) << c.text;
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.status().message(), c.error) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Cron, CronRejectTest,
    testing::Values(
        RejectCase{"0 8 * * 1-5 2026",
                   "expected 5 fields (minute hour day-of-month month day-of-week), got 6"},
        RejectCase{"0 8 * *",
                   "expected 5 fields (minute hour day-of-month month day-of-week), got 4"},
        RejectCase{"", "expected 5 fields (minute hour day-of-month month day-of-week), got 0"},
        RejectCase{"@daily",
                   "expected 5 fields (minute hour day-of-month month day-of-week), got 1"},
        RejectCase{"0 25 * * *", "hour field \"25\": value 25 out of range 0-23"},
        RejectCase{"60 0 * * *", "minute field \"60\": value 60 out of range 0-59"},
        RejectCase{"0 0 0 * *", "day-of-month field \"0\": value 0 out of range 1-31"},
        RejectCase{"0 0 32 * *", "day-of-month field \"32\": value 32 out of range 1-31"},
        RejectCase{"0 0 * 13 *", "month field \"13\": value 13 out of range 1-12"},
        RejectCase{"0 0 * 0 *", "month field \"0\": value 0 out of range 1-12"},
        RejectCase{"0 0 * * 8", "day-of-week field \"8\": value 8 out of range 0-7"},
        RejectCase{"0 99999999999 * * *",
                   "hour field \"99999999999\": value 99999999999 out of range 0-23"},
        RejectCase{"0 8,25 * * *", "hour field \"8,25\": value 25 out of range 0-23"},
        RejectCase{"0 8 * foo *",
                   "month field \"foo\": \"foo\" is not a number or month name (jan-dec)"},
        RejectCase{"0 8 * * monday",
                   "day-of-week field \"monday\": \"monday\" is not a number or weekday name "
                   "(sun-sat)"},
        RejectCase{"0 8 * mon *",
                   "month field \"mon\": \"mon\" is not a number or month name (jan-dec)"},
        RejectCase{"0 eight * * *", "hour field \"eight\": \"eight\" is not a number"},
        RejectCase{"0 -1 * * *", "hour field \"-1\": value -1 out of range 0-23"},
        RejectCase{"0 8 * * fri-mon",
                   "day-of-week field \"fri-mon\": range fri-mon goes backwards"},
        RejectCase{"0 17-9 * * *", "hour field \"17-9\": range 17-9 goes backwards"},
        RejectCase{"*/0 * * * *", "minute field \"*/0\": step 0 must be at least 1"},
        RejectCase{"*/ * * * *", "minute field \"*/\": step \"\" is not a number"},
        RejectCase{"*/x * * * *", "minute field \"*/x\": step \"x\" is not a number"},
        RejectCase{"1,,2 * * * *", "minute field \"1,,2\": empty list element"},
        RejectCase{"0 8 * * 1-",
                   "day-of-week field \"1-\": \"\" is not a number or weekday name "
                   "(sun-sat)"},
        RejectCase{"? 8 * * *", "minute field \"?\": \"?\" is not a number"}));

}  // namespace
}  // namespace alertdigest
