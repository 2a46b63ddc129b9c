#include "ingest/http/event_loop_server.h"

#include <Poco/Net/HTTPResponse.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/log.h"
#include "ingest/http/alert_submission.h"
#include "ingest/http/request_reader.h"

namespace alertdigest::http {
namespace {

using SteadyClock = std::chrono::steady_clock;
using SteadyTime = SteadyClock::time_point;
constexpr SteadyTime kNever = SteadyTime::max();
constexpr size_t kReadChunk = 64 * 1024;
constexpr std::chrono::milliseconds kSweepEvery{100};
constexpr std::chrono::milliseconds kLookEvery{100};  // per connection: where its client sends from

// "127.0.0.1:51234" / "[::1]:51234", as Poco's SocketAddress::toString() writes it.
std::string PeerOf(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "unknown";
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    return fmt::format("{}:{}", text, ntohs(in->sin_port));
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
  inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
  return fmt::format("[{}]:{}", text, ntohs(in6->sin6_port));
}

// The CPU whose network stack received the socket's latest packet (for loopback: the CPU the
// client thread sent from), or -1 when the kernel does not say.
int IncomingCpu(int fd) {
  int cpu = -1;
  socklen_t len = sizeof cpu;
  if (getsockopt(fd, SOL_SOCKET, SO_INCOMING_CPU, &cpu, &len) != 0) return -1;
  return cpu;
}

// The CPUs this process may run on, in order.
std::vector<int> AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

// A header value from a handler never ends the header: CR and LF are dropped.
std::string HeaderSafe(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v)
    if (c != '\r' && c != '\n') out += c;
  return out;
}

void AppendReply(std::string* out, const HttpReply& reply, bool keep_alive, int minor_version) {
  const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status);
  *out += fmt::format("HTTP/1.1 {} {}\r\nServer: alertdigest\r\n", reply.status,
                      Poco::Net::HTTPResponse::getReasonForStatus(status));
  if (!reply.content_type.empty())
    *out += fmt::format("Content-Type: {}\r\n", HeaderSafe(reply.content_type));
  for (const auto& [name, value] : reply.headers)
    *out += fmt::format("{}: {}\r\n", HeaderSafe(name), HeaderSafe(value));
  *out += fmt::format("Content-Length: {}\r\n", reply.body.size());
  if (!keep_alive)
    *out += "Connection: Close\r\n";  // (spelled as Poco does)
  else if (minor_version == 0)
    *out += "Connection: Keep-Alive\r\n";
  *out += "\r\n";
  *out += reply.body;
}

// Where other threads leave their results for the loop: worker replies and committed batches.
// Shared with them (shared_ptr), so a late result after Stop() finds it still there.
class Mailbox {
 public:
  Mailbox() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
  ~Mailbox() {
    if (fd_ >= 0) close(fd_);
  }
  int fd() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

  // A keep-alive connection another loop served until now, between two requests.
  struct HandedOver {
    std::string peer;
    SteadyTime idle_deadline, deadline;
  };
  struct Letter {
    uint64_t connection = 0;  // 0: the batch in flight is committed
    HttpReply reply;
    // With kAdopt: a connection another loop accepted for this one, or served until now (then
    // handed_over holds its state).
    int adopt_fd = -1;
    std::optional<HandedOver> handed_over = std::nullopt;
  };
  void Post(Letter letter) {
    {
      std::lock_guard lock(mu_);
      letters_.push_back(std::move(letter));
    }
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(fd_, &one, sizeof one);
  }
  std::vector<Letter> Take() {
    uint64_t count;
    [[maybe_unused]] ssize_t n = read(fd_, &count, sizeof count);
    std::lock_guard lock(mu_);
    return std::exchange(letters_, {});
  }

 private:
  int fd_;
  std::mutex mu_;
  std::vector<Letter> letters_;
};

}  // namespace

