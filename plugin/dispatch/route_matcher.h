// Walking the routing tree, as Alertmanager's Route.Match: a node matches when its matchers do;
// children are tried in order and the first matching child ends the walk unless it has
// `continue = true`; a node none of whose children match handles the alert itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace alertdigest {

// The routes that take the alert, in tree order (empty only if the root's matchers fail,
// which cannot happen: the root has none).
std::vector<const Route*> MatchRoutes(const Route& root, const LabelSet& labels);

// The labels the alert is grouped by on `route` (all of them for group_by = ["..."]).
LabelSet GroupLabelsFor(const Route& route, const LabelSet& labels);

// A route receiver "digest:<name>" sends alerts into that [[digest]] instead of grouping them.
inline constexpr std::string_view kDigestReceiverPrefix = "digest:";
inline bool IsDigestReceiver(std::string_view receiver) {
  return receiver.starts_with(kDigestReceiverPrefix);
}

// Alertmanager's group key: route key + ":" + group labels, e.g. {}/{team="db"}:{alertname="X"}.
std::string GroupKey(const Route& route, const LabelSet& group_labels);

}  // namespace alertdigest
