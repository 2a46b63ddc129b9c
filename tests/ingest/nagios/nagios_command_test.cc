// `alertdigest nagios`: the notification is in the spool of a real SQLite file when the command
// exits 0, a store it cannot write gives a non-zero exit and says why, and the real binary
// answers within 100 ms.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/commands.h"
#include "ingest/nagios/nagios_sample.h"
#include "store/store.h"

namespace alertdigest {
namespace {

namespace fs = std::filesystem;

class NagiosCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ad-nagios-XXXXXX";
    dir_ = mkdtemp(tmpl);
    WriteConfig("[storage]\npath = \"state.db\"\n");
  }
  // A valid config around `storage`.
  void WriteConfig(const std::string& storage) {
    std::ofstream(dir_ + "/config.toml")
        << storage << "[route]\nreceiver = \"ops\"\n[[receiver]]\nname = \"ops\"\n"
        << "to = [\"ops@example.com\"]\n";
  }
  void TearDown() override {
    chmod(dir_.c_str(), 0700);
    fs::remove_all(dir_);
  }

  // Runs the command in-process with the sample's arguments and environment.
  int Run(const std::string& sample, std::vector<std::string> flags = {}) {
    testing::NagiosSample s = testing::LoadNagiosSample(sample);
    std::vector<std::string> args = {"-c", dir_ + "/config.toml"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), s.args.begin(), s.args.end());
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : s.env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (std::string& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    out_.str("");
    err_.str("");
    return NagiosCommand(args, envp.data(), out_, err_);
  }

  std::string dir_;
  std::ostringstream out_, err_;
};

TEST_F(NagiosCommandTest, StoresTheNotificationInTheSpool) {
  ASSERT_EQ(Run("service-02-problem-critical.json"), 0) << err_.str();
  ASSERT_EQ(Run("service-05-acknowledgement.json"), 0) << err_.str();
  EXPECT_EQ(err_.str(), "");
  auto store = OpenSqliteStore(dir_ + "/state.db");
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto spool = (*store)->ReadSpool(10);
  ASSERT_TRUE(spool.ok()) << spool.status().message();
  ASSERT_EQ(spool->size(), 2u);
  const SpoolEntry& problem = (*spool)[0];
  EXPECT_EQ(problem.source, "nagios");
  EXPECT_EQ(problem.kind, SpoolEntry::Kind::kAlert);
  EXPECT_EQ(problem.alert.labels.Get("alertname"), "Harness Disk");
  EXPECT_EQ(problem.alert.annotations.Get("summary"),
            "DISK CRITICAL - /srv/db 97% used on 'db-1' & /backup 91% (cycle 0/60s)");
  EXPECT_FALSE(problem.alert.ends_at_is_timeout);
  const SpoolEntry& ack = (*spool)[1];
  EXPECT_EQ(ack.kind, SpoolEntry::Kind::kEvent);
  EXPECT_EQ(ack.event_type, "ACKNOWLEDGEMENT");
  EXPECT_EQ(ack.author, "Jane Doe");
  EXPECT_EQ(ack.event_labels, problem.alert.labels);
}

