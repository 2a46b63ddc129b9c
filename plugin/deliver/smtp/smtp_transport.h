// SmtpTransport: delivers outbox messages over SMTP (Gmail: 587 STARTTLS or 465 TLS, app
// password or XOAUTH2). One authenticated session serves every message of a batch and is closed
// by EndBatch(). Recipients (To, Cc and Bcc alike; Bcc never appears in the headers) are split
// into transactions of at most smtp.max_recipients_per_message. A connection lost before the
// final dot is re-opened once and the transaction repeated; after the dot it is not (the server
// may have the message: the retry carries the same Message-ID).
//
// Thread-compatible: used by the outbox worker's thread.
#pragma once

#include <memory>

#include "config/config.h"
#include "deliver/smtp/smtp_client.h"
#include "deliver/transport.h"

namespace alertdigest {

class SmtpTransport final : public Transport {
 public:
  explicit SmtpTransport(SmtpConfig config);
  std::string_view name() const override { return "smtp"; }
  DeliveryResult Deliver(const OutboxMessage& m) override;
  void EndBatch() override;

  int sessions_opened() const { return sessions_opened_; }

  // The client options the config implies (also used by `alertdigest test-email`).
  static SmtpClientOptions ClientOptions(const SmtpConfig& config);
  // The bare address of smtp.from ("Alerts <a@b>" → "a@b"), or the username.
  static std::string EnvelopeFrom(const SmtpConfig& config);

 private:
  std::optional<SmtpFailure> EnsureOpen();

  SmtpConfig config_;
  SmtpClient client_;
  int sessions_opened_ = 0;
};

// How an SmtpFailure reads as a DeliveryResult.
DeliveryResult ToDeliveryResult(const SmtpFailure& f);

}  // namespace alertdigest
