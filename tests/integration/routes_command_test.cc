// `alertdigest routes show|test` on the shipped example: what an operator sees.
#include <gtest/gtest.h>

#include "integration/workspace.h"

namespace alertdigest::testing {
namespace {

TEST(RoutesCommandTest, ShowPrintsTheTreeWithWhereEachRouteIsDefined) {
  Workspace ws;
  ProcessResult r = RunToEnd({AD_BINARY, "routes", "show", "-c", "config.toml.example"}, "", ws.dir());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("{} receiver=team group_by=[alertname, cluster]")) << r.out;
  EXPECT_NE(r.out.find("├─ {severity=\"critical\"} receiver=oncall"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(rules/10-teams.toml:"), std::string::npos) << r.out;
}

TEST(RoutesCommandTest, TestShowsRouteReceiverGroupAndTimers) {
  Workspace ws;
  ProcessResult r = RunToEnd({AD_BINARY, "routes", "test", "-c", "config.toml.example",
                              "alertname=ReplicationLag", "severity=warning", "team=db",
                              "cluster=us-1", "instance=db-2:9187"},
                             "", ws.dir());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("→ route {}/{team=~\"db|storage\"}"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("receiver  db-team (Database Team <db-team@example.com>)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(R"(group     {}/{team=~"db|storage"}:{alertname="ReplicationLag", cluster="us-1", instance="db-2:9187"})"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("timers    group_wait=30s group_interval=5m repeat_interval=4h"),
            std::string::npos) << r.out;
}

TEST(RoutesCommandTest, BadLabelArgumentIsExplained) {
  Workspace ws;
  ProcessResult r = RunToEnd({AD_BINARY, "routes", "test", "-c", "config.toml.example", "a-b=c"},
                             "", ws.dir());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("\"a-b=c\" is not label=value"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace alertdigest::testing
