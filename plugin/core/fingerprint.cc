#include "core/fingerprint.h"

#include <fmt/format.h>

namespace alertdigest {

std::string Fingerprint::ToHex() const { return fmt::format("{:016x}", value); }

std::optional<Fingerprint> Fingerprint::FromHex(std::string_view hex) {
  if (hex.size() != 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : hex) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    v = (v << 4) | d;
  }
  return Fingerprint{v};
}

std::string HashHex(std::string_view text) { return Fingerprint{Fnv1a64().Add(text).value()}.ToHex(); }

}  // namespace alertdigest
