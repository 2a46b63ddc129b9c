// OutboxStage: the last stage. Puts the rendered mail into the outbox and the new
// notification-log entry into the flush's batch, so both commit in one transaction (a crash
// leaves both or neither: never a logged-but-lost mail, never a sent-but-unlogged one).
#pragma once

#include "pipeline/stage.h"

namespace alertdigest {

class OutboxStage final : public Stage {
 public:
  std::string_view name() const override { return "outbox"; }
  Result<StageOutcome> Process(FlushContext& ctx) override;
};

// The outbox row of a rendered mail, due at once (also for digests and escalation steps).
OutboxMessage ToOutbox(const Email& e, EmailKind kind, const std::string& group_key,
                       const std::string& receiver, Timestamp now);

}  // namespace alertdigest
