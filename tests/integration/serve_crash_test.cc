// Crash safety of `alertdigest serve` under load: a client posts a steady stream of distinct
// alerts over HTTP while the daemon is killed with SIGKILL at random moments (intake commits,
// group flushes and SMTP sessions are all in flight) and started again on the same state file,
// with a Gmail-like SMTP server (STARTTLS + AUTH) receiving the mail.
//
// What must hold afterwards, from the routing (group_by ["..."]: one group per alert, group_wait
// 0, repeat_interval 1h, so every alert is due exactly one mail within the test):
//   * every alert answered 200 is in the state file (listed after a last SIGKILL and restart);
//   * every alert answered 200 reached at least one delivered mail, and the outbox drains;
//   * a group mailed more than once got the same message again (same Message-ID): the one
//     re-delivery a kill between "250 OK" and the sent mark commit may cause. Those are counted.
// Alerts whose request got no answer (killed mid-request) may or may not be accepted; they may
// have mail, under the same rules.
// AD_FAULT_SEED=N replays a run's kill moments (the seed is printed).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>

#include "integration/serve_process.h"

namespace alertdigest::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kKills = 24;
constexpr int kBatch = 2;    // alerts per POST
constexpr int kClients = 3;  // concurrent posters (their requests share commits)
constexpr auto kPause = std::chrono::milliseconds(40);  // per client, between POSTs

// id ("a000042") → the Message-IDs of the mails for its group, one entry per mail. The subject
// names the group: "[alertdigest] Load (id=a000042)".
std::map<std::string, std::vector<std::string>> MailsById(const SmtpTestServer& smtp) {
  std::map<std::string, std::vector<std::string>> out;
  static const std::regex id(R"(\(id=(a\d{6})\)$)");
  for (const ReceivedMail& m : smtp.Messages()) {
    std::smatch match;
    std::string subject = MailHeader(m.data, "Subject");
    if (std::regex_search(subject, match, id))
      out[match[1].str()].push_back(MailHeader(m.data, "Message-ID"));
    else
      out["unexpected subject: " + subject].push_back("");
  }
  return out;
}

unsigned Seed() {
  const char* s = getenv("AD_FAULT_SEED");
  return s && *s ? static_cast<unsigned>(std::stoul(s)) : std::random_device{}();
}

