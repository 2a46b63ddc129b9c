// Crash points for crash-safety tests: CrashPoint("name") kills the process with SIGKILL when
// the environment variable ALERTDIGEST_CRASH_POINT is "name" (first hit) or "name:N" (N-th hit).
// Unset — the normal case — it costs one relaxed atomic load. Points are placed exactly where a
// crash is most harmful (after a commit, between delivery and marking it sent).
#pragma once

namespace alertdigest {

void CrashPoint(const char* name);

}  // namespace alertdigest
