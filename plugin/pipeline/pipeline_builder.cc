#include "pipeline/pipeline_builder.h"

#include "pipeline/dedup_stage.h"
#include "pipeline/escalation_stage.h"
#include "pipeline/inhibit_stage.h"
#include "pipeline/silence_stage.h"
#include "pipeline/time_interval_stage.h"
#include "pipeline/outbox_stage.h"
#include "pipeline/render_stage.h"

namespace alertdigest {

std::unique_ptr<Pipeline> BuildNotificationPipeline(const Config& config,
                                                    const NotificationLog& log,
                                                    const EmailRenderer& renderer,
                                                    MuteState& mute, EscalationBook& escalations,
                                                    const AckLinks& links) {
  std::vector<std::unique_ptr<Stage>> stages;
  // DESIGN.md §1: inhibit → time intervals → silence → escalation episode → dedup against the
  // notification log → acknowledged reminders held → render → outbox. Muted alerts leave the
  // flush before dedup, so the log never records them as told.
  stages.push_back(std::make_unique<InhibitStage>(mute.inhibitor));
  stages.push_back(std::make_unique<TimeIntervalStage>(mute.intervals));
  stages.push_back(std::make_unique<SilenceStage>(mute.silencer));
  stages.push_back(std::make_unique<EscalationStage>(config, escalations, links));
  stages.push_back(std::make_unique<DedupStage>(log));
  stages.push_back(std::make_unique<AckStage>());
  stages.push_back(std::make_unique<RenderStage>(renderer));
  stages.push_back(std::make_unique<OutboxStage>());
  return std::make_unique<Pipeline>(std::move(stages));
}

}  // namespace alertdigest
