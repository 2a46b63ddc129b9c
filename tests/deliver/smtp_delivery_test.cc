// SMTP delivery against a real SMTP server (aiosmtpd, Gmail-like, on 127.0.0.1 with a throwaway
// CA): TLS modes, authentication, certificate checks, reply classification, retries, pauses,
// session reuse, recipient handling, and that secrets never leak. The worker runs on a
// ManualClock (virtual time); the network is real.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <random>

#include "core/log.h"
#include "deliver/outbox_worker.h"
#include "deliver/smtp/smtp_transport.h"
#include "deliver/smtp_test_server.h"
#include "render/mime_writer.h"
#include "store/store.h"

namespace alertdigest {
namespace {

using testing::SmtpTestServer;
using testing::SmtpTestServerOptions;
using testing::TestPki;
using std::chrono::seconds;

constexpr char kUser[] = "alerts@example.com";
constexpr char kSecret[] = "abcdefghijklmnop";              // a Gmail-style app password
constexpr char kSecretAsPasted[] = "abcd efgh ijkl mnop\n";  // as Google shows it
const Timestamp kT0 = FromUnixMillis(1'800'000'000'000);

SmtpTestServerOptions GmailLike(std::string mode = "starttls") {
  SmtpTestServerOptions o;
  o.mode = std::move(mode);
  o.users = {{kUser, kSecret}};
  return o;
}

class SmtpDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ad-smtp-delivery-XXXXXX";
    dir_ = mkdtemp(tmpl);
    store_ = std::move(OpenSqliteStore(dir_ + "/state.db").value());
    std::ofstream(dir_ + "/app-password") << kSecretAsPasted;
    log::SetSink([this](std::string_view line) {
      std::lock_guard lock(mu_);
      logs_.emplace_back(line);
    });
  }
  void TearDown() override {
    log::SetSink(nullptr);
    std::filesystem::remove_all(dir_);
  }

  SmtpConfig Config(const SmtpTestServer& server, std::string security = "starttls") {
    SmtpConfig c;
    c.host = "localhost";
    c.port = server.port();
    c.security = std::move(security);
    c.username = kUser;
    c.password_file = dir_ + "/app-password";
    c.from = std::string("Alerts <") + kUser + ">";
    c.hello = "alertdigest.test";
    c.ca_file = TestPki::Get().ca_cert();
    c.timeout = seconds(2);
    c.connect_timeout = seconds(2);
    c.data_timeout = seconds(5);
    c.daily_budget = 0;
    return c;
  }

  // A real multipart message, as the renderer makes them.
  std::string MakeData(const std::string& id) {
    MimeWriter w;
    w.SetDate(kT0);
    w.SetFrom(ParseMailbox(std::string("Alerts <") + kUser + ">"));
    w.AddTo(ParseMailbox("team@example.com"));
    w.SetSubject("[alertdigest] DiskFull (cluster=eu-1) — ✓ Zoë");
    w.SetMessageId(id);
    w.SetKind("notification");
    w.SetText("1 firing\n.\nA line that starts with a dot.\n");
    w.SetHtml("<p>1 firing</p>");
    return w.Write(42);
  }

  int64_t Enqueue(std::vector<std::string> recipients = {"team@example.com"}) {
    OutboxMessage m;
    m.message_id = "m" + std::to_string(++counter_) + "@alertdigest.test";
    m.kind = "notification";
    m.group_key = "{}:{alertname=\"DiskFull\"}";
    m.receiver = "team";
    m.subject = "DiskFull";
    m.envelope_from = kUser;
    m.recipients = std::move(recipients);
    m.data = MakeData(m.message_id);
    m.created_at = m.next_attempt_at = clock_.Now();
    WriteBatch b;
    b.AddOutbox(m);
    EXPECT_TRUE(store_->Write(b).ok());
    sent_data_[m.message_id] = m.data;
    return counter_;
  }

  std::unique_ptr<OutboxWorker> Worker(Transport& t, int daily_budget = 0) {
    OutboxWorkerOptions o;
    o.retry = RetryConfig{seconds(10), std::chrono::minutes(10), std::chrono::hours(24)};
    o.daily_budget = daily_budget;
    return std::make_unique<OutboxWorker>(*store_, t, clock_, o, [] { return 1.0; });
  }

