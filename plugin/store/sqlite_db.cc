#include "store/sqlite_db.h"

#include <fmt/format.h>

namespace alertdigest::sqlite {
namespace {

Status FromCode(int rc, std::string msg) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Status::Corruption(std::move(msg));
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Status::Unavailable(std::move(msg));
    default: return Status::IoError(std::move(msg));
  }
}

}  // namespace

bool Statement::Step(Status* status) {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) {
    sqlite3* db = sqlite3_db_handle(s_);
    *status = FromCode(rc, fmt::format("sqlite: {}", sqlite3_errmsg(db)));
  }
  return false;
}

std::string_view Statement::Text(int col) const {
  const void* p = sqlite3_column_blob(s_, col);
  int n = sqlite3_column_bytes(s_, col);
  return p ? std::string_view(static_cast<const char*>(p), n) : std::string_view();
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                                   SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = fmt::format("open {}: {}", path, raw ? sqlite3_errmsg(raw) : "out of memory");
    sqlite3_close(raw);
    return FromCode(rc, std::move(msg));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  return std::unique_ptr<Db>(new Db(raw));
}

Db::~Db() {
  cache_.clear();  // statements must be finalised before the connection closes
  sqlite3_close(db_);
}

Status Db::Exec(std::string_view sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string msg = fmt::format("sqlite: {}", err ? err : sqlite3_errstr(rc));
  sqlite3_free(err);
  return FromCode(rc, std::move(msg));
}

Result<Statement*> Db::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return &it->second->Reset();
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) return FromCode(rc, fmt::format("sqlite: prepare: {}", sqlite3_errmsg(db_)));
  auto* stmt = new Statement(s);
  cache_.emplace(sql, std::unique_ptr<Statement>(stmt));
  return stmt;
}

Status Db::Error(std::string_view what) const {
  return FromCode(sqlite3_errcode(db_), fmt::format("{}: {}", what, sqlite3_errmsg(db_)));
}

}  // namespace alertdigest::sqlite
