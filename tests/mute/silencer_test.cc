// Silences: states over time, which alerts they mute, Alertmanager's validation rules (exact
// messages) and the round trip through the SQLite store.
#include "mute/silencer.h"

#include <gtest/gtest.h>

#include "store/store.h"

namespace alertdigest {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const Timestamp kT0 = *ParseRfc3339("2026-03-01T10:00:00Z");

std::vector<Matcher> Matchers(std::initializer_list<const char*> texts) {
  std::vector<Matcher> out;
  for (const char* t : texts) out.push_back(*Matcher::Parse(t));
  return out;
}

Silence MakeSilence(std::string id, std::initializer_list<const char*> matchers,
                    Timestamp start = kT0, Timestamp end = kT0 + hours(2)) {
  Silence s;
  s.id = std::move(id);
  s.matchers = Matchers(matchers);
  s.starts_at = start;
  s.ends_at = end;
  s.created_by = "alice";
  s.comment = "maintenance";
  s.updated_at = kT0;
  return s;
}

TEST(SilenceStateTest, PendingThenActiveThenExpired) {
  Silence s = MakeSilence("a", {"alertname=X"});
  EXPECT_EQ(StateAt(s, kT0 - minutes(1)), SilenceState::kPending);
  EXPECT_EQ(StateAt(s, kT0), SilenceState::kActive);  // starts_at is inclusive
  EXPECT_EQ(StateAt(s, kT0 + hours(2) - minutes(1)), SilenceState::kActive);
  EXPECT_EQ(StateAt(s, kT0 + hours(2)), SilenceState::kExpired);  // ends_at is exclusive
  EXPECT_STREQ(SilenceStateName(SilenceState::kPending), "pending");
  EXPECT_STREQ(SilenceStateName(SilenceState::kActive), "active");
  EXPECT_STREQ(SilenceStateName(SilenceState::kExpired), "expired");
}

TEST(SilencerTest, MutesWhileActiveAndAllMatchersMatch) {
  Silencer silencer;
  silencer.Replace({
      MakeSilence("eq", {"alertname=DiskFull", "instance=db-1"}),
      MakeSilence("re", {"alertname=~\"Disk.*|CPU\"", "severity!=critical"}),
      MakeSilence("later", {"alertname=DiskFull"}, kT0 + hours(1), kT0 + hours(3)),
      MakeSilence("gone", {"alertname=DiskFull"}, kT0 - hours(3), kT0 - hours(1)),
  });
  const Timestamp now = kT0 + minutes(30);
  struct Case {
    const char* why;
    LabelSet labels;
    std::vector<std::string> want;
  } cases[] = {
      {"both equality matchers and the regex match",
       {{"alertname", "DiskFull"}, {"instance", "db-1"}},
       {"eq", "re"}},
      {"one matcher of `eq` fails", {{"alertname", "DiskFull"}, {"instance", "db-2"}}, {"re"}},
      {"regex is anchored", {{"alertname", "CPUHigh"}}, {}},
      {"regex alternative", {{"alertname", "CPU"}}, {"re"}},
      {"!= fails on an equal value", {{"alertname", "CPU"}, {"severity", "critical"}}, {}},
      {"missing label is \"\": != matches it", {{"alertname", "DiskFull"}}, {"re"}},
      {"missing label is \"\": = fails", {{"instance", "db-1"}}, {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(silencer.SilencedBy(c.labels, now), c.want) << c.why;
  }
  // Once `later` starts it mutes too; after everything ended nothing does.
  EXPECT_EQ(silencer.SilencedBy({{"alertname", "DiskFull"}}, kT0 + hours(1)),
            (std::vector<std::string>{"later", "re"}));
  EXPECT_TRUE(silencer.SilencedBy({{"alertname", "DiskFull"}}, kT0 + hours(3)).empty());
}

TEST(SilencerTest, MissingLabelMatchesEmptyRegex) {
  Silencer silencer;
  silencer.Replace({MakeSilence("s", {"alertname=X", "team=~\"|ops\""})});
  EXPECT_EQ(silencer.SilencedBy({{"alertname", "X"}}, kT0).size(), 1u);
  EXPECT_EQ(silencer.SilencedBy({{"alertname", "X"}, {"team", "ops"}}, kT0).size(), 1u);
  EXPECT_TRUE(silencer.SilencedBy({{"alertname", "X"}, {"team", "dev"}}, kT0).empty());
}

TEST(SilenceValidateTest, ExactMessages) {
  auto with = [](auto change) {
    Silence s = MakeSilence("v", {"alertname=X"});
    change(s);
    return Validate(s).message();
  };
  EXPECT_TRUE(Validate(MakeSilence("v", {"alertname=X"})).ok());
  EXPECT_EQ(with([](Silence& s) { s.matchers.clear(); }), "silence has no matchers");
  EXPECT_EQ(with([](Silence& s) {
              s.matchers = Matchers({"a=~\".*\"", "b!=x", "c=\"\""});
            }),
            "silence would match all alerts: at least one matcher must not match the empty "
            "string");
  EXPECT_TRUE(Validate(MakeSilence("v", {"a=~\".*\"", "b=x"})).ok());
  EXPECT_EQ(with([](Silence& s) { s.ends_at = s.starts_at; }),
            "silence ends at or before it starts");
  EXPECT_EQ(with([](Silence& s) { s.created_by.clear(); }), "silence needs createdBy (who set it)");
  EXPECT_EQ(with([](Silence& s) { s.comment.clear(); }),
            "silence needs a comment (why it was set)");
  EXPECT_EQ(Validate(Silence{}).code(), Status::Code::kInvalidArgument);
}

TEST(SilenceIdTest, IsRandomUuidV4) {
  std::string a = NewSilenceId(), b = NewSilenceId();
  ASSERT_EQ(a.size(), 36u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a[8], '-');
  EXPECT_EQ(a[13], '-');
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos) << a;
}

TEST(SilenceStoreTest, RoundTripsUpdatesAndCollectsOldOnes) {
  auto store = OpenSqliteStore(":memory:");
  ASSERT_TRUE(store.ok()) << store.status().message();
  Silence s = MakeSilence("b-id", {"alertname=~\"Disk.*\"", "instance!=\"db \\\"1\\\"\""});
  ASSERT_TRUE((*store)->PutSilence(s).ok());
  ASSERT_TRUE(
      (*store)->PutSilence(MakeSilence("a-id", {"x=y"}, kT0 - hours(200), kT0 - hours(130))).ok());
  s.ends_at = kT0 + minutes(5);  // expired early: same id, replaced
  s.updated_at = kT0 + minutes(5);
  ASSERT_TRUE((*store)->PutSilence(s).ok());

  auto loaded = (*store)->LoadSilences();
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(loaded->size(), 2u);
  const Silence& got = (*loaded)[1];
  EXPECT_EQ(got.id, "b-id");
  ASSERT_EQ(got.matchers.size(), 2u);
  EXPECT_EQ(got.matchers[0].ToString(), s.matchers[0].ToString());
  EXPECT_EQ(got.matchers[1].ToString(), s.matchers[1].ToString());
  EXPECT_EQ(got.matchers[1].value(), "db \"1\"");
  EXPECT_EQ(got.starts_at, kT0);
  EXPECT_EQ(got.ends_at, kT0 + minutes(5));
  EXPECT_EQ(got.updated_at, kT0 + minutes(5));
  EXPECT_EQ(got.created_by, "alice");
  EXPECT_EQ(got.comment, "maintenance");

  auto removed = (*store)->DeleteSilencesEndedBefore(kT0 - kSilenceRetention);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ((*store)->LoadSilences()->size(), 1u);
}

}  // namespace
}  // namespace alertdigest
