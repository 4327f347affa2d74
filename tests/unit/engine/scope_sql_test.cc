// inari scope, SQL: which logged reads may be re-run and how (key projection
// or wrapping), what is refused, and statement shapes without literals.
#include "engine/scope_sql.h"

#include <gtest/gtest.h>

namespace inari::scope {
namespace {

const std::vector<std::string> kTables = {"crm.customers", "crm.tickets"};

KeyQueryPlan Plan(std::string_view sql) { return PlanKeyQuery(sql, kTables, "customer_id"); }

TEST(ScopeSql, PageIsProjectedToTheKey) {
  const KeyQueryPlan p = Plan(
      "SELECT customer_id, first_name, last_name, email\nFROM crm.customers\nORDER BY customer_id\nLIMIT 500 OFFSET 1000");
  ASSERT_EQ(p.verdict, KeyQueryPlan::Verdict::kRun);
  EXPECT_EQ(p.projection, "SELECT customers.customer_id FROM crm.customers\nORDER BY customer_id\nLIMIT 500 OFFSET 1000");
  EXPECT_EQ(p.wrapped,
            "SELECT q.customer_id FROM (\nSELECT customer_id, first_name, last_name, email\nFROM crm.customers\n"
            "ORDER BY customer_id\nLIMIT 500 OFFSET 1000\n) q");
  EXPECT_TRUE(p.ordered);
  EXPECT_EQ(p.table, "crm.customers");
}

TEST(ScopeSql, AliasesJoinsAndParameters) {
  KeyQueryPlan p = Plan("SELECT c.first_name, t.subject FROM crm.tickets t JOIN crm.customers AS c ON c.customer_id = "
                        "t.customer_id WHERE t.status = $1 AND c.country = $2;");
  ASSERT_EQ(p.verdict, KeyQueryPlan::Verdict::kRun);
  EXPECT_EQ(p.projection.rfind("SELECT c.customer_id FROM crm.tickets t JOIN", 0), 0u) << p.projection;
  EXPECT_EQ(p.max_param, 2);
  EXPECT_EQ(p.projection.back(), '2');  // the trailing ';' is gone
  // The customer table is preferred over other key tables.
  p = Plan("SELECT * FROM crm.tickets x, \"crm\".\"customers\" y WHERE x.customer_id = y.customer_id");
  EXPECT_EQ(p.projection.rfind("SELECT y.customer_id FROM", 0), 0u) << p.projection;
  // Without the customer table, a key table's key.
  p = Plan("SELECT ticket_id FROM crm.tickets WHERE status = 'open' LIMIT 10");
  EXPECT_EQ(p.projection, "SELECT tickets.customer_id FROM crm.tickets WHERE status = 'open' LIMIT 10");
  EXPECT_FALSE(p.ordered);  // LIMIT without ORDER BY
}

TEST(ScopeSql, WrappedOnlyWhenProjectionWouldChangeTheRows) {
  for (const char* sql : {
           "SELECT DISTINCT country, customer_id FROM crm.customers",
           "SELECT customer_id, email FROM crm.customers ORDER BY 2 LIMIT 10",                  // position
           "SELECT customer_id, upper(email) AS k FROM crm.customers ORDER BY k LIMIT 10",       // output alias
           "SELECT customer_id FROM crm.customers UNION SELECT customer_id FROM crm.tickets",   // set operation
           "SELECT customer_id, unnest(tags) FROM crm.customers",                              // rows multiply
           "SELECT a.customer_id FROM crm.customers a JOIN crm.customers b ON a.email = b.email",  // self-join
           "WITH x AS (SELECT * FROM crm.customers) SELECT customer_id FROM x",
           "SELECT customer_id FROM (SELECT * FROM crm.customers) s",
       }) {
    SCOPED_TRACE(sql);
    const KeyQueryPlan p = Plan(sql);
    ASSERT_EQ(p.verdict, KeyQueryPlan::Verdict::kRun);
    EXPECT_TRUE(p.projection.empty()) << p.projection;
    EXPECT_FALSE(p.wrapped.empty());
  }
}

TEST(ScopeSql, AggregatesReturnNoCustomerRows) {
  for (const char* sql : {"SELECT count(*) FROM crm.customers", "SELECT country, count(*) FROM crm.customers GROUP BY 1",
                          "SELECT max(created_at) FROM crm.customers WHERE country = 'DE'",
                          "SELECT 1", "SELECT current_schema(), session_user"}) {
    SCOPED_TRACE(sql);
    EXPECT_EQ(Plan(sql).verdict, KeyQueryPlan::Verdict::kNoRows);
  }
  // Grouped by the key: customers are returned.
  EXPECT_EQ(Plan("SELECT customer_id, count(*) FROM crm.tickets GROUP BY customer_id").verdict,
            KeyQueryPlan::Verdict::kRun);
  // A window function is no aggregate.
  EXPECT_EQ(Plan("SELECT customer_id, count(*) OVER () FROM crm.customers").verdict, KeyQueryPlan::Verdict::kRun);
  // An aggregate carrying row values out is not resolved, not ignored.
  const KeyQueryPlan p = Plan("SELECT string_agg(email, ',') FROM crm.customers WHERE country = 'DE'");
  EXPECT_EQ(p.verdict, KeyQueryPlan::Verdict::kRefused);
  EXPECT_NE(p.reason.find("string_agg"), std::string::npos);
}

TEST(ScopeSql, CopyAndCursors) {
  KeyQueryPlan p = Plan("COPY ( SELECT customer_id, email FROM crm.customers WHERE country IN ('DE', 'AT') ORDER BY "
                        "customer_id ) TO STDOUT csv header");
  ASSERT_EQ(p.verdict, KeyQueryPlan::Verdict::kRun);
  EXPECT_EQ(p.projection, "SELECT customers.customer_id FROM crm.customers WHERE country IN ('DE', 'AT') ORDER BY customer_id");
  p = Plan("COPY crm.customers (email, phone) TO '/tmp/x.csv'");
  ASSERT_EQ(p.verdict, KeyQueryPlan::Verdict::kRun);
  EXPECT_TRUE(p.whole_table);
  EXPECT_EQ(p.projection, "SELECT customer_id FROM crm.customers");
  p = Plan("COPY crm.customers FROM STDIN");
  EXPECT_EQ(p.verdict, KeyQueryPlan::Verdict::kRefused);
  p = Plan("DECLARE c1 CURSOR FOR SELECT customer_id, email FROM crm.customers WHERE country = 'FR'");
  ASSERT_EQ(p.verdict, KeyQueryPlan::Verdict::kRun);
  EXPECT_EQ(p.projection, "SELECT customers.customer_id FROM crm.customers WHERE country = 'FR'");
}

TEST(ScopeSql, RefusesEverythingButAPlainSelect) {
  for (const char* sql : {
           "CREATE TABLE loot AS SELECT * FROM crm.customers",
           "INSERT INTO loot SELECT * FROM crm.customers",
           "SELECT * INTO loot FROM crm.customers",
           "SELECT * FROM crm.customers FOR UPDATE",
           "SELECT * FROM crm.customers; DROP TABLE crm.customers",
           "WITH d AS (DELETE FROM crm.customers RETURNING *) SELECT customer_id FROM d",
           "SELECT customer_id, pg_sleep(10) FROM crm.customers",
           "SELECT customer_id FROM crm.customers WHERE pg_catalog.pg_terminate_backend(42)",
           "SELECT dblink('host=evil', 'DROP TABLE x')",
           "SELECT customer_id, lo_export(1, '/tmp/x') FROM crm.customers",
           "SELECT customer_id, set_config('role', 'postgres', true) FROM crm.customers",
           "SELECT nextval('s'), customer_id FROM crm.customers",
           "SELECT * FROM query_to_xml('SELECT 1', true, true, '')",
           "UPDATE crm.customers SET email = 'x'",
       }) {
    SCOPED_TRACE(sql);
    const KeyQueryPlan p = Plan(sql);
    EXPECT_EQ(p.verdict, KeyQueryPlan::Verdict::kRefused) << p.projection;
    EXPECT_FALSE(p.reason.empty());
  }
  std::string why;
  EXPECT_TRUE(IsPlainSelect("SELECT customer_id FROM crm.customers WHERE note = 'please update; delete'", &why)) << why;
  EXPECT_TRUE(IsPlainSelect("SELECT c.update, \"delete\" FROM t c;", &why)) << why;
  EXPECT_TRUE(IsPlainSelect("SELECT $$ drop table x; $$ AS s", &why)) << why;
  EXPECT_TRUE(IsPlainSelect("/* update */ SELECT 1 -- ; delete\n", &why)) << why;
  EXPECT_FALSE(IsPlainSelect("EXPLAIN ANALYZE DELETE FROM t", &why));
  EXPECT_FALSE(IsPlainSelect("SELECT 1; SELECT 2", &why));
  EXPECT_EQ(why, "more than one statement");
  EXPECT_FALSE(IsPlainSelect("", &why));
}

TEST(ScopeSql, ShapeHidesLiterals) {
  EXPECT_EQ(StatementShape("SELECT * FROM crm.customers WHERE email = 'anna@example.de' AND id IN (1, 2, 3)"),
            "SELECT * FROM crm.customers WHERE email = ? AND id IN(?, …)");
  EXPECT_EQ(StatementShape("SELECT a  -- comment with anna@example.de\n FROM t WHERE x = $1 LIMIT 10 OFFSET 20"),
            "SELECT a FROM t WHERE x = $1 LIMIT ? OFFSET ?");
  EXPECT_EQ(StatementShape("SELECT count(*) FROM crm.customers WHERE name = E'O\\'Brien' AND d = $$x$$"),
            "SELECT count(*) FROM crm.customers WHERE name = ? AND d = ?");
  EXPECT_EQ(StatementShape("SELECT x::text FROM t", 400), "SELECT x::text FROM t");
  const std::string long_sql = "SELECT " + std::string(1000, 'a') + " FROM t";
  const std::string s = StatementShape(long_sql, 50);
  EXPECT_LE(s.size(), 50u + 3);
  EXPECT_EQ(s.substr(s.size() - 3), "…");
}

TEST(ScopeSql, TableNamesAndQuoting) {
  EXPECT_TRUE(TableMatches("crm.customers", "customers"));
  EXPECT_TRUE(TableMatches("crm.customers", "CRM.Customers"));
  EXPECT_TRUE(TableMatches("\"crm\".\"customers\"", "crm.customers"));
  EXPECT_FALSE(TableMatches("crm.customers", "public.customers"));
  EXPECT_FALSE(TableMatches("crm.customers_archive", "customers"));
  EXPECT_TRUE(TableMatches("anything", "*"));
  EXPECT_EQ(QuoteIdentifier("customer_id", false), "customer_id");
  EXPECT_EQ(QuoteIdentifier("Customer \"ID\"", false), "\"Customer \"\"ID\"\"\"");
  EXPECT_EQ(QuoteIdentifier("crm.Customers", true), "crm.\"Customers\"");
}

}  // namespace
}  // namespace inari::scope
