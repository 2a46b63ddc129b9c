// ConnectionWatchdog: unsticks a connection whose operation overran its deadline.
//
// Poco 1.11's DialogSocket loops forever at 100% CPU when a server closes in the middle of a
// multi-line reply: it reads EOF again and again and never times out (poco-smtp notes §7). The
// only defence without patching Poco is another thread: when an armed deadline passes, the
// watchdog atomically replaces the socket's file descriptor with one whose read() fails (a
// directory), so the stuck loop gets an I/O error and throws. dup2 keeps the descriptor number
// owned by the connection, so nothing else can be hit by a reused number.
//
// Thread-safe: Arm/Disarm from the sending thread, the check runs on the watchdog's own thread,
// which looks four times a second (so a stuck operation is cut within 250 ms of its deadline).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace alertdigest {

class ConnectionWatchdog {
 public:
  ConnectionWatchdog();
  ~ConnectionWatchdog();

  // Watches `fd` until Disarm(); trips when `limit` passes.
  void Arm(int fd, std::chrono::steady_clock::duration limit);
  void Disarm();
  // True once it tripped since the last Arm().
  bool tripped() const { return tripped_; }

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  int fd_ = -1;  // guarded by mu_
  std::chrono::steady_clock::time_point deadline_;
  bool stop_ = false;
  std::atomic<bool> tripped_{false};
  int dead_fd_ = -1;  // a directory: read() fails with EISDIR
  std::thread thread_;
};

// Disarms on scope exit.
class WatchdogScope {
 public:
  WatchdogScope(ConnectionWatchdog& w, int fd, std::chrono::steady_clock::duration limit) : w_(w) {
    w_.Arm(fd, limit);
  }
  ~WatchdogScope() { w_.Disarm(); }

 private:
  ConnectionWatchdog& w_;
};

}  // namespace alertdigest
