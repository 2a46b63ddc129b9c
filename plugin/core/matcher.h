// Label matchers with Prometheus' syntax and meaning: name, operator (= != =~ !~) and value.
// Regexes are RE2 syntax anchored at both ends; a missing label matches as "". RE2 guarantees
// linear-time matching, so a hostile pattern cannot stall the engine.
//
// Thread-safety: a Matcher is immutable after Parse and safe to use from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/label_set.h"
#include "core/status.h"

namespace re2 {
class RE2;
}

namespace alertdigest {

class Matcher {
 public:
  enum class Op { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

  // Parses `name="value"`, `name=~"regex"`, `name!=value` (quotes optional, Go-style escapes
  // inside quotes). Errors read like: bad matcher 'a~"b"': expected one of = != =~ !~ after "a".
  static Result<Matcher> Parse(std::string_view text);
  static Result<Matcher> Create(std::string name, Op op, std::string value);

  bool Matches(const LabelSet& labels) const { return MatchesValue(labels.Get(name_)); }
  bool MatchesValue(std::string_view value) const;

  const std::string& name() const { return name_; }
  Op op() const { return op_; }
  const std::string& value() const { return value_; }
  // Canonical text: severity=~"warning|info", the value quoted with \\ \" and \n escaped (as
  // Alertmanager writes it), on one line; Parse(ToString()) gives back the same matcher.
  std::string ToString() const;

 private:
  Matcher() = default;
  std::string name_;
  Op op_ = Op::kEqual;
  std::string value_;
  std::shared_ptr<const re2::RE2> re_;  // set for regex operators
};

// All of them match (an empty list matches everything).
bool MatchesAll(const std::vector<Matcher>& matchers, const LabelSet& labels);

}  // namespace alertdigest
