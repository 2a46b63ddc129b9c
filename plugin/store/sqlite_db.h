// Thin RAII wrappers over the sqlite3 C API, private to the store module.
#pragma once

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace alertdigest::sqlite {

// A prepared statement, reset on destruction of the binding scope (see Db::Prepare).
class Statement {
 public:
  explicit Statement(sqlite3_stmt* s) : s_(s) {}
  ~Statement() { sqlite3_finalize(s_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return *this;
  }
  Statement& Bind(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); return *this; }
  Statement& Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& BindBlob(int i, std::string_view v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // SQLITE_ROW → true, SQLITE_DONE → false; errors set *status.
  bool Step(Status* status);
  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  std::string_view Text(int col) const;
  sqlite3_stmt* raw() const { return s_; }

 private:
  sqlite3_stmt* s_;
};

class Db {
 public:
  static Result<std::unique_ptr<Db>> Open(const std::string& path);
  ~Db();

  Status Exec(std::string_view sql);
  // Cached per SQL text; the returned statement is reset and ready to bind.
  Result<Statement*> Prepare(const std::string& sql);
  Status Error(std::string_view what) const;
  sqlite3* raw() const { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<std::string, std::unique_ptr<Statement>> cache_;
};

// RAII transaction: BEGIN IMMEDIATE; rolls back unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) {}
  ~Transaction() {
    if (open_) db_.Exec("ROLLBACK");
  }
  Status Begin() {
    Status s = db_.Exec("BEGIN IMMEDIATE");
    open_ = s.ok();
    return s;
  }
  Status Commit() {
    Status s = db_.Exec("COMMIT");
    if (s.ok()) open_ = false;
    return s;
  }

 private:
  Db& db_;
  bool open_ = false;
};

}  // namespace alertdigest::sqlite