TEST(ServeCrashTest, SigkillUnderLoadLosesNoAcceptedAlertAndNoDueMail) {
  SmtpTestServer smtp(GmailLike());
  e2e::TempDir dir;
  const int port = e2e::FreePort();
  WriteServeConfig(dir.path(), {.port = port, .smtp_port = smtp.port()});
  ServeProcess serve(dir.path(), port);
  serve.Start();
  ASSERT_TRUE(serve.WaitReady()) << serve.Log();

  std::mutex mu;                     // guards the tallies below
  std::set<std::string> accepted;    // answered 200
  std::set<std::string> unanswered;  // no answer: killed mid-request (fate unknown) or down
  int posts = 0, refused = 0, next_id = 0;
  std::atomic<bool> stop{false};
  auto client = [&] {
    while (!stop) {
      std::vector<int> ids;
      {
        std::lock_guard lock(mu);
        for (int i = 0; i < kBatch; ++i) ids.push_back(next_id++);
      }
      int status = PostAlerts(port, ids);
      std::lock_guard lock(mu);
      ++posts;
      for (int i : ids) {
        if (status == 200)
          accepted.insert(AlertId(i));
        else if (status == 0)
          unanswered.insert(AlertId(i));
      }
      refused += status != 200 && status != 0;
      std::this_thread::sleep_for(kPause);
    }
  };
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) clients.emplace_back(client);
  struct Join {
    std::atomic<bool>& stop;
    std::vector<std::thread>& threads;
    ~Join() {
      stop = true;
      for (auto& t : threads)
        if (t.joinable()) t.join();
    }
  } join{stop, clients};

  const unsigned seed = Seed();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pause_ms(50, 600);
  auto started = std::chrono::steady_clock::now();
  int kills = 0;
  while (kills < kKills) {
    std::this_thread::sleep_for(milliseconds(pause_ms(rng)));
    int status = serve.Kill(SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the daemon died on its own before kill " << kills + 1 << "\n"
        << serve.Log();
    ++kills;
    serve.Start();
    ASSERT_TRUE(serve.WaitReady()) << "restart " << kills << " failed (seed " << seed << ")\n"
                                   << serve.Log();
  }
  std::this_thread::sleep_for(milliseconds(300));  // some load on the last instance too
  stop = true;
  for (auto& t : clients) t.join();
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // Everything accepted is due one mail: wait until each has one and the outbox is empty.
  auto missing = [&] {
    auto mails = MailsById(smtp);
    std::vector<std::string> out;
    for (const std::string& id : accepted)
      if (!mails.count(id)) out.push_back(id);
    return out;
  };
  bool drained = WaitFor(seconds(60),
                         [&] { return missing().empty() && OutboxMessages(port, "pending") == 0; });
  std::vector<std::string> not_mailed = missing();
  EXPECT_TRUE(drained) << not_mailed.size() << " accepted alerts without mail, "
                       << OutboxMessages(port, "pending") << " messages pending (seed " << seed
                       << "); first missing: " << (not_mailed.empty() ? "" : not_mailed[0]);
  EXPECT_EQ(OutboxMessages(port, "dead"), 0);

  // The state file alone: one more SIGKILL, a restart, and the list it loaded.
  serve.Kill(SIGKILL);
  serve.Start();
  ASSERT_TRUE(serve.WaitReady()) << serve.Log();
  std::set<std::string> listed = ListedAlertIds(port);
  std::vector<std::string> lost;
  for (const std::string& id : accepted)
    if (!listed.count(id)) lost.push_back(id);
  int committed_unanswered = 0;  // killed after the commit, before the answer
  for (const std::string& id : unanswered) committed_unanswered += listed.count(id);
  EXPECT_TRUE(lost.empty()) << lost.size() << " alerts answered 200 are not in the state, e.g. "
                            << (lost.empty() ? "" : lost[0]) << " (seed " << seed << ")";

  // Duplicates: the same group mailed again is only ever the same message again.
  int mails = static_cast<int>(smtp.Messages().size());
  int duplicates = 0, groups_mailed = 0;
  for (const auto& [id, message_ids] : MailsById(smtp)) {
    ++groups_mailed;
    duplicates += static_cast<int>(message_ids.size()) - 1;
    std::set<std::string> distinct(message_ids.begin(), message_ids.end());
    EXPECT_EQ(distinct.size(), 1u) << "group of " << id << " got " << distinct.size()
                                   << " different mails (seed " << seed << ")";
  }
  EXPECT_EQ(mails, groups_mailed + duplicates) << "one alert per mail";
  EXPECT_GE(kills, 20);
  EXPECT_GT(accepted.size(), 50u) << "too little load to prove anything";

  std::cout << "serve under load: " << kills << " SIGKILLs in " << static_cast<int>(load_s)
            << " s (seed " << seed << "); " << posts << " POSTs of " << kBatch << " alerts from "
            << kClients << " clients: " << accepted.size() << " alerts accepted (200), "
            << unanswered.size() << " unanswered (killed or down; " << committed_unanswered
            << " of them committed all the same), " << refused << " refused; " << mails
            << " mails for " << groups_mailed << " groups, " << duplicates
            << " duplicates (same Message-ID), 0 lost\n";
  ::testing::Test::RecordProperty("kills", kills);
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  ::testing::Test::RecordProperty("alerts_accepted", static_cast<int>(accepted.size()));
  ::testing::Test::RecordProperty("alerts_unanswered", static_cast<int>(unanswered.size()));
  ::testing::Test::RecordProperty("mails", mails);
  ::testing::Test::RecordProperty("duplicates", duplicates);
  if (HasFailure()) std::cerr << "serve.log in " << dir.path() << " (AD_E2E_KEEP=1 keeps it)\n";
}

}  // namespace
}  // namespace alertdigest::testing
