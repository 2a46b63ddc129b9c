#include "config/time_interval_parser.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>

namespace alertdigest::config_internal {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr std::array<std::string_view, 7> kWeekdays = {"sunday",   "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday"};
constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

// Parses one end of a range; on failure returns nullopt and says why.
using EndParser = std::optional<int> (*)(std::string_view text, std::string& why);

std::optional<int> ParseInt(std::string_view text) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<int> ParseWeekday(std::string_view text, std::string& why) {
  std::string lower = Lower(text);
  for (size_t i = 0; i < kWeekdays.size(); ++i) {
    if (lower == kWeekdays[i]) return static_cast<int>(i);
  }
  why = fmt::format("unknown weekday \"{}\"", text);
  return std::nullopt;
}

std::optional<int> ParseMonth(std::string_view text, std::string& why) {
  if (std::optional<int> n = ParseInt(text)) {
    if (*n >= 1 && *n <= 12) return n;
    why = fmt::format("month must be 1 to 12, got {}", *n);
    return std::nullopt;
  }
  std::string lower = Lower(text);
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (lower == kMonths[i]) return static_cast<int>(i) + 1;
  }
  why = fmt::format("unknown month \"{}\"", text);
  return std::nullopt;
}

std::optional<int> ParseDay(std::string_view text, std::string& why) {
  std::optional<int> n = ParseInt(text);
  if (!n) {
    why = fmt::format("expected a day number, got \"{}\"", text);
  } else if (*n == 0 || *n < -31 || *n > 31) {
    why = fmt::format("day must be 1 to 31 or -31 to -1, got {}", *n);
    n.reset();
  }
  return n;
}

std::optional<int> ParseYear(std::string_view text, std::string& why) {
  std::optional<int> n = ParseInt(text);
  if (!n || *n < 1 || *n > 9999) {
    why = fmt::format("expected a year like 2026, got \"{}\"", text);
    return std::nullopt;
  }
  return n;
}

// "a" or "a:b", each end read by `one`.
std::optional<std::pair<int, int>> ParseRange(std::string_view text, EndParser one,
                                              std::string& why) {
  size_t colon = text.find(':');
  std::optional<int> begin = one(text.substr(0, colon), why);
  if (!begin) return std::nullopt;
  if (colon == std::string_view::npos) return std::pair{*begin, *begin};
  std::optional<int> end = one(text.substr(colon + 1), why);
  if (!end) return std::nullopt;
  return std::pair{*begin, *end};
}

// The order check of Alertmanager's day-of-month ranges: "1:-1" (every day) is fine, "-1:5" is
// not, and within one sign the start must not be after the end.
bool DaysInOrder(std::pair<int, int> r, std::string& why) {
  if (r.first < 0 && r.second > 0) {
    why = "a negative start needs a negative end";
    return false;
  }
  if ((r.first > 0) == (r.second > 0) && r.first > r.second) {
    why = "start is after end";
    return false;
  }
  return true;
}

bool PlainOrder(std::pair<int, int> r, std::string& why) {
  if (r.first <= r.second) return true;
  why = "start is after end";
  return false;
}

// "HH:MM" as minutes of the day, 00:00 to 24:00.
std::optional<int> ParseClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  std::optional<int> h = ParseInt(text.substr(0, 2));
  std::optional<int> m = ParseInt(text.substr(3, 2));
  if (!h || !m || *h < 0 || *m < 0 || *m > 59 || *h > 24 || (*h == 24 && *m != 0)) {
    return std::nullopt;
  }
  return *h * 60 + *m;
}

}  // namespace

void TimeIntervalParser::Parse(TomlReader& file_root, std::vector<TimeInterval>& out) {
  const toml::array* arr = file_root.TableArray("time_interval");
  if (!arr) return;
  for (size_t i = 0; i < arr->size(); ++i) {
    TomlReader r(*arr->get(i)->as_table(), fmt::format("time_interval[{}]", i), file_root.file(),
                 diag_);
    TimeInterval interval;
    if (ParseOne(r, interval)) out.push_back(std::move(interval));
    r.ReportUnknownKeys();
  }
}

