// Fuzz target: 5-field cron schedules ([[digest]] schedule) and their next and previous runs on
// the wall clock of an IANA zone (DST gaps and overlaps).
//
// Input: line 1 the schedule; optional line 2 a zone name (default: UTC, Europe/Berlin and
// Australia/Lord_Howe, whose DST shift is 30 minutes); optional line 3 the RFC 3339 instant to
// search from, 1971…2200 (default 2026-03-29T00:30:00Z, just before Berlin's spring-forward gap).
//
// Invariants: a parsed schedule re-parses from its text(); NextRun is strictly after its start
// and PreviousRun at or before it; a run found by NextRun is its own PreviousRun, and the next
// run after it is later still.
#include "core/cron.h"
#include "fuzz_support.h"
#include "schedule/cron_schedule.h"

namespace alertdigest {
namespace {

void CheckRuns(const CronSchedule& s, const date::time_zone* zone, Timestamp from,
               const std::string& where) {
  const Timestamp next = NextRun(s, zone, from);
  const Timestamp previous = PreviousRun(s, zone, from);
  FUZZ_CHECK(previous == kNoTime || previous <= from, where + ": PreviousRun after its start");
  if (next == kNoTime) return;
  FUZZ_CHECK(next > from, where + ": NextRun " + FormatRfc3339(next) + " not after the start");
  FUZZ_CHECK(PreviousRun(s, zone, next) == next,
             where + ": NextRun " + FormatRfc3339(next) + " is not its own PreviousRun (" +
                 FormatRfc3339(PreviousRun(s, zone, next)) + ")");
  const Timestamp after_next = NextRun(s, zone, next);
  FUZZ_CHECK(after_next == kNoTime || after_next > next, where + ": runs go backwards");
}

}  // namespace
}  // namespace alertdigest

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alertdigest;
  const std::vector<std::string_view> lines = fuzz::Sections(fuzz::AsText(data, size), "\n");
  Result<CronSchedule> s = CronSchedule::Parse(lines[0]);
  if (!s.ok()) {
    FUZZ_CHECK(!s.status().message().empty(), "error without a message");
    return 0;
  }
  FUZZ_CHECK(CronSchedule::Parse(s->text()).ok(), "text() does not parse: " + s->text());

  std::vector<std::string> zones = {"UTC", "Europe/Berlin", "Australia/Lord_Howe"};
  if (lines.size() > 1 && !lines[1].empty()) zones = {std::string(lines[1])};
  Timestamp from = ParseRfc3339("2026-03-29T00:30:00Z").value();
  if (lines.size() > 2) {
    Result<Timestamp> t = ParseRfc3339(lines[2]);
    // The daemon asks about times near now; far-off years only test the date library.
    if (!t.ok() || *t < ParseRfc3339("1971-01-01T00:00:00Z").value() ||
        *t > ParseRfc3339("2200-01-01T00:00:00Z").value())
      return 0;
    from = *t;
  }
  for (const std::string& name : zones) {
    const date::time_zone* zone = FindZone(name);
    if (zone == nullptr) continue;
    CheckRuns(*s, zone, from, s->text() + " in " + name + " from " + FormatRfc3339(from));
  }
  return 0;
}
