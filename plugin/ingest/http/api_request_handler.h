// ApiRequestHandler: the Poco side of one request — routing, RequestGuard checks, reading the
// body, calling the handler, sending the reply, metrics and the request log line. Internal to
// ingest/http (Poco types in its interface); HttpApi creates it through ApiRequestHandlerFactory.
//
// Request metrics: alertdigest_http_requests_total{handler,code} and
// alertdigest_http_request_duration_seconds{handler}; handler is the route's path, or "other".
// Log: one debug line per request (method, path, status, bytes, duration_ms); refusals also at
// info with their reason. Paths are logged through LoggableTarget(): an ack link's token never
// reaches the log. Nothing a handler or Poco throws escapes handleRequest().
//
// Thread-safety: one handler per request, on the server's worker threads; the shared
// ServerState is thread-safe.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/metrics.h"
#include "ingest/http/api_router.h"
#include "ingest/http/connection_deadlines.h"
#include "ingest/http/request_guard.h"

namespace alertdigest::http {

// What every request handler shares; owned by HttpApi, outlives the server.
struct ServerState {
  ServerState(Intake& intake, MetricsRegistry& m, const HttpLimits& limits, Timestamp started_at,
              RequestGuard g, const AckLinkOptions& ack)
      : router(intake, m, limits, started_at, ack),
        guard(std::move(g)),
        metrics(m),
        request_timeout(limits.request_timeout),
        keep_alive_timeout(limits.keep_alive_timeout),
        deadlines(m, limits.request_timeout, std::max(1, limits.max_queued)) {}

  ApiRouter router;
  RequestGuard guard;
  MetricsRegistry& metrics;
  Duration request_timeout;
  Duration keep_alive_timeout;
  ConnectionDeadlines deadlines;      // slow clients are cut off
  std::atomic<int> in_flight{0};      // requests between routing and the reply being sent
  std::atomic<bool> stopping{false};  // set by Stop(): new requests get 503 and a closed connection
};

// What the shared checks need of a request, from whichever server read it (Poco's for TLS, the
// event loop for plain HTTP).
struct RequestHead {
  std::string method;
  std::string target;  // as sent: path and query
  bool has_authorization = false;
  std::string authorization;
  std::string content_type;
  std::optional<uint64_t> content_length;
  bool chunked = false;
};

// A request routed and checked before its body is read: either a route and the request so far
// (method, path, query; the caller adds body, user agent and peer), or the refusal to send
// (503 while stopping, 400 bad target, 404, 405, 401, 415, 411, 413 by Content-Length).
struct Admission {
  const Route* route = nullptr;
  std::string label = "other";  // metric label: the route's, or "other"
  HttpRequest request;
  std::optional<HttpReply> refusal;
};
Admission Admit(const ServerState& state, const RequestHead& head);

// route.handle(request); what it throws becomes a 500.
HttpReply RunHandler(const Route& route, const HttpRequest& request);

// The request's metrics and log lines, once its reply is sent (or failed to send).
void RecordRequest(ServerState& state, std::string_view method, std::string_view target,
                   const std::string& label, const HttpReply& reply,
                   std::chrono::steady_clock::time_point start);

class ApiRequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiRequestHandler(ServerState& state) : state_(state) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  // Runs guard checks and the handler. Sets *label for metrics, clears *body_unread once the
  // body has been read in full.
  HttpReply Serve(Poco::Net::HTTPServerRequest& request, std::string* label, bool* body_unread);

  ServerState& state_;
};

class ApiRequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiRequestHandlerFactory(ServerState& state) : state_(state) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  ServerState& state_;
};

}  // namespace alertdigest::http
