// `alertdigest check`: the exact messages users see for common mistakes, and OK for the example.
#include <gtest/gtest.h>

#include <fstream>

#include "integration/workspace.h"

namespace alertdigest::testing {
namespace {

TEST(CheckCommandTest, ShippedExampleIsValid) {
  Workspace ws;
  ProcessResult r = RunToEnd({AD_BINARY, "check", "-c", "config.toml.example"}, "", ws.dir());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("config.toml.example: OK (")) << r.out;
}

TEST(CheckCommandTest, EveryProblemIsListedWithFileAndLine) {
  Workspace ws;
  std::ofstream(ws.Path("broken.toml")) << R"([defaults]
group_wait = "5 minutes"

[route]
receiver = "team"
group_wiat = "30s"

[[receiver]]
name = "team"
to = ["team@example.com"]
html = "templates/missing.mustache"
)";
  ProcessResult r = RunToEnd({AD_BINARY, "check", "-c", "broken.toml"}, "", ws.dir());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("broken.toml:2: defaults.group_wait: bad duration \"5 minutes\""),
            std::string::npos) << r.err;
  EXPECT_NE(r.err.find("broken.toml:6: route.group_wiat: unknown key (did you mean \"group_wait\"?)"),
            std::string::npos) << r.err;
  EXPECT_NE(r.err.find("broken.toml:11: receiver[0].html: template file not found"),
            std::string::npos) << r.err;
}

TEST(CheckCommandTest, BrokenTemplateIsNamedByFileAndLine) {
  Workspace ws;
  std::ofstream(ws.Path("templates/broken.mustache")) << "Hello\n{{#firing}}\n{{alertname}}\n";
  std::ofstream(ws.Path("t.toml")) << R"([route]
receiver = "team"

[[receiver]]
name = "team"
to = ["team@example.com"]
text = "templates/broken.mustache"
)";
  ProcessResult r = RunToEnd({AD_BINARY, "check", "-c", "t.toml"}, "", ws.dir());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("templates/broken.mustache:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("receiver[0].text: "), std::string::npos) << r.err;
}

}  // namespace
}  // namespace alertdigest::testing
