// EscalationBook: the escalation state of every escalating group episode, in memory — the
// mirror of the store's escalations table. The EscalationStage writes it on group flushes, the
// Escalator (dispatch/escalator.h) on its own timers and on acknowledgements; both put their
// changes into a WriteBatch and apply them here only once the batch is committed, so memory
// never runs ahead of the state file.
//
// Thread-compatible: the engine thread owns it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "store/records.h"
#include "store/write_batch.h"

namespace alertdigest {

class EscalationBook {
 public:
  void Load(std::vector<EscalationRecord> records) {
    records_.clear();
    for (EscalationRecord& r : records) {
      std::string key = r.group_key;
      records_.emplace(std::move(key), std::move(r));
    }
  }
  const EscalationRecord* Find(const std::string& group_key) const {
    auto it = records_.find(group_key);
    return it == records_.end() ? nullptr : &it->second;
  }
  // Applies the escalation puts and deletes of a batch that was committed.
  void ApplyCommitted(const WriteBatch& batch) {
    for (const std::string& key : batch.deleted_escalations()) records_.erase(key);
    for (const auto& [key, record] : batch.escalations()) records_[key] = record;
  }
  const std::map<std::string, EscalationRecord>& records() const { return records_; }

 private:
  std::map<std::string, EscalationRecord> records_;
};

}  // namespace alertdigest
