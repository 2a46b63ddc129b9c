// ReceiverParser: the [[receiver]] tables of one file (main or rule file) into Receivers.
//
// Checks what can be checked per receiver: a unique non-empty name (across all files, so one
// parser serves the whole load), address shape, at least one recipient, template files exist,
// attach, and extra headers that cannot clash with the ones alertdigest writes.
// Internal to plugin/config; not thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {

class ReceiverParser {
 public:
  explicit ReceiverParser(std::string base_dir) : base_dir_(std::move(base_dir)) {}

  // Reads `file_root`'s "receiver" key (array of tables) and appends to `out`.
  void Parse(TomlReader& file_root, std::vector<Receiver>& out);

 private:
  void ParseOne(TomlReader& r, Receiver& out);
  // False when an address (or the list itself) was reported as bad.
  bool ParseAddresses(TomlReader& r, std::string_view key, std::vector<std::string>& out);
  void ParseTemplate(TomlReader& r, std::string_view key, TemplateRef& out);
  void ParseHeaders(TomlReader& r, std::map<std::string, std::string>& out);

  std::string base_dir_;
  std::map<std::string, SourceLocation, std::less<>> first_defined_;
};

// "a@example.com" or "Name <a@example.com>"; InvalidArgument naming the problem otherwise.
// Rejects CR/LF without echoing the value (it would break the message's own line).
Status ValidateAddress(std::string_view address);
// An RFC 5322 field name that alertdigest does not set itself (From, To, Subject, Content-*…).
Status ValidateHeaderName(std::string_view name);

}  // namespace alertdigest::config_internal
