// Helpers for the hostile-input and secrets tests: a real `alertdigest serve` in a temp dir
// (e2e_harness.h does the processes), raw HTTP requests with any header and exact timing, the
// .eml files it writes, and Python's view of them (render/check_eml.h). Test-only; POSIX.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "e2e/e2e_harness.h"
#include "render/check_eml.h"

namespace alertdigest::hostile {

using e2e::FreePort;
using e2e::Http;
using e2e::HttpResponse;
using e2e::Process;
using e2e::ReadFile;
using e2e::TempDir;
using e2e::WaitFor;
using e2e::WriteFile;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

inline int ConnectLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Reads until the peer closes, `timeout` passes, or (when `stop_at_body_end` and a
// Content-Length is known) the whole response has come. "" on nothing.
inline std::string ReadResponse(int fd, milliseconds timeout, bool stop_at_body_end = true) {
  std::string out;
  const auto until = Clock::now() + timeout;
  while (Clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    const int wait =
        static_cast<int>(std::chrono::duration_cast<milliseconds>(until - Clock::now()).count());
    if (poll(&p, 1, std::max(wait, 1)) <= 0) break;
    char buf[65536];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    const size_t head_end = out.find("\r\n\r\n");
    const size_t cl = out.find("Content-Length: ");
    if (stop_at_body_end && head_end != std::string::npos && cl != std::string::npos &&
        cl < head_end) {
      const size_t length = std::stoul(out.substr(cl + 16));
      if (out.size() >= head_end + 4 + length) break;
    }
  }
  return out;
}

// One raw request (the bytes as given) on a new connection; the raw response.
inline std::string RawExchange(int port, const std::string& bytes,
                               milliseconds timeout = milliseconds(5000)) {
  int fd = ConnectLoopback(port);
  if (fd < 0) return "";
  send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string out = ReadResponse(fd, timeout);
  close(fd);
  return out;
}

inline int StatusOf(const std::string& raw) {
  return raw.rfind("HTTP/1.", 0) == 0 && raw.size() >= 12 ? std::atoi(raw.c_str() + 9) : 0;
}
inline std::string BodyOf(const std::string& raw) {
  size_t at = raw.find("\r\n\r\n");
  return at == std::string::npos ? "" : raw.substr(at + 4);
}

// A JSON string literal of arbitrary bytes (\u escapes for control characters and ", \).
inline std::string Json(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char esc[8];
      snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// A running `alertdigest serve -c config.toml` in its own temp dir (file transport into
// outbox/, group_wait 0s unless the config says otherwise). The config text is given whole;
// "PORT" in it is replaced by the chosen port. `files` (relative path → content) are written
// first (key files, password files).
class Daemon {
 public:
  explicit Daemon(std::string config, const std::map<std::string, std::string>& files = {},
                  std::vector<std::string> extra_args = {}, std::vector<std::string> env = {})
      : port_(FreePort()) {
    size_t at;
    while ((at = config.find("PORT")) != std::string::npos)
      config.replace(at, 4, std::to_string(port_));
    for (const auto& [rel, content] : files) WriteFile(dir_ / rel, content);
    WriteFile(dir_ / "config.toml", config);
    fs::create_directory(dir_ / "outbox");
    argv_ = {AD_BINARY, "serve", "-c", "config.toml"};
    argv_.insert(argv_.end(), extra_args.begin(), extra_args.end());
    env_ = std::move(env);
    Start("alertdigest");
  }

  // Starts the daemon again (after Stop()) on the same directory and port; its output goes to
  // new files named after `name` (the old ones stay). Returns whether it became ready.
  bool Start(const std::string& name) {
    name_ = name;
    process_ = std::make_unique<Process>(name, argv_, dir_.path(), dir_.path(), env_);
    ready_ = WaitFor(seconds(10), [&] { return Http(port_, "GET", "/readyz").status == 200; });
    return ready_;
  }

  bool ready() const { return ready_; }
  int port() const { return port_; }
  const TempDir& dir() const { return dir_; }
  std::string Path(const std::string& rel) const { return dir_ / rel; }
  std::string Stderr() const { return ReadFile(dir_ / (name_ + ".err")); }
  std::string Stdout() const { return ReadFile(dir_ / (name_ + ".out")); }
  std::string Logs() const { return process_->Logs(); }
  bool Running() { return process_->Running(); }
  int Stop() { return process_->Stop(); }

  HttpResponse PostAlerts(const std::string& body) {
    return Http(port_, "POST", "/api/v2/alerts", body);
  }

  // A normal alert is still accepted (200) and the health check answers: the server survived
  // whatever came before. Each call uses a new alertname.
  ::testing::AssertionResult StillServing() {
    const std::string body =
        R"([{"labels":{"alertname":"StillServing)" + std::to_string(++probes_) + R"("}}])";
    HttpResponse post = PostAlerts(body);
    if (post.status != 200)
      return ::testing::AssertionFailure()
             << "normal POST answered " << post.status << " " << post.body << "\n"
             << Logs();
    if (Http(port_, "GET", "/healthz").status != 200)
      return ::testing::AssertionFailure() << "healthz failed\n" << Logs();
    if (!process_->Running()) return ::testing::AssertionFailure() << "server exited\n" << Logs();
    return ::testing::AssertionSuccess();
  }

  // The .eml files in outbox/ (sorted), optionally only those of X-Alertdigest-Kind `kind`.
  std::vector<std::string> Mails(const std::string& kind = "") const {
    std::vector<std::string> out;
    for (const auto& f : fs::directory_iterator(dir_ / "outbox")) {
      if (f.path().extension() != ".eml") continue;
      if (!kind.empty() &&
          ReadFile(f.path()).find("X-Alertdigest-Kind: " + kind + "\r\n") == std::string::npos)
        continue;
      out.push_back(f.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  // The mails whose raw text contains `needle`, waiting up to 10 s for at least `n` of them.
  std::vector<std::string> WaitForMails(const std::string& needle, size_t n = 1,
                                        const std::string& kind = "") const {
    std::vector<std::string> found;
    WaitFor(seconds(10), [&] {
      found.clear();
      for (const std::string& m : Mails(kind))
        if (ReadFile(m).find(needle) != std::string::npos) found.push_back(m);
      return found.size() >= n;
    });
    return found;
  }

 private:
  TempDir dir_;
  int port_;
  std::vector<std::string> argv_, env_;
  std::string name_;
  std::unique_ptr<Process> process_;
  bool ready_ = false;
  int probes_ = 0;
};

// Every value check_eml.py reports, for a message file.
inline std::map<std::string, std::string> Parsed(const std::string& eml_path) {
  return testing::CheckEml(ReadFile(eml_path));
}

// The decoded JSON string check_eml.py printed (only what our tests need: \", \\, \n, \r, \t,
// \uXXXX below 0x80 kept as escapes). Good enough for "contains" checks on html/text.
inline std::string Unquoted(const std::string& json) {
  if (json.size() < 2 || json.front() != '"') return json;
  std::string out;
  for (size_t i = 1; i + 1 < json.size(); ++i) {
    if (json[i] != '\\' || i + 2 >= json.size()) {
      out += json[i];
      continue;
    }
    char c = json[++i];
    out += c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
  }
  return out;
}

}  // namespace alertdigest::hostile