  std::vector<DeliveryReport> Deliver(OutboxWorker& w, int limit = 256) {
    auto r = w.DeliverDue(limit);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : std::vector<DeliveryReport>{};
  }

  OutboxStats Stats() { return store_->GetOutboxStats().value(); }

  std::string AllLogs() {
    std::lock_guard lock(mu_);
    std::string all;
    for (const auto& l : logs_) all += l + "\n";
    return all;
  }

  std::string dir_;
  ManualClock clock_{kT0};
  std::unique_ptr<Store> store_;
  std::map<std::string, std::string> sent_data_;
  int counter_ = 0;
  std::mutex mu_;
  std::vector<std::string> logs_;
};

TEST_F(SmtpDeliveryTest, StartTlsWithPlainAndLoginDeliversTheExactBytes) {
  for (std::string auth : {"plain", "login", "auto"}) {
    SmtpTestServer server(GmailLike());
    SmtpConfig c = Config(server);
    c.auth = auth;
    SmtpTransport t(c);
    auto w = Worker(t);
    Enqueue();
    auto reports = Deliver(*w);
    ASSERT_EQ(reports.size(), 1u) << auth;
    EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kDelivered)
        << auth << ": " << reports[0].result.detail;
    auto mails = server.Messages();
    ASSERT_EQ(mails.size(), 1u) << auth;
    EXPECT_TRUE(mails[0].tls);
    EXPECT_EQ(mails[0].user, kUser);
    EXPECT_EQ(mails[0].mail_from, kUser);
    EXPECT_EQ(mails[0].data, sent_data_[reports[0].message_id])
        << "the server got exactly what the file transport would write";
  }
}

TEST_F(SmtpDeliveryTest, ImplicitTlsDelivers) {
  SmtpTestServer server(GmailLike("tls"));
  SmtpTransport t(Config(server, "tls"));
  auto w = Worker(t);
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kDelivered) << reports[0].result.detail;
  ASSERT_EQ(server.Messages().size(), 1u);
  EXPECT_TRUE(server.Messages()[0].tls);
}

TEST_F(SmtpDeliveryTest, ReceivedMessageParsesWithPythonsEmailPackage) {
  SmtpTestServer server(GmailLike());
  SmtpTransport t(Config(server));
  auto w = Worker(t);
  Enqueue();
  Deliver(*w);
  ASSERT_EQ(server.Messages().size(), 1u);
  std::string path = server.spool_dir() + "/1.eml";
  std::string cmd = "python3 " AD_SOURCE_DIR "/tests/render/check_eml.py " + path;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  EXPECT_NE(out.find("\"defects\": []"), std::string::npos) << out;
  EXPECT_NE(out.find("multipart/alternative"), std::string::npos) << out;
  EXPECT_NE(out.find("Zoë"), std::string::npos) << "the UTF-8 subject decodes: " << out;
}

TEST_F(SmtpDeliveryTest, NoAuthBeforeStartTls) {
  SmtpTestServer server(GmailLike());
  SmtpTransport t(Config(server, "none"));  // a misconfiguration against a Gmail-like server
  auto w = Worker(t);
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].result.account_problem);
  EXPECT_NE(reports[0].result.hint.find("starttls"), std::string::npos) << reports[0].result.hint;
  EXPECT_TRUE(w->pause().has_value());
  EXPECT_EQ(Stats().pending, 1) << "nothing is lost";
  EXPECT_TRUE(server.Messages().empty());
}

TEST_F(SmtpDeliveryTest, MailBeforeStartTlsGets530AndTheHintSaysWhy) {
  SmtpTestServer server(GmailLike());
  SmtpConfig c = Config(server, "none");
  c.username.clear();  // no login: straight to MAIL FROM, in clear
  SmtpTransport t(c);
  auto w = Worker(t);
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.detail, "MAIL FROM: 530 5.7.0 Must issue a STARTTLS command first");
  EXPECT_TRUE(reports[0].result.account_problem);
  EXPECT_NE(reports[0].result.hint.find("set smtp.security = \"starttls\""), std::string::npos)
      << reports[0].result.hint;
  EXPECT_EQ(Stats().pending, 1);
}

