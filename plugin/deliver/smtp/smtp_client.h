// SmtpClient: one SMTP connection, driven command by command over Poco's
// SecureSMTPClientSession, so that what Poco 1.11 gets wrong (poco-smtp notes) never happens:
//   - connect with a timeout, TCP_NODELAY (22 → 600 msg/s), send and receive timeouts;
//   - STARTTLS only when advertised, and the certificate checked against the host NAME we
//     connected to (Poco would check the peer IP); VERIFY_STRICT, so loopback is checked too;
//   - our own AUTH PLAIN / LOGIN / XOAUTH2 (Poco's LOGIN mis-reads unknown prompts, its XOAUTH2
//     leaves the server mid-AUTH on a bad token);
//   - our own envelope: MAIL FROM:<a>, one RCPT per address with its own outcome, RSET after a
//     failed transaction, the serialised message dot-stuffed and written in one piece;
//   - a watchdog against Poco's endless loop when a server closes inside a multi-line reply;
//   - after any I/O error the connection is abandoned without a blocking QUIT.
// No exception leaves this class; every failure is an SmtpFailure. Secrets never appear in one.
//
// Thread-compatible: one thread drives a client.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "deliver/smtp/connection_watchdog.h"
#include "deliver/smtp/smtp_reply.h"

namespace alertdigest {

struct SmtpClientOptions {
  std::string host;
  int port = 587;
  std::string security = "starttls";  // "starttls" | "tls" | "none"
  std::string hello;                  // EHLO name
  std::string ca_file;                // extra trusted CAs (PEM), besides the system store
  bool insecure_skip_verify = false;
  Duration connect_timeout = std::chrono::seconds(10);
  Duration command_timeout = std::chrono::seconds(30);
  Duration data_timeout = std::chrono::minutes(5);  // for the reply to the final dot
  std::string username;                             // empty: no AUTH
  std::string auth = "auto";                        // "auto" | "plain" | "login" | "xoauth2"
};

struct SmtpTransaction {
  std::optional<SmtpFailure> failure;  // the whole transaction failed (nobody got it)
  std::vector<std::string> accepted;   // recipients the message was delivered to
  std::vector<std::pair<std::string, SmtpFailure>> refused;  // per recipient, at RCPT
  std::string reply;                   // the server's reply to the final dot
};

class SmtpClient {
 public:
  explicit SmtpClient(SmtpClientOptions options);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // Connects, secures, greets and logs in with `secret` (password or XOAUTH2 token).
  std::optional<SmtpFailure> Open(const std::string& secret);
  bool is_open() const;

  // One transaction: MAIL FROM, RCPT TO each recipient, DATA, `data` (CRLF lines), final dot.
  // The connection stays usable after a refused recipient or a 5xx (RSET is sent); after a
  // connection failure it is closed.
  SmtpTransaction Send(const std::string& from, const std::vector<std::string>& recipients,
                       const std::string& data);

  // QUIT and close (politely, bounded by the command timeout).
  void Close();

  // What the server offered after TLS (EHLO keywords) and which AUTH mechanism was used.
  const std::vector<std::string>& capabilities() const { return capabilities_; }
  const std::string& auth_mechanism() const { return auth_mechanism_; }
  bool tls() const { return tls_; }

 private:
  class Session;
  std::optional<SmtpFailure> Handshake(const std::string& secret);
  std::optional<SmtpFailure> Authenticate(const std::string& secret);
  int Command(const std::string& line, std::string* reply);
  void Abandon();

  SmtpClientOptions options_;
  std::unique_ptr<Session> session_;
  std::vector<std::string> capabilities_;
  std::string auth_mechanism_;
  bool tls_ = false;
  SmtpStep step_ = SmtpStep::kConnect;
  ConnectionWatchdog watchdog_;
};

}  // namespace alertdigest
