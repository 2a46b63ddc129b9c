// Configs on disk: rule files (globs, order, errors naming the rule file), relative path
// resolution, and the shipped config.toml.example.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_test_util.h"

namespace alertdigest {
namespace {

using config_test::kMinimal;
using config_test::Messages;
using config_test::MustParse;

namespace fs = std::filesystem;

class ConfigFilesTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "config_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& rel, const std::string& text) {
    fs::path p = fs::path(dir_) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

  std::string dir_;
};

TEST_F(ConfigFilesTest, RuleFilesAddRoutesAndReceiversInSortedOrder) {
  std::string main =
      Write("config.toml", R"(rules = ["rules/*.toml", "rules/20-*.toml", "none/*.toml"]
[route]
receiver = "team"
[[route.routes]]
matchers = ['a="main"']
[[receiver]]
name = "team"
to = ["team@example.com"]
)");
  Write("rules/20-db.toml", R"(
[[route.routes]]
matchers = ['team="db"']
receiver = "db"
)");
  Write("rules/10-oncall.toml", R"([[route.routes]]
matchers = ['severity="critical"']
receiver = "oncall"
[[receiver]]
name = "oncall"
to = ["oncall@example.com"]
[[receiver]]
name = "db"
to = ["db@example.com"]
[[escalation]]
name = "e"
steps = [{ after = "0m", to = ["oncall@example.com"] }]
)");
  ConfigLoad load = LoadConfig(main);
  ASSERT_TRUE(load.errors.empty()) << testing::PrintToString(Messages(load.errors));
  const Config& cfg = *load.config;
  EXPECT_EQ(cfg.rule_files,
            (std::vector<std::string>{dir_ + "/rules/10-oncall.toml", dir_ + "/rules/20-db.toml"}));
  ASSERT_EQ(cfg.route.routes.size(), 3u);
  EXPECT_EQ(cfg.route.routes[0].key, "{}/{a=\"main\"}");
  EXPECT_EQ(cfg.route.routes[1].receiver, "oncall");
  EXPECT_EQ(cfg.route.routes[1].where.file, dir_ + "/rules/10-oncall.toml");
  EXPECT_EQ(cfg.route.routes[1].where.line, 1);
  EXPECT_EQ(cfg.route.routes[2].receiver, "db");
  EXPECT_EQ(cfg.receivers.size(), 3u);
  ASSERT_EQ(cfg.escalations.size(), 1u);
  EXPECT_EQ(cfg.escalations[0].where.file, dir_ + "/rules/10-oncall.toml");
  EXPECT_TRUE(load.warnings.empty()) << testing::PrintToString(Messages(load.warnings));
}

TEST_F(ConfigFilesTest, RuleFileErrorsNameTheRuleFile) {
  std::string main = Write("config.toml", std::string("rules = [\"rules/*.toml\"]\n") + kMinimal);
  Write("rules/a.toml", R"([[route.routes]]
receiver = "nobody"
[server]
listen = "x"
[route]
receiver = "team"
[[receiver]]
name = "team"
to = ["t@example.com"]
)");
  Write("rules/b.toml", "[[route.routes]\n");
  ConfigLoad load = LoadConfig(main);
  std::string a = dir_ + "/rules/a.toml", b = dir_ + "/rules/b.toml";
  EXPECT_EQ(
      Messages(load.errors),
      (std::vector<std::string>{
          a + ":2: route.routes[0].receiver: undefined receiver \"nobody\" (defined: team)",
          a + ":3: server: only allowed in the main config file",
          a + ":6: route.receiver: a rule file may only add child routes ([[route.routes]])",
          a + ":8: receiver[0].name: duplicate receiver \"team\" (first defined at " + main + ":7)",
          b + ":1: syntax error: Error while parsing table header: expected ']', saw "
              "'\\n'",
      }));
}

TEST_F(ConfigFilesTest, RelativePathsResolveAgainstTheConfigDirectory) {
  Write("tpl/subject.mustache", "{{alertname}}");
  Write("tpl/body.html", "<p></p>");
  std::string main = Write("etc/config.toml", R"(
[storage]
path = "state/ad.db"
[delivery]
file_dir = "../mail"
[smtp]
password_file = "secret"
token_file = "/abs/token"
[route]
receiver = "team"
[[receiver]]
name = "team"
to = ["t@example.com"]
subject = "../tpl/subject.mustache"
html = "../tpl/body.html"
)");
  ConfigLoad load = LoadConfig(main);
  ASSERT_TRUE(load.errors.empty()) << testing::PrintToString(Messages(load.errors));
  const Config& cfg = *load.config;
  EXPECT_EQ(cfg.base_dir, dir_ + "/etc");
  EXPECT_EQ(cfg.templates_dir, dir_ + "/etc/templates");
  EXPECT_EQ(cfg.storage.path, dir_ + "/etc/state/ad.db");
  EXPECT_EQ(cfg.delivery.file_dir, dir_ + "/mail");
  EXPECT_EQ(cfg.smtp.password_file, dir_ + "/etc/secret");
  EXPECT_EQ(cfg.smtp.token_file, "/abs/token");
  const Receiver& r = cfg.receivers[0];
  EXPECT_EQ(r.subject.path, dir_ + "/tpl/subject.mustache");
  EXPECT_EQ(r.subject.key_path, "receiver[0].subject");
  EXPECT_EQ(r.subject.where.line, 14);
  EXPECT_EQ(r.html.path, dir_ + "/tpl/body.html");
  EXPECT_TRUE(r.text.path.empty());  // the built-in default
}

TEST(ConfigExampleTest, TheShippedExampleLoadsCleanly) {
  ConfigLoad load = LoadConfig(AD_SOURCE_DIR "/config.toml.example");
  ASSERT_TRUE(load.errors.empty()) << testing::PrintToString(Messages(load.errors));
  EXPECT_TRUE(load.warnings.empty()) << testing::PrintToString(Messages(load.warnings));
  const Config& cfg = *load.config;
  EXPECT_EQ(cfg.delivery.transport, DeliveryConfig::Transport::kFile);
  EXPECT_EQ(cfg.storage.path, std::string(AD_SOURCE_DIR) + "/alertdigest.db");
  EXPECT_EQ(cfg.route.receiver, "team");
  EXPECT_EQ(cfg.route.group_by, (std::vector<std::string>{"alertname", "cluster"}));
  // rules/10-teams.toml, 15-business-hours.toml, 20-warnings.toml, 50-digests.toml, in
  // file-name order.
  ASSERT_EQ(cfg.route.routes.size(), 5u);
  EXPECT_EQ(cfg.route.routes[0].receiver, "oncall");
  EXPECT_EQ(cfg.route.routes[0].escalation, "critical");  // rules/40-oncall.toml
  EXPECT_EQ(cfg.route.routes[1].key, "{}/{team=~\"db|storage\"}");
  EXPECT_TRUE(cfg.route.routes[1].continue_matching);
  EXPECT_EQ(cfg.route.routes[2].active_time_intervals, std::vector<std::string>{"business-hours"});
  EXPECT_EQ(cfg.route.routes[3].group_interval, std::chrono::minutes(30));
  EXPECT_NE(cfg.FindReceiver("db-team"), nullptr);
  EXPECT_NE(cfg.FindReceiver("facilities"), nullptr);  // defined in a rule file
  EXPECT_EQ(cfg.inhibit_rules.size(), 2u);              // rules/30-inhibit.toml
  ASSERT_EQ(cfg.time_intervals.size(), 1u);
  EXPECT_EQ(cfg.time_intervals[0].timezone, "Europe/Berlin");
  EXPECT_EQ(cfg.route.routes[4].receiver, "digest:daily-ops");
  ASSERT_NE(cfg.FindDigest("daily-ops"), nullptr);
  ASSERT_NE(cfg.FindRotation("primary"), nullptr);
  EXPECT_EQ(cfg.FindRotation("primary")->overrides.size(), 1u);
  EXPECT_EQ(cfg.server.ack_key_file, std::string(AD_SOURCE_DIR) + "/examples/demo-ack.key");
}

TEST_F(ConfigFilesTest, RuleFileIntervalsAndInhibitRulesServeTheMainFile) {
  std::string main = Write("config.toml", std::string(R"(rules = ["rules/*.toml"]
[route]
receiver = "team"
[[route.routes]]
matchers = ['severity="critical"']
mute_time_intervals = ["nights"]
[[receiver]]
name = "team"
to = ["team@example.com"]
)"));
  Write("rules/mute.toml", R"([[time_interval]]
name = "nights"
timezone = "Europe/Berlin"
times = [{ start = "22:00", end = "07:00" }]
[[inhibit_rule]]
source_matchers = ['severity="critical"']
target_matchers = ['severity="warning"']
)");
  ConfigLoad load = LoadConfig(main);
  ASSERT_TRUE(load.errors.empty()) << testing::PrintToString(Messages(load.errors));
  EXPECT_TRUE(load.warnings.empty()) << testing::PrintToString(Messages(load.warnings));
  ASSERT_EQ(load.config->time_intervals.size(), 1u);
  EXPECT_EQ(load.config->time_intervals[0].where.file, dir_ + "/rules/mute.toml");
  EXPECT_EQ(load.config->route.routes[0].mute_time_intervals, std::vector<std::string>{"nights"});
  EXPECT_EQ(load.config->inhibit_rules.size(), 1u);
}

TEST_F(ConfigFilesTest, IntervalNamesAreUniqueAcrossFiles) {
  std::string main = Write("config.toml", std::string("rules = [\"rules/*.toml\"]\n"
                                                      "[[time_interval]]\nname = \"nights\"\n") +
                                              kMinimal);
  Write("rules/a.toml", "\n[[time_interval]]\nname = \"nights\"\n");
  ConfigLoad load = LoadConfig(main);
  EXPECT_EQ(Messages(load.errors),
            std::vector<std::string>{dir_ +
                                     "/rules/a.toml:3: time_interval[0].name: duplicate "
                                     "time_interval \"nights\" (first defined at " +
                                     dir_ + "/config.toml:3)"});
}

}  // namespace
}  // namespace alertdigest
