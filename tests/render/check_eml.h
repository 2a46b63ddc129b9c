// CheckEml: the rendered .eml parsed by an independent parser, Python's email package
// (tests/render/check_eml.py), as path → JSON-encoded value ("headers.Subject" → "\"[x] y\"",
// "html_links[0]" → "\"http://…\"", "attachments[0].csv.rows" → "20001").
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace alertdigest::testing {

inline std::map<std::string, std::string> CheckEml(const std::string& eml) {
  namespace fs = std::filesystem;
  // One file per test and process: ctest runs test cases in parallel processes.
  static int counter = 0;
  const fs::path path =
      fs::path(::testing::TempDir()) /
      ("render_check_" + std::to_string(getpid()) + "_" +
       ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
       std::to_string(counter++) + ".eml");
  std::ofstream(path, std::ios::binary) << eml;
  const std::string cmd = "python3 " + std::string(AD_SOURCE_DIR) + "/tests/render/check_eml.py " +
                          path.string() + " --flat";
  std::map<std::string, std::string> out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  std::string all;
  char buf[65536];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) all.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << all.substr(0, 4000);
  size_t start = 0;
  for (size_t nl; (nl = all.find('\n', start)) != std::string::npos; start = nl + 1) {
    const std::string line = all.substr(start, nl - start);
    const size_t tab = line.find('\t');
    if (tab != std::string::npos) out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  fs::remove(path);
  return out;
}

// A JSON string value as check_eml.py --flat prints it, for comparing with EXPECT_EQ:
// Quoted("a\"b") == "\"a\\\"b\"". Handles only what our tests put in (ASCII, quotes,
// backslashes, CR, LF); UTF-8 stays as is (ensure_ascii=False).
inline std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace alertdigest::testing
