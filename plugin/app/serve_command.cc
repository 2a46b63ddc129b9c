// `alertdigest serve`: the daemon behind its HTTP API, until SIGTERM or SIGINT; SIGHUP reloads.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <iostream>

#include "app/commands.h"
#include "app/daemon.h"
#include "core/ack_token.h"
#include "core/log.h"
#include "ingest/http/http_api.h"

namespace alertdigest {

int ServeCommand(const std::string& config_path) {
  // Signals are taken synchronously by this thread only: block them before any thread starts
  // (threads inherit the mask), then sigwait below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a client hanging up must not kill the daemon

  MetricsRegistry metrics;
  SystemClock clock;
  auto daemon = Daemon::Start(config_path, clock, metrics);
  if (!daemon.ok()) {
    std::cerr << "alertdigest serve: " << daemon.status().message() << '\n';
    return daemon.status().code() == Status::Code::kInvalidArgument ? 2 : 4;
  }
  const ServerConfig& server = (*daemon)->config()->server;
  HttpLimits limits;
  limits.max_alerts_per_request = server.max_alerts_per_request;
  limits.max_labels_per_alert = server.max_labels_per_alert;
  limits.max_label_name_length = server.max_label_name_length;
  limits.max_label_value_length = server.max_label_value_length;
  limits.io_threads = server.io_threads;
  limits.resolve_timeout = (*daemon)->config()->defaults.resolve_timeout;
  // Ack links are checked with the current config's key (the engine read it; a reload that
  // changes ack_key_file or the key in it counts from the next request).
  AckLinkOptions ack{[d = daemon->get()] { return d->ack_signer(); }, &clock};
  auto http = HttpApi::Start(server, limits, **daemon, metrics, ack);
  if (!http.ok()) {
    std::cerr << "alertdigest serve: " << http.status().message() << '\n';
    (*daemon)->Stop();
    return 4;
  }
  log::Info("serving", {{"listen", server.listen}, {"config", config_path}});

  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      Status s = (*daemon)->Reload();
      if (!s.ok())
        log::Error("SIGHUP: reload refused; still running the old configuration",
                   {{"err", s.message()}});
      continue;
    }
    log::Info("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    break;
  }
  (*http)->Stop();    // no new requests; in-flight ones finish (their commits included)
  (*daemon)->Stop();  // commits what is pending, lets the outbox finish the message in hand
  log::Info("stopped");
  return 0;
}

}  // namespace alertdigest
