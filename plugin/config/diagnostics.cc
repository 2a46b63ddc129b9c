#include "config/diagnostics.h"

#include <algorithm>
#include <utility>

namespace alertdigest::config_internal {

void Diagnostics::AddFile(const std::string& file) { files_.push_back(file); }

void Diagnostics::Error(SourceLocation where, std::string key_path, std::string message) {
  errors_.push_back({std::move(where), std::move(key_path), std::move(message)});
}

void Diagnostics::Warning(SourceLocation where, std::string key_path, std::string message) {
  warnings_.push_back({std::move(where), std::move(key_path), std::move(message)});
}

void Diagnostics::SortInFileOrder(std::vector<ConfigError>& list) const {
  auto rank = [&](const std::string& file) {
    auto it = std::find(files_.begin(), files_.end(), file);
    return static_cast<size_t>(it - files_.begin());
  };
  // Stable: several messages on one line keep the order in which the checks found them.
  std::stable_sort(list.begin(), list.end(), [&](const ConfigError& a, const ConfigError& b) {
    size_t ra = rank(a.where.file), rb = rank(b.where.file);
    if (ra != rb) return ra < rb;
    return a.where.line < b.where.line;
  });
}

void Diagnostics::MoveTo(ConfigLoad& load) {
  SortInFileOrder(errors_);
  SortInFileOrder(warnings_);
  load.errors = std::move(errors_);
  load.warnings = std::move(warnings_);
  errors_.clear();
  warnings_.clear();
}

}  // namespace alertdigest::config_internal
