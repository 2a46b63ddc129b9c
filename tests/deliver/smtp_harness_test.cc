// Proves tests/deliver/smtp_harness.py (through SmtpTestServer) with clients that are not the
// project's transport: Python's smtplib (smtplib_client.py) and a raw socket for dialogue
// details on plain connections.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "deliver/smtp_test_server.h"

namespace alertdigest::testing {
namespace {

const std::string kMessage =
    "From: Alerts <alerts@example.com>\r\n"
    "To: bob@example.com\r\n"
    "Subject: =?UTF-8?Q?Disk_f=C3=BCll?=\r\n"
    "Message-ID: <1@digest.example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Disk f\xC3\xBCll on db-1.\r\n"
    ".a line starting with a dot\r\n"
    "..two dots\r\n"
    ".\r\n"  // a lone dot inside the body: must be stuffed by the client, unstuffed by the server
    "last line\r\n";

std::string Base64(std::string_view in) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += tbl[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = uint8_t(in[i]) << 16;
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// A temp dir for client-side files.
class ScratchDir {
 public:
  ScratchDir() : path_(smtp_detail::MakeTempDir("ad-smtpc-")) {}
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct ClientResult {
  bool ok = false;
  int code = -1;
  std::string error;
  std::string json;  // the whole line, for "refused" checks and failure messages
};

// One smtplib session: optional AUTH, one message. Extra args: see smtplib_client.py.
ClientResult RunClient(int port, std::vector<std::string> args, const std::string& message = kMessage) {
  ScratchDir scratch;
  const std::string msg_path = scratch.path() + "/message.eml";
  const std::string out_path = scratch.path() + "/client.out";
  smtp_detail::WriteAll(msg_path, message);
  std::vector<std::string> argv = {"/usr/bin/python3",
                                   std::string(AD_SOURCE_DIR) + "/tests/deliver/smtplib_client.py",
                                   "--port", std::to_string(port), "--message", msg_path};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = smtp_detail::Spawn(argv, out_path, true);
  int status = 0;
  waitpid(pid, &status, 0);
  ClientResult r;
  r.json = smtp_detail::ReadAll(out_path);
  r.ok = r.json.find("\"ok\": true") != std::string::npos;
  size_t pos = smtp_detail::FindJsonValue(r.json, "code");
  if (pos != std::string::npos) r.code = std::atoi(r.json.c_str() + pos);
  pos = smtp_detail::FindJsonValue(r.json, "error");
  if (pos != std::string::npos) smtp_detail::ParseJsonString(r.json, pos, r.error);
  return r;
}

std::vector<std::string> TlsClient(const std::string& mode, const std::string& user = "",
                                   const std::string& password = "") {
  std::vector<std::string> a = {"--mode", mode, "--cafile", TestPki::Get().ca_cert(), "--to",
                                "bob@example.com"};
  if (!user.empty()) a.insert(a.end(), {"--user", user, "--password", password});
  return a;
}

// Raw SMTP over a plain TCP connection, for checking exact dialogue.
class RawSmtp {
 public:
  explicit RawSmtp(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawSmtp() { close(fd_); }
  bool connected() const { return connected_; }
  bool eof() const { return eof_; }

  // Reads one complete reply (up to the "ddd " line), or whatever came before EOF/timeout.
  std::string Reply() {
    std::string reply;
    for (;;) {
      size_t nl = buf_.find("\r\n");
      if (nl != std::string::npos) {
        std::string line = buf_.substr(0, nl + 2);
        buf_.erase(0, nl + 2);
        reply += line;
        if (line.size() >= 4 && line[3] == ' ') return reply;
        continue;
      }
      char chunk[4096];
      ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) {
        eof_ = n == 0;
        return reply + buf_;
      }
      buf_.append(chunk, size_t(n));
    }
  }
  std::string Command(const std::string& line) {
    Send(line);
    return Reply();
  }
  void Send(const std::string& line) {
    std::string data = line + "\r\n";
    ASSERT_EQ(send(fd_, data.data(), data.size(), MSG_NOSIGNAL), ssize_t(data.size()));
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string buf_;
};

SmtpTestServerOptions PlainOptions() {
  SmtpTestServerOptions o;
  o.mode = "plain";
  o.require_tls = false;
  o.auth_required = false;
  return o;
}

TEST(SmtpHarness, StartTlsPlainAuthDeliversByteIdenticalMessage) {
  SmtpTestServerOptions o;
  o.users = {{"alice@example.com", "abcdefghijklmnop"}};
  SmtpTestServer server(o);
  auto r = RunClient(server.port(), TlsClient("starttls", "alice@example.com", "abcdefghijklmnop"));
  ASSERT_TRUE(r.ok) << r.json;
  auto mails = server.Messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].data, kMessage);
  EXPECT_EQ(mails[0].mail_from, "alerts@example.com");
  EXPECT_EQ(mails[0].rcpt_tos, std::vector<std::string>{"bob@example.com"});
  EXPECT_EQ(mails[0].user, "alice@example.com");
  EXPECT_TRUE(mails[0].tls);
  EXPECT_EQ(mails[0].session, 1);
  EXPECT_EQ(server.CountEvents("connect"), 1);
  EXPECT_EQ(server.CountEvents("starttls"), 1);
  EXPECT_EQ(server.CountEvents("auth"), 1);
  EXPECT_EQ(server.CountEvents("message"), 1);
}

TEST(SmtpHarness, BeforeStartTlsGmailAnswers530AndOffersNoAuth) {
  SmtpTestServerOptions o;
  o.users = {{"alice@example.com", "secret"}};
  SmtpTestServer server(o);
  RawSmtp raw(server.port());
  ASSERT_TRUE(raw.connected());
  EXPECT_EQ(raw.Reply().substr(0, 4), "220 ");
  std::string ehlo = raw.Command("EHLO client.example.test");
  EXPECT_NE(ehlo.find("250-STARTTLS\r\n"), std::string::npos) << ehlo;
  EXPECT_NE(ehlo.find("250-ENHANCEDSTATUSCODES\r\n"), std::string::npos) << ehlo;
  EXPECT_EQ(ehlo.find("AUTH"), std::string::npos) << ehlo;
  const std::string must = "530 5.7.0 Must issue a STARTTLS command first\r\n";
  EXPECT_EQ(raw.Command("AUTH PLAIN " + Base64(std::string("\0alice@example.com\0secret", 26))), must);
  EXPECT_EQ(raw.Command("MAIL FROM:<alerts@example.com>"), must);

  auto r = RunClient(server.port(), {"--mode", "plain", "--to", "bob@example.com"});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.code, 530) << r.json;
  EXPECT_NE(r.error.find("5.7.0 Must issue a STARTTLS command first"), std::string::npos) << r.json;
  EXPECT_TRUE(server.Messages().empty());
}

TEST(SmtpHarness, WrongPasswordGets535) {
  SmtpTestServerOptions o;
  o.users = {{"alice@example.com", "right-password"}};
  SmtpTestServer server(o);
  for (const char* mech : {"PLAIN", "LOGIN"}) {
    auto args = TlsClient("starttls", "alice@example.com", "wrong-password");
    args.insert(args.end(), {"--mechanism", mech});
    auto r = RunClient(server.port(), args);
    EXPECT_FALSE(r.ok) << mech;
    EXPECT_EQ(r.code, 535) << r.json;
    EXPECT_NE(r.error.find("5.7.8 Username and Password not accepted."), std::string::npos) << r.json;
  }
  EXPECT_EQ(server.CountEvents("auth_failed"), 2);
  EXPECT_EQ(server.CountEvents("auth"), 0);
  EXPECT_TRUE(server.Messages().empty());
}

TEST(SmtpHarness, LogNeverContainsSecrets) {
  const std::string pw = "qwertyuiopasdfgh", token = "ya29.token-XYZ-123", bad = "Bad-Secret-987";
  SmtpTestServerOptions o;
  o.users = {{"alice@example.com", pw}, {"oauth@example.com", token}};
  SmtpTestServer server(o);
  auto with = [](std::vector<std::string> a, const char* mech) {
    a.insert(a.end(), {"--mechanism", mech});
    return a;
  };
  EXPECT_TRUE(RunClient(server.port(), with(TlsClient("starttls", "alice@example.com", pw), "PLAIN")).ok);
  EXPECT_TRUE(RunClient(server.port(), with(TlsClient("starttls", "alice@example.com", pw), "LOGIN")).ok);
  EXPECT_TRUE(RunClient(server.port(), with(TlsClient("starttls", "oauth@example.com", token), "XOAUTH2")).ok);
  EXPECT_EQ(RunClient(server.port(), with(TlsClient("starttls", "alice@example.com", bad), "PLAIN")).code, 535);
  EXPECT_EQ(RunClient(server.port(), with(TlsClient("starttls", "oauth@example.com", bad), "XOAUTH2")).code, 535);
  EXPECT_EQ(server.CountEvents("auth"), 3);
  EXPECT_EQ(server.CountEvents("auth_failed"), 2);
  const std::string everything =
      smtp_detail::ReadAll(server.log_path()) + smtp_detail::ReadAll(server.output_path());
  for (const std::string& secret :
       {pw, token, bad, Base64(pw), Base64(token), Base64(std::string("\0alice@example.com\0", 19) + pw),
        Base64("user=oauth@example.com\x01" "auth=Bearer " + token + "\x01\x01")}) {
    EXPECT_EQ(everything.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(everything.find("\"mechanism\": \"XOAUTH2\", \"user\": \"oauth@example.com\""),
            std::string::npos);
}

TEST(SmtpHarness, ImplicitTlsDelivers) {
  SmtpTestServerOptions o;
  o.mode = "tls";
  o.users = {{"alice@example.com", "secret"}};
  SmtpTestServer server(o);
  auto r = RunClient(server.port(), TlsClient("tls", "alice@example.com", "secret"));
  ASSERT_TRUE(r.ok) << r.json;
  auto mails = server.Messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].data, kMessage);
  EXPECT_TRUE(mails[0].tls);
  EXPECT_EQ(mails[0].user, "alice@example.com");
  EXPECT_EQ(server.CountEvents("starttls"), 0);
}

TEST(SmtpHarness, ClientRefusesCertificateFromUnknownCa) {
  for (const char* mode : {"starttls", "tls"}) {
    SmtpTestServerOptions o;
    o.mode = mode;
    o.cert = TestPki::Get().selfsigned_cert();
    o.key = TestPki::Get().selfsigned_key();
    o.users = {{"alice@example.com", "secret"}};
    SmtpTestServer server(o);
    auto r = RunClient(server.port(), TlsClient(mode, "alice@example.com", "secret"));
    EXPECT_FALSE(r.ok) << mode;
    EXPECT_NE(r.error.find("CERTIFICATE_VERIFY_FAILED"), std::string::npos) << r.json;
    EXPECT_EQ(server.CountEvents("auth"), 0) << mode;
    EXPECT_TRUE(server.Messages().empty()) << mode;
  }
}

TEST(SmtpHarness, ClientRefusesCertificateForAnotherHost) {
  SmtpTestServerOptions o;
  o.cert = TestPki::Get().wronghost_cert();
  o.key = TestPki::Get().wronghost_key();
  o.users = {{"alice@example.com", "secret"}};
  SmtpTestServer server(o);
  for (const char* name : {"127.0.0.1", "localhost"}) {
    auto args = TlsClient("starttls", "alice@example.com", "secret");
    args.insert(args.end(), {"--tls-host", name});
    auto r = RunClient(server.port(), args);
    EXPECT_FALSE(r.ok) << name;
    EXPECT_NE(r.error.find("mismatch"), std::string::npos) << r.json;
  }
  EXPECT_TRUE(server.Messages().empty());

  // Control: the right certificate passes the same check by DNS name.
  SmtpTestServerOptions good;
  good.users = o.users;
  SmtpTestServer right(good);
  auto args = TlsClient("starttls", "alice@example.com", "secret");
  args.insert(args.end(), {"--tls-host", "localhost"});
  EXPECT_TRUE(RunClient(right.port(), args).ok);
}

TEST(SmtpHarness, FailFirstTwoGives421TwiceThenDelivers) {
  SmtpTestServerOptions o;
  o.users = {{"alice@example.com", "secret"}};
  o.fail_first = 2;
  SmtpTestServer server(o);
  for (int i = 0; i < 2; ++i) {
    auto r = RunClient(server.port(), TlsClient("starttls", "alice@example.com", "secret"));
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.code, 421) << r.json;
    EXPECT_NE(r.error.find("4.7.0 Try again later, closing connection."), std::string::npos) << r.json;
  }
  auto r = RunClient(server.port(), TlsClient("starttls", "alice@example.com", "secret"));
  EXPECT_TRUE(r.ok) << r.json;
  EXPECT_EQ(server.Messages().size(), 1u);
}

TEST(SmtpHarness, Reply421ClosesTheConnection) {
  auto o = PlainOptions();
  o.fail_first = 1;
  o.fail_reply = "421 4.7.0 Try again later, closing connection.";
  SmtpTestServer server(o);
  RawSmtp raw(server.port());
  raw.Reply();
  raw.Command("EHLO client.example.test");
  EXPECT_EQ(raw.Command("MAIL FROM:<a@example.com>"), o.fail_reply + "\r\n");
  EXPECT_EQ(raw.Reply(), "");
  EXPECT_TRUE(raw.eof());
}

TEST(SmtpHarness, RejectedRecipientGets550OthersDelivered) {
  SmtpTestServerOptions o;
  o.users = {{"alice@example.com", "secret"}};
  o.reject_rcpt = {"nobody@example.com"};
  SmtpTestServer server(o);
  auto args = TlsClient("starttls", "alice@example.com", "secret");
  args.insert(args.end(), {"--to", "nobody@example.com"});
  auto r = RunClient(server.port(), args);
  ASSERT_TRUE(r.ok) << r.json;
  EXPECT_NE(r.json.find("\"refused\": {\"nobody@example.com\": 550}"), std::string::npos) << r.json;
  auto mails = server.Messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_tos, std::vector<std::string>{"bob@example.com"});
  EXPECT_EQ(server.CountEvents("rcpt_rejected"), 1);