TEST_F(SmtpDeliveryTest, WrongPasswordPausesAndResumesOnceFixed) {
  SmtpTestServer server(GmailLike());
  std::ofstream(dir_ + "/app-password") << "wrong password";
  SmtpTransport t(Config(server));
  auto w = Worker(t);
  Enqueue();
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u) << "the first failure pauses: the second is not tried";
  EXPECT_EQ(reports[0].result.detail, "AUTH: 535 5.7.8 Username and Password not accepted.");
  EXPECT_NE(reports[0].result.hint.find("app password"), std::string::npos);
  ASSERT_TRUE(w->pause().has_value());
  EXPECT_EQ(w->pause()->until, kNoTime) << "until reload: it does not clear by itself";
  clock_.Advance(std::chrono::hours(2));
  EXPECT_TRUE(Deliver(*w).empty()) << "paused: no attempts, no 454 for too many logins";
  EXPECT_EQ(server.CountEvents("auth_failed"), 1);
  EXPECT_EQ(Stats().pending, 2);

  std::ofstream(dir_ + "/app-password") << kSecretAsPasted;  // fixed, then the config reloaded
  w->Resume();
  reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(server.Messages().size(), 2u);
  EXPECT_EQ(Stats().pending, 0);
}

TEST_F(SmtpDeliveryTest, AppPasswordRequiredIsExplained) {
  SmtpTestServerOptions o = GmailLike();
  o.app_password_required = kUser;
  SmtpTestServer server(o);
  SmtpTransport t(Config(server));
  auto w = Worker(t);
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].result.account_problem);
  EXPECT_NE(reports[0].result.detail.find("534 5.7.9"), std::string::npos);
  EXPECT_NE(reports[0].result.hint.find("requires an app password"), std::string::npos);
}

TEST_F(SmtpDeliveryTest, CertificateFromAnUnknownCaIsRefused) {
  SmtpTestServer server(GmailLike());
  SmtpConfig c = Config(server);
  c.ca_file.clear();  // only the system store, which does not know our throwaway CA
  SmtpTransport t(c);
  auto w = Worker(t);
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].result.account_problem) << reports[0].result.detail;
  EXPECT_NE(reports[0].result.detail.find("TLS handshake"), std::string::npos);
  EXPECT_NE(reports[0].result.hint.find("not trusted"), std::string::npos);
  EXPECT_TRUE(server.Messages().empty());
}

TEST_F(SmtpDeliveryTest, CertificateForAnotherHostIsRefused) {
  SmtpTestServerOptions o = GmailLike("tls");
  o.cert = TestPki::Get().wronghost_cert();
  o.key = TestPki::Get().wronghost_key();
  SmtpTestServer server(o);
  SmtpTransport t(Config(server, "tls"));
  auto w = Worker(t);
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].result.account_problem) << reports[0].result.detail;
  EXPECT_TRUE(server.Messages().empty());
}

TEST_F(SmtpDeliveryTest, InsecureSkipVerifySendsButWarns) {
  SmtpTestServerOptions o = GmailLike();
  o.cert = TestPki::Get().wronghost_cert();
  o.key = TestPki::Get().wronghost_key();
  SmtpTestServer server(o);
  SmtpConfig c = Config(server);
  c.insecure_skip_verify = true;
  SmtpTransport t(c);
  auto w = Worker(t);
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kDelivered) << reports[0].result.detail;
  EXPECT_NE(AllLogs().find("insecure_skip_verify is on"), std::string::npos);
}

TEST_F(SmtpDeliveryTest, TemporaryRefusalsAreRetriedAfterBackoffAndDeliveredOnce) {
  SmtpTestServerOptions o = GmailLike();
  o.fail_first = 2;  // 421 4.7.0 Try again later, closing connection.
  SmtpTestServer server(o);
  SmtpTransport t(Config(server));
  auto w = Worker(t);
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kTransient);
  EXPECT_NE(reports[0].result.detail.find("421 4.7.0"), std::string::npos);
  EXPECT_TRUE(Deliver(*w).empty()) << "not due before the backoff";
  clock_.Advance(seconds(10));
  reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kDelivered) << reports[0].result.detail;
  EXPECT_EQ(server.Messages().size(), 1u);
}

