// StoreFileTest: a fixture that gives each test a fresh directory holding the SQLite file
// `path_`, removed afterwards, and the sqlite3 command-line shell to prepare or inspect files
// the way another build or an operator would.
#pragma once

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "store/store.h"

namespace alertdigest {

inline const Timestamp kT0 = FromUnixMillis(1'800'000'000'000);

class StoreFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ad-store-XXXXXX";
    dir_ = mkdtemp(tmpl);
    path_ = dir_ + "/state.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> Open() {
    auto s = OpenSqliteStore(path_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s.value()) : nullptr;
  }

  // Runs `sql` on the file with the sqlite3 shell; its output is dropped.
  void RunSqlite(const std::string& sql) {
    const std::string script = dir_ + "/script.sql";
    std::ofstream(script) << sql;
    ASSERT_EQ(std::system(("sqlite3 " + path_ + " < " + script + " > /dev/null").c_str()), 0)
        << sql;
  }

  // The shell's output for `sql`, without the trailing newline.
  std::string QuerySqlite(const std::string& sql) {
    std::unique_ptr<FILE, int (*)(FILE*)> p(
        popen(("sqlite3 " + path_ + " '" + sql + "'").c_str(), "r"), pclose);
    std::string out;
    std::array<char, 256> buf;
    while (p && fgets(buf.data(), buf.size(), p.get())) out += buf.data();
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

  // The whole file, to show a refused open changed nothing.
  std::string FileBytes() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::string dir_, path_;
};

}  // namespace alertdigest
