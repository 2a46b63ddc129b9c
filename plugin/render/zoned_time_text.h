// Times for people on the wall clock of one IANA time zone, as digests show them:
// "Mon 30 Nov 08:00 CET". Wraps Howard Hinnant's date/tz (OS tzdb) so its types and exceptions
// stay in zoned_time_text.cc.
//
// Thread-safety: immutable after Create(); every method may run on any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace date {
class time_zone;
}  // namespace date

namespace alertdigest {

class ZonedTimeText {
 public:
  // `zone` is an IANA name ("Europe/Berlin"); "" means UTC. InvalidArgument
  // "unknown time zone \"Mars/Base\"" when the tzdb does not know it.
  static Result<ZonedTimeText> Create(std::string_view zone);

  // Every function returns "" for kNoTime.
  std::string DayTime(Timestamp t) const;        // "Mon 30 Nov 08:00 CET"
  std::string DayTimeNoZone(Timestamp t) const;  // "Mon 30 Nov 08:00"
  std::string Day(Timestamp t) const;            // "Mon 30 Nov"
  std::string Clock(Timestamp t) const;          // "08:00"
  std::string Abbreviation(Timestamp t) const;   // "CET", "CEST", "UTC"
  std::string IsoDate(Timestamp t) const;        // "2026-11-30"

 private:
  explicit ZonedTimeText(const date::time_zone* zone) : zone_(zone) {}

  const date::time_zone* zone_;  // owned by the tzdb, lives forever
};

}  // namespace alertdigest
