// Test fixtures for delivery tests against a real SMTP server on 127.0.0.1.
//
// TestPki: a throwaway CA and server certificates made with the openssl CLI, once per process.
// SmtpTestServer: runs tests/deliver/smtp_harness.py (aiosmtpd, Gmail-like replies, fault
// injection) as a child process with its own temp dir for spool, event log and ready file.
// Header-only, POSIX/Linux. Set AD_KEEP_SMTP_DIRS=1 to keep the temp dirs for debugging.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#ifndef AD_SOURCE_DIR
#error "AD_SOURCE_DIR must be defined by the build (ad_add_test)"
#endif

namespace alertdigest::testing {

namespace smtp_detail {

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteAll(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  if (!out) throw std::runtime_error("cannot write " + path);
}

// mkdtemp under $TMPDIR (or /tmp).
inline std::string MakeTempDir(const std::string& prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/" + prefix + "XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed: " + templ);
  return templ;
}

inline bool KeepDirs() {
  const char* keep = std::getenv("AD_KEEP_SMTP_DIRS");
  return keep && *keep && std::string_view(keep) != "0";
}

// fork + execvp; stdout/stderr appended to `output_path`. Returns the child's pid.
inline pid_t Spawn(const std::vector<std::string>& argv, const std::string& output_path,
                   bool die_with_parent) {
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (die_with_parent) prctl(PR_SET_PDEATHSIG, SIGTERM);
    int null_in = open("/dev/null", O_RDONLY);
    int out = open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (null_in < 0 || out < 0) _exit(126);
    dup2(null_in, 0);
    dup2(out, 1);
    dup2(out, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return pid;
}

// Runs a command to the end; throws with its output unless it exits 0.
inline void RunOrThrow(const std::vector<std::string>& argv, const std::string& output_path) {
  pid_t pid = Spawn(argv, output_path, false);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string cmd;
    for (const auto& a : argv) cmd += a + " ";
    throw std::runtime_error("command failed: " + cmd + "\n" + ReadAll(output_path));
  }
}

// Value of `"key": "…"` (JSON string, with escapes decoded) in a one-line JSON object as
// written by smtp_harness.py (json.dumps, ASCII only). `pos` is advanced past the value.
inline bool ParseJsonString(const std::string& s, size_t& pos, std::string& out) {
  if (pos >= s.size() || s[pos] != '"') return false;
  out.clear();
  auto hex4 = [&](size_t at) { return static_cast<unsigned>(std::stoul(s.substr(at, 4), nullptr, 16)); };
  for (++pos; pos < s.size(); ++pos) {
    char c = s[pos];
    if (c == '"') {
      ++pos;
      return true;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++pos >= s.size()) return false;
    switch (s[pos]) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        if (pos + 4 >= s.size()) return false;
        unsigned cp = hex4(pos + 1);
        pos += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && pos + 6 < s.size() && s[pos + 1] == '\\' &&
            s[pos + 2] == 'u') {
          unsigned lo = hex4(pos + 3);
          if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            pos += 6;
          }
        }
        if (cp < 0x80) {
          out += static_cast<char>(cp);
        } else if (cp < 0x800) {
          out += static_cast<char>(0xC0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
          out += static_cast<char>(0xE0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          out += static_cast<char>(0xF0 | (cp >> 18));
          out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        break;
      }
      default: out += s[pos]; break;  // \" \\ \/
    }
  }
  return false;
}

// Position just after `"key": ` or npos.
inline size_t FindJsonValue(const std::string& json, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\": ";
  size_t at = json.find(needle);
  return at == std::string::npos ? at : at + needle.size();
}

}  // namespace smtp_detail

// Throwaway PKI in a temp dir, made once per process (thread-safe), removed at exit.
class TestPki {
 public:
  static const TestPki& Get() {
    static const TestPki pki;
    return pki;
  }
  std::string dir() const { return dir_; }
  std::string ca_cert() const { return dir_ + "/ca.pem"; }
  std::string ca_key() const { return dir_ + "/ca.key"; }
  std::string server_cert() const { return dir_ + "/server.pem"; }  // SAN IP:127.0.0.1, DNS:localhost
  std::string server_key() const { return dir_ + "/server.key"; }
  std::string wronghost_cert() const { return dir_ + "/wronghost.pem"; }  // SAN DNS:wrong.example
  std::string wronghost_key() const { return dir_ + "/wronghost.key"; }
  std::string selfsigned_cert() const { return dir_ + "/selfsigned.pem"; }  // not issued by ca.pem
  std::string selfsigned_key() const { return dir_ + "/selfsigned.key"; }

  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

