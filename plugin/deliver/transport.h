// Transport: hands one serialised message to its destination. Implementations classify every
// failure where it happens (STYLE.md habit 3): transient ones are retried by the OutboxWorker,
// permanent ones dead-letter the message with the reason kept.
//
// Thread-compatible: one worker thread uses a transport.
#pragma once

#include <string>
#include <vector>

#include "store/records.h"

namespace alertdigest {

// A recipient the server refused, with its reply.
struct RefusedRecipient {
  std::string address;
  std::string reason;
};

struct DeliveryResult {
  enum class Kind { kDelivered, kTransient, kPermanent };
  Kind kind = Kind::kDelivered;
  std::string detail;  // where it went (a path, "250 OK …") or what went wrong; never a secret
  std::string hint;    // what the user can do about a failure, in words they understand

  // The failure is the account's or the configuration's, not this message's (bad password,
  // daily limit, untrusted certificate): every message would fail alike, so the worker pauses
  // instead of burning retries. `retry_later`: it clears by itself (daily limit).
  bool account_problem = false;
  bool retry_later = false;

  // With kDelivered, when the server decided per address: who was refused for good (5xx at
  // RCPT) and who only for now (4xx). Everyone else got it.
  std::vector<RefusedRecipient> rejected_recipients;
  std::vector<std::string> deferred_recipients;

  static DeliveryResult Delivered(std::string d) { return Make(Kind::kDelivered, std::move(d)); }
  static DeliveryResult Transient(std::string d) { return Make(Kind::kTransient, std::move(d)); }
  static DeliveryResult Permanent(std::string d) { return Make(Kind::kPermanent, std::move(d)); }

 private:
  static DeliveryResult Make(Kind k, std::string d) {
    DeliveryResult r;
    r.kind = k;
    r.detail = std::move(d);
    return r;
  }
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual std::string_view name() const = 0;
  // Delivering the same message twice must be harmless to the extent the medium allows (the
  // file transport overwrites; SMTP relies on the unchanged Message-ID).
  virtual DeliveryResult Deliver(const OutboxMessage& m) = 0;
  // The worker is done for now: release what Deliver kept open (an SMTP session is reused for
  // every message of a batch — Gmail answers a login per message with 454 — and closed here,
  // before the server drops it as idle).
  virtual void EndBatch() {}
};

}  // namespace alertdigest
