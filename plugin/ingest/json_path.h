// JsonPath: where in a JSON value a decoder is ("$", "$.alerts[0].endsAt"). Internal to ingest.
//
// A path is a chain of steps living on the stack while a decoder descends: each step points at
// its parent, so descending costs nothing; the text form and the position in the source are
// computed only when an error is reported.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace alertdigest {

class JsonPath {
 public:
  JsonPath() = default;  // the root, "$"

  // The child step. The parent must outlive the child (both are locals of nested calls).
  JsonPath Key(std::string_view key) const { return JsonPath(this, key, kNoIndex); }
  JsonPath Index(size_t index) const { return JsonPath(this, {}, index); }

  // "$", "$[3].labels.alertname", "$.alerts[0].endsAt".
  std::string ToString() const;

  // The byte offset in `json` of the value this path names, or, if a step cannot be followed,
  // of the deepest value that could be reached. `json` must be valid JSON whose root is this
  // path's root (it is scanned, not parsed; on invalid text the result is merely imprecise).
  size_t OffsetIn(std::string_view json) const;

 private:
  static constexpr size_t kNoIndex = static_cast<size_t>(-1);
  JsonPath(const JsonPath* parent, std::string_view key, size_t index)
      : parent_(parent), key_(key), index_(index) {}

  const JsonPath* parent_ = nullptr;
  std::string_view key_;
  size_t index_ = kNoIndex;
};

}  // namespace alertdigest
