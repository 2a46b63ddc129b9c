#include "pipeline/pipeline_builder.h"

#include "pipeline/dedup_stage.h"
#include "pipeline/outbox_stage.h"
#include "pipeline/render_stage.h"

namespace alertdigest {

std::unique_ptr<Pipeline> BuildNotificationPipeline(const NotificationLog& log,
                                                    const EmailRenderer& renderer) {
  std::vector<std::unique_ptr<Stage>> stages;
  // DESIGN.md §1 order. The muting stages come first as the rule engine grows:
  //   inhibit → time intervals → silence → ack/escalation → (here) dedup → render → outbox.
  stages.push_back(std::make_unique<DedupStage>(log));
  stages.push_back(std::make_unique<RenderStage>(renderer));
  stages.push_back(std::make_unique<OutboxStage>());
  return std::make_unique<Pipeline>(std::move(stages));
}

}  // namespace alertdigest
