#include "config/rotation_parser.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <chrono>
#include <optional>
#include <string_view>

#include "config/receiver_parser.h"

namespace alertdigest::config_internal {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr Duration kDay = std::chrono::hours(24);
constexpr Duration kWeek = 7 * kDay;
constexpr int kThursday = 4;  // 1970-01-01

constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "mon", "Monday" → 1; nullopt for anything else.
std::optional<int> ParseWeekday(std::string_view text) {
  std::string lower = Lower(text);
  for (size_t i = 0; i < kWeekdayNames.size(); ++i) {
    if (lower == kWeekdayNames[i] || lower == kWeekdayNames[i].substr(0, 3)) {
      return static_cast<int>(i);
    }
  }
  return std::nullopt;
}

std::optional<int> TwoDigits(std::string_view text) {
  if (text.size() != 2 || !std::isdigit(static_cast<unsigned char>(text[0])) ||
      !std::isdigit(static_cast<unsigned char>(text[1]))) {
    return std::nullopt;
  }
  return (text[0] - '0') * 10 + (text[1] - '0');
}

// "HH:MM", 00:00 to 23:59, as minutes after midnight.
std::optional<int> ParseClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  std::optional<int> h = TwoDigits(text.substr(0, 2)), m = TwoDigits(text.substr(3, 2));
  if (!h || !m || *h > 23 || *m > 59) return std::nullopt;
  return *h * 60 + *m;
}

struct Handoff {
  int weekday = -1;
  int minute = 0;
};

// "09:00" or "mon 09:00" (one or more spaces between).
std::optional<Handoff> ParseHandoff(std::string_view text) {
  size_t space = text.find(' ');
  Handoff h;
  if (space != std::string_view::npos) {
    std::optional<int> weekday = ParseWeekday(text.substr(0, space));
    if (!weekday) return std::nullopt;
    h.weekday = *weekday;
    text = text.substr(space);
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  }
  std::optional<int> minute = ParseClock(text);
  if (!minute) return std::nullopt;
  h.minute = *minute;
  return h;
}

// "YYYY-MM-DD" as days since 1970-01-01.
std::optional<int64_t> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  for (size_t i = 0; i < 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    y = y * 10 + (text[i] - '0');
  }
  std::optional<int> m = TwoDigits(text.substr(5, 2)), d = TwoDigits(text.substr(8, 2));
  if (!m || !d) return std::nullopt;
  year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(*m)},
                     std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd}.time_since_epoch().count();
}

