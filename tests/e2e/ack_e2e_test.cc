// End-to-end escalation: a real `alertdigest serve` delivers an escalation mail (.eml, file
// transport); the test follows the acknowledgement link in it with an HTTP client, sees the
// confirmation page (which must not acknowledge), posts the form, and sees the escalation stop.
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>

#include "e2e/e2e_harness.h"

namespace alertdigest::e2e {
namespace {

using std::chrono::seconds;

// The .eml files in `dir` whose headers say X-Alertdigest-Kind: `kind`.
std::vector<std::string> Mails(const fs::path& dir, const std::string& kind) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.path().extension() != ".eml") continue;
    std::string text = ReadFile(f.path());
    if (text.find("X-Alertdigest-Kind: " + kind + "\r\n") != std::string::npos)
      out.push_back(f.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The acknowledgement link of the decoded text/plain part, read with Python's email package
// (what a mail client would show).
std::string AckLinkIn(const std::string& eml) {
  std::string out;
  RunCapture(
      "python3 -c 'import email,email.policy,re,sys\n"
      "m=email.message_from_binary_file(open(sys.argv[1],\"rb\"),"
      "policy=email.policy.default)\n"
      "t=[p for p in m.walk() if p.get_content_type()==\"text/plain\"][0]\n"
      "print(re.search(r\"https?://\\S+/ack/[A-Za-z0-9_.-]+\", t.get_content()).group(0))' " +
          eml,
      &out);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

class AckE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string help;
    RunCapture(AlertdigestBinary() + " --help", &help);
    if (help.find("\n  serve ") == std::string::npos)
      GTEST_SKIP() << AlertdigestBinary() << " has no `serve` verb (yet)";
    port_ = FreePort();
    const std::string base = "http://127.0.0.1:" + std::to_string(port_);
    WriteFile(dir_ / "ack.key", "e2e-ack-key-0123456789abcdef\n");
    WriteFile(dir_ / "config.toml",
              "[server]\nlisten = \"127.0.0.1:" + std::to_string(port_) +
                  "\"\n"
                  "external_url = \"" +
                  base +
                  "\"\nack_key_file = \"ack.key\"\n"
                  "[storage]\npath = \"state.db\"\n"
                  "[delivery]\ntransport = \"file\"\nfile_dir = \"outbox\"\n"
                  "[defaults]\ngroup_wait = \"0s\"\ngroup_interval = \"1s\"\n"
                  "[route]\nreceiver = \"ops\"\nescalation = \"db-oncall\"\n"
                  "[[receiver]]\nname = \"ops\"\nto = [\"ops@example.com\"]\n"
                  "[[escalation]]\nname = \"db-oncall\"\n"
                  "steps = [{ after = \"0s\", to = [\"oncall@example.com\"] },\n"
                  "         { after = \"4s\", to = [\"lead@example.com\"] }]\n");
    fs::create_directory(dir_ / "outbox");
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

  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<Process> server_;
};

TEST_F(AckE2ETest, FollowingTheLinkAndConfirmingStopsTheEscalation) {
  ASSERT_EQ(Http(port_, "POST", "/api/v2/alerts",
                 R"([{"labels":{"alertname":"E2EDiskFull","instance":"db1"},)"
                 R"("annotations":{"summary":"disk 97% full"}}])")
                .status,
            200);
  const fs::path outbox = dir_ / "outbox";
  ASSERT_TRUE(WaitFor(seconds(10), [&] { return !Mails(outbox, "escalation").empty(); }))
      << server_->Logs();
  const auto first = Mails(outbox, "escalation");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_NE(ReadFile(first[0]).find("oncall@example.com"), std::string::npos);

  const std::string link = AckLinkIn(first[0]);
  const std::string prefix = "http://127.0.0.1:" + std::to_string(port_);
  ASSERT_EQ(link.rfind(prefix + "/ack/", 0), 0u) << link;
  const std::string path = link.substr(prefix.size());

  // What a mail scanner does: GET, twice. It shows the page and acknowledges nothing.
  for (int i = 0; i < 2; ++i) {
    HttpResponse page = Http(port_, "GET", path);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<form"), std::string::npos) << page.body;
    EXPECT_NE(page.body.find("E2EDiskFull"), std::string::npos);
  }
  // An altered link is refused.
  std::string altered = path;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(Http(port_, "POST", altered, "by=mallory", "application/x-www-form-urlencoded").status,
            403);

  HttpResponse done =
      Http(port_, "POST", path, "by=e2e-oncall&comment=on+it", "application/x-www-form-urlencoded");
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("e2e-oncall"), std::string::npos) << done.body;

  // Step 2 was due 4 s after step 1: it never comes.
  std::this_thread::sleep_for(seconds(6));
  EXPECT_EQ(Mails(outbox, "escalation").size(), 1u);
  EXPECT_NE(server_->Logs().find("episode acknowledged"), std::string::npos);

  // Posting again says who already did.
  HttpResponse again =
      Http(port_, "POST", path, "by=someone-else", "application/x-www-form-urlencoded");
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("e2e-oncall"), std::string::npos) << again.body;
}

