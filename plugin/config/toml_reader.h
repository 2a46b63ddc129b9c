// TomlReader: reads typed values out of one toml++ table for the config parsers.
//
// Every getter records the key as known, reports a wrongly typed or malformed value to the
// Diagnostics (at the value's line, under "<path>.<key>") and returns nullopt for it; an absent
// key is simply nullopt. ReportUnknownKeys() then flags every key nobody asked for, suggesting
// a known key within edit distance 2, and rejects any key named "password" outright.
//
// Internal to plugin/config (toml++ stays out of config.h). Not thread-safe; the table, file
// name and Diagnostics must outlive the reader.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"

namespace alertdigest::config_internal {

// One element of a list of strings, with where it sits.
struct ListItem {
  std::string value;
  SourceLocation where;
  std::string key_path;  // "route.matchers[1]"
};

class TomlReader {
 public:
  TomlReader(const toml::table& table, std::string path, const std::string& file,
             Diagnostics& diag);

  const std::string& path() const { return path_; }
  const std::string& file() const { return file_; }
  Diagnostics& diag() const { return diag_; }

  // "<path>.<key>", the key quoted when it is not a bare TOML key.
  std::string PathOf(std::string_view key) const;
  // The table's own location, or the location of `key`'s value when present.
  SourceLocation Where() const;
  SourceLocation Where(std::string_view key) const;
  SourceLocation At(const toml::node& node) const;

  // Reports an error at `key` (its value, or the table when the key is absent).
  void Error(std::string_view key, std::string message) const;

  // Marks `key` known without reading it; returns the raw node or nullptr.
  const toml::node* Node(std::string_view key);

  std::optional<std::string> String(std::string_view key);
  std::optional<bool> Bool(std::string_view key);
  std::optional<int64_t> Int(std::string_view key);
  std::optional<Duration> Dur(std::string_view key);
  // A duration > 0; nullopt when absent, when "" (which means "none"), or when reported bad
  // ("must be greater than 0" for "0").
  std::optional<Duration> PositiveDurOrNone(std::string_view key);
  // An IANA time zone name known to the OS tzdb (case-sensitive): "unknown time zone \"x\"".
  std::optional<std::string> TimeZone(std::string_view key);
  // One of `choices`; the message lists them.
  std::optional<std::string> Enum(std::string_view key, const std::vector<std::string>& choices);
  // nullopt when absent or when any element is not a string (each such element is reported).
  std::optional<std::vector<ListItem>> StringList(std::string_view key);
  const toml::table* Table(std::string_view key);
  // `key` must be an array of tables ([[key]]); nullptr (and an error) otherwise.
  const toml::array* TableArray(std::string_view key);

  // Call once, after every getter: reports keys of the table that were never asked for.
  void ReportUnknownKeys();

  // "string", "integer", "boolean", "table", "array", …: for "expected X, got Y" messages.
  static std::string TypeName(const toml::node& node);
  static std::string TypeMismatch(std::string_view expected, const toml::node& node);

 private:
  const toml::table& table_;
  std::string path_;
  const std::string& file_;
  Diagnostics& diag_;
  std::set<std::string, std::less<>> known_;
};

// Levenshtein distance, for "did you mean" suggestions.
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace alertdigest::config_internal
