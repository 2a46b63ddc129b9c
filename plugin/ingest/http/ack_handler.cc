#include "ingest/http/ack_handler.h"

#include <fmt/format.h>

#include <vector>

#include "core/fingerprint.h"
#include "core/log.h"
#include "ingest/http/ack_page.h"
#include "ingest/http/ack_request.h"
#include "ingest/http/json_writer.h"

namespace alertdigest::http {
namespace {

// No scripts, no requests of any kind; inline styles only; the form may post only back here.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

constexpr const char* kInvalidLink =
    "This acknowledgement link is not valid: it was changed or not issued by this alertdigest.";

HttpReply HtmlReply(int status, std::string html) {
  HttpReply reply;
  reply.status = status;
  reply.content_type = "text/html; charset=utf-8";
  reply.body = std::move(html);
  reply.headers = {
      {"Cache-Control", "no-store"},         {"X-Robots-Tag", "noindex, nofollow"},
      {"Referrer-Policy", "no-referrer"},    {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "DENY"}};
  if (status == 503) reply.headers.emplace_back("Retry-After", "60");
  return reply;
}

int HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument:
      return 400;
    case Status::Code::kPermissionDenied:
      return 403;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kFailedPrecondition:
      return 409;
    case Status::Code::kDeadlineExceeded:
      return 410;
    case Status::Code::kUnavailable:
    case Status::Code::kIoError:
      return 503;
    default:
      return 500;
  }
}

std::string_view ResultLabel(int http_status) {
  switch (http_status) {
    case 400:
      return "bad_request";
    case 403:
      return "invalid_link";
    case 404:
      return "not_found";
    case 409:
      return "episode_over";
    case 410:
      return "expired_link";
    case 503:
      return "unavailable";
    default:
      return "error";
  }
}

std::string_view TokenOf(const HttpRequest& request) {
  return std::string_view(request.path).substr(kAckPathPrefix.size());
}

void LogRefusal(const HttpRequest& request, std::string_view token, int status,
                std::string_view reason) {
  log::Write(status >= 500 ? log::Level::kWarn : log::Level::kInfo, "ack link refused",
             {{"method", request.method},
              {"remote", request.remote_address},
              {"token", AckTokenDigest(token)},
              {"status", status},
              {"reason", reason}});
}

HttpReply EpisodeOverPage(std::string_view detail) {
  std::vector<std::string> text = {
      "This alert episode is over: its alerts resolved, or new alerts joined the group and "
      "started a new episode. There is nothing left to acknowledge with this link; if the group "
      "still fires, its newest notification carries a link of its own."};
  if (!detail.empty()) text.push_back("alertdigest said: " + std::string(detail) + ".");
  return HtmlReply(409, AckMessagePage("This alert episode is over", text));
}

}  // namespace

AckHandler::AckHandler(Intake& intake, MetricsRegistry& metrics, const AckLinkOptions& options)
    : intake_(intake), metrics_(metrics), signer_(options.signer), clock_(options.clock) {}

Timestamp AckHandler::Now() const { return clock_ ? clock_->Now() : system_clock_.Now(); }

void AckHandler::Count(std::string_view via, std::string_view result) const {
  metrics_
      .GetCounter("alertdigest_acks_total",
                  "Acknowledgement attempts, by channel (link, api, cli) and result.",
                  {{"via", std::string(via)}, {"result", std::string(result)}})
      .Inc();
}

HttpReply AckHandler::LinkFailure(const HttpRequest& request, std::string_view token,
                                  const Status& status) const {
  const int code = HttpStatusFor(status);
  LogRefusal(request, token, code, status.message());
  switch (code) {
    case 404:
      return HtmlReply(404, AckMessagePage("Alert group not found",
                                           {"No escalating alert group matches this link: it may "
                                            "have been removed from the configuration.",
                                            "alertdigest said: " + status.message() + "."}));
    case 409:
      return EpisodeOverPage(status.message());
    case 400:
      return HtmlReply(400, AckMessagePage("Not acknowledged", {status.message()}));
    case 503:
      return HtmlReply(
          503, AckMessagePage("Please try again",
                              {"alertdigest could not do this right now: " + status.message() + ".",
                               "Nothing was changed. Try again in a minute."}));
    default:
      return HtmlReply(500, AckMessagePage("Something went wrong",
                                           {"alertdigest failed: " + status.message() + "."}));
  }
}

