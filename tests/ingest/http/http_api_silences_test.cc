// The silence endpoints (Alertmanager v2 shapes, as amtool uses them) and the SilenceApiClient
// that `alertdigest silence` uses, against the FakeIntake.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>

#include "ingest/http/http_test_client.h"
#include "ingest/http/silence_api_client.h"

namespace alertdigest::http_test {
namespace {

using std::chrono::hours;

Poco::JSON::Object::Ptr ParseObject(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}
// Silence endpoints answer errors as a bare JSON string, like Alertmanager.
// (Poco's parser wants an object or array at the top, so: wrap it in one.)
std::string ErrorText(const std::string& body) {
  return Poco::JSON::Parser()
      .parse("[" + body + "]")
      .extract<Poco::JSON::Array::Ptr>()
      ->getElement<std::string>(0);
}
Poco::JSON::Array::Ptr ParseArray(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
}

Timestamp Now() { return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()); }

// What `amtool silence add alertname=X instance=~"db-.*" severity!=info` posts.
const char* kPostable = R"({
  "matchers": [
    {"name": "alertname", "value": "X", "isRegex": false, "isEqual": true},
    {"name": "instance", "value": "db-.*", "isRegex": true, "isEqual": true},
    {"name": "severity", "value": "info", "isRegex": false, "isEqual": false},
    {"name": "team", "value": "dev|qa", "isRegex": true, "isEqual": false},
    {"name": "env", "value": "prod", "isRegex": false}
  ],
  "startsAt": "2020-01-01T00:00:00Z", "endsAt": "2099-01-01T00:00:00.5Z",
  "createdBy": "alice", "comment": "db maintenance"})";

class SilencesTest : public HttpApiTest {
 protected:
  void SetUp() override { StartServer(); }
  Response Delete(const std::string& path) {
    Request r;
    r.method = "DELETE";
    r.path = path;
    return Send(port(), r);
  }
};

TEST_F(SilencesTest, PostGetDeleteRoundTrip) {
  Response posted = Post("/api/v2/silences", kPostable);
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(posted.body, R"({"silenceID":"silence-1"})");

  std::vector<Silence> stored = intake_.ListSilences();
  ASSERT_EQ(stored.size(), 1u);
  std::vector<std::string> ops;
  for (const Matcher& m : stored[0].matchers) ops.push_back(m.ToString());
  EXPECT_EQ(
      ops, (std::vector<std::string>{"alertname=\"X\"", "instance=~\"db-.*\"", "severity!=\"info\"",
                                     "team!~\"dev|qa\"", "env=\"prod\""}));
  EXPECT_EQ(stored[0].created_by, "alice");
  EXPECT_EQ(stored[0].ends_at, *ParseRfc3339("2099-01-01T00:00:00.5Z"));

  Response one = Get("/api/v2/silence/silence-1");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.Header("Content-Type"), "application/json");
  Poco::JSON::Object::Ptr s = ParseObject(one.body);
  EXPECT_EQ(s->getValue<std::string>("id"), "silence-1");
  EXPECT_EQ(s->getObject("status")->getValue<std::string>("state"), "active");
  EXPECT_EQ(s->getValue<std::string>("startsAt"), "2020-01-01T00:00:00Z");
  EXPECT_EQ(s->getValue<std::string>("endsAt"), "2099-01-01T00:00:00.500Z");
  EXPECT_EQ(s->getValue<std::string>("createdBy"), "alice");
  EXPECT_EQ(s->getValue<std::string>("comment"), "db maintenance");
  EXPECT_TRUE(s->has("updatedAt"));
  Poco::JSON::Array::Ptr matchers = s->getArray("matchers");
  ASSERT_EQ(matchers->size(), 5u);
  auto flags = [&](size_t i) {
    Poco::JSON::Object::Ptr m = matchers->getObject(i);
    return std::to_string(m->getValue<bool>("isRegex")) +
           std::to_string(m->getValue<bool>("isEqual"));
  };
  EXPECT_EQ(flags(0), "01");
  EXPECT_EQ(flags(1), "11");
  EXPECT_EQ(flags(2), "00");
  EXPECT_EQ(flags(3), "10");
  EXPECT_EQ(matchers->getObject(1)->getValue<std::string>("value"), "db-.*");

  Response deleted = Delete("/api/v2/silence/silence-1");
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.body, "");
  Poco::JSON::Array::Ptr all = ParseArray(Get("/api/v2/silences").body);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->getObject(0)->getObject("status")->getValue<std::string>("state"), "expired");
}

