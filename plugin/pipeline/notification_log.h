// NotificationLog: the in-memory view of the notification log (what was last sent per receiver
// and group). Loaded from the store at start; updated only after the batch holding new entries
// has been committed, so memory never runs ahead of the durable log.
//
// Thread-compatible: owned by the dispatcher's thread.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/write_batch.h"

namespace alertdigest {

class NotificationLog {
 public:
  void Load(std::vector<NflogEntry> entries) {
    for (auto& e : entries) Put(std::move(e));
  }
  const NflogEntry* Find(const std::string& receiver, const std::string& group_key) const {
    auto it = entries_.find({receiver, group_key});
    return it == entries_.end() ? nullptr : &it->second;
  }
  // Call after `batch` was written successfully.
  void ApplyCommitted(const WriteBatch& batch) {
    for (const NflogEntry& e : batch.nflog()) Put(e);
  }
  size_t size() const { return entries_.size(); }

 private:
  void Put(NflogEntry e) {
    auto key = std::make_pair(e.receiver, e.group_key);
    entries_[std::move(key)] = std::move(e);
  }
  std::map<std::pair<std::string, std::string>, NflogEntry> entries_;
};

}  // namespace alertdigest