  r = RunClient(server.port(), {"--mode", "starttls", "--cafile", TestPki::Get().ca_cert(), "--user",
                                "alice@example.com", "--password", "secret", "--to", "nobody@example.com"});
  EXPECT_EQ(r.code, 550) << r.json;
  EXPECT_NE(r.error.find("5.1.1 The email account that you tried to reach does not exist."),
            std::string::npos) << r.json;
}

TEST(SmtpHarness, CloseInEhloClosesMidReply) {
  auto o = PlainOptions();
  o.close_in_ehlo = true;
  SmtpTestServer server(o);
  RawSmtp raw(server.port());
  EXPECT_EQ(raw.Reply().substr(0, 4), "220 ");
  EXPECT_EQ(raw.Command("EHLO client.example.test"),
            "250-smtp.example.test at your service, [127.0.0.1]\r\n");
  EXPECT_TRUE(raw.eof());
  EXPECT_EQ(server.CountEvents("dropped"), 1);
}

TEST(SmtpHarness, AuthDialoguesAreGmails) {
  auto o = PlainOptions();
  o.auth_required = true;
  o.users = {{"alice@example.com", "secret"}};
  o.app_password_required = "boss@example.com";
  SmtpTestServer server(o);
  {
    RawSmtp raw(server.port());
    raw.Reply();
    std::string ehlo = raw.Command("EHLO client.example.test");
    EXPECT_NE(ehlo.find("250-AUTH LOGIN PLAIN XOAUTH2\r\n"), std::string::npos) << ehlo;
    EXPECT_NE(ehlo.find("250 SMTPUTF8\r\n"), std::string::npos) << ehlo;
    EXPECT_EQ(raw.Command("MAIL FROM:<a@example.com>"), "530 5.7.0 Authentication Required.\r\n");
    EXPECT_EQ(raw.Command("AUTH LOGIN"), "334 " + Base64("Username:") + "\r\n");
    EXPECT_EQ(raw.Command(Base64("alice@example.com")), "334 " + Base64("Password:") + "\r\n");
    EXPECT_EQ(raw.Command(Base64("secret")).substr(0, 4), "235 ");
    EXPECT_EQ(raw.Command("MAIL FROM:<a@example.com>").substr(0, 4), "250 ");
  }
  {
    RawSmtp raw(server.port());
    raw.Reply();
    raw.Command("EHLO client.example.test");
    const std::string json = R"({"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"})";
    EXPECT_EQ(raw.Command("AUTH XOAUTH2 " + Base64("user=alice@example.com\x01" "auth=Bearer nope\x01\x01")),
              "334 " + Base64(json) + "\r\n");
    EXPECT_EQ(raw.Command(""), "535 5.7.8 Username and Password not accepted.\r\n");
    EXPECT_EQ(raw.Command("AUTH PLAIN " + Base64(std::string("\0boss@example.com\0whatever", 25))),
              "534 5.7.9 Application-specific password required.\r\n");
  }
}

