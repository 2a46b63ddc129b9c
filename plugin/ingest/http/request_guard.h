// RequestGuard: the checks every request passes before a handler sees it — bearer token, JSON
// content type, body size — and the per-alert label limits applied after decoding.
//
// Auth: when ServerConfig::auth_token_file is set, the token (whitespace-trimmed) is read once
// at Create(); a request must carry "Authorization: Bearer <token>" or Basic credentials whose
// password is the token (the user is ignored: Prometheus and Alertmanager can send either).
// The comparison takes the same time wherever the first difference is. The token is never
// logged or echoed.
//
// Thread-safety: immutable after Create(); all methods are const and thread-safe.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/alert.h"
#include "core/status.h"
#include "ingest/http/http_api.h"

namespace alertdigest::http {

class RequestGuard {
 public:
  // Errors: InvalidArgument "auth_token_file /x: cannot read: No such file or directory",
  // "auth_token_file /x: file is empty".
  static Result<RequestGuard> Create(const ServerConfig& cfg);

  bool auth_required() const { return !token_.empty(); }
  // True when no token is configured, or `authorization` (the header value) carries it.
  bool Authorized(std::string_view authorization) const;

  // application/json, with or without parameters (charset=utf-8), case-insensitive.
  static bool IsJsonContentType(std::string_view content_type);
  // application/x-www-form-urlencoded (an HTML form's POST), likewise.
  static bool IsFormContentType(std::string_view content_type);

  size_t max_body() const { return max_body_; }

  enum class BodyRead { kOk, kTooLarge, kFailed };
  // Reads `in` to its end into *body, stopping as soon as more than max_body() bytes came
  // (kTooLarge: the rest stays unread). kFailed when the stream broke (timeout, reset).
  BodyRead ReadBody(std::istream& in, std::string* body) const;

 private:
  RequestGuard(std::string token, size_t max_body)
      : token_(std::move(token)), max_body_(max_body) {}
  std::string token_;  // empty: no auth
  size_t max_body_;
};

// The first label limit `alert` breaks: field ("labels", "labels.<name>") and reason, or
// nothing when it keeps them all.
struct LimitViolation {
  std::string field;
  std::string reason;
};
std::optional<LimitViolation> CheckLabelLimits(const Alert& alert, const HttpLimits& limits);

}  // namespace alertdigest::http
