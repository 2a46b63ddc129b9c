// PathResolver: anchors relative paths in the config at the config file's directory.
// Internal to plugin/config. Pure functions of their arguments; thread-safe.
#pragma once

#include <string>

namespace alertdigest::config_internal {

// The directory of `config_path` as given: "" for "config.toml", "/etc/ad" for "/etc/ad/x.toml".
std::string DirectoryAsGiven(const std::string& config_path);
// The absolute, normalised directory of `config_path` (Config::base_dir), without a trailing '/'.
std::string AbsoluteBaseDir(const std::string& config_path);
// `path` unchanged when empty or absolute, otherwise base_dir + "/" + path, normalised.
std::string ResolvePath(const std::string& base_dir, const std::string& path);

}  // namespace alertdigest::config_internal