TEST(SmtpHarness, DropInDataThenDelivers) {
  auto o = PlainOptions();
  o.drop_in_data = 1;
  SmtpTestServer server(o);
  auto r = RunClient(server.port(), {"--mode", "plain", "--to", "bob@example.com"});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.code, 0) << r.json;  // no reply at all
  EXPECT_TRUE(server.Messages().empty());
  EXPECT_EQ(server.CountEvents("dropped"), 1);
  r = RunClient(server.port(), {"--mode", "plain", "--to", "bob@example.com"});
  EXPECT_TRUE(r.ok) << r.json;
  EXPECT_EQ(server.Messages().size(), 1u);
}

TEST(SmtpHarness, DropConnectClosesBeforeTheGreetingThenServes) {
  auto o = PlainOptions();
  o.drop_connect = 1;
  SmtpTestServer server(o);
  {
    RawSmtp raw(server.port());
    EXPECT_EQ(raw.Reply(), "");  // reset, no greeting
  }
  EXPECT_EQ(server.CountEvents("dropped"), 1);
  RawSmtp raw(server.port());
  EXPECT_EQ(raw.Reply().substr(0, 4), "220 ");
}

TEST(SmtpHarness, RecipientAndDailyLimits) {
  auto o = PlainOptions();
  o.max_recipients = 2;
  o.daily_limit = 1;
  SmtpTestServer server(o);
  auto r = RunClient(server.port(), {"--mode", "plain", "--to", "a@example.com", "--to", "b@example.com",
                                     "--to", "c@example.com"});
  ASSERT_TRUE(r.ok) << r.json;
  EXPECT_NE(r.json.find("\"refused\": {\"c@example.com\": 452}"), std::string::npos) << r.json;
  r = RunClient(server.port(), {"--mode", "plain", "--to", "a@example.com"});
  EXPECT_EQ(r.code, 550) << r.json;
  EXPECT_NE(r.error.find("5.4.5 Daily user sending limit exceeded."), std::string::npos) << r.json;
  ASSERT_EQ(server.Messages().size(), 1u);
  EXPECT_EQ(server.Messages()[0].rcpt_tos.size(), 2u);
}

