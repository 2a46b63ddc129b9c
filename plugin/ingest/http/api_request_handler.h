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
#include <memory>

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
