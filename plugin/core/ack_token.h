// AckToken: the signed, expiring part of an acknowledgement link (external_url + "/ack/" + token).
// It names a group episode and an expiry and carries an HMAC-SHA256 over both with the key from
// [server] ack_key_file, so a link cannot be forged, altered or used after it expires. Whether
// the episode is still the group's current one is for the caller (the escalator) to decide.
//
// Token text: base64url(payload) "." base64url(hmac), no padding, URL-safe; payload is
// "v1\n" group_key "\n" episode "\n" expiry-unix-seconds (decimal, canonical: no sign on
// positive numbers, no leading zeros). The group key may hold any bytes, newlines included: the
// two numbers are read from the end. Expiry has second precision (Sign() rounds down).
//
// Thread-safety: AckSigner is immutable after Create(); Sign/Verify may run on any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace alertdigest {

struct AckClaim {
  std::string group_key;
  int64_t episode = 0;
  Timestamp expires_at = kNoTime;
};

class AckSigner {
 public:
  // `key`: the secret bytes (at least 16; surrounding whitespace of a key file is stripped by
  // the caller). InvalidArgument when too short: "ack key is too short: 5 bytes, at least 16
  // needed" (the key itself is never part of a message).
  static Result<AckSigner> Create(std::string key);

  // The key from a key file ([server] ack_key_file): its content with surrounding whitespace
  // stripped. InvalidArgument naming the file, never the key: "ack_key_file /x: cannot read:
  // No such file or directory", "ack_key_file /x: file is empty", "ack_key_file /x: ack key is
  // too short: 5 bytes, at least 16 needed".
  static Result<AckSigner> LoadKeyFile(const std::string& path);

  std::string Sign(const AckClaim& claim) const;

  // Errors (messages never contain the key or the expected signature):
  //   InvalidArgument  — not a token (bad shape or encoding): "malformed ack link";
  //   PermissionDenied — the signature does not match: "ack link signature does not match";
  //   DeadlineExceeded — valid but expired at `now`: "ack link expired at 2026-…Z".
  Result<AckClaim> Verify(std::string_view token, Timestamp now) const;

  // The claim a token names, read WITHOUT checking its signature or expiry: only for showing
  // what a token that Verify() found authentic but expired was about (the group to acknowledge
  // another way). InvalidArgument "malformed ack link" when it is not a token.
  static Result<AckClaim> Decode(std::string_view token);

 private:
  explicit AckSigner(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

// A short, stable name for a token in logs (12 hex digits of its SHA-256): lines about one link
// can be matched up without the link itself, which is a credential, ever being written down.
std::string AckTokenDigest(std::string_view token);

}  // namespace alertdigest
