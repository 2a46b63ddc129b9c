// StateLock: at most one long-lived owner of a state file at a time.
//
// `serve` and `run` keep a working set of the state in memory (alerts, groups and their timers)
// and deliver its outbox; two of them on one file would mail the same messages twice and
// overwrite each other's groups. SQLite's locks don't prevent that (they serialise single
// transactions), so each owner holds this lock for as long as it runs. Short-lived writers
// (`alertdigest nagios`, `outbox retry`) don't take it: SQLite serialises them.
//
// The lock is flock(2) on the state file itself, released when the object is destroyed or the
// process dies (SIGKILL included: no stale lock files). Destroy it only after every SQLite
// connection to the file is closed: closing any descriptor of a file drops the process's POSIX
// locks on it, which are SQLite's.
#pragma once

#include <string>

#include "core/status.h"

namespace alertdigest {

class StateLock {
 public:
  // Takes the lock on `path` (creating an empty file if there is none: SQLite then starts a new
  // state in it). ":memory:" needs no lock. Errors: Unavailable naming the file when another
  // process holds it; IoError when the file can't be opened.
  static Result<StateLock> Acquire(const std::string& path);

  StateLock() = default;
  StateLock(StateLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  StateLock& operator=(StateLock&& other) noexcept;
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;
  ~StateLock();

 private:
  explicit StateLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace alertdigest
