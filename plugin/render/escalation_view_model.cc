#include "render/escalation_view_model.h"

#include "render/email.h"
#include "render/view_model.h"

namespace alertdigest {
namespace {

using mustache::data;

void SetIfNotEmpty(data& d, const std::string& key, const std::string& value) {
  if (!value.empty()) d.set(key, value);
}

}  // namespace

std::string EscalationTitle(const EscalationNotice& notice) {
  Notification n;
  n.group_labels = notice.group_labels;
  n.firing = notice.firing;
  return GroupTitle(n);
}

mustache::data BuildEscalationViewModel(const EscalationNotice& n, const Config& config) {
  const LabelSet common = CommonLabels(n.firing);
  data d;
  d.set("kind", "escalation");
  d.set("receiver", n.receiver);
  d.set("policy", n.policy);
  d.set("step", std::to_string(n.step));
  d.set("step_count", std::to_string(n.step_count));
  d.set("is_last_step", n.step >= n.step_count);
  d.set("repeat", n.repeat);
  d.set("late", n.late);
  data recipients{data::type::list};
  std::string recipients_text;
  for (const std::string& r : n.recipients) {
    data item;
    item.set("address", r);
    recipients.push_back(item);
    recipients_text += (recipients_text.empty() ? "" : ", ") + r;
  }
  d.set("recipients", recipients);
  d.set("recipients_text", recipients_text);
  SetIfNotEmpty(d, "on_call_note", n.on_call_note);
  d.set("group_key", n.group_key);
  d.set("group_id", HashHex(n.group_key));
  d.set("group_labels", LabelListView(n.group_labels, std::string::npos));
  d.set("group_title", EscalationTitle(n));
  d.set("common_labels", LabelListView(common, std::string::npos));
  SetIfNotEmpty(d, "common_labels_text", JoinLabels(common));
  d.set("episode", std::to_string(n.episode));
  SetIfNotEmpty(d, "episode_started_at",
                n.episode_started_at == kNoTime ? "" : FormatRfc3339(n.episode_started_at));
  SetIfNotEmpty(d, "episode_duration",
                n.episode_started_at != kNoTime && n.now != kNoTime && n.now >= n.episode_started_at
                    ? HumanizeDuration(n.now - n.episode_started_at)
                    : "");
  d.set("summary", std::to_string(n.firing.size()) + " firing");
  d.set("firing_count", std::to_string(n.firing.size()));
  d.set("has_firing", !n.firing.empty());
  d.set("firing", AlertListView(n.firing, true, n.now, common));
  d.set("firing_omitted", std::to_string(
                              n.firing.size() > kMaxListedAlerts ? n.firing.size() - kMaxListedAlerts : 0));
  d.set("firing_truncated", n.firing.size() > kMaxListedAlerts);
  SetIfNotEmpty(d, "ack_url", n.ack_url);
  if (!n.ack_url.empty() && n.ack_expires_at != kNoTime) {
    d.set("ack_expires_at", FormatRfc3339(n.ack_expires_at));
    if (n.now != kNoTime && n.ack_expires_at > n.now) {
      d.set("ack_expires_in", HumanizeDuration(n.ack_expires_at - n.now));
    }
  }
  d.set("now", n.now == kNoTime ? "" : FormatRfc3339(n.now));
  d.set("external_url", PublicBaseUrl(config.server));
  return d;
}

}  // namespace alertdigest
