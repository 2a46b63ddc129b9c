// RequestGuard at work: content type, body size (refused from Content-Length without reading),
// per-request and per-alert limits, bearer token / Basic password, routing errors.
#include <Poco/Base64Encoder.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/http/http_test_client.h"

namespace alertdigest::http_test {
namespace {

namespace fs = std::filesystem;

std::string Alerts(int n) {
  std::string body = "[";
  for (int i = 0; i < n; ++i) {
    if (i) body += ",";
    body += R"({"labels":{"alertname":"A)" + std::to_string(i) + R"("}})";
  }
  return body + "]";
}

std::string Base64(const std::string& s) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc << s;
  enc.close();
  return out.str();
}

// A token file in a fresh temp dir, removed with the fixture.
class TokenFile {
 public:
  explicit TokenFile(const std::string& content) {
    dir_ = fs::temp_directory_path() /
           ("ad-http-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "token") << content;
  }
  ~TokenFile() { fs::remove_all(dir_); }
  std::string path() const { return (dir_ / "token").string(); }

 private:
  fs::path dir_;
};

class GuardTest : public HttpApiTest {};

TEST_F(GuardTest, WrongContentTypeIs415) {
  StartServer();
  Request r{"POST", "/api/v2/alerts", Alerts(1), "text/plain", {}};
  Response resp = Send(port(), r);
  EXPECT_EQ(resp.status, 415);
  EXPECT_EQ(
      resp.body,
      R"({"code":415,"message":"Content-Type must be application/json, got \"text/plain\""})");
  r.content_type = "application/json; charset=utf-8";
  EXPECT_EQ(Send(port(), r).status, 200);
  r.content_type = "Application/JSON";
  EXPECT_EQ(Send(port(), r).status, 200);
  EXPECT_EQ(intake_.submissions().size(), 2u);
}

TEST_F(GuardTest, BodyOverMaxBodyIsRefusedFromContentLengthWithoutReadingIt) {
  ServerConfig cfg;
  cfg.max_body = 1000;
  StartServer(cfg);
  // Only the headers: were the server reading the announced body, no answer would come.
  std::string answer = SendRaw(port(),
                               "POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\n"
                               "Content-Type: application/json\r\n"
                               "Content-Length: 1000000000\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 37), "HTTP/1.1 413 Request Entity Too Large") << answer;
  EXPECT_NE(answer.find("request body of 1000000000 bytes is larger than max_body (1000 bytes)"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("Connection: Close"), std::string::npos) << answer;
  EXPECT_TRUE(intake_.submissions().empty());
}

// "Expect: 100-continue": a body that fits is invited with "100 Continue"; one larger than max_body
// gets its 413 at once, never invited (Poco would send 100 Continue before the handler runs).
TEST_F(GuardTest, TooLargeBodyIsNotInvitedWith100Continue) {
  ServerConfig cfg;
  cfg.max_body = 1000;
  StartServer(cfg);
  const std::string head =
      "POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: ";
  std::string answer = SendRaw(port(), head + "5000\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 37), "HTTP/1.1 413 Request Entity Too Large") << answer;
  EXPECT_EQ(answer.find("100 Continue"), std::string::npos) << answer;

  const std::string body = R"([{"labels":{"alertname":"A"}}])";
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port()));
  socket.setReceiveTimeout(Poco::Timespan(3, 0));
  const std::string fits = head + std::to_string(body.size()) + "\r\n\r\n";
  socket.sendBytes(fits.data(), static_cast<int>(fits.size()));
  char buffer[512];
  int n = socket.receiveBytes(buffer, sizeof buffer);
  EXPECT_EQ(std::string(buffer, std::max(n, 0)).substr(0, 25), "HTTP/1.1 100 Continue\r\n\r\n");
  socket.sendBytes(body.data(), static_cast<int>(body.size()));
  n = socket.receiveBytes(buffer, sizeof buffer);
  EXPECT_EQ(std::string(buffer, std::max(n, 0)).substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_EQ(intake_.submissions().size(), 1u);
}

TEST_F(GuardTest, ChunkedBodyIsCutOffAtMaxBody) {
  ServerConfig cfg;
  cfg.max_body = 1000;
  StartServer(cfg);
  const std::string chunk(600, ' ');
  std::string request =
      "POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) request += "258\r\n" + chunk + "\r\n";  // 0x258 = 600
  request += "0\r\n\r\n";
  std::string answer = SendRaw(port(), request);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 413") << answer;
  EXPECT_NE(answer.find("request body is larger than max_body (1000 bytes)"), std::string::npos);
}

TEST_F(GuardTest, TooManyAlertsInOneRequestAreAllRefused) {
  HttpLimits limits;
  limits.max_alerts_per_request = 3;
  StartServer({}, limits);
  EXPECT_EQ(Post("/api/v2/alerts", Alerts(3)).status, 200);
  Response r = Post("/api/v2/alerts", Alerts(4));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body,
            R"j({"code":413,"message":"4 alerts in one request, more than max_alerts_per_request )j"
            R"j((3); nothing was accepted"})j");
  EXPECT_EQ(intake_.submitted_alert_count(), 3u);
}

