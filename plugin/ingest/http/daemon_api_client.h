// DaemonApiClient: one exchange with a running daemon's API at [server] listen — what the CLI
// verbs that talk to the daemon share (silence_api_client.h, ack_api_client.h). A wildcard
// listen address (0.0.0.0, [::], ":9095") is reached on loopback; with auth_token_file the
// bearer token is sent. With tls_cert it speaks HTTPS and trusts exactly that certificate (the
// daemon's own, read from the same config): checked in the handshake, before any byte of the
// request (or the token) goes out, whatever names the certificate carries. No Poco exception
// leaves it.
//
// Thread-safety: thread-compatible; each Exchange opens its own connection.
#pragma once

#include <string>

#include "config/config.h"
#include "core/status.h"

namespace alertdigest::http {

class DaemonApiClient {
 public:
  // Errors: InvalidArgument when listen is not host:port ("server.listen \"x\": expected
  // host:port") or the token file or tls_cert cannot be read. `user_agent` names the verb.
  static Result<DaemonApiClient> Create(const ServerConfig& server, std::string user_agent);

  struct Answer {
    int status = 0;
    std::string body;
  };
  // Sends `body` (as application/json when not empty) and returns the answer, whatever its
  // status. Unavailable when no daemon answers: "no alertdigest daemon answers at
  // 127.0.0.1:9095: connection refused; start `alertdigest serve`"; PermissionDenied when the
  // daemon's TLS certificate is not the one in tls_cert.
  Result<Answer> Exchange(const std::string& method, const std::string& path,
                          const std::string& body) const;

  const std::string& address() const { return address_; }  // "host:port" as dialled

  // The message of an error answer: a bare JSON string (Alertmanager's silence API),
  // {"message": …} or {"error": …}; otherwise the body itself.
  static std::string ErrorMessage(const std::string& body);

 private:
  DaemonApiClient(std::string host, int port, std::string token, std::string user_agent,
                  std::string tls_cert);

  std::string host_;
  int port_;
  std::string address_;
  std::string token_;
  std::string user_agent_;
  std::string tls_cert_;  // "": plain HTTP
};

}  // namespace alertdigest::http
