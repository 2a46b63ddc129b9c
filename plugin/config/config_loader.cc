#include "config/config_loader.h"

#include <fmt/format.h>
#include <glob.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/path_resolver.h"
#include "config/settings_parser.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {
namespace {

// Sections only the main file may hold; a rule file adds routes, receivers and the like.
constexpr std::string_view kMainOnly[] = {"rules",    "server", "storage",
                                          "delivery", "smtp",   "defaults", "nagios"};

}  // namespace

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("cannot read: {}", std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError(fmt::format("cannot read: {}", std::strerror(errno)));
  return ss.str();
}

ConfigLoader::ConfigLoader(const std::string& path)
    : cfg_(std::make_shared<Config>()), receivers_(AbsoluteBaseDir(path)) {
  cfg_->path = path;
  cfg_->base_dir = AbsoluteBaseDir(path);
  cfg_->templates_dir = cfg_->base_dir + "/templates";
  diag_.AddFile(path);
}

ConfigLoad ConfigLoader::Fail(const std::string& why) {
  diag_.Error({cfg_->path, 0}, "", why);
  ConfigLoad load;
  diag_.MoveTo(load);
  return load;
}

bool ConfigLoader::ParseToml(std::string_view text, const std::string& file, toml::table& out) {
  try {
    out = toml::parse(text, file);
    return true;
  } catch (const toml::parse_error& e) {
    diag_.Error({file, static_cast<int>(e.source().begin.line)}, "",
                fmt::format("syntax error: {}", e.description()));
    return false;
  }
}

ConfigLoad ConfigLoader::Load(std::string_view text) {
  ConfigLoad load;
  toml::table table;
  if (ParseToml(text, cfg_->path, table)) {
    TomlReader root(table, "", cfg_->path, diag_);
    cfg_->rule_files = ExpandRules(root);
    SettingsParser(root, cfg_->base_dir).Parse(*cfg_);
    routes_.ParseMain(root);
    receivers_.Parse(root, cfg_->receivers);
    intervals_.Parse(root, cfg_->time_intervals);
    inhibit_rules_.Parse(root, cfg_->inhibit_rules);
    ParseScheduleSections(root);
    root.ReportUnknownKeys();
    for (const std::string& file : cfg_->rule_files) LoadRuleFile(file);

    DefinedNames names;
    for (const Receiver& r : cfg_->receivers) names.receivers.insert(r.name);
    intervals_.AddNames(names);
    digests_.AddNames(names);
    escalations_.AddNames(names);
    rotations_.AddNames(names);
    cfg_->route = routes_.Build(cfg_->defaults, names);
    digests_.CheckReferences(names, routes_.routed_digests());
    escalations_.CheckReferences(names);
    CheckAckKey();
  }
  bool ok = !diag_.has_errors();
  diag_.MoveTo(load);
  if (ok) load.config = std::move(cfg_);
  return load;
}

std::vector<std::string> ConfigLoader::ExpandRules(TomlReader& root) {
  std::vector<std::string> files;
  auto patterns = root.StringList("rules");
  if (!patterns) return files;
  std::string dir = DirectoryAsGiven(cfg_->path);
  for (const ListItem& p : *patterns) {
    std::string pattern = (p.value.starts_with('/') || dir.empty()) ? p.value : dir + "/" + p.value;
    glob_t g{};
    int rc = glob(pattern.c_str(), 0, nullptr, &g);
    if (rc == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) files.emplace_back(g.gl_pathv[i]);
    } else if (rc != GLOB_NOMATCH) {
      root.diag().Error(p.where, p.key_path, fmt::format("cannot expand \"{}\"", p.value));
    }
    globfree(&g);
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

void ConfigLoader::LoadRuleFile(const std::string& file) {
  diag_.AddFile(file);
  Result<std::string> text = ReadFile(file);
  if (!text.ok()) {
    diag_.Error({file, 0}, "", text.status().message());
    return;
  }
  toml::table table;
  if (!ParseToml(text.value(), file, table)) return;
  TomlReader root(table, "", file, diag_);
  for (std::string_view key : kMainOnly) {
    if (root.Node(key)) root.Error(key, "only allowed in the main config file");
  }
  routes_.ParseRuleFile(root);
  receivers_.Parse(root, cfg_->receivers);
  intervals_.Parse(root, cfg_->time_intervals);
  inhibit_rules_.Parse(root, cfg_->inhibit_rules);
  ParseScheduleSections(root);
  root.ReportUnknownKeys();
}

void ConfigLoader::ParseScheduleSections(TomlReader& file_root) {
  digests_.Parse(file_root, cfg_->digests);
  escalations_.Parse(file_root, cfg_->escalations);
  rotations_.Parse(file_root, cfg_->rotations);
}

void ConfigLoader::CheckAckKey() {
  // Escalation mails carry signed acknowledgement links; without the key there are none.
  const std::optional<ListItem>& route = routes_.first_escalation();
  if (route && cfg_->server.ack_key_file.empty()) {
    diag_.Error(route->where, "server.ack_key_file",
                "required when a route has an escalation (it signs the acknowledgement links)");
  }
}

}  // namespace alertdigest::config_internal