TEST_F(SmtpDeliveryTest, OneRefusedRecipientIsDeadLetteredAndTheOthersGetIt) {
  SmtpTestServerOptions o = GmailLike();
  o.reject_rcpt = {"gone@example.com"};
  SmtpTestServer server(o);
  SmtpTransport t(Config(server));
  auto w = Worker(t);
  int64_t id = Enqueue({"a@example.com", "gone@example.com", "bcc-only@example.com"});
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kDelivered);
  auto mails = server.Messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_tos, (std::vector<std::string>{"a@example.com", "bcc-only@example.com"}));
  auto dead = store_->ListDeadRecipients(10).value();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].outbox_id, id);
  EXPECT_EQ(dead[0].recipient, "gone@example.com");
  EXPECT_NE(dead[0].error.find("550 5.1.1"), std::string::npos) << dead[0].error;
  EXPECT_EQ(Stats().sent, 1);
  // `outbox retry` queues the refused recipient alone.
  ASSERT_TRUE(store_->Requeue(id, clock_.Now()).ok());
  auto due = store_->DueOutbox(clock_.Now(), 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].recipients, std::vector<std::string>{"gone@example.com"});
}

TEST_F(SmtpDeliveryTest, ConnectionDroppedInDataIsRetriedWithTheSameMessageId) {
  SmtpTestServerOptions o = GmailLike();
  o.drop_in_data = 1;
  SmtpTestServer server(o);
  SmtpTransport t(Config(server));
  auto w = Worker(t);
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kTransient) << reports[0].result.detail;
  clock_.Advance(seconds(10));
  reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kDelivered);
  auto mails = server.Messages();
  ASSERT_GE(mails.size(), 1u);
  ASSERT_LE(mails.size(), 2u) << "at most one duplicate";
  for (const auto& m : mails) EXPECT_EQ(m.data, sent_data_[reports[0].message_id]);
}

TEST_F(SmtpDeliveryTest, ServerDownAtStartIsRetriedUntilItComesUp) {
  SmtpTestServerOptions o = GmailLike();
  o.port = SmtpTestServer::FreePort();
  std::unique_ptr<SmtpTestServer> server;
  SmtpConfig c;
  {
    SmtpTestServer probe(o);  // only to build the config with its port
    c = Config(probe);
  }
  SmtpTransport t(c);
  auto w = Worker(t);
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kTransient);
  EXPECT_NE(reports[0].result.detail.find("connect"), std::string::npos) << reports[0].result.detail;
  server = std::make_unique<SmtpTestServer>(o);
  clock_.Advance(seconds(10));
  reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kDelivered) << reports[0].result.detail;
  EXPECT_EQ(server->Messages().size(), 1u);
}

TEST_F(SmtpDeliveryTest, OneSessionServesABatchOfFiveHundred) {
  SmtpTestServer reused(GmailLike());
  SmtpTransport t(Config(reused));
  auto w = Worker(t);
  for (int i = 0; i < 500; ++i) Enqueue();
  EXPECT_EQ(Deliver(*w, 1000).size(), 500u);
  EXPECT_EQ(reused.Messages().size(), 500u);
  EXPECT_EQ(reused.CountEvents("auth"), 1) << "one login for the whole batch";
  EXPECT_EQ(t.sessions_opened(), 1);

  // The same 500 with a session per message (a batch of one each time): 500 logins.
  SmtpTestServer per_message(GmailLike());
  SmtpTransport t2(Config(per_message));
  auto w2 = Worker(t2);
  for (int i = 0; i < 500; ++i) Enqueue();
  int delivered = 0;
  for (int i = 0; i < 500; ++i) delivered += static_cast<int>(Deliver(*w2, 1).size());
  EXPECT_EQ(delivered, 500);
  EXPECT_EQ(per_message.Messages().size(), 500u);
  EXPECT_EQ(per_message.CountEvents("auth"), 500);
}

TEST_F(SmtpDeliveryTest, RecipientsAreSplitIntoTransactions) {
  SmtpTestServerOptions o = GmailLike();
  o.max_recipients = 2;
  SmtpTestServer server(o);
  SmtpConfig c = Config(server);
  c.max_recipients_per_message = 2;
  SmtpTransport t(c);
  auto w = Worker(t);
  Enqueue({"r1@example.com", "r2@example.com", "r3@example.com", "r4@example.com",
           "r5@example.com"});
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kDelivered) << reports[0].result.detail;
  auto mails = server.Messages();
  ASSERT_EQ(mails.size(), 3u);
  EXPECT_EQ(mails[0].rcpt_tos.size() + mails[1].rcpt_tos.size() + mails[2].rcpt_tos.size(), 5u);
}

