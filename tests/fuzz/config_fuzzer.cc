// Fuzz target: the TOML config and its rule files, through LoadConfig on a scratch directory
// (the main file, `rules` globs, every section parser, the route tree, cross-file checks).
//
// Input: sections separated by a line "@@@@" (fuzz_support.h): the main config.toml, then each
// rule file (written as rules/00.toml, rules/01.toml, …). Seed: config.toml.example followed by
// rules/*.toml (tests/fuzz/make_seeds.py). The harness skips inputs whose `rules` patterns leave
// the scratch directory (absolute or with ".."): globbing /dev/* would read /dev/zero forever,
// which says nothing about the parser.
//
// Invariants: every problem has a message; a config that loads keeps the promises runtime code
// relies on without re-checking (config.h): every name a route, digest or escalation refers to
// exists, every time zone is known, time ranges are in bounds, and the time intervals compile.
#include <fstream>
#include <toml++/toml.h>

#include "config/config.h"
#include "fuzz_support.h"
#include "mute/time_interval.h"
#include "schedule/cron_schedule.h"

namespace alertdigest {
namespace {

namespace fs = std::filesystem;

// False when a `rules` pattern of the main file would reach outside the scratch directory.
bool RulesStayInside(std::string_view main_text) {
  toml::table root;
  try {
    root = toml::parse(main_text, std::string_view("config.toml"));
  } catch (const toml::parse_error&) {
    return true;  // LoadConfig stops at the syntax error, before any glob
  }
  const toml::array* rules = root["rules"].as_array();
  if (rules == nullptr) return true;
  for (const toml::node& n : *rules) {
    const std::optional<std::string_view> pattern = n.value<std::string_view>();
    if (pattern && (pattern->starts_with('/') || pattern->find("..") != std::string_view::npos))
      return false;
  }
  return true;
}

void WriteFile(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

void CheckRoute(const Config& c, const Route& r) {
  FUZZ_CHECK(!r.key.empty(), "route without a key");
  if (r.receiver.starts_with("digest:")) {
    FUZZ_CHECK(c.FindDigest(r.receiver.substr(7)) != nullptr, "route to digest " + r.receiver);
  } else {
    FUZZ_CHECK(c.FindReceiver(r.receiver) != nullptr, "route to receiver " + r.receiver);
  }
  FUZZ_CHECK(r.escalation.empty() || c.FindEscalation(r.escalation) != nullptr,
             "route escalation " + r.escalation);
  for (const auto* names : {&r.mute_time_intervals, &r.active_time_intervals}) {
    for (const std::string& name : *names) {
      bool found = false;
      for (const TimeInterval& t : c.time_intervals) found = found || t.name == name;
      FUZZ_CHECK(found, "route time interval " + name);
    }
  }
  for (const Route& child : r.routes) CheckRoute(c, child);
}

void CheckRanges(const std::vector<std::pair<int, int>>& ranges, int lo, int hi, const char* what) {
  for (const auto& [a, b] : ranges) {
    FUZZ_CHECK(a >= lo && b <= hi, std::string(what) + " out of bounds");
  }
}

void CheckConfig(const Config& c) {
  CheckRoute(c, c.route);
  for (const TimeInterval& t : c.time_intervals) {
    FUZZ_CHECK(FindZone(t.timezone) != nullptr, "time interval zone " + t.timezone);
    for (const auto& [start, end] : t.times_minutes)
      FUZZ_CHECK(0 <= start && start < end && end <= 1440, "time interval times");
    CheckRanges(t.weekdays, 0, 6, "weekdays");
    CheckRanges(t.months, 1, 12, "months");
    CheckRanges(t.days_of_month, -31, 31, "days_of_month");
  }
  FUZZ_CHECK(TimeIntervalSet::Create(c.time_intervals).ok(), "time intervals do not compile");
  for (const DigestRule& d : c.digests) {
    FUZZ_CHECK(c.FindReceiver(d.receiver) != nullptr, "digest receiver " + d.receiver);
    FUZZ_CHECK(FindZone(d.timezone) != nullptr, "digest zone " + d.timezone);
  }
  for (const EscalationPolicy& e : c.escalations) {
    FUZZ_CHECK(!e.steps.empty(), "escalation without steps");
    FUZZ_CHECK(e.steps[0].after.count() >= 0, "first escalation step before the start");
    for (size_t i = 1; i < e.steps.size(); ++i)
      FUZZ_CHECK(e.steps[i].after > e.steps[i - 1].after, "escalation steps out of order");
    for (const EscalationStep& s : e.steps) {
      for (const std::string& to : s.to) {
        if (to.starts_with("rotation:"))
          FUZZ_CHECK(c.FindRotation(to.substr(9)) != nullptr, "escalation target " + to);
      }
    }
  }
  for (const Rotation& r : c.rotations) {
    FUZZ_CHECK(!r.members.empty(), "rotation without members");
    FUZZ_CHECK(r.shift.count() > 0, "rotation shift");
    FUZZ_CHECK(FindZone(r.timezone) != nullptr, "rotation zone " + r.timezone);
  }
}

}  // namespace
}  // namespace alertdigest

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alertdigest;
  static const bool quiet = (fuzz::QuietLogs(), true);
  (void)quiet;
  const std::vector<std::string_view> files =
      fuzz::Sections(fuzz::AsText(data, size), fuzz::kSectionSeparator);
  if (!RulesStayInside(files[0])) return -1;  // not added to the corpus

  const fs::path dir = fuzz::ScratchDir();
  const fs::path rules = dir / "rules";
  std::error_code ec;
  fs::remove_all(rules, ec);
  fs::create_directories(rules);
  WriteFile(dir / "config.toml", files[0]);
  for (size_t i = 1; i < files.size(); ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "%02zu.toml", i - 1);
    WriteFile(rules / name, files[i]);
  }

  const ConfigLoad load = LoadConfig((dir / "config.toml").string());
  for (const ConfigError& e : load.errors) {
    FUZZ_CHECK(!e.message.empty(), "error without a message: " + e.ToString());
  }
  for (const ConfigError& w : load.warnings) (void)w.ToString();
  FUZZ_CHECK((load.config != nullptr) == load.errors.empty(), "config and errors disagree");
  if (load.config) CheckConfig(*load.config);
  return 0;
}
