// `alertdigest serve` against faults in what it depends on: an SMTP server that is slow, drops
// connections or refuses for a while; a disk that fills up under the state file; a state file
// that another process holds or that is damaged. Each test runs the real binary on its own
// directory and port; time is compressed with short timeouts and backoff in the config.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>

#include "integration/serve_process.h"

namespace alertdigest::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

// The log lines that contain `text`.
std::vector<std::string> LogLines(const std::string& log, const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);)
    if (line.find(text) != std::string::npos) out.push_back(line);
  return out;
}

// Milliseconds since the epoch of a log line's "ts=2026-11-26T04:23:51.465Z".
int64_t LineMillis(const std::string& line) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(line.c_str(), "ts=%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
    return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
}

// id → how many mails the SMTP server got for its group (subject "… (id=a000042)").
std::map<std::string, int> MailCounts(const SmtpTestServer& smtp) {
  std::map<std::string, int> out;
  static const std::regex id(R"(\(id=(a\d{6})\)$)");
  for (const ReceivedMail& m : smtp.Messages()) {
    std::smatch match;
    std::string subject = MailHeader(m.data, "Subject");
    if (std::regex_search(subject, match, id)) ++out[match[1].str()];
  }
  return out;
}

// The same from the file transport's outbox/.
std::map<std::string, int> FileMailCounts(const std::string& dir) {
  std::map<std::string, int> out;
  static const std::regex id(R"(\(id=(a\d{6})\)$)");
  if (!fs::exists(dir + "/outbox")) return out;
  for (const auto& e : fs::directory_iterator(dir + "/outbox")) {
    if (e.path().extension() != ".eml") continue;
    std::smatch match;
    std::string subject = MailHeader(ReadFile(e.path()), "Subject");
    if (std::regex_search(subject, match, id)) ++out[match[1].str()];
  }
  return out;
}

std::map<std::string, int> OnceEach(const std::vector<int>& ids) {
  std::map<std::string, int> out;
  for (int i : ids) out[AlertId(i)] = 1;
  return out;
}

std::string ExitText(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by ") + strsignal(WTERMSIG(status));
  return "?";
}

class ServeFaultsTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure()) std::cerr << "logs in " << dir_.path() << " (AD_E2E_KEEP=1 keeps them)\n";
  }
  // Starts `serve` on a config with these settings and waits until it is ready.
  void StartServe(ServeConfig c) {
    c.port = port_;
    WriteServeConfig(dir_.path(), c);
    serve_.Start();
    ASSERT_TRUE(serve_.WaitReady()) << serve_.Log();
  }
  // Starts `serve` on whatever config.toml says, for tests where it must refuse: its status
  // once it exited (-1 if it still runs after `timeout`).
  int StartExpectingRefusal(ServeProcess& p, const std::string& config = "config.toml",
                            seconds timeout = seconds(10)) {
    p.Start(config);
    if (!WaitFor(timeout, [&] { return !p.Running(); })) return -1;
    return p.Wait();
  }

  e2e::TempDir dir_;
  int port_ = e2e::FreePort();
  ServeProcess serve_{dir_.path(), port_};
};

// --- SMTP faults ----------------------------------------------------------------------------

