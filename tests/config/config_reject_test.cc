// Config rejections: every problem is reported with its exact message, naming file:line and
// the key path; all of them are collected, in file order; nothing throws; no secret leaks.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_test_util.h"

namespace alertdigest {
namespace {

using config_test::Messages;

namespace fs = std::filesystem;

constexpr const char* kRouteAndReceiver = config_test::kMinimal;
constexpr char kReceiver[] = R"(
[[receiver]]
name = "team"
to = ["team@example.com"]
)";

struct RejectCase {
  const char* why;
  std::string toml;
  std::string error;  // the one expected error, exactly
};

class RejectTest : public testing::TestWithParam<RejectCase> {};

TEST_P(RejectTest, ReportsExactlyThisError) {
  const RejectCase& c = GetParam();
  ConfigLoad load = ParseConfig(c.toml, "config.toml");
  EXPECT_EQ(load.config, nullptr) << c.why;
  EXPECT_EQ(Messages(load.errors), std::vector<std::string>{c.error}) << c.why;
}

std::string R(const char* own) { return std::string(own) + kRouteAndReceiver; }
std::string Rcv(const char* own) { return std::string(own) + kReceiver; }

INSTANTIATE_TEST_SUITE_P(
    Config, RejectTest,
    testing::Values(
        // --- unknown keys
        RejectCase{"a typo in a route key is suggested",
                   Rcv("\n\n\n\n[route]\nreceiver = \"team\"\ngroup_wiat = \"30s\"\n"),
                   "config.toml:7: route.group_wiat: unknown key (did you mean \"group_wait\"?)"},
        RejectCase{"no suggestion when nothing is close",
                   Rcv("[route]\nreceiver = \"team\"\ncolour = \"red\"\n"),
                   "config.toml:3: route.colour: unknown key"},
        RejectCase{"unknown top-level tables are unknown keys too", R("[servre]\nlisten = \"x\"\n"),
                   "config.toml:1: servre: unknown key (did you mean \"server\"?)"},
        RejectCase{"a password key is never accepted, wherever it is",
                   R("[smtp]\nusername = \"u\"\npassword = \"hunter2\"\n"),
                   "config.toml:3: smtp.password: passwords are never read from the config file; "
                   "use password_file or password_env"},
        RejectCase{"password_env names a variable, and a password there is never repeated",
                   R("[smtp]\npassword_env = \"abcd efgh ijkl mnop\"\n"),
                   "config.toml:2: smtp.password_env: must name an environment variable "
                   "(letters, digits and _, not starting with a digit); the value is not shown, "
                   "in case it is the password itself"},
        // --- types
        RejectCase{"durations are strings", R("[defaults]\n\ngroup_wait = 30\n"),
                   "config.toml:3: defaults.group_wait: expected a duration string like \"30s\", "
                   "got integer"},
        RejectCase{"a duration with a unit ParseDuration does not know",
                   R("[defaults]\n\ngroup_wait = \"5 minutes\"\n"),
                   "config.toml:3: defaults.group_wait: bad duration \"5 minutes\": unknown unit "
                   "(want e.g. \"30s\", \"5m\", \"1h30m\")"},
        RejectCase{"receiver must be a string", Rcv("[route]\nreceiver = 5\n"),
                   "config.toml:2: route.receiver: expected a string, got integer"},
        RejectCase{"group_by is a list",
                   Rcv("[route]\nreceiver = \"team\"\ngroup_by = \"alertname\"\n"),
                   "config.toml:3: route.group_by: expected a list of strings, got string"},
        RejectCase{"list elements must be strings",
                   Rcv("[route]\nreceiver = \"team\"\ngroup_by = [\"a\",\n 7]\n"),
                   "config.toml:4: route.group_by[1]: expected a string, got integer"},
        RejectCase{"send_resolved is a boolean", R("[defaults]\nsend_resolved = \"yes\"\n"),
                   "config.toml:2: defaults.send_resolved: expected a boolean, got string"},
        RejectCase{"port is an integer", R("[smtp]\nport = \"587\"\n"),
                   "config.toml:2: smtp.port: expected an integer, got string"},
        RejectCase{"a section must be a table", R("server = 5\n"),
                   "config.toml:1: server: expected a table, got integer"},
        // --- settings
        RejectCase{"zero group_interval would spin", R("[defaults]\ngroup_interval = \"0s\"\n"),
                   "config.toml:2: defaults.group_interval: must be greater than 0"},
        RejectCase{
            "retry keys have nested paths", R("[delivery]\nretry = { initial = \"soon\" }\n"),
            "config.toml:2: delivery.retry.initial: bad duration \"soon\": expected a number "
            "(want e.g. \"30s\", \"5m\", \"1h30m\")"},
        RejectCase{"retry.max below retry.initial",
                   R("[delivery]\nretry = { initial = \"1m\", max = \"10s\" }\n"),
                   "config.toml:2: delivery.retry.max: must be at least initial (1m)"},
        RejectCase{
            "smtp needs its section", R("[delivery]\ntransport = \"smtp\"\n"),
            "config.toml:2: delivery.transport: transport = \"smtp\" needs an [smtp] section"},
        RejectCase{
            "smtp needs a sender",
            R("[delivery]\ntransport = \"smtp\"\n[smtp]\nhost = \"localhost\"\n"),
            "config.toml:3: smtp.from: required with transport = \"smtp\" (the sender address)"},
        RejectCase{"a login needs a secret from outside the file",
                   R("[delivery]\ntransport = \"smtp\"\n[smtp]\nusername = \"a@b.example\"\n"),
                   "config.toml:4: smtp.username: a login needs password_file or password_env"},
        RejectCase{"transport is an enum", R("[delivery]\ntransport = \"pigeon\"\n"),
                   "config.toml:2: delivery.transport: expected one of \"file\", \"smtp\", got "
                   "\"pigeon\""},
        RejectCase{"security is an enum", R("[smtp]\nsecurity = \"ssl\"\n"),
                   "config.toml:2: smtp.security: expected one of \"starttls\", \"tls\", \"none\", "
                   "got \"ssl\""},
        RejectCase{"auth is an enum", R("[smtp]\nauth = \"cram-md5\"\n"),
                   "config.toml:2: smtp.auth: expected one of \"auto\", \"plain\", \"login\", "
                   "\"xoauth2\", got \"cram-md5\""},
        RejectCase{"xoauth2 needs a token", R("[smtp]\nauth = \"xoauth2\"\n"),
                   "config.toml:1: smtp.token_file: required when auth = \"xoauth2\""},
        RejectCase{"port range", R("[smtp]\nport = 70000\n"),
                   "config.toml:2: smtp.port: must be between 1 and 65535, got 70000"},
        RejectCase{"negative budget", R("[smtp]\ndaily_budget = -1\n"),
                   "config.toml:2: smtp.daily_budget: must not be negative, got -1"},
        RejectCase{"recipients per message range", R("[smtp]\nmax_recipients_per_message = 0\n"),
                   "config.toml:2: smtp.max_recipients_per_message: must be between 1 and 1000, "
                   "got 0"},
        RejectCase{"from must be an address", R("[smtp]\nfrom = \"alerts\"\n"),
                   "config.toml:2: smtp.from: bad address \"alerts\": expected \"a@example.com\" "
                   "or \"Name <a@example.com>\""},
        RejectCase{"max_body needs a known unit", R("[server]\nmax_body = \"1 megabyte\"\n"),
                   "config.toml:2: server.max_body: bad size \"1 megabyte\" (want e.g. \"1MiB\", "
                   "\"512KiB\", \"10MB\" or a number of bytes)"},
        RejectCase{"alert count limit must be positive",
                   R("[server]\nmax_alerts_per_request = 0\n"),
                   "config.toml:2: server.max_alerts_per_request: must be between 1 and "
                   "2147483647, got 0"},
        RejectCase{"label count limit must be positive", R("[server]\nmax_labels_per_alert = -5\n"),
                   "config.toml:2: server.max_labels_per_alert: must be between 1 and 2147483647, "
                   "got -5"},
        RejectCase{"label name limit must fit an int",
                   R("[server]\nmax_label_name_length = 3000000000\n"),
                   "config.toml:2: server.max_label_name_length: must be between 1 and "
                   "2147483647, got 3000000000"},
        RejectCase{"label value limit is an integer",
                   R("[server]\nmax_label_value_length = \"64KiB\"\n"),
                   "config.toml:2: server.max_label_value_length: expected an integer, got string"},
        RejectCase{"io_threads is 0 (per CPU) up to 64", R("[server]\nio_threads = 65\n"),
                   "config.toml:2: server.io_threads: must be between 0 (one per CPU) and 64, "
                   "got 65"},
        RejectCase{"tls needs cert and key", R("[server]\ntls_cert = \"c.pem\"\n"),
                   "config.toml:1: server.tls_key: tls_cert and tls_key must be set together"},
        // --- routes
        RejectCase{"bad matcher operator, pointing at the element",
                   R("\n\n\n\n\n\n\n\n\n\n\n[[route.routes]]\nmatchers = [\n  'alertname=\"X\"', "
                     "\n  'severity~\"x\"',\n]\n"),
                   "config.toml:15: route.routes[0].matchers[1]: bad matcher 'severity~\"x\"': "
                   "expected one of = != =~ !~ after \"severity\""},
        RejectCase{"the root route matches everything",
                   Rcv("[route]\nreceiver = \"team\"\nmatchers = ['a=\"b\"']\n"),
                   "config.toml:3: route.matchers: the root route must not have matchers"},
        RejectCase{"the root route needs a receiver", Rcv("[route]\ngroup_by = [\"a\"]\n"),
                   "config.toml:1: route.receiver: the root route must have a receiver"},
        RejectCase{"a config without [route] routes nothing", Rcv(""),
                   "config.toml:1: route: missing: the root route ([route] with a receiver) is "
                   "required"},
        RejectCase{"undefined receiver lists the defined ones",
                   "[route]\nreceiver = \"team\"\n[[route.routes]]\nreceiver = \"oncal\"\n"
                   "[[receiver]]\nname = \"team\"\nto = [\"t@example.com\"]\n"
                   "[[receiver]]\nname = \"oncall\"\nto = [\"o@example.com\"]\n",
                   "config.toml:4: route.routes[0].receiver: undefined receiver \"oncal\" "
                   "(defined: oncall, team)"},
        RejectCase{"\"...\" cannot be mixed with names",
                   Rcv("[route]\nreceiver = \"team\"\ngroup_by = [\"...\", \"cluster\"]\n"),
                   "config.toml:3: route.group_by: \"...\" (one group per alert) must be the only "
                   "entry"},
        RejectCase{"group_by names are label names",
                   Rcv("[route]\nreceiver = \"team\"\ngroup_by = [\"bad-name\"]\n"),
                   "config.toml:3: route.group_by[0]: bad label name \"bad-name\""},
        RejectCase{"route repeat_interval must be positive",
                   Rcv("[route]\nreceiver = \"team\"\nrepeat_interval = \"0\"\n"),
                   "config.toml:3: route.repeat_interval: must be greater than 0"},
        RejectCase{"time interval names must be defined",
                   R("[[route.routes]]\nmute_time_intervals = [\"nights\"]\n"),
                   "config.toml:2: route.routes[0].mute_time_intervals[0]: undefined time interval "
                   "\"nights\" (defined: none)"},
        RejectCase{"the root is always active",
                   Rcv("[[time_interval]]\nname = \"nights\"\n[route]\nreceiver = \"team\"\n"
                       "active_time_intervals = [\"nights\"]\n"),
                   "config.toml:5: route.active_time_intervals: not allowed on the root route (it "
                   "must always be active)"},
        RejectCase{"escalation names must be defined",
                   R("[[route.routes]]\nescalation = \"db-oncall\"\n"),
                   "config.toml:2: route.routes[0].escalation: undefined escalation \"db-oncall\" "
                   "(defined: none)"},
        // --- receivers
        RejectCase{"receiver names are unique",
                   "[route]\nreceiver = \"team\"\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
                   "[[receiver]]\nname = \"team\"\nto = [\"a@example.com\"]\n"
                   "[[receiver]]\nname = \"team\"\nto = [\"b@example.com\"]\n",
                   "config.toml:23: receiver[1].name: duplicate receiver \"team\" (first defined "
                   "at config.toml:20)"},
        RejectCase{"a receiver needs a name", R("[[receiver]]\nto = [\"x@example.com\"]\n"),
                   "config.toml:1: receiver[0].name: missing (every receiver needs a name)"},
        RejectCase{"a receiver needs a recipient",
                   "[route]\nreceiver = \"x\"\n[[receiver]]\nname = \"x\"\ncc = []\n",
                   "config.toml:3: receiver[0]: no recipients (set at least one address in to, cc "
                   "or bcc)"},
        RejectCase{"addresses have a shape",
                   "[route]\nreceiver = \"x\"\n[[receiver]]\nname = \"x\"\n"
                   "to = [\"ok@example.com\", \"Bob <bob@>\"]\n",
                   "config.toml:5: receiver[0].to[1]: bad address \"Bob <bob@>\": expected "
                   "\"a@example.com\" or \"Name <a@example.com>\""},
        RejectCase{"CR/LF in an address would inject headers",
                   "[route]\nreceiver = \"x\"\n[[receiver]]\nname = \"x\"\n"
                   "bcc = [\"a@example.com\\r\\nBcc: evil@example.com\"]\n",
                   "config.toml:5: receiver[0].bcc[0]: bad address: must not contain CR or LF"},
        RejectCase{
            "attach is an enum",
            "[route]\nreceiver = \"x\"\n[[receiver]]\nname = \"x\"\nto = [\"a@example.com\"]\n"
            "attach = \"xml\"\n",
            "config.toml:6: receiver[0].attach: expected one of \"none\", \"csv\", \"json\", "
            "got \"xml\""},
        RejectCase{
            "headers alertdigest writes cannot be overridden",
            "[route]\nreceiver = \"x\"\n[[receiver]]\nname = \"x\"\nto = [\"a@example.com\"]\n"
            "headers = { \"Content-Type\" = \"text/plain\" }\n",
            "config.toml:6: receiver[0].headers.Content-Type: header \"Content-Type\" is "
            "written by alertdigest and cannot be set here"},
        RejectCase{
            "header names are RFC 5322 field names",
            "[route]\nreceiver = \"x\"\n[[receiver]]\nname = \"x\"\nto = [\"a@example.com\"]\n"
            "headers = { \"X Team\" = \"web\" }\n",
            "config.toml:6: receiver[0].headers.\"X Team\": bad header name \"X Team\": want "
            "printable ASCII without spaces or ':'"},
        RejectCase{
            "header values cannot inject headers",
            "[route]\nreceiver = \"x\"\n[[receiver]]\nname = \"x\"\nto = [\"a@example.com\"]\n"
            "headers = { X-Team = \"web\\nBcc: evil@example.com\" }\n",
            "config.toml:6: receiver[0].headers.X-Team: header value must not contain CR or "
            "LF"},
        RejectCase{
            "templates must exist",
            "[route]\nreceiver = \"x\"\n[[receiver]]\nname = \"x\"\nto = [\"a@example.com\"]\n"
            "html = \"templates/missing.html\"\n",
            "config.toml:6: receiver[0].html: template file not found: " +
                (fs::current_path() / "templates/missing.html").string()},
        // --- named sections (more in mute_sections_test.cc, schedule_sections_test.cc)
        RejectCase{"sections are arrays of tables", R("digest = \"daily\"\n"),
                   "config.toml:1: digest: expected an array of tables ([[digest]]), got string"},
        RejectCase{"sections need names", R("[[time_interval]]\ntimezone = \"UTC\"\n"),
                   "config.toml:1: time_interval[0].name: missing (each [[time_interval]] needs a "
                   "name)"}));

TEST(ConfigErrorTest, SyntaxErrorNamesFileAndLine) {
  ConfigLoad load = ParseConfig("[route]\nreceiver = \"team\"\n\n\nx = = 1\n", "bad.toml");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].ToString(),
            "bad.toml:5: syntax error: Error while parsing value: could not determine value type");
}

