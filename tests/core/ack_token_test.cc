// AckSigner: signed, expiring ack link tokens. A token must survive the round trip for any group
// key, and every change to it — payload, signature, key, shape — must be refused with the
// documented code and a message that gives away neither the key nor the expected signature.
#include "core/ack_token.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace alertdigest {
namespace {

constexpr std::string_view kKey = "0123456789abcdef-secret-key";
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

Timestamp At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

// Test-side base64url (no padding), independent of the implementation under test.
std::string Encode(std::string_view in) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 63];
  return out;
}
std::string Decode(std::string_view in) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    buffer = (buffer << 6) | static_cast<uint32_t>(kAlphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[32];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &n);
  return std::string(reinterpret_cast<const char*>(mac), n);
}

class AckTokenTest : public testing::Test {
 protected:
  AckSigner signer_ = *AckSigner::Create(std::string(kKey));
  AckClaim claim_{"{}/{severity=\"critical\"}:{alertname=\"DiskFull\"}", 3,
                  At("2026-05-01T12:00:00Z")};
  Timestamp before_ = At("2026-04-30T12:00:00Z");

  std::string Token() const { return signer_.Sign(claim_); }
  std::string PayloadOf(const std::string& token) const {
    return Decode(token.substr(0, token.find('.')));
  }
  std::string SignatureOf(const std::string& token) const {
    return token.substr(token.find('.') + 1);
  }
  // The status of verifying `token` at before_, after checking that its message leaks nothing.
  Status Refusal(const std::string& token) const {
    Result<AckClaim> r = signer_.Verify(token, before_);
    EXPECT_FALSE(r.ok()) << token;
    const std::string& m = r.status().message();
    EXPECT_EQ(m.find(kKey), std::string::npos) << m;
    EXPECT_EQ(m.find(SignatureOf(Token())), std::string::npos) << m;
    return r.status();
  }
};

TEST_F(AckTokenTest, RoundTrip) {
  const std::string token = Token();
  EXPECT_EQ(token.find_first_not_of(std::string(kAlphabet) + "."), std::string::npos) << token;
  EXPECT_EQ(token.find('='), std::string::npos) << "no padding";
  EXPECT_EQ(PayloadOf(token),
            "v1\n{}/{severity=\"critical\"}:{alertname=\"DiskFull\"}\n3\n1777636800");
  Result<AckClaim> got = signer_.Verify(token, before_);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->group_key, claim_.group_key);
  EXPECT_EQ(got->episode, 3);
  EXPECT_EQ(got->expires_at, claim_.expires_at);
  EXPECT_EQ(signer_.Sign(claim_), token) << "deterministic";
}

TEST_F(AckTokenTest, ExpiryHasSecondPrecisionRoundedDown) {
  claim_.expires_at = At("2026-05-01T12:00:00.999Z");
  Result<AckClaim> got = signer_.Verify(Token(), before_);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->expires_at, At("2026-05-01T12:00:00Z"));
}

TEST_F(AckTokenTest, GroupKeysWithAnyBytesRoundTrip) {
  const std::string keys[] = {
      "{}/{team=\"ops\"}:{alertname=\"Ünïcödé ⚠ 警告\"}",  // UTF-8
      "{}:{summary=\"a \\\"quoted\\\" value\", x='y'}",    // quotes and backslashes
      "{}:{a=\"line1\nline2\n3\n4\"}",                     // newlines and digits: the
      "\n\n",                                              // numbers are read from the end
      "",
      std::string("nul\0byte", 8),
  };
  for (const std::string& key : keys) {
    claim_.group_key = key;
    claim_.episode = 42;
    Result<AckClaim> got = signer_.Verify(Token(), before_);
    ASSERT_TRUE(got.ok()) << key << ": " << got.status().message();
    EXPECT_EQ(got->group_key, key);
    EXPECT_EQ(got->episode, 42);
    EXPECT_EQ(got->expires_at, claim_.expires_at);
  }
}

