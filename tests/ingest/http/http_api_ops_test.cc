// The read and operational endpoints (alerts listing, status, health, metrics, reload), and the
// server's behaviour under concurrency and at Stop().
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "ingest/http/http_test_client.h"

namespace alertdigest::http_test {
namespace {

using std::chrono::milliseconds;

Poco::Dynamic::Var ParseJson(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text);
}

AlertSnapshot Snapshot(std::string name, std::string instance, std::string state = "active") {
  AlertSnapshot s;
  s.alert.labels = LabelSet{{"alertname", std::move(name)}, {"instance", std::move(instance)}};
  s.alert.annotations = LabelSet{{"summary", "Disk \"full\" ✓"}};
  s.alert.starts_at = *ParseRfc3339("2026-11-26T01:08:18.930Z");
  s.alert.generator_url = "http://prom/graph";
  s.alert.Finalize(*ParseRfc3339("2026-11-26T01:08:20Z"), std::chrono::minutes(5));
  s.alert.updated_at = *ParseRfc3339("2026-11-26T01:08:20Z");
  s.receivers = {"team-" + std::string(s.alert.labels.Get("alertname").substr(0, 1))};
  s.state = std::move(state);
  return s;
}

class OpsTest : public HttpApiTest {
 protected:
  void SetUp() override { StartServer(); }
};

TEST_F(OpsTest, ListsAlertsInAlertmanagersShape) {
  intake_.SetSnapshots({Snapshot("DiskFull", "db-1:9100")});
  Response r = Get("/api/v2/alerts");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  Poco::JSON::Array::Ptr alerts = ParseJson(r.body).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(alerts->size(), 1u);
  Poco::JSON::Object::Ptr a = alerts->getObject(0);
  EXPECT_EQ(a->getObject("labels")->getValue<std::string>("alertname"), "DiskFull");
  EXPECT_EQ(a->getObject("annotations")->getValue<std::string>("summary"), "Disk \"full\" ✓");
  EXPECT_EQ(a->getValue<std::string>("startsAt"), "2026-11-26T01:08:18.930Z");
  EXPECT_EQ(a->getValue<std::string>("endsAt"), "2026-11-26T01:13:20Z");
  EXPECT_EQ(a->getValue<std::string>("updatedAt"), "2026-11-26T01:08:20Z");
  EXPECT_EQ(a->getValue<std::string>("generatorURL"), "http://prom/graph");
  EXPECT_EQ(a->getValue<std::string>("fingerprint").size(), 16u);
  EXPECT_EQ(a->getArray("receivers")->getObject(0)->getValue<std::string>("name"), "team-D");
  Poco::JSON::Object::Ptr status = a->getObject("status");
  EXPECT_EQ(status->getValue<std::string>("state"), "active");
  EXPECT_EQ(status->getArray("silencedBy")->size(), 0u);
  EXPECT_EQ(status->getArray("inhibitedBy")->size(), 0u);
  EXPECT_EQ(status->getArray("mutedBy")->size(), 0u);
}

TEST_F(OpsTest, FiltersLikeAmtoolAsks) {
  intake_.SetSnapshots({Snapshot("DiskFull", "db-1"), Snapshot("HighCPU", "web-1"),
                        Snapshot("HighCPU", "web-2", "suppressed"),
                        Snapshot("Pending", "x", "unprocessed")});
  auto names = [&](const std::string& query) {
    Response r = Get("/api/v2/alerts" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> out;
    if (r.status != 200) return out;
    Poco::JSON::Array::Ptr alerts = ParseJson(r.body).extract<Poco::JSON::Array::Ptr>();
    for (size_t i = 0; i < alerts->size(); ++i) {
      Poco::JSON::Object::Ptr labels = alerts->getObject(i)->getObject("labels");
      out.push_back(labels->getValue<std::string>("alertname") + "/" +
                    labels->getValue<std::string>("instance"));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names("?filter=alertname%3D%22HighCPU%22"), (V{"HighCPU/web-1", "HighCPU/web-2"}));
  EXPECT_EQ(names("?filter=alertname%3DHighCPU&filter=instance%3D~%22web-2%7Cdb-1%22"),
            (V{"HighCPU/web-2"}));
  // What `amtool alert query HighCPU` sends: the default selects active alerts only.
  EXPECT_EQ(names("?active=true&inhibited=false&silenced=false&unprocessed=false"
                  "&filter=alertname%3DHighCPU"),
            (V{"HighCPU/web-1"}));
  EXPECT_EQ(names("?receiver=team-D"), (V{"DiskFull/db-1"}));
  EXPECT_EQ(names("").size(), 4u);

  Response bad = Get("/api/v2/alerts?filter=alertname~x");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body.rfind(R"({"code":400,"message":"filter: )", 0), 0u) << bad.body;
  EXPECT_EQ(Get("/api/v2/alerts?active=maybe").status, 400);
}

TEST_F(OpsTest, StatusHasWhatAmtoolReads) {
  Response r = Get("/api/v2/status");
  ASSERT_EQ(r.status, 200);
  Poco::JSON::Object::Ptr s = ParseJson(r.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(s->getObject("cluster")->getValue<std::string>("status"), "disabled");
  EXPECT_EQ(s->getObject("cluster")->getArray("peers")->size(), 0u);
  EXPECT_EQ(s->getObject("versionInfo")->getValue<std::string>("version"), "alertdigest-0.1.0");
  EXPECT_EQ(s->getObject("config")->getValue<std::string>("original"), "");
  EXPECT_TRUE(ParseRfc3339(s->getValue<std::string>("uptime")).ok());
}

TEST_F(OpsTest, HealthAndReadiness) {
  EXPECT_EQ(Get("/healthz").status, 200);
  EXPECT_EQ(Get("/healthz").body, "OK\n");
  Response r = Get("/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "not ready: loading state\n");
  intake_.SetReady(true);
  EXPECT_EQ(Get("/readyz").status, 200);
}

TEST_F(OpsTest, MetricsAreServedInTextFormatAndCountRequests) {
  Post("/api/v2/alerts", R"([{"labels":{"alertname":"X"}},{"labels":{}}])");
  Response r = Get("/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find(R"(alertdigest_alerts_received_total{source="api"} 2)"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"(alertdigest_alerts_invalid_total{source="api",reason="labels"} 1)"),
            std::string::npos)
      << r.body;
  EXPECT_NE(
      r.body.find(R"(alertdigest_http_requests_total{handler="/api/v2/alerts",code="400"} 1)"),
      std::string::npos)
      << r.body;
  EXPECT_NE(
      r.body.find("alertdigest_http_request_duration_seconds_bucket{handler=\"/api/v2/alerts\""),
      std::string::npos);
}

TEST_F(OpsTest, ReloadReportsSuccessAndFailure) {
  Response ok = Post("/-/reload", "");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "reloaded\n");
  intake_.SetReloadResult(
      Status::InvalidArgument("config.toml:3: route.receiver: no receiver named \"x\""));
  Response bad = Post("/-/reload", "");
  EXPECT_EQ(bad.status, 500);
  EXPECT_EQ(bad.body, "reload: config.toml:3: route.receiver: no receiver named \"x\"\n");
}

TEST_F(OpsTest, ManyConcurrentClientsAreAllAnswered) {
  constexpr int kThreads = 8, kRequests = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRequests; ++i) {
        const std::string body = R"([{"labels":{"alertname":"T)" + std::to_string(t) +
                                 R"(","i":")" + std::to_string(i) + R"("}}])";
        if (Post("/api/v2/alerts", body).status == 200) ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kRequests);
  EXPECT_EQ(intake_.submitted_alert_count(), static_cast<size_t>(kThreads * kRequests));
}

