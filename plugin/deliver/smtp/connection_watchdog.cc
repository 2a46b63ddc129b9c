#include "deliver/smtp/connection_watchdog.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/log.h"

namespace alertdigest {

ConnectionWatchdog::ConnectionWatchdog()
    : dead_fd_(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)), thread_([this] { Run(); }) {}

ConnectionWatchdog::~ConnectionWatchdog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
  if (dead_fd_ >= 0) ::close(dead_fd_);
}

void ConnectionWatchdog::Arm(int fd, std::chrono::steady_clock::duration limit) {
  {
    std::lock_guard lock(mu_);
    fd_ = fd;
    deadline_ = std::chrono::steady_clock::now() + limit;
    tripped_ = false;
  }
  cv_.notify_one();
}

void ConnectionWatchdog::Disarm() {
  std::lock_guard lock(mu_);
  fd_ = -1;
}

void ConnectionWatchdog::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (fd_ < 0) {
      cv_.wait(lock);
      continue;
    }
    if (cv_.wait_until(lock, deadline_) == std::cv_status::timeout && fd_ >= 0 &&
        std::chrono::steady_clock::now() >= deadline_) {
      if (dead_fd_ >= 0) ::dup2(dead_fd_, fd_);
      log::Warn("smtp connection stuck past its deadline; cut it", {{"fd", fd_}});
      tripped_ = true;
      fd_ = -1;
    }
  }
}

}  // namespace alertdigest