std::optional<AckClaim> AckHandler::VerifyLink(const HttpRequest& request, std::string_view token,
                                               HttpReply* refusal) const {
  const std::shared_ptr<const AckSigner> signer = signer_ ? signer_() : nullptr;
  if (!signer) {
    LogRefusal(request, token, 404, "ack links are not enabled");
    *refusal = HtmlReply(
        404, AckMessagePage("Not enabled", {"On this alertdigest, acknowledgement links are not "
                                            "enabled (set [server] ack_key_file)."}));
    return std::nullopt;
  }
  Result<AckClaim> claim = signer->Verify(token, Now());
  if (claim.ok()) return std::move(claim).value();
  const Status& s = claim.status();
  if (s.code() == Status::Code::kDeadlineExceeded) {
    LogRefusal(request, token, 410, s.message());
    // Authentic (Verify checks the signature before the expiry): what it names may be shown.
    Result<AckClaim> expired = AckSigner::Decode(token);
    const std::string id = expired.ok() ? HashHex(expired->group_key) : "GROUP";
    *refusal = HtmlReply(
        410,
        AckMessagePage(
            "This link has expired",
            {"This acknowledgement link expired at " +
                 (expired.ok() ? FormatRfc3339(expired->expires_at) : std::string("…")) +
                 ". Links are valid for a limited time only.",
             "If the alerts still escalate, acknowledge them another way: on a host "
             "that reaches this alertdigest run the first command, or post the second "
             "document to its API with the API token."},
            {fmt::format("alertdigest ack {} --by \"your name\" -c config.toml", id),
             fmt::format("POST /api/v1/ack\n{{\"group\": \"{}\", \"by\": \"your name\"}}", id)}));
    return std::nullopt;
  }
  // Malformed, forged, altered, signed with another key: the same answer for all of them.
  LogRefusal(request, token, 403, s.message());
  *refusal = HtmlReply(
      403, AckMessagePage("Invalid link", {kInvalidLink,
                                           "If you copied it from an email, copy the whole link: "
                                           "some mail programs break long links in two."}));
  return std::nullopt;
}

HttpReply AckHandler::GetLinkPage(const HttpRequest& request) const {
  const std::string_view token = TokenOf(request);
  HttpReply refusal;
  std::optional<AckClaim> claim = VerifyLink(request, token, &refusal);
  if (!claim) return refusal;
  Result<AckPreview> preview = intake_.PreviewAck(claim->group_key, claim->episode);
  if (!preview.ok()) return LinkFailure(request, token, preview.status());
  if (!preview->current) {
    LogRefusal(request, token, 409, "the episode of the link is over");
    return EpisodeOverPage("");
  }
  return HtmlReply(200, AckConfirmPage(*preview, claim->expires_at, Now(), {}));
}

HttpReply AckHandler::PostLinkPage(const HttpRequest& request) const {
  const std::string_view token = TokenOf(request);
  HttpReply refusal;
  std::optional<AckClaim> claim = VerifyLink(request, token, &refusal);
  if (!claim) {
    Count("link", ResultLabel(refusal.status));
    return refusal;
  }
  Result<AckFormFields> form = DecodeAckForm(request.body);
  AckRequest ack;
  ack.group = claim->group_key;
  ack.episode = claim->episode;
  ack.via = "link";
  Status checked = form.status();
  if (form.ok()) {
    ack.by = form->by;
    ack.comment = form->comment;
    checked = CheckAckFields(ack);
  }
  if (!checked.ok()) {
    Count("link", "bad_request");
    LogRefusal(request, token, 400, checked.message());
    // The form again, with what was typed and why it was not enough.
    AckForm again{ack.by, ack.comment,
                  checked.message().starts_with("by: required")
                      ? "Please say who acknowledges: your name or address."
                      : checked.message()};
    Result<AckPreview> preview = intake_.PreviewAck(claim->group_key, claim->episode);
    return HtmlReply(400, preview.ok() && preview->current
                              ? AckConfirmPage(*preview, claim->expires_at, Now(), again)
                              : AckFormPage(again));
  }
  Result<AckResult> done = intake_.Acknowledge(ack);
  if (!done.ok()) {
    Count("link", ResultLabel(HttpStatusFor(done.status())));
    return LinkFailure(request, token, done.status());
  }
  Count("link", done->already_acked ? "already_acknowledged" : "acknowledged");
  log::Info("ack accepted", {{"group", done->group_key},
                             {"episode", done->episode},
                             {"by", ack.by},
                             {"via", "link"},
                             {"already", done->already_acked ? "true" : "false"},
                             {"remote", request.remote_address},
                             {"token", AckTokenDigest(token)}});
  return HtmlReply(200, AckDonePage(*done, ack.by));
}

HttpReply AckHandler::PostApi(const HttpRequest& request) const {
  Result<AckRequest> ack = DecodeAckJson(request.body);
  if (!ack.ok()) {
    Count("api", "bad_request");
    return JsonErrorReply(400, "bad acknowledgement: " + ack.status().message());
  }
  Result<AckResult> done = intake_.Acknowledge(*ack);
  if (!done.ok()) {
    const int code = HttpStatusFor(done.status());
    Count(ack->via, ResultLabel(code));
    return JsonErrorReply(code, done.status().message());
  }
  Count(ack->via, done->already_acked ? "already_acknowledged" : "acknowledged");
  log::Info("ack accepted", {{"group", done->group_key},
                             {"episode", done->episode},
                             {"by", ack->by},
                             {"via", ack->via},
                             {"already", done->already_acked ? "true" : "false"},
                             {"remote", request.remote_address}});
  JsonWriter w;
  w.BeginObject();
  w.Key("groupKey").String(done->group_key);
  w.Key("episode").Int(done->episode);
  w.Key("acknowledgedAt").Time(done->at);
  w.Key("alreadyAcknowledged").Bool(done->already_acked);
  w.Key("previousBy").String(done->previous_by);
  w.EndObject();
  HttpReply reply;
  reply.content_type = "application/json";
  reply.body = w.Take();
  return reply;
}

std::string LoggableTarget(std::string_view target) {
  if (!target.starts_with(kAckPathPrefix)) return std::string(target);
  std::string_view token = target.substr(kAckPathPrefix.size());
  token = token.substr(0, token.find('?'));
  return std::string(kAckPathPrefix) + "~" + AckTokenDigest(token);
}

}  // namespace alertdigest::http
