// Transport: hands one serialised message to its destination. Implementations classify every
// failure where it happens (STYLE.md habit 3): transient ones are retried by the OutboxWorker,
// permanent ones dead-letter the message with the reason kept.
//
// Thread-compatible: one worker thread uses a transport.
#pragma once

#include <string>

#include "store/records.h"

namespace alertdigest {

struct DeliveryResult {
  enum class Kind { kDelivered, kTransient, kPermanent };
  Kind kind = Kind::kDelivered;
  std::string detail;  // where it went (a path, "250 OK …") or what went wrong; never a secret

  static DeliveryResult Delivered(std::string d) { return {Kind::kDelivered, std::move(d)}; }
  static DeliveryResult Transient(std::string d) { return {Kind::kTransient, std::move(d)}; }
  static DeliveryResult Permanent(std::string d) { return {Kind::kPermanent, std::move(d)}; }
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual std::string_view name() const = 0;
  // Delivering the same message twice must be harmless to the extent the medium allows (the
  // file transport overwrites; SMTP relies on the unchanged Message-ID).
  virtual DeliveryResult Deliver(const OutboxMessage& m) = 0;
};

}  // namespace alertdigest
