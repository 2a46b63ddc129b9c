// `alertdigest check`: everything a run would load, validated, with file:line messages.
#include <fmt/format.h>

#include <iostream>

#include "app/commands.h"
#include "render/email_renderer.h"

namespace alertdigest {
namespace {

size_t CountRoutes(const Route& r) {
  size_t n = 1;
  for (const Route& c : r.routes) n += CountRoutes(c);
  return n;
}

}  // namespace

int CheckCommand(const std::string& config_path, std::ostream& out) {
  ConfigLoad load = LoadConfig(config_path);
  for (const ConfigError& w : load.warnings) std::cerr << "warning: " << w.ToString() << '\n';
  std::vector<ConfigError> errors = load.errors;
  if (load.config) EmailRenderer::Create(*load.config, &errors);
  if (!errors.empty()) {
    for (const ConfigError& e : errors) std::cerr << e.ToString() << '\n';
    std::cerr << fmt::format("{}: {} error{}\n", config_path, errors.size(),
                             errors.size() == 1 ? "" : "s");
    return 1;
  }
  const Config& c = *load.config;
  out << fmt::format("{}: OK ({} rule file{}, {} routes, {} receivers, templates compiled)\n",
                     config_path, c.rule_files.size(), c.rule_files.size() == 1 ? "" : "s",
                     CountRoutes(c.route), c.receivers.size());
  return 0;
}

}  // namespace alertdigest
