#include "store/state_db.h"

#include <sqlite3.h>

namespace inari {

Result<std::unique_ptr<StateDb>> StateDb::Open(const std::string& path) {
  std::unique_ptr<StateDb> db(new StateDb());
  db->path_ = path;
  int rc = sqlite3_open_v2(path.c_str(), &db->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db->db_ ? sqlite3_errmsg(db->db_) : sqlite3_errstr(rc);
    return Status::IOError(path, why);
  }
  sqlite3_busy_timeout(db->db_, 5000);
  // A state file is rewritten in one transaction per save; WAL keeps readers
  // (a concurrent `serve`) unblocked. Failure to switch is harmless.
  if (path != ":memory:") sqlite3_exec(db->db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  // Reject files that are not SQLite databases now, with a clear message.
  if (Status s = db->Exec("SELECT count(*) FROM sqlite_master"); !s.ok()) return s;
  return db;
}

StateDb::~StateDb() {
  if (db_) sqlite3_close_v2(db_);
}

Status StateDb::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string why = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return Status::IOError(path_, why);
  }
  return Status::OK();
}

void StateDb::Rollback() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

Result<StateDb::Statement> StateDb::Prepare(const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK)
    return Status::IOError(path_, sqlite3_errmsg(db_));
  return Statement(s, path_);
}

StateDb::Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}
StateDb::Statement::Statement(Statement&& o) noexcept
    : stmt_(o.stmt_), where_(std::move(o.where_)), status_(std::move(o.status_)) {
  o.stmt_ = nullptr;
}
void StateDb::Statement::Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
void StateDb::Statement::Bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
void StateDb::Statement::Bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void StateDb::Statement::BindBlob(int i, const void* p, size_t n) {
  sqlite3_bind_blob(stmt_, i, p, static_cast<int>(n), SQLITE_TRANSIENT);
}
bool StateDb::Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE && status_.ok()) status_ = Status::IOError(where_, sqlite3_errmsg(sqlite3_db_handle(stmt_)));
  return false;
}
void StateDb::Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}
int64_t StateDb::Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double StateDb::Statement::Double(int col) const { return sqlite3_column_double(stmt_, col); }
std::string_view StateDb::Statement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string_view();
}
std::string_view StateDb::Statement::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string_view();
}

}  // namespace inari
