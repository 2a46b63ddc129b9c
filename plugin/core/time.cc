#include "core/time.h"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace alertdigest {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// Reads exactly `n` digits at text[*pos].
bool ReadDigits(std::string_view text, size_t* pos, int n, int* out) {
  if (*pos + n > text.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view text, size_t* pos, std::string_view chars) {
  if (*pos >= text.size() || chars.find(text[*pos]) == std::string_view::npos) return false;
  ++*pos;
  return true;
}

constexpr std::array<const char*, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct Unit {
  std::string_view suffix;
  int64_t ms;
};
// Longest suffix first so "ms" is not read as "m".
constexpr std::array<Unit, 7> kUnits = {{{"ms", 1},
                                         {"y", 365LL * 24 * 3600 * 1000},
                                         {"w", 7LL * 24 * 3600 * 1000},
                                         {"d", 24LL * 3600 * 1000},
                                         {"h", 3600LL * 1000},
                                         {"m", 60LL * 1000},
                                         {"s", 1000}}};

}  // namespace

Result<Timestamp> ParseRfc3339(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("bad time \"{}\": {} (want RFC 3339, e.g. "
                                               "2026-11-26T01:08:18Z)",
                                               text, why));
  };
  size_t p = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!ReadDigits(text, &p, 4, &y) || !Expect(text, &p, "-") || !ReadDigits(text, &p, 2, &mo) ||
      !Expect(text, &p, "-") || !ReadDigits(text, &p, 2, &d))
    return bad("malformed date");
  if (!Expect(text, &p, "Tt ")) return bad("missing 'T' between date and time");
  if (!ReadDigits(text, &p, 2, &h) || !Expect(text, &p, ":") || !ReadDigits(text, &p, 2, &mi) ||
      !Expect(text, &p, ":") || !ReadDigits(text, &p, 2, &s))
    return bad("malformed time of day");
  int64_t frac_ms = 0;
  if (p < text.size() && text[p] == '.') {
    ++p;
    int digits = 0;
    int64_t scale = 100;
    while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) {
      if (digits < 3) frac_ms += (text[p] - '0') * scale, scale /= 10;
      ++digits, ++p;
    }
    if (digits == 0) return bad("empty fraction of a second");
  }
  int offset_min = 0;
  if (p < text.size() && (text[p] == 'Z' || text[p] == 'z')) {
    ++p;
  } else if (p < text.size() && (text[p] == '+' || text[p] == '-')) {
    int sign = text[p] == '-' ? -1 : 1;
    ++p;
    int oh = 0, om = 0;
    if (!ReadDigits(text, &p, 2, &oh) || !Expect(text, &p, ":") || !ReadDigits(text, &p, 2, &om))
      return bad("malformed UTC offset");
    offset_min = sign * (oh * 60 + om);
  } else {
    return bad("missing time zone ('Z' or an offset like +01:00)");
  }
  if (p != text.size()) return bad("unexpected text after the time");
  if (y == 1 && mo == 1 && d == 1 && h == 0 && mi == 0 && s == 0 && frac_ms == 0 && offset_min == 0)
    return kNoTime;  // Go's zero time: "unset"
  year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                     std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad("no such date");
  if (h > 23 || mi > 59 || s > 60) return bad("no such time of day");
  auto t = sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi - offset_min} +
           std::chrono::seconds{s} + Duration{frac_ms};
  return std::chrono::time_point_cast<Duration>(t);
}

std::string FormatRfc3339(Timestamp t) {
  auto day = std::chrono::floor<days>(t);
  year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{t - day};
  auto ms = hms.subseconds().count();
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", int(ymd.year()),
                                unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                                hms.minutes().count(), hms.seconds().count());
  if (ms != 0) out += fmt::format(".{:03}", ms);
  out += 'Z';
  return out;
}

std::string FormatRfc5322(Timestamp t) {
  auto day = std::chrono::floor<days>(t);
  year_month_day ymd{day};
  std::chrono::weekday wd{day};
  std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kWeekdays[wd.c_encoding()],
                     unsigned(ymd.day()), kMonths[unsigned(ymd.month()) - 1], int(ymd.year()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

Result<Duration> ParseDuration(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(
        fmt::format("bad duration \"{}\": {} (want e.g. \"30s\", \"5m\", \"1h30m\")", text, why));
  };
  if (text.empty()) return bad("empty");
  if (text == "0") return Duration{0};
  int64_t total = 0;
  size_t p = 0;
  while (p < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[p])))
      return bad(text[p] == '-' ? "must not be negative" : "expected a number");
    int64_t n = 0;
    while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) {
      n = n * 10 + (text[p++] - '0');
      if (n > (int64_t{1} << 40)) return bad("too large");
    }
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (text.substr(p, u.suffix.size()) == u.suffix) {
        unit = &u;
        break;
      }
    }
    if (!unit) return bad(p == text.size() ? "missing unit (ms, s, m, h, d, w, y)" : "unknown unit");
    p += unit->suffix.size();
    total += n * unit->ms;
  }
  return Duration{total};
}

std::string FormatDuration(Duration d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) out += '-', ms = -ms;
  for (const Unit& u : {kUnits[2], kUnits[3], kUnits[4], kUnits[5], kUnits[6], kUnits[0]}) {
    if (ms >= u.ms) {
      out += fmt::format("{}{}", ms / u.ms, u.suffix);
      ms %= u.ms;
    }
  }
  return out;
}

std::string HumanizeDuration(Duration d) {
  int64_t s = std::max<int64_t>(0, d.count() / 1000);
  struct Part {
    const char* name;
    int64_t secs;
  };
  static constexpr Part kParts[] = {
      {"day", 86400}, {"hour", 3600}, {"minute", 60}, {"second", 1}};
  std::string out;
  int shown = 0;
  for (const Part& part : kParts) {
    int64_t n = s / part.secs;
    if (n == 0 && shown == 0) continue;
    if (shown == 1 && n == 0) break;
    s -= n * part.secs;
    if (!out.empty()) out += ' ';
    out += fmt::format("{} {}{}", n, part.name, n == 1 ? "" : "s");
    if (++shown == 2) break;
  }
  return out.empty() ? "0 seconds" : out;
}

}  // namespace alertdigest
