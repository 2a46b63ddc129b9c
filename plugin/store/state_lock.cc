#include "store/state_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace alertdigest {

Result<StateLock> StateLock::Acquire(const std::string& path) {
  if (path.empty() || path == ":memory:") return StateLock();
  // 0644 like the files SQLite creates (the umask applies).
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError(fmt::format("open {}: {}", path, std::strerror(errno)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::Unavailable(fmt::format(
          "state file {} is in use by another alertdigest process (serve or run); only one may "
          "own it at a time: stop the other one first",
          path));
    }
    return Status::IoError(fmt::format("lock {}: {}", path, std::strerror(err)));
  }
  return StateLock(fd);
}

StateLock& StateLock::operator=(StateLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

StateLock::~StateLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace alertdigest
