// WhoIsOnCall: shifts counted on the rotation's wall clock (hand-offs stay at local time across
// DST), wrap-around, times before the start, and overrides. Europe/Berlin switches 2026-03-29
// (09:00 CET = 08:00Z before, 09:00 CEST = 07:00Z after); America/New_York 2026-03-08.
#include "schedule/rotation.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>

namespace alertdigest {
namespace {

using namespace std::chrono_literals;

Timestamp T(const char* rfc3339) {
  Result<Timestamp> t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339;
  return t.ok() ? *t : kNoTime;
}

std::string Show(Timestamp t) { return t == kNoTime ? "kNoTime" : FormatRfc3339(t); }

int64_t Day(std::chrono::year_month_day ymd) {
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

// ann and bob, a week each, hand-off monday 09:00 Berlin; ann's first shift 2026-03-02.
Rotation Weekly() {
  Rotation r;
  r.name = "db-primary";
  r.members = {"ann@example.com", "bob@example.com"};
  r.shift = 24h * 7;
  r.handoff_weekday = 1;
  r.handoff_minute = 9 * 60;
  r.timezone = "Europe/Berlin";
  r.start_day = Day(2026y / 3 / 2);
  return r;
}

// a, b, c, a day each, hand-off 18:00 New York; a's first shift 2026-03-01.
Rotation Daily() {
  Rotation r;
  r.name = "nights";
  r.members = {"a@example.com", "b@example.com", "c@example.com"};
  r.shift = 24h;
  r.handoff_minute = 18 * 60;
  r.timezone = "America/New_York";
  r.start_day = Day(2026y / 3 / 1);
  return r;
}

struct OnCallCase {
  const char* why;
  Rotation rotation;
  const char* at;
  std::string member;
  std::string shift_start;
  std::string shift_end;
  std::string override_name = "";
};

void PrintTo(const OnCallCase& c, std::ostream* os) { *os << c.why; }

class WhoIsOnCallTest : public testing::TestWithParam<OnCallCase> {};

TEST_P(WhoIsOnCallTest, Answers) {
  const OnCallCase& c = GetParam();
  OnCall on = WhoIsOnCall(c.rotation, T(c.at));
  EXPECT_EQ(on.member, c.member) << c.why;
  EXPECT_EQ(Show(on.shift_start), c.shift_start) << c.why;
  EXPECT_EQ(Show(on.shift_end), c.shift_end) << c.why;
  EXPECT_EQ(on.override_name, c.override_name) << c.why;
}

Rotation WithOverrides(Rotation r, std::vector<RotationOverride> overrides) {
  r.overrides = std::move(overrides);
  return r;
}

RotationOverride Override(const char* name, const char* start, const char* end,
                          const char* member) {
  return {name, T(start), T(end), member};
}

Rotation HandoffAt(int minute, const char* zone) {
  Rotation r = Daily();
  r.handoff_minute = minute;
  r.timezone = zone;
  return r;
}

INSTANTIATE_TEST_SUITE_P(
    Rotation, WhoIsOnCallTest,
    testing::Values(
        // --- weekly, monday 09:00 Europe/Berlin
        OnCallCase{"the first hand-off minute starts ann's shift", Weekly(), "2026-03-02T08:00:00Z",
                   "ann@example.com", "2026-03-02T08:00:00Z", "2026-03-09T08:00:00Z"},
        OnCallCase{"a millisecond before it, the shift before the start: bob's (counting back)",
                   Weekly(), "2026-03-02T07:59:59.999Z", "bob@example.com", "2026-02-23T08:00:00Z",
                   "2026-03-02T08:00:00Z"},
        OnCallCase{"the last minute of ann's week", Weekly(), "2026-03-09T07:59:00Z",
                   "ann@example.com", "2026-03-02T08:00:00Z", "2026-03-09T08:00:00Z"},
        OnCallCase{"the second week is bob's", Weekly(), "2026-03-09T08:00:00Z", "bob@example.com",
                   "2026-03-09T08:00:00Z", "2026-03-16T08:00:00Z"},
        OnCallCase{"the week across spring forward ends at 09:00 CEST (an hour shorter)", Weekly(),
                   "2026-03-30T06:59:00Z", "bob@example.com", "2026-03-23T08:00:00Z",
                   "2026-03-30T07:00:00Z"},
        OnCallCase{"after spring forward the hand-off is still 09:00 local", Weekly(),
                   "2026-03-30T07:00:00Z", "ann@example.com", "2026-03-30T07:00:00Z",
                   "2026-04-06T07:00:00Z"},
        OnCallCase{"across fall back, the week is an hour longer", Weekly(), "2026-10-24T12:00:00Z",
                   "bob@example.com", "2026-10-19T07:00:00Z", "2026-10-26T08:00:00Z"},
        OnCallCase{"long before the start, counting backwards", Weekly(), "2025-12-31T12:00:00Z",
                   "bob@example.com", "2025-12-29T08:00:00Z", "2026-01-05T08:00:00Z"},
        // --- daily, 18:00 America/New_York, three members
        OnCallCase{"day 0 is a", Daily(), "2026-03-01T23:00:00Z", "a@example.com",
                   "2026-03-01T23:00:00Z", "2026-03-02T23:00:00Z"},
        OnCallCase{"day 2 is c", Daily(), "2026-03-04T12:00:00Z", "c@example.com",
                   "2026-03-03T23:00:00Z", "2026-03-04T23:00:00Z"},
        OnCallCase{"day 3 wraps around to a", Daily(), "2026-03-04T23:00:00Z", "a@example.com",
                   "2026-03-04T23:00:00Z", "2026-03-05T23:00:00Z"},
        OnCallCase{"the day of spring forward: 18:00 EST to 18:00 EDT", Daily(),
                   "2026-03-08T12:00:00Z", "a@example.com", "2026-03-07T23:00:00Z",
                   "2026-03-08T22:00:00Z"},
        OnCallCase{"the day before the start is c's", Daily(), "2026-03-01T12:00:00Z",
                   "c@example.com", "2026-02-28T23:00:00Z", "2026-03-01T23:00:00Z"},
        OnCallCase{"three days before the start is a's again", Daily(), "2026-02-27T12:00:00Z",
                   "a@example.com", "2026-02-26T23:00:00Z", "2026-02-27T23:00:00Z"},
        // --- hand-off times inside DST changes
        OnCallCase{"a hand-off at a nonexistent 02:30 happens when the gap ends",
                   HandoffAt(150, "Europe/Berlin"), "2026-03-29T01:00:00Z", "b@example.com",
                   "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"},
        OnCallCase{"a hand-off at a repeated 02:30 happens at its first occurrence",
                   HandoffAt(150, "Europe/Berlin"), "2026-10-25T00:30:00Z", "b@example.com",
                   "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"},
        // --- overrides
        OnCallCase{"an override wins while it lasts",
                   WithOverrides(Weekly(), {Override("ann-away", "2026-03-04T00:00:00Z",
                                                     "2026-03-06T00:00:00Z", "cat@example.com")}),
                   "2026-03-05T12:00:00Z", "cat@example.com", "2026-03-04T00:00:00Z",
                   "2026-03-06T00:00:00Z", "ann-away"},
        OnCallCase{"its end is exclusive: ann is back, from the override's end",
                   WithOverrides(Weekly(), {Override("ann-away", "2026-03-04T00:00:00Z",
                                                     "2026-03-06T00:00:00Z", "cat@example.com")}),
                   "2026-03-06T00:00:00Z", "ann@example.com", "2026-03-06T00:00:00Z",
                   "2026-03-09T08:00:00Z"},
        OnCallCase{"before it, ann's turn ends where the override begins",
                   WithOverrides(Weekly(), {Override("ann-away", "2026-03-04T00:00:00Z",
                                                     "2026-03-06T00:00:00Z", "cat@example.com")}),
                   "2026-03-03T00:00:00Z", "ann@example.com", "2026-03-02T08:00:00Z",
                   "2026-03-04T00:00:00Z"},
        OnCallCase{"a nested override that began later wins",
                   WithOverrides(Weekly(), {Override("week", "2026-03-10T00:00:00Z",
                                                     "2026-03-15T00:00:00Z", "dan@example.com"),
                                            Override("swap", "2026-03-12T00:00:00Z",
                                                     "2026-03-13T00:00:00Z", "eve@example.com")}),
                   "2026-03-12T12:00:00Z", "eve@example.com", "2026-03-12T00:00:00Z",
                   "2026-03-13T00:00:00Z", "swap"},
        OnCallCase{"the outer override hands over to the nested one",
                   WithOverrides(Weekly(), {Override("week", "2026-03-10T00:00:00Z",
                                                     "2026-03-15T00:00:00Z", "dan@example.com"),
                                            Override("swap", "2026-03-12T00:00:00Z",
                                                     "2026-03-13T00:00:00Z", "eve@example.com")}),
                   "2026-03-11T00:00:00Z", "dan@example.com", "2026-03-10T00:00:00Z",
                   "2026-03-12T00:00:00Z", "week"},
        OnCallCase{"and takes over again after it",
                   WithOverrides(Weekly(), {Override("week", "2026-03-10T00:00:00Z",
                                                     "2026-03-15T00:00:00Z", "dan@example.com"),
                                            Override("swap", "2026-03-12T00:00:00Z",
                                                     "2026-03-13T00:00:00Z", "eve@example.com")}),
                   "2026-03-14T00:00:00Z", "dan@example.com", "2026-03-13T00:00:00Z",
                   "2026-03-15T00:00:00Z", "week"}));

TEST(WhoIsOnCallTest, NoMembersNoOne) {
  Rotation r = Weekly();
  r.members.clear();
  EXPECT_EQ(WhoIsOnCall(r, T("2026-03-05T00:00:00Z")).member, "");
}

}  // namespace
}  // namespace alertdigest