// The server answers (its greeting) only after 20 s; smtp.timeout is 1 s. Each attempt fails
// after a second, is logged and retried; the mail stays queued; the HTTP intake, on other
// threads, keeps answering 200 at its usual speed meanwhile. Once the server answers in time
// again (restarted on the same port) the queued mail goes out, once.
TEST_F(ServeFaultsTest, SmtpRepliesSlowerThanTheTimeoutFailTheAttemptAndTheMailWaits) {
  SmtpTestServerOptions o = GmailLike();
  o.delay_greeting = 20;
  SmtpTestServer smtp(o);
  ServeConfig c;
  c.smtp_port = smtp.port();
  c.retry = R"({ initial = "300ms", max = "1s", give_up = "1h" })";
  c.smtp_timeouts = "timeout = \"1s\"\nconnect_timeout = \"1s\"\ndata_timeout = \"2s\"\n";
  StartServe(c);

  std::vector<int> ids;
  int64_t slowest_ms = 0;
  for (int i = 0; i < 20; ++i) {  // for about 2 s: several attempts hang meanwhile
    auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(PostAlerts(port_, {i}), 200);
    slowest_ms = std::max<int64_t>(
        slowest_ms,
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - t0).count());
    ids.push_back(i);
    std::this_thread::sleep_for(milliseconds(100));
  }
  ASSERT_TRUE(WaitFor(seconds(5), [&] {
    return serve_.CountLog("delivery failed; will retry") >= 2;
  })) << serve_.Log();
  auto failed = LogLines(serve_.Log(), "delivery failed; will retry");
  EXPECT_NE(failed[0].find("err=\"greeting: "), std::string::npos) << failed[0];
  EXPECT_NE(failed[0].find("imeout"), std::string::npos) << failed[0];
  EXPECT_LT(slowest_ms, 1000) << "intake waited for delivery";
  EXPECT_TRUE(smtp.Messages().empty());
  EXPECT_EQ(OutboxMessages(port_, "pending"), 20);

  smtp.Stop();
  smtp.options().delay_greeting = 0;
  smtp.Start();
  EXPECT_TRUE(WaitFor(seconds(10), [&] { return MailCounts(smtp).size() == ids.size(); }));
  EXPECT_EQ(MailCounts(smtp), OnceEach(ids));
  EXPECT_EQ(OutboxMessages(port_, "pending"), 0);
  EXPECT_EQ(OutboxMessages(port_, "dead"), 0);
  std::cout << "slow server: " << failed.size() << " attempts timed out after 1 s; slowest of 20 "
            << "POSTs meanwhile " << slowest_ms << " ms; all 20 mails delivered once after "
            << "recovery\n";
  RecordProperty("timed_out_attempts", static_cast<int>(failed.size()));
  RecordProperty("slowest_post_ms", static_cast<int>(slowest_ms));
}

// The reply to the end of the message comes after 20 s, beyond data_timeout: the server has
// the mail, the client can't know. The attempt counts as failed and the mail is sent again —
// with the same Message-ID, so the recipient's mail client shows one message. (This is why
// data_timeout defaults to 5 minutes.)
TEST_F(ServeFaultsTest, ALateReplyToTheMessageItselfMeansTheSameMessageAgain) {
  SmtpTestServerOptions o = GmailLike();
  o.delay_after_dot = 20;
  SmtpTestServer smtp(o);
  ServeConfig c;
  c.smtp_port = smtp.port();
  c.retry = R"({ initial = "300ms", max = "1s", give_up = "1h" })";
  c.smtp_timeouts = "timeout = \"2s\"\nconnect_timeout = \"2s\"\ndata_timeout = \"1s\"\n";
  StartServe(c);
  ASSERT_EQ(PostAlerts(port_, {7}), 200);
  ASSERT_TRUE(WaitFor(seconds(8), [&] {
    return serve_.CountLog("delivery failed; will retry") >= 1;
  })) << serve_.Log();
  smtp.Stop();
  smtp.options().delay_after_dot = 0;
  smtp.Start();
  ASSERT_TRUE(WaitFor(seconds(8), [&] { return OutboxMessages(port_, "pending") == 0; }))
      << serve_.Log();
  std::set<std::string> message_ids;
  for (const ReceivedMail& m : smtp.Messages())
    message_ids.insert(MailHeader(m.data, "Message-ID"));
  EXPECT_GE(smtp.Messages().size(), 2u) << "the timed-out copy and the confirmed one";
  EXPECT_EQ(message_ids.size(), 1u) << "every copy is the same message";
  std::cout << "late reply after DATA: " << smtp.Messages().size()
            << " copies of one message, all with the same Message-ID\n";
  RecordProperty("copies", static_cast<int>(smtp.Messages().size()));
}

