// The view model of an escalation mail (documented in docs/TEMPLATES.md, "Escalation view
// model"): the step, the policy, who is on call, the episode, the firing alerts (the same alert
// fields as group notifications, so the alert_text / alert_html partials work) and the ack link.
// Top-level names never collide with an alert's optional fields (starts_at, duration, …), so an
// alert without one never shows the mail's.
//
// Render-internal (exposes kainjow types). Pure function; thread-safe.
#pragma once

#include <string>

#include "config/config.h"
#include "render/digest_report.h"
#include "render/kainjow.h"

namespace alertdigest {

mustache::data BuildEscalationViewModel(const EscalationNotice& notice, const Config& config);

// The group's title as in group notifications (view_model.h GroupTitle).
std::string EscalationTitle(const EscalationNotice& notice);

}  // namespace alertdigest
