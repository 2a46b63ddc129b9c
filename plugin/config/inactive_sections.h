// InactiveSections: [[digest]], [[escalation]] and [[rotation]] — accepted in the config and
// rule files but not interpreted in this version ([[time_interval]] and [[inhibit_rule]] are
// active: time_interval_parser.h, inhibit_rule_parser.h).
//
// Each must be an array of tables with a unique string `name`; the other keys are not checked
// yet. Routes may already refer to escalation names. One warning per section kind per load, at its first occurrence:
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

  // Reads the three sections of one file (main or rule file).
  void Parse(TomlReader& file_root);

  // Adds the escalation names seen so far to `names`.
  void AddNames(DefinedNames& names) const;

 private:
  Diagnostics& diag_;
  std::set<std::string> warned_;
  // kind → name → where first defined
  std::map<std::string, std::map<std::string, SourceLocation>> names_;
};

}  // namespace alertdigest::config_internal
