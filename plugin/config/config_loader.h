// ConfigLoader: one load of the main file and its rule files, from text to a validated Config.
//
// Order: parse the main file; read settings, routes, receivers, time intervals, inhibit rules,
// digests, escalations and rotations; expand `rules` (globs relative to the main file's
// directory, sorted, de-duplicated) and read each rule file's routes, receivers, time intervals,
// inhibit rules, digests, escalations and rotations; then build the route tree, which needs
// every receiver, interval, digest and escalation name; then check what refers across files
// (digest receivers, digests that select nothing, rotation targets of escalations, the
// ack_key_file that escalations need). All problems are collected, none stops the load.
// Internal to plugin/config; one instance per load; may throw only std::bad_alloc (the public
// entry points catch it).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/digest_parser.h"
#include "config/escalation_parser.h"
#include "config/inhibit_rule_parser.h"
#include "config/receiver_parser.h"
#include "config/rotation_parser.h"
#include "config/route_builder.h"
#include "config/time_interval_parser.h"

namespace alertdigest::config_internal {

class ConfigLoader {
 public:
  explicit ConfigLoader(const std::string& path);

  ConfigLoad Load(std::string_view text);
  // Reports an unreadable main file.
  ConfigLoad Fail(const std::string& why);

 private:
  std::vector<std::string> ExpandRules(TomlReader& root);
  void LoadRuleFile(const std::string& file);
  // [[digest]], [[escalation]] and [[rotation]] of one file.
  void ParseScheduleSections(TomlReader& file_root);
  // After the route tree: a route with an escalation needs [server] ack_key_file.
  void CheckAckKey();
  // Parses `text` as TOML; reports a syntax error and returns false on failure.
  bool ParseToml(std::string_view text, const std::string& file, toml::table& out);

  std::shared_ptr<Config> cfg_;
  Diagnostics diag_;
  RouteBuilder routes_{diag_};
  ReceiverParser receivers_;
  TimeIntervalParser intervals_{diag_};
  InhibitRuleParser inhibit_rules_{diag_};
  DigestParser digests_{diag_};
  EscalationParser escalations_{diag_};
  RotationParser rotations_{diag_};
};

// Reads a whole file; IoError "cannot read: <strerror>" on failure.
Result<std::string> ReadFile(const std::string& path);

}  // namespace alertdigest::config_internal
