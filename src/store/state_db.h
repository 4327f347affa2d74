// StateDb — a small SQLite file that keeps what inari learns between runs
// (analytics baselines, entity risk). One connection, used by one thread at a
// time; every call reports failure as a Status (the file name and SQLite's
// message), never throws. Writes made between Begin() and Commit() are one
// transaction, so an interrupted save leaves the previous state intact.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "inari/result.h"
#include "inari/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace inari {

class StateDb {
 public:
  // Opens (creating if needed) the file. ":memory:" gives a private in-memory database.
  static Result<std::unique_ptr<StateDb>> Open(const std::string& path);
  ~StateDb();
  StateDb(const StateDb&) = delete;
  StateDb& operator=(const StateDb&) = delete;

  [[nodiscard]] Status Exec(const std::string& sql);
  [[nodiscard]] Status Begin() { return Exec("BEGIN IMMEDIATE"); }
  [[nodiscard]] Status Commit() { return Exec("COMMIT"); }
  void Rollback();

  // A prepared statement: bind by 1-based index, Step() until it returns false.
  class Statement {
   public:
    ~Statement();
    Statement(Statement&&) noexcept;
    Statement(const Statement&) = delete;
    void Bind(int i, int64_t v);
    void Bind(int i, double v);
    void Bind(int i, std::string_view v);  // copied by SQLite
    void BindBlob(int i, const void* p, size_t n);
    // Runs one step: true while a row is available. Errors go to status().
    bool Step();
    void Reset();  // for re-use with new bindings
    int64_t Int(int col) const;
    double Double(int col) const;
    std::string_view Text(int col) const;  // valid until the next Step/Reset
    std::string_view Blob(int col) const;
    const Status& status() const { return status_; }

   private:
    friend class StateDb;
    Statement(sqlite3_stmt* s, std::string where) : stmt_(s), where_(std::move(where)) {}
    sqlite3_stmt* stmt_;
    std::string where_;
    Status status_;
  };
  Result<Statement> Prepare(const std::string& sql);

  const std::string& path() const { return path_; }

 private:
  StateDb() = default;
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace inari
