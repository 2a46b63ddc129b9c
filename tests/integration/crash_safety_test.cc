// Killing `alertdigest run` at any point and starting it again neither loses an accepted alert
// or a due mail nor repeats a delivered one (at most one re-delivery, with the same Message-ID,
// when the kill falls between delivery and marking it sent). The child is killed with SIGKILL,
// at named crash points and at random moments.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "integration/workspace.h"

namespace alertdigest::testing {
namespace {

// group id → the Message-IDs of the mails that group got.
// Message-IDs by kind and group ("notification 3fa2…", "escalation 3fa2…": the example's
// critical groups also climb an escalation, whose first step is a mail of its own).
std::map<std::string, std::set<std::string>> MailsByGroup(const Workspace& ws) {
  std::map<std::string, std::set<std::string>> out;
  for (const std::string& path : ws.Emails()) {
    std::string eml = ReadFile(path);
    out[Header(eml, "X-Alertdigest-Kind") + " " + Header(eml, "X-Alertdigest-Group")].insert(
        Header(eml, "Message-ID"));
  }
  return out;
}

std::set<std::string> Groups(const std::map<std::string, std::set<std::string>>& m) {
  std::set<std::string> out;
  for (const auto& [g, ids] : m) out.insert(g);
  return out;
}

// What a run without any crash produces, for comparison.
std::set<std::string> ReferenceGroups(const std::string& input) {
  Workspace ws;
  if (input != "examples/alerts.jsonl") fs::copy(input, ws.Path("input.jsonl"));
  ProcessResult r = ws.Run(input == "examples/alerts.jsonl" ? input : "input.jsonl");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return Groups(MailsByGroup(ws));
}

TEST(CrashSafetyTest, KilledRightAfterCommittingInputLosesNothing) {
  std::set<std::string> want = ReferenceGroups("examples/alerts.jsonl");
  Workspace ws;
  ProcessResult crashed =
      ws.Run("examples/alerts.jsonl", {"ALERTDIGEST_CRASH_POINT=run.after-ingest-commit"});
  ASSERT_EQ(crashed.signal, SIGKILL) << crashed.err;
  EXPECT_TRUE(ws.Emails().empty());
  ProcessResult restarted = ws.Run("");  // no new input: the state alone must carry it
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  EXPECT_EQ(Groups(MailsByGroup(ws)), want);
}

TEST(CrashSafetyTest, KilledBetweenDeliveryAndMarkingSentRedeliversOnceWithTheSameId) {
  std::set<std::string> want = ReferenceGroups("examples/alerts.jsonl");
  Workspace ws;
  ProcessResult crashed =
      ws.Run("examples/alerts.jsonl", {"ALERTDIGEST_CRASH_POINT=deliver.before-mark-sent:2"});
  ASSERT_EQ(crashed.signal, SIGKILL) << crashed.err;
  EXPECT_EQ(ws.Emails().size(), 2u);
  ProcessResult restarted = ws.Run("");
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  auto mails = MailsByGroup(ws);
  EXPECT_EQ(Groups(mails), want);
  for (const auto& [group, ids] : mails) EXPECT_EQ(ids.size(), 1u) << "group " << group;
  // The second mail was delivered again after the restart: same file, same Message-ID.
  EXPECT_NE(restarted.out.find(".eml"), std::string::npos);
}

// Like a cron job piping fresh events in: every run gets a new chunk of alerts (new groups,
// new mail) and is killed at a random moment within a clean run's duration. A last run is fed
// every chunk again, as a re-sending source would. Then every group has exactly one mail.
TEST(CrashSafetyTest, RandomKillsNeitherLoseNorRepeatMail) {
  constexpr int kRuns = 25;
  Workspace ws;
  auto chunk_path = [&](int i) { return ws.Path("chunk-" + std::to_string(i) + ".jsonl"); };
  {
    std::ofstream all(ws.Path("all.jsonl"));
    for (int i = 0; i < kRuns; ++i) {
      std::ofstream out(chunk_path(i));
      for (int line = 0; line < 3000; ++line) {
        int n = line % 300;
        std::string record = R"({"labels":{"alertname":"Probe)" + std::to_string(i) + "_" +
                             std::to_string(n % 5) + R"(","cluster":"eu-)" + std::to_string(n % 2) +
                             R"(","instance":"host-)" + std::to_string(n) +
                             R"(","severity":"warning"},"annotations":{"summary":"probe"}})";
        out << record << "\n";
        all << record << "\n";
      }
    }
  }
  std::set<std::string> want = ReferenceGroups(ws.Path("all.jsonl"));
  ASSERT_EQ(want.size(), kRuns * 10u);  // 5 names x 2 clusters per chunk

  // How long one clean chunk run takes, on a scratch state.
  Workspace scratch;
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(RunToEnd({AD_BINARY, "run", "-c", "config.toml.example"}, chunk_path(0), scratch.dir())
                .exit_code,
            0);
  auto clean_us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - t0).count();

  std::mt19937 rng(42);
  int kills = 0;
  for (int i = 0; i < kRuns; ++i) {
    ChildProcess child({AD_BINARY, "run", "-c", "config.toml.example"}, chunk_path(i), ws.dir());
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % (clean_us + 1)));
    child.Kill();
    ProcessResult r = child.Wait();
    kills += r.signal == SIGKILL;
    ASSERT_TRUE(r.signal == SIGKILL || r.exit_code == 0) << r.err;
  }
  EXPECT_GE(kills, kRuns / 2) << "too few runs were killed mid-way to prove anything";

  ProcessResult final_run = ws.Run("all.jsonl");
  ASSERT_EQ(final_run.exit_code, 0) << final_run.err;
  auto mails = MailsByGroup(ws);
  EXPECT_EQ(Groups(mails), want) << "every group got its mail";
  int repeated = 0;
  for (const auto& [group, ids] : mails) repeated += ids.size() > 1;
  EXPECT_EQ(repeated, 0) << "no group got two different mails";
  std::cout << "random kills: " << kills << " of " << kRuns << " runs killed mid-way (a clean run "
            << clean_us / 1000 << " ms)\n";
}

}  // namespace
}  // namespace alertdigest::testing
