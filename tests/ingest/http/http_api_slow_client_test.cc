// Slow clients (slowloris) against the real HttpApi: a connection that trickles its request is
// cut at HttpLimits::request_timeout, so it cannot hold a worker thread; everyone else is served
// within that bound. Short timeouts here; tests/hostile/ shows the same with the real binary and
// its default (10 s).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "ingest/http/http_test_client.h"

namespace alertdigest::http_test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

int Connect(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// True once the server closed (or reset) the connection: a read sees EOF or an error.
bool ClosedByServer(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 0) <= 0) return false;
  char c[512];
  ssize_t n = recv(fd, c, sizeof c, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

// Connections that send `prefix` at once, then `text` one byte every `every`.
class Trickle {
 public:
  Trickle(uint16_t port, int connections, std::string text, milliseconds every,
          const std::string& prefix = "")
      : text_(std::move(text)) {
    for (int i = 0; i < connections; ++i) {
      fds_.push_back(Connect(port));
      if (!prefix.empty()) send(fds_.back(), prefix.data(), prefix.size(), MSG_NOSIGNAL);
    }
    thread_ = std::thread([this, every] {
      for (size_t i = 0; !stop_.load() && i < text_.size(); ++i) {
        for (int fd : fds_) send(fd, &text_[i], 1, MSG_NOSIGNAL);
        std::this_thread::sleep_for(every);
      }
    });
  }
  ~Trickle() {
    stop_.store(true);
    thread_.join();
    for (int fd : fds_) close(fd);
  }
  int closed() const {
    int n = 0;
    for (int fd : fds_) n += ClosedByServer(fd) ? 1 : 0;
    return n;
  }

 private:
  std::string text_;
  std::vector<int> fds_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class SlowClientTest : public HttpApiTest {
 protected:
  void Start(int workers) {
    HttpLimits limits;
    limits.worker_threads = workers;
    limits.request_timeout = std::chrono::seconds(1);
    StartServer({}, limits);
  }
};

TEST_F(SlowClientTest, TricklingHeadersAreCutAtTheRequestTimeoutAndOthersAreServed) {
  Start(2);
  const auto start = Clock::now();
  // Three times as many as there are workers: four of them wait in the queue, and their clock
  // runs from the accept, not from when a worker takes them.
  Trickle slow(port(), 6, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(500, 'a'),
               milliseconds(100));
  std::this_thread::sleep_for(milliseconds(200));
  Request healthz{"GET", "/healthz", "", "", {}};
  Response r = Send(port(), healthz);
  const auto served_after = Clock::now() - start;
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_LT(served_after, milliseconds(3000)) << "1 s request timeout, 100 ms watchdog tick";
  // The normal request may be answered as soon as a worker is free, before the watchdog has cut
  // the last trickler (one tick later; slower under the sanitizers): wait for all six.
  while (slow.closed() < 6 && Clock::now() - start < std::chrono::seconds(5))
    std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(slow.closed(), 6);
  EXPECT_EQ(CounterValue("alertdigest_http_slow_connections_cut_total", {}), 6);
}

TEST_F(SlowClientTest, TricklingBodyIsCutAndNothingIsSubmitted) {
  Start(2);
  const std::string body = R"([{"labels":{"alertname":"Slow"}}])";
  const auto start = Clock::now();
  // The head at once, the body at 10 bytes a second: it would take 3.3 s.
  Trickle slow(port(), 1, body, milliseconds(100),
               "POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n");
  while (slow.closed() == 0 && Clock::now() - start < std::chrono::seconds(5))
    std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(slow.closed(), 1);
  EXPECT_LT(Clock::now() - start, milliseconds(3000)) << "cut before the body (3.3 s) was in";
  EXPECT_TRUE(intake_.submissions().empty()) << "a cut body is never a request";
}

// The deadline covers the client, not the server: a Submit that takes longer than the request
// timeout is not cut, and each request on a keep-alive connection gets its own deadline.
TEST_F(SlowClientTest, SlowHandlerAndKeepAliveAreNotCut) {
  Start(2);
  intake_.SetSubmitDelay(milliseconds(1500));
  EXPECT_EQ(Post("/api/v2/alerts", R"([{"labels":{"alertname":"A"}}])").status, 200);
  intake_.SetSubmitDelay(milliseconds(0));

  int fd = Connect(port());
  const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(send(fd, get.data(), get.size(), MSG_NOSIGNAL), static_cast<ssize_t>(get.size()));
    char buf[1024];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    ASSERT_GT(n, 0) << "request " << i;
    EXPECT_EQ(std::string(buf, 12), "HTTP/1.1 200");
    std::this_thread::sleep_for(milliseconds(450));  // 3 × 0.45 s on one connection > 1 s
  }
  close(fd);
  EXPECT_EQ(CounterValue("alertdigest_http_slow_connections_cut_total", {}), 0);
}

}  // namespace
}  // namespace alertdigest::http_test
