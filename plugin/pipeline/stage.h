// Stage: one step of the notification pipeline, with one signature (Alertmanager's notify.Stage).
// New behaviour is a new stage; the order is written once, in pipeline_builder.cc.
//
// Thread-compatible: stages run on the dispatcher's thread.
#pragma once

#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/alert_table.h"
#include "core/status.h"
#include "pipeline/flush_context.h"

namespace alertdigest {

enum class StageOutcome {
  kContinue,  // hand the context to the next stage
  kStop,      // nothing to do for this flush (e.g. deduplicated); not an error
};

class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string_view name() const = 0;
  // Called once before a round of flushes with the whole alert table (e.g. the inhibitor
  // indexes the firing sources here, instead of once per group).
  virtual void Prepare(const AlertTable& /*alerts*/, Timestamp /*now*/) {}
  // An error fails the flush: nothing of it is committed and the group retries at its next tick.
  virtual Result<StageOutcome> Process(FlushContext& ctx) = 0;
  // Called after a flush's batch was committed (e.g. to apply it to state the stage keeps in
  // memory, which must never run ahead of the state file).
  virtual void Committed(const WriteBatch& /*batch*/) {}
};

class Pipeline {
 public:
  explicit Pipeline(std::vector<std::unique_ptr<Stage>> stages) : stages_(std::move(stages)) {}
  void Prepare(const AlertTable& alerts, Timestamp now) const {
    for (const auto& stage : stages_) stage->Prepare(alerts, now);
  }
  void Committed(const WriteBatch& batch) const {
    for (const auto& stage : stages_) stage->Committed(batch);
  }
  // Runs the stages in order. Returns kStop if a stage stopped the flush.
  Result<StageOutcome> Run(FlushContext& ctx) const {
    for (const auto& stage : stages_) {
      auto r = stage->Process(ctx);
      if (!r.ok()) return r.status().Wrap(std::string(stage->name()));
      if (*r == StageOutcome::kStop) return StageOutcome::kStop;
    }
    return StageOutcome::kContinue;
  }

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
};

}  // namespace alertdigest
