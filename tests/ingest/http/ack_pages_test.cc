// Acknowledgement over HTTP against the FakeIntake: the pages behind a signed ack link (a GET
// only shows, a POST acknowledges; every bad link is refused and nothing is acknowledged), the
// JSON API behind the bearer token, and the AckApiClient that `alertdigest ack` uses.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include "core/fingerprint.h"
#include "core/log.h"
#include "ingest/http/ack_api_client.h"
#include "ingest/http/http_test_client.h"

namespace alertdigest::http_test {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;

constexpr const char* kKey = "test-ack-key-0123456789";
constexpr const char* kGroup = R"({}/{severity="critical"}:{alertname="DiskFull"})";
constexpr const char* kFormType = "application/x-www-form-urlencoded";

Timestamp At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

Poco::JSON::Object::Ptr ParseObject(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Base64url without padding, for altering a token's payload by hand.
std::string Base64Url(std::string_view in) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
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

AckPreview Preview() {
  AckPreview p;
  p.group_key = kGroup;
  p.group_labels = {{"alertname", "DiskFull"}, {"severity", "critical"}};
  p.episode = 3;
  p.current = true;
  Alert a;
  a.labels = {{"alertname", "DiskFull"}, {"instance", "db-1"}, {"severity", "critical"}};
  a.annotations = {{"summary", "/var is 97% full on db-1"}};
  a.starts_at = At("2026-04-30T10:00:00Z");
  Alert b = a;
  b.labels.Set("instance", "db-2");
  b.annotations = {{"summary", "/var is 99% full on db-2"}};
  b.starts_at = At("2026-04-30T11:00:00Z");
  p.firing = {a, b};
  return p;
}

class AckPagesTest : public HttpApiTest {
 protected:
  AckSigner signer_ = *AckSigner::Create(kKey);
  ManualClock clock_{At("2026-04-30T12:00:00Z")};
  AckClaim claim_{kGroup, 3, At("2026-05-07T12:00:00Z")};

  void StartWithSigner(ServerConfig cfg = {}) {
    StartServer(std::move(cfg), {}, AckLinkOptions{AckLinkOptions::Fixed(&signer_), &clock_});
  }
  std::string Link() const { return "/ack/" + signer_.Sign(claim_); }
  Response PostForm(const std::string& path, const std::string& form) {
    Request r{"POST", path, form, kFormType, {}};
    return Send(port(), r);
  }
  // Every ack page carries these, refusals included.
  void ExpectPageHeaders(const Response& r) {
    EXPECT_EQ(r.Header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.Header("Cache-Control"), "no-store");
    EXPECT_EQ(r.Header("X-Robots-Tag"), "noindex, nofollow");
    EXPECT_EQ(r.Header("Referrer-Policy"), "no-referrer");
    const std::string csp = r.Header("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("script"), std::string::npos) << csp;
    EXPECT_EQ(r.body.find("<script"), std::string::npos);
    EXPECT_EQ(r.body.find("http://"), std::string::npos) << "no external resources";
    EXPECT_EQ(r.body.find("https://"), std::string::npos) << "no external resources";
  }
  double Acks(const std::string& via, const std::string& result) {
    return CounterValue("alertdigest_acks_total", {{"via", via}, {"result", result}});
  }
};

TEST_F(AckPagesTest, GetShowsTheGroupAndTheFormButNeverAcknowledges) {
  StartWithSigner();
  intake_.SetPreview(Preview());
  Response r = Get(Link());
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectPageHeaders(r);
  for (const char* shown :
       {"Acknowledge this alert?", "<td>alertname</td><td>DiskFull</td>",
        "<td>severity</td><td>critical</td>",
        "<strong>DiskFull</strong> — /var is 97% full on db-1", "/var is 99% full on db-2",
        "episode 3.", "Firing alerts (2)", "Firing since <time datetime=\"2026-04-30T10:00:00Z\">",
        "(2 hours)", "<form method=\"post\">", "name=\"by\" required", "your name or address",
        "name=\"comment\"", "valid until <time datetime=\"2026-05-07T12:00:00Z\">"}) {
    EXPECT_NE(r.body.find(shown), std::string::npos) << shown << "\n" << r.body;
  }
  EXPECT_TRUE(intake_.ack_requests().empty()) << "a GET must never acknowledge";
  ASSERT_EQ(intake_.previews().size(), 1u);
  EXPECT_EQ(intake_.previews()[0], std::make_pair(std::string(kGroup), int64_t{3}));
}

TEST_F(AckPagesTest, GetOfAnAcknowledgedEpisodeSaysWhoAndHasNoForm) {
  StartWithSigner();
  AckPreview p = Preview();
  p.acked_by = "bob@example.com";
  p.acked_at = At("2026-04-30T11:30:00Z");
  intake_.SetPreview(p);
  Response r = Get(Link());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("Already acknowledged by bob@example.com at <time "
                        "datetime=\"2026-04-30T11:30:00Z\">"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(r.body.find("<form"), std::string::npos);
}

TEST_F(AckPagesTest, PostAcknowledgesWithTheLinksGroupAndEpisode) {
  StartWithSigner();
  Response r = PostForm(Link(), "by=Ann+%C3%9Cber%40example.com&comment=on+it%0D%0Alooking");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectPageHeaders(r);
  EXPECT_NE(r.body.find("Acknowledged by Ann Über@example.com at <time "
                        "datetime=\"2026-05-01T12:00:00Z\">"),
            std::string::npos)
      << r.body;
  std::vector<AckRequest> acks = intake_.ack_requests();
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].group, kGroup);
  EXPECT_EQ(acks[0].episode, 3);
  EXPECT_EQ(acks[0].by, "Ann Über@example.com");
  EXPECT_EQ(acks[0].comment, "on it\nlooking") << "CR LF from the browser becomes LF";
  EXPECT_EQ(acks[0].via, "link");
  EXPECT_EQ(Acks("link", "acknowledged"), 1);
}

TEST_F(AckPagesTest, PostOfAnAcknowledgedEpisodeSaysWhoWasFirst) {
  StartWithSigner();
  AckResult done;
  done.group_key = kGroup;
  done.episode = 3;
  done.already_acked = true;
  done.previous_by = "bob@example.com";
  done.at = At("2026-04-30T11:30:00Z");
  intake_.SetAckResult(done);
  Response r = PostForm(Link(), "by=ann");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("already acknowledged by bob@example.com at <time "
                        "datetime=\"2026-04-30T11:30:00Z\">"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(Acks("link", "already_acknowledged"), 1);
}

TEST_F(AckPagesTest, PostWithoutByShowsTheFormAgain) {
  StartWithSigner();
  intake_.SetPreview(Preview());
  for (const char* form :
       {"comment=typed+text", "by=&comment=typed+text", "by=+%20%09&comment=typed+text"}) {
    Response r = PostForm(Link(), form);
    EXPECT_EQ(r.status, 400) << form;
    ExpectPageHeaders(r);
    EXPECT_NE(r.body.find("Please say who acknowledges: your name or address."), std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("<form method=\"post\">"), std::string::npos);
    EXPECT_NE(r.body.find(">typed text</textarea>"), std::string::npos) << "kept what was typed";
  }
  EXPECT_TRUE(intake_.ack_requests().empty());
  EXPECT_EQ(Acks("link", "bad_request"), 3);
}

TEST_F(AckPagesTest, PostOfSomethingElseThanTheFormIsRefused) {
  StartWithSigner();
  intake_.SetPreview(Preview());
  Response bad_escape = PostForm(Link(), "by=%zz");
  EXPECT_EQ(bad_escape.status, 400);
  EXPECT_NE(bad_escape.body.find("form: bad percent-encoding"), std::string::npos)
      << bad_escape.body;
  Response json = Send(port(), Request{"POST", Link(), R"({"by":"ann"})", "application/json", {}});
  EXPECT_EQ(json.status, 415) << json.body;
  EXPECT_TRUE(intake_.ack_requests().empty());
}

TEST_F(AckPagesTest, BadLinksAreRefusedAndAcknowledgeNothing) {
  StartWithSigner();
  intake_.SetPreview(Preview());
  const std::string token = signer_.Sign(claim_);
  const std::string signature = token.substr(token.find('.') + 1);
  AckClaim other_episode = claim_;
  other_episode.episode = 4;
  const std::string altered =
      Base64Url("v1\n" + std::string(kGroup) + "\n4\n1778155200") + "." + signature;
  AckSigner other_key = *AckSigner::Create("some-other-key-0123456789");
  struct Case {
    const char* why;
    std::string token;
  } cases[] = {
      {"forged", "forged-token"},
      {"altered episode", altered},
      {"signed with another key", other_key.Sign(claim_)},
      {"truncated", token.substr(0, token.size() - 3)},
  };
  for (const Case& c : cases) {
    for (bool post : {false, true}) {
      Response r = post ? PostForm("/ack/" + c.token, "by=mallory") : Get("/ack/" + c.token);
      EXPECT_EQ(r.status, 403) << c.why;
      ExpectPageHeaders(r);
      EXPECT_NE(r.body.find("This acknowledgement link is not valid: it was changed or not "
                            "issued by this alertdigest."),
                std::string::npos)
          << c.why << "\n"
          << r.body;
    }
  }
  EXPECT_TRUE(intake_.ack_requests().empty());
  EXPECT_TRUE(intake_.previews().empty()) << "nothing about a bad link reaches the intake";
  EXPECT_EQ(Acks("link", "invalid_link"), 4);
}

TEST_F(AckPagesTest, ExpiredLinkIs410AndSaysHowElseToAcknowledge) {
  StartWithSigner();
  clock_.Set(claim_.expires_at + hours(1));
  for (bool post : {false, true}) {
    Response r = post ? PostForm(Link(), "by=ann") : Get(Link());
    EXPECT_EQ(r.status, 410);
    ExpectPageHeaders(r);
    EXPECT_NE(r.body.find("expired at 2026-05-07T12:00:00Z"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("alertdigest ack " + HashHex(kGroup)), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("POST /api/v1/ack"), std::string::npos) << r.body;
  }
  EXPECT_TRUE(intake_.ack_requests().empty());
  EXPECT_EQ(Acks("link", "expired_link"), 1);
}

TEST_F(AckPagesTest, EpisodeOverIs409) {
  StartWithSigner();
  AckPreview over = Preview();
  over.current = false;
  intake_.SetPreview(over);
  Response get = Get(Link());
  EXPECT_EQ(get.status, 409);
  EXPECT_NE(get.body.find("This alert episode is over"), std::string::npos) << get.body;
  EXPECT_EQ(get.body.find("<form"), std::string::npos);

  intake_.SetAckResult(Status::FailedPrecondition("this alert episode is over"));
  Response post = PostForm(Link(), "by=ann");
  EXPECT_EQ(post.status, 409);
  ExpectPageHeaders(post);
  EXPECT_NE(post.body.find("This alert episode is over"), std::string::npos) << post.body;
  EXPECT_EQ(Acks("link", "episode_over"), 1);
}

TEST_F(AckPagesTest, UnknownGroupIs404AndAFailedStoreIs503) {
  StartWithSigner();  // the FakeIntake's preview answers NotFound by default
  Response get = Get(Link());
  EXPECT_EQ(get.status, 404);
  ExpectPageHeaders(get);
  EXPECT_NE(get.body.find("no escalating group"), std::string::npos) << get.body;

  intake_.SetAckResult(Status::NotFound("no escalating group \"x\""));
  EXPECT_EQ(PostForm(Link(), "by=ann").status, 404);
  intake_.SetAckResult(Status::IoError("commit: disk full"));
  Response unavailable = PostForm(Link(), "by=ann");
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_EQ(unavailable.Header("Retry-After"), "60");
  EXPECT_NE(unavailable.body.find("Try again in a minute"), std::string::npos);
  EXPECT_EQ(Acks("link", "not_found"), 1);
  EXPECT_EQ(Acks("link", "unavailable"), 1);
}

TEST_F(AckPagesTest, WithoutASignerLinksAreNotEnabled) {
  StartServer();
  for (bool post : {false, true}) {
    Response r = post ? PostForm(Link(), "by=ann") : Get(Link());
    EXPECT_EQ(r.status, 404);
    ExpectPageHeaders(r);
    EXPECT_NE(r.body.find("acknowledgement links are not enabled (set [server] ack_key_file)"),
              std::string::npos)
        << r.body;
  }
  EXPECT_TRUE(intake_.ack_requests().empty());
}

TEST_F(AckPagesTest, EveryValueOnThePageIsEscaped) {
  StartWithSigner();
  AckPreview p = Preview();
  p.group_key = "{}:{team=\"<script>alert(1)</script>\"}";
  p.group_labels = {{"team", "<script>alert(1)</script>"}};
  p.firing[0].labels.Set("alertname", "Disk\"Full' & <b>");
  p.firing[0].annotations = {{"summary", "<img src=x onerror=alert(2)>"}};
  p.acked_by = "";
  intake_.SetPreview(p);
  Response r = Get(Link());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("<script"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("<img"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("<b>"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(r.body.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(r.body.find("Disk&quot;Full&#39; &amp; &lt;b&gt;"), std::string::npos);

  // And what a POST echoes back.
  Response done = PostForm(Link(), "by=%3Cscript%3Ex%3C%2Fscript%3E");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.body.find("<script"), std::string::npos) << done.body;
  EXPECT_NE(done.body.find("Acknowledged by &lt;script&gt;x&lt;/script&gt;"), std::string::npos);
}

TEST_F(AckPagesTest, TheTokenNeverReachesTheLog) {
  std::mutex mu;
  std::vector<std::string> lines;
  log::SetLevel(log::Level::kDebug);
  log::SetSink([&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    lines.emplace_back(line);
  });
  StartWithSigner();
  const std::string token = signer_.Sign(claim_);
  const std::string forged = token.substr(0, token.size() - 2) + "xx";
  PostForm("/ack/" + token, "by=ann");
  PostForm("/ack/" + forged, "by=ann");
  Get("/ack/" + forged + "%zz");
  Send(port(), Request{"PUT", "/ack/" + token, "", "", {}});
  api_->Stop();
  log::SetSink(nullptr);
  log::SetLevel(log::Level::kWarn);
  std::lock_guard<std::mutex> lock(mu);
  bool refusal_logged = false;
  for (const std::string& line : lines) {
    EXPECT_EQ(line.find(token.substr(0, 40)), std::string::npos) << line;
    EXPECT_EQ(line.find(kKey), std::string::npos) << line;
    if (line.find("ack link refused") != std::string::npos) {
      refusal_logged = true;
      EXPECT_NE(line.find("token=" + AckTokenDigest(forged)), std::string::npos) << line;
      EXPECT_NE(line.find("remote=127.0.0.1:"), std::string::npos) << line;
      EXPECT_NE(line.find("status=403"), std::string::npos) << line;
    }
  }
  EXPECT_TRUE(refusal_logged);
}

// --- POST /api/v1/ack

// A token file in a fresh temp dir, removed with the test.
class TokenFile {
 public:
  explicit TokenFile(const std::string& content) {
    dir_ = fs::temp_directory_path() /
           ("ad-ack-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "token") << content;
  }
  ~TokenFile() { fs::remove_all(dir_); }
  std::string path() const { return (dir_ / "token").string(); }

 private:
  fs::path dir_;
};

TEST_F(AckPagesTest, ApiNeedsTheBearerTokenButLinksDoNot) {
  TokenFile token("s3cret\n");
  ServerConfig cfg;
  cfg.auth_token_file = token.path();
  StartWithSigner(cfg);
  intake_.SetPreview(Preview());
  EXPECT_EQ(Get(Link()).status, 200) << "the signature is the credential";
  EXPECT_EQ(PostForm(Link(), "by=ann").status, 200);

  const std::string body = R"({"group": "1a2b3c4d5e6f7a8b", "by": "ann", "comment": "on it"})";
  Response denied = Post("/api/v1/ack", body);
  EXPECT_EQ(denied.status, 401) << denied.body;
  EXPECT_EQ(intake_.ack_requests().size(), 1u);

  Response ok = Post("/api/v1/ack", body, {{"Authorization", "Bearer s3cret"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Header("Content-Type"), "application/json");
  EXPECT_EQ(ok.body,
            R"({"groupKey":"1a2b3c4d5e6f7a8b","episode":1,"acknowledgedAt":"2026-05-01T12:00:00Z",)"
            R"("alreadyAcknowledged":false,"previousBy":""})");
  std::vector<AckRequest> acks = intake_.ack_requests();
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(acks[1].group, "1a2b3c4d5e6f7a8b");
  EXPECT_EQ(acks[1].episode, 0);
  EXPECT_EQ(acks[1].by, "ann");
  EXPECT_EQ(acks[1].comment, "on it");
  EXPECT_EQ(acks[1].via, "api");
  EXPECT_EQ(Acks("api", "acknowledged"), 1);
}

TEST_F(AckPagesTest, ApiRefusesBadDocumentsNamingTheProblem) {
  StartWithSigner();
  struct Case {
    const char* body;
    const char* message;
  } cases[] = {
      {R"({"group": "g", "by": )",
       "bad acknowledgement: invalid JSON at offset 21: Invalid value."},
      {R"([1])", "bad acknowledgement: expected a JSON object"},
      {R"({"by": "ann"})", "bad acknowledgement: group: required"},
      {R"({"group": "g"})", "bad acknowledgement: by: required (your name or address)"},
      {R"({"group": "g", "by": "  "})", "bad acknowledgement: by: required"},
      {R"({"group": "g", "by": 7})", "bad acknowledgement: by: expected a string"},
      {R"({"group": "g", "by": "ann", "episode": -1})",
       "bad acknowledgement: episode: expected a non-negative integer"},
      {R"({"group": "g", "by": "ann", "episode": "3"})",
       "bad acknowledgement: episode: expected a non-negative integer"},
      {R"({"group": "g", "by": "ann", "via": "nagios"})",
       "bad acknowledgement: via: expected \"api\" or \"cli\""},
      {R"({"group": "g", "by": "a\nb"})", "bad acknowledgement: by: control characters"},
  };
  for (const Case& c : cases) {
    Response r = Post("/api/v1/ack", c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    const std::string message = ParseObject(r.body)->getValue<std::string>("message");
    EXPECT_TRUE(message.starts_with(c.message)) << c.body << "\n" << message;
  }
  EXPECT_TRUE(intake_.ack_requests().empty());
}

TEST_F(AckPagesTest, ApiMapsIntakeErrors) {
  StartWithSigner();
  const std::string body = R"({"group": "g", "by": "ann", "via": "cli", "episode": 2})";
  struct Case {
    Status status;
    int code;
  } cases[] = {
      {Status::NotFound("no escalating group \"g\""), 404},
      {Status::FailedPrecondition("this alert episode is over"), 409},
      {Status::InvalidArgument("\"g\" names 2 groups"), 400},
      {Status::Unavailable("shutting down"), 503},
      {Status::IoError("commit: disk full"), 503},
  };
  for (const Case& c : cases) {
    intake_.SetAckResult(c.status);
    Response r = Post("/api/v1/ack", body);
    EXPECT_EQ(r.status, c.code) << c.status.message();
    EXPECT_EQ(ParseObject(r.body)->getValue<std::string>("message"), c.status.message());
  }
  EXPECT_EQ(intake_.ack_requests().back().via, "cli");
  EXPECT_EQ(intake_.ack_requests().back().episode, 2);
  EXPECT_EQ(Acks("cli", "episode_over"), 1);
}

// --- AckApiClient (what `alertdigest ack` speaks)

TEST_F(AckPagesTest, ClientAcknowledgesThroughTheApi) {
  TokenFile token("s3cret");
  ServerConfig cfg;
  cfg.auth_token_file = token.path();
  StartWithSigner(cfg);
  cfg.listen = "127.0.0.1:" + std::to_string(port());
  auto client = http::AckApiClient::Create(cfg);
  ASSERT_TRUE(client.ok()) << client.status().message();

  AckRequest request{"0123456789abcdef", 0, "ann@host", "looking", "cli"};
  Result<AckResult> done = client->Acknowledge(request);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->group_key, "0123456789abcdef");
  EXPECT_EQ(done->episode, 1);
  EXPECT_EQ(done->at, FakeIntake::kAckAt);
  EXPECT_FALSE(done->already_acked);
  AckRequest seen = intake_.ack_requests().back();
  EXPECT_EQ(seen.group, "0123456789abcdef");
  EXPECT_EQ(seen.by, "ann@host");
  EXPECT_EQ(seen.comment, "looking");
  EXPECT_EQ(seen.via, "cli");

  AckResult already{kGroup, 3, true, "bob", At("2026-04-30T11:30:00Z")};
  intake_.SetAckResult(already);
  done = client->Acknowledge(request);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_TRUE(done->already_acked);
  EXPECT_EQ(done->previous_by, "bob");
  EXPECT_EQ(done->group_key, kGroup);
  EXPECT_EQ(done->at, At("2026-04-30T11:30:00Z"));

  intake_.SetAckResult(Status::FailedPrecondition("this alert episode is over"));
  done = client->Acknowledge(request);
  EXPECT_EQ(done.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(done.status().message(), "this alert episode is over");
  intake_.SetAckResult(Status::NotFound("no escalating group \"0123456789abcdef\""));
  done = client->Acknowledge(request);
  EXPECT_EQ(done.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(done.status().message(), "no escalating group \"0123456789abcdef\"");

  request.by = "";
  done = client->Acknowledge(request);
  EXPECT_EQ(done.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(done.status().message(), "bad acknowledgement: by: required (your name or address)");
}

TEST_F(AckPagesTest, ClientWithoutTheTokenIsToldToCheckIt) {
  TokenFile token("s3cret");
  ServerConfig cfg;
  cfg.auth_token_file = token.path();
  StartWithSigner(cfg);
  ServerConfig client_cfg;
  client_cfg.listen = "127.0.0.1:" + std::to_string(port());
  auto client = http::AckApiClient::Create(client_cfg);
  ASSERT_TRUE(client.ok());
  Result<AckResult> done = client->Acknowledge({"g", 0, "ann", "", "cli"});
  EXPECT_EQ(done.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(done.status().message(), "missing credentials (check auth_token_file)");
}

TEST(AckApiClientTest, SaysSoWhenNoDaemonAnswers) {
  ServerConfig cfg;
  cfg.listen = "127.0.0.1:1";  // nothing listens on port 1
  auto client = http::AckApiClient::Create(cfg);
  ASSERT_TRUE(client.ok());
  Result<AckResult> done = client->Acknowledge({"g", 0, "ann", "", "cli"});
  EXPECT_EQ(done.status().code(), Status::Code::kUnavailable);
  EXPECT_EQ(done.status().message(),
            "no alertdigest daemon answers at 127.0.0.1:1: connection refused; start "
            "`alertdigest serve`");
}

}  // namespace
}  // namespace alertdigest::http_test