bool TimeIntervalParser::ParseOne(TomlReader& r, TimeInterval& out) {
  bool ok = true;
  out.where = r.Where();
  std::optional<std::string> name = r.String("name");
  if (!name) {
    if (!r.Node("name")) r.Error("name", "missing (each [[time_interval]] needs a name)");
    ok = false;
  } else if (name->empty()) {
    r.Error("name", "must not be empty");
    ok = false;
  } else {
    auto [it, fresh] = names_.emplace(*name, r.Where("name"));
    if (!fresh) {
      r.Error("name", fmt::format("duplicate time_interval \"{}\" (first defined at {}:{})", *name,
                                  it->second.file, it->second.line));
      ok = false;
    }
    out.name = *name;
  }

  if (r.Node("timezone")) {
    if (std::optional<std::string> tz = r.TimeZone("timezone")) {
      out.timezone = *tz;
    } else {
      ok = false;
    }
  }

  ok = ParseTimes(r, out) && ok;

  struct Field {
    std::string_view key;
    std::string_view what;
    EndParser one;
    bool (*in_order)(std::pair<int, int>, std::string&);
    std::vector<std::pair<int, int>>* dest;
  };
  const Field fields[] = {
      {"weekdays", "weekday range", ParseWeekday, PlainOrder, &out.weekdays},
      {"days_of_month", "day of month range", ParseDay, DaysInOrder, &out.days_of_month},
      {"months", "month range", ParseMonth, PlainOrder, &out.months},
      {"years", "year range", ParseYear, PlainOrder, &out.years},
  };
  for (const Field& f : fields) {
    bool present = r.Node(f.key) != nullptr;
    std::optional<std::vector<ListItem>> items = r.StringList(f.key);
    if (present && !items) ok = false;
    if (!items) continue;
    for (const ListItem& item : *items) {
      std::string why;
      std::optional<std::pair<int, int>> range = ParseRange(item.value, f.one, why);
      if (range && f.in_order(*range, why)) {
        f.dest->push_back(*range);
      } else {
        diag_.Error(item.where, item.key_path,
                    fmt::format("bad {} \"{}\": {}", f.what, item.value, why));
        ok = false;
      }
    }
  }
  return ok;
}

bool TimeIntervalParser::ParseTimes(TomlReader& r, TimeInterval& out) {
  const toml::node* node = r.Node("times");
  if (!node) return true;
  const toml::array* arr = node->as_array();
  if (!arr) {
    r.Error("times", TomlReader::TypeMismatch("a list of { start, end } tables", *node));
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::node& e = *arr->get(i);
    std::string path = fmt::format("{}[{}]", r.PathOf("times"), i);
    const toml::table* t = e.as_table();
    if (!t) {
      diag_.Error(
          r.At(e), path,
          TomlReader::TypeMismatch("a table like { start = \"22:00\", end = \"07:00\" }", e));
      ok = false;
      continue;
    }
    TomlReader tr(*t, path, r.file(), diag_);
    std::optional<int> minutes[2];
    const char* keys[2] = {"start", "end"};
    for (int k = 0; k < 2; ++k) {
      std::optional<std::string> text = tr.String(keys[k]);
      if (!text) {
        if (!tr.Node(keys[k])) tr.Error(keys[k], "missing");
        continue;
      }
      minutes[k] = ParseClock(*text);
      if (!minutes[k]) {
        tr.Error(keys[k], fmt::format("bad time \"{}\" (want \"HH:MM\", 00:00 to 24:00)", *text));
      } else if (k == 0 && *minutes[k] == kMinutesPerDay) {
        tr.Error(keys[k], "bad time \"24:00\" (24:00 is only allowed as an end)");
        minutes[k].reset();
      }
    }
    tr.ReportUnknownKeys();
    if (!minutes[0] || !minutes[1]) {
      ok = false;
      continue;
    }
    int start = *minutes[0], end = *minutes[1];
    if (start == end) {
      tr.Error("end", "must differ from start (an empty range)");
      ok = false;
    } else if (start < end) {
      out.times_minutes.emplace_back(start, end);
    } else {  // crosses midnight
      out.times_minutes.emplace_back(start, kMinutesPerDay);
      if (end > 0) out.times_minutes.emplace_back(0, end);
    }
  }
  return ok;
}

void TimeIntervalParser::AddNames(DefinedNames& names) const {
  for (const auto& [name, where] : names_) names.time_intervals.insert(name);
}

}  // namespace alertdigest::config_internal