// Rotating the key: after a reload, the ack pages check links with the new key at once — the
// new mails' links work, the old ones are refused — with no restart.
TEST_F(AckE2ETest, AfterAReloadWithANewKeyTheLinksAreCheckedWithIt) {
  const fs::path outbox = dir_ / "outbox";
  const std::string prefix = "http://127.0.0.1:" + std::to_string(port_);
  auto link_path_of_first_mail_about = [&](const std::string& alertname) -> std::string {
    std::string path;
    WaitFor(seconds(10), [&] {
      for (const std::string& eml : Mails(outbox, "escalation")) {
        if (ReadFile(eml).find(alertname) == std::string::npos) continue;
        path = AckLinkIn(eml).substr(prefix.size());
        return true;
      }
      return false;
    });
    return path;
  };
  ASSERT_EQ(Http(port_, "POST", "/api/v2/alerts", R"([{"labels":{"alertname":"BeforeRotation"}}])")
                .status,
            200);
  const std::string old_link = link_path_of_first_mail_about("BeforeRotation");
  ASSERT_EQ(old_link.rfind("/ack/", 0), 0u) << server_->Logs();
  EXPECT_EQ(Http(port_, "GET", old_link).status, 200);

  WriteFile(dir_ / "ack.key", "e2e-rotated-key-fedcba9876543210\n");
  ASSERT_EQ(Http(port_, "POST", "/-/reload").status, 200) << server_->Logs();
  EXPECT_EQ(Http(port_, "GET", old_link).status, 403) << "signed with the retired key";

  ASSERT_EQ(
      Http(port_, "POST", "/api/v2/alerts", R"([{"labels":{"alertname":"AfterRotation"}}])").status,
      200);
  const std::string new_link = link_path_of_first_mail_about("AfterRotation");
  ASSERT_EQ(new_link.rfind("/ack/", 0), 0u) << server_->Logs();
  EXPECT_EQ(Http(port_, "GET", new_link).status, 200);
  HttpResponse done =
      Http(port_, "POST", new_link, "by=e2e-oncall", "application/x-www-form-urlencoded");
  EXPECT_EQ(done.status, 200) << done.body;
}

TEST_F(AckE2ETest, TheCliAcknowledgesByTheGroupIdOfTheMail) {
  ASSERT_EQ(Http(port_, "POST", "/api/v2/alerts",
                 R"([{"labels":{"alertname":"E2ECliAck","instance":"db3"}}])")
                .status,
            200);
  const fs::path outbox = dir_ / "outbox";
  ASSERT_TRUE(WaitFor(seconds(10), [&] { return !Mails(outbox, "escalation").empty(); }))
      << server_->Logs();
  const std::string eml = ReadFile(Mails(outbox, "escalation")[0]);
  const size_t at = eml.find("X-Alertdigest-Group: ");
  ASSERT_NE(at, std::string::npos);
  const std::string group_id = eml.substr(at + 21, 16);
  std::string out;
  int rc = RunCapture(AlertdigestBinary() + " ack " + group_id + " -c " + (dir_ / "config.toml") +
                          " --by cli-oncall --comment 'on it'",
                      &out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("acknowledged"), std::string::npos) << out;
  std::this_thread::sleep_for(seconds(5));
  EXPECT_EQ(Mails(outbox, "escalation").size(), 1u);
  rc = RunCapture(
      AlertdigestBinary() + " ack " + group_id + " -c " + (dir_ / "config.toml") + " --by other",
      &out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("already acknowledged by cli-oncall"), std::string::npos) << out;
}

TEST_F(AckE2ETest, WithoutAnAckTheEscalationClimbs) {
  ASSERT_EQ(Http(port_, "POST", "/api/v2/alerts",
                 R"([{"labels":{"alertname":"E2ENoAck","instance":"db2"}}])")
                .status,
            200);
  const fs::path outbox = dir_ / "outbox";
  ASSERT_TRUE(WaitFor(seconds(15), [&] { return Mails(outbox, "escalation").size() >= 2; }))
      << server_->Logs();
  const auto steps = Mails(outbox, "escalation");
  EXPECT_NE(ReadFile(steps[1]).find("lead@example.com"), std::string::npos);
}

}  // namespace
}  // namespace alertdigest::e2e
