// `run`, `test-email` and `outbox` with transport = "smtp", against the real test server:
// what a user sees when the account is misconfigured, and that nothing is lost meanwhile.
#include <gtest/gtest.h>

#include <fstream>

#include "deliver/smtp_test_server.h"
#include "integration/workspace.h"

namespace alertdigest::testing {
namespace {

constexpr char kUser[] = "alerts@example.com";
constexpr char kSecret[] = "abcdefghijklmnop";

SmtpTestServerOptions GmailLike() {
  SmtpTestServerOptions o;
  o.users = {{kUser, kSecret}};
  return o;
}

// The example config, switched to SMTP against `server`.
void WriteSmtpConfig(const Workspace& ws, const SmtpTestServer& server) {
  std::string cfg = ReadFile(ws.Path("config.toml.example"));
  cfg = std::regex_replace(cfg, std::regex(R"(transport = "file")"), R"(transport = "smtp")");
  cfg += "\n[smtp]\nhost = \"localhost\"\nport = " + std::to_string(server.port()) +
         "\nsecurity = \"starttls\"\nusername = \"" + kUser +
         "\"\npassword_file = \"app-password\"\nfrom = \"Alerts <" + kUser + ">\"\nca_file = \"" +
         TestPki::Get().ca_cert() + "\"\ntimeout = \"5s\"\n";
  std::ofstream(ws.Path("smtp.toml")) << cfg;
}

ProcessResult Ad(const Workspace& ws, std::vector<std::string> args, const std::string& input = "") {
  std::vector<std::string> argv = {AD_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunToEnd(argv, input.empty() ? "" : ws.Path(input), ws.dir());
}

TEST(SmtpCommandsTest, WrongPasswordKeepsEverythingQueuedUntilFixed) {
  SmtpTestServer server(GmailLike());
  Workspace ws;
  WriteSmtpConfig(ws, server);
  std::ofstream(ws.Path("app-password")) << "not the app password";
  ProcessResult r = Ad(ws, {"run", "-c", "smtp.toml"}, "examples/alerts.jsonl");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("sending paused: AUTH: 535 5.7.8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("app password"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing is lost"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("not the app password"), std::string::npos) << "the secret never shows";
  EXPECT_TRUE(server.Messages().empty());

  ProcessResult list = Ad(ws, {"outbox", "list", "-c", "smtp.toml"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(list.out.starts_with("outbox: 10 pending, 0 sent, 0 dead")) << list.out;

  std::ofstream(ws.Path("app-password")) << "abcd efgh ijkl mnop\n";  // pasted with spaces
  ProcessResult again = Ad(ws, {"run", "-c", "smtp.toml"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(server.Messages().size(), 10u);
  EXPECT_EQ(server.CountEvents("auth"), 1) << "one session for the whole batch";
}

TEST(SmtpCommandsTest, TestEmailReportsEachStep) {
  SmtpTestServer server(GmailLike());
  Workspace ws;
  WriteSmtpConfig(ws, server);
  std::ofstream(ws.Path("app-password")) << kSecret;
  ProcessResult ok = Ad(ws, {"test-email", "-c", "smtp.toml", "--to", "me@example.com"});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("✓ connected over TLS (certificate verified), logged in as "
                        "alerts@example.com (AUTH PLAIN)"),
            std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("✓ accepted by the server for me@example.com"), std::string::npos);
  ASSERT_EQ(server.Messages().size(), 1u);
  EXPECT_NE(server.Messages()[0].data.find("X-Alertdigest-Kind: test"), std::string::npos);

  std::ofstream(ws.Path("app-password")) << "wrong";
  ProcessResult bad = Ad(ws, {"test-email", "-c", "smtp.toml", "--to", "me@example.com"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.out.find("✗ AUTH: 535 5.7.8 Username and Password not accepted."), std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("what to do: the server rejected the login"), std::string::npos);
}

TEST(SmtpCommandsTest, TestEmailExplainsAnUntrustedCertificate) {
  SmtpTestServer server(GmailLike());
  Workspace ws;
  WriteSmtpConfig(ws, server);
  std::ofstream(ws.Path("app-password")) << kSecret;
  std::string cfg = ReadFile(ws.Path("smtp.toml"));
  cfg = std::regex_replace(cfg, std::regex("ca_file = \"[^\"]*\"\n"), "");
  std::ofstream(ws.Path("smtp.toml")) << cfg;
  ProcessResult r = Ad(ws, {"test-email", "-c", "smtp.toml", "--to", "me@example.com"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("✗ TLS handshake:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("certificate is not trusted"), std::string::npos) << r.out;
}

// The db-team mail has that one recipient: refused for good, it becomes a dead letter (exit 3),
// listed with the server's reply, and `outbox retry` queues it again.
TEST(SmtpCommandsTest, DeadLetterIsListedAndCanBeRetried) {
  SmtpTestServerOptions o = GmailLike();
  o.reject_rcpt = {"db-team@example.com"};
  SmtpTestServer server(o);
  Workspace ws;
  WriteSmtpConfig(ws, server);
  std::ofstream(ws.Path("app-password")) << kSecret;
  ProcessResult r = Ad(ws, {"run", "-c", "smtp.toml"}, "examples/alerts.jsonl");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(server.Messages().size(), 9u) << "every other mail went out";
  ProcessResult list = Ad(ws, {"outbox", "list", "-c", "smtp.toml"});
  EXPECT_NE(list.out.find("1 dead"), std::string::npos) << list.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      list.out, m, std::regex(R"(dead +(\d+) .*to db-team@example.com +after 1 attempts: RCPT TO: 550 5\.1\.1)")))
      << list.out;
  ProcessResult retry = Ad(ws, {"outbox", "retry", "-c", "smtp.toml", m[1].str()});
  EXPECT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_NE(retry.out.find("queued again"), std::string::npos);
}

}  // namespace
}  // namespace alertdigest::testing