// The server closes the first two connections before its greeting and cuts the first two
// transactions in the middle of DATA. Every mail still arrives, once (a cut DATA never got its
// "250", so the server never had the message).
TEST_F(ServeFaultsTest, ConnectionsDroppedAtConnectOrMidDataAreRetriedUntilDelivered) {
  SmtpTestServerOptions o = GmailLike();
  o.drop_connect = 2;
  o.drop_in_data = 2;
  SmtpTestServer smtp(o);
  ServeConfig c;
  c.smtp_port = smtp.port();
  c.retry = R"({ initial = "200ms", max = "500ms", give_up = "1h" })";
  StartServe(c);
  std::vector<int> ids = {1, 2, 3};
  for (int i : ids) ASSERT_EQ(PostAlerts(port_, {i}), 200);
  EXPECT_TRUE(WaitFor(seconds(15), [&] { return MailCounts(smtp).size() == ids.size(); }))
      << serve_.Log();
  EXPECT_TRUE(WaitFor(seconds(3), [&] { return OutboxMessages(port_, "pending") == 0; }));
  EXPECT_EQ(MailCounts(smtp), OnceEach(ids));
  EXPECT_EQ(OutboxMessages(port_, "dead"), 0);
  const std::string events = ReadFile(smtp.log_path());
  int at_connect = 0, in_data = 0;
  for (const std::string& l : LogLines(events, "\"dropped\"")) {
    at_connect += l.find("\"where\": \"connect\"") != std::string::npos;
    in_data += l.find("\"where\": \"data\"") != std::string::npos;
  }
  EXPECT_EQ(at_connect, 2);
  EXPECT_EQ(in_data, 2);
  std::cout << "dropped connections: " << at_connect << " at connect, " << in_data << " in DATA; "
            << ids.size() << " mails delivered once each, after "
            << serve_.CountLog("delivery failed; will retry") << " failed attempts\n";
}

// The server answers 451 to MAIL FROM for a while (6 times). Attempts back off exponentially
// (retry.initial 200 ms doubling to retry.max 1.6 s: "minutes" of a real outage compressed),
// nothing is dead-lettered before give_up, and the mail is delivered once the server takes it.
TEST_F(ServeFaultsTest, TemporaryRefusalsForAWhileBackOffAndDeliverWithoutDeadLetters) {
  SmtpTestServerOptions o = GmailLike();
  o.fail_first = 6;
  o.fail_reply = "451 4.3.0 Mail server temporarily rejected message.";
  SmtpTestServer smtp(o);
  ServeConfig c;
  c.smtp_port = smtp.port();
  c.retry = R"({ initial = "200ms", max = "1600ms", give_up = "1m" })";
  StartServe(c);
  ASSERT_EQ(PostAlerts(port_, {1}), 200);
  ASSERT_TRUE(WaitFor(seconds(20), [&] { return MailCounts(smtp).size() == 1; })) << serve_.Log();
  EXPECT_EQ(MailCounts(smtp), OnceEach({1}));
  EXPECT_EQ(OutboxMessages(port_, "dead"), 0);
  EXPECT_EQ(serve_.CountLog("dead letter"), 0);

  auto failed = LogLines(serve_.Log(), "delivery failed; will retry");
  ASSERT_EQ(failed.size(), 6u) << serve_.Log();
  EXPECT_NE(failed[0].find("451 4.3.0"), std::string::npos) << failed[0];
  // Gaps between attempts: 200, 400, 800, 1600, 1600 ms, each jittered by ±20 %.
  const int expected[] = {200, 400, 800, 1600, 1600};
  std::string gaps;
  for (size_t i = 1; i < failed.size(); ++i) {
    int64_t gap = LineMillis(failed[i]) - LineMillis(failed[i - 1]);
    gaps += (i > 1 ? ", " : "") + std::to_string(gap);
    EXPECT_GE(gap, expected[i - 1] * 8 / 10 - 20) << "attempt " << i + 1;
    // Plus the next attempt itself (connect, TLS, AUTH, MAIL) — but below the 3200 ms that
    // doubling without retry.max would give.
    EXPECT_LE(gap, expected[i - 1] * 12 / 10 + 1000) << "attempt " << i + 1;
  }
  std::cout << "451 six times: gaps between attempts " << gaps
            << " ms (retry 200ms doubling to 1.6s); delivered on attempt 7, no dead letter\n";
  RecordProperty("gaps_ms", gaps);
}

