// Accepted configs: defaults, every setting, route inheritance and keys, group_by "...",
// receivers.
#include "config/config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config_test_util.h"

namespace alertdigest {
namespace {

using config_test::kMinimal;
using config_test::Messages;
using config_test::MustParse;

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ConfigTest, DefaultsAreTheInitialisersOfConfigH) {
  auto cfg = MustParse(kMinimal);
  ASSERT_NE(cfg, nullptr);
  EXPECT_EQ(cfg->path, "/etc/ad/config.toml");
  EXPECT_EQ(cfg->base_dir, "/etc/ad");
  EXPECT_EQ(cfg->templates_dir, "/etc/ad/templates");
  EXPECT_EQ(cfg->server.listen, "127.0.0.1:9095");
  EXPECT_EQ(cfg->server.max_body, size_t{1} << 20);
  EXPECT_EQ(cfg->server.ack_key_file, "");
  EXPECT_EQ(cfg->server.ack_link_ttl, hours(24 * 7));
  EXPECT_EQ(cfg->storage.path, "/etc/ad/alertdigest.db");
  EXPECT_EQ(cfg->delivery.transport, DeliveryConfig::Transport::kFile);
  EXPECT_EQ(cfg->delivery.file_dir, "/etc/ad/outbox");
  EXPECT_EQ(cfg->delivery.retry.initial, seconds(10));
  EXPECT_EQ(cfg->delivery.retry.max, minutes(10));
  EXPECT_EQ(cfg->delivery.retry.give_up, hours(24));
  EXPECT_EQ(cfg->smtp.host, "smtp.gmail.com");
  EXPECT_EQ(cfg->smtp.port, 587);
  EXPECT_EQ(cfg->smtp.daily_budget, 450);
  EXPECT_EQ(cfg->defaults.group_wait, seconds(30));
  EXPECT_EQ(cfg->route.key, "{}");
  EXPECT_EQ(cfg->route.group_wait, seconds(30));
  EXPECT_EQ(cfg->route.group_interval, minutes(5));
  EXPECT_EQ(cfg->route.repeat_interval, hours(4));
  EXPECT_TRUE(cfg->route.send_resolved);
  EXPECT_TRUE(cfg->route.group_by.empty());
  EXPECT_FALSE(cfg->route.group_by_all);
  ASSERT_NE(cfg->FindReceiver("team"), nullptr);
  EXPECT_EQ(cfg->FindReceiver("team")->attach, Receiver::Attach::kNone);
  EXPECT_EQ(cfg->FindReceiver("nobody"), nullptr);
  EXPECT_TRUE(cfg->rule_files.empty());
  EXPECT_TRUE(cfg->digests.empty() && cfg->escalations.empty() && cfg->rotations.empty());
}

TEST(ConfigTest, ReadsServerIntakeLimits) {
  auto defaults = MustParse(kMinimal);
  ASSERT_NE(defaults, nullptr);
  EXPECT_EQ(defaults->server.max_alerts_per_request, 10000);
  EXPECT_EQ(defaults->server.max_labels_per_alert, 128);
  EXPECT_EQ(defaults->server.max_label_name_length, 1024);
  EXPECT_EQ(defaults->server.max_label_value_length, 65536);
  EXPECT_EQ(defaults->server.io_threads, 0);

  auto cfg = MustParse(std::string(R"(
[server]
max_alerts_per_request = 64
max_labels_per_alert = 20
max_label_name_length = 100
max_label_value_length = 2048
io_threads = 3
)") + kMinimal);
  ASSERT_NE(cfg, nullptr);
  EXPECT_EQ(cfg->server.max_alerts_per_request, 64);
  EXPECT_EQ(cfg->server.max_labels_per_alert, 20);
  EXPECT_EQ(cfg->server.max_label_name_length, 100);
  EXPECT_EQ(cfg->server.max_label_value_length, 2048);
  EXPECT_EQ(cfg->server.io_threads, 3);
}

TEST(ConfigTest, ReadsEverySetting) {
  auto cfg = MustParse(std::string(R"(
[server]
listen = "0.0.0.0:9000"
external_url = "https://alerts.example.com"
auth_token_file = "secrets/token"
ack_key_file = "/etc/ack.key"
ack_link_ttl = "2d"
tls_cert = "c.pem"
tls_key = "k.pem"
max_body = "512KiB"
[storage]
path = ":memory:"
[delivery]
transport = "file"
file_dir = "/var/spool/ad"
retry = { initial = "1s", max = "1m", give_up = "1h" }
[smtp]
host = "mail.example.com"
port = 465
security = "tls"
username = "u@example.com"
password_env = "AD_PW"
auth = "login"
from = "Alerts <alerts@example.com>"
hello = "ad.example.com"
ca_file = "ca.pem"
insecure_skip_verify = true
timeout = "10s"
daily_budget = 0
max_recipients_per_message = 50
[defaults]
group_wait = "0s"
group_interval = "1m"
repeat_interval = "1d"
resolve_timeout = "10m"
send_resolved = false
)") + kMinimal);
  ASSERT_NE(cfg, nullptr);
  EXPECT_EQ(cfg->server.listen, "0.0.0.0:9000");
  EXPECT_EQ(cfg->server.auth_token_file, "/etc/ad/secrets/token");
  EXPECT_EQ(cfg->server.ack_key_file, "/etc/ack.key");
  EXPECT_EQ(cfg->server.ack_link_ttl, hours(48));
  EXPECT_EQ(cfg->server.tls_cert, "/etc/ad/c.pem");
  EXPECT_EQ(cfg->server.max_body, size_t{512} * 1024);
  EXPECT_EQ(cfg->storage.path, ":memory:");
  EXPECT_EQ(cfg->delivery.file_dir, "/var/spool/ad");
  EXPECT_EQ(cfg->delivery.retry.initial, seconds(1));
  EXPECT_EQ(cfg->delivery.retry.give_up, hours(1));
  EXPECT_EQ(cfg->smtp.port, 465);
  EXPECT_EQ(cfg->smtp.security, "tls");
  EXPECT_EQ(cfg->smtp.auth, "login");
  EXPECT_EQ(cfg->smtp.password_env, "AD_PW");
  EXPECT_EQ(cfg->smtp.ca_file, "/etc/ad/ca.pem");
  EXPECT_TRUE(cfg->smtp.insecure_skip_verify);
  EXPECT_EQ(cfg->smtp.timeout, seconds(10));
  EXPECT_EQ(cfg->smtp.daily_budget, 0);
  EXPECT_EQ(cfg->smtp.max_recipients_per_message, 50);
  EXPECT_EQ(cfg->defaults.resolve_timeout, minutes(10));
  // The root takes its timers from [defaults].
  EXPECT_EQ(cfg->route.group_wait, seconds(0));
  EXPECT_EQ(cfg->route.group_interval, minutes(1));
  EXPECT_EQ(cfg->route.repeat_interval, hours(24));
  EXPECT_FALSE(cfg->route.send_resolved);
}

TEST(ConfigTest, ByteSizes) {
  for (auto [text, bytes] : {std::pair{"\"2048\"", size_t{2048}},
                             {"\"10MB\"", size_t{10000000}},
                             {"\"1GiB\"", size_t{1} << 30},
                             {"4096", size_t{4096}}}) {
    auto cfg = MustParse(std::string("[server]\nmax_body = ") + text + "\n" + kMinimal);
    ASSERT_NE(cfg, nullptr) << text;
    EXPECT_EQ(cfg->server.max_body, bytes) << text;
  }
}

TEST(ConfigTest, ChildrenInheritEveryUnsetOption) {
  auto cfg = MustParse(R"(
escalation = [{ name = "db-oncall", steps = [{ after = "0m", to = ["oncall@example.com"] }] }]
server = { ack_key_file = "ack.key" }
[[time_interval]]
name = "nights"
[[time_interval]]
name = "weekends"

[route]
receiver = "team"
group_by = ["cluster", "alertname", "cluster"]
group_wait = "1m"
send_resolved = false
mute_time_intervals = ["nights"]
escalation = "db-oncall"

[[route.routes]]
matchers = ['severity="critical"']
receiver = "oncall"
repeat_interval = "1h"
continue = true

  [[route.routes.routes]]
  matchers = ['team=~"db|storage"', 'env!="dev"']
  group_by = ["..."]
  active_time_intervals = ["weekends"]

[[route.routes]]
matchers = ['team="web"']
mute_time_intervals = []
send_resolved = true

[[receiver]]
name = "team"
to = ["team@example.com"]
[[receiver]]
name = "oncall"
to = ["oncall@example.com"]
)");
  ASSERT_NE(cfg, nullptr);
  const Route& root = cfg->route;
  EXPECT_EQ(root.group_by, (std::vector<std::string>{"alertname", "cluster"}));  // sorted, unique
  EXPECT_EQ(root.group_wait, minutes(1));
  EXPECT_EQ(root.group_interval, minutes(5));  // from [defaults]
  ASSERT_EQ(root.routes.size(), 2u);

  const Route& critical = root.routes[0];
  EXPECT_EQ(critical.key, "{}/{severity=\"critical\"}");
  EXPECT_EQ(critical.receiver, "oncall");
  EXPECT_EQ(critical.group_by, root.group_by);
  EXPECT_EQ(critical.group_wait, minutes(1));
  EXPECT_EQ(critical.repeat_interval, hours(1));
  EXPECT_FALSE(critical.send_resolved);
  EXPECT_TRUE(critical.continue_matching);
  EXPECT_EQ(critical.mute_time_intervals, std::vector<std::string>{"nights"});
  EXPECT_EQ(critical.escalation, "db-oncall");
  EXPECT_EQ(critical.where.line, 17);

  ASSERT_EQ(critical.routes.size(), 1u);
  const Route& db = critical.routes[0];
  EXPECT_EQ(db.key, "{}/{severity=\"critical\"}/{team=~\"db|storage\",env!=\"dev\"}");
  EXPECT_EQ(db.receiver, "oncall");
  EXPECT_TRUE(db.group_by_all);
  EXPECT_TRUE(db.group_by.empty());
  EXPECT_EQ(db.repeat_interval, hours(1));  // from its parent, not the root
  EXPECT_FALSE(db.continue_matching);       // continue is not inherited
  EXPECT_EQ(db.active_time_intervals, std::vector<std::string>{"weekends"});
  EXPECT_EQ(db.mute_time_intervals, std::vector<std::string>{"nights"});
  ASSERT_EQ(db.matchers.size(), 2u);
  EXPECT_EQ(db.matchers[1].ToString(), "env!=\"dev\"");

  const Route& web = root.routes[1];
  EXPECT_EQ(web.receiver, "team");
  EXPECT_TRUE(web.mute_time_intervals.empty());  // set to empty: overrides the parent
  EXPECT_TRUE(web.send_resolved);
  EXPECT_EQ(web.escalation, "db-oncall");
}

TEST(ConfigTest, InlineRoutesAndCatchAllChild) {
  auto cfg = MustParse(std::string(R"(
[route]
receiver = "team"
routes = [{ receiver = "team", group_by = ["..."] }]
)") + R"(
[[receiver]]
name = "team"
to = ["Team <team@example.com>"]
cc = ["a@example.com"]
bcc = ["b@example.com"]
attach = "json"
headers = { X-Team = "{{team}}", "Reply-To" = "ops@example.com" }
)");
  ASSERT_NE(cfg, nullptr);
  ASSERT_EQ(cfg->route.routes.size(), 1u);
  EXPECT_EQ(cfg->route.routes[0].key, "{}/{}");
  EXPECT_TRUE(cfg->route.routes[0].group_by_all);
  const Receiver* r = cfg->FindReceiver("team");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->to, std::vector<std::string>{"Team <team@example.com>"});
  EXPECT_EQ(r->attach, Receiver::Attach::kJson);
  EXPECT_EQ(r->headers.at("X-Team"), "{{team}}");
  EXPECT_EQ(r->headers.at("Reply-To"), "ops@example.com");
}

}  // namespace
}  // namespace alertdigest
