#include "render/zoned_time_text.h"

#include <gtest/gtest.h>

#include "render_test_util.h"

namespace alertdigest {
namespace {

using testing::At;

struct ZoneCase {
  const char* why;
  const char* zone;
  const char* utc;
  const char* day_time;
};

TEST(ZonedTimeTextTest, DayTimeWithAbbreviation) {
  const ZoneCase cases[] = {
      {"winter: CET is UTC+1", "Europe/Berlin", "2026-11-30T07:00:00Z", "Mon 30 Nov 08:00 CET"},
      {"summer: CEST is UTC+2", "Europe/Berlin", "2026-07-06T06:00:00Z", "Mon 6 Jul 08:00 CEST"},
      {"last minute of CEST", "Europe/Berlin", "2026-10-25T00:59:00Z", "Sun 25 Oct 02:59 CEST"},
      {"first minute of CET: the wall clock repeats 02:00", "Europe/Berlin",
       "2026-10-25T01:00:00Z", "Sun 25 Oct 02:00 CET"},
      {"the local date differs from UTC's", "Europe/Berlin", "2026-11-29T23:30:00Z",
       "Mon 30 Nov 00:30 CET"},
      {"empty zone is UTC", "", "2026-11-30T07:00:59Z", "Mon 30 Nov 07:00 UTC"},
      {"west of UTC", "America/New_York", "2026-11-30T07:00:00Z", "Mon 30 Nov 02:00 EST"},
  };
  for (const ZoneCase& c : cases) {
    Result<ZonedTimeText> zone = ZonedTimeText::Create(c.zone);
    ASSERT_TRUE(zone.ok()) << c.why << ": " << zone.status().message();
    EXPECT_EQ(zone->DayTime(At(c.utc)), c.day_time) << c.why;
  }
}

TEST(ZonedTimeTextTest, Parts) {
  const ZonedTimeText zone = ZonedTimeText::Create("Europe/Berlin").value();
  const Timestamp t = At("2026-11-29T23:30:00Z");
  EXPECT_EQ(zone.Day(t), "Mon 30 Nov");
  EXPECT_EQ(zone.Clock(t), "00:30");
  EXPECT_EQ(zone.DayTimeNoZone(t), "Mon 30 Nov 00:30");
  EXPECT_EQ(zone.Abbreviation(t), "CET");
  EXPECT_EQ(zone.IsoDate(t), "2026-11-30");
  EXPECT_EQ(zone.DayTime(kNoTime), "");
  EXPECT_EQ(zone.IsoDate(kNoTime), "");
}

TEST(ZonedTimeTextTest, UnknownZone) {
  Result<ZonedTimeText> zone = ZonedTimeText::Create("Mars/Olympus_Mons");
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.status().message(), "unknown time zone \"Mars/Olympus_Mons\"");
}

}  // namespace
}  // namespace alertdigest
