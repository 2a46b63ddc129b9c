// RotationParser: the [[rotation]] sections of the main file and the rule files (DESIGN.md §3);
// escalation steps name them with "rotation:<name>" (schedule/rotation.h says who is on call).
//
//   [[rotation]]
//   name = "db-primary"                       # required, unique across all files
//   members = ["ann@example.com", "bob@example.com"]   # required, addresses, in turn order
//   shift = "1w"                              # default "1w"; whole weeks with a weekday
//                                             # hand-off, otherwise whole days
//   handoff = "mon 09:00"                     # "HH:MM" or "<weekday> HH:MM" (mon…sun or
//                                             # monday…sunday); default "mon 09:00" when the
//                                             # shift is whole weeks, else "09:00"
//   timezone = "Europe/Berlin"                # IANA name, default "UTC": the hand-off's clock
//   start = "2026-03-02"                      # local date of members[0]'s first hand-off (a
//                                             # string or a TOML date); on the hand-off weekday;
//                                             # default: the first hand-off day on or after
//                                             # 1970-01-01
//   overrides = [                             # fixed periods with someone else on call
//     { name = "ann-away", start = "2026-03-04T09:00:00+01:00", end = "2026-03-06T09:00:00+01:00",
//       member = "cat@example.com" },         # RFC 3339 (string or TOML offset date-time)
//   ]
//
// Each problem is reported at its line and key path, e.g.
//   config.toml:5: rotation[0].shift: must be a whole number of weeks with a weekday hand-off,
//   got 10d
//
// Internal to plugin/config; not thread-safe.
#pragma once

#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/route_builder.h"
#include "config/section_names.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {

class RotationParser {
 public:
  explicit RotationParser(Diagnostics& diag) : diag_(diag) {}

  // Reads the [[rotation]] array of one file (main or rule file), appending to `out`.
  void Parse(TomlReader& file_root, std::vector<Rotation>& out);

  // Adds every rotation name seen so far to `names`.
  void AddNames(DefinedNames& names) const;

 private:
  void ParseOne(TomlReader& r, Rotation& out);
  void ParseMembers(TomlReader& r, Rotation& out);
  // handoff and shift together: the shift's unit depends on the hand-off's weekday.
  void ParseHandoffAndShift(TomlReader& r, Rotation& out);
  void ParseStart(TomlReader& r, Rotation& out);
  void ParseOverrides(TomlReader& r, Rotation& out);

  Diagnostics& diag_;
  SectionNames names_{"rotation"};
};

}  // namespace alertdigest::config_internal
