// EscalationParser: the [[escalation]] sections of the main file and the rule files
// (DESIGN.md §3); routes name them with `escalation = "db-oncall"`.
//
//   [[escalation]]
//   name = "db-oncall"                                # required, unique across all files
//   steps = [                                         # required, at least one
//     { after = "0m",  to = ["rotation:db-primary"] },  # after: >= 0, strictly increasing
//     { after = "15m", to = ["db-lead@example.com"] },  # to: addresses or "rotation:<name>"
//   ]
//   repeat = "30m"                                    # > 0; "" or absent: no repeat
//   ack_timeout = ""                                  # > 0; "" or absent: an ack holds
//
// Each problem is reported at its line and key path, e.g.
//   config.toml:4: escalation[0].steps[1].after: must be later than the previous step (15m)
// A "rotation:<name>" target must name a [[rotation]] of any file; CheckReferences() reports
// the others once every file is read:
//   config.toml:3: escalation[0].steps[0].to[0]: undefined rotation "db" (defined: none)
//
// Internal to plugin/config; not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/route_builder.h"
#include "config/section_names.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {

// The prefix of an escalation target that means "whoever is on call in this [[rotation]]".
inline constexpr std::string_view kRotationTargetPrefix = "rotation:";

class EscalationParser {
 public:
  explicit EscalationParser(Diagnostics& diag) : diag_(diag) {}

  // Reads the [[escalation]] array of one file (main or rule file), appending to `out`.
  void Parse(TomlReader& file_root, std::vector<EscalationPolicy>& out);

  // Adds every escalation name seen so far to `names`.
  void AddNames(DefinedNames& names) const;

  // Call once, after every file: reports "rotation:<name>" targets naming no [[rotation]].
  void CheckReferences(const DefinedNames& names);

 private:
  void ParseSteps(TomlReader& r, std::vector<EscalationStep>& out);
  void ParseTargets(TomlReader& step, EscalationStep& out);

  Diagnostics& diag_;
  SectionNames names_{"escalation"};
  std::vector<ListItem> rotation_refs_;  // value: the rotation's name
};

}  // namespace alertdigest::config_internal
