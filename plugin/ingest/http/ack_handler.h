// AckHandler: acknowledgements over HTTP — the pages behind a signed ack link and the API.
//
//   GET  /ack/{token}   verifies the link and shows the confirmation page (ack_page.h) with the
//                       group, its firing alerts and a form. A GET NEVER acknowledges: mail
//                       scanners and link previews fetch links before anyone clicks them.
//   POST /ack/{token}   verifies the link again, then Intake::Acknowledge(group and episode of
//                       the link, the form's `by` and `comment`, via "link").
//   POST /api/v1/ack    {"group", "episode"?, "by", "comment"?, "via"?} (ack_request.h) →
//                       Intake::Acknowledge; 200 {"groupKey", "episode", "acknowledgedAt",
//                       "alreadyAcknowledged", "previousBy"}. Behind the bearer token like the
//                       rest of the API; errors as {"code":N,"message":"…"} (JsonErrorReply).
//
// Link pages need no bearer token: the signature is the credential. They are HTML with
// Cache-Control: no-store, X-Robots-Tag: noindex, Referrer-Policy: no-referrer and a
// Content-Security-Policy that allows no scripts and no requests. Refusals, each a small page:
//   403 malformed, forged or altered link ("This acknowledgement link is not valid: …");
//   410 expired (when, and how else to acknowledge: `alertdigest ack <group id>`, the API);
//   409 the episode is over (resolved, or new alerts joined the group);
//   404 unknown group, or no signer configured ("acknowledgement links are not enabled …");
//   400 the form lacks `by` (the form again); 503 the intake could not store it.
// Each refusal logs one line with the remote address and the token's AckTokenDigest — never the
// token, which is a credential until it expires.
//
// Counts every acknowledgement attempt (the POSTs) in alertdigest_acks_total{via,result};
// result: acknowledged, already_acknowledged, invalid_link, expired_link, episode_over,
// not_found, bad_request, unavailable, error.
//
// Thread-safety: immutable after construction; the methods are safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/ack_token.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "ingest/http/http_api.h"
#include "ingest/http/http_exchange.h"
#include "ingest/intake.h"

namespace alertdigest::http {

inline constexpr std::string_view kAckPathPrefix = "/ack/";

class AckHandler {
 public:
  // `options` as HttpApi::Start got them; what they point to outlives this handler.
  AckHandler(Intake& intake, MetricsRegistry& metrics, const AckLinkOptions& options);

  HttpReply GetLinkPage(const HttpRequest& request) const;
  HttpReply PostLinkPage(const HttpRequest& request) const;
  HttpReply PostApi(const HttpRequest& request) const;

 private:
  // The link's claim, or the refusal page to answer instead.
  std::optional<AckClaim> VerifyLink(const HttpRequest& request, std::string_view token,
                                     HttpReply* refusal) const;
  HttpReply LinkFailure(const HttpRequest& request, std::string_view token,
                        const Status& status) const;
  void Count(std::string_view via, std::string_view result) const;
  Timestamp Now() const;

  Intake& intake_;
  MetricsRegistry& metrics_;
  std::function<std::shared_ptr<const AckSigner>()> signer_;  // (AckLinkOptions::signer)
  const Clock* clock_;
  SystemClock system_clock_;
};

// The request target as it may be logged: "/ack/<token>…" becomes "/ack/~<AckTokenDigest>";
// every other target is returned unchanged.
std::string LoggableTarget(std::string_view target);

}  // namespace alertdigest::http
