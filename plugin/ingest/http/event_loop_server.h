// EventLoopServer: HttpApi's server for plain HTTP (TLS stays with Poco's HTTPServer). A thread
// (HttpLimits::io_threads of them, each with its own connections) runs an epoll loop — accept,
// read, parse (RequestReader), check (Admit: the same checks as the Poco path), answer — so a
// request costs no thread hand-off of its own. By default there is one loop per CPU, pinned to
// it, and a connection is served by the loop on the CPU its client sends from
// (SO_INCOMING_CPU): at accept, and again between two requests when the client's thread has
// moved, as long as the loops stay balanced. Client and loop then trade requests and replies on
// one CPU, and a client's connections batch together in one loop. Then:
//   - the alert intake routes (Route::prepare) are decoded on the loop thread, and all requests
//     that arrive while the previous batch commits are handed to the engine together
//     (Intake::SubmitAllAsync: one wake-up, one commit); the loop keeps reading meanwhile and
//     answers each request when the engine says its batch is committed;
//   - every other route runs on a small worker pool (HttpLimits::worker_threads), as it may wait
//     for the engine (silences, acks, reload) or take a while (metrics).
// A connection handles one request at a time; pipelined requests wait in its buffer.
//
// Limits and slow clients: at most worker_threads + max_queued connections (beyond that a new
// one is closed at once, as Poco's full queue does); a request (head and body) must arrive
// within request_timeout of the accept or of the previous reply, a reply must be taken within
// request_timeout, and an idle keep-alive connection is closed after keep_alive_timeout.
// Cutting off a slow client counts in alertdigest_http_slow_connections_cut_total.
//
// Internal to ingest/http. Start/Stop from the owner thread.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "core/status.h"
#include "ingest/http/api_request_handler.h"
#include "ingest/http/http_api.h"

namespace alertdigest::http {

class EventLoopServer {
 public:
  // Serves the listening socket `listen_fd` (bound and listening; the server owns it from now
  // on) with `state`, which must outlive the server.
  static Result<std::unique_ptr<EventLoopServer>> Start(int listen_fd, ServerState& state,
                                                        Intake& intake, const HttpLimits& limits);

  // Stops accepting (the listening socket is closed: new clients are refused at once), answers
  // the requests in flight (at most limits.stop_grace), then closes every connection and joins
  // its threads. Idempotent; the destructor calls it.
  void Stop();
  ~EventLoopServer();

  EventLoopServer(const EventLoopServer&) = delete;
  EventLoopServer& operator=(const EventLoopServer&) = delete;

  class Loop;

 private:
  EventLoopServer();
  std::vector<std::unique_ptr<Loop>> loops_;
  std::atomic<size_t> open_connections_{0};  // of all loops: at most worker_threads + max_queued
  std::atomic<size_t> next_owner_{0};        // which loop takes the next connection
};

}  // namespace alertdigest::http
