// Customer keys named by a logged SQL statement — the measure that matters for
// a breach is how many distinct customers a person touched.
//
// ExtractKeys reads a statement (as pgaudit or log_statement logged it) and its
// logged parameters and returns the literal values the statement compares the
// key column with: `key = 42`, `key = $1` (with parameter 1), `key IN (1, 2,
// $3)`, `key = ANY($1)` (an array parameter `{1,2,3}`), qualified or quoted
// column names (`c.customer_id`, `"customer_id"`). It is a lexer, not a SQL
// parser: it never executes anything and never fails — an unreadable
// statement yields no keys (a statement without key predicates, such as a
// LIMIT/OFFSET page, reads customers the log alone cannot name; `inari scope`
// resolves those against the database). Also: whether the statement pages
// (OFFSET), exports (COPY … TO) or reads (SELECT/COPY … TO).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace inari::analytics {

struct SqlFacts {
  std::vector<std::string> keys;  // in statement order, duplicates removed
  bool has_key_predicate = false; // a key comparison was found (even with unknown values)
  bool pages = false;             // OFFSET n
  bool exports = false;           // COPY … TO (file, program or STDOUT: \copy)
  bool reads = false;             // SELECT / WITH … SELECT / COPY … TO
  bool has_or = false;            // an OR anywhere: key predicates may not bound the rows
};

// `key_column` is matched case-insensitively and without quotes; `parameters`
// is pgaudit's parameter text (a CSV list; "<none>" / "<not logged>" = none).
SqlFacts ExtractKeys(std::string_view statement, std::string_view parameters, std::string_view key_column);

// pgaudit's parameter list split into values (CSV: quoted values may hold commas).
std::vector<std::string> SplitParameters(std::string_view parameters);

}  // namespace inari::analytics