// And give_up is when it stops: with give_up 1.5 s and a server that keeps refusing, the
// message becomes a dead letter on the first attempt at least 1.5 s after it was queued — not
// before.
TEST_F(ServeFaultsTest, RefusalsOutlastingGiveUpDeadLetterOnlyAfterGiveUp) {
  SmtpTestServerOptions o = GmailLike();
  o.fail_first = 1000;
  o.fail_reply = "451 4.3.0 Mail server temporarily rejected message.";
  SmtpTestServer smtp(o);
  ServeConfig c;
  c.smtp_port = smtp.port();
  c.retry = R"({ initial = "200ms", max = "400ms", give_up = "1500ms" })";
  StartServe(c);
  ASSERT_EQ(PostAlerts(port_, {1}), 200);
  ASSERT_TRUE(WaitFor(seconds(10), [&] { return OutboxMessages(port_, "dead") == 1; }))
      << serve_.Log();
  const std::string log = serve_.Log();
  auto queued = LogLines(log, "notification queued");
  auto retried = LogLines(log, "delivery failed; will retry");
  auto dead = LogLines(log, "giving up (dead letter)");
  ASSERT_EQ(queued.size(), 1u);
  ASSERT_EQ(dead.size(), 1u) << log;
  ASSERT_FALSE(retried.empty());
  // (±50 ms: the log's timestamps are taken a moment after the decisions.)
  EXPECT_LT(LineMillis(retried.back()) - LineMillis(queued[0]), 1500 + 50);
  EXPECT_GE(LineMillis(dead[0]) - LineMillis(queued[0]), 1500 - 50);
  EXPECT_TRUE(smtp.Messages().empty());
  std::cout << "give_up 1.5 s: " << retried.size() << " retries, then a dead letter "
            << LineMillis(dead[0]) - LineMillis(queued[0]) << " ms after queueing\n";
}

// --- a full disk ------------------------------------------------------------------------------

// Lowers the daemon's file size limit (RLIMIT_FSIZE, what `prlimit --pid PID --fsize=N:` does)
// to `bytes`; RLIM_INFINITY lifts it. A write past it fails with EFBIG (and SIGXFSZ, which
// alertdigest ignores): for SQLite that is a full disk, without root or a tiny file system.
void SetFileSizeLimit(pid_t pid, rlim_t bytes) {
  rlimit now{};
  ASSERT_EQ(prlimit(pid, RLIMIT_FSIZE, nullptr, &now), 0);
  rlimit lim{bytes, now.rlim_max};
  ASSERT_EQ(prlimit(pid, RLIMIT_FSIZE, &lim, nullptr), 0) << strerror(errno);
}

