#include "core/ack_token.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace alertdigest {
namespace {

constexpr size_t kMinKeyBytes = 16;
constexpr size_t kMacBytes = 32;  // SHA-256
constexpr std::string_view kVersion = "v1\n";
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

Status Malformed() { return Status::InvalidArgument("malformed ack link"); }

std::string EncodeBase64Url(std::string_view in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t n = static_cast<unsigned char>(in[i]) << 16 |
                       static_cast<unsigned char>(in[i + 1]) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (const size_t rest = in.size() - i; rest > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (rest == 2) n |= static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (rest == 2) out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

// Strict base64url without padding: only the URL-safe alphabet, no '=', and the canonical
// encoding only (unused trailing bits zero), so every byte string has exactly one spelling.
std::optional<std::string> DecodeBase64Url(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    const size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

// A canonical decimal int64: what std::to_string writes, nothing else.
std::optional<int64_t> ParseCanonicalInt(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (std::to_string(v) != text) return std::nullopt;  // "+1", "01", "-0"
  return v;
}

std::string Payload(const AckClaim& claim) {
  const int64_t expiry =
      std::chrono::floor<std::chrono::seconds>(claim.expires_at).time_since_epoch().count();
  return fmt::format("{}{}\n{}\n{}", kVersion, claim.group_key, claim.episode, expiry);
}

Result<AckClaim> ParsePayload(std::string_view payload) {
  if (!payload.starts_with(kVersion)) return Malformed();
  payload.remove_prefix(kVersion.size());
  const size_t expiry_nl = payload.rfind('\n');
  if (expiry_nl == std::string_view::npos || expiry_nl == 0) return Malformed();
  const size_t episode_nl = payload.rfind('\n', expiry_nl - 1);
  if (episode_nl == std::string_view::npos) return Malformed();
  std::optional<int64_t> episode =
      ParseCanonicalInt(payload.substr(episode_nl + 1, expiry_nl - episode_nl - 1));
  std::optional<int64_t> expiry = ParseCanonicalInt(payload.substr(expiry_nl + 1));
  // Seconds beyond what a millisecond Timestamp holds cannot be a real expiry.
  constexpr int64_t kMaxSeconds = INT64_MAX / 1000;
  if (!episode || !expiry || *expiry < 0 || *expiry > kMaxSeconds) return Malformed();
  AckClaim claim;
  claim.group_key = std::string(payload.substr(0, episode_nl));
  claim.episode = *episode;
  claim.expires_at = Timestamp{std::chrono::seconds(*expiry)};
  return claim;
}

// The two halves of "payload.mac", decoded; nullopt unless the token has exactly that shape.
struct TokenParts {
  std::string payload;
  std::string mac;
};
std::optional<TokenParts> Split(std::string_view token) {
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == token.size()) return std::nullopt;
  std::optional<std::string> payload = DecodeBase64Url(token.substr(0, dot));
  std::optional<std::string> mac = DecodeBase64Url(token.substr(dot + 1));  // a 2nd '.' fails here
  if (!payload || !mac || mac->size() != kMacBytes) return std::nullopt;
  return TokenParts{std::move(*payload), std::move(*mac)};
}

std::array<unsigned char, kMacBytes> Mac(const std::string& key, std::string_view payload) {
  std::array<unsigned char, kMacBytes> mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac.data(), &length);
  return mac;
}

}  // namespace

Result<AckSigner> AckSigner::Create(std::string key) {
  if (key.size() < kMinKeyBytes) {
    return Status::InvalidArgument(fmt::format("ack key is too short: {} bytes, at least {} needed",
                                               key.size(), kMinKeyBytes));
  }
  return AckSigner(std::move(key));
}

Result<AckSigner> AckSigner::LoadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec)) {
    const int error = in ? EISDIR : errno;
    return Status::InvalidArgument(
        fmt::format("ack_key_file {}: cannot read: {}", path, std::strerror(error)));
  }
  std::stringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string::npos) {
    return Status::InvalidArgument(fmt::format("ack_key_file {}: file is empty", path));
  }
  Result<AckSigner> signer = Create(text.substr(begin, text.find_last_not_of(kSpace) - begin + 1));
  if (!signer.ok()) return signer.status().Wrap("ack_key_file " + path);
  return signer;
}

std::string AckSigner::Sign(const AckClaim& claim) const {
  const std::string payload = Payload(claim);
  const auto mac = Mac(key_, payload);
  return EncodeBase64Url(payload) + "." +
         EncodeBase64Url({reinterpret_cast<const char*>(mac.data()), mac.size()});
}

Result<AckClaim> AckSigner::Verify(std::string_view token, Timestamp now) const {
  std::optional<TokenParts> parts = Split(token);
  if (!parts) return Malformed();
  // The signature first: nothing in an unauthenticated payload is looked at or reported.
  const auto expected = Mac(key_, parts->payload);
  if (CRYPTO_memcmp(expected.data(), parts->mac.data(), kMacBytes) != 0) {
    return Status::PermissionDenied("ack link signature does not match");
  }
  Result<AckClaim> claim = ParsePayload(parts->payload);
  if (!claim.ok()) return claim.status();
  if (now >= claim->expires_at) {
    return Status::DeadlineExceeded("ack link expired at " + FormatRfc3339(claim->expires_at));
  }
  return claim;
}

Result<AckClaim> AckSigner::Decode(std::string_view token) {
  std::optional<TokenParts> parts = Split(token);
  if (!parts) return Malformed();
  return ParsePayload(parts->payload);
}

std::string AckTokenDigest(std::string_view token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  std::string out;
  for (int i = 0; i < 6; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

}  // namespace alertdigest