 private:
  TestPki() : dir_(smtp_detail::MakeTempDir("ad-pki-")) {
    const std::string cnf = dir_ + "/openssl.cnf";
    smtp_detail::WriteAll(cnf,
                          "[req]\ndistinguished_name = dn\n[dn]\n"
                          "[ca]\nbasicConstraints = critical,CA:TRUE\n"
                          "keyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\n"
                          "[server]\nbasicConstraints = critical,CA:FALSE\n"
                          "keyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\n"
                          "subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n"
                          "subjectAltName = IP:127.0.0.1,DNS:localhost\n"
                          "[wronghost]\nbasicConstraints = critical,CA:FALSE\n"
                          "keyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\n"
                          "subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n"
                          "subjectAltName = DNS:wrong.example\n"
                          "[selfsigned]\nbasicConstraints = critical,CA:FALSE\n"
                          "keyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\n"
                          "subjectKeyIdentifier = hash\n"
                          "subjectAltName = IP:127.0.0.1,DNS:localhost\n");
    const std::string log = dir_ + "/openssl.log";
    auto run = [&](std::vector<std::string> argv) { smtp_detail::RunOrThrow(argv, log); };
    auto key = [&](const std::string& name) {
      run({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
           dir_ + "/" + name + ".key"});
    };
    auto self_signed = [&](const std::string& name, const std::string& cn, const std::string& ext) {
      key(name);
      run({"openssl", "req", "-x509", "-new", "-key", dir_ + "/" + name + ".key", "-out",
           dir_ + "/" + name + ".pem", "-days", "2", "-sha256", "-subj", "/CN=" + cn, "-config", cnf,
           "-extensions", ext});
    };
    auto issued = [&](const std::string& name, const std::string& cn, const std::string& serial) {
      key(name);
      const std::string csr = dir_ + "/" + name + ".csr";
      run({"openssl", "req", "-new", "-key", dir_ + "/" + name + ".key", "-subj", "/CN=" + cn,
           "-config", cnf, "-out", csr});
      run({"openssl", "x509", "-req", "-in", csr, "-CA", ca_cert(), "-CAkey", ca_key(),
           "-set_serial", serial, "-days", "2", "-sha256", "-extfile", cnf, "-extensions", name,
           "-out", dir_ + "/" + name + ".pem"});
    };
    self_signed("ca", "alertdigest test CA", "ca");
    issued("server", "localhost", "0x1001");
    issued("wronghost", "wrong.example", "0x1002");
    self_signed("selfsigned", "localhost", "selfsigned");
  }
  ~TestPki() {
    std::error_code ec;
    if (!smtp_detail::KeepDirs()) std::filesystem::remove_all(dir_, ec);
  }

  std::string dir_;
};

struct SmtpTestServerOptions {
  std::string mode = "starttls";  // starttls | tls | plain
  std::string cert, key;          // default: TestPki's server pair (unless mode == "plain")
  bool require_tls = true;        // ignored in plain mode
  std::vector<std::pair<std::string, std::string>> users;  // name, secret (app password / token)
  bool auth_required = true;
  int fail_first = 0;
  std::string fail_reply;  // default: "421 4.7.0 Try again later, closing connection."
  std::vector<std::string> reject_rcpt;
  int drop_in_data = 0;
  int drop_connect = 0;  // the first N connections are closed at once, before the greeting
  double delay_after_dot = 0;
  double delay_greeting = 0;
  int daily_limit = 0;
  bool close_in_ehlo = false;
  int max_recipients = 0;
  std::string app_password_required;
  int port = 0;  // 0: any free port (then kept across Stop()/Start())
};

struct ReceivedMail {
  std::string mail_from;
  std::vector<std::string> rcpt_tos;
  std::string data;  // the DATA content, CRLF, dot-stuffing undone
  std::string user;  // authenticated user, "" if none
  bool tls = false;
  int session = 0;
};

class SmtpTestServer {
 public:
  explicit SmtpTestServer(SmtpTestServerOptions options = {})
      : options_(std::move(options)), dir_(smtp_detail::MakeTempDir("ad-smtp-")) {
    if (options_.mode != "plain" && options_.cert.empty()) {
      options_.cert = TestPki::Get().server_cert();
      options_.key = TestPki::Get().server_key();
    }
    port_ = options_.port;
    Start();
  }
  ~SmtpTestServer() {
    Stop();
    std::error_code ec;
    if (!smtp_detail::KeepDirs()) std::filesystem::remove_all(dir_, ec);
  }
  SmtpTestServer(const SmtpTestServer&) = delete;
  SmtpTestServer& operator=(const SmtpTestServer&) = delete;

  int port() const { return port_; }
  // Changes take effect at the next Start() (e.g. Stop(), clear a fault, Start(): a server that
  // recovers on the same port, with the same spool).
  SmtpTestServerOptions& options() { return options_; }
  std::string dir() const { return dir_; }
  std::string spool_dir() const { return dir_ + "/spool"; }
  std::string log_path() const { return dir_ + "/events.jsonl"; }
  std::string output_path() const { return dir_ + "/harness.out"; }  // the harness's stderr
  bool running() const { return pid_ > 0; }

