#include "ingest/json_path.h"

#include <algorithm>
#include <vector>

namespace alertdigest {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipSpace(std::string_view s, size_t p) {
  while (p < s.size() && IsSpace(s[p])) ++p;
  return p;
}

// s[p] is '"'; returns the offset just past the closing quote.
size_t SkipString(std::string_view s, size_t p) {
  for (++p; p < s.size(); ++p) {
    if (s[p] == '\\') {
      ++p;
    } else if (s[p] == '"') {
      return p + 1;
    }
  }
  return s.size();
}

// Returns the offset just past the value starting at s[p]. Iterative: depth is only counted.
size_t SkipValue(std::string_view s, size_t p) {
  size_t depth = 0;
  while (p < s.size()) {
    char c = s[p];
    if (c == '"') {
      p = SkipString(s, p);
    } else if (c == '{' || c == '[') {
      ++depth, ++p;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return p;  // a scalar ended by its container
      --depth, ++p;
    } else if (depth == 0 && (c == ',' || IsSpace(c))) {
      return p;
    } else {
      ++p;
    }
    if (depth == 0 && (c == '"' || c == '}' || c == ']')) return p;
  }
  return p;
}

// Offset of member `key` of the object at s[p], or npos.
size_t FindMember(std::string_view s, size_t p, std::string_view key) {
  if (p >= s.size() || s[p] != '{') return std::string_view::npos;
  p = SkipSpace(s, p + 1);
  while (p < s.size() && s[p] == '"') {
    size_t end = SkipString(s, p);
    // Raw comparison: a key written with escapes is not found, and the caller falls back to the
    // enclosing value.
    bool match = s.substr(p + 1, end - p - 2) == key;
    p = SkipSpace(s, end);
    if (p >= s.size() || s[p] != ':') return std::string_view::npos;
    p = SkipSpace(s, p + 1);
    if (match) return p;
    p = SkipSpace(s, SkipValue(s, p));
    if (p >= s.size() || s[p] != ',') return std::string_view::npos;
    p = SkipSpace(s, p + 1);
  }
  return std::string_view::npos;
}

// Offset of element `index` of the array at s[p], or npos.
size_t FindElement(std::string_view s, size_t p, size_t index) {
  if (p >= s.size() || s[p] != '[') return std::string_view::npos;
  p = SkipSpace(s, p + 1);
  for (size_t i = 0; p < s.size() && s[p] != ']'; ++i) {
    if (i == index) return p;
    p = SkipSpace(s, SkipValue(s, p));
    if (p >= s.size() || s[p] != ',') return std::string_view::npos;
    p = SkipSpace(s, p + 1);
  }
  return std::string_view::npos;
}

}  // namespace

std::string JsonPath::ToString() const {
  std::vector<const JsonPath*> steps;
  for (const JsonPath* p = this; p->parent_ != nullptr; p = p->parent_) steps.push_back(p);
  std::string out = "$";
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    if ((*it)->index_ == kNoIndex) {
      out += '.';
      out += (*it)->key_;
    } else {
      out += '[' + std::to_string((*it)->index_) + ']';
    }
  }
  return out;
}

size_t JsonPath::OffsetIn(std::string_view json) const {
  std::vector<const JsonPath*> steps;
  for (const JsonPath* p = this; p->parent_ != nullptr; p = p->parent_) steps.push_back(p);
  size_t at = SkipSpace(json, 0);
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    size_t next = (*it)->index_ == kNoIndex ? FindMember(json, at, (*it)->key_)
                                            : FindElement(json, at, (*it)->index_);
    if (next == std::string_view::npos) break;
    at = next;
  }
  return std::min(at, json.size());
}

}  // namespace alertdigest
