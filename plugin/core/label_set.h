// LabelSet: a set of name=value pairs kept sorted by name, unique names. Used for alert labels,
// annotations (same shape) and group labels. Value type; cheap to move.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/fingerprint.h"

namespace alertdigest {

struct Label {
  std::string name;
  std::string value;
  friend bool operator==(const Label&, const Label&) = default;
};

class LabelSet {
 public:
  LabelSet() = default;
  LabelSet(std::initializer_list<Label> labels);

  // Inserts or replaces. Keeps the order; O(n) insert, fine for the handful of labels alerts have.
  void Set(std::string name, std::string value);
  // Appends without checks; call Normalize() after a batch of these.
  void AppendUnsorted(std::string name, std::string value) {
    labels_.push_back({std::move(name), std::move(value)});
  }
  // Sorts by name; on duplicate names the last one wins. Drops empty values when asked
  // (Alertmanager drops them on intake: foo="" is the same alert as no foo).
  void Normalize(bool drop_empty_values);

  // The value, or "" when absent (a missing label equals the empty string, as in Prometheus).
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;

  Fingerprint ComputeFingerprint() const;
  // {alertname="X", cluster="c"}: Prometheus' text form, values escaped as Go %q does.
  std::string ToString() const;

  const std::vector<Label>& labels() const { return labels_; }
  bool empty() const { return labels_.empty(); }
  size_t size() const { return labels_.size(); }
  auto begin() const { return labels_.begin(); }
  auto end() const { return labels_.end(); }

  friend bool operator==(const LabelSet&, const LabelSet&) = default;

 private:
  std::vector<Label> labels_;  // sorted by name, names unique
};

// True for names Prometheus accepts: [a-zA-Z_][a-zA-Z0-9_]*.
bool IsValidLabelName(std::string_view name);

}  // namespace alertdigest