std::string FormatDate(int64_t day) {
  year_month_day ymd{sys_days{days{day}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

int WeekdayOf(int64_t day) {
  return static_cast<int>(std::chrono::weekday{sys_days{days{day}}}.c_encoding());
}

// An RFC 3339 string, or a TOML offset date-time (unquoted 2026-03-04T09:00:00+01:00).
Result<Timestamp> ReadInstant(const toml::node& node) {
  if (const auto* s = node.as_string()) return ParseRfc3339(s->get());
  if (const auto* v = node.as_date_time()) {
    const toml::date_time& dt = v->get();
    if (!dt.offset) {
      return Status::InvalidArgument(
          "a date-time needs a UTC offset (\"Z\" or like \"+01:00\") to be one instant");
    }
    year_month_day ymd{std::chrono::year{dt.date.year},
                       std::chrono::month{static_cast<unsigned>(dt.date.month)},
                       std::chrono::day{static_cast<unsigned>(dt.date.day)}};
    auto t = sys_days{ymd} + std::chrono::hours{dt.time.hour} +
             std::chrono::minutes{dt.time.minute - dt.offset->minutes} +
             std::chrono::seconds{dt.time.second} +
             std::chrono::duration_cast<Duration>(std::chrono::nanoseconds{dt.time.nanosecond});
    return std::chrono::time_point_cast<Duration>(t);
  }
  return Status::InvalidArgument(
      TomlReader::TypeMismatch("an RFC 3339 time like \"2026-03-04T09:00:00+01:00\"", node));
}

}  // namespace

void RotationParser::Parse(TomlReader& file_root, std::vector<Rotation>& out) {
  const toml::array* arr = file_root.TableArray("rotation");
  if (!arr) return;
  for (size_t i = 0; i < arr->size(); ++i) {
    TomlReader r(*arr->get(i)->as_table(), fmt::format("rotation[{}]", i), file_root.file(), diag_);
    Rotation rotation;
    ParseOne(r, rotation);
    r.ReportUnknownKeys();
    out.push_back(std::move(rotation));
  }
}

void RotationParser::ParseOne(TomlReader& r, Rotation& out) {
  out.where = r.Where();
  if (std::optional<std::string> name = names_.Claim(r)) out.name = *name;
  ParseMembers(r, out);
  ParseHandoffAndShift(r, out);
  if (std::optional<std::string> tz = r.TimeZone("timezone")) out.timezone = *tz;
  ParseStart(r, out);
  ParseOverrides(r, out);
}

void RotationParser::ParseMembers(TomlReader& r, Rotation& out) {
  std::optional<std::vector<ListItem>> items = r.StringList("members");
  if (!items) {
    if (!r.Node("members")) r.Error("members", "missing (the addresses that take turns)");
    return;
  }
  if (items->empty()) {
    r.Error("members", "must not be empty (the addresses that take turns)");
    return;
  }
  for (ListItem& item : *items) {
    if (Status st = ValidateAddress(item.value); !st.ok()) {
      diag_.Error(item.where, item.key_path, st.message());
    } else {
      out.members.push_back(std::move(item.value));
    }
  }
}

void RotationParser::ParseHandoffAndShift(TomlReader& r, Rotation& out) {
  std::optional<Duration> shift = r.Dur("shift");
  if (shift && shift->count() <= 0) {
    r.Error("shift", "must be greater than 0");
    shift.reset();
  }
  if (shift) out.shift = *shift;
  const bool whole_weeks = out.shift % kWeek == Duration::zero();

  if (std::optional<std::string> text = r.String("handoff")) {
    if (std::optional<Handoff> h = ParseHandoff(*text)) {
      out.handoff_weekday = h->weekday;
      out.handoff_minute = h->minute;
    } else {
      r.Error("handoff", fmt::format("bad hand-off \"{}\" (want \"HH:MM\" or a weekday and a "
                                     "time, like \"mon 09:00\")",
                                     *text));
    }
  } else if (!r.Node("handoff")) {
    out.handoff_weekday = whole_weeks ? 1 : -1;  // "mon 09:00" or "09:00"
    out.handoff_minute = 9 * 60;
  }

  if (!shift) return;  // reported, or the default (one week) which fits any hand-off
  if (out.handoff_weekday >= 0 && !whole_weeks) {
    r.Error("shift", fmt::format("must be a whole number of weeks with a weekday hand-off, got {}",
                                 FormatDuration(*shift)));
  } else if (out.shift % kDay != Duration::zero()) {
    r.Error("shift", fmt::format("must be a whole number of days, got {}", FormatDuration(*shift)));
  }
}

void RotationParser::ParseStart(TomlReader& r, Rotation& out) {
  const toml::node* node = r.Node("start");
  if (!node) {
    // The first hand-off day on or after 1970-01-01 (a thursday).
    out.start_day = out.handoff_weekday < 0 ? 0 : (out.handoff_weekday - kThursday + 7) % 7;
    return;
  }
  std::optional<int64_t> day;
  if (const auto* s = node->as_string()) {
    day = ParseDate(s->get());
    if (!day) {
      r.Error("start", fmt::format("bad date \"{}\" (want \"YYYY-MM-DD\")", s->get()));
      return;
    }
  } else if (const auto* d = node->as_date()) {
    const toml::date& date = d->get();
    day = ParseDate(fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year),
                                static_cast<int>(date.month), static_cast<int>(date.day)));
  }
  if (!day) {
    r.Error("start", TomlReader::TypeMismatch("a date like \"2026-03-02\"", *node));
    return;
  }
  out.start_day = *day;
  if (out.handoff_weekday >= 0 && WeekdayOf(*day) != out.handoff_weekday) {
    r.Error("start", fmt::format("{} is a {}, but the hand-off is on {}", FormatDate(*day),
                                 kWeekdayNames[static_cast<size_t>(WeekdayOf(*day))],
                                 kWeekdayNames[static_cast<size_t>(out.handoff_weekday)]));
  }
}

void RotationParser::ParseOverrides(TomlReader& r, Rotation& out) {
  const toml::node* node = r.Node("overrides");
  if (!node) return;
  const toml::array* arr = node->as_array();
  if (!arr) {
    r.Error("overrides",
            TomlReader::TypeMismatch("a list of { name, start, end, member } tables", *node));
    return;
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::node& e = *arr->get(i);
    std::string path = fmt::format("{}[{}]", r.PathOf("overrides"), i);
    const toml::table* t = e.as_table();
    if (!t) {
      diag_.Error(r.At(e), path,
                  TomlReader::TypeMismatch("a { name, start, end, member } table", e));
      continue;
    }
    TomlReader o(*t, path, r.file(), diag_);
    RotationOverride item;
    if (std::optional<std::string> name = o.String("name")) {
      if (name->empty()) o.Error("name", "must not be empty");
      item.name = *name;
    } else if (!o.Node("name")) {
      o.Error("name", "missing (shown as the reason in escalation mails)");
    }
    bool times_ok = true;
    for (auto [key, dest] : {std::pair{"start", &item.start}, std::pair{"end", &item.end}}) {
      const toml::node* n = o.Node(key);
      if (!n) {
        o.Error(key, "missing (an RFC 3339 time like \"2026-03-04T09:00:00+01:00\")");
        times_ok = false;
        continue;
      }
      Result<Timestamp> at = ReadInstant(*n);
      if (at.ok()) {
        *dest = *at;
      } else {
        o.Error(key, at.status().message());
        times_ok = false;
      }
    }
    if (times_ok && item.end <= item.start) o.Error("end", "must be after start");
    if (std::optional<std::string> member = o.String("member")) {
      if (Status st = ValidateAddress(*member); !st.ok()) o.Error("member", st.message());
      item.member = *member;
    } else if (!o.Node("member")) {
      o.Error("member", "missing (the address on call instead)");
    }
    o.ReportUnknownKeys();
    out.overrides.push_back(std::move(item));
  }
}

void RotationParser::AddNames(DefinedNames& names) const { names_.AddTo(names.rotations); }

}  // namespace alertdigest::config_internal