TEST_F(NagiosCommandTest, DryRunPrintsAndStoresNothing) {
  ASSERT_EQ(Run("service-04-recovery.json", {"--dry-run"}), 0) << err_.str();
  EXPECT_NE(out_.str().find(R"("kind":"alert")"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find(R"("status":"resolved")"), std::string::npos) << out_.str();
  EXPECT_FALSE(fs::exists(dir_ + "/state.db"));
}

TEST_F(NagiosCommandTest, UnwritableStateIsANonZeroExitWithTheReason) {
  // Root writes through permissions; /proc refuses new files to everyone.
  std::string path = geteuid() == 0 ? "/proc/ro/state.db" : "ro/state.db";
  fs::create_directory(dir_ + "/ro");
  chmod((dir_ + "/ro").c_str(), 0500);
  WriteConfig("[storage]\npath = \"" + path + "\"\n");
  EXPECT_EQ(Run("service-02-problem-critical.json"), 4);
  EXPECT_NE(err_.str().find(
                "notification NOT stored (PROBLEM service \"Harness Disk\" on harness-host): open "),
            std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find(path), std::string::npos) << err_.str();
}

TEST_F(NagiosCommandTest, StatePathThatIsADirectoryIsANonZeroExit) {
  fs::create_directory(dir_ + "/state.db");
  EXPECT_EQ(Run("service-02-problem-critical.json"), 4);
  EXPECT_NE(err_.str().find("notification NOT stored"), std::string::npos) << err_.str();
}

TEST_F(NagiosCommandTest, MissingStateDirectoryIsANonZeroExit) {
  WriteConfig("[storage]\npath = \"no/such/dir/state.db\"\n");
  EXPECT_EQ(Run("service-02-problem-critical.json"), 4);
  EXPECT_NE(err_.str().find("notification NOT stored"), std::string::npos) << err_.str();
}

TEST_F(NagiosCommandTest, BadConfigIsExitTwo) {
  WriteConfig("[nagios]\nresolve = \"never\"\n");
  EXPECT_EQ(Run("service-02-problem-critical.json"), 2);
  EXPECT_NE(err_.str().find("nagios.resolve"), std::string::npos) << err_.str();
}

TEST_F(NagiosCommandTest, NoNotificationIsExitOne) {
  std::vector<std::string> args = {"-c", dir_ + "/config.toml"};
  char* envp[] = {nullptr};
  EXPECT_EQ(NagiosCommand(args, envp, out_, err_), 1);
  EXPECT_NE(err_.str().find("NOTIFICATIONTYPE"), std::string::npos) << err_.str();
}

// The real binary, as Nagios runs it: 20 calls, p50 and max must stay under 100 ms. That is the
// optimised build's budget; under ASan (scripts/test's build-asan/: starting and leak-checking
// the process alone takes ~90 ms) the same calls are held to ten times as much.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr double kNagiosBudgetMs = 1000.0;
#else
constexpr double kNagiosBudgetMs = 100.0;
#endif
TEST_F(NagiosCommandTest, RealBinaryAnswersWithin100ms) {
  std::string bin = AD_BINARY;
  if (!fs::exists(bin)) GTEST_SKIP() << bin << " not built";
  // Before the verb is wired, --help prints the general usage, without "alertdigest nagios".
  if (std::system((bin + " nagios --help 2>&1 | grep -q 'usage: alertdigest nagios'").c_str()) != 0)
    GTEST_SKIP() << "this alertdigest has no `nagios` verb yet";
  testing::NagiosSample s = testing::LoadNagiosSample("service-02-problem-critical.json");
  std::vector<double> ms;
  for (int i = 0; i < 20; ++i) {
    auto start = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
      std::vector<std::string> argv = {bin, "nagios", "-c", dir_ + "/config.toml"};
      argv.insert(argv.end(), s.args.begin(), s.args.end());
      std::vector<std::string> env;
      for (const auto& [k, v] : s.env) env.push_back(k + "=" + v);
      std::vector<char*> a, e;
      for (auto& x : argv) a.push_back(x.data());
      for (auto& x : env) e.push_back(x.data());
      a.push_back(nullptr);
      e.push_back(nullptr);
      execve(bin.c_str(), a.data(), e.data());
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::sort(ms.begin(), ms.end());
  std::printf("alertdigest nagios: p50 %.1f ms, max %.1f ms (20 runs)\n", ms[10], ms.back());
  EXPECT_LT(ms[10], kNagiosBudgetMs);
  EXPECT_LT(ms.back(), kNagiosBudgetMs);
  auto store = OpenSqliteStore(dir_ + "/state.db");
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->ReadSpool(100)->size(), 20u);
}

}  // namespace
}  // namespace alertdigest
