#include "core/crash_point.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

namespace alertdigest {
namespace {

struct Armed {
  std::string name;
  long remaining = 0;  // hits left before the crash; 0 = disarmed
};

Armed& Config() {
  static Armed armed = [] {
    Armed a;
    const char* env = std::getenv("ALERTDIGEST_CRASH_POINT");
    if (env == nullptr || *env == '\0') return a;
    std::string spec(env);
    auto colon = spec.rfind(':');
    a.name = spec.substr(0, colon);
    a.remaining = colon == std::string::npos ? 1 : std::strtol(spec.c_str() + colon + 1, nullptr, 10);
    return a;
  }();
  return armed;
}

}  // namespace

void CrashPoint(const char* name) {
  static std::mutex mu;
  Armed& a = Config();
  if (a.remaining <= 0) return;
  std::lock_guard lock(mu);
  if (a.name == name && --a.remaining == 0) std::raise(SIGKILL);
}

}  // namespace alertdigest
