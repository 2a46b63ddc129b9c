// Alert identity: FNV-1a 64 over the labels sorted by name, each name and value followed by 0xff,
// exactly as prometheus/common's LabelSet.Fingerprint, so our fingerprints equal Alertmanager's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alertdigest {

class Fnv1a64 {
 public:
  static constexpr uint64_t kOffsetBasis = 14695981039346656037ULL;
  static constexpr uint64_t kPrime = 1099511628211ULL;

  Fnv1a64& Add(std::string_view bytes) {
    for (unsigned char c : bytes) AddByte(c);
    return *this;
  }
  Fnv1a64& AddByte(unsigned char c) {
    h_ = (h_ ^ c) * kPrime;
    return *this;
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = kOffsetBasis;
};

struct Fingerprint {
  uint64_t value = 0;

  // 16 lower-case hex digits, zero-padded ("4e0cdac755c2a543").
  std::string ToHex() const;
  static std::optional<Fingerprint> FromHex(std::string_view hex);

  friend bool operator==(Fingerprint, Fingerprint) = default;
  friend auto operator<=>(Fingerprint, Fingerprint) = default;
};

// 16 hex digits of FNV-1a 64 over arbitrary text (group keys → X-Alertdigest-Group).
std::string HashHex(std::string_view text);

}  // namespace alertdigest

template <>
struct std::hash<alertdigest::Fingerprint> {
  size_t operator()(alertdigest::Fingerprint f) const noexcept { return f.value; }
};
