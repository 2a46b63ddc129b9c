#include "mute/inhibitor.h"

#include <utility>

namespace alertdigest {
namespace {

void KeepSmallest(std::optional<Fingerprint>& slot, Fingerprint fp) {
  if (!slot || fp < *slot) slot = fp;
}

}  // namespace

Inhibitor::Inhibitor(std::vector<InhibitRule> rules)
    : rules_(std::move(rules)), index_(rules_.size()) {}

std::string Inhibitor::EqualKey(const InhibitRule& rule, const LabelSet& labels) {
  std::string key;
  for (const std::string& name : rule.equal) {
    key += labels.Get(name);
    key += '\xff';
  }
  return key;
}

void Inhibitor::Index(const AlertTable& alerts, Timestamp now) {
  for (RuleIndex& idx : index_) idx.clear();
  alerts.ForEach([&](const Alert& alert) {
    if (alert.ResolvedAt(now)) return;
    Fingerprint fp = alert.fingerprint;
    for (size_t i = 0; i < rules_.size(); ++i) {
      const InhibitRule& rule = rules_[i];
      if (!MatchesAll(rule.source_matchers, alert.labels)) continue;
      Sources& s = index_[i][EqualKey(rule, alert.labels)];
      KeepSmallest(s.any, fp);
      if (!MatchesAll(rule.target_matchers, alert.labels)) KeepSmallest(s.source_side_only, fp);
    }
  });
}

std::optional<Fingerprint> Inhibitor::InhibitedBy(const Alert& target) const {
  for (size_t i = 0; i < rules_.size(); ++i) {
    const InhibitRule& rule = rules_[i];
    if (index_[i].empty() || !MatchesAll(rule.target_matchers, target.labels)) continue;
    auto it = index_[i].find(EqualKey(rule, target.labels));
    if (it == index_[i].end()) continue;
    // A target on both sides may only be inhibited by sources that are not (Alertmanager's
    // excludeTwoSidedMatch); that also keeps it from inhibiting itself.
    bool two_sided = MatchesAll(rule.source_matchers, target.labels);
    const std::optional<Fingerprint>& source =
        two_sided ? it->second.source_side_only : it->second.any;
    if (source) return source;
  }
  return std::nullopt;
}

}  // namespace alertdigest