TEST(SmtpHarness, DelaysMakeClientsTimeOut) {
  auto o = PlainOptions();
  o.delay_after_dot = 1.5;
  SmtpTestServer server(o);
  auto r = RunClient(server.port(), {"--mode", "plain", "--timeout", "0.5", "--to", "bob@example.com"});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.json;
  EXPECT_EQ(server.Messages().size(), 1u);  // delivered although the reply came too late

  auto g = PlainOptions();
  g.delay_greeting = 1.5;
  SmtpTestServer slow(g);
  auto start = std::chrono::steady_clock::now();
  r = RunClient(slow.port(), {"--mode", "plain", "--timeout", "0.5", "--to", "bob@example.com"});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.json;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(SmtpHarness, RestartsOnTheSamePort) {
  auto o = PlainOptions();
  o.port = SmtpTestServer::FreePort();
  SmtpTestServer server(o);
  EXPECT_EQ(server.port(), o.port);
  ASSERT_TRUE(RunClient(server.port(), {"--mode", "plain", "--to", "bob@example.com"}).ok);
  server.Stop();
  auto r = RunClient(o.port, {"--mode", "plain", "--to", "bob@example.com"});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("ConnectionRefusedError"), std::string::npos) << r.json;
  server.Start();
  EXPECT_EQ(server.port(), o.port);
  EXPECT_TRUE(RunClient(server.port(), {"--mode", "plain", "--to", "bob@example.com"}).ok);
  EXPECT_EQ(server.Messages().size(), 2u);  // numbering continues across restarts
}

}  // namespace
}  // namespace alertdigest::testing
