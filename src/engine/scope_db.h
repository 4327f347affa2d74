// ScopeDatabase — the only door `inari scope` has to the customer database.
//
// It answers two questions, read-only: which customer keys does this SELECT
// return now (RunKeyQuery), and in which country and region is each of these
// customers (LookupGeo). The interface exists so tests can put a fake behind
// it; OpenScopeDatabase gives the libpq implementation.
//
// The libpq implementation opens one connection and one transaction,
// `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` with `SET LOCAL
// statement_timeout`, so every query of one scope sees the same snapshot and
// nothing can be written; each query runs inside a savepoint (a failing
// statement does not end the transaction) and the transaction is rolled back
// on Close()/destruction. RunKeyQuery refuses any query IsPlainSelect rejects
// (scope_sql.h), whatever the caller checked before. Results are fetched as
// text; only the first column is kept.
//
// Privacy: error texts carry the SQLSTATE and its condition name, never the
// server's message (which can quote parameter values such as an e-mail
// address); connection errors are libpq's (they name host, port and user,
// never the password). Use RedactConninfo to print a connection string.
// Thread-safety: one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "inari/result.h"
#include "inari/status.h"

namespace inari::scope {

struct KeyQuery {
  std::string sql;                  // returns one column: the key
  std::vector<std::string> params;  // $1..$n, text as logged
  std::vector<bool> null_params;    // same size as params (or empty): true = SQL NULL
  std::string_view logged;          // the logged statement (for fakes and tests only)
};

struct KeyRows {
  std::vector<std::string> keys;  // the key of every row returned, in order (NULL keys left out)
  uint64_t rows = 0;              // rows returned (NULL keys included)
  std::string sqlstate;           // on error: SQLSTATE ("42501"), or "" for a client-side refusal
  std::string error;              // on error: value-free description
  bool ok() const { return error.empty(); }
};

struct GeoRow {
  std::string key, country, region;
};

class ScopeDatabase {
 public:
  virtual ~ScopeDatabase() = default;
  virtual KeyRows RunKeyQuery(const KeyQuery& q) = 0;
  // Appends the country and region of every key that exists in `table` (the
  // customer table, schema-qualified as pgaudit logged it when known); keys
  // the table does not hold are left out (the caller reports them).
  virtual Status LookupGeo(const std::string& table, const std::vector<std::string>& keys,
                           std::vector<GeoRow>* out) = 0;
  // Ends the transaction (rollback) and the connection. Idempotent.
  virtual void Close() = 0;
};

struct ScopeDbSettings {
  std::string conninfo;                 // libpq connection string or URI
  std::string key_column = "customer_id";
  std::string country_column = "country";
  std::string region_column = "region";  // "" = none
  std::string search_path;              // "" = the role's default
  int statement_timeout_ms = 30000;
};

Result<std::unique_ptr<ScopeDatabase>> OpenScopeDatabase(const ScopeDbSettings& settings);

// `host=db password=secret user=x` → `host=db password=*** user=x`; URIs
// (`postgresql://user:secret@host/db`) get their password replaced too.
std::string RedactConninfo(std::string_view conninfo);

// The condition name of a SQLSTATE ("42501" → "insufficient_privilege"), or
// its class ("42xxx" → "syntax error or access rule violation").
std::string SqlStateName(std::string_view sqlstate);

}  // namespace inari::scope
