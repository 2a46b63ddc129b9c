// LabelSet: a set of name=value pairs kept sorted by name, unique names. Used for alert labels,
// annotations (same shape) and group labels. Value type; cheap to move, one allocation to copy.
//
// Memory: a set is one pointer to ONE heap block (none when empty): a count, then per label its
// name (an id in the process-wide name table, or its length when the name is stored inline) and
// the end offset of its characters, then the characters. Label names are few and repeat in every
// alert, so short ones are interned (bounded: at most kMaxInternedNames names of at most
// kMaxInternedNameLength bytes, valid label names only; others, e.g. from hostile input, are
// stored inline). Values are always inline. Both representations of a name compare, sort and
// hash the same.
//
// Thread-safety: a value type. Const methods may run concurrently; the name table is lock-free.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "core/fingerprint.h"

namespace alertdigest {

// A label to build sets from (initializer lists, tests).
struct Label {
  std::string name;
  std::string value;
  friend bool operator==(const Label&, const Label&) = default;
};

// What iterating a LabelSet yields: views into the set, valid until the set changes or dies.
struct LabelView {
  std::string_view name;
  std::string_view value;
  friend bool operator==(LabelView, LabelView) = default;
};

class LabelSet {
 public:
  static constexpr size_t kMaxInternedNames = 2048;
  static constexpr size_t kMaxInternedNameLength = 64;

  LabelSet() noexcept = default;
  LabelSet(std::initializer_list<Label> labels);
  LabelSet(const LabelSet& other);
  LabelSet(LabelSet&& other) noexcept : rep_(other.rep_) { other.rep_ = nullptr; }
  LabelSet& operator=(const LabelSet& other);
  LabelSet& operator=(LabelSet&& other) noexcept;
  ~LabelSet();

  // Inserts or replaces. Keeps the order; O(size) per call (rebuilds the block).
  void Set(std::string_view name, std::string_view value);
  // Appends without checks; call Normalize() after a batch of these. O(size) per call: to build
  // a set of more than a few labels, use LabelSetBuilder.
  void AppendUnsorted(std::string_view name, std::string_view value);
  // Sorts by name; on duplicate names the last one wins. Drops empty values when asked
  // (Alertmanager drops them on intake: foo="" is the same alert as no foo).
  void Normalize(bool drop_empty_values);

  // The value, or "" when absent (a missing label equals the empty string, as in Prometheus).
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;

  Fingerprint ComputeFingerprint() const;
  // {alertname="X", cluster="c"}: Prometheus' text form, values escaped as Go %q does.
  std::string ToString() const;

  bool empty() const { return rep_ == nullptr; }
  size_t size() const;

  class const_iterator {
   public:
    using iterator_category = std::input_iterator_tag;  // yields values, not references
    using iterator_concept = std::forward_iterator_tag;
    using value_type = LabelView;
    using difference_type = std::ptrdiff_t;
    using reference = LabelView;
    struct pointer {
      LabelView v;
      const LabelView* operator->() const { return &v; }
    };

    const_iterator() = default;
    LabelView operator*() const { return LabelSet::At(rep_, i_); }
    pointer operator->() const { return {**this}; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++i_;
      return old;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.i_ == b.i_ && a.rep_ == b.rep_;
    }

   private:
    friend class LabelSet;
    const_iterator(const char* rep, uint32_t i) : rep_(rep), i_(i) {}
    const char* rep_ = nullptr;
    uint32_t i_ = 0;
  };
  using iterator = const_iterator;

  const_iterator begin() const { return {rep_, 0}; }
  const_iterator end() const { return {rep_, static_cast<uint32_t>(size())}; }

  friend bool operator==(const LabelSet& a, const LabelSet& b);

 private:
  friend class LabelSetBuilder;

  static LabelView At(const char* rep, uint32_t i);
  // A block holding `labels` in the given order (nullptr when there are none).
  static char* Build(const LabelView* labels, size_t n);
  void Reset(char* rep);

  char* rep_ = nullptr;
};

// Builds a LabelSet in one allocation from labels in any order: what decoders use. Copies what it
// is given (the arguments may die right after Add). Reusable: Build() empties it and keeps its
// capacity, so a long-lived builder allocates nothing per label.
class LabelSetBuilder {
 public:
  void Add(std::string_view name, std::string_view value);
  // Sorted by name, the last of duplicate names wins, empty values dropped when asked.
  LabelSet Build(bool drop_empty_values);
  void Clear();
  bool empty() const { return labels_.empty(); }

 private:
  struct Pending {
    uint32_t name_offset, name_size, value_offset, value_size;
  };
  std::vector<Pending> labels_;
  std::string chars_;
  std::vector<LabelView> views_;
};

// True for names Prometheus accepts: [a-zA-Z_][a-zA-Z0-9_]*.
bool IsValidLabelName(std::string_view name);

}  // namespace alertdigest
