#include "deliver/smtp/connection_watchdog.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/log.h"

namespace alertdigest {

constexpr auto kPollInterval = std::chrono::milliseconds(250);

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

// Arm/Disarm run around every SMTP command: an uncontended lock, no wake-up (notifying here
// cost a context switch per command, a quarter of the SMTP throughput).
void ConnectionWatchdog::Arm(int fd, std::chrono::steady_clock::duration limit) {
  std::lock_guard lock(mu_);
  fd_ = fd;
  deadline_ = std::chrono::steady_clock::now() + limit;
  tripped_ = false;
}

void ConnectionWatchdog::Disarm() {
  std::lock_guard lock(mu_);
  fd_ = -1;
}

void ConnectionWatchdog::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, kPollInterval);  // only the destructor notifies
    if (fd_ >= 0 && std::chrono::steady_clock::now() >= deadline_) {
      if (dead_fd_ >= 0) ::dup2(dead_fd_, fd_);
      log::Warn("smtp connection stuck past its deadline; cut it", {{"fd", fd_}});
      tripped_ = true;
      fd_ = -1;
    }
  }
}

}  // namespace alertdigest
