// Structured logging: one line per event, key=value, to stderr (or a sink set by tests).
//   ts=2026-11-26T01:08:18.930Z level=warn msg="rejected record" line=12 reason="..."
// Values are quoted when they hold spaces, quotes or '='; control characters are escaped, so a
// label with CR/LF cannot forge a log line. Never pass a secret as a field.
// Thread-safe.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace alertdigest::log {

enum class Level { kDebug, kInfo, kWarn, kError };

struct Field {
  std::string_view key;
  std::string value;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  template <typename N>
    requires std::is_arithmetic_v<N>
  Field(std::string_view k, N v) : key(k), value(std::to_string(v)) {}
};

void SetLevel(Level level);
// Whether a line at `level` would be written: skip building costly fields when not.
bool Enabled(Level level);
bool ParseLevel(std::string_view text, Level* out);
// Replaces the output (default: stderr). Tests capture lines with this.
void SetSink(std::function<void(std::string_view line)> sink);

void Write(Level level, std::string_view msg, std::initializer_list<Field> fields);
inline void Debug(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kDebug, m, f); }
inline void Info(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kInfo, m, f); }
inline void Warn(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kWarn, m, f); }
inline void Error(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kError, m, f); }

// Formats one value as it would appear in a line (quoted/escaped as needed).
std::string FormatValue(std::string_view value);

}  // namespace alertdigest::log
