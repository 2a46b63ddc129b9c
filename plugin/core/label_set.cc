#include "core/label_set.h"

#include <algorithm>

#include <fmt/format.h>

namespace alertdigest {
namespace {

// Go's strconv.Quote for the characters label values realistically hold.
void AppendQuoted(std::string* out, std::string_view v) {
  out->push_back('"');
  for (unsigned char c : v) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) *out += fmt::format("\\x{:02x}", c);
        else out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

}  // namespace

LabelSet::LabelSet(std::initializer_list<Label> labels) : labels_(labels) { Normalize(false); }

void LabelSet::Set(std::string name, std::string value) {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, const std::string& n) { return l.name < n; });
  if (it != labels_.end() && it->name == name) {
    it->value = std::move(value);
  } else {
    labels_.insert(it, {std::move(name), std::move(value)});
  }
}

void LabelSet::Normalize(bool drop_empty_values) {
  std::stable_sort(labels_.begin(), labels_.end(),
                   [](const Label& a, const Label& b) { return a.name < b.name; });
  // Last duplicate wins: keep the last element of each equal-name run.
  std::vector<Label> out;
  out.reserve(labels_.size());
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (i + 1 < labels_.size() && labels_[i + 1].name == labels_[i].name) continue;
    if (drop_empty_values && labels_[i].value.empty()) continue;
    out.push_back(std::move(labels_[i]));
  }
  labels_ = std::move(out);
}

std::string_view LabelSet::Get(std::string_view name) const {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it != labels_.end() && it->name == name) return it->value;
  return {};
}

bool LabelSet::Has(std::string_view name) const {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  return it != labels_.end() && it->name == name;
}

Fingerprint LabelSet::ComputeFingerprint() const {
  Fnv1a64 h;
  for (const Label& l : labels_) {
    h.Add(l.name).AddByte(0xff).Add(l.value).AddByte(0xff);
  }
  return Fingerprint{h.value()};
}

std::string LabelSet::ToString() const {
  std::string out = "{";
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (i) out += ", ";
    out += labels_[i].name;
    out += '=';
    AppendQuoted(&out, labels_[i].value);
  }
  out += '}';
  return out;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace alertdigest
