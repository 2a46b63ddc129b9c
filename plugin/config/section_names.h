// SectionNames: the `name` of every [[kind]] table ([[digest]], [[escalation]], [[rotation]]),
// unique across the main file and all rule files.
//
//   config.toml:2: digest[0].name: missing (each [[digest]] needs a name)
//   config.toml:9: digest[1].name: must not be empty
//   rules/a.toml:4: digest[0].name: duplicate digest "daily" (first defined at config.toml:2)
//
// Internal to plugin/config; one instance per kind per load; not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "config/config.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {

class SectionNames {
 public:
  explicit SectionNames(std::string kind) : kind_(std::move(kind)) {}

  // Reads and claims r's `name`. Returns it when it is a fresh, non-empty string; otherwise
  // reports the problem and returns nullopt.
  std::optional<std::string> Claim(TomlReader& r);

  // Adds every name claimed so far to `out`.
  void AddTo(std::set<std::string>& out) const;

 private:
  std::string kind_;
  std::map<std::string, SourceLocation> first_defined_;
};

}  // namespace alertdigest::config_internal
