#include "render/view_model.h"

#include <algorithm>
#include <cctype>

namespace alertdigest {
namespace {

using mustache::data;

// Every alert of the notification, firing first.
std::vector<const Alert*> AllAlerts(const Notification& n) {
  std::vector<const Alert*> all;
  for (const Alert& a : n.firing) all.push_back(&a);
  for (const Alert& a : n.resolved) all.push_back(&a);
  return all;
}

LabelSet Common(const std::vector<const Alert*>& all, const LabelSet Alert::*field) {
  if (all.empty()) return {};
  LabelSetBuilder common;
  for (LabelView l : all.front()->*field) {
    const bool everywhere = std::all_of(all.begin(), all.end(), [&](const Alert* a) {
      return (a->*field).Has(l.name) && (a->*field).Get(l.name) == l.value;
    });
    if (everywhere) common.Add(l.name, l.value);
  }
  return common.Build(false);
}

data LabelObject(const LabelSet& labels, size_t max_value_chars) {
  data obj;
  for (LabelView l : labels) obj.set(std::string(l.name), TruncateUtf8(l.value, max_value_chars));
  return obj;
}

// kainjow treats "" as true in {{#x}} sections, so optional fields are left out when empty:
// {{#runbook_url}}…{{/runbook_url}} then shows only when there is one.
void SetIfNotEmpty(data& d, const std::string& key, std::string value) {
  if (!value.empty()) d.set(key, value);
}

// URLs from alert data become href values: HTML escaping keeps them inside the attribute, but
// "javascript:" or "data:" would still run or open something on a click. Only absolute http(s)
// URLs of at most kMaxLinkBytes are links; anything else is left out (the annotation itself stays
// in annotations / annotation_list as text).
std::string LinkOrEmpty(std::string_view url) {
  auto starts_with_no_case = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
    }
    return true;
  };
  if (url.size() > kMaxLinkBytes) return "";
  if (!starts_with_no_case("http://") && !starts_with_no_case("https://")) return "";
  return std::string(url);
}

std::string Summary(size_t firing, size_t resolved) {
  if (firing > 0 && resolved > 0)
    return std::to_string(firing) + " firing, " + std::to_string(resolved) + " resolved";
  if (firing > 0) return std::to_string(firing) + " firing";
  if (resolved == 1) return "1 resolved";
  if (resolved > 1) return "all " + std::to_string(resolved) + " resolved";
  return "no alerts";
}

}  // namespace

mustache::data LabelListView(const LabelSet& labels, size_t max_value_chars) {
  data list{data::type::list};
  for (LabelView l : labels) {
    data item;
    item.set("name", std::string(l.name));
    item.set("value", TruncateUtf8(l.value, max_value_chars));
    list.push_back(item);
  }
  return list;
}

mustache::data AlertView(const Alert& a, bool firing, Timestamp now, const LabelSet& common) {
  constexpr size_t kNoLimit = std::string::npos;
  data d;
  const Fingerprint fp = a.fingerprint.value != 0 ? a.fingerprint : a.labels.ComputeFingerprint();
  d.set("fingerprint", fp.ToHex());
  d.set("status", firing ? "firing" : "resolved");
  d.set("is_firing", firing);
  d.set("labels", LabelObject(a.labels, kNoLimit));
  d.set("label_list", LabelListView(a.labels, kNoLimit));
  d.set("annotations", LabelObject(a.annotations, kMaxAnnotationChars));
  d.set("annotation_list", LabelListView(a.annotations, kMaxAnnotationChars));
  d.set("alertname", std::string(a.labels.Get("alertname")));
  d.set("summary", TruncateUtf8(AlertSummary(a), kMaxAnnotationChars));
  SetIfNotEmpty(d, "description",
                TruncateUtf8(a.annotations.Get("description"), kMaxAnnotationChars));
  SetIfNotEmpty(d, "runbook_url", LinkOrEmpty(a.annotations.Get("runbook_url")));
  SetIfNotEmpty(d, "generator_url", LinkOrEmpty(a.generator_url));
  SetIfNotEmpty(d, "starts_at", a.starts_at == kNoTime ? "" : FormatRfc3339(a.starts_at));
  SetIfNotEmpty(d, "ends_at", firing || a.ends_at == kNoTime ? "" : FormatRfc3339(a.ends_at));
  std::string duration;
  if (a.starts_at != kNoTime) {
    const Timestamp end = firing || a.ends_at == kNoTime ? now : a.ends_at;
    if (end != kNoTime && end >= a.starts_at) duration = HumanizeDuration(end - a.starts_at);
  }
  SetIfNotEmpty(d, "duration", duration);
  LabelSetBuilder extra;
  for (LabelView l : a.labels) {
    if (!common.Has(l.name)) extra.Add(l.name, l.value);
  }
  SetIfNotEmpty(d, "extra_labels", JoinLabels(extra.Build(false)));
  return d;
}

