// Helpers shared by the libFuzzer targets of tests/fuzz (README.md there): quiet logs, inputs
// made of several sections, a private scratch directory, and invariant checks that abort (so
// libFuzzer saves the input) with a readable reason.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.h"
#include "core/time.h"

namespace alertdigest::fuzz {

// The fixed "now" of every target: 2026-05-01T12:00:00Z (runs are reproducible).
inline constexpr Timestamp kNow{std::chrono::seconds(1777636800)};

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Log lines are still formatted (hostile values go through the escaping), then dropped.
inline void QuietLogs() {
  log::SetLevel(log::Level::kDebug);
  log::SetSink([](std::string_view) {});
}

// Splits `data` at every occurrence of `separator` (seed files are readable text with a
// separator line between the parts: kSectionSeparator).
inline std::vector<std::string_view> Sections(std::string_view data, std::string_view separator) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t at; (at = data.find(separator, start)) != std::string_view::npos;) {
    out.push_back(data.substr(start, at - start));
    start = at + separator.size();
  }
  out.push_back(data.substr(start));
  return out;
}
inline constexpr std::string_view kSectionSeparator = "\n@@@@\n";

// A directory of this process under $TMPDIR. libFuzzer ends with _Exit, so nothing removes it:
// scripts/fuzz points TMPDIR at its run directory and removes that (set TMPDIR likewise when
// running a target by hand).
inline const std::filesystem::path& ScratchDir() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "alertdigest-fuzz-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    return std::filesystem::path(pattern);
  }();
  return dir;
}

// Aborts with `what` when an invariant does not hold: libFuzzer reports it as a crash.
#define FUZZ_CHECK(cond, what)                                                              \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n  %s\n", __FILE__, __LINE__, \
                   #cond, std::string(what).c_str());                                       \
      std::abort();                                                                         \
    }                                                                                       \
  } while (0)

}  // namespace alertdigest::fuzz
