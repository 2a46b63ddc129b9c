// InhibitRuleParser: the [[inhibit_rule]] sections of the main file and the rule files
// (Alertmanager's inhibit_rules; DESIGN.md §3).
//
//   [[inhibit_rule]]
//   source_matchers = ['severity="critical"']   # at least one
//   target_matchers = ['severity="warning"']    # at least one
//   equal = ["cluster"]                         # label names, optional
//
// Each problem is reported at its line and key path, e.g.
//   config.toml:3: inhibit_rule[0].equal[0]: bad label name "1x"
// and the rule is then left out of Config::inhibit_rules.
//
// Internal to plugin/config; not thread-safe.
#pragma once

#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {

class InhibitRuleParser {
 public:
  explicit InhibitRuleParser(Diagnostics& diag) : diag_(diag) {}

  // Reads the [[inhibit_rule]] array of one file (main or rule file), appending valid rules.
  void Parse(TomlReader& file_root, std::vector<InhibitRule>& out);

 private:
  // Parses one matcher list; reports and returns false on any problem or when it is empty.
  bool ParseMatchers(TomlReader& r, std::string_view key, std::vector<Matcher>& out);

  Diagnostics& diag_;
};

}  // namespace alertdigest::config_internal
