// The [nagios] section: defaults, values, and the exact message of each mistake.
#include <gtest/gtest.h>

#include "config/config.h"

namespace alertdigest {
namespace {

constexpr std::string_view kBase =
    "[route]\nreceiver = \"ops\"\n[[receiver]]\nname = \"ops\"\nto = [\"ops@example.com\"]\n";

ConfigLoad Parse(const std::string& nagios) {
  return ParseConfig(std::string(kBase) + nagios, "/etc/alertdigest/config.toml");
}

std::string Errors(const ConfigLoad& load) {
  std::string s;
  for (const ConfigError& e : load.errors) s += e.ToString() + "\n";
  return s;
}

TEST(NagiosConfigTest, Defaults) {
  ConfigLoad load = Parse("");
  ASSERT_TRUE(load.config) << Errors(load);
  EXPECT_EQ(load.config->nagios.host_alertname, "");
  EXPECT_TRUE(load.config->nagios.extra_labels.empty());
  EXPECT_EQ(load.config->nagios.resolve, NagiosConfig::Resolve::kRecovery);
}

TEST(NagiosConfigTest, Values) {
  ConfigLoad load = Parse(
      "[nagios]\nhost_alertname = \"HostProblem\"\n"
      "extra_labels = [\"HOSTGROUPNAMES\", \"NAGIOS__SERVICETEAM\", \"HOSTGROUPNAMES\"]\n"
      "resolve = \"timeout\"\n");
  ASSERT_TRUE(load.config) << Errors(load);
  EXPECT_EQ(load.config->nagios.host_alertname, "HostProblem");
  EXPECT_EQ(load.config->nagios.extra_labels,
            (std::vector<std::string>{"HOSTGROUPNAMES", "_SERVICETEAM"}));
  EXPECT_EQ(load.config->nagios.resolve, NagiosConfig::Resolve::kTimeout);
}

TEST(NagiosConfigTest, ExactMessages) {
  struct Case {
    std::string toml;
    std::string error;
  } cases[] = {
      {"[nagios]\nhost_alertname = \"\"\n",
       "/etc/alertdigest/config.toml:7: nagios.host_alertname: must not be empty (leave it out "
       "for \"HostDown\" / \"HostUnreachable\" by state)\n"},
      {"[nagios]\nextra_labels = [\"hostgroupnames\"]\n",
       "/etc/alertdigest/config.toml:7: nagios.extra_labels[0]: \"hostgroupnames\" is not a "
       "Nagios macro name (want upper case, e.g. \"HOSTGROUPNAMES\" or \"_SERVICETEAM\")\n"},
      {"[nagios]\nextra_labels = [\"HOST\"]\n",
       "/etc/alertdigest/config.toml:7: nagios.extra_labels[0]: \"HOST\" would replace the "
       "label \"host\" the mapping sets itself\n"},
  };
  for (const Case& c : cases) {
    ConfigLoad load = Parse(c.toml);
    EXPECT_EQ(Errors(load), c.error) << c.toml;
  }
  ConfigLoad bad = Parse("[nagios]\nresolve = \"never\"\n");
  EXPECT_NE(Errors(bad).find("nagios.resolve"), std::string::npos) << Errors(bad);
  ConfigLoad unknown = Parse("[nagios]\nhost_alertnam = \"X\"\n");
  EXPECT_NE(Errors(unknown).find("host_alertname"), std::string::npos) << Errors(unknown);
}

}  // namespace
}  // namespace alertdigest
