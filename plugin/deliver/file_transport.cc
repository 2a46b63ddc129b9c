#include "deliver/file_transport.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/fingerprint.h"
#include "core/time.h"

namespace alertdigest {
namespace {

std::string Errno(std::string_view what, const std::string& path) {
  return fmt::format("{} {}: {}", what, path, std::strerror(errno));
}

// ENOSPC and friends clear up; a path that is not a directory does not. EFBIG is a file size
// limit (RLIMIT_FSIZE, with SIGXFSZ ignored: app/cli.cc): a full disk by another name, lifted
// again like one; as permanent it dead-lettered every message bigger than the limit.
bool IsTransientErrno(int e) {
  return e == ENOSPC || e == EDQUOT || e == EFBIG || e == EIO || e == EAGAIN || e == EINTR;
}

}  // namespace

std::string FileTransport::PathFor(const OutboxMessage& m) const {
  std::string ts = FormatRfc3339(m.created_at);  // 2026-11-26T01:08:18.930Z
  std::erase_if(ts, [](char c) { return c == '-' || c == ':'; });
  return fmt::format("{}/{}-{}-{:06}.eml", dir_, ts, HashHex(m.group_key).substr(0, 8), m.id);
}

DeliveryResult FileTransport::Deliver(const OutboxMessage& m) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return DeliveryResult::Permanent(fmt::format("create {}: {}", dir_, ec.message()));
  std::string path = PathFor(m);
  std::string tmp = path + ".tmp";
  auto fail = [&](std::string_view what, const std::string& p) {
    int e = errno;
    std::string msg = Errno(what, p);
    ::unlink(tmp.c_str());
    return IsTransientErrno(e) ? DeliveryResult::Transient(msg) : DeliveryResult::Permanent(msg);
  };
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return fail("create", tmp);
  size_t off = 0;
  while (off < m.data.size()) {
    ssize_t n = ::write(fd, m.data.data() + off, m.data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return fail("write", tmp);
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return fail("fsync", tmp);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("rename", tmp);
  int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return DeliveryResult::Delivered(path);
}

}  // namespace alertdigest
