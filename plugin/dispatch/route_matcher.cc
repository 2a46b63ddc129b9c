#include "dispatch/route_matcher.h"

namespace alertdigest {
namespace {

void Match(const Route& r, const LabelSet& labels, std::vector<const Route*>* out) {
  size_t before = out->size();
  for (const Route& child : r.routes) {
    if (!MatchesAll(child.matchers, labels)) continue;
    Match(child, labels, out);
    if (!child.continue_matching) break;
  }
  if (out->size() == before) out->push_back(&r);
}

}  // namespace

std::vector<const Route*> MatchRoutes(const Route& root, const LabelSet& labels) {
  std::vector<const Route*> out;
  if (MatchesAll(root.matchers, labels)) Match(root, labels, &out);
  return out;
}

LabelSet GroupLabelsFor(const Route& route, const LabelSet& labels) {
  if (route.group_by_all) return labels;
  LabelSet out;
  for (const std::string& name : route.group_by) {
    if (labels.Has(name)) out.Set(name, std::string(labels.Get(name)));
  }
  return out;
}

std::string GroupKey(const Route& route, const LabelSet& group_labels) {
  return route.key + ":" + group_labels.ToString();
}

}  // namespace alertdigest
