// Time points, durations, and their text forms (RFC 3339, Prometheus durations, humanised).
// All times are UTC with millisecond precision; the zero Timestamp means "unset".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace alertdigest {

using Duration = std::chrono::milliseconds;
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

inline constexpr Timestamp kNoTime{};

inline int64_t ToUnixMillis(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromUnixMillis(int64_t ms) { return Timestamp{Duration{ms}}; }

// Parses RFC 3339 ("2026-11-26T01:08:18.930Z", "2026-11-26T02:08:18+01:00").
// Go's zero time "0001-01-01T00:00:00Z", which Alertmanager sends for "no end", yields kNoTime.
Result<Timestamp> ParseRfc3339(std::string_view text);
// "2026-11-26T01:08:18.930Z" (milliseconds shown only when non-zero).
std::string FormatRfc3339(Timestamp t);
// RFC 5322 date for the Date header: "Thu, 26 Nov 2026 01:08:18 +0000".
std::string FormatRfc5322(Timestamp t);

// Parses Prometheus-style durations: "30s", "5m", "1h30m", "250ms", "1d", "1w". "0" and "0s" are
// zero. Negative or unit-less values are errors with a message naming the problem.
Result<Duration> ParseDuration(std::string_view text);
// The canonical short form: "1h30m", "45s", "250ms", "0s".
std::string FormatDuration(Duration d);
// For people: "3 days 4 hours", "12 minutes", "40 seconds" (two largest units).
std::string HumanizeDuration(Duration d);

}  // namespace alertdigest
