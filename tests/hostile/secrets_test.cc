// Secrets never leak. The whole system runs with a known SMTP password, bearer token and ack
// key and goes through every failure path we can provoke — wrong password (535), server down,
// untrusted certificate, a 4xx, missing and wrong tokens (401), bad JSON, forged and expired ack
// links, reloads of broken configs (one even holding the password), `test-email` failures,
// `outbox list`, `check` — then every log line, HTTP response (status, headers, body), the
// metrics, every delivered email (raw and decoded), every CLI output and the state files are
// searched for each secret: as it is, any 10 characters of it, its base64 and base64url at every
// alignment (so also inside AUTH PLAIN, Basic credentials and base64 bodies), and its hex.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "deliver/smtp_test_server.h"
#include "hostile/hostile_harness.h"

namespace alertdigest::hostile {
namespace {

using testing::SmtpTestServer;
using testing::SmtpTestServerOptions;
using testing::TestPki;

constexpr char kUser[] = "alerts@example.com";
constexpr char kPassword[] = "Pw7f3a9c1e5b2dQ";  // no spaces: Gmail app passwords lose theirs
constexpr char kToken[] = "Tok9e8d7c6b5a4fZ";
constexpr char kAckKey[] = "AckKey1a2b3c4d5eY";

std::string Base64(const std::string& in, bool url = false) {
  const char* abc = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                        : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    const size_t n = std::min<size_t>(3, in.size() - i);
    unsigned v = static_cast<uint8_t>(in[i]) << 16;
    if (n > 1) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    if (n > 2) v |= static_cast<uint8_t>(in[i + 2]);
    for (size_t k = 0; k < 4; ++k) out += k <= n ? abc[(v >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

std::string Hex(const std::string& in, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (unsigned char c : in) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// What a leak of `secret` could look like, each with a name for the failure message.
std::vector<std::pair<std::string, std::string>> Forms(const std::string& name,
                                                       const std::string& secret) {
  std::vector<std::pair<std::string, std::string>> forms = {
      {name, secret}, {name + " hex", Hex(secret, false)}, {name + " HEX", Hex(secret, true)}};
  for (size_t i = 0; i + 10 <= secret.size(); ++i)
    forms.push_back({name + " (10 characters of it)", secret.substr(i, 10)});
  // Base64 of the secret inside any longer base64 text: after k = 0, 1, 2 bytes of something
  // else, the characters that depend on the secret alone (the first 0/2/3 and the last 4 may
  // mix with its neighbours).
  for (bool url : {false, true}) {
    for (size_t k = 0; k < 3; ++k) {
      const std::string b64 = Base64(std::string(k, '\0') + secret, url);
      const size_t skip = k == 0 ? 0 : k == 1 ? 2 : 3;
      forms.push_back({name + (url ? " base64url" : " base64") + " at offset " + std::to_string(k),
                       b64.substr(skip, b64.size() - skip - 4)});
    }
  }
  return forms;
}

// Everything the system said, by where it came from.
class Evidence {
 public:
  // AD_SECRETS_DUMP=DIR also writes each item to DIR/<n>.txt (its source on the first line).
  void Add(const std::string& source, const std::string& text) {
    items_.push_back({source, text});
    if (const char* dir = getenv("AD_SECRETS_DUMP"); dir && *dir)
      WriteFile(std::string(dir) + "/" + std::to_string(items_.size()) + ".txt",
                source + "\n" + text);
  }
  size_t size() const { return items_.size(); }
  // "source: form" for every form of every secret found anywhere.
  std::vector<std::string> Leaks() const {
    std::vector<std::pair<std::string, std::string>> forms;
    for (const auto& [name, secret] : std::vector<std::pair<std::string, std::string>>{
             {"SMTP password", kPassword}, {"bearer token", kToken}, {"ack key", kAckKey}}) {
      auto f = Forms(name, secret);
      forms.insert(forms.end(), f.begin(), f.end());
    }
    forms.push_back({"AUTH PLAIN credentials",
                     Base64(std::string("\0", 1) + kUser + std::string("\0", 1) + kPassword)});
    forms.push_back({"Basic credentials", Base64(std::string("prometheus:") + kToken)});
    std::vector<std::string> leaks;
    for (const auto& [source, text] : items_) {
      for (const auto& [form, value] : forms) {
        if (text.find(value) != std::string::npos) leaks.push_back(source + ": " + form);
      }
    }
    return leaks;
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

std::string Config(int smtp_port) {
  std::string text = R"(
[server]
listen = "127.0.0.1:PORT"
external_url = "http://127.0.0.1:PORT"
auth_token_file = "token"
ack_key_file = "ack.key"
ack_link_ttl = "3s"
[storage]
path = "state.db"
[delivery]
transport = "smtp"
retry = { initial = "1s", max = "1s", give_up = "1h" }
[defaults]
group_wait = "0s"
group_interval = "1s"
[route]
receiver = "ops"
escalation = "oncall"
[[receiver]]
name = "ops"
to = ["ops@example.com"]
[[escalation]]
name = "oncall"
steps = [{ after = "0s", to = ["oncall@example.com"] }]
[smtp]
host = "localhost"
port = @SMTP_PORT@
security = "starttls"
username = "alerts@example.com"
password_file = "smtp-password"
from = "Alerts <alerts@example.com>"
ca_file = "@CA_FILE@"
timeout = "3s"
connect_timeout = "2s"
)";
  text = std::regex_replace(text, std::regex("@SMTP_PORT@"), std::to_string(smtp_port));
  return std::regex_replace(text, std::regex("@CA_FILE@"), TestPki::Get().ca_cert());
}

class SecretsTest : public ::testing::Test {
 protected:
  // One HTTP exchange on a new connection; the whole raw answer is evidence.
  std::string Exchange(const std::string& what, const std::string& method, const std::string& path,
                       const std::string& auth = "", const std::string& body = "",
                       const std::string& type = "application/json") {
    std::string request =
        method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Connection: close\r\n";
    if (!auth.empty()) request += "Authorization: " + auth + "\r\n";
    if (method == "POST") {
      request +=
          "Content-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    }
    const std::string answer = RawExchange(d_->port(), request + "\r\n" + body);
    evidence_.Add("HTTP " + what + " (" + method + " " + path.substr(0, 60) + ")", answer);
    return answer;
  }
  std::string Bearer() const { return std::string("Bearer ") + kToken; }

  // Runs `alertdigest ARGS` in the daemon's directory; its output is evidence.
  int Cli(const std::string& args, std::string* out = nullptr) {
    std::string output;
    const int code = e2e::RunCapture(
        "cd " + d_->dir().path() + " && " + AD_BINARY + " " + args + " --log-level debug", &output);
    evidence_.Add("CLI alertdigest " + args, output);
    if (out) *out = output;
    return code;
  }

  bool WaitForLog(const std::string& needle, seconds timeout = seconds(15)) {
    return WaitFor(timeout, [&] { return d_->Stderr().find(needle) != std::string::npos; });
  }
  int Reload() { return StatusOf(Exchange("reload", "POST", "/-/reload", Bearer())); }

  std::unique_ptr<Daemon> d_;
  Evidence evidence_;
};

// The search itself finds each form it claims to (else the big test would prove nothing).
TEST(SecretsEvidenceTest, FindsEveryFormOfEverySecret) {
  const std::string plain = Base64(std::string("\0", 1) + kUser + std::string("\0", 1) + kPassword);
  const std::vector<std::string> samples = {
      std::string("pass=") + kPassword,
      "AUTH PLAIN " + plain,
      "AUTH LOGIN\r\n" + Base64(kPassword),
      "Authorization: Basic " + Base64(std::string("prometheus:") + kToken),
      "Authorization: Basic " + Base64(std::string("x:") + kToken),
      "key=" + Hex(kAckKey, false),
      "KEY=" + Hex(kAckKey, true),
      "body " + Base64(std::string("some text around it: ") + kAckKey + " and after", true),
      std::string("cut: ") + std::string(kToken).substr(3, 10) + "…",
  };
  for (const std::string& sample : samples) {
    Evidence e;
    e.Add("sample", sample);
    EXPECT_FALSE(e.Leaks().empty()) << sample;
  }
  Evidence clean;
  clean.Add("sample", "AUTH: 535 5.7.8 Username and Password not accepted. " +
                          Base64(std::string("\0", 1) + kUser + std::string("\0", 1) + "other"));
  EXPECT_TRUE(clean.Leaks().empty());
}

TEST_F(SecretsTest, NoSecretInLogsResponsesMetricsMailsOrCliOutput) {
  // Phase 1: the server does not take our password (535).
  SmtpTestServerOptions wrong_password;
  wrong_password.users = {{kUser, "another-password"}};
  auto smtp = std::make_unique<SmtpTestServer>(wrong_password);
  const int smtp_port = smtp->port();
  d_ = std::make_unique<Daemon>(
      Config(smtp_port),
      std::map<std::string, std::string>{{"smtp-password", std::string(kPassword) + "\n"},
                                         {"token", std::string(kToken) + "\n"},
                                         {"ack.key", std::string(kAckKey) + "\n"}},
      std::vector<std::string>{"--log-level", "debug"});
  ASSERT_TRUE(d_->ready()) << d_->Logs();

  EXPECT_EQ(StatusOf(Exchange("no token", "GET", "/api/v2/alerts")), 401);
  EXPECT_EQ(StatusOf(Exchange("wrong token", "GET", "/api/v2/alerts", "Bearer not-the-token")),
            401);
  EXPECT_EQ(StatusOf(Exchange("wrong basic", "POST", "/api/v2/alerts",
                              "Basic " + Base64("prometheus:wrong"), "[]")),
            401);
  EXPECT_EQ(StatusOf(Exchange("token as user", "GET", "/api/v2/alerts",
                              "Basic " + Base64(std::string(kToken) + ":x"))),
            401);
  EXPECT_EQ(StatusOf(Exchange("bad JSON", "POST", "/api/v2/alerts", Bearer(), "{\"labels\":")),
            400);
  EXPECT_EQ(StatusOf(Exchange("bad alert", "POST", "/api/v2/alerts", Bearer(),
                              R"([{"labels":{"bad-name":"x"}}])")),
            400);
  EXPECT_EQ(StatusOf(Exchange("alert", "POST", "/api/v2/alerts", Bearer(),
                              R"([{"labels":{"alertname":"SecretsTest","instance":"db1"}}])")),
            200);
  EXPECT_EQ(StatusOf(Exchange("webhook (Basic)", "POST", "/webhook/alertmanager",
                              "Basic " + Base64(std::string("prometheus:") + kToken),
                              R"({"version":"4","status":"firing","alerts":[)"
                              R"({"labels":{"alertname":"SecretsWebhook"}}]})")),
            200);
  for (const char* path : {"/api/v2/alerts", "/api/v2/status", "/api/v2/silences", "/readyz"})
    Exchange("read", "GET", path, Bearer());
  ASSERT_TRUE(WaitForLog("535 5.7.8")) << d_->Logs();
  EXPECT_EQ(Cli("test-email -c config.toml --to me@example.com"), 3);

  // Phase 2: the server is down.
  smtp->Stop();
  EXPECT_EQ(Reload(), 200);
  ASSERT_TRUE(WaitForLog("Connection refused")) << d_->Logs();
  EXPECT_EQ(Cli("test-email -c config.toml --to me@example.com"), 3);

  // Phase 3: its certificate is not trusted.
  SmtpTestServerOptions untrusted;
  untrusted.port = smtp_port;
  untrusted.users = {{kUser, kPassword}};
  untrusted.cert = TestPki::Get().selfsigned_cert();
  untrusted.key = TestPki::Get().selfsigned_key();
  smtp = std::make_unique<SmtpTestServer>(untrusted);
  EXPECT_EQ(Reload(), 200);
  ASSERT_TRUE(WaitForLog("certificate")) << d_->Logs();
  EXPECT_EQ(Cli("test-email -c config.toml --to me@example.com"), 3);

  // `outbox list` and `check` need the state file to themselves: stop, look, start again.
  EXPECT_EQ(d_->Stop(), 0);
  evidence_.Add("serve run 1 stderr", d_->Stderr());
  evidence_.Add("serve run 1 stdout", d_->Stdout());
  std::string outbox;
  EXPECT_EQ(Cli("outbox list -c config.toml", &outbox), 0);
  EXPECT_TRUE(outbox.find("pending") != std::string::npos) << outbox;
  EXPECT_EQ(Cli("check -c config.toml"), 0);

  // Phase 4: a temporary 4xx, then delivery.
  smtp.reset();
  SmtpTestServerOptions flaky;
  flaky.port = smtp_port;
  flaky.users = {{kUser, kPassword}};
  flaky.fail_first = 1;
  flaky.fail_reply = "451 4.3.0 Mail server temporarily rejected message.";
  smtp = std::make_unique<SmtpTestServer>(flaky);
  ASSERT_TRUE(d_->Start("alertdigest-2")) << d_->Logs();
  ASSERT_TRUE(WaitFor(seconds(20), [&] { return smtp->Messages().size() >= 3; }))
      << d_->Logs() << ReadFile(smtp->output_path());
  EXPECT_TRUE(WaitForLog("451 4.3.0")) << d_->Logs();
  EXPECT_EQ(Cli("test-email -c config.toml --to me@example.com"), 0);

  // Every delivered message, as sent and as a mail client decodes it.
  std::string escalation_text;
  for (const auto& m : smtp->Messages()) {
    evidence_.Add("email to " + m.rcpt_tos.front() + " (raw)", m.data);
    auto eml = testing::CheckEml(m.data);
    evidence_.Add("email to " + m.rcpt_tos.front() + " (text)", Unquoted(eml["text"]));
    evidence_.Add("email to " + m.rcpt_tos.front() + " (html)", Unquoted(eml["html"]));
    if (m.data.find("X-Alertdigest-Kind: escalation") != std::string::npos)
      escalation_text = Unquoted(eml["text"]);
  }

  // Ack links: forged (signature altered), then expired (ack_link_ttl 3s).
  const size_t at = escalation_text.find("/ack/");
  ASSERT_NE(at, std::string::npos) << escalation_text;
  const std::string link =
      escalation_text.substr(at, escalation_text.find_first_of(" \r\n", at) - at);
  std::string forged = link;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(StatusOf(Exchange("forged ack link", "GET", forged)), 403);
  EXPECT_EQ(StatusOf(Exchange("forged ack post", "POST", forged, "", "by=mallory",
                              "application/x-www-form-urlencoded")),
            403);
  EXPECT_TRUE(WaitFor(seconds(10),
                      [&] { return StatusOf(Exchange("expired ack link", "GET", link)) == 410; }));
  EXPECT_EQ(StatusOf(Exchange("ack API without token", "POST", "/api/v1/ack", "",
                              R"({"group":"x","by":"me"})")),
            401);
  EXPECT_EQ(StatusOf(Exchange("ack API, unknown group", "POST", "/api/v1/ack", Bearer(),
                              R"({"group":"0123456789abcdef","by":"me"})")),
            404);
  EXPECT_NE(Cli("ack 0123456789abcdef -c config.toml --by me"), 0);
  EXPECT_EQ(Cli("silence list -c config.toml"), 0);

  // Broken reloads: the running config stays, the error is answered — and never quotes the
  // password, not even from a config file that (wrongly) holds it.
  const std::string good = ReadFile(d_->Path("config.toml"));
  const std::vector<std::string> broken = {
      good + "password = \"" + kPassword + "\"\n",  // a password in the config
      good + "password = \"" + kPassword + "\n",    // … on a line that does not parse
      std::regex_replace(good, std::regex("starttls"), "bogus"),  // merely invalid
  };
  for (size_t i = 0; i < broken.size(); ++i) {
    WriteFile(d_->Path("config.toml"), broken[i]);
    EXPECT_NE(Reload(), 200) << i;
    EXPECT_NE(Cli("check -c config.toml"), 0) << i;
  }
  WriteFile(d_->Path("config.toml"), good);
  EXPECT_EQ(Reload(), 200);

  Exchange("metrics", "GET", "/metrics", Bearer());
  EXPECT_EQ(d_->Stop(), 0);
  evidence_.Add("serve run 2 stderr", d_->Stderr());
  evidence_.Add("serve run 2 stdout", d_->Stdout());
  for (const char* file : {"state.db", "state.db-wal"})
    evidence_.Add(std::string("state file ") + file, ReadFile(d_->Path(file)));

  // The paths were really taken…
  const std::string logs = ReadFile(d_->Path("alertdigest.err"));
  for (const char* seen : {"535 5.7.8", "Connection refused", "certificate", "status=401"})
    EXPECT_NE(logs.find(seen), std::string::npos) << seen;
  EXPECT_NE(d_->Stderr().find("reload failed"), std::string::npos);
  // … and no secret, in any form, came out of any of them.
  EXPECT_GT(evidence_.size(), 50u);
  const std::vector<std::string> leaks = evidence_.Leaks();
  EXPECT_TRUE(leaks.empty()) << [&] {
    std::string all;
    for (const std::string& l : leaks) all += "  " + l + "\n";
    return "leaked:\n" + all;
  }();
}

}  // namespace
}  // namespace alertdigest::hostile