// The WAL can't grow any more: every POST from then on is answered 503 (never 200) and the
// daemon stays up; once space returns, new alerts get 200 again. After a SIGKILL, every alert
// that got a 200 — before, during or after — is in the state file and got its mail.
// Also a regression test: the daemon used to die of SIGXFSZ at the first write past the limit,
// and then (once that was ignored) to retry its failing timers in a busy loop, logging
// thousands of lines a second onto the full disk.
TEST_F(ServeFaultsTest, DiskFullAnswers503NeverA200ForWhatItCouldNotCommitAndRecovers) {
  StartServe({});  // the file transport: mail as .eml files in outbox/
  std::set<std::string> accepted;
  int next = 0;
  for (; next < 10; ++next) {
    ASSERT_EQ(PostAlerts(port_, {next}), 200);
    accepted.insert(AlertId(next));
  }
  ASSERT_TRUE(WaitFor(seconds(5), [&] { return FileMailCounts(dir_.path()).size() == 10; }));
  const auto wal = fs::file_size(dir_ / "state.db-wal");
  SetFileSizeLimit(serve_.pid(), wal);

  int ok_while_full = 0, refused = 0;
  std::string refusal;
  for (int tries = 0; tries < 200 && refused < 10; ++tries, ++next) {
    HttpResponse r = Http(port_, "POST", "/api/v2/alerts", AlertsBody({next}));
    if (r.status == 200) {
      accepted.insert(AlertId(next));
      ++ok_while_full;
    } else {
      ASSERT_EQ(r.status, 503) << r.body;
      refusal = r.body;
      ++refused;
    }
  }
  ASSERT_TRUE(serve_.Running()) << ExitText(serve_.Wait()) << "\n" << serve_.Log();
  EXPECT_EQ(refused, 10) << "the disk never looked full";
  EXPECT_NE(refusal.find("could not store the alerts"), std::string::npos) << refusal;
  std::this_thread::sleep_for(seconds(2));  // due timers and the outbox meet the full disk
  const int flush_errors = serve_.CountLog("flush failed");
  EXPECT_LE(flush_errors, 6) << "a failing timer must not spin";
  ASSERT_TRUE(serve_.Running()) << ExitText(serve_.Wait()) << "\n" << serve_.Log();

  SetFileSizeLimit(serve_.pid(), RLIM_INFINITY);
  int after = 0;
  for (int i = 0; i < 5; ++i, ++next) {
    int status = 0;
    WaitFor(seconds(3), [&] { return (status = PostAlerts(port_, {next})) == 200; });
    ASSERT_EQ(status, 200) << "space is back";
    accepted.insert(AlertId(next));
    ++after;
  }

  serve_.Kill(SIGKILL);
  serve_.Start();
  ASSERT_TRUE(serve_.WaitReady()) << serve_.Log();
  std::set<std::string> listed = ListedAlertIds(port_);
  for (const std::string& id : accepted) EXPECT_TRUE(listed.count(id)) << id << " got 200, is lost";
  EXPECT_TRUE(WaitFor(seconds(10), [&] {
    auto mails = FileMailCounts(dir_.path());
    return std::all_of(accepted.begin(), accepted.end(), [&](auto& id) { return mails.count(id); });
  })) << "every accepted alert gets its mail";
  std::cout << "disk full (file size limit " << wal << " bytes): " << ok_while_full
            << " POSTs still fit, then " << refused << " answered 503; " << flush_errors
            << " 'flush failed' lines in 2 s; after the limit was lifted " << after
            << " POSTs answered 200; all " << accepted.size()
            << " accepted alerts in the state after SIGKILL and mailed\n";
  RecordProperty("refused_503", refused);
  RecordProperty("flush_error_lines", flush_errors);
}

// Regression: when the sent mark of a delivered mail could not be committed (disk full), the
// outbox thread delivered the same mail again every 50 ms — dozens of copies a second — for
// as long as the disk stayed full. Now the mark is kept and committed first; nothing is sent
// while that fails; each mail arrives once.
TEST_F(ServeFaultsTest, DiskFullDoesNotSendTheSameMailAgainWhileItsSentMarkCannotBeStored) {
  SmtpTestServer smtp(GmailLike());
  smtp.Stop();  // down at first: the mails wait in the outbox
  ServeConfig c;
  c.smtp_port = smtp.port();
  c.retry = R"({ initial = "300ms", max = "300ms", give_up = "1h" })";
  StartServe(c);
  std::vector<int> ids = {1, 2, 3};
  for (int i : ids) ASSERT_EQ(PostAlerts(port_, {i}), 200);
  ASSERT_TRUE(
      WaitFor(seconds(5), [&] { return serve_.CountLog("delivery failed; will retry") >= 3; }));
  SetFileSizeLimit(serve_.pid(), fs::file_size(dir_ / "state.db-wal"));
  smtp.Start();
  std::this_thread::sleep_for(seconds(3));
  const size_t while_full = smtp.Messages().size();
  EXPECT_LE(while_full, ids.size()) << "the same mail sent again and again";
  SetFileSizeLimit(serve_.pid(), RLIM_INFINITY);
  ASSERT_TRUE(WaitFor(seconds(10), [&] {
    return MailCounts(smtp).size() == ids.size() && OutboxMessages(port_, "pending") == 0;
  })) << serve_.Log();
  EXPECT_EQ(MailCounts(smtp), OnceEach(ids));
  std::cout << "disk full while delivering: " << while_full << " mails sent in 3 s (each once), "
            << smtp.Messages().size() << " in all for " << ids.size() << " alerts\n";
  RecordProperty("mails_while_full", static_cast<int>(while_full));
}

