// The e2e harness: temp dirs, free loopback ports, child processes with their output kept in
// files (printed when a test fails), a tiny HTTP/1.1 client, and polling. Test-only; POSIX.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace alertdigest::e2e {

namespace fs = std::filesystem;

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A port nobody listens on right now (bound to 0 and released; the kernel does not hand it out
// again at once).
inline int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/ad-e2e-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    if (!getenv("AD_E2E_KEEP")) fs::remove_all(dir_);
  }
  const std::string& path() const { return dir_; }
  std::string operator/(const std::string& rel) const { return dir_ + "/" + rel; }

 private:
  std::string dir_;
};

// A child process: stdout and stderr go to NAME.out / NAME.err in `log_dir`. Stop() sends
// SIGTERM, waits up to 10 s, then SIGKILLs. The destructor stops it.
class Process {
 public:
  Process(std::string name, std::vector<std::string> argv, const std::string& log_dir,
          const std::string& work_dir, std::vector<std::string> env = {})
      : name_(std::move(name)) {
    out_ = log_dir + "/" + name_ + ".out";
    err_ = log_dir + "/" + name_ + ".err";
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      int in = open("/dev/null", O_RDONLY);
      int out = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int err = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(in, 0);
      dup2(out, 1);
      dup2(err, 2);
      if (chdir(work_dir.c_str()) != 0) _exit(126);
      for (auto& e : env) putenv(e.data());
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process() { Stop(); }

  bool Running() {
    if (exited_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      status_ = status;
      return false;
    }
    return true;
  }

  // Returns the exit status as waitpid gives it.
  int Stop() {
    if (exited_ || pid_ <= 0) return status_;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100 && Running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!exited_) {
      kill(-pid_, SIGKILL);
      kill(pid_, SIGKILL);
      waitpid(pid_, &status_, 0);
      exited_ = true;
    }
    kill(-pid_, SIGKILL);  // leftovers of its process group (Nagios' workers)
    return status_;
  }

  // "== NAME stdout ==\n…\n== NAME stderr ==\n…" (the last 6000 bytes of each).
  std::string Logs() const {
    auto tail = [](std::string s) { return s.size() > 6000 ? s.substr(s.size() - 6000) : s; };
    return "== " + name_ + " stdout ==\n" + tail(ReadFile(out_)) + "\n== " + name_ +
           " stderr ==\n" + tail(ReadFile(err_)) + "\n";
  }

 private:
  std::string name_, out_, err_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

struct HttpResponse {
  int status = 0;  // 0: no connection or no answer
  std::string body;
};

// One request on a fresh connection to 127.0.0.1:port ("Connection: close").
inline HttpResponse Http(int port, const std::string& method, const std::string& path,
                         const std::string& body = "",
                         const std::string& content_type = "application/json") {
  HttpResponse r;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return r;
  }
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nConnection: close\r\n";
  if (!body.empty() || method == "POST") {
    req += "Content-Type: " + content_type + "\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  if (send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    close(fd);
    return r;
  }
  std::string resp;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) resp.append(buf, static_cast<size_t>(n));
  close(fd);
  if (resp.rfind("HTTP/1.", 0) != 0 || resp.size() < 12) return r;
  r.status = std::atoi(resp.c_str() + 9);
  size_t head_end = resp.find("\r\n\r\n");
  if (head_end != std::string::npos) r.body = resp.substr(head_end + 4);
  return r;
}

#ifdef AD_BINARY
// The alertdigest binary under test: $AD_E2E_BINARY when set, else the one this build made.
inline std::string AlertdigestBinary() {
  const char* b = getenv("AD_E2E_BINARY");
  return b && *b ? b : AD_BINARY;
}
#endif

// Polls `ready` every 200 ms until it is true or `timeout` passes.
inline bool WaitFor(std::chrono::seconds timeout, const std::function<bool()>& ready) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return ready();
}

// Runs a command to its end; returns its exit status and stdout+stderr.
inline int RunCapture(const std::string& command, std::string* output) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  size_t n;
  output->clear();
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) output->append(buf, n);
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace alertdigest::e2e
