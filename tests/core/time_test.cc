#include <gtest/gtest.h>

#include "core/time.h"

namespace alertdigest {
namespace {

TEST(TimeTest, ParsesRfc3339Forms) {
  struct Case { const char* in; const char* out; } cases[] = {
      {"2026-11-26T01:08:18.930Z", "2026-11-26T01:08:18.930Z"},
      {"2026-11-26T01:08:18Z", "2026-11-26T01:08:18Z"},
      {"2026-11-26T02:08:18+01:00", "2026-11-26T01:08:18Z"},     // offset applied
      {"2026-11-26T01:08:18.123456789Z", "2026-11-26T01:08:18.123Z"},  // Go's nanoseconds
  };
  for (const auto& c : cases) {
    auto t = ParseRfc3339(c.in);
    ASSERT_TRUE(t.ok()) << c.in << ": " << t.status().message();
    EXPECT_EQ(FormatRfc3339(*t), c.out) << c.in;
  }
}

TEST(TimeTest, GoZeroTimeMeansUnset) {
  auto t = ParseRfc3339("0001-01-01T00:00:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, kNoTime);
}

TEST(TimeTest, RejectsBadTimesWithReason) {
  EXPECT_EQ(ParseRfc3339("2026-11-26 01:08").status().message(),
            "bad time \"2026-11-26 01:08\": malformed time of day (want RFC 3339, e.g. "
            "2026-11-26T01:08:18Z)");
  EXPECT_EQ(ParseRfc3339("2026-02-30T00:00:00Z").status().message(),
            "bad time \"2026-02-30T00:00:00Z\": no such date (want RFC 3339, e.g. "
            "2026-11-26T01:08:18Z)");
  EXPECT_FALSE(ParseRfc3339("2026-11-26T01:08:18").ok());
}

TEST(TimeTest, Rfc5322Date) {
  EXPECT_EQ(FormatRfc5322(*ParseRfc3339("2026-11-26T01:08:18.930Z")),
            "Thu, 26 Nov 2026 01:08:18 +0000");
}

TEST(DurationTest, ParsesAndFormats) {
  struct Case { const char* in; int64_t ms; const char* canonical; } cases[] = {
      {"30s", 30000, "30s"}, {"5m", 300000, "5m"}, {"1h30m", 5400000, "1h30m"},
      {"250ms", 250, "250ms"}, {"1d", 86400000, "1d"}, {"0", 0, "0s"}, {"90s", 90000, "1m30s"},
      {"1w", 604800000, "1w"}, {"7d", 604800000, "1w"}, {"10d", 864000000, "1w3d"},
      {"1d12h", 129600000, "1d12h"},
  };
  for (const auto& c : cases) {
    auto d = ParseDuration(c.in);
    ASSERT_TRUE(d.ok()) << c.in;
    EXPECT_EQ(d->count(), c.ms) << c.in;
    EXPECT_EQ(FormatDuration(*d), c.canonical) << c.in;
  }
}

TEST(DurationTest, RejectsWithReason) {
  EXPECT_EQ(ParseDuration("5").status().message(),
            "bad duration \"5\": missing unit (ms, s, m, h, d, w, y) (want e.g. \"30s\", \"5m\", "
            "\"1h30m\")");
  EXPECT_EQ(ParseDuration("-5m").status().message(),
            "bad duration \"-5m\": must not be negative (want e.g. \"30s\", \"5m\", \"1h30m\")");
  EXPECT_FALSE(ParseDuration("5 minutes").ok());
  EXPECT_FALSE(ParseDuration("").ok());
}

TEST(DurationTest, Humanizes) {
  using namespace std::chrono;
  EXPECT_EQ(HumanizeDuration(seconds(40)), "40 seconds");
  EXPECT_EQ(HumanizeDuration(minutes(1)), "1 minute");
  EXPECT_EQ(HumanizeDuration(hours(26) + minutes(3)), "1 day 2 hours");
  EXPECT_EQ(HumanizeDuration(hours(2)), "2 hours");
  EXPECT_EQ(HumanizeDuration(milliseconds(0)), "0 seconds");
}

}  // namespace
}  // namespace alertdigest
