// NextRun / PreviousRun on IANA wall clocks, in pure virtual time. The DST edges of 2026:
//   Europe/Berlin       spring 03-29 01:00Z (02:00 CET → 03:00 CEST), fall 10-25 01:00Z
//                       (03:00 CEST → 02:00 CET)
//   America/New_York    spring 03-08 07:00Z (02:00 EST → 03:00 EDT), fall 11-01 06:00Z
//                       (02:00 EDT → 01:00 EST)
//   Australia/Sydney    fall 04-05 (04-04 16:00Z: 03:00 AEDT → 02:00 AEST), spring 10-04
//                       (10-03 16:00Z: 02:00 AEST → 03:00 AEDT)
//   Australia/Lord_Howe a 30-minute shift: fall 04-05 (04-04 15:00Z: 02:00 → 01:30), spring
//                       10-04 (10-03 15:30Z: 02:00 → 02:30)
//   Asia/Kolkata        +05:30 all year
#include "schedule/cron_schedule.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

namespace alertdigest {
namespace {

Timestamp T(const char* rfc3339) {
  Result<Timestamp> t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339;
  return t.ok() ? *t : kNoTime;
}

std::string Show(Timestamp t) { return t == kNoTime ? "kNoTime" : FormatRfc3339(t); }

CronSchedule Cron(const char* text) {
  Result<CronSchedule> s = CronSchedule::Parse(text);
  EXPECT_TRUE(s.ok()) << text << ": " << s.status().message();
  return s.ok() ? *s : CronSchedule();
}

// The runs after `from`, up to and excluding `until`, as RFC 3339 strings.
std::vector<std::string> RunsBetween(const char* cron, const char* zone, const char* from,
                                     const char* until) {
  const CronSchedule s = Cron(cron);
  const date::time_zone* z = FindZone(zone);
  std::vector<std::string> out;
  for (Timestamp t = NextRun(s, z, T(from)); t != kNoTime && t < T(until); t = NextRun(s, z, t)) {
    out.push_back(Show(t));
  }
  return out;
}

struct RunCase {
  const char* why;
  const char* cron;
  const char* zone;
  const char* from;  // exclusive
  const char* until;
  std::vector<std::string> runs;
};

void PrintTo(const RunCase& c, std::ostream* os) {
  *os << c.cron << " " << c.zone << ": " << c.why;
}

class NextRunTest : public testing::TestWithParam<RunCase> {};

TEST_P(NextRunTest, RunsExactlyAt) {
  const RunCase& c = GetParam();
  ASSERT_NE(FindZone(c.zone), nullptr) << c.zone;
  EXPECT_EQ(RunsBetween(c.cron, c.zone, c.from, c.until), c.runs) << c.why;
}

// PreviousRun walks the same runs backwards: from each run's successor minus 1 ms it finds the
// run, and from the run itself too (at or before).
TEST_P(NextRunTest, PreviousRunIsSymmetric) {
  const RunCase& c = GetParam();
  const CronSchedule s = Cron(c.cron);
  const date::time_zone* z = FindZone(c.zone);
  for (const std::string& run : c.runs) {
    Timestamp t = T(run.c_str());
    EXPECT_EQ(Show(PreviousRun(s, z, t)), run) << c.why << ": at the run itself";
    Timestamp next = NextRun(s, z, t);
    ASSERT_NE(next, kNoTime) << c.why;
    EXPECT_EQ(Show(PreviousRun(s, z, next - std::chrono::milliseconds(1))), run)
        << c.why << ": just before the next run";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Schedule, NextRunTest,
    testing::Values(
        // --- Europe/Berlin
        RunCase{"spring forward: 02:30 does not exist, runs once when the gap ends (03:00 CEST)",
                "30 2 * * *",
                "Europe/Berlin",
                "2026-03-27T12:00:00Z",
                "2026-03-31T00:00:00Z",
                {"2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"}},
        RunCase{"fall back: 02:30 happens twice, runs once at the first (CEST)",
                "30 2 * * *",
                "Europe/Berlin",
                "2026-10-23T12:00:00Z",
                "2026-10-27T00:00:00Z",
                {"2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"}},
        RunCase{"two nonexistent times collapse into one run",
                "0,30 2 * * *",
                "Europe/Berlin",
                "2026-03-28T23:00:00Z",
                "2026-03-30T03:00:00Z",
                {"2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z", "2026-03-30T00:30:00Z"}},
        RunCase{"weekdays at 08:00 across spring forward (CET → CEST)",
                "0 8 * * 1-5",
                "Europe/Berlin",
                "2026-03-26T12:00:00Z",
                "2026-04-01T00:00:00Z",
                {"2026-03-27T07:00:00Z", "2026-03-30T06:00:00Z", "2026-03-31T06:00:00Z"}},
        RunCase{"weekdays at 08:00 across fall back (CEST → CET)",
                "0 8 * * 1-5",
                "Europe/Berlin",
                "2026-10-22T12:00:00Z",
                "2026-10-28T00:00:00Z",
                {"2026-10-23T06:00:00Z", "2026-10-26T07:00:00Z", "2026-10-27T07:00:00Z"}},
        RunCase{"every 15 minutes through the spring gap: 15 real minutes apart, no double run",
                "*/15 * * * *",
                "Europe/Berlin",
                "2026-03-29T00:20:00Z",
                "2026-03-29T01:20:00Z",
                {"2026-03-29T00:30:00Z", "2026-03-29T00:45:00Z", "2026-03-29T01:00:00Z",
                 "2026-03-29T01:15:00Z"}},
        RunCase{"every 15 minutes through the repeated hour: both passes, 15 real minutes apart",
                "*/15 * * * *",
                "Europe/Berlin",
                "2026-10-24T23:50:00Z",
                "2026-10-25T02:10:00Z",
                {"2026-10-25T00:00:00Z", "2026-10-25T00:15:00Z", "2026-10-25T00:30:00Z",
                 "2026-10-25T00:45:00Z", "2026-10-25T01:00:00Z", "2026-10-25T01:15:00Z",
                 "2026-10-25T01:30:00Z", "2026-10-25T01:45:00Z", "2026-10-25T02:00:00Z"}},
        RunCase{"hourly at :30 skips the nonexistent 02:30",
                "30 * * * *",
                "Europe/Berlin",
                "2026-03-29T00:00:00Z",
                "2026-03-29T02:00:00Z",
                {"2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z"}},
        RunCase{"hourly at :30 runs every real hour through the repeated hour",
                "30 * * * *",
                "Europe/Berlin",
                "2026-10-24T23:00:00Z",
                "2026-10-25T03:00:00Z",
                {"2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z",
                 "2026-10-25T02:30:00Z"}},
        RunCase{"named months and weekdays, across the new year",
                "0 9 * jan-mar mon,wed",
                "Europe/Berlin",
                "2026-03-27T00:00:00Z",
                "2027-01-07T00:00:00Z",
                {"2026-03-30T07:00:00Z", "2027-01-04T08:00:00Z", "2027-01-06T08:00:00Z"}},
        RunCase{"29 february: the next leap year",
                "0 0 29 2 *",
                "UTC",
                "2026-01-01T00:00:00Z",
                "2033-01-01T00:00:00Z",
                {"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"}},
        RunCase{"day and weekday both restricted: either (the 1st, or a friday)",
                "0 12 1 * fri",
                "UTC",
                "2026-04-28T00:00:00Z",
                "2026-05-10T00:00:00Z",
                {"2026-05-01T12:00:00Z", "2026-05-08T12:00:00Z"}},
        // --- America/New_York
        RunCase{"New York spring forward: 02:30 → 03:00 EDT",
                "30 2 * * *",
                "America/New_York",
                "2026-03-07T00:00:00Z",
                "2026-03-10T00:00:00Z",
                {"2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"}},
        RunCase{"New York fall back: 01:30 once, at 01:30 EDT",
                "30 1 * * *",
                "America/New_York",
                "2026-10-31T00:00:00Z",
                "2026-11-03T00:00:00Z",
                {"2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"}},
        // --- Australia/Sydney (southern hemisphere: DST ends in April)
        RunCase{"Sydney fall back (April): 02:30 once, at 02:30 AEDT",
                "30 2 * * *",
                "Australia/Sydney",
                "2026-04-03T00:00:00Z",
                "2026-04-06T00:00:00Z",
                {"2026-04-03T15:30:00Z", "2026-04-04T15:30:00Z", "2026-04-05T16:30:00Z"}},
        RunCase{"Sydney spring forward (October): 02:30 → 03:00 AEDT",
                "30 2 * * *",
                "Australia/Sydney",
                "2026-10-02T00:00:00Z",
                "2026-10-05T00:00:00Z",
                {"2026-10-02T16:30:00Z", "2026-10-03T16:00:00Z", "2026-10-04T15:30:00Z"}},
        // --- Asia/Kolkata (+05:30, no DST)
        RunCase{"Kolkata: a half-hour offset, the same every day",
                "0 9 * * *",
                "Asia/Kolkata",
                "2026-03-28T00:00:00Z",
                "2026-03-31T00:00:00Z",
                {"2026-03-28T03:30:00Z", "2026-03-29T03:30:00Z", "2026-03-30T03:30:00Z"}},
        // --- Australia/Lord_Howe (DST is 30 minutes)
        RunCase{"Lord Howe fall back: 01:45 happens twice, runs at the first (+11)",
                "45 1 * * *",
                "Australia/Lord_Howe",
                "2026-04-03T00:00:00Z",
                "2026-04-06T00:00:00Z",
                {"2026-04-03T14:45:00Z", "2026-04-04T14:45:00Z", "2026-04-05T15:15:00Z"}},
        RunCase{"Lord Howe spring forward: 02:15 does not exist, runs at 02:30 (+11)",
                "15 2 * * *",
                "Australia/Lord_Howe",
                "2026-10-02T00:00:00Z",
                "2026-10-05T00:00:00Z",
                {"2026-10-02T15:45:00Z", "2026-10-03T15:30:00Z", "2026-10-04T15:15:00Z"}},
        RunCase{"Lord Howe: every 30 minutes keeps real time through the half-hour repeat",
                "0,30 * * * *",
                "Australia/Lord_Howe",
                "2026-04-04T14:00:00Z",
                "2026-04-04T16:00:00Z",
                {"2026-04-04T14:30:00Z", "2026-04-04T15:00:00Z", "2026-04-04T15:30:00Z"}}));

TEST(NextRunTest, StrictlyAfterAndAtOrBefore) {
  const CronSchedule s = Cron("0 8 * * *");
  const date::time_zone* utc = FindZone("UTC");
  EXPECT_EQ(Show(NextRun(s, utc, T("2026-06-01T08:00:00Z"))), "2026-06-02T08:00:00Z");
  EXPECT_EQ(Show(NextRun(s, utc, T("2026-06-01T07:59:59.999Z"))), "2026-06-01T08:00:00Z");
  EXPECT_EQ(Show(PreviousRun(s, utc, T("2026-06-01T08:00:00Z"))), "2026-06-01T08:00:00Z");
  EXPECT_EQ(Show(PreviousRun(s, utc, T("2026-06-01T07:59:59.999Z"))), "2026-05-31T08:00:00Z");
}

TEST(NextRunTest, NeverMatchingScheduleGivesNoTime) {
  const CronSchedule s = Cron("0 0 31 2 *");
  const date::time_zone* berlin = FindZone("Europe/Berlin");
  EXPECT_EQ(NextRun(s, berlin, T("2026-01-01T00:00:00Z")), kNoTime);
  EXPECT_EQ(PreviousRun(s, berlin, T("2026-01-01T00:00:00Z")), kNoTime);
  EXPECT_EQ(NextRun(Cron("0 0 30 2 *"), berlin, T("2026-01-01T00:00:00Z")), kNoTime);
}

TEST(PreviousRunTest, TheLatestRunBeforeADowntime) {
  const CronSchedule s = Cron("30 2 * * *");
  const date::time_zone* berlin = FindZone("Europe/Berlin");
  EXPECT_EQ(Show(PreviousRun(s, berlin, T("2026-03-29T12:00:00Z"))), "2026-03-29T01:00:00Z")
      << "the gap's run";
  EXPECT_EQ(Show(PreviousRun(s, berlin, T("2026-03-29T00:59:59Z"))), "2026-03-28T01:30:00Z");
  EXPECT_EQ(Show(PreviousRun(s, berlin, T("2026-10-25T12:00:00Z"))), "2026-10-25T00:30:00Z")
      << "the first 02:30, not the second";
  EXPECT_EQ(Show(PreviousRun(s, berlin, T("2026-10-25T01:30:00Z"))), "2026-10-25T00:30:00Z");
  EXPECT_EQ(Show(PreviousRun(Cron("0 9 * jan-mar mon,wed"), berlin, T("2026-12-24T00:00:00Z"))),
            "2026-03-30T07:00:00Z")
      << "months back";
  EXPECT_EQ(Show(PreviousRun(Cron("0 0 29 2 *"), FindZone("UTC"), T("2027-06-01T00:00:00Z"))),
            "2024-02-29T00:00:00Z")
      << "years back";
}

// Walking a whole year forward and backward gives the same runs, in every zone of this file.
TEST(NextRunTest, AYearForwardEqualsAYearBackward) {
  for (const char* zone : {"Europe/Berlin", "America/New_York", "Australia/Sydney",
                           "Australia/Lord_Howe", "Asia/Kolkata"}) {
    for (const char* cron : {"30 2 * * *", "*/20 1-3 * * 0", "45 * * * sun"}) {
      const CronSchedule s = Cron(cron);
      const date::time_zone* z = FindZone(zone);
      const Timestamp begin = T("2026-01-01T00:00:00Z"), end = T("2027-01-01T00:00:00Z");
      std::vector<Timestamp> forward, backward;
      for (Timestamp t = NextRun(s, z, begin); t < end; t = NextRun(s, z, t)) forward.push_back(t);
      for (Timestamp t = PreviousRun(s, z, end - std::chrono::milliseconds(1)); t > begin;
           t = PreviousRun(s, z, t - std::chrono::milliseconds(1))) {
        backward.insert(backward.begin(), t);
      }
      EXPECT_EQ(forward, backward) << zone << " " << cron;
      EXPECT_FALSE(forward.empty());
      for (size_t i = 1; i < forward.size(); ++i) ASSERT_LT(forward[i - 1], forward[i]);
    }
  }
}

TEST(FindZoneTest, KnownAndUnknown) {
  EXPECT_NE(FindZone("Europe/Berlin"), nullptr);
  EXPECT_NE(FindZone("UTC"), nullptr);
  EXPECT_EQ(FindZone("Europe/Berln"), nullptr);
  EXPECT_EQ(FindZone(""), nullptr);
}

}  // namespace
}  // namespace alertdigest
