// AckApiClient: `alertdigest ack GROUP` talking to a running daemon's POST /api/v1/ack
// (ack_handler.h) at [server] listen, with the bearer token of auth_token_file when set
// (DaemonApiClient).
//
// Errors: Unavailable when no daemon answers ("no alertdigest daemon answers at
// 127.0.0.1:9095: connection refused; start `alertdigest serve`"); otherwise the daemon's own
// message, as InvalidArgument (400, or 401 "… (check auth_token_file)"), NotFound (404),
// FailedPrecondition (409), IoError (503: the daemon could not store it) or Internal. No Poco
// exception leaves it.
//
// Thread-safety: thread-compatible; each call opens its own connection.
#pragma once

#include "config/config.h"
#include "core/status.h"
#include "ingest/http/daemon_api_client.h"
#include "ingest/intake.h"

namespace alertdigest::http {

class AckApiClient {
 public:
  // Errors: InvalidArgument when listen is not host:port or the token file cannot be read.
  static Result<AckApiClient> Create(const ServerConfig& server);

  // Sends group, episode (when not 0), by, comment and via ("cli" or "api"); returns what the
  // daemon did.
  Result<AckResult> Acknowledge(const AckRequest& request) const;

  const std::string& address() const { return api_.address(); }  // "host:port" as dialled

 private:
  explicit AckApiClient(DaemonApiClient api) : api_(std::move(api)) {}
  DaemonApiClient api_;
};

}  // namespace alertdigest::http
