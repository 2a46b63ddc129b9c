// Inhibitor: Alertmanager's inhibition (inhibit/inhibit.go). A target alert is muted while some
// firing source alert matches a rule's source_matchers, the target matches that rule's
// target_matchers, and every `equal` label has the same value on both (a label missing on both
// counts as equal: a missing label is the empty string).
//
// Self-inhibition, exactly as Alertmanager rules it: when the target matches the rule's source
// matchers too, only sources that do NOT match the target matchers count. So an alert matching
// both sides never inhibits itself, it does inhibit alerts matching only the target side, and
// two alerts that both match both sides do not mute each other.
//
// Usage: Index() the current alerts (e.g. once per group flush), then ask InhibitedBy() for each
// alert to be sent. Cost: Index is O(alerts × rules × matchers) per rebuild; InhibitedBy is
// O(rules × (matchers + equal labels)), independent of the number of alerts.
//
// Thread-compatible: const methods may run concurrently with each other, Index() must not run
// concurrently with anything.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "core/alert.h"
#include "core/alert_table.h"
#include "core/fingerprint.h"
#include "core/time.h"

namespace alertdigest {

class Inhibitor {
 public:
  explicit Inhibitor(std::vector<InhibitRule> rules);

  // Rebuilds the source index from `alerts` (keyed by fingerprint); only alerts firing at `now`
  // (not ResolvedAt(now)) are sources. Replaces the previous index.
  void Index(const AlertTable& alerts, Timestamp now);

  // The source that inhibits `target` under the first rule (in config order) that inhibits it;
  // among several sources of that rule, the smallest fingerprint. nullopt when not inhibited.
  std::optional<Fingerprint> InhibitedBy(const Alert& target) const;

  const std::vector<InhibitRule>& rules() const { return rules_; }

 private:
  // The sources of one rule sharing one tuple of equal-label values.
  struct Sources {
    std::optional<Fingerprint> any;               // smallest of all
    std::optional<Fingerprint> source_side_only;  // smallest not matching target_matchers
  };
  // Per rule: the equal-label values (joined with 0xff, which UTF-8 never contains) → sources.
  using RuleIndex = std::unordered_map<std::string, Sources>;

  static std::string EqualKey(const InhibitRule& rule, const LabelSet& labels);

  std::vector<InhibitRule> rules_;
  std::vector<RuleIndex> index_;  // parallel to rules_
};

}  // namespace alertdigest
