// SQL helpers of `inari scope`: how a logged statement that read customer data
// is turned into a query that returns only the customer keys it returned, and
// whether that query may be run at all.
//
// Nothing here executes anything. PlanKeyQuery takes a statement as pgaudit
// logged it and says whether it returned customer rows (an aggregate such as
// `SELECT count(*) FROM customers` does not), and if so gives up to two
// queries, both returning one column, the key, one row per row the original
// returned:
//   projection  the statement with its select list replaced by the key of the
//               customer-data table (`SELECT c.customer_id FROM customers c
//               WHERE … ORDER BY … LIMIT … OFFSET …`): it reads no other column
//               of the select list, so a role granted only the key and the
//               filter columns can run it. Only built when it returns the same
//               rows (no DISTINCT, set operations, positional ORDER BY, output
//               aliases used in ORDER BY/GROUP BY, set-returning functions).
//   wrapped     `SELECT q."key" FROM (statement) q`.
// `COPY (SELECT …) TO …` plans its inner SELECT, `COPY table TO …` reads the
// whole table, `DECLARE c CURSOR FOR SELECT …` its SELECT. Anything else
// (CREATE TABLE AS, INSERT … SELECT, SELECT INTO, row locks, several
// statements, data-modifying CTEs, functions with side effects) is refused
// with a reason. IsPlainSelect is the same check on a finished query; the
// database layer applies it again before running anything.
//
// StatementShape renders a statement for reports with every literal replaced
// by `?` (literals may hold names, e-mail addresses, phone numbers), comments
// dropped and blanks collapsed; parameters stay `$n` (their values are never
// printed).
//
// Thread-safety: all functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inari::scope {

struct KeyQueryPlan {
  enum class Verdict {
    kRun,       // run `projection` (if not empty), else/then `wrapped`
    kNoRows,    // returns no customer rows (aggregate, no table); `reason` says which
    kRefused,   // cannot be resolved safely; `reason` says why
  };
  Verdict verdict = Verdict::kRefused;
  std::string reason;       // value-free text
  std::string projection;   // may be empty
  std::string wrapped;      // kRun: always set
  std::string table;        // the table whose key `projection` selects (as written)
  bool ordered = true;      // false: LIMIT/OFFSET/FETCH without ORDER BY (another run may return other rows)
  bool whole_table = false; // COPY table TO: every row of the table
  int max_param = 0;        // highest $n the query uses
};

// `tables`: the names of tables holding the customer key, in order of
// preference (the customer table first); each "schema.name" or "name",
// matched case-insensitively ("customers" matches "crm.customers").
KeyQueryPlan PlanKeyQuery(std::string_view statement, const std::vector<std::string>& tables,
                          std::string_view key_column);

// True if `query` is one read-only SELECT / WITH … SELECT / TABLE / VALUES
// without row locks, INTO, data-modifying statements or functions with side
// effects. Otherwise false and `why` says what was found.
bool IsPlainSelect(std::string_view query, std::string* why);

// The statement with literals as `?`, lists of them shortened (`IN (?, …)`),
// comments removed, blanks collapsed; cut at `max_len` bytes with "…".
std::string StatementShape(std::string_view statement, size_t max_len = 400);

// "crm.customers" / "\"crm\".\"Customers\"" matches configured "customers" or
// "crm.customers" (case-insensitive, quotes ignored; a configured name without
// schema matches any schema). "*" matches every table.
bool TableMatches(std::string_view logged, std::string_view configured);

// An identifier quoted for PostgreSQL when needed (`customer_id` stays,
// `Customer ID` becomes `"Customer ID"`); dotted names are quoted per part.
std::string QuoteIdentifier(std::string_view name, bool dotted);

}  // namespace inari::scope
