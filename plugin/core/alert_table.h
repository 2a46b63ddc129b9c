// AlertTable: read access to the alerts known now, by fingerprint. The dispatcher's table keeps
// its own bookkeeping next to each alert, so readers (inhibition, the API, escalations, digests)
// see it through this interface; AlertMap is a plain map for tests and tools.
//
// Thread-compatible: call from the thread that owns the table (the engine thread).
#pragma once

#include <cstddef>
#include <functional>
#include <unordered_map>

#include "core/alert.h"

namespace alertdigest {

class AlertTable {
 public:
  // The alert with this fingerprint, or nullptr. Valid until the table changes.
  virtual const Alert* Find(Fingerprint fp) const = 0;
  virtual size_t size() const = 0;
  // Calls `f` for every alert, in no particular order. `f` must not change the table.
  virtual void ForEach(const std::function<void(const Alert&)>& f) const = 0;

 protected:
  ~AlertTable() = default;
};

class AlertMap final : public AlertTable {
 public:
  std::unordered_map<Fingerprint, Alert> alerts;

  const Alert* Find(Fingerprint fp) const override {
    auto it = alerts.find(fp);
    return it == alerts.end() ? nullptr : &it->second;
  }
  size_t size() const override { return alerts.size(); }
  void ForEach(const std::function<void(const Alert&)>& f) const override {
    for (const auto& [fp, a] : alerts) f(a);
  }
};

}  // namespace alertdigest
