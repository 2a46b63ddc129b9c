#include "ingest/http/request_guard.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace alertdigest::http {
namespace {

std::string_view Trim(std::string_view s) {
  const char* kSpace = " \t\r\n\f\v";
  size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(kSpace);
  return s.substr(b, e - b + 1);
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return true;
}

// Equal strings in time that depends only on their lengths, not on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

// Standard base64 (RFC 4648 §4), padding optional; nullopt on any other character.
std::optional<std::string> DecodeBase64(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace

Result<RequestGuard> RequestGuard::Create(const ServerConfig& cfg) {
  std::string token;
  if (!cfg.auth_token_file.empty()) {
    std::ifstream in(cfg.auth_token_file, std::ios::binary);
    if (!in) {
      return Status::InvalidArgument(fmt::format("auth_token_file {}: cannot read: {}",
                                                 cfg.auth_token_file, std::strerror(errno)));
    }
    std::stringstream content;
    content << in.rdbuf();
    token = std::string(Trim(content.str()));
    if (token.empty()) {
      return Status::InvalidArgument(
          fmt::format("auth_token_file {}: file is empty", cfg.auth_token_file));
    }
  }
  return RequestGuard(std::move(token), cfg.max_body);
}

bool RequestGuard::Authorized(std::string_view authorization) const {
  if (token_.empty()) return true;
  std::string_view value = Trim(authorization);
  if (StartsWithNoCase(value, "Bearer ")) {
    return ConstantTimeEquals(Trim(value.substr(7)), token_);
  }
  if (StartsWithNoCase(value, "Basic ")) {
    std::optional<std::string> decoded = DecodeBase64(Trim(value.substr(6)));
    if (!decoded) return false;
    size_t colon = decoded->find(':');
    if (colon == std::string::npos) return false;
    return ConstantTimeEquals(std::string_view(*decoded).substr(colon + 1), token_);
  }
  return false;
}

bool RequestGuard::IsJsonContentType(std::string_view content_type) {
  std::string_view media = Trim(content_type.substr(0, content_type.find(';')));
  return media.size() == 16 && StartsWithNoCase(media, "application/json");
}

bool RequestGuard::IsFormContentType(std::string_view content_type) {
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  std::string_view media = Trim(content_type.substr(0, content_type.find(';')));
  return media.size() == kForm.size() && StartsWithNoCase(media, kForm);
}

RequestGuard::BodyRead RequestGuard::ReadBody(std::istream& in, std::string* body) const {
  body->clear();
  char buffer[16384];
  while (true) {
    in.read(buffer, sizeof buffer);
    std::streamsize n = in.gcount();
    if (n > 0) {
      if (body->size() + static_cast<size_t>(n) > max_body_) return BodyRead::kTooLarge;
      body->append(buffer, static_cast<size_t>(n));
    }
    if (in.eof()) return BodyRead::kOk;
    if (!in) return BodyRead::kFailed;
  }
}

std::optional<LimitViolation> CheckLabelLimits(const Alert& alert, const HttpLimits& limits) {
  if (alert.labels.size() > static_cast<size_t>(limits.max_labels_per_alert)) {
    return LimitViolation{"labels", fmt::format("{} labels, more than max_labels_per_alert ({})",
                                                alert.labels.size(), limits.max_labels_per_alert)};
  }
  for (LabelView label : alert.labels) {
    if (label.name.size() > static_cast<size_t>(limits.max_label_name_length)) {
      return LimitViolation{"labels",
                            fmt::format("label name \"{}{}\" is {} bytes, more than "
                                        "max_label_name_length ({})",
                                        label.name.substr(0, 32), label.name.size() > 32 ? "…" : "",
                                        label.name.size(), limits.max_label_name_length)};
    }
    if (label.value.size() > static_cast<size_t>(limits.max_label_value_length)) {
      return LimitViolation{"labels." + std::string(label.name),
                            fmt::format("value is {} bytes, more than max_label_value_length ({})",
                                        label.value.size(), limits.max_label_value_length)};
    }
  }
  return std::nullopt;
}

}  // namespace alertdigest::http
