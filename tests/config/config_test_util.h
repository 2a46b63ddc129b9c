// Helpers shared by the config tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"

namespace alertdigest::config_test {

inline std::vector<std::string> Messages(const std::vector<ConfigError>& list) {
  std::vector<std::string> out;
  for (const ConfigError& e : list) out.push_back(e.ToString());
  return out;
}

// The smallest valid config: a root route and its receiver.
inline constexpr char kMinimal[] = R"(
[route]
receiver = "team"

[[receiver]]
name = "team"
to = ["team@example.com"]
)";

// Parses `text` and expects no errors (printing them when there are).
inline std::shared_ptr<const Config> MustParse(const std::string& text,
                                               const std::string& path = "/etc/ad/config.toml") {
  ConfigLoad load = ParseConfig(text, path);
  EXPECT_TRUE(load.errors.empty()) << testing::PrintToString(Messages(load.errors));
  return load.config;
}

}  // namespace alertdigest::config_test
