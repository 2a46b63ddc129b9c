// Fuzz target: the ack-link verifier — whatever follows /ack/ in a URL reaches
// AckSigner::Verify (and Decode, for the page of an expired link, and AckTokenDigest, for logs).
//
// The input is tried as a token as it is; it is also used as a claim (group key = the input,
// episode and expiry from its first bytes) that is signed and verified, and then altered.
//
// Invariants: a token verifies only as the one canonical spelling of its claim (else the errors
// are only "malformed" or "signature does not match": the signature is checked first); a claim verifies to the same claim until it
// expires, and changing any one character of the token makes it fail.
#include <cstring>

#include "core/ack_token.h"
#include "fuzz_support.h"

namespace alertdigest {
namespace {

const AckSigner& Signer() {
  static const AckSigner signer = AckSigner::Create("fuzz-ack-key-0123456789abcdef").value();
  return signer;
}

bool SameClaim(const AckClaim& a, const AckClaim& b) {
  return a.group_key == b.group_key && a.episode == b.episode && a.expires_at == b.expires_at;
}

}  // namespace
}  // namespace alertdigest

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alertdigest;
  const std::string_view text = fuzz::AsText(data, size);
  const AckSigner& signer = Signer();

  // As a token from a URL.
  Result<AckClaim> verified = signer.Verify(text, fuzz::kNow);
  const Status::Code code = verified.status().code();
  if (verified.ok() || code == Status::Code::kDeadlineExceeded) {
    // The signature matched (the seeds hold real links): then it is the one spelling of its claim.
    Result<AckClaim> claim = AckSigner::Decode(text);
    FUZZ_CHECK(claim.ok() && signer.Sign(*claim) == text, "a second spelling of a signed link");
  } else {
    FUZZ_CHECK(code == Status::Code::kInvalidArgument || code == Status::Code::kPermissionDenied,
               "unexpected error: " + verified.status().message());
    (void)AckSigner::Decode(text);
  }
  FUZZ_CHECK(AckTokenDigest(text).size() == 12, "digest length");

  // As a claim: sign, verify, alter.
  AckClaim claim;
  claim.group_key = std::string(text);
  int64_t episode = 0;
  uint32_t ttl = 0;
  std::memcpy(&episode, data, std::min(size, sizeof episode));
  if (size > sizeof episode) std::memcpy(&ttl, data + sizeof episode, std::min(size - 8, sizeof ttl));
  claim.episode = episode;
  claim.expires_at = fuzz::kNow + std::chrono::seconds(ttl) - std::chrono::hours(1);
  const std::string token = signer.Sign(claim);
  Result<AckClaim> back = signer.Verify(token, fuzz::kNow);
  if (claim.expires_at <= fuzz::kNow) {
    FUZZ_CHECK(!back.ok() && back.status().code() == Status::Code::kDeadlineExceeded,
               "an expired link verifies");
  } else {
    FUZZ_CHECK(back.ok(), "a signed claim does not verify: " + back.status().message());
    FUZZ_CHECK(SameClaim(*back, claim), "a signed claim verifies to another claim");
  }
  Result<AckClaim> decoded = AckSigner::Decode(token);
  FUZZ_CHECK(decoded.ok() && SameClaim(*decoded, claim), "Decode of a signed claim");

  std::string altered = token;
  const size_t at = size == 0 ? 0 : data[size - 1] % altered.size();
  altered[at] = altered[at] == 'A' ? 'B' : 'A';
  FUZZ_CHECK(!signer.Verify(altered, fuzz::kNow - std::chrono::hours(2)).ok(),
             "an altered token verifies: " + altered);
  return 0;
}
