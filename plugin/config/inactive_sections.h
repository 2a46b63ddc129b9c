// InactiveSections: [[inhibit_rule]], [[time_interval]], [[digest]], [[escalation]] and
// [[rotation]] — accepted in the config and rule files but not interpreted in this version.
//
// Each must be an array of tables with a unique string `name` (inhibit_rule has none); the
// other keys are not checked yet. Routes may already refer to time_interval and escalation
// names. One warning per section kind per load, at its first occurrence:
//   config.toml:40: digest: not active in this version yet; ignored
// Internal to plugin/config; not thread-safe.
#pragma once

#include <map>
#include <set>
#include <string>

#include "config/diagnostics.h"
#include "config/route_builder.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {

class InactiveSections {
 public:
  explicit InactiveSections(Diagnostics& diag) : diag_(diag) {}

  // Reads the five sections of one file (main or rule file).
  void Parse(TomlReader& file_root);

  // Adds the time_interval and escalation names seen so far to `names`.
  void AddNames(DefinedNames& names) const;

 private:
  Diagnostics& diag_;
  std::set<std::string> warned_;
  // kind → name → where first defined
  std::map<std::string, std::map<std::string, SourceLocation>> names_;
};

}  // namespace alertdigest::config_internal
