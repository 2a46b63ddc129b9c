// FileTransport: writes each message as an .eml file into a directory (the default transport,
// for demos, tests and previews). The name derives from the outbox row only —
// <created UTC>-<group id>-<outbox id>.eml — so delivering a message again after a crash
// rewrites the same file instead of adding a duplicate. Files appear atomically (temp file,
// fsync, rename, fsync of the directory).
#pragma once

#include <string>

#include "deliver/transport.h"

namespace alertdigest {

class FileTransport final : public Transport {
 public:
  explicit FileTransport(std::string dir) : dir_(std::move(dir)) {}
  std::string_view name() const override { return "file"; }
  DeliveryResult Deliver(const OutboxMessage& m) override;

  // The path Deliver() writes `m` to.
  std::string PathFor(const OutboxMessage& m) const;

 private:
  std::string dir_;
};

}  // namespace alertdigest
