// RenderStage: turns the flush into an Email. Resolved alerts are left out unless the route's
// send_resolved is set; when nothing is left to tell (all resolved, send_resolved = false) no
// mail is made but the flush goes on, so the notification log still records the resolution.
// Follow-ups in one group episode thread under the episode's first mail and keep its subject.
#pragma once

#include "pipeline/stage.h"
#include "render/email_renderer.h"

namespace alertdigest {

class RenderStage final : public Stage {
 public:
  explicit RenderStage(const EmailRenderer& renderer) : renderer_(renderer) {}
  std::string_view name() const override { return "render"; }
  Result<StageOutcome> Process(FlushContext& ctx) override;

 private:
  const EmailRenderer& renderer_;
};

// True while the previous log entry belongs to an episode still open (it had firing alerts).
inline bool EpisodeContinues(const NflogEntry* previous) {
  return previous != nullptr && !previous->firing.empty() && !previous->episode_message_id.empty();
}

}  // namespace alertdigest
