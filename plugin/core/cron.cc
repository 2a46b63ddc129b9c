#include "core/cron.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <vector>

namespace alertdigest {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {"sun", "mon", "tue", "wed",
                                                           "thu", "fri", "sat"};

// How one of the five fields reads its values.
struct FieldSpec {
  std::string_view name;
  int min;
  int max;                        // inclusive; 7 for day-of-week (7 = sunday)
  int star_max;                   // what `*` covers: max, except 6 for day-of-week
  const std::string_view* names;  // lower-case names, or nullptr
  size_t name_count;
  int first_name_value;         // the value of names[0]
  std::string_view names_hint;  // " or month name (jan-dec)"
};

constexpr FieldSpec kFields[5] = {
    {"minute", 0, 59, 59, nullptr, 0, 0, ""},
    {"hour", 0, 23, 23, nullptr, 0, 0, ""},
    {"day-of-month", 1, 31, 31, nullptr, 0, 0, ""},
    {"month", 1, 12, 12, kMonthNames.data(), kMonthNames.size(), 1, " or month name (jan-dec)"},
    {"day-of-week", 0, 7, 6, kWeekdayNames.data(), kWeekdayNames.size(), 0,
     " or weekday name (sun-sat)"},
};

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t begin = 0;
  while (true) {
    size_t end = s.find(sep, begin);
    out.push_back(s.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) return out;
    begin = end + 1;
  }
}

std::vector<std::string_view> SplitBlanks(std::string_view s) {
  std::vector<std::string_view> out;
  size_t p = 0;
  while (p < s.size()) {
    while (p < s.size() && IsBlank(s[p])) ++p;
    size_t begin = p;
    while (p < s.size() && !IsBlank(s[p])) ++p;
    if (p > begin) out.push_back(s.substr(begin, p - begin));
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Parses one field; the error message is the part after `<name> field "<text>": `.
class FieldParser {
 public:
  explicit FieldParser(const FieldSpec& spec) : spec_(spec) {}

  // The selected values as bits (bit v = value v); error text in `why_` on failure.
  std::optional<uint64_t> Parse(std::string_view field) {
    uint64_t bits = 0;
    for (std::string_view item : Split(field, ',')) {
      if (item.empty()) return Fail("empty list element");
      std::optional<uint64_t> b = ParseItem(item);
      if (!b) return std::nullopt;
      bits |= *b;
    }
    return bits;
  }

  const std::string& why() const { return why_; }

 private:
  std::nullopt_t Fail(std::string why) {
    why_ = std::move(why);
    return std::nullopt;
  }

  std::optional<int> Value(std::string_view text) {
    if (AllDigits(text)) {
      int v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || v < spec_.min || v > spec_.max) {
        Fail(fmt::format("value {} out of range {}-{}", text, spec_.min, spec_.max));
        return std::nullopt;
      }
      return v;
    }
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (size_t i = 0; i < spec_.name_count; ++i) {
      if (lower == spec_.names[i]) return spec_.first_name_value + static_cast<int>(i);
    }
    Fail(fmt::format("\"{}\" is not a number{}", text, spec_.names_hint));
    return std::nullopt;
  }

  std::optional<uint64_t> ParseItem(std::string_view item) {
    std::string_view range = item;
    int step = 1;
    size_t slash = item.find('/');
    if (slash != std::string_view::npos) {
      range = item.substr(0, slash);
      std::string_view step_text = item.substr(slash + 1);
      if (!AllDigits(step_text)) return Fail(fmt::format("step \"{}\" is not a number", step_text));
      auto [end, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
      if (ec != std::errc() || step > 64) step = 64;  // larger steps select the first value only
      if (step < 1) return Fail(fmt::format("step {} must be at least 1", step_text));
    }
    int first = 0, last = 0;
    if (range == "*") {
      first = spec_.min;
      last = spec_.star_max;
    } else if (range.starts_with('-') && AllDigits(range.substr(1))) {
      return Fail(fmt::format("value {} out of range {}-{}", range, spec_.min, spec_.max));
    } else {
      size_t dash = range.find('-');
      std::optional<int> a = Value(range.substr(0, dash));
      if (!a) return std::nullopt;
      first = *a;
      if (dash != std::string_view::npos) {
        std::optional<int> b = Value(range.substr(dash + 1));
        if (!b) return std::nullopt;
        last = *b;
        if (last < first) return Fail(fmt::format("range {} goes backwards", range));
      } else {
        last = slash == std::string_view::npos ? first : spec_.max;  // "a/n": a through max
      }
    }
    uint64_t bits = 0;
    for (int v = first; v <= last; v += step) bits |= uint64_t{1} << v;
    return bits;
  }

  const FieldSpec& spec_;
  std::string why_;
};

template <size_t N>
std::bitset<N> ToBits(uint64_t bits) {
  return std::bitset<N>(bits & ((N >= 64) ? ~uint64_t{0} : ((uint64_t{1} << N) - 1)));
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view text) {
  text = Trim(text);
  std::vector<std::string_view> fields = SplitBlanks(text);
  if (fields.size() != 5) {
    return Status::InvalidArgument(fmt::format(
        "expected 5 fields (minute hour day-of-month month day-of-week), got {}", fields.size()));
  }
  uint64_t bits[5] = {};
  for (size_t i = 0; i < 5; ++i) {
    FieldParser parser(kFields[i]);
    std::optional<uint64_t> b = parser.Parse(fields[i]);
    if (!b) {
      return Status::InvalidArgument(
          fmt::format("{} field \"{}\": {}", kFields[i].name, fields[i], parser.why()));
    }
    bits[i] = *b;
  }
  // Day-of-week 7 is sunday.
  if (bits[4] & (uint64_t{1} << 7)) bits[4] = (bits[4] | 1) & ~(uint64_t{1} << 7);

  CronSchedule s;
  s.text_ = std::string(text);
  s.minutes_ = ToBits<60>(bits[0]);
  s.hours_ = ToBits<24>(bits[1]);
  s.days_ = ToBits<32>(bits[2]);
  s.months_ = ToBits<13>(bits[3]);
  s.weekdays_ = ToBits<7>(bits[4]);
  auto restricted = [](std::string_view f) { return f != "*" && f != "*/1"; };
  s.day_restricted_ = restricted(fields[2]);
  s.weekday_restricted_ = restricted(fields[4]);
  return s;
}

bool CronSchedule::MatchesDay(int month, int day, int weekday) const {
  if (month < 1 || month > 12 || day < 1 || day > 31 || weekday < 0 || weekday > 6) return false;
  if (!months_[month]) return false;
  if (day_restricted_ && weekday_restricted_) return days_[day] || weekdays_[weekday];
  return days_[day] && weekdays_[weekday];
}

bool CronSchedule::MatchesTime(int hour, int minute) const {
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  return hours_[hour] && minutes_[minute];
}

}  // namespace alertdigest
