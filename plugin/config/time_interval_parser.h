// TimeIntervalParser: the [[time_interval]] sections of the main file and the rule files
// (Alertmanager's time_interval; DESIGN.md §3).
//
//   [[time_interval]]
//   name = "nights"                               # required, unique across all files
//   timezone = "Europe/Berlin"                    # IANA name, default "UTC"
//   times = [{ start = "22:00", end = "07:00" }]  # end exclusive; start > end crosses midnight
//   weekdays = ["monday:friday", "sunday"]
//   days_of_month = ["1:5", "-1"]                 # negative = from the month's end
//   months = ["january:march", "12"]
//   years = ["2026:2027"]
//
// Each malformed value is reported at its own line and key path, e.g.
//   config.toml:4: time_interval[0].weekdays[1]: bad weekday range "mon": unknown weekday "mon"
// and the interval is then left out of Config::time_intervals (its name still counts as defined,
// so routes naming it get no second error).
//
// Internal to plugin/config; not thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/route_builder.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {

class TimeIntervalParser {
 public:
  explicit TimeIntervalParser(Diagnostics& diag) : diag_(diag) {}

  // Reads the [[time_interval]] array of one file (main or rule file), appending valid ones.
  void Parse(TomlReader& file_root, std::vector<TimeInterval>& out);

  // Adds every interval name seen so far to `names`.
  void AddNames(DefinedNames& names) const;

 private:
  // Returns false when something in it was reported.
  bool ParseOne(TomlReader& r, TimeInterval& out);
  bool ParseTimes(TomlReader& r, TimeInterval& out);

  Diagnostics& diag_;
  std::map<std::string, SourceLocation> names_;  // name → where first defined
};

}  // namespace alertdigest::config_internal
