// Diagnostics: collects the errors and warnings of one configuration load, in file order.
//
// Internal to plugin/config. Files are ranked in load order (main file first, then rule files);
// Take() sorts by (file rank, line) so messages read top to bottom however the checks ran.
// Not thread-safe: one instance per load.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace alertdigest::config_internal {

class Diagnostics {
 public:
  // Registers a file name (as shown in messages); files rank in registration order.
  void AddFile(const std::string& file);

  void Error(SourceLocation where, std::string key_path, std::string message);
  void Warning(SourceLocation where, std::string key_path, std::string message);

  bool has_errors() const { return !errors_.empty(); }

  // Moves the collected errors and warnings, sorted in file order, into `load`.
  void MoveTo(ConfigLoad& load);

 private:
  void SortInFileOrder(std::vector<ConfigError>& list) const;

  std::vector<std::string> files_;
  std::vector<ConfigError> errors_;
  std::vector<ConfigError> warnings_;
};

}  // namespace alertdigest::config_internal