class EventLoopServer::Loop {
 public:
  // `cpu`: the CPU this loop's thread runs on (pinned), or -1 (the scheduler places it).
  Loop(int listen_fd, int cpu, ServerState& state, Intake& intake, const HttpLimits& limits,
       std::atomic<size_t>& open_connections, int workers)
      : listen_fd_(listen_fd),
        cpu_(cpu),
        state_(state),
        intake_(intake),
        limits_(limits),
        max_connections_(static_cast<size_t>(std::max(1, limits.worker_threads) +
                                             std::max(1, limits.max_queued))),
        open_connections_(open_connections),
        worker_count_(workers),
        mailbox_(std::make_shared<Mailbox>()),
        cut_(state.metrics.GetCounter(
            "alertdigest_http_slow_connections_cut_total",
            "HTTP connections closed because the client did not send its request (or take the "
            "reply) within the request timeout.")),
        moved_(state.metrics.GetCounter(
            "alertdigest_http_connections_moved_total",
            "Keep-alive connections handed to the event loop on the CPU their client sends from "
            "(the client's thread moved).")) {}

  void SetSiblings(const std::vector<std::unique_ptr<Loop>>* loops, std::atomic<size_t>* next) {
    siblings_ = loops;
    next_owner_ptr_ = next;
  }

  ~Loop() {
    for (Mailbox::Letter& letter : mailbox_->Take()) {  // connections handed over too late
      if (letter.connection == kAdopt) {
        close(letter.adopt_fd);
        open_connections_.fetch_sub(1);
      }
    }
    if (epoll_ >= 0) close(epoll_);
    if (listen_fd_ >= 0) close(listen_fd_);
  }

