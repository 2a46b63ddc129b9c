#include "store/label_codec.h"

namespace alertdigest {
namespace {

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view* in, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    auto b = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

bool GetString(std::string_view* in, std::string_view* out) {
  uint64_t n;
  if (!GetVarint(in, &n) || n > in->size()) return false;
  *out = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

}  // namespace

std::string EncodeLabels(const LabelSet& labels) {
  std::string out;
  for (LabelView l : labels) {
    PutVarint(&out, l.name.size());
    out += l.name;
    PutVarint(&out, l.value.size());
    out += l.value;
  }
  return out;
}

std::optional<LabelSet> DecodeLabels(std::string_view bytes) {
  LabelSetBuilder ls;
  while (!bytes.empty()) {
    std::string_view name, value;
    if (!GetString(&bytes, &name) || !GetString(&bytes, &value)) return std::nullopt;
    ls.Add(name, value);
  }
  return ls.Build(false);
}

}  // namespace alertdigest