mustache::data AlertListView(const std::vector<Alert>& alerts, bool firing, Timestamp now,
                             const LabelSet& common) {
  data list{data::type::list};
  for (size_t i = 0; i < alerts.size() && i < kMaxListedAlerts; ++i) {
    list.push_back(AlertView(alerts[i], firing, now, common));
  }
  return list;
}

mustache::data AckView(const AckInfo& ack) {
  data d;
  d.set("by", ack.by.empty() ? std::string("someone") : ack.by);
  d.set("via", ack.via.empty() ? std::string("unknown") : ack.via);
  d.set("at", ack.at == kNoTime ? std::string("an unknown time") : FormatRfc3339(ack.at));
  d.set("comment", TruncateUtf8(ack.comment, kMaxAnnotationChars));
  d.set("has_comment", !ack.comment.empty());
  return d;
}

std::string TruncateUtf8(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((uint8_t(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars) return std::string(text.substr(0, i)) + "…";
    ++chars;
  }
  return std::string(text);
}

std::string JoinLabels(const LabelSet& labels) {
  std::string out;
  for (LabelView l : labels) {
    if (!out.empty()) out += ", ";
    out += l.name;
    out += '=';
    out += l.value;
  }
  return out;
}

std::string AlertSummary(const Alert& a) {
  if (a.annotations.Has("summary")) return std::string(a.annotations.Get("summary"));
  if (a.annotations.Has("description")) return std::string(a.annotations.Get("description"));
  return std::string(a.labels.Get("alertname"));
}

LabelSet CommonLabels(const Notification& n) { return Common(AllAlerts(n), &Alert::labels); }

LabelSet CommonLabels(const std::vector<Alert>& alerts) {
  std::vector<const Alert*> all;
  for (const Alert& a : alerts) all.push_back(&a);
  return Common(all, &Alert::labels);
}

std::string GroupTitle(const Notification& n) {
  std::string alertname(n.group_labels.Get("alertname"));
  if (alertname.empty()) alertname = std::string(CommonLabels(n).Get("alertname"));
  LabelSetBuilder others;
  for (LabelView l : n.group_labels) {
    if (l.name != "alertname") others.Add(l.name, l.value);
  }
  const std::string rest = JoinLabels(others.Build(false));
  if (alertname.empty()) return rest.empty() ? "alerts" : rest;
  return rest.empty() ? alertname : alertname + " (" + rest + ")";
}

mustache::data BuildViewModel(const Notification& n, const Receiver& receiver,
                              const Config& config) {
  const LabelSet common = CommonLabels(n);
  const bool has_firing = !n.firing.empty();
  data d;
  d.set("kind", std::string(EmailKindText(n.kind)));
  d.set("receiver", receiver.name);
  d.set("status", has_firing ? "firing" : "resolved");
  d.set("status_upper", has_firing ? "FIRING" : "RESOLVED");
  d.set("reason", std::string(NotifyReasonText(n.reason)));
  d.set("group_key", n.group_key);
  d.set("group_id", HashHex(n.group_key));
  d.set("group_labels", LabelListView(n.group_labels, std::string::npos));
  d.set("group_title", GroupTitle(n));
  d.set("common_labels", LabelListView(common, std::string::npos));
  SetIfNotEmpty(d, "common_labels_text", JoinLabels(common));
  d.set("common_annotations", LabelListView(Common(AllAlerts(n), &Alert::annotations), kMaxAnnotationChars));
  d.set("summary", Summary(n.firing.size(), n.resolved.size()));
  d.set("firing_count", std::to_string(n.firing.size()));
  d.set("resolved_count", std::to_string(n.resolved.size()));
  d.set("alert_count", std::to_string(n.firing.size() + n.resolved.size()));
  d.set("has_firing", has_firing);
  d.set("has_resolved", !n.resolved.empty());
  d.set("firing", AlertListView(n.firing, true, n.now, common));
  d.set("resolved", AlertListView(n.resolved, false, n.now, common));
  auto omitted = [](size_t total) {
    return std::to_string(total > kMaxListedAlerts ? total - kMaxListedAlerts : 0);
  };
  d.set("firing_omitted", omitted(n.firing.size()));
  d.set("resolved_omitted", omitted(n.resolved.size()));
  d.set("firing_truncated", n.firing.size() > kMaxListedAlerts);
  d.set("resolved_truncated", n.resolved.size() > kMaxListedAlerts);
  d.set("now", n.now == kNoTime ? "" : FormatRfc3339(n.now));
  d.set("external_url", PublicBaseUrl(config.server));
  // Escalation policies: the ack link while unacknowledged, who acknowledged once someone did.
  SetIfNotEmpty(d, "ack_url", n.ack_url);
  d.set("acknowledged", n.ack.has_value());
  if (n.ack) d.set("ack", AckView(*n.ack));
  return d;
}

}  // namespace alertdigest
