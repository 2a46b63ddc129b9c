// DigestParser: the [[digest]] sections of the main file and the rule files (DESIGN.md §3).
//
//   [[digest]]
//   name = "daily-ops"                        # required, unique across all files
//   schedule = "0 8 * * 1-5"                  # required: cron, 5 fields (core/cron.h)
//   timezone = "Europe/Berlin"                # IANA name, default "UTC": the schedule's clock
//   matchers = ['severity=~"warning|info"']   # alerts it collects (besides routed ones)
//   receiver = "team"                         # required: an existing [[receiver]]
//   window = ""                               # "" (default): since the previous digest
//   send_empty = false                        # mail even when nothing happened
//   flapping_threshold = 3                    # fired more often than this = "flapping"
//
// Each problem is reported at its line and key path, e.g.
//   config.toml:3: digest[0].schedule: bad schedule "0 25 * * *": hour field "25": value 25 out
//   of range 0-23
// After the route tree is built, CheckReferences() reports an undefined receiver and a digest
// that collects nothing:
//   config.toml:1: digest[0]: selects no alerts: give it matchers or route alerts to receiver
//   "digest:daily-ops"
//
// Internal to plugin/config; not thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/route_builder.h"
#include "config/section_names.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {

class DigestParser {
 public:
  explicit DigestParser(Diagnostics& diag) : diag_(diag) {}

  // Reads the [[digest]] array of one file (main or rule file), appending to `out`.
  void Parse(TomlReader& file_root, std::vector<DigestRule>& out);

  // Adds every digest name seen so far to `names`.
  void AddNames(DefinedNames& names) const;

  // Call once, after the route tree is built. `routed` holds the digests that some route sends
  // alerts to (receiver "digest:<name>").
  void CheckReferences(const DefinedNames& names, const std::set<std::string>& routed);

 private:
  // What CheckReferences() needs of one digest as written.
  struct Written {
    std::optional<std::string> name;  // nullopt when it was reported
    std::optional<ListItem> receiver;
    bool has_matchers = false;
    SourceLocation where;
    std::string key_path;  // "digest[0]"
  };

  void ParseOne(TomlReader& r, DigestRule& out, Written& written);

  Diagnostics& diag_;
  SectionNames names_{"digest"};
  std::vector<Written> written_;
};

}  // namespace alertdigest::config_internal