TEST_F(GuardTest, AlertsBreakingLabelLimitsAreRejectedOneByOne) {
  HttpLimits limits;
  limits.max_labels_per_alert = 3;
  limits.max_label_name_length = 10;
  limits.max_label_value_length = 20;
  StartServer({}, limits);
  const std::string body = R"([
    {"labels":{"alertname":"ok","a":"1","b":"2"}},
    {"labels":{"alertname":"many","a":"1","b":"2","c":"3"}},
    {"labels":{"alertname":"name","abcdefghijk":"1"}},
    {"labels":{"alertname":"value","a":"123456789012345678901"}}])";
  Response r = Post("/api/v2/alerts", body);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"j({"code":400,"message":"3 of 4 alerts rejected: )j"
            R"j($[1].labels: 4 labels, more than max_labels_per_alert (3); )j"
            R"j($[2].labels: label name \"abcdefghijk\" is 11 bytes, more than )j"
            R"j(max_label_name_length (10); )j"
            R"j($[3].labels.a: value is 21 bytes, more than max_label_value_length (20)"})j");
  ASSERT_EQ(intake_.submissions().size(), 1u);
  ASSERT_EQ(intake_.submissions()[0].alerts.size(), 1u);
  EXPECT_EQ(intake_.submissions()[0].alerts[0].labels.Get("alertname"), "ok");
  EXPECT_EQ(
      CounterValue("alertdigest_alerts_invalid_total", {{"source", "api"}, {"reason", "limit"}}),
      3);
}

TEST_F(GuardTest, BearerTokenIsRequiredExceptForHealthProbes) {
  TokenFile token("  s3cret-token\n");
  ServerConfig cfg;
  cfg.auth_token_file = token.path();
  StartServer(cfg);
  const std::string body = Alerts(1);

  Response missing = Post("/api/v2/alerts", body);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.Header("WWW-Authenticate"), "Bearer realm=\"alertdigest\"");
  EXPECT_EQ(missing.body, R"({"code":401,"message":"missing credentials"})");

  Response wrong = Post("/api/v2/alerts", body, {{"Authorization", "Bearer s3cret-tokem"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body.find("s3cret"), std::string::npos);
  EXPECT_EQ(Post("/api/v2/alerts", body, {{"Authorization", "Bearer s3cret"}}).status, 401);

  EXPECT_EQ(Post("/api/v2/alerts", body, {{"Authorization", "Bearer s3cret-token"}}).status, 200);
  EXPECT_EQ(Post("/api/v2/alerts", body,
                 {{"Authorization", "Basic " + Base64("prometheus:s3cret-token")}})
                .status,
            200);
  EXPECT_EQ(
      Post("/api/v2/alerts", body, {{"Authorization", "Basic " + Base64("s3cret-token:x")}}).status,
      401);
  EXPECT_EQ(intake_.submissions().size(), 2u);

  EXPECT_EQ(Get("/healthz").status, 200);
  EXPECT_EQ(Get("/readyz").status, 503);  // not ready, but not 401
  EXPECT_EQ(Get("/metrics").status, 401);
  EXPECT_EQ(Get("/api/v2/alerts").status, 401);
}

TEST_F(GuardTest, UnreadableOrEmptyTokenFileFailsStart) {
  ServerConfig cfg;
  cfg.listen = "127.0.0.1:0";
  cfg.auth_token_file = "/nonexistent/token";
  auto api = HttpApi::Start(cfg, {}, intake_, metrics_);
  ASSERT_FALSE(api.ok());
  EXPECT_EQ(api.status().message(),
            "auth_token_file /nonexistent/token: cannot read: No such file or directory");
  TokenFile empty(" \n");
  cfg.auth_token_file = empty.path();
  api = HttpApi::Start(cfg, {}, intake_, metrics_);
  ASSERT_FALSE(api.ok());
  EXPECT_EQ(api.status().message(), "auth_token_file " + empty.path() + ": file is empty");
}

TEST_F(GuardTest, PortInUseIsAClearError) {
  StartServer();
  ServerConfig cfg;
  cfg.listen = "127.0.0.1:" + std::to_string(port());
  auto second = HttpApi::Start(cfg, {}, intake_, metrics_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(), "listen " + cfg.listen + ": address already in use");
}

TEST_F(GuardTest, BadCertificateFailsStart) {
  TokenFile not_a_cert("not a certificate");
  ServerConfig cfg;
  cfg.listen = "127.0.0.1:0";
  cfg.tls_cert = not_a_cert.path();
  cfg.tls_key = not_a_cert.path();
  auto api = HttpApi::Start(cfg, {}, intake_, metrics_);
  ASSERT_FALSE(api.ok());
  EXPECT_EQ(api.status().message().rfind("tls_cert " + not_a_cert.path() + ": ", 0), 0u)
      << api.status().message();
}

TEST_F(GuardTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  StartServer();
  Response r = Get("/api/v1/alerts");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"code":404,"message":"no such endpoint: /api/v1/alerts"})");
  Request del{"DELETE", "/api/v2/alerts", "", "", {}};
  r = Send(port(), del);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "POST, GET");
  r = Post("/healthz", "");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "GET");
}

}  // namespace
}  // namespace alertdigest::http_test
