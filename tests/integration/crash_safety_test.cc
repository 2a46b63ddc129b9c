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
std::map<std::string, std::set<std::string>> MailsByGroup(const Workspace& ws) {
  std::map<std::string, std::set<std::string>> out;
  for (const std::string& path : ws.Emails()) {
    std::string eml = ReadFile(path);
    out[Header(eml, "X-Alertdigest-Group")].insert(Header(eml, "Message-ID"));
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

TEST(CrashSafetyTest, RandomKillsNeitherLoseNorRepeatMail) {
  // A bigger stream so kills land in parsing, committing, flushing and delivering alike.
  char tmpl[] = "/tmp/ad-crash-input-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string input = dir + "/input.jsonl";
  {
    std::ofstream out(input);
    for (int i = 0; i < 30000; ++i) {
      int n = i % 600;
      out << R"({"labels":{"alertname":"Probe)" << n % 40 << R"(","cluster":"eu-)" << n % 3
          << R"(","instance":"host-)" << n << R"(","severity":"warning"},"annotations":{"summary":"probe )"
          << n << R"("}})" << "\n";
    }
  }
  std::set<std::string> want = ReferenceGroups(input);
  ASSERT_GE(want.size(), 100u);

  Workspace ws;
  fs::copy(input, ws.Path("input.jsonl"));
  std::mt19937 rng(42);
  int kills = 0;
  for (int i = 0; i < 12; ++i) {
    ChildProcess child({AD_BINARY, "run", "-c", "config.toml.example"}, ws.Path("input.jsonl"),
                       ws.dir());
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 400));
    child.Kill();
    ProcessResult r = child.Wait();
    kills += r.signal == SIGKILL;
    ASSERT_TRUE(r.signal == SIGKILL || r.exit_code == 0) << r.err;
  }
  ProcessResult final_run = ws.Run("input.jsonl");
  ASSERT_EQ(final_run.exit_code, 0) << final_run.err;
  auto mails = MailsByGroup(ws);
  EXPECT_EQ(Groups(mails), want) << "every group got its mail";
  int repeated = 0;
  for (const auto& [group, ids] : mails) repeated += ids.size() > 1;
  EXPECT_EQ(repeated, 0) << "no group got two different mails";
  RecordProperty("kills", kills);
  std::cout << "random kills: " << kills << " of 12 runs killed mid-way\n";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace alertdigest::testing
