// SettingsParser: the flat sections of the main config file — [server], [storage], [delivery],
// [smtp] and [defaults] — read into their structs over the defaults that config.h initialises.
//
// Internal to plugin/config. Each problem goes to the reader's Diagnostics; a bad value leaves
// the default in place, so parsing goes on and every error of the file is reported at once.
#pragma once

#include <string>

#include "config/config.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {

class SettingsParser {
 public:
  // `root` is the main file's top-level table; relative paths are resolved against base_dir.
  SettingsParser(TomlReader& root, std::string base_dir) : root_(root), base_dir_(base_dir) {}

  // Reads all five sections (absent sections keep their defaults) into `cfg`.
  void Parse(Config& cfg);

 private:
  void ParseServer(TomlReader& r, ServerConfig& out);
  void ParseStorage(TomlReader& r, StorageConfig& out);
  void ParseDelivery(TomlReader& r, DeliveryConfig& out);
  void ParseRetry(TomlReader& r, RetryConfig& out);
  void ParseSmtp(TomlReader& r, SmtpConfig& out);
  void ParseDefaults(TomlReader& r, Defaults& out);
  // Reads a path-valued string key and resolves it against base_dir_.
  void ReadPath(TomlReader& r, std::string_view key, std::string& out);
  // Reads a duration that must be > 0.
  void ReadPositive(TomlReader& r, std::string_view key, Duration& out);

  TomlReader& root_;
  std::string base_dir_;
};

// Parses "1MiB", "512KiB", "10MB", "2048" (bytes). Units: B, KB, MB, GB (powers of 1000) and
// KiB, MiB, GiB (powers of 1024). The result is > 0.
Result<size_t> ParseByteSize(std::string_view text);

}  // namespace alertdigest::config_internal
