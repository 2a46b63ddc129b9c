#include "core/log.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "core/time.h"

namespace alertdigest::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::mutex g_mu;
std::function<void(std::string_view)> g_sink;  // guarded by g_mu

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "?";
}

}  // namespace

void SetLevel(Level level) { g_level = level; }
bool Enabled(Level level) { return level >= g_level.load(); }

bool ParseLevel(std::string_view text, Level* out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == LevelName(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

void SetSink(std::function<void(std::string_view)> sink) {
  std::lock_guard lock(g_mu);
  g_sink = std::move(sink);
}

std::string FormatValue(std::string_view v) {
  bool quote = v.empty();
  for (unsigned char c : v) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) quote = true;
  }
  if (!quote) return std::string(v);
  std::string out = "\"";
  for (unsigned char c : v) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
        else out.push_back(static_cast<char>(c));
    }
  }
  out += '"';
  return out;
}

void Write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (level < g_level.load()) return;
  auto now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  std::string line = fmt::format("ts={} level={} msg={}", FormatRfc3339(now), LevelName(level),
                                 FormatValue(msg));
  for (const Field& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    line += FormatValue(f.value);
  }
  std::lock_guard lock(g_mu);
  if (g_sink) {
    g_sink(line);
  } else {
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
}

}  // namespace alertdigest::log