// At most worker_threads + max_queued connections at once; one beyond is closed at once, without
// an answer (as Poco 1.11's full queue did): Prometheus counts that as a failed send like a 503,
// Alertmanager retries it like a 5xx. A closed connection frees its place.
TEST(OverloadTest, ConnectionsBeyondTheLimitAreClosedAndTheRestAnswered) {
  MetricsRegistry metrics;
  FakeIntake intake(metrics);
  HttpLimits limits;
  limits.worker_threads = 1;
  limits.max_queued = 1;
  ServerConfig cfg;
  cfg.listen = "127.0.0.1:0";
  auto api = HttpApi::Start(cfg, limits, intake, metrics);
  ASSERT_TRUE(api.ok()) << api.status().message();
  const uint16_t port = (*api)->port();
  auto connect_idle = [port] {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  };
  const int first = connect_idle(), second = connect_idle();
  std::this_thread::sleep_for(milliseconds(200));  // both accepted, both idle
  Request post{
      "POST", "/api/v2/alerts", R"([{"labels":{"alertname":"X"}}])", "application/json", {}};
  EXPECT_EQ(Send(port, post).status, 0) << "a third connection is closed at once";
  close(first);
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(Send(port, post).status, 200) << "a place was freed";
  close(second);
  (*api)->Stop();
}

