// HttpApi: the daemon's HTTP listener. Alertmanager-compatible intake and read API plus the
// operational endpoints; plain HTTP on our event loops (event_loop_server.h: intake requests
// batched, no thread hand-off), TLS on Poco's HTTPServer:
//
//   POST /api/v2/alerts          Prometheus' push (JSON array)        → Intake::SubmitAllAsync
//   GET  /api/v2/alerts          gettableAlerts for amtool            ← Intake::ListAlerts
//   GET  /api/v2/status          enough of alertmanagerStatus for amtool's version check
//   POST /webhook/alertmanager   Alertmanager webhook v4 document     → Intake::SubmitAllAsync
//   GET  /healthz  /readyz       liveness; readiness = Intake::Ready()   (never need auth)
//   GET  /metrics                Intake::Metrics(), text format 0.0.4
//   POST /-/reload               Intake::Reload()
//   GET  /ack/{token}            confirmation page of a signed ack link  ← Intake::PreviewAck
//   POST /ack/{token}            the acknowledgement itself (form)      → Intake::Acknowledge
//   POST /api/v1/ack             acknowledgement by API / CLI (JSON)    → Intake::Acknowledge
//
// The ack pages (ack_handler.h) need no bearer token: the link's signature is the credential.
//
// Answers follow Alertmanager: 200 with an empty body once Submit() committed; a batch with bad
// alerts submits the good ones and answers 400 {"code":400,"message":"…"} naming each bad one
// by JSON path; 503 when the intake is unavailable (the client keeps its alerts). Limits and the
// bearer token are enforced by RequestGuard (request_guard.h). Poco stays inside this directory;
// no exception leaves it.
//
// Threading: Start() and Stop() from one owner thread; requests run on the event loops and their
// worker pools (or Poco's pool with TLS), which call Intake and MetricsRegistry concurrently.
// Both must outlive the HttpApi.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "config/config.h"
#include "core/ack_token.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "core/status.h"
#include "ingest/intake.h"

namespace alertdigest {

// Per-request input limits and server tuning. The first four come from [server] in the config.
struct HttpLimits {
  int max_alerts_per_request = 10000;  // more: the whole request is refused with 413
  int max_labels_per_alert = 128;      // more: that alert is rejected
  int max_label_name_length = 1024;    // bytes; longer: that alert is rejected
  int max_label_value_length = 65536;  // bytes; longer: that alert is rejected
  Duration resolve_timeout = std::chrono::minutes(5);  // endsAt of alerts that carry none

  int worker_threads = 8;  // concurrent connections being served
  // Plain HTTP: event-loop threads; each reads, decodes and (when the engine is free) ingests
  // its connections' requests itself. 0: one per CPU the process may run on (at most
  // kMaxAutoIoThreads), each pinned to its CPU and serving the connections whose client sends
  // from that CPU. N > 0: N loops, not pinned, taking connections in turn.
  int io_threads = 0;
  static constexpr int kMaxAutoIoThreads = 8;
  int max_queued = 64;  // accepted connections waiting for a worker; beyond that, refused
  Duration keep_alive_timeout = std::chrono::seconds(5);  // idle keep-alive holds a worker
  Duration receive_timeout = std::chrono::seconds(10);    // per read of a request
  // The whole request (head and body, from the accept or the previous reply), and each reply,
  // must get through within this: slower clients are cut off (connection_deadlines.h).
  Duration request_timeout = std::chrono::seconds(10);
  Duration stop_grace = std::chrono::seconds(5);  // Stop() waits this long for requests
};

// Signed acknowledgement links. Whatever `clock` names must outlive the HttpApi.
struct AckLinkOptions {
  // The key that checks the links, asked for per request, so a reload that changes the key (or
  // sets the first one) counts from its next request. Unset, or returning nullptr: /ack/*
  // answers 404 "… not enabled …".
  std::function<std::shared_ptr<const AckSigner>()> signer;
  const Clock* clock = nullptr;  // link expiry is checked against it; nullptr: system time

  // Always the same signer, which must outlive the HttpApi (tests, tools).
  static std::function<std::shared_ptr<const AckSigner>()> Fixed(const AckSigner* s) {
    return [s] { return std::shared_ptr<const AckSigner>(std::shared_ptr<void>(), s); };
  }
};

class HttpApi {
 public:
  // Binds cfg.listen ("127.0.0.1:9095", "[::1]:9095", ":9095" = all interfaces; port 0 picks a
  // free port, see port()), loads the TLS certificate and key when cfg.tls_cert is set, reads
  // the bearer token from cfg.auth_token_file when set, and starts serving. Errors
  // (InvalidArgument or IoError) read "listen 127.0.0.1:9095: address already in use",
  // "tls_cert /x.pem: …", "auth_token_file /x: file is empty". The ack key is not read here:
  // the caller passes a signer (AckSigner::LoadKeyFile(cfg.ack_key_file)) in `ack`.
  static Result<std::unique_ptr<HttpApi>> Start(const ServerConfig& cfg, const HttpLimits& limits,
                                                Intake& intake, MetricsRegistry& metrics,
                                                const AckLinkOptions& ack = {});

  // Stops accepting connections, lets requests in flight finish (at most limits.stop_grace),
  // then closes every connection and joins the workers. Idempotent; the destructor calls it.
  void Stop();
  ~HttpApi();

  // The bound port (the real one when cfg.listen asked for port 0).
  uint16_t port() const;

  HttpApi(const HttpApi&) = delete;
  HttpApi& operator=(const HttpApi&) = delete;

  class Impl;

 private:
  explicit HttpApi(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace alertdigest