TEST_F(SilencesTest, ListsFilteredAndInAlertmanagersOrder) {
  auto put = [&](const std::string& name, Timestamp start, Timestamp end) {
    Silence s;
    s.matchers = {*Matcher::Parse("alertname=" + name)};
    s.starts_at = start;
    s.ends_at = end;
    s.created_by = "bob";
    s.comment = "c";
    ASSERT_TRUE(intake_.PutSilence(s).ok());
  };
  const Timestamp now = Now();
  put("Expired", now - hours(3), now - hours(1));
  put("Pending", now + hours(1), now + hours(2));
  put("ActiveLong", now - hours(1), now + hours(5));
  put("ActiveShort", now - hours(1), now + hours(1));
  auto names = [&](const std::string& query) {
    Response r = Get("/api/v2/silences" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    Poco::JSON::Array::Ptr a = ParseArray(r.body);
    for (size_t i = 0; i < a->size(); ++i) {
      out.push_back(
          a->getObject(i)->getArray("matchers")->getObject(0)->getValue<std::string>("value") +
          "/" + a->getObject(i)->getObject("status")->getValue<std::string>("state"));
    }
    return out;
  };
  EXPECT_EQ(names(""), (std::vector<std::string>{"ActiveShort/active", "ActiveLong/active",
                                                 "Pending/pending", "Expired/expired"}));
  EXPECT_EQ(names("?filter=alertname%3D~%22Active.*%22"),
            (std::vector<std::string>{"ActiveShort/active", "ActiveLong/active"}));
  EXPECT_EQ(names("?filter=alertname%3DPending"), (std::vector<std::string>{"Pending/pending"}));
  EXPECT_EQ(Get("/api/v2/silences?filter=alertname~x").status, 400);
}

TEST_F(SilencesTest, RefusesBadSilencesWithTheReason) {
  struct Case {
    const char* why;
    std::string body;
    std::string message;
  } cases[] = {
      {"not JSON", "{", "bad silence: invalid JSON at offset 1: Missing a name for object member."},
      {"no matchers", R"({"startsAt":"2020-01-01T00:00:00Z","endsAt":"2020-01-02T00:00:00Z"})",
       "bad silence: matchers: required array"},
      {"isRegex missing", R"({"matchers":[{"name":"a","value":"b"}]})",
       "bad silence: matchers[0].isRegex: required boolean"},
      {"bad time",
       R"({"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"yesterday",)"
       R"("endsAt":"2020-01-02T00:00:00Z"})",
       "bad silence: startsAt: bad time \"yesterday\""},
  };
  for (const Case& c : cases) {
    Response r = Post("/api/v2/silences", c.body);
    EXPECT_EQ(r.status, 400) << c.why << ": " << r.body;
    EXPECT_EQ(ErrorText(r.body), c.message) << c.why;
  }
  Response bad_regex = Post(
      "/api/v2/silences", R"({"matchers":[{"name":"a","value":"(","isRegex":true}],)"
                          R"("startsAt":"2020-01-01T00:00:00Z","endsAt":"2020-01-02T00:00:00Z"})");
  EXPECT_EQ(bad_regex.status, 400) << bad_regex.body;
  EXPECT_EQ(ErrorText(bad_regex.body).rfind("bad silence: matchers[0]: ", 0), 0u) << bad_regex.body;

  // The intake's verdict (the daemon runs Validate) is passed on with its status.
  intake_.FailPutSilence(Status::InvalidArgument("silence needs a comment (why it was set)"));
  Response refused = Post("/api/v2/silences", kPostable);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(ErrorText(refused.body), "bad silence: silence needs a comment (why it was set)");
  intake_.FailPutSilence(Status::IoError("disk full"));
  EXPECT_EQ(Post("/api/v2/silences", kPostable).status, 503);
}

// Fuzzing (tests/fuzz/http_request_fuzzer): the escape of a lone low surrogate ("\udc00") in a
// valid UTF-8 body decoded to bytes that are not UTF-8, and the silence was stored with them.
TEST_F(SilencesTest, RefusesEscapesThatAreNotText) {
  const std::string times = R"("startsAt":"2020-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z")";
  Response r =
      Post("/api/v2/silences", R"({"matchers":[{"name":"a","value":"b","isRegex":false}],)" +
                                   times + R"(,"createdBy":"ann","comment":"x\udc00"})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(ErrorText(r.body), "bad silence: comment: not valid UTF-8");
  r = Post("/api/v2/silences", R"({"matchers":[{"name":"a","value":"\udfff","isRegex":false}],)" +
                                   times + R"(,"createdBy":"ann","comment":"c"})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(ErrorText(r.body), "bad silence: matchers[0].value: not valid UTF-8");
  EXPECT_TRUE(intake_.ListSilences().empty());
  // A surrogate pair is one character.
  r = Post("/api/v2/silences", R"({"matchers":[{"name":"a","value":"b","isRegex":false}],)" +
                                   times + R"(,"createdBy":"ann","comment":"\ud83d\ude00"})");
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(SilencesTest, UnknownIdsAnswer404) {
  EXPECT_EQ(Get("/api/v2/silence/nope").status, 404);
  Response r = Delete("/api/v2/silence/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorText(r.body), "expire silence: no silence with id \"nope\"");
  std::string update = kPostable;
  update.insert(1, R"("id":"nope",)");
  EXPECT_EQ(Post("/api/v2/silences", update).status, 404);
  EXPECT_EQ(Get("/api/v2/silence/").status, 404);  // no id: no such endpoint
}

TEST_F(SilencesTest, ApiClientAddsListsAndExpires) {
  ServerConfig cfg;
  cfg.listen = "0.0.0.0:" + std::to_string(port());
  auto client = http::SilenceApiClient::Create(cfg);
  ASSERT_TRUE(client.ok()) << client.status().message();
  EXPECT_EQ(client->address(), "127.0.0.1:" + std::to_string(port()));
  Silence s;
  s.matchers = {*Matcher::Parse("alertname=~\"Disk.*\""), *Matcher::Parse("team!=ops")};
  s.starts_at = Now() - hours(1);
  s.ends_at = Now() + hours(1);
  s.created_by = "carol";
  s.comment = "quiet \"please\"";
  auto id = client->Add(s);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, "silence-1");
  auto listed = client->List();
  ASSERT_TRUE(listed.ok()) << listed.status().message();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].state, "active");
  EXPECT_EQ((*listed)[0].silence.comment, "quiet \"please\"");
  EXPECT_EQ((*listed)[0].silence.matchers[1].ToString(), "team!=\"ops\"");
  EXPECT_TRUE(client->Expire("silence-1").ok());
  Status missing = client->Expire("nope");
  EXPECT_EQ(missing.code(), Status::Code::kNotFound);
  EXPECT_EQ(missing.message(), "expire silence nope: expire silence: no silence with id \"nope\"");
}

// With [server] tls_cert the daemon serves HTTPS, and the CLI (reading the same config) speaks
// HTTPS to it, trusting exactly that certificate — whatever name it carries — and no other.
TEST(SilenceApiClientTest, SpeaksHttpsTrustingExactlyTheDaemonsOwnCertificate) {
  char dir_template[] = "/tmp/ad-tls-cli-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  for (const char* name : {"alerts.example.com", "impostor.example.com"}) {
    const std::string cmd = fmt::format(
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN={0} -keyout {1}/{0}.key "
        "-out {1}/{0}.pem 2>/dev/null",
        name, dir);
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  MetricsRegistry metrics;
  FakeIntake intake(metrics);
  ServerConfig server;
  server.listen = "127.0.0.1:0";
  server.tls_cert = dir + "/alerts.example.com.pem";
  server.tls_key = dir + "/alerts.example.com.key";
  auto api = HttpApi::Start(server, {}, intake, metrics);
  ASSERT_TRUE(api.ok()) << api.status().message();

  ServerConfig cli = server;  // what the CLI reads from the same config
  cli.listen = "127.0.0.1:" + std::to_string((*api)->port());
  auto client = http::SilenceApiClient::Create(cli);
  ASSERT_TRUE(client.ok()) << client.status().message();
  auto listed = client->List();
  ASSERT_TRUE(listed.ok()) << listed.status().message();
  EXPECT_TRUE(listed->empty());

  cli.tls_cert = dir + "/impostor.example.com.pem";
  auto wary = http::SilenceApiClient::Create(cli);
  ASSERT_TRUE(wary.ok());
  auto refused = wary->List();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("TLS with the daemon at " + cli.listen + " failed"),
            std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("impostor.example.com.pem"), std::string::npos);

  cli.tls_cert = dir + "/missing.pem";
  EXPECT_EQ(http::SilenceApiClient::Create(cli).status().message(),
            "tls_cert " + dir + "/missing.pem: cannot read");
  (*api)->Stop();
  std::filesystem::remove_all(dir);
}

TEST(SilenceApiClientTest, SaysSoWhenNoDaemonAnswers) {
  ServerConfig cfg;
  cfg.listen = "127.0.0.1:1";
  auto client = http::SilenceApiClient::Create(cfg);
  ASSERT_TRUE(client.ok());
  auto listed = client->List();
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.status().code(), Status::Code::kUnavailable);
  EXPECT_EQ(listed.status().message(),
            "no alertdigest daemon answers at 127.0.0.1:1: connection refused; start "
            "`alertdigest serve`");
  cfg.listen = "nonsense";
  EXPECT_EQ(http::SilenceApiClient::Create(cfg).status().message(),
            "server.listen \"nonsense\": expected host:port");
}

}  // namespace
}  // namespace alertdigest::http_test
