// ConnectionDeadlines: cuts off HTTP clients that are too slow (slowloris) on the TLS listener,
// which runs on Poco's server (the plain-HTTP event loop keeps the same deadlines itself). Poco's
// server times out each read (HttpLimits::receive_timeout), never a whole request: a client that
// sends one header byte every few seconds holds a worker thread for as long as it likes, and a
// handful of them (HttpLimits::worker_threads) starve everyone else.
//
// So every connection has a deadline while the client is the one to act: its first request (head
// and body) must have arrived request_timeout after the accept — also while it waits in the queue
// for a worker; the handler lifts the deadline while it works on the request and sets it again
// for sending the reply and, on a keep-alive connection, for the next request. A watchdog thread
// shuts down (shutdown(2), both directions) every connection past its deadline: the blocked read
// or write returns, Poco ends the connection, and the worker is free. Each cut counts in
// alertdigest_http_slow_connections_cut_total.
//
// How: the server is a Poco TCPServer with AcceptFilter() and ConnectionFactory() (Poco's own
// HTTPServerConnection, told when it ends). At the accept, on the acceptor thread, the filter
// takes a dup() of the descriptor; the watchdog shuts down and closes only that duplicate and
// never touches Poco's socket objects, which Poco closes and frees on its own threads whenever it
// likes (so a reused descriptor number is never hit, and no TLS state is touched from another
// thread). A connection the queue has no room for is refused at once, as Poco would.
//
// Internal to ingest/http (Poco types in the interface). Thread-safe.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/metrics.h"

namespace alertdigest::http {

class ConnectionDeadlines {
 public:
  using Duration = std::chrono::steady_clock::duration;

  ConnectionDeadlines(MetricsRegistry& metrics, Duration request_timeout, int max_queued);
  ~ConnectionDeadlines();  // stops the watchdog, closes its duplicates (cuts nothing)

  // For TCPServer::setConnectionFilter, and the server it filters for (its queue length).
  Poco::Net::TCPServerConnectionFilter::Ptr AcceptFilter();
  void SetServer(const Poco::Net::TCPServer* server) { server_.store(server); }
  // For TCPServer: Poco's HTTPServerConnection for each connection, forgotten when it ends.
  Poco::Net::TCPServerConnectionFactory::Ptr ConnectionFactory(
      Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers);

  // From the connection's own thread (a request handler): the client must be done (request
  // received, reply taken) within `within` from now; or no deadline while we work.
  void Arm(const Poco::Net::StreamSocket& socket, Duration within);
  void Disarm(const Poco::Net::StreamSocket& socket);

  // Shuts down every connection, queued or running (the server's stop, after its grace period).
  void CutAll();

  ConnectionDeadlines(const ConnectionDeadlines&) = delete;
  ConnectionDeadlines& operator=(const ConnectionDeadlines&) = delete;

  // For the filter and the connections (connection_deadlines.cc): false refuses the connection.
  bool Accepted(const Poco::Net::StreamSocket& socket);
  void Ended(const Poco::Net::StreamSocket& socket);

 private:
  using Time = std::chrono::steady_clock::time_point;
  struct Watched {
    int fd = -1;       // our dup() of the connection's descriptor; closed when we let go
    std::string peer;  // for the log line
    Time deadline;
  };
  // Keys are SocketImpl addresses, never dereferenced here. Every accepted socket passes
  // Accepted() first, which replaces whatever an earlier socket at the same address left.
  using Key = const Poco::Net::SocketImpl*;
  void Run();

  MetricsRegistry& metrics_;
  const Duration request_timeout_;
  const int max_queued_;
  std::atomic<const Poco::Net::TCPServer*> server_{nullptr};
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<Key, Watched> watched_;  // guarded by mu_: accepted, queued or running
  bool stop_ = false;               // guarded by mu_
  std::thread thread_;
};

}  // namespace alertdigest::http