  Status Start() {
    fcntl(listen_fd_, F_SETFL, fcntl(listen_fd_, F_GETFL) | O_NONBLOCK);
    fcntl(listen_fd_, F_SETFD, FD_CLOEXEC);
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0 || !mailbox_->ok())
      return Status::IoError(fmt::format("http server: {}", std::strerror(errno)));
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;  // one loop wakes for a new connection, not all
    ev.data.u64 = kListenerTag;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, listen_fd_, &ev);
    ev.events = EPOLLIN;
    ev.data.u64 = kMailboxTag;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, mailbox_->fd(), &ev);
    for (int i = 0; i < worker_count_; ++i) workers_.emplace_back([this] { WorkerMain(); });
    thread_ = std::thread([this] {
      if (cpu_ >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu_, &set);
        pthread_setaffinity_np(pthread_self(), sizeof set, &set);  // (if refused: unpinned)
      }
      Run();
    });
    return Status::Ok();
  }

  // Stop in two halves, so several loops stop together.
  void RequestStop() {
    stop_requested_.store(true);
    mailbox_->Post({kWakeOnly, {}});
  }
  void Stop() {
    if (stopped_) return;
    stopped_ = true;
    state_.stopping.store(true);
    RequestStop();
    if (thread_.joinable()) thread_.join();
    {
      std::lock_guard lock(work_mu_);
      workers_stop_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& w : workers_) w.join();
  }

 private:
  static constexpr uint64_t kListenerTag = 0;
  static constexpr uint64_t kMailboxTag = 1;
  static constexpr uint64_t kWakeOnly = ~uint64_t{0};  // a letter that only wakes the loop
  static constexpr uint64_t kAdopt = kWakeOnly - 1;    // a letter with a new connection

  enum class Phase {
    kReading,  // waiting for (the rest of) a request
    kWorking,  // a worker or the engine has the request
    kWriting,  // the reply is being sent
  };

  struct Connection {
    uint64_t id = 0;
    int fd = -1;
    std::string peer;
    RequestReader reader;
    Phase phase = Phase::kReading;
    bool readable = false;  // epoll said so, and no read has met EAGAIN since
    bool writable = true;   // no send has met EAGAIN since epoll last said so
    bool dead = false;      // the peer hung up while we worked: drop the reply, close
    bool served_one = false;
    bool peer_closed = false;  // the client shut down its side: answer what is whole, then close
    bool closed = false;       // Close()d: gone at the end of the loop's turn
    int away = 0;              // looks in a row that found its client on another loop's CPU
    SteadyTime next_look{};    // FollowClients looks again after a reply from then on
    // The request being handled.
    Admission admission;
    std::string method, target;
    bool keep_alive = true;
    int minor_version = 1;
    SteadyTime started{};
    // Deadlines: for the request to be complete (kReading) or the reply taken (kWriting); and,
    // between requests of a keep-alive connection, for the next one to start.
    SteadyTime deadline = kNever;
    SteadyTime idle_deadline = kNever;
    std::string out;
    size_t out_pos = 0;

    explicit Connection(size_t max_body) : reader(max_body) {}
  };

  struct PendingSubmission {
    uint64_t connection;
    PreparedSubmission prepared;
  };

  // --- the loop -------------------------------------------------------------------------------

  void Run() {
    std::vector<epoll_event> events(256);
    SteadyTime next_sweep = SteadyClock::now() + kSweepEvery;
    SteadyTime stop_deadline = kNever;
    for (;;) {
      int timeout_ms = connections_.empty() && !stop_requested_.load() ? 1000 : 50;
      int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), timeout_ms);
      if (n < 0 && errno != EINTR) {
        log::Error("http server: epoll_wait failed", {{"error", std::strerror(errno)}});
        break;
      }
      now_ = SteadyClock::now();
      for (int i = 0; i < n; ++i) {
        const epoll_event& ev = events[static_cast<size_t>(i)];
        if (ev.data.u64 == kListenerTag)
          AcceptAll();
        else if (ev.data.u64 == kMailboxTag)
          ReadMailbox();
        else
          OnEvent(ev.data.u64, ev.events);
      }
      while (!in_flight_batches_ && !pending_.empty()) SubmitPending();
      if (!looking_.empty()) FollowClients();
      if (now_ >= next_sweep) {
        Sweep();
        next_sweep = now_ + kSweepEvery;
      }
      closed_.clear();
      if (stop_requested_.load()) {
        if (stop_deadline == kNever) {
          stop_deadline = now_ + limits_.stop_grace;
          CloseListener();
          CloseIdle();
        }
        if (InFlight() == 0) break;
        if (now_ >= stop_deadline) {
          log::Warn("http stop: requests still running after the grace period",
                    {{"in_flight", static_cast<int64_t>(InFlight())}});
          break;
        }
      }
    }
    CloseListener();
    while (!connections_.empty()) Close(*connections_.begin()->second);
    closed_.clear();
  }

  // Nothing in progress: no request begun, none being handled or answered.
  static bool Idle(const Connection& c) {
    return c.phase == Phase::kReading && !c.reader.InRequest();
  }

  size_t InFlight() const {
    size_t n = 0;
    for (const auto& [id, c] : connections_) {
      if (!Idle(*c)) ++n;
    }
    return n;
  }

  void CloseListener() {
    if (listen_fd_ < 0) return;
    epoll_ctl(epoll_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    close(listen_fd_);
    listen_fd_ = -1;
  }

  // Connections with nothing in progress, at the start of a stop.
  void CloseIdle() {
    std::vector<Connection*> idle;
    for (const auto& [id, c] : connections_) {
      if (Idle(*c)) idle.push_back(c.get());
    }
    for (Connection* c : idle) Close(*c);
  }

  void AcceptAll() {
    for (;;) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
          log::Warn("http accept failed", {{"error", std::strerror(errno)}});
        return;
      }
      if (open_connections_.fetch_add(1) >= max_connections_) {
        open_connections_.fetch_sub(1);
        close(fd);  // full: refused at once, as Poco's full queue does
        continue;
      }
      // A connection goes to the loop on the CPU its client sends from, so the two trade
      // requests and replies on one CPU, and a client's connections batch together in one
      // loop. Unpinned loops take connections in turn, whichever loop the kernel woke to accept
      // (it often wakes one loop for a whole burst of them).
      Loop* owner = LoopOnCpu(IncomingCpu(fd));
      if (!owner) owner = (*siblings_)[next_owner_ptr_->fetch_add(1) % siblings_->size()].get();
      if (owner == this)
        Adopt(fd, std::nullopt);
      else
        owner->mailbox_->Post({kAdopt, {}, fd});
    }
  }

  // The pinned loop on `cpu`, if there is one.
  Loop* LoopOnCpu(int cpu) const {
    if (cpu < 0) return nullptr;
    for (const auto& loop : *siblings_)
      if (loop->cpu_ == cpu) return loop.get();
    return nullptr;
  }

  // Takes a new connection, or (`handed_over`) one another loop served until now.
  void Adopt(int fd, std::optional<Mailbox::HandedOver> handed_over) {
    if (stop_requested_.load()) {  // (a loop on its way out takes no new connection)
      close(fd);
      open_connections_.fetch_sub(1);
      return;
    }
    auto c = std::make_unique<Connection>(state_.guard.max_body());
    c->id = next_id_++;
    c->fd = fd;
    if (handed_over) {
      c->peer = std::move(handed_over->peer);
      c->served_one = true;
      c->idle_deadline = handed_over->idle_deadline;
      c->deadline = handed_over->deadline;
    } else {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      c->peer = PeerOf(fd);
      c->deadline = SteadyClock::now() + limits_.request_timeout;
    }
    Connection& conn = *c;
    connections_.emplace(c->id, std::move(c));
    connection_count_.store(connections_.size());
    // Edge-triggered, registered once: the loop remembers what a socket can do (readable,
    // writable) and never changes what it watches.
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.u64 = conn.id;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  }

  Connection* Find(uint64_t id) {
    auto it = connections_.find(id);
    return it == connections_.end() ? nullptr : it->second.get();
  }

  // Closes the socket at once; the Connection itself lives to the end of the loop's turn, so
  // whoever still holds it may look (c.closed) but does nothing more with it.
  void Close(Connection& c) {
    if (c.closed) return;
    c.closed = true;
    epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
    open_connections_.fetch_sub(1);
    auto it = connections_.find(c.id);
    closed_.push_back(std::move(it->second));
    connections_.erase(it);
    connection_count_.store(connections_.size());
  }

  void OnEvent(uint64_t id, uint32_t events) {
    Connection* c = Find(id);
    if (!c) return;
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) c->readable = true;
    if (events & EPOLLOUT) c->writable = true;
    if (c->phase == Phase::kWorking) {
      // Gone for good: the reply will have nowhere to go. (A half-close is not that: the
      // client may still read.)
      if (events & (EPOLLHUP | EPOLLERR)) c->dead = true;
      return;
    }
    Drive(*c);
  }

  // Moves a connection on as far as it goes without blocking: sends what is pending, handles
  // the requests that are whole, reads more while it needs more. A loop, never a recursion,
  // however many requests a client pipelines.
  void Drive(Connection& c) {
    while (!c.closed) {
      if (c.out_pos < c.out.size() || c.phase == Phase::kWriting) {
        if (!Flush(c)) return;  // blocked (EPOLLOUT resumes it) or closed
        continue;
      }
      if (c.phase != Phase::kReading) return;  // a worker or the engine has the request
      Process(c);
      if (c.closed || c.phase != Phase::kReading) continue;
      // The request so far is incomplete: more bytes, or the end.
      if (c.peer_closed) return Close(c);  // a request cut short is dropped, never handled
      if (!c.readable) return;             // EPOLLIN resumes it
      ReadSome(c);
    }
  }

  void ReadSome(Connection& c) {
    char buffer[kReadChunk];
    ssize_t got = read(c.fd, buffer, sizeof buffer);
    if (got > 0) {
      c.reader.Feed(std::string_view(buffer, static_cast<size_t>(got)));
    } else if (got == 0) {
      // End of input: a request that is whole is still answered (the client may only have
      // shut down its sending side), then the connection closes.
      c.peer_closed = true;
      c.keep_alive = false;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      c.readable = false;
    } else if (errno != EINTR) {
      Close(c);  // reset
    }
  }

  // Parses and starts handling buffered requests while the connection is free for one: a loop,
  // never a recursion, however many requests a client pipelines (Respond and Flush never call
  // back into Process).
  void Process(Connection& c) {
    while (!c.closed && c.phase == Phase::kReading) {
      switch (c.reader.Advance()) {
        case RequestReader::Step::kNeedMore:
          return;
        case RequestReader::Step::kError: {
          c.method.clear();
          c.target.clear();
          c.admission = Admission();
          c.started = now_;
          c.keep_alive = false;
          const int status = c.reader.error_status();
          HttpReply reply = JsonErrorReply(
              status, status == 400 ? "bad request: " + c.reader.error() : c.reader.error());
          return Respond(c, std::move(reply));
        }
        case RequestReader::Step::kHead:
          OnHead(c);
          break;
        case RequestReader::Step::kBody:
          OnRequest(c);
          break;
      }
    }
  }

  void OnHead(Connection& c) {
    const ParsedHead& h = c.reader.head();
    c.started = now_;
    c.method = h.method;
    c.target = h.target;
    c.keep_alive = h.keep_alive;
    c.minor_version = h.minor_version;
    RequestHead head;
    head.method = h.method;
    head.target = h.target;
    if (const std::string* v = h.Find("Authorization")) {
      head.has_authorization = true;
      head.authorization = *v;
    }
    if (const std::string* v = h.Find("Content-Type")) head.content_type = *v;
    head.content_length = h.content_length;
    head.chunked = h.chunked;
    c.admission = Admit(state_, head);
    const bool has_body = h.chunked || h.content_length.value_or(0) > 0;
    if (c.admission.refusal) {
      // Refused before its body: the body is not read, so the connection ends with the reply.
      if (has_body) c.keep_alive = false;
      HttpReply reply = std::move(*c.admission.refusal);
      c.reader.NextRequest();  // (a body is never read: then the connection closes)
      return Respond(c, std::move(reply));
    }
    c.reader.ReadBody();
    if (has_body && h.expect_continue)
      c.out += "HTTP/1.1 100 Continue\r\n\r\n";  // (Drive sends it)
  }

  void OnRequest(Connection& c) {
    if (c.peer_closed) c.keep_alive = false;
    HttpRequest& req = c.admission.request;
    req.body = std::move(c.reader.body());
    if (const std::string* ua = c.reader.head().Find("User-Agent")) req.user_agent = *ua;
    req.remote_address = c.peer;
    c.reader.NextRequest();
    c.deadline = kNever;  // no deadline while we work on it
    c.idle_deadline = kNever;
    c.phase = Phase::kWorking;
    const Route& route = *c.admission.route;
    if (route.prepare) {
      PreparedSubmission prepared = route.prepare(req);
      if (prepared.reply)
        return Respond(c, AlertSubmission::Finish(prepared));  // (Process goes on)
      pending_.push_back({c.id, std::move(prepared)});
      return;
    }
    {
      std::lock_guard lock(work_mu_);
      work_.push_back({c.id, &route, std::move(req)});
    }
    work_cv_.notify_one();
  }

  // The requests decoded since the last batch go to the engine together.
  void SubmitPending() {
    auto batches = std::make_shared<std::vector<IntakeBatch>>();
    batches->reserve(pending_.size());
    for (PendingSubmission& p : pending_) batches->push_back(std::move(p.prepared.batch));
    in_flight_ = std::move(pending_);
    pending_.clear();
    in_flight_batches_ = batches;
    // Committed on this thread (the engine was idle: the daemon ingests on the caller's
    // thread), or later on the engine thread, which then leaves a letter.
    auto done_here = std::make_shared<std::atomic<bool>>(false);
    std::weak_ptr<Mailbox> mailbox = mailbox_;
    const std::thread::id loop_thread = std::this_thread::get_id();
    intake_.SubmitAllAsync(batches, [mailbox, done_here, loop_thread] {
      if (std::this_thread::get_id() == loop_thread)
        done_here->store(true);
      else if (auto m = mailbox.lock())
        m->Post({0, {}});
    });
    if (done_here->load()) OnBatchCommitted();
  }

  void OnBatchCommitted() {
    std::vector<PendingSubmission> done = std::move(in_flight_);
    in_flight_.clear();
    std::vector<IntakeBatch>& results = *in_flight_batches_;
    for (size_t i = 0; i < done.size(); ++i) {
      done[i].prepared.batch.result = results[i].result;
      Finished(done[i].connection, AlertSubmission::Finish(done[i].prepared));
    }
    in_flight_batches_.reset();  // (the loop submits what is pending at the end of its turn)
  }

  void ReadMailbox() {
    for (Mailbox::Letter& letter : mailbox_->Take()) {
      if (letter.connection == kWakeOnly) continue;
      if (letter.connection == kAdopt) {
        Adopt(letter.adopt_fd, std::move(letter.handed_over));
        continue;
      }
      if (letter.connection == 0)
        OnBatchCommitted();
      else
        Finished(letter.connection, std::move(letter.reply));
    }
  }

  void Finished(uint64_t id, HttpReply reply) {
    Connection* c = Find(id);
    if (!c) return;
    if (c->dead) {
      RecordRequest(state_, c->method, c->target, c->admission.label, reply, c->started);
      return Close(*c);
    }
    Respond(*c, std::move(reply));
    Drive(*c);
  }

  void Respond(Connection& c, HttpReply reply) {
    if (state_.stopping.load()) c.keep_alive = false;
    AppendReply(&c.out, reply, c.keep_alive, c.minor_version);
    RecordRequest(state_, c.method.empty() ? "-" : c.method, c.target, c.admission.label, reply,
                  c.started);
    c.admission = Admission();
    c.phase = Phase::kWriting;
    c.deadline = now_ + limits_.request_timeout;  // the client must take the reply
  }

  // Sends what is pending. True when all of it went out and the connection is still open
  // (after a whole reply: ready for its next request).
  bool Flush(Connection& c) {
    while (c.out_pos < c.out.size()) {
      if (!c.writable) return false;
      ssize_t n = send(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_pos += static_cast<size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        c.writable = false;
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        Close(c);  // the client is gone
        return false;
      }
    }
    c.out.clear();
    c.out_pos = 0;
    if (c.phase != Phase::kWriting) return true;  // (a 100 Continue went out before the body)
    if (!c.keep_alive) {
      Close(c);
      return false;
    }
    c.served_one = true;
    c.phase = Phase::kReading;
    c.idle_deadline = now_ + limits_.keep_alive_timeout;
    c.deadline = now_ + limits_.keep_alive_timeout + limits_.request_timeout;
    if (cpu_ >= 0 && now_ >= c.next_look) {  // where does its client send from? (FollowClients)
      c.next_look = now_ + kLookEvery;
      looking_.push_back(c.id);
    }
    return true;
  }

  // Deadlines: slow clients are cut off, idle keep-alive connections closed.
  void Sweep() {
    std::vector<std::pair<Connection*, bool>> expired;  // (connection, counts as a cut)
    for (const auto& [id, c] : connections_) {
      if (c->phase == Phase::kWorking) continue;
      if (Idle(*c) && c->served_one && now_ >= c->idle_deadline)
        expired.emplace_back(c.get(), false);
      else if (now_ >= c->deadline)
        expired.emplace_back(c.get(), true);
    }
    for (auto [c, cut] : expired) {
      if (cut) {
        cut_.Inc();
        log::Debug("http connection cut off: too slow", {{"peer", c->peer}});
      }
      Close(*c);
    }
  }

  // A connection whose client now sends from another CPU (the scheduler moved the client's
  // thread) moves to the loop pinned there, between two requests, as long as that loop then
  // serves no more connections than this one did: clients that crowd onto one CPU are not all
  // served by one loop, and connections do not chase clients the scheduler shuffles between
  // balanced loops. Looked at after a reply, at most once per kLookEvery, and seen away on two
  // looks in a row first, so a client passing through a CPU stays where it is.
  void FollowClients() {
    std::vector<std::pair<Connection*, Loop*>> moving;
    std::unordered_map<Loop*, size_t> arriving;  // at each loop, from this pass
    size_t staying = connections_.size();
    for (uint64_t id : std::exchange(looking_, {})) {
      Connection* c = Find(id);
      if (!c || !Idle(*c)) continue;
      Loop* home = LoopOnCpu(IncomingCpu(c->fd));
      if (!home || home == this) {
        c->away = 0;
      } else if (++c->away >= 2 && home->connection_count_.load() + arriving[home] < staying) {
        moving.emplace_back(c, home);
        ++arriving[home];
        --staying;
      }
    }
    for (auto [c, home] : moving) {
      epoll_ctl(epoll_, EPOLL_CTL_DEL, c->fd, nullptr);
      Mailbox::Letter letter{kAdopt, {}, c->fd};
      letter.handed_over = Mailbox::HandedOver{std::move(c->peer), c->idle_deadline, c->deadline};
      connections_.erase(c->id);  // (the socket lives on, with its new loop)
      connection_count_.store(connections_.size());
      home->mailbox_->Post(std::move(letter));
      moved_.Inc();
    }
  }

  // --- workers --------------------------------------------------------------------------------

  struct Work {
    uint64_t connection;
    const Route* route;
    HttpRequest request;
  };

  void WorkerMain() {
    for (;;) {
      Work w;
      {
        std::unique_lock lock(work_mu_);
        work_cv_.wait(lock, [&] { return workers_stop_ || !work_.empty(); });
        if (work_.empty()) return;  // stopping, and nothing left
        w = std::move(work_.front());
        work_.pop_front();
      }
      HttpReply reply = RunHandler(*w.route, w.request);
      mailbox_->Post({w.connection, std::move(reply)});
    }
  }

  int listen_fd_;
  const int cpu_;  // pinned to it; -1: not pinned
  int epoll_ = -1;
  ServerState& state_;
  Intake& intake_;
  HttpLimits limits_;
  const size_t max_connections_;                                  // of all loops together
  const std::vector<std::unique_ptr<Loop>>* siblings_ = nullptr;  // every loop, this one too
  std::atomic<size_t>* next_owner_ptr_ = nullptr;
  std::atomic<size_t>& open_connections_;
  const int worker_count_;
  std::shared_ptr<Mailbox> mailbox_;
  Counter& cut_;
  Counter& moved_;
  std::thread thread_;
  std::atomic<bool> stop_requested_{false};
  bool stopped_ = false;

  // Loop thread only.
  SteadyTime now_{};
  uint64_t next_id_ = 2;  // 0 and 1 tag the listener and the mailbox
  std::unordered_map<uint64_t, std::unique_ptr<Connection>> connections_;
  std::atomic<size_t> connection_count_{0};          // connections_.size(), for the other loops
  std::vector<uint64_t> looking_;                    // for FollowClients at the end of the turn
  std::vector<std::unique_ptr<Connection>> closed_;  // until the end of the turn
  std::vector<PendingSubmission> pending_;           // decoded, waiting for the next batch
  std::vector<PendingSubmission> in_flight_;         // the batch the engine has
  std::shared_ptr<std::vector<IntakeBatch>> in_flight_batches_;  // null: no batch in flight

  // Workers.
  std::mutex work_mu_;
  std::condition_variable work_cv_;
  std::deque<Work> work_;
  bool workers_stop_ = false;
  std::vector<std::thread> workers_;
};

