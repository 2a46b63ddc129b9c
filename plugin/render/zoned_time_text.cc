#include "render/zoned_time_text.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <array>

namespace alertdigest {
namespace {

struct LocalParts {
  date::year_month_day ymd;
  date::weekday weekday;
  int hour = 0;
  int minute = 0;
};

LocalParts Split(const date::time_zone* zone, Timestamp t) {
  const auto local = zone->to_local(t);
  const date::local_days day = date::floor<date::days>(local);
  const auto minutes = date::floor<std::chrono::minutes>(local - day).count();
  return {date::year_month_day(day), date::weekday(day), int(minutes / 60), int(minutes % 60)};
}

constexpr std::array<const char*, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                  "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

Result<ZonedTimeText> ZonedTimeText::Create(std::string_view zone) {
  const std::string name = zone.empty() ? "UTC" : std::string(zone);
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(name);
  } catch (const std::exception&) {
    tz = nullptr;
  }
  if (tz == nullptr) return Status::InvalidArgument("unknown time zone \"" + name + "\"");
  return ZonedTimeText(tz);
}

std::string ZonedTimeText::Day(Timestamp t) const {
  if (t == kNoTime) return "";
  const LocalParts p = Split(zone_, t);
  return fmt::format("{} {} {}", kWeekdays[p.weekday.c_encoding()], unsigned(p.ymd.day()),
                     kMonths[unsigned(p.ymd.month()) - 1]);
}

std::string ZonedTimeText::Clock(Timestamp t) const {
  if (t == kNoTime) return "";
  const LocalParts p = Split(zone_, t);
  return fmt::format("{:02}:{:02}", p.hour, p.minute);
}

std::string ZonedTimeText::DayTimeNoZone(Timestamp t) const {
  if (t == kNoTime) return "";
  return Day(t) + " " + Clock(t);
}

std::string ZonedTimeText::Abbreviation(Timestamp t) const {
  if (t == kNoTime) return "";
  return zone_->get_info(date::floor<std::chrono::seconds>(t)).abbrev;
}

std::string ZonedTimeText::DayTime(Timestamp t) const {
  if (t == kNoTime) return "";
  return DayTimeNoZone(t) + " " + Abbreviation(t);
}

std::string ZonedTimeText::IsoDate(Timestamp t) const {
  if (t == kNoTime) return "";
  const LocalParts p = Split(zone_, t);
  return fmt::format("{:04}-{:02}-{:02}", int(p.ymd.year()), unsigned(p.ymd.month()),
                     unsigned(p.ymd.day()));
}

}  // namespace alertdigest
