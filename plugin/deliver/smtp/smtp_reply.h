// SmtpFailure: what went wrong in an SMTP exchange, classified where it happened (STYLE.md habit
// 3), with a sentence a user can act on. Pure: no I/O, so every rule is unit-tested.
//
//   transient  — 4xx, connection refused/reset, timeouts, TLS handshake failures: retry later
//   message    — 5xx at MAIL/DATA/after the final dot, 552 too big: this message can't go
//   recipient  — 5xx at RCPT: this address can't get it; the others still can
//   account    — bad credentials (535), app password required (534), STARTTLS required (530),
//                daily limit (550 5.4.5), untrusted certificate: every message would fail the
//                same way, so the sender pauses and everything stays queued
#pragma once

#include <string>
#include <string_view>

namespace alertdigest {

enum class SmtpStep { kConnect, kTls, kGreeting, kEhlo, kStartTls, kAuth, kMail, kRcpt, kData, kDot };
std::string_view SmtpStepText(SmtpStep s);  // "connect", "TLS handshake", "AUTH", "RCPT TO", …

struct SmtpFailure {
  enum class Scope { kTransient, kMessage, kRecipient, kAccount };
  Scope scope = Scope::kTransient;
  SmtpStep step = SmtpStep::kConnect;
  int code = 0;          // the reply code; 0 when no reply was read (connection gone)
  std::string enhanced;  // "5.7.8", when the server sent one
  std::string text;      // the server's reply or the local error, one line, no secrets
  std::string hint;      // what to do, for people; may be empty
  bool account_retry_later = false;  // an account problem that clears by itself (daily limit)

  // "AUTH: 535 5.7.8 Username and Password not accepted. — <hint>"
  std::string ToString() const;
};

// Classifies a server reply `code` + `text` received at `step`.
SmtpFailure ClassifyReply(SmtpStep step, int code, std::string_view text);
// Classifies a local failure (no reply): refused, timed out, TLS, certificate.
enum class LocalError { kRefused, kTimeout, kIo, kTlsHandshake, kCertificate, kNoStartTls, kProtocol };
SmtpFailure ClassifyLocal(SmtpStep step, LocalError kind, std::string_view detail);

// "5.7.8" from "535 5.7.8 Username and …" or from "5.7.8 Username …"; "" when absent.
std::string ExtractEnhancedCode(std::string_view text);

}  // namespace alertdigest
