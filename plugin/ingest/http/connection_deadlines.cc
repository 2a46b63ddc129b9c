#include "ingest/http/connection_deadlines.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"

namespace alertdigest::http {
namespace {

// How often the watchdog looks: a slow client is cut at most this long after its deadline.
constexpr auto kTick = std::chrono::milliseconds(100);

class AcceptTimeFilter : public Poco::Net::TCPServerConnectionFilter {
 public:
  explicit AcceptTimeFilter(ConnectionDeadlines& deadlines) : deadlines_(deadlines) {}
  bool accept(const Poco::Net::StreamSocket& socket) override {
    return deadlines_.Accepted(socket);
  }

 private:
  ConnectionDeadlines& deadlines_;
};

// Poco's HTTP connection, forgotten by the deadlines when it ends (on its own thread).
class WatchedConnection : public Poco::Net::HTTPServerConnection {
 public:
  WatchedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                    ConnectionDeadlines& deadlines)
      : HTTPServerConnection(socket, params, handlers), deadlines_(deadlines) {}

  void run() override {
    struct EndGuard {
      ConnectionDeadlines& d;
      const Poco::Net::StreamSocket& s;
      ~EndGuard() { d.Ended(s); }
    } guard{deadlines_, socket()};
    HTTPServerConnection::run();
  }

 private:
  ConnectionDeadlines& deadlines_;
};

class WatchedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  WatchedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                           Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                           ConnectionDeadlines& deadlines)
      : params_(params), handlers_(handlers), deadlines_(deadlines) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new WatchedConnection(socket, params_, handlers_, deadlines_);
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  ConnectionDeadlines& deadlines_;
};

}  // namespace

ConnectionDeadlines::ConnectionDeadlines(MetricsRegistry& metrics, Duration request_timeout,
                                         int max_queued)
    : metrics_(metrics),
      request_timeout_(request_timeout),
      max_queued_(max_queued),
      thread_([this] { Run(); }) {}

ConnectionDeadlines::~ConnectionDeadlines() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  for (auto& [key, w] : watched_) ::close(w.fd);
}

Poco::Net::TCPServerConnectionFilter::Ptr ConnectionDeadlines::AcceptFilter() {
  return new AcceptTimeFilter(*this);
}

Poco::Net::TCPServerConnectionFactory::Ptr ConnectionDeadlines::ConnectionFactory(
    Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers) {
  return new WatchedConnectionFactory(params, handlers, *this);
}

bool ConnectionDeadlines::Accepted(const Poco::Net::StreamSocket& socket) {
  // Poco refuses (closes) a connection the queue has no room for; do it here, before taking a
  // duplicate that would keep it open. Only this thread enqueues, so the queue cannot fill up
  // between this look and Poco's.
  if (const Poco::Net::TCPServer* server = server_.load();
      server && server->queuedConnections() >= max_queued_)
    return false;
  // On the acceptor thread, which owns the socket until it is queued: its descriptor is open.
  Watched w{
      ::dup(socket.impl()->sockfd()), {}, std::chrono::steady_clock::now() + request_timeout_};
  try {
    w.peer = socket.peerAddress().toString();
  } catch (const Poco::Exception&) {
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = watched_.find(socket.impl()); it != watched_.end()) {
    ::close(it->second.fd);  // left by an earlier socket at the same address
    watched_.erase(it);
  }
  if (w.fd >= 0) watched_.emplace(socket.impl(), std::move(w));
  // else: out of descriptors; not watched (Poco's per-read timeout still holds)
  return true;
}

void ConnectionDeadlines::Ended(const Poco::Net::StreamSocket& socket) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = watched_.find(socket.impl()); it != watched_.end()) {
    ::close(it->second.fd);
    watched_.erase(it);
  }
}

void ConnectionDeadlines::Arm(const Poco::Net::StreamSocket& socket, Duration within) {
  const Time deadline = std::chrono::steady_clock::now() + within;
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = watched_.find(socket.impl()); it != watched_.end()) it->second.deadline = deadline;
}

void ConnectionDeadlines::Disarm(const Poco::Net::StreamSocket& socket) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = watched_.find(socket.impl()); it != watched_.end())
    it->second.deadline = Time::max();
}

void ConnectionDeadlines::CutAll() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [key, w] : watched_) ::shutdown(w.fd, SHUT_RDWR);
}

void ConnectionDeadlines::Run() {
  Counter& cut = metrics_.GetCounter(
      "alertdigest_http_slow_connections_cut_total",
      "HTTP connections closed because the client did not send its request (or take the reply) "
      "within the request timeout.");
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, kTick);
    const Time now = std::chrono::steady_clock::now();
    for (auto it = watched_.begin(); it != watched_.end();) {
      if (now < it->second.deadline) {
        ++it;
        continue;
      }
      // shutdown(2) acts on the connection, whichever descriptor names it: the worker's blocked
      // read or write returns (a queued connection's first read finds the end) and Poco ends the
      // connection. (Not Poco's shutdown(): for TLS it would write a close_notify from this
      // thread while the worker may be inside SSL_read.)
      ::shutdown(it->second.fd, SHUT_RDWR);
      ::close(it->second.fd);
      cut.Inc();
      log::Debug("http connection cut: request or reply not through within the request timeout",
                 {{"client", it->second.peer}});
      it = watched_.erase(it);
    }
  }
}

}  // namespace alertdigest::http
