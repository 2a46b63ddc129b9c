// The one place the notification pipeline's order is written (STYLE.md habit 4).
#pragma once

#include <memory>

#include "pipeline/notification_log.h"
#include "pipeline/stage.h"
#include "render/email_renderer.h"

namespace alertdigest {

// `log` and `renderer` must outlive the pipeline.
std::unique_ptr<Pipeline> BuildNotificationPipeline(const NotificationLog& log,
                                                    const EmailRenderer& renderer);

}  // namespace alertdigest
