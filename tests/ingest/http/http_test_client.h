// Test helpers: a fixture running a real HttpApi on 127.0.0.1 port 0 with a FakeIntake, and a
// small HTTP client (Poco's HTTPClientSession, or raw bytes for malformed requests).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/metrics.h"
#include "ingest/http/fake_intake.h"
#include "ingest/http/http_api.h"

namespace alertdigest::http_test {

struct Response {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // as sent; first value per name
  std::string Header(const std::string& name) const;
};

struct Request {
  std::string method = "GET";
  std::string path = "/";
  std::string body;
  std::string content_type = "application/json";  // sent only with a body or for POST
  std::vector<std::pair<std::string, std::string>> headers;
};

// One request on a new connection; status 0 and the error in body when the exchange failed.
Response Send(uint16_t port, const Request& request);
// Writes `bytes` and reads until the server closes the connection (or `timeout_ms` passes).
std::string SendRaw(uint16_t port, const std::string& bytes, int timeout_ms = 3000);

std::string ReadFile(const std::filesystem::path& path);
std::filesystem::path SamplesDir();

class HttpApiTest : public testing::Test {
 protected:
  HttpApiTest() : intake_(metrics_) {}
  void TearDown() override {
    if (api_) api_->Stop();
  }

  // Starts the server (listen is forced to 127.0.0.1:0). Fails the test on error.
  void StartServer(ServerConfig cfg = {}, HttpLimits limits = {}, AckLinkOptions ack = {});
  Response Post(const std::string& path, const std::string& body,
                std::vector<std::pair<std::string, std::string>> headers = {});
  Response Get(const std::string& path);
  uint16_t port() const { return api_->port(); }
  double CounterValue(const std::string& name, const MetricLabels& labels);

  MetricsRegistry metrics_;
  FakeIntake intake_;
  std::unique_ptr<HttpApi> api_;
};

}  // namespace alertdigest::http_test
