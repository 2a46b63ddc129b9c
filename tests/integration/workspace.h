// Workspace: a temporary directory holding a copy of the shipped example (config, rules,
// templates, examples), so integration tests run exactly what a user runs, on their own state.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "integration/child_process.h"

namespace alertdigest::testing {

namespace fs = std::filesystem;

class Workspace {
 public:
  Workspace() {
    char tmpl[] = "/tmp/ad-it-XXXXXX";
    dir_ = mkdtemp(tmpl);
    for (const char* item : {"config.toml.example", "rules", "templates", "examples"}) {
      fs::copy(fs::path(AD_SOURCE_DIR) / item, fs::path(dir_) / item,
               fs::copy_options::recursive);
    }
  }
  ~Workspace() { fs::remove_all(dir_); }
  const std::string& dir() const { return dir_; }
  std::string Path(const std::string& rel) const { return dir_ + "/" + rel; }

  ProcessResult Run(const std::string& input, std::vector<std::string> env = {},
                    std::vector<std::string> extra_args = {}) const {
    std::vector<std::string> argv = {AD_BINARY, "run", "-c", "config.toml.example"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    return RunToEnd(argv, input.empty() ? "" : Path(input), dir_, std::move(env));
  }

  // The .eml files in outbox/, sorted by name.
  std::vector<std::string> Emails() const {
    std::vector<std::string> out;
    if (!fs::exists(Path("outbox"))) return out;
    for (const auto& e : fs::directory_iterator(Path("outbox"))) {
      if (e.path().extension() == ".eml") out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::string dir_;
};

// The value of a header in a raw message (first occurrence, unfolded), or "".
inline std::string Header(const std::string& eml, const std::string& name) {
  std::regex re("(^|\r\n)" + name + ": ([^\r\n]*(\r\n[ \t][^\r\n]*)*)", std::regex::icase);
  std::smatch m;
  if (!std::regex_search(eml, m, re)) return "";
  return std::regex_replace(m[2].str(), std::regex("\r\n[ \t]"), " ");
}

}  // namespace alertdigest::testing