Result<std::unique_ptr<EventLoopServer>> EventLoopServer::Start(int listen_fd, ServerState& state,
                                                                Intake& intake,
                                                                const HttpLimits& limits) {
  std::unique_ptr<EventLoopServer> server(new EventLoopServer());
  // io_threads 0: one loop per CPU, pinned to it (the first kMaxAutoIoThreads CPUs; a client on
  // another CPU gets a loop in turn).
  std::vector<int> cpus = limits.io_threads > 0 ? std::vector<int>{} : AllowedCpus();
  if (cpus.size() > HttpLimits::kMaxAutoIoThreads) cpus.resize(HttpLimits::kMaxAutoIoThreads);
  const bool pinned = cpus.size() > 1;
  const int loops =
      limits.io_threads > 0 ? limits.io_threads : std::max(1, static_cast<int>(cpus.size()));
  const int workers = std::max(1, limits.worker_threads / loops);
  for (int i = 0; i < loops; ++i) {
    // Each loop accepts on its own descriptor of the one listening socket.
    int fd = i == 0 ? listen_fd : dup(listen_fd);
    if (fd < 0) return Status::IoError(fmt::format("http server: {}", std::strerror(errno)));
    const int cpu = pinned ? cpus[static_cast<size_t>(i)] : -1;
    server->loops_.push_back(
        std::make_unique<Loop>(fd, cpu, state, intake, limits, server->open_connections_, workers));
    server->loops_.back()->SetSiblings(&server->loops_, &server->next_owner_);
  }
  for (auto& loop : server->loops_) {  // (all exist before any accepts and hands over)
    if (Status st = loop->Start(); !st.ok()) return st;
  }
  return server;
}

EventLoopServer::EventLoopServer() = default;

EventLoopServer::~EventLoopServer() { Stop(); }

void EventLoopServer::Stop() {
  for (auto& loop : loops_) loop->RequestStop();
  for (auto& loop : loops_) loop->Stop();
}

}  // namespace alertdigest::http