TEST_F(AckTokenTest, AlteredPayloadIsRefused) {
  const std::string signature = SignatureOf(Token());
  const std::string payload = PayloadOf(Token());
  struct Case {
    const char* why;
    std::string altered;
  } cases[] = {
      {"another group", "v1\n{}/{severity=\"critical\"}:{alertname=\"Other\"}\n3\n1777636800"},
      {"another episode", "v1\n{}/{severity=\"critical\"}:{alertname=\"DiskFull\"}\n4\n1777636800"},
      {"a later expiry", "v1\n{}/{severity=\"critical\"}:{alertname=\"DiskFull\"}\n3\n1999999999"},
      {"another version", "v2\n{}/{severity=\"critical\"}:{alertname=\"DiskFull\"}\n3\n1777636800"},
      {"trailing garbage", payload + "\n"},
  };
  for (const Case& c : cases) {
    Status s = Refusal(Encode(c.altered) + "." + signature);
    EXPECT_EQ(s.code(), Status::Code::kPermissionDenied) << c.why;
    EXPECT_EQ(s.message(), "ack link signature does not match") << c.why;
  }
}

TEST_F(AckTokenTest, TruncatedPayloadIsAnAlteredPayload) {
  // Four base64 characters less still decode: a shorter payload, which the signature refuses.
  const std::string token = Token();
  const std::string payload = token.substr(0, token.find('.'));
  Status s = Refusal(payload.substr(0, payload.size() - 4) + "." + SignatureOf(token));
  EXPECT_EQ(s.code(), Status::Code::kPermissionDenied);
}

TEST_F(AckTokenTest, AlteredSignatureIsRefused) {
  std::string token = Token();
  char& last = token[token.size() - 5];
  last = last == 'A' ? 'B' : 'A';
  Status s = Refusal(token);
  EXPECT_EQ(s.code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(s.message(), "ack link signature does not match");
}

TEST_F(AckTokenTest, TokenOfAnotherKeyIsRefused) {
  AckSigner other = *AckSigner::Create("another-key-of-sufficient-length");
  Status s = Refusal(other.Sign(claim_));
  EXPECT_EQ(s.code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(s.message(), "ack link signature does not match");
}

TEST_F(AckTokenTest, MalformedTokensAreRefused) {
  const std::string token = Token();
  const std::string payload = token.substr(0, token.find('.'));
  const std::string signature = SignatureOf(token);
  struct Case {
    const char* why;
    std::string token;
  } cases[] = {
      {"empty", ""},
      {"no dot", payload + signature},
      {"only a dot", "."},
      {"no signature", payload + "."},
      {"no payload", "." + signature},
      {"truncated signature", token.substr(0, token.size() - 4)},
      {"truncated by one character", token.substr(0, token.size() - 1)},
      {"standard base64 characters",
       payload + "." + signature.substr(0, 10) + "+/" + signature.substr(12)},
      {"padding", token + "="},
      {"a second dot", token + ".x"},
      {"spaces", " " + token},
      {"trailing newline", token + "\n"},
      {"percent-encoded", payload + "%2E" + signature},
      {"not canonical base64 (trailing bits set)",
       token.substr(0, token.size() - 1) + (token.back() == 'A' ? "B" : "A")},
  };
  for (const Case& c : cases) {
    Status s = Refusal(c.token);
    // A changed last character keeps the shape but may leave trailing bits set (malformed) or
    // not; either way it must not verify.
    if (std::string_view(c.why).starts_with("not canonical")) {
      EXPECT_TRUE(s.code() == Status::Code::kInvalidArgument ||
                  s.code() == Status::Code::kPermissionDenied)
          << c.why;
      continue;
    }
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.why;
    EXPECT_EQ(s.message(), "malformed ack link") << c.why;
  }
}

TEST_F(AckTokenTest, AuthenticPayloadOfTheWrongShapeIsMalformed) {
  // Payloads signed with the right key (as a buggy or future signer might) but not in the exact
  // v1 shape: checked after the signature, strictly.
  for (const char* payload :
       {"v1\ngroup\n3", "v1\ngroup\n+3\n1777636800", "v1\ngroup\n03\n1777636800",
        "v1\ngroup\n3\n1777636800 ", "v1\ngroup\nthree\n1777636800", "v1\ngroup\n3\n-1",
        "v1\ngroup\n-0\n1777636800", "v1 group 3 9", "v2\ngroup\n3\n1777636800",
        "v1\ngroup\n3\n99999999999999999999", "v1\ngroup\n3\n1777636800\n", ""}) {
    Status s = Refusal(Encode(payload) + "." + Encode(HmacSha256(kKey, payload)));
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << payload;
    EXPECT_EQ(s.message(), "malformed ack link") << payload;
  }
  // The same construction accepts what Sign() writes: the helper is right.
  const std::string good = "v1\ngroup\n3\n1777636800";
  EXPECT_TRUE(signer_.Verify(Encode(good) + "." + Encode(HmacSha256(kKey, good)), before_).ok());
}

TEST_F(AckTokenTest, ExpiredTokenSaysWhen) {
  const std::string token = Token();
  for (Timestamp now : {claim_.expires_at, claim_.expires_at + std::chrono::hours(1)}) {
    Result<AckClaim> r = signer_.Verify(token, now);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kDeadlineExceeded);
    EXPECT_EQ(r.status().message(), "ack link expired at 2026-05-01T12:00:00Z");
  }
  EXPECT_TRUE(signer_.Verify(token, claim_.expires_at - std::chrono::milliseconds(1)).ok());
}

TEST_F(AckTokenTest, ForgedExpiredTokenIsForgedNotExpired) {
  // Expiry is only reported for authentic tokens.
  AckSigner other = *AckSigner::Create("another-key-of-sufficient-length");
  Result<AckClaim> r =
      signer_.Verify(other.Sign(claim_), claim_.expires_at + std::chrono::hours(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kPermissionDenied);
}

TEST_F(AckTokenTest, DecodeReadsTheClaimWithoutTheKey) {
  Result<AckClaim> c = AckSigner::Decode(Token());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->group_key, claim_.group_key);
  EXPECT_EQ(c->episode, 3);
  EXPECT_EQ(c->expires_at, claim_.expires_at);
  EXPECT_EQ(AckSigner::Decode("x.y").status().message(), "malformed ack link");
}

TEST_F(AckTokenTest, KeyTooShort) {
  Result<AckSigner> s = AckSigner::Create("fifteen-bytes!!");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.status().message(), "ack key is too short: 15 bytes, at least 16 needed");
  EXPECT_EQ(s.status().message().find("fifteen"), std::string::npos);
  EXPECT_TRUE(AckSigner::Create("sixteen-bytes!!!").ok());
  EXPECT_FALSE(AckSigner::Create("").ok());
}

