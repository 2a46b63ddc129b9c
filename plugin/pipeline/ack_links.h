// AckLinks: the signed acknowledgement link of a group episode,
// <external_url>/ack/<token> (core/ack_token.h), valid for [server] ack_link_ttl.
// Disabled (empty links) when no ack key is configured — config requires one as soon as a route
// escalates, so that only happens for groups without escalation.
//
// Thread-safe (immutable).
#pragma once

#include <string>

#include "core/ack_token.h"
#include "core/time.h"

namespace alertdigest {

class AckLinks {
 public:
  AckLinks() = default;
  // `base_url` without a trailing slash, e.g. "http://alerts.example.com:9095".
  AckLinks(const AckSigner* signer, std::string base_url, Duration ttl)
      : signer_(signer), base_url_(std::move(base_url)), ttl_(ttl) {}

  bool enabled() const { return signer_ != nullptr; }
  Timestamp ExpiryFor(Timestamp now) const { return now + ttl_; }
  // "" when disabled.
  std::string For(const std::string& group_key, int64_t episode, Timestamp now) const {
    if (signer_ == nullptr) return "";
    return base_url_ + "/ack/" + signer_->Sign({group_key, episode, ExpiryFor(now)});
  }

 private:
  const AckSigner* signer_ = nullptr;
  std::string base_url_;
  Duration ttl_{};
};

}  // namespace alertdigest
