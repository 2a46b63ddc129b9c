#include "config/path_resolver.h"

#include <filesystem>
#include <system_error>

namespace alertdigest::config_internal {

namespace fs = std::filesystem;

std::string DirectoryAsGiven(const std::string& config_path) {
  return fs::path(config_path).parent_path().string();
}

std::string AbsoluteBaseDir(const std::string& config_path) {
  std::error_code ec;  // absolute() only fails when the cwd is gone; fall back to as-given
  fs::path dir = fs::absolute(fs::path(config_path), ec).parent_path();
  if (ec) dir = fs::path(config_path).parent_path();
  std::string s = dir.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::string ResolvePath(const std::string& base_dir, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

}  // namespace alertdigest::config_internal