TEST(ConfigErrorTest, ToStringWithoutKeyPathOrLine) {
  EXPECT_EQ((ConfigError{{"a.toml", 3}, "", "boom"}).ToString(), "a.toml:3: boom");
  EXPECT_EQ((ConfigError{{"a.toml", 0}, "", "cannot read"}).ToString(), "a.toml: cannot read");
  EXPECT_EQ((ConfigError{{"a.toml", 2}, "x.y", "bad"}).ToString(), "a.toml:2: x.y: bad");
}

TEST(ConfigErrorTest, CollectsAllErrorsInFileOrder) {
  ConfigLoad load = ParseConfig(R"([defaults]
group_wait = 1
[route]
receiver = "nobody"
[[route.routes]]
matchers = ["=x"]
[[receiver]]
name = "team"
)",
                                "config.toml");
  EXPECT_EQ(Messages(load.errors),
            (std::vector<std::string>{
                "config.toml:2: defaults.group_wait: expected a duration string like \"30s\", got "
                "integer",
                "config.toml:4: route.receiver: undefined receiver \"nobody\" (defined: team)",
                "config.toml:6: route.routes[0].matchers[0]: bad matcher '=x': expected a label "
                "name first",
                "config.toml:7: receiver[0]: no recipients (set at least one address in to, cc or "
                "bcc)",
            }));
}

TEST(ConfigErrorTest, SecretsNeverAppearInMessages) {
  ConfigLoad load = ParseConfig(
      "[smtp]\npassword = \"hunter2\"\n[[receiver]]\nname = \"x\"\npassword = \"hunter3\"\n",
      "config.toml");
  for (const ConfigError& e : load.errors) {
    EXPECT_EQ(e.ToString().find("hunter"), std::string::npos) << e.ToString();
  }
  EXPECT_GE(load.errors.size(), 2u);
}

TEST(ConfigErrorTest, GarbageNeverThrows) {
  const std::string garbage("\x00\xff[[[\"\x01=\n", 9);
  ConfigLoad load;
  EXPECT_NO_THROW(load = ParseConfig(garbage, "g.toml"));
  EXPECT_EQ(load.config, nullptr);
  EXPECT_FALSE(load.errors.empty());
}

TEST(ConfigErrorTest, MissingMainFile) {
  ConfigLoad load = LoadConfig("/nonexistent-dir/config.toml");
  EXPECT_EQ(Messages(load.errors), std::vector<std::string>{"/nonexistent-dir/config.toml: "
                                                            "cannot read: No such file or "
                                                            "directory"});
}
}  // namespace
}  // namespace alertdigest
