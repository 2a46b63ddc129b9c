// End-to-end silences: amtool and `alertdigest silence` against a real `alertdigest serve`.
// Skips when amtool is missing or the binary has no `serve` verb.
#include <gtest/gtest.h>
#include <unistd.h>

#include "e2e/e2e_harness.h"

namespace alertdigest::e2e {
namespace {

using std::chrono::seconds;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class SilenceE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string help;
    RunCapture(AlertdigestBinary() + " --help", &help);
    if (help.find("\n  serve ") == std::string::npos)
      GTEST_SKIP() << AlertdigestBinary() << " has no `serve` verb (yet)";
    port_ = FreePort();
    config_ = dir_ / "config.toml";
    WriteFile(config_, "[server]\nlisten = \"127.0.0.1:" + std::to_string(port_) +
                           "\"\n[storage]\npath = \"state.db\"\n"
                           "[delivery]\ntransport = \"file\"\nfile_dir = \"outbox\"\n"
                           "[route]\nreceiver = \"ops\"\n"
                           "[[receiver]]\nname = \"ops\"\nto = [\"ops@example.com\"]\n");
    fs::create_directory(dir_ / "outbox");
  }
  void StartServer() {
    server_ = std::make_unique<Process>(
        "alertdigest", std::vector<std::string>{AlertdigestBinary(), "serve", "-c", "config.toml"},
        dir_.path(), dir_.path());
    ASSERT_TRUE(WaitFor(seconds(10), [&] { return Http(port_, "GET", "/readyz").status == 200; }))
        << server_->Logs();
  }
  void TearDown() override {
    if (HasFailure() && server_) std::cerr << server_->Logs();
    if (server_) server_->Stop();
  }
  // amtool's output without its "Warning: amtool version (…) and alertmanager version (…)
  // are different" line.
  int Amtool(const std::string& args, std::string* out) {
    int rc = RunCapture(
        "/usr/bin/amtool --alertmanager.url=http://127.0.0.1:" + std::to_string(port_) + " " + args,
        out);
    if (out->rfind("Warning: amtool version", 0) == 0) out->erase(0, out->find('\n') + 1);
    return rc;
  }
  int Cli(const std::string& args, std::string* out) {
    return RunCapture(AlertdigestBinary() + " silence " + args + " -c " + config_, out);
  }

  TempDir dir_;
  int port_ = 0;
  std::string config_;
  std::unique_ptr<Process> server_;
};

TEST_F(SilenceE2ETest, AmtoolAddsQueriesAndExpires) {
  if (access("/usr/bin/amtool", X_OK) != 0) GTEST_SKIP() << "amtool not installed";
  StartServer();
  std::string out;
  ASSERT_EQ(Amtool("silence add alertname=E2ESilenced 'instance=~db-.*' --duration=2h "
                   "--comment='disk swap' --author=e2e",
                   &out),
            0)
      << out;
  const std::string id = Trim(out);
  ASSERT_EQ(id.size(), 36u) << out;

  ASSERT_EQ(Amtool("silence query", &out), 0) << out;
  EXPECT_NE(out.find(id), std::string::npos) << out;
  EXPECT_NE(out.find("alertname=\"E2ESilenced\""), std::string::npos) << out;
  EXPECT_NE(out.find("instance=~\"db-.*\""), std::string::npos) << out;
  EXPECT_NE(out.find("disk swap"), std::string::npos) << out;
  ASSERT_EQ(Amtool("silence query -q alertname=E2ESilenced", &out), 0) << out;
  EXPECT_EQ(Trim(out), id);
  ASSERT_EQ(Amtool("silence query -q alertname=Other", &out), 0) << out;
  EXPECT_EQ(Trim(out), "");

  // Refused like Alertmanager refuses it: a silence matching everything.
  EXPECT_NE(Amtool("silence add 'alertname=~.*' --comment=x --author=e2e", &out), 0) << out;
  EXPECT_NE(out.find("would match all alerts"), std::string::npos) << out;

  ASSERT_EQ(Amtool("silence expire " + id, &out), 0) << out;
  ASSERT_EQ(Amtool("silence query -q", &out), 0) << out;
  EXPECT_EQ(Trim(out), "") << "expired silences are hidden by default";
  ASSERT_EQ(Amtool("silence query -q --expired", &out), 0) << out;
  EXPECT_EQ(Trim(out), id);

  // The silence survives a restart (it is in the state file).
  server_->Stop();
  StartServer();
  ASSERT_EQ(Amtool("silence query -q --expired", &out), 0) << out;
  EXPECT_EQ(Trim(out), id);
}

TEST_F(SilenceE2ETest, AlertdigestSilenceAddsListsAndExpires) {
  std::string out;
  EXPECT_EQ(Cli("list", &out), 4) << out;
  EXPECT_NE(out.find("no alertdigest daemon answers at 127.0.0.1:" + std::to_string(port_) +
                     ": connection refused; start `alertdigest serve`"),
            std::string::npos)
      << out;
  StartServer();
  ASSERT_EQ(
      Cli("add --author e2e --comment 'reboot' --duration 30m alertname=Reboot host!=db-1", &out),
      0)
      << out;
  const std::string id = Trim(out);
  ASSERT_EQ(id.size(), 36u) << out;
  ASSERT_EQ(Cli("list", &out), 0) << out;
  EXPECT_NE(out.find(id + "  active"), std::string::npos) << out;
  EXPECT_NE(out.find("alertname=\"Reboot\" host!=\"db-1\""), std::string::npos) << out;
  EXPECT_NE(out.find("reboot"), std::string::npos) << out;

  EXPECT_EQ(Cli("add --author e2e alertname=X", &out), 1) << out;
  EXPECT_NE(out.find("silence needs a comment (why it was set)"), std::string::npos) << out;

  ASSERT_EQ(Cli("expire " + id, &out), 0) << out;
  ASSERT_EQ(Cli("list", &out), 0) << out;
  EXPECT_EQ(out.find(id), std::string::npos) << out;
  ASSERT_EQ(Cli("list --all", &out), 0) << out;
  EXPECT_NE(out.find(id + "  expired"), std::string::npos) << out;
  EXPECT_EQ(Cli("expire 00000000-0000-4000-8000-000000000000", &out), 1) << out;
  EXPECT_NE(out.find("no silence with id"), std::string::npos) << out;
}

}  // namespace
}  // namespace alertdigest::e2e
