// SilenceApiClient: `alertdigest silence add|list|expire` talking to a running daemon's
// Alertmanager-compatible API at [server] listen (DaemonApiClient: plain HTTP; a wildcard listen
// address such as 0.0.0.0 or [::] is reached on loopback; with auth_token_file the bearer token
// is sent).
//
// Errors: Unavailable when no daemon answers ("no alertdigest daemon answers at
// 127.0.0.1:9095: connection refused; start `alertdigest serve`"); otherwise the daemon's own
// message, as InvalidArgument (400), NotFound (404) or Internal. No Poco exception leaves it.
//
// Thread-safety: thread-compatible; each call opens its own connection.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "ingest/http/daemon_api_client.h"
#include "ingest/http/silence_json.h"
#include "store/records.h"

namespace alertdigest::http {

class SilenceApiClient {
 public:
  // Errors: InvalidArgument when listen is not host:port or the token file cannot be read.
  static Result<SilenceApiClient> Create(const ServerConfig& server);

  // POST /api/v2/silences; returns the silence's id.
  Result<std::string> Add(const Silence& silence) const;
  // GET /api/v2/silences, in the daemon's order.
  Result<std::vector<ListedSilence>> List() const;
  // DELETE /api/v2/silence/{id}.
  Status Expire(const std::string& id) const;

  const std::string& address() const { return api_.address(); }  // "host:port" as dialled

 private:
  explicit SilenceApiClient(DaemonApiClient api) : api_(std::move(api)) {}
  DaemonApiClient api_;
};

}  // namespace alertdigest::http
