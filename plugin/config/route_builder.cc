#include "config/route_builder.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace alertdigest::config_internal {
namespace {

std::string JoinNames(const std::set<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

void CheckDefined(Diagnostics& diag, const ListItem& ref, std::string_view what,
                  const std::set<std::string>& defined) {
  if (defined.contains(ref.value)) return;
  std::string known = defined.empty() ? "none" : JoinNames(defined);
  diag.Error(ref.where, ref.key_path,
             fmt::format("undefined {} \"{}\" (defined: {})", what, ref.value, known));
}

void RouteBuilder::ParseMain(TomlReader& file_root) {
  const toml::table* t = file_root.Table("route");
  if (!t) {
    if (!file_root.Node("route")) {
      diag_.Error({file_root.file(), 1}, "route",
                  "missing: the root route ([route] with a receiver) is required");
    }
    return;
  }
  TomlReader r(*t, "route", file_root.file(), diag_);
  root_ = ParseRoute(r);
  const toml::node* matchers = r.Node("matchers");
  if (matchers && matchers->as_array() && !matchers->as_array()->empty()) {
    r.Error("matchers", "the root route must not have matchers");
  }
  if (root_->active_time_intervals) {
    r.Error("active_time_intervals", "not allowed on the root route (it must always be active)");
  }
  if (!root_->receiver && !r.Node("receiver")) {
    r.Error("receiver", "the root route must have a receiver");
  }
}

void RouteBuilder::ParseRuleFile(TomlReader& file_root) {
  const toml::table* t = file_root.Table("route");
  if (!t) return;
  TomlReader r(*t, "route", file_root.file(), diag_);
  ParseChildren(r, rule_children_);
  for (const auto& [k, v] : *t) {
    if (k.str() == "routes") continue;
    diag_.Error(r.Where(k.str()), r.PathOf(k.str()),
                "a rule file may only add child routes ([[route.routes]])");
  }
}

void RouteBuilder::ParseChildren(TomlReader& r, std::vector<Spec>& out) {
  const toml::array* arr = r.TableArray("routes");
  if (!arr) return;
  for (size_t i = 0; i < arr->size(); ++i) {
    TomlReader child(*arr->get(i)->as_table(), fmt::format("{}[{}]", r.PathOf("routes"), i),
                     r.file(), diag_);
    out.push_back(ParseRoute(child));
  }
}

RouteBuilder::Spec RouteBuilder::ParseRoute(TomlReader& r) {
  Spec s;
  s.where = r.Where();
  s.key_path = r.path();
  if (auto items = r.StringList("matchers")) {
    for (const ListItem& item : *items) {
      Result<Matcher> m = Matcher::Parse(item.value);
      if (m.ok())
        s.matchers.push_back(std::move(m.value()));
      else
        diag_.Error(item.where, item.key_path, m.status().message());
    }
  }
  s.receiver = ReadName(r, "receiver");
  ParseGroupBy(r, s);
  s.group_wait = r.Dur("group_wait");
  for (auto [key, field] : {std::pair{"group_interval", &s.group_interval},
                            std::pair{"repeat_interval", &s.repeat_interval}}) {
    *field = r.Dur(key);
    if (*field && (*field)->count() <= 0) {
      r.Error(key, "must be greater than 0");
      field->reset();
    }
  }
  s.send_resolved = r.Bool("send_resolved");
  s.continue_matching = r.Bool("continue").value_or(false);
  s.mute_time_intervals = r.StringList("mute_time_intervals");
  s.active_time_intervals = r.StringList("active_time_intervals");
  s.escalation = ReadName(r, "escalation");
  ParseChildren(r, s.routes);
  r.ReportUnknownKeys();
  return s;
}

std::optional<ListItem> RouteBuilder::ReadName(TomlReader& r, std::string_view key) {
  auto v = r.String(key);
  if (!v) return std::nullopt;
  if (v->empty()) {
    r.Error(key, "must not be empty");
    return std::nullopt;
  }
  return ListItem{*v, r.Where(key), r.PathOf(key)};
}

void RouteBuilder::ParseGroupBy(TomlReader& r, Spec& s) {
  auto items = r.StringList("group_by");
  if (!items) return;
  std::vector<std::string> names;
  bool all = false;
  for (const ListItem& item : *items) {
    if (item.value == "...") {
      all = true;
    } else if (!IsValidLabelName(item.value)) {
      diag_.Error(item.where, item.key_path, fmt::format("bad label name \"{}\"", item.value));
    } else {
      names.push_back(item.value);
    }
  }
  if (all && items->size() > 1) {
    r.Error("group_by", "\"...\" (one group per alert) must be the only entry");
    return;
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  s.group_by = std::move(names);
  s.group_by_all = all;
}

void RouteBuilder::CheckReceiver(const ListItem& ref, const DefinedNames& names) {
  if (!ref.value.starts_with(kDigestReceiverPrefix)) {
    CheckDefined(diag_, ref, "receiver", names.receivers);
    return;
  }
  ListItem digest = ref;
  digest.value = ref.value.substr(kDigestReceiverPrefix.size());
  if (digest.value.empty()) {
    diag_.Error(ref.where, ref.key_path, "\"digest:\" needs a digest name (\"digest:daily-ops\")");
    return;
  }
  CheckDefined(diag_, digest, "digest", names.digests);
  if (names.digests.contains(digest.value)) routed_digests_.insert(digest.value);
}

Route RouteBuilder::Build(const Defaults& defaults, const DefinedNames& names) {
  if (!root_) return Route{};
  for (Spec& child : rule_children_) root_->routes.push_back(std::move(child));
  rule_children_.clear();
  // The root inherits timers and send_resolved from [defaults], as children do from it.
  Route defaults_route;
  defaults_route.group_wait = defaults.group_wait;
  defaults_route.group_interval = defaults.group_interval;
  defaults_route.repeat_interval = defaults.repeat_interval;
  defaults_route.send_resolved = defaults.send_resolved;
  return Resolve(*root_, defaults_route, /*is_root=*/true, names);
}

Route RouteBuilder::Resolve(const Spec& s, const Route& parent, bool is_root,
                            const DefinedNames& names) {
  Route r;
  r.matchers = s.matchers;
  r.receiver = parent.receiver;
  if (s.receiver) {
    CheckReceiver(*s.receiver, names);
    r.receiver = s.receiver->value;
  }
  r.group_by = s.group_by ? *s.group_by : parent.group_by;
  r.group_by_all = s.group_by ? s.group_by_all : parent.group_by_all;
  r.group_wait = s.group_wait.value_or(parent.group_wait);
  r.group_interval = s.group_interval.value_or(parent.group_interval);
  r.repeat_interval = s.repeat_interval.value_or(parent.repeat_interval);
  r.send_resolved = s.send_resolved.value_or(parent.send_resolved);
  r.continue_matching = s.continue_matching;
  auto intervals = [&](const std::optional<std::vector<ListItem>>& refs,
                       const std::vector<std::string>& inherited) {
    if (!refs) return inherited;
    std::vector<std::string> out;
    for (const ListItem& ref : *refs) {
      CheckDefined(diag_, ref, "time interval", names.time_intervals);
      out.push_back(ref.value);
    }
    return out;
  };
  r.mute_time_intervals = intervals(s.mute_time_intervals, parent.mute_time_intervals);
  r.active_time_intervals = intervals(s.active_time_intervals, parent.active_time_intervals);
  r.escalation = parent.escalation;
  if (s.escalation) {
    CheckDefined(diag_, *s.escalation, "escalation", names.escalations);
    if (!first_escalation_ && names.escalations.contains(s.escalation->value)) {
      first_escalation_ = *s.escalation;
    }
    r.escalation = s.escalation->value;
  }
  if (is_root) {
    r.key = "{}";
  } else {
    std::string m;
    for (const Matcher& matcher : s.matchers) m += (m.empty() ? "" : ",") + matcher.ToString();
    r.key = parent.key + "/{" + m + "}";
  }
  r.where = s.where;
  for (const Spec& child : s.routes) {
    Route c = Resolve(child, r, /*is_root=*/false, names);
    r.routes.push_back(std::move(c));
  }
  return r;
}

}  // namespace alertdigest::config_internal