TEST_F(SmtpDeliveryTest, DailyBudgetHoldsMailBackInsteadOfHittingTheLimit) {
  SmtpTestServer server(GmailLike());
  SmtpTransport t(Config(server));
  auto w = Worker(t, /*daily_budget=*/3);
  for (int i = 0; i < 5; ++i) Enqueue();
  EXPECT_EQ(Deliver(*w).size(), 3u);
  EXPECT_TRUE(Deliver(*w).empty());
  ASSERT_TRUE(w->pause().has_value());
  EXPECT_NE(w->pause()->reason.find("daily budget reached"), std::string::npos);
  EXPECT_EQ(Stats().pending, 2);
  clock_.Advance(std::chrono::hours(24) + seconds(1));  // the window frees up
  EXPECT_EQ(Deliver(*w).size(), 2u);
}

TEST_F(SmtpDeliveryTest, GmailsDailyLimitPausesForAWhileAndKeepsEverything) {
  SmtpTestServerOptions o = GmailLike();
  o.daily_limit = 1;
  SmtpTestServer server(o);
  SmtpTransport t(Config(server));
  auto w = Worker(t);
  Enqueue();
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[1].result.detail, "MAIL FROM: 550 5.4.5 Daily user sending limit exceeded.");
  ASSERT_TRUE(w->pause().has_value());
  EXPECT_EQ(w->pause()->until, kT0 + std::chrono::hours(1));
  EXPECT_EQ(Stats().pending, 1);
  EXPECT_EQ(Stats().dead, 0);
}

TEST_F(SmtpDeliveryTest, XOAuth2GoodAndBadTokens) {
  std::ofstream(dir_ + "/token") << kSecret;
  SmtpTestServer server(GmailLike());
  SmtpConfig c = Config(server);
  c.auth = "xoauth2";
  c.token_file = dir_ + "/token";
  SmtpTransport t(c);
  auto w = Worker(t);
  Enqueue();
  auto reports = Deliver(*w);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kDelivered) << reports[0].result.detail;

  std::ofstream(dir_ + "/token") << "expired-token";
  SmtpTransport t2(c);
  auto w2 = Worker(t2);
  Enqueue();
  reports = Deliver(*w2);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].result.account_problem);
  EXPECT_NE(reports[0].result.detail.find("535"), std::string::npos) << reports[0].result.detail;
}

TEST_F(SmtpDeliveryTest, ServerClosingInsideAMultiLineReplyDoesNotHang) {
  SmtpTestServerOptions o = GmailLike();
  o.close_in_ehlo = true;
  SmtpTestServer server(o);
  SmtpConfig c = Config(server);
  c.timeout = seconds(1);
  SmtpTransport t(c);
  auto w = Worker(t);
  Enqueue();
  auto start = std::chrono::steady_clock::now();
  auto reports = Deliver(*w);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result.kind, DeliveryResult::Kind::kTransient) << reports[0].result.detail;
  EXPECT_LT(took, seconds(15)) << "Poco 1.11 would spin here forever";
  EXPECT_EQ(Stats().pending, 1);
}

TEST_F(SmtpDeliveryTest, SecretsAppearInNoLogAndNoError) {
  SmtpTestServer server(GmailLike());
  std::vector<std::string> texts;
  // Every failure path that touches the secret: wrong password (PLAIN and LOGIN), bad token.
  for (std::string auth : {"plain", "login", "xoauth2"}) {
    std::ofstream(dir_ + "/app-password") << "hunter2-secret-value";
    std::ofstream(dir_ + "/token") << "hunter2-secret-value";
    SmtpConfig c = Config(server);
    c.auth = auth;
    c.token_file = dir_ + "/token";
    SmtpTransport t(c);
    auto w = Worker(t);
    Enqueue();
    for (const auto& r : Deliver(*w)) texts.push_back(r.result.detail + " " + r.result.hint);
    texts.push_back(w->pause() ? w->pause()->reason : "");
  }
  std::string everything = AllLogs();
  for (const auto& t : texts) everything += t + "\n";
  for (std::string_view s : {"hunter2-secret-value", "aHVudGVyMi1zZWNyZXQtdmFsdWU",
                             "AGFsZXJ0c0BleGFtcGxlLmNvbQBodW50ZXIyLXNlY3JldC12YWx1ZQ"}) {
    EXPECT_EQ(everything.find(s), std::string::npos) << s;
  }
  EXPECT_EQ(testing::smtp_detail::ReadAll(server.log_path()).find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace alertdigest