TEST_F(OpsTest, StopLetsASlowSubmitFinishAndAnswer) {
  intake_.SetSubmitDelay(milliseconds(400));
  Response answer;
  std::thread client([&] { answer = Post("/api/v2/alerts", R"([{"labels":{"alertname":"X"}}])"); });
  while (intake_.submit_started() == 0) std::this_thread::sleep_for(milliseconds(2));
  api_->Stop();
  client.join();
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(intake_.submitted_alert_count(), 1u);
  // Stopped: nothing listens any more.
  EXPECT_EQ(Get("/healthz").status, 0);
}

// The event loop answers pipelined requests in order, one at a time per connection, and reads
// chunked bodies and Expect: 100-continue as Poco did.
TEST_F(OpsTest, PipelinedChunkedAndContinuedRequestsAreAnsweredInOrder) {
  const std::string alert = R"([{"labels":{"alertname":"P"}}])";
  std::string chunked;
  for (char c : alert) chunked += "1\r\n" + std::string(1, c) + "\r\n";
  // clang-format off
  const std::string answer = SendRaw(
      port(),
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" + chunked + "0\r\n\r\n"
      "POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: " + std::to_string(alert.size()) + "\r\n\r\n" +
      alert +
      "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  // clang-format on
  std::vector<std::string> statuses;
  for (size_t at = answer.find("HTTP/1.1 "); at != std::string::npos;
       at = answer.find("HTTP/1.1 ", at + 1)) {
    statuses.push_back(answer.substr(at + 9, 3));
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"200", "200", "100", "200", "404"})) << answer;
  EXPECT_EQ(intake_.submitted_alert_count(), 2u);
  EXPECT_NE(answer.find("Connection: Close"), std::string::npos);
}

// With a loop per CPU (io_threads 0), a keep-alive connection follows its client to the loop
// on the CPU the client now sends from, between two requests, and goes on being answered there.
TEST_F(OpsTest, AKeepAliveConnectionFollowsItsClientToTheLoopOnItsNewCpu) {
  std::vector<int> cpus;
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  if (cpus.size() < 2) GTEST_SKIP() << "needs two CPUs";

  const double moved_before = CounterValue("alertdigest_http_connections_moved_total", {});
  int answered_after_the_move = 0;
  uint16_t first_local_port = 0, last_local_port = 0;
  double moved = 0;
  // A thread of its own, so the test runner's thread keeps its CPUs.
  std::thread client([&] {
    auto pin = [](int cpu) {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(cpu, &set);
      pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    };
    Poco::Net::HTTPClientSession session("127.0.0.1", port());
    session.setKeepAlive(true);
    auto get_health = [&] {
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/healthz",
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      session.sendRequest(request);
      Poco::Net::HTTPResponse response;
      std::string body;
      Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
      last_local_port = session.socket().address().port();
      return static_cast<int>(response.getStatus());
    };
    pin(cpus[0]);
    if (get_health() != 200) return;
    first_local_port = last_local_port;
    pin(cpus[1]);
    // The loops look every 100 ms and move a connection seen away on two looks in a row.
    for (int i = 0; i < 250 && moved == moved_before; ++i) {
      if (get_health() != 200) return;
      std::this_thread::sleep_for(milliseconds(20));
      moved = CounterValue("alertdigest_http_connections_moved_total", {});
    }
    for (int i = 0; i < 3; ++i) answered_after_the_move += get_health() == 200;
  });
  client.join();
  EXPECT_EQ(moved - moved_before, 1);
  EXPECT_EQ(answered_after_the_move, 3);
  EXPECT_NE(first_local_port, 0);
  EXPECT_EQ(last_local_port, first_local_port) << "the client had to reconnect";
}

}  // namespace
}  // namespace alertdigest::http_test
