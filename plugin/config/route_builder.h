// RouteBuilder: the routing tree. Parses `[route]` of the main file and `[[route.routes]]` of
// rule files into an unresolved tree, then Build() applies inheritance (children take every
// unset option from their parent; the root takes timers and send_resolved from [defaults]),
// computes Alertmanager route keys, and checks that every named receiver, time interval and
// escalation is defined. A receiver "digest:<name>" names a [[digest]] instead of a [[receiver]]:
//   config.toml:7: route.routes[0].receiver: undefined digest "daily" (defined: none)
//
// Internal to plugin/config; not thread-safe. Problems go to the Diagnostics.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {

// Names that routes may refer to, collected from every file before Build().
struct DefinedNames {
  std::set<std::string> receivers;
  std::set<std::string> time_intervals;
  std::set<std::string> escalations;
  std::set<std::string> digests;
  std::set<std::string> rotations;
};

// The receiver prefix that sends a route's alerts into a [[digest]].
inline constexpr std::string_view kDigestReceiverPrefix = "digest:";

// Reports `ref` (a name at its key) unless `defined` holds it:
//   undefined <what> "<name>" (defined: a, b)
void CheckDefined(Diagnostics& diag, const ListItem& ref, std::string_view what,
                  const std::set<std::string>& defined);

class RouteBuilder {
 public:
  explicit RouteBuilder(Diagnostics& diag) : diag_(diag) {}

  // The main file's `route` table: the root and its children. Reports a missing root.
  void ParseMain(TomlReader& file_root);
  // A rule file's `route` table, which may hold only `routes`: appended to the root's children.
  void ParseRuleFile(TomlReader& file_root);

  // The resolved tree. Call once, after all files were parsed.
  Route Build(const Defaults& defaults, const DefinedNames& names);

  // After Build(): the digests that some route names as receiver "digest:<name>" (defined ones).
  const std::set<std::string>& routed_digests() const { return routed_digests_; }
  // After Build(): the first `escalation = "x"` (in tree order) that names a defined escalation.
  const std::optional<ListItem>& first_escalation() const { return first_escalation_; }

 private:
  // A route as written: unset options stay unset until Build() inherits them.
  struct Spec {
    std::vector<Matcher> matchers;
    std::optional<ListItem> receiver;
    std::optional<std::vector<std::string>> group_by;
    bool group_by_all = false;
    std::optional<Duration> group_wait, group_interval, repeat_interval;
    std::optional<bool> send_resolved;
    bool continue_matching = false;
    std::optional<std::vector<ListItem>> mute_time_intervals, active_time_intervals;
    std::optional<ListItem> escalation;
    std::vector<Spec> routes;
    SourceLocation where;
    std::string key_path;
  };

  Spec ParseRoute(TomlReader& r);
  void ParseChildren(TomlReader& r, std::vector<Spec>& out);
  void ParseGroupBy(TomlReader& r, Spec& spec);
  std::optional<ListItem> ReadName(TomlReader& r, std::string_view key);
  // `parent` supplies every option `spec` leaves unset (for the root: a Route made of [defaults]).
  Route Resolve(const Spec& spec, const Route& parent, bool is_root, const DefinedNames& names);
  void CheckReceiver(const ListItem& ref, const DefinedNames& names);

  Diagnostics& diag_;
  std::optional<Spec> root_;
  std::set<std::string> routed_digests_;
  std::optional<ListItem> first_escalation_;
  std::vector<Spec> rule_children_;  // from rule files, after the main file's children
};

}  // namespace alertdigest::config_internal