// --- the state file ---------------------------------------------------------------------------

// A second daemon on the same state — another port (a copied config) or the same config — and
// `alertdigest run` on it refuse to start, saying why, before touching the state; the first
// one goes on. Regression: a second `serve` with another port used to run happily beside the
// first (both flushing the same groups and sending the same outbox); one with the same port
// ran its timers and outbox until the HTTP port turned out to be taken.
TEST_F(ServeFaultsTest, ASecondServeOrRunOnTheSameStateRefusesToStart) {
  StartServe({});
  ASSERT_EQ(PostAlerts(port_, {1}), 200);
  const int other_port = e2e::FreePort();
  WriteServeConfig(dir_.path(), {.port = other_port}, "config2.toml");
  const std::string why = "state file " + dir_.path() +
                          "/state.db is in use by another alertdigest process (serve or run)";

  ServeProcess second(dir_.path(), other_port, "second");
  int status = StartExpectingRefusal(second, "config2.toml");
  EXPECT_EQ(ExitText(status), "exit 4") << second.Log();
  EXPECT_NE(second.Log().find("alertdigest serve: " + why), std::string::npos) << second.Log();
  EXPECT_EQ(second.Log().find("engine started"), std::string::npos) << second.Log();

  ServeProcess same(dir_.path(), port_, "same");
  status = StartExpectingRefusal(same);
  EXPECT_EQ(ExitText(status), "exit 4") << same.Log();
  EXPECT_NE(same.Log().find(why), std::string::npos) << same.Log();

  WriteFile(dir_ / "in.jsonl", R"({"labels":{"alertname":"Load","id":"a000002"}})"
                               "\n");
  std::string out;
  int run = e2e::RunCapture(
      e2e::AlertdigestBinary() + " run -c " + (dir_ / "config.toml") + " < " + (dir_ / "in.jsonl"),
      &out);
  EXPECT_EQ(run, 4) << out;
  EXPECT_NE(out.find(why), std::string::npos) << out;

  EXPECT_EQ(PostAlerts(port_, {3}), 200) << "the first one goes on";
  EXPECT_EQ(ListedAlertIds(port_), (std::set<std::string>{AlertId(1), AlertId(3)}));
  // The lock dies with its owner, however it ends: no stale lock after a SIGKILL.
  serve_.Kill(SIGKILL);
  second.Start("config2.toml");
  ASSERT_TRUE(WaitFor(seconds(10), [&] {
    return !second.Running() || Http(other_port, "GET", "/readyz").status == 200;
  }));
  EXPECT_TRUE(second.Running()) << second.Log();
}

