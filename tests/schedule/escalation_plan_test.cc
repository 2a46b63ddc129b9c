// The escalation clock: steps at their `after`, the repeat of the last step, no bursts after a
// downtime, and who a step mails (rotations resolved, duplicates removed).
#include "schedule/escalation_plan.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace alertdigest {
namespace {

using namespace std::chrono_literals;

Timestamp T(const char* rfc3339) {
  Result<Timestamp> t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339;
  return t.ok() ? *t : kNoTime;
}

const Timestamp kStart = T("2026-05-04T10:00:00Z");

// Step 0 at 0m to the primary, step 1 at 15m to the lead, then every 30m.
EscalationPolicy DbOncall(bool with_repeat = true) {
  EscalationPolicy p;
  p.name = "db-oncall";
  p.steps = {{0min, {"rotation:db-primary"}}, {15min, {"db-lead@example.com"}}};
  if (with_repeat) p.repeat = 30min;
  return p;
}

ClimbPosition Fresh() {
  ClimbPosition pos;
  pos.climb_start = kStart;
  return pos;
}

TEST(EscalationPlanTest, StepsThenRepeatsOnTheirTimetable) {
  const EscalationPolicy p = DbOncall();
  ClimbPosition pos = Fresh();
  EXPECT_EQ(NextDue(p, pos), kStart) << "step 0 is due at once";
  EXPECT_EQ(TakeDueStep(p, pos, kStart), 0);
  EXPECT_EQ(NextDue(p, pos), kStart + 15min);
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 14min), -1) << "not yet";
  EXPECT_EQ(pos.next_step, 1) << "nothing taken, nothing moved";
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 15min), 1);
  EXPECT_EQ(pos.next_step, 2);
  EXPECT_EQ(NextDue(p, pos), kStart + 45min) << "30m after the last step";
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 45min), 1) << "a repeat sends the last step";
  EXPECT_EQ(pos.repeats_sent, 1);
  EXPECT_EQ(NextDue(p, pos), kStart + 75min);
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 76min), 1);
  EXPECT_EQ(pos.repeats_sent, 2);
  EXPECT_EQ(NextDue(p, pos), kStart + 105min) << "a late send does not shift the timetable";
}

TEST(EscalationPlanTest, WithoutRepeatNothingAfterTheLastStep) {
  const EscalationPolicy p = DbOncall(/*with_repeat=*/false);
  ClimbPosition pos = Fresh();
  EXPECT_EQ(TakeDueStep(p, pos, kStart), 0);
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 15min), 1);
  EXPECT_EQ(NextDue(p, pos), kNoTime);
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 24h), -1);
}

TEST(EscalationPlanTest, DowntimeAcrossTwoStepsSendsOnlyTheLatestOnce) {
  EscalationPolicy p = DbOncall(/*with_repeat=*/false);
  p.steps.push_back({1h, {"cto@example.com"}});
  ClimbPosition pos = Fresh();
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 20min), 1) << "step 0 is skipped";
  EXPECT_EQ(pos.next_step, 2);
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 20min), -1) << "once";
  EXPECT_EQ(NextDue(p, pos), kStart + 1h);
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 3h), 2);
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 4h), -1);
}

TEST(EscalationPlanTest, DowntimeAcrossRepeatsCountsThemAndKeepsTheTimetable) {
  const EscalationPolicy p = DbOncall();
  ClimbPosition pos = Fresh();
  EXPECT_EQ(TakeDueStep(p, pos, kStart), 0);
  // Down from 10:01 to 13:20: step 1 (10:15) and the repeats at 10:45 … 13:15 all missed.
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 200min), 1);
  EXPECT_EQ(pos.next_step, 2);
  EXPECT_EQ(pos.repeats_sent, 6) << "(200m - 15m) / 30m slots used up";
  EXPECT_EQ(NextDue(p, pos), kStart + 225min);
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 224min), -1);
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 225min), 1);
  EXPECT_EQ(pos.repeats_sent, 7);
}

TEST(EscalationPlanTest, FirstStepMayWait) {
  EscalationPolicy p = DbOncall();
  p.steps[0].after = 5min;
  ClimbPosition pos = Fresh();
  EXPECT_EQ(NextDue(p, pos), kStart + 5min);
  EXPECT_EQ(TakeDueStep(p, pos, kStart), -1);
  EXPECT_EQ(TakeDueStep(p, pos, kStart + 5min), 0);
}

TEST(EscalationPlanTest, NoClimbNothingDue) {
  const EscalationPolicy p = DbOncall();
  ClimbPosition pos;  // climb_start unset
  EXPECT_EQ(NextDue(p, pos), kNoTime);
  EXPECT_EQ(TakeDueStep(p, pos, kStart), -1);
  EXPECT_EQ(NextDue(EscalationPolicy{}, Fresh()), kNoTime) << "no steps";
}

// ann@ and bob@ take turns weekly from monday 2026-05-04 09:00 UTC.
Config WithRotation() {
  Config cfg;
  Rotation r;
  r.name = "db-primary";
  r.members = {"Ann <ann@example.com>", "bob@example.com"};
  r.shift = 24h * 7;
  r.handoff_weekday = 1;
  r.handoff_minute = 9 * 60;
  r.start_day = std::chrono::sys_days{2026y / 5 / 4}.time_since_epoch().count();
  cfg.rotations.push_back(r);
  return cfg;
}

TEST(StepRecipientsTest, ResolvesRotationsAndRemovesDuplicates) {
  const Config cfg = WithRotation();
  EscalationStep step{0min,
                      {"rotation:db-primary", "ANN@example.com", "db-lead@example.com",
                       "Lead <db-lead@example.com>", "rotation:db-primary", "rotation:gone"}};
  EXPECT_EQ(StepRecipients(cfg, step, kStart),
            (std::vector<std::string>{"Ann <ann@example.com>", "db-lead@example.com"}))
      << "ann is on call; the same address in another spelling counts once";
  EXPECT_EQ(StepRecipients(cfg, step, kStart + 24h * 7),
            (std::vector<std::string>{"bob@example.com", "ANN@example.com", "db-lead@example.com"}))
      << "a week later it is bob";
}

}  // namespace
}  // namespace alertdigest