  // Starts the harness (again) on the port it had before, if any. A restarted harness keeps
  // the spool and log (message numbers continue; session numbers restart at 1), but its
  // fault counters (fail_first, drop_in_data, daily_limit) start afresh.
  void Start() {
    if (pid_ > 0) return;
    const std::string ready = dir_ + "/ready";
    std::filesystem::remove(ready);
    std::vector<std::string> argv = {"/usr/bin/python3",
                                     std::string(AD_SOURCE_DIR) + "/tests/deliver/smtp_harness.py",
                                     "--ready-file", ready, "--spool", spool_dir(), "--log",
                                     log_path(), "--port", std::to_string(port_), "--mode",
                                     options_.mode};
    auto add = [&](const std::string& flag, const std::string& value) {
      argv.push_back(flag);
      argv.push_back(value);
    };
    auto num = [](double v) {
      std::ostringstream os;
      os << v;
      return os.str();
    };
    if (options_.mode != "plain") {
      add("--cert", options_.cert);
      add("--key", options_.key);
      if (options_.require_tls) argv.push_back("--require-tls");
    }
    for (const auto& [name, secret] : options_.users) add("--user", name + ":" + secret);
    if (!options_.app_password_required.empty())
      add("--app-password-required", options_.app_password_required);
    if (options_.auth_required) argv.push_back("--auth-required");
    if (options_.fail_first > 0) add("--fail-first", std::to_string(options_.fail_first));
    if (!options_.fail_reply.empty()) add("--fail-reply", options_.fail_reply);
    for (const auto& a : options_.reject_rcpt) add("--reject-rcpt", a);
    if (options_.drop_in_data > 0) add("--drop-in-data", std::to_string(options_.drop_in_data));
    if (options_.drop_connect > 0) add("--drop-connect", std::to_string(options_.drop_connect));
    if (options_.delay_after_dot > 0) add("--delay-after-dot", num(options_.delay_after_dot));
    if (options_.delay_greeting > 0) add("--delay-greeting", num(options_.delay_greeting));
    if (options_.daily_limit > 0) add("--daily-limit", std::to_string(options_.daily_limit));
    if (options_.close_in_ehlo) argv.push_back("--close-in-ehlo");
    if (options_.max_recipients > 0) add("--max-recipients", std::to_string(options_.max_recipients));

    pid_ = smtp_detail::Spawn(argv, output_path(), true);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      std::string text = smtp_detail::ReadAll(ready);
      if (!text.empty() && text.back() == '\n') {
        port_ = std::stoi(text);
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("smtp_harness.py exited during startup:\n" +
                                 smtp_detail::ReadAll(output_path()));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    Stop();
    throw std::runtime_error("smtp_harness.py not ready after 10 s:\n" +
                             smtp_detail::ReadAll(output_path()));
  }

  // SIGTERM, wait up to 5 s, then SIGKILL. Open connections are cut.
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
  }

  // A port that was free a moment ago (bind 127.0.0.1:0, close). For "server down, then up".
  static int FreePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      close(fd);
      throw std::runtime_error("bind/getsockname failed");
    }
    close(fd);
    return ntohs(addr.sin_port);
  }

  // Accepted messages, in the order they were accepted.
  std::vector<ReceivedMail> Messages() const {
    std::vector<std::pair<int, std::string>> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(spool_dir(), ec)) {
      const auto& p = entry.path();
      if (p.extension() != ".json") continue;
      try {
        files.emplace_back(std::stoi(p.stem().string()), p.string());
      } catch (...) {
      }
    }
    std::sort(files.begin(), files.end());
    std::vector<ReceivedMail> out;
    for (const auto& [n, path] : files) {
      const std::string json = smtp_detail::ReadAll(path);
      ReceivedMail m;
      size_t pos = smtp_detail::FindJsonValue(json, "mail_from");
      if (pos != std::string::npos) smtp_detail::ParseJsonString(json, pos, m.mail_from);
      pos = smtp_detail::FindJsonValue(json, "rcpt_tos");
      if (pos != std::string::npos && json[pos] == '[') {
        ++pos;
        std::string addr;
        while (pos < json.size() && json[pos] != ']') {
          if (json[pos] == '"' && smtp_detail::ParseJsonString(json, pos, addr)) {
            m.rcpt_tos.push_back(addr);
          } else {
            ++pos;  // ", " separators
          }
        }
      }
      pos = smtp_detail::FindJsonValue(json, "user");
      if (pos != std::string::npos) smtp_detail::ParseJsonString(json, pos, m.user);  // null → ""
      pos = smtp_detail::FindJsonValue(json, "session");
      if (pos != std::string::npos) m.session = std::atoi(json.c_str() + pos);
      pos = smtp_detail::FindJsonValue(json, "tls");
      m.tls = pos != std::string::npos && json.compare(pos, 4, "true") == 0;
      m.data = smtp_detail::ReadAll(spool_dir() + "/" + std::to_string(n) + ".eml");
      out.push_back(std::move(m));
    }
    return out;
  }

  std::vector<std::string> LogLines() const {
    std::vector<std::string> lines;
    std::istringstream in(smtp_detail::ReadAll(log_path()));
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) lines.push_back(line);
    return lines;
  }

  int CountEvents(std::string_view event) const {
    const std::string needle = "\"event\": \"" + std::string(event) + "\"";
    int n = 0;
    for (const auto& line : LogLines())
      if (line.find(needle) != std::string::npos) ++n;
    return n;
  }

 private:
  SmtpTestServerOptions options_;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace alertdigest::testing