// sqlite3 (an operator's shell) holds a write transaction open on the state: serve waits for
// SQLite's busy timeout (5 s), then refuses with a message that says so and names the file.
// Once the shell is gone it starts normally with the state intact.
TEST_F(ServeFaultsTest, AStateFileLockedBySqlite3RefusesToStartWithAClearMessage) {
  StartServe({});
  ASSERT_EQ(PostAlerts(port_, {1}), 200);
  ASSERT_EQ(serve_.Stop(), 0);
  e2e::Process shell(
      "sqlite3",
      {"/bin/sh", "-c",
       "(echo 'BEGIN EXCLUSIVE; DELETE FROM alerts;'; echo '.print locked'; sleep 60) | "
       "sqlite3 state.db"},
      dir_.path(), dir_.path());
  ASSERT_TRUE(WaitFor(seconds(5), [&] {
    return ReadFile(dir_ / "sqlite3.out").find("locked") != std::string::npos;
  })) << ReadFile(dir_ / "sqlite3.err");

  auto t0 = std::chrono::steady_clock::now();
  int status = StartExpectingRefusal(serve_, "config.toml", seconds(15));
  auto waited = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - t0);
  EXPECT_EQ(ExitText(status), "exit 4") << serve_.Log();
  EXPECT_NE(serve_.Log().find("alertdigest serve: open " + dir_.path() +
                              "/state.db: the state file is locked by another process"),
            std::string::npos)
      << serve_.Log();

  shell.Stop();  // its transaction (the DELETE) is rolled back
  serve_.Start();
  ASSERT_TRUE(serve_.WaitReady()) << serve_.Log();
  EXPECT_EQ(ListedAlertIds(port_), std::set<std::string>{AlertId(1)});
  std::cout << "state locked by sqlite3: refused after " << waited.count() << " ms\n";
}

// Garbage, a truncated file, a page of garbage in the middle, somebody else's SQLite database:
// serve refuses to start (exit 4) with a message that names the file and says what is wrong,
// and leaves the file byte for byte as it was. Regression: a damaged page past the header
// used to go unnoticed (the daemon ran on it) or be refused only after opening had rewritten
// page 1.
TEST_F(ServeFaultsTest, ADamagedStateFileIsRefusedByNameAndLeftByteForByteAsItWas) {
  StartServe({});
  for (int i = 0; i < 40; ++i) ASSERT_EQ(PostAlerts(port_, {i}), 200);
  ASSERT_EQ(serve_.Stop(), 0);
  const std::string good = ReadFile(dir_ / "state.db");
  ASSERT_GT(good.size(), 16 * 4096u);
  std::mt19937 rng(7);
  auto random_bytes = [&](size_t n) {
    std::string s(n, '\0');
    for (char& ch : s) ch = static_cast<char>(rng());
    return s;
  };
  std::string damaged_page = good;
  const size_t page = good.size() / 4096 / 2;
  damaged_page.replace(page * 4096, 4096, random_bytes(4096));
  const std::string foreign = dir_ / "foreign.db";
  std::string out;
  ASSERT_EQ(e2e::RunCapture("sqlite3 " + foreign + " 'CREATE TABLE t(x); INSERT INTO t VALUES(1);'",
                            &out),
            0)
      << out;
  struct Case {
    const char* name;
    std::string bytes;
    const char* says;
  };
  const Case cases[] = {
      {"garbage", random_bytes(64 * 1024),
       "the state file is damaged (sqlite: file is not a database)"},
      {"truncated", good.substr(0, good.size() / 2),
       "the state file is damaged (sqlite: database disk image is malformed)"},
      {"a damaged page", damaged_page, "the state file is damaged (quick_check: "},
      {"not ours", ReadFile(foreign), "not an alertdigest state database (refusing to touch it)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    for (const char* suffix : {"", "-wal", "-shm"})
      fs::remove(dir_ / ("state.db" + std::string(suffix)));
    WriteFile(dir_ / "state.db", c.bytes);
    ServeProcess p(dir_.path(), port_, std::string("refused-") + c.name);
    int status = StartExpectingRefusal(p);
    EXPECT_EQ(ExitText(status), "exit 4") << p.Log();
    EXPECT_NE(p.Log().find("alertdigest serve: open " + dir_.path() + "/state.db: " + c.says),
              std::string::npos)
        << p.Log();
    EXPECT_TRUE(ReadFile(dir_ / "state.db") == c.bytes) << "the file was changed";
    for (const std::string& line : LogLines(p.Log(), "alertdigest serve: "))
      std::cout << c.name << ": " << line << "\n";
  }
}

}  // namespace
}  // namespace alertdigest::testing
