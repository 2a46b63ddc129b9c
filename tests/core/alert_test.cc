#include <gtest/gtest.h>

#include "core/alert.h"

namespace alertdigest {
namespace {

using std::chrono::minutes;
const Timestamp kT0 = FromUnixMillis(1'800'000'000'000);

Alert Make(Timestamp starts, Timestamp ends, Timestamp received) {
  Alert a;
  a.labels = LabelSet{{"alertname", "X"}};
  a.starts_at = starts;
  a.ends_at = ends;
  a.Finalize(received, minutes(5));
  return a;
}

TEST(AlertTest, FinalizeFillsAlertmanagerDefaults) {
  Alert a = Make(kNoTime, kNoTime, kT0);
  EXPECT_EQ(a.starts_at, kT0);
  EXPECT_EQ(a.ends_at, kT0 + minutes(5));  // resolve_timeout after receipt
  EXPECT_TRUE(a.ends_at_is_timeout);
  EXPECT_FALSE(a.ResolvedAt(kT0 + minutes(4)));
  EXPECT_TRUE(a.ResolvedAt(kT0 + minutes(5)));

  Alert r = Make(kNoTime, kT0 - minutes(1), kT0);
  EXPECT_EQ(r.starts_at, kT0 - minutes(1));  // no start: the end
  EXPECT_FALSE(r.ends_at_is_timeout);
}

TEST(AlertTest, ResendExtendsTheEnd) {
  Alert stored = Make(kT0, kT0 + minutes(4), kT0);
  Alert resend = Make(kT0, kT0 + minutes(5), kT0 + minutes(1));
  Alert m = MergeIncoming(stored, resend);
  EXPECT_EQ(m.starts_at, kT0);
  EXPECT_EQ(m.ends_at, kT0 + minutes(5));
}

TEST(AlertTest, ExplicitResolveWins) {
  Alert stored = Make(kT0, kT0 + minutes(4), kT0);
  Alert resolved = Make(kT0, kT0 + minutes(2), kT0 + minutes(2));
  EXPECT_EQ(MergeIncoming(stored, resolved).ends_at, kT0 + minutes(2));
}

TEST(AlertTest, NewEpisodeReplacesOldOne) {
  Alert stored = Make(kT0, kT0 + minutes(2), kT0 + minutes(2));  // resolved at +2m
  Alert again = Make(kT0 + minutes(10), kNoTime, kT0 + minutes(10));
  Alert m = MergeIncoming(stored, again);
  EXPECT_EQ(m.starts_at, kT0 + minutes(10));
  EXPECT_TRUE(m.ends_at_is_timeout);
}

}  // namespace
}  // namespace alertdigest
