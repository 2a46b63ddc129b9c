// ServeProcess: the real `alertdigest serve` as a child process in a directory of its own, on a
// fixed loopback port kept across restarts, for the fault tests: it can be killed with any
// signal and started again on the same state, and its pid is at hand (prlimit). Its stdout and
// stderr are appended to NAME.log in that directory, across restarts. Plus the few helpers the
// fault tests share: alerts as JSON, posting them, reading the daemon's alert list. Test-only.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "deliver/smtp_test_server.h"
#include "e2e/e2e_harness.h"

namespace alertdigest::testing {

using e2e::Http;
using e2e::HttpResponse;
using e2e::ReadFile;
using e2e::WaitFor;
using e2e::WriteFile;

class ServeProcess {
 public:
  // `dir` holds the config; `port` is its [server] listen port.
  ServeProcess(std::string dir, int port, std::string name = "serve")
      : dir_(std::move(dir)), port_(port), name_(std::move(name)) {}
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  ~ServeProcess() { Stop(); }

  void Start(const std::string& config = "config.toml") {
    Stop();
    exited_ = false;
    status_ = 0;
    pid_ = fork();
    if (pid_ == 0) {
      int in = open("/dev/null", O_RDONLY);
      int log = open((dir_ + "/" + name_ + ".log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(in, 0);
      dup2(log, 1);
      dup2(log, 2);
      if (chdir(dir_.c_str()) != 0) _exit(126);
      const std::string binary = e2e::AlertdigestBinary();  // $AD_E2E_BINARY or this build's
      execl(binary.c_str(), binary.c_str(), "serve", "-c", config.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  // True once GET /readyz answers 200 (false: it exited or took longer than `timeout`).
  bool WaitReady(std::chrono::seconds timeout = std::chrono::seconds(10)) {
    return WaitFor(timeout,
                   [&] { return !Running() || Http(port_, "GET", "/readyz").status == 200; }) &&
           Running();
  }
  // Sends `sig` and reaps the process; returns its waitpid status.
  int Kill(int sig = SIGKILL) {
    if (!Running()) return status_;
    kill(pid_, sig);
    return Wait();
  }
  int Wait() {
    if (!exited_ && pid_ > 0) {
      waitpid(pid_, &status_, 0);
      exited_ = true;
    }
    return status_;
  }
  // SIGTERM (a clean stop), SIGKILL after 10 s.
  int Stop() {
    if (!Running()) return status_;
    kill(pid_, SIGTERM);
    if (!WaitFor(std::chrono::seconds(10), [&] { return !Running(); })) Kill(SIGKILL);
    return status_;
  }
  bool Running() {
    if (exited_ || pid_ <= 0) return false;
    if (waitpid(pid_, &status_, WNOHANG) == pid_) exited_ = true;
    return !exited_;
  }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  std::string Log() const { return ReadFile(dir_ + "/" + name_ + ".log"); }
  // How many log lines contain `text`.
  int CountLog(const std::string& text) const {
    int n = 0;
    const std::string log = Log();
    for (size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) ++n;
    return n;
  }

 private:
  std::string dir_;
  int port_;
  std::string name_;
  pid_t pid_ = -1;
  bool exited_ = true;
  int status_ = 0;
};

constexpr char kSmtpUser[] = "alerts@example.com";
constexpr char kSmtpSecret[] = "abcdefghijklmnop";

// A Gmail-like test server: STARTTLS required, AUTH required, one account.
inline SmtpTestServerOptions GmailLike() {
  SmtpTestServerOptions o;
  o.users = {{kSmtpUser, kSmtpSecret}};
  return o;
}

// What the fault tests vary in a config; the rest is fixed: one group per alert
// (group_by ["..."]), mailed at once (group_wait 0), never repeated within a test.
struct ServeConfig {
  int port = 0;       // [server] listen on 127.0.0.1
  int smtp_port = 0;  // 0: the file transport into outbox/; else SMTP over STARTTLS + AUTH
  std::string retry = R"({ initial = "200ms", max = "1s", give_up = "1h" })";
  std::string smtp_timeouts =
      "timeout = \"5s\"\nconnect_timeout = \"5s\"\ndata_timeout = \"10s\"\n";
};

// Writes `dir`/`file` (and with SMTP `dir`/app-password); returns the config's text.
inline std::string WriteServeConfig(const std::string& dir, const ServeConfig& c,
                                    const std::string& file = "config.toml") {
  std::string text = "[server]\nlisten = \"127.0.0.1:" + std::to_string(c.port) +
                     "\"\n[storage]\npath = \"state.db\"\n[delivery]\n";
  if (c.smtp_port == 0) {
    text += "transport = \"file\"\nfile_dir = \"outbox\"\n";
  } else {
    text += "transport = \"smtp\"\n";
  }
  text += "retry = " + c.retry + "\n";
  if (c.smtp_port != 0) {
    text += "[smtp]\nhost = \"localhost\"\nport = " + std::to_string(c.smtp_port) +
            "\nsecurity = \"starttls\"\nusername = \"" + kSmtpUser +
            "\"\npassword_file = \"app-password\"\nfrom = \"Alerts <" + kSmtpUser +
            ">\"\nca_file = \"" + TestPki::Get().ca_cert() + "\"\ndaily_budget = 0\n" +
            c.smtp_timeouts;
    WriteFile(dir + "/app-password", kSmtpSecret);
  }
  text +=
      "[defaults]\ngroup_wait = \"0s\"\ngroup_interval = \"1s\"\nrepeat_interval = \"1h\"\n"
      "[route]\nreceiver = \"team\"\ngroup_by = [\"...\"]\n"
      "[[receiver]]\nname = \"team\"\nto = [\"team@example.com\"]\n";
  WriteFile(dir + "/" + file, text);
  return text;
}

// One firing alert per id, `{"labels":{"alertname":"Load","id":"a000042"}}`, as a Prometheus
// push body. The id is also a word to find in a mail.
inline std::string AlertId(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "a%06d", n);
  return buf;
}
inline std::string AlertsBody(const std::vector<int>& ids, const std::string& alertname = "Load") {
  std::string body = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    body += (i ? "," : "") + std::string(R"({"labels":{"alertname":")") + alertname +
            R"(","id":")" + AlertId(ids[i]) + R"("},"annotations":{"summary":"fault test"}})";
  }
  return body + "]";
}
inline int PostAlerts(int port, const std::vector<int>& ids) {
  return Http(port, "POST", "/api/v2/alerts", AlertsBody(ids)).status;
}

// The ids ("a000042") of the alerts GET /api/v2/alerts lists.
inline std::set<std::string> ListedAlertIds(int port) {
  std::set<std::string> out;
  HttpResponse r = Http(port, "GET", "/api/v2/alerts");
  static const std::regex id(R"re("id":"(a\d{6})")re");
  for (auto it = std::sregex_iterator(r.body.begin(), r.body.end(), id);
       it != std::sregex_iterator(); ++it)
    out.insert((*it)[1].str());
  return out;
}

// alertdigest_outbox_messages{state="STATE"} from GET /metrics; -1 if unreadable.
inline long OutboxMessages(int port, const std::string& state) {
  HttpResponse r = Http(port, "GET", "/metrics");
  std::smatch m;
  if (!std::regex_search(
          r.body, m,
          std::regex("alertdigest_outbox_messages\\{state=\"" + state + "\"\\} ([0-9]+)")))
    return -1;
  return std::stol(m[1].str());
}

// The value of a header in a raw message (first occurrence), or "".
inline std::string MailHeader(const std::string& eml, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(eml, m, std::regex("(^|\r\n)" + name + ": ([^\r\n]*)", std::regex::icase)))
    return "";
  return m[2].str();
}

}  // namespace alertdigest::testing