class AckKeyFileTest : public testing::Test {
 protected:
  std::filesystem::path dir_ = std::filesystem::path(testing::TempDir()) / "ack_key_file_test";
  std::string Write(const std::string& name, const std::string& content) {
    std::filesystem::create_directories(dir_);
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
};

TEST_F(AckKeyFileTest, SurroundingWhitespaceIsNotPartOfTheKey) {
  Result<AckSigner> from_file =
      AckSigner::LoadKeyFile(Write("key", "\n  " + std::string(kKey) + " \r\n"));
  ASSERT_TRUE(from_file.ok()) << from_file.status().message();
  AckSigner direct = *AckSigner::Create(std::string(kKey));
  AckClaim claim{"g", 1, At("2026-05-01T12:00:00Z")};
  EXPECT_EQ(from_file->Sign(claim), direct.Sign(claim));
}

TEST_F(AckKeyFileTest, ProblemsNameTheFileButNeverTheKey) {
  const std::string missing = (dir_ / "missing").string();
  EXPECT_EQ(AckSigner::LoadKeyFile(missing).status().message(),
            "ack_key_file " + missing + ": cannot read: No such file or directory");
  const std::string empty = Write("empty", " \n\t\n");
  EXPECT_EQ(AckSigner::LoadKeyFile(empty).status().message(),
            "ack_key_file " + empty + ": file is empty");
  const std::string short_key = Write("short", "hunter2-secret\n");
  Result<AckSigner> s = AckSigner::LoadKeyFile(short_key);
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.status().message(),
            "ack_key_file " + short_key + ": ack key is too short: 14 bytes, at least 16 needed");
  EXPECT_EQ(s.status().message().find("hunter2"), std::string::npos);
  EXPECT_EQ(AckSigner::LoadKeyFile(dir_.string()).status().message(),
            "ack_key_file " + dir_.string() + ": cannot read: Is a directory");
}

TEST(AckTokenDigestTest, ShortStableAndNotTheToken) {
  const std::string d = AckTokenDigest("abc.def");
  EXPECT_EQ(d.size(), 12u);
  EXPECT_EQ(d, AckTokenDigest("abc.def"));
  EXPECT_NE(d, AckTokenDigest("abc.deg"));
  EXPECT_EQ(d, "ebb3127bf5c7") << "first 6 bytes of SHA-256(\"abc.def\")";
}

}  // namespace
}  // namespace alertdigest
