// The one place the notification pipeline's order is written (STYLE.md habit 4).
#pragma once

#include <memory>

#include "mute/inhibitor.h"
#include "mute/silencer.h"
#include "mute/time_interval.h"
#include "pipeline/ack_links.h"
#include "pipeline/escalation_book.h"
#include "pipeline/notification_log.h"
#include "pipeline/stage.h"
#include "render/email_renderer.h"

namespace alertdigest {

// What the muting stages consult; owned by the Engine (the API reads it too).
struct MuteState {
  Inhibitor inhibitor;
  Silencer silencer;
  TimeIntervalSet intervals;
};

// Everything referenced must outlive the pipeline.
std::unique_ptr<Pipeline> BuildNotificationPipeline(const Config& config,
                                                    const NotificationLog& log,
                                                    const EmailRenderer& renderer,
                                                    MuteState& mute, EscalationBook& escalations,
                                                    const AckLinks& links);

}  // namespace alertdigest
