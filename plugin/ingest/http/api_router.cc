#include "ingest/http/api_router.h"

#include "ingest/http/alerts_handler.h"
#include "ingest/http/health_handler.h"
#include "ingest/http/metrics_handler.h"
#include "ingest/http/silences_handler.h"
#include "ingest/http/status_handler.h"
#include "ingest/http/webhook_handler.h"

namespace alertdigest::http {

ApiRouter::ApiRouter(Intake& intake, MetricsRegistry& metrics, const HttpLimits& limits,
                     Timestamp started_at, const AckLinkOptions& ack)
    : submission_(intake, metrics, limits), ack_(intake, metrics, ack) {
  const AlertSubmission* submission = &submission_;
  const AckHandler* acks = &ack_;
  Intake* in = &intake;
  auto route = [this](std::string method, std::string path, bool open, bool json_body,
                      std::function<HttpReply(const HttpRequest&)> handle) {
    Route r;
    r.method = std::move(method);
    r.path = r.label = std::move(path);
    r.open = open;
    r.json_body = json_body;
    r.handle = std::move(handle);
    routes_.push_back(std::move(r));
  };
  route("POST", "/api/v2/alerts", false, true,
        [=](const HttpRequest& r) { return PostAlerts(r, *submission); });
  routes_.back().prepare = [=](const HttpRequest& r) {
    return submission->Prepare(r.body, PayloadShape::kAlertArray, AlertSourceOf(r));
  };
  route("GET", "/api/v2/alerts", false, false,
        [=](const HttpRequest& r) { return GetAlerts(r, *in); });
  route("GET", "/api/v2/silences", false, false,
        [=](const HttpRequest& r) { return GetSilences(r, *in); });
  route("POST", "/api/v2/silences", false, true,
        [=](const HttpRequest& r) { return PostSilences(r, *in); });
  const std::string silence(kSilencePathPrefix);
  route("GET", silence, false, false, [=](const HttpRequest& r) { return GetSilence(r, *in); });
  route("DELETE", silence, false, false,
        [=](const HttpRequest& r) { return DeleteSilence(r, *in); });
  for (size_t i = routes_.size() - 2; i < routes_.size(); ++i) {
    routes_[i].prefix = true;
    routes_[i].label = silence + "{silenceID}";
  }
  route("GET", "/api/v2/status", false, false,
        [=](const HttpRequest&) { return GetStatus(started_at); });
  route("POST", "/webhook/alertmanager", false, true,
        [=](const HttpRequest& r) { return PostWebhook(r, *submission); });
  routes_.back().prepare = [=](const HttpRequest& r) {
    return submission->Prepare(r.body, PayloadShape::kWebhook, "alertmanager");
  };
  route("GET", "/healthz", true, false, [](const HttpRequest&) { return GetHealthz(); });
  route("GET", "/readyz", true, false, [=](const HttpRequest&) { return GetReadyz(*in); });
  route("GET", "/metrics", false, false, [=](const HttpRequest&) { return GetMetrics(*in); });
  route("POST", "/-/reload", false, false, [=](const HttpRequest&) { return PostReload(*in); });
  route("POST", "/api/v1/ack", false, true, [=](const HttpRequest& r) { return acks->PostApi(r); });
  // Ack links: no bearer token (the signature is the credential); the POST is an HTML form.
  const std::string ack_link(kAckPathPrefix);
  route("GET", ack_link, true, false, [=](const HttpRequest& r) { return acks->GetLinkPage(r); });
  route("POST", ack_link, true, false, [=](const HttpRequest& r) { return acks->PostLinkPage(r); });
  for (size_t i = routes_.size() - 2; i < routes_.size(); ++i) {
    routes_[i].prefix = true;
    routes_[i].label = ack_link + "{token}";  // never the token itself
  }
  routes_.back().form_body = true;
}

const Route* ApiRouter::Find(std::string_view method, std::string_view path,
                             std::string* allow) const {
  allow->clear();
  for (const Route& r : routes_) {
    const bool hit = r.prefix ? path.size() > r.path.size() && path.starts_with(r.path) &&
                                    path.find('/', r.path.size()) == std::string_view::npos
                              : r.path == path;
    if (!hit) continue;
    if (r.method == method) return &r;
    if (!allow->empty()) *allow += ", ";
    *allow += r.method;
  }
  return nullptr;
}

}  // namespace alertdigest::http
