// The one view model every template sees (documented field by field in docs/TEMPLATES.md). Built
// from a Notification, its Receiver and the Config; values are data only (strings, booleans,
// lists, objects — never lambdas), so template syntax inside an alert's labels is never run.
//
// Size limits keep the HTML part under Gmail's ~102 KB clipping: at most kMaxListedAlerts alerts
// per list (the rest are counted in firing_omitted / resolved_omitted), and annotation values cut
// to kMaxAnnotationChars characters with "…". runbook_url and generator_url are set only for
// http(s) URLs (no "javascript:" links) of at most kMaxLinkBytes.
//
// Render-internal (exposes kainjow types). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/alert.h"
#include "render/email.h"
#include "render/kainjow.h"

namespace alertdigest {

inline constexpr size_t kMaxListedAlerts = 100;
inline constexpr size_t kMaxAnnotationChars = 2000;
// runbook_url / generator_url are links only when they are http(s) URLs of at most this size.
inline constexpr size_t kMaxLinkBytes = 8192;

mustache::data BuildViewModel(const Notification& n, const Receiver& receiver,
                              const Config& config);

// The pieces BuildViewModel is made of, shared with the escalation view model.
// One alert as the templates see it inside {{#firing}} / {{#resolved}}: `now` measures a firing
// alert's duration; labels in `common` are left out of extra_labels.
mustache::data AlertView(const Alert& a, bool firing, Timestamp now, const LabelSet& common);
// At most kMaxListedAlerts AlertViews, in the given order.
mustache::data AlertListView(const std::vector<Alert>& alerts, bool firing, Timestamp now,
                             const LabelSet& common);
// [{name, value}, …] with values cut at `max_value_chars` (std::string::npos: uncut).
mustache::data LabelListView(const LabelSet& labels, size_t max_value_chars);
// {by, via, at (RFC 3339), comment, has_comment}.
mustache::data AckView(const AckInfo& ack);

// annotations.summary, else annotations.description, else the alertname label.
std::string AlertSummary(const Alert& a);

// The alertname (group labels, else labels common to all alerts) plus the other group labels:
// "HighCPU (cluster=eu-1)", "HighCPU", "cluster=eu-1", or "alerts" when there is nothing to show.
std::string GroupTitle(const Notification& n);

// Labels whose name and value are the same in every alert of the notification.
LabelSet CommonLabels(const Notification& n);
// Labels whose name and value are the same in every alert of the list (empty list: none).
LabelSet CommonLabels(const std::vector<Alert>& alerts);

// "k=v, k2=v2".
std::string JoinLabels(const LabelSet& labels);

// At most `max_chars` UTF-8 characters; a cut text ends with "…".
std::string TruncateUtf8(std::string_view text, size_t max_chars);

}  // namespace alertdigest
