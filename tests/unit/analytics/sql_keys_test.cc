// Customer keys from logged statements and parameters.
#include "analytics/sql_keys.h"

#include <gtest/gtest.h>

namespace inari::analytics {
namespace {

using V = std::vector<std::string>;

TEST(SqlKeys, ParametersOfTheSupportApp) {
  auto f = ExtractKeys("SELECT name, email FROM public.customers c WHERE c.customer_id = $1", "48213", "customer_id");
  EXPECT_EQ(f.keys, V{"48213"});
  EXPECT_TRUE(f.reads);
  EXPECT_TRUE(f.has_key_predicate);
  f = ExtractKeys("select * from customers where email = $1 and customer_id = $2", "a@b.c,77", "CUSTOMER_ID");
  EXPECT_EQ(f.keys, V{"77"});
  f = ExtractKeys("SELECT * FROM customers WHERE customer_id = ANY($1)", "\"{5,6,7}\"", "customer_id");
  EXPECT_EQ(f.keys, (V{"5", "6", "7"}));
}

TEST(SqlKeys, LiteralsInAndReversedAndQuoted) {
  EXPECT_EQ(ExtractKeys("SELECT * FROM customers WHERE customer_id IN (1, 2, 3, 2)", "<none>", "customer_id").keys,
            (V{"1", "2", "3"}));
  EXPECT_EQ(ExtractKeys("SELECT * FROM customers WHERE 42 = \"customer_id\"", "<none>", "customer_id").keys, V{"42"});
  EXPECT_EQ(ExtractKeys("SELECT * FROM t WHERE customer_id = '0042'::text", "", "customer_id").keys, V{"0042"});
  EXPECT_EQ(ExtractKeys("SELECT * FROM t WHERE customer_id = 'O''Brien'", "", "customer_id").keys, V{"O'Brien"});
}

TEST(SqlKeys, WhatTheLogCannotName) {
  auto f = ExtractKeys("SELECT * FROM customers ORDER BY customer_id LIMIT 500 OFFSET 1500", "<none>", "customer_id");
  EXPECT_TRUE(f.keys.empty());
  EXPECT_FALSE(f.has_key_predicate);
  EXPECT_TRUE(f.pages);
  f = ExtractKeys("SELECT * FROM customers WHERE customer_id IN (SELECT customer_id FROM tickets)", "", "customer_id");
  EXPECT_TRUE(f.keys.empty());
  f = ExtractKeys("SELECT * FROM customers WHERE customer_id BETWEEN 100 AND 200", "", "customer_id");
  EXPECT_TRUE(f.keys.empty());
  EXPECT_TRUE(f.has_key_predicate);
  // A parameter index beyond the logged list, or parameters not logged.
  EXPECT_TRUE(ExtractKeys("SELECT * FROM customers WHERE customer_id = $2", "1", "customer_id").keys.empty());
  EXPECT_TRUE(ExtractKeys("SELECT * FROM customers WHERE customer_id = $1", "<not logged>", "customer_id").keys.empty());
  // Another column that merely starts with the key's name.
  EXPECT_TRUE(ExtractKeys("SELECT * FROM x WHERE customer_id_old = 5", "", "customer_id").keys.empty());
}

TEST(SqlKeys, ExportsAndComments) {
  auto f = ExtractKeys("COPY (SELECT * FROM customers) TO STDOUT WITH CSV HEADER", "<none>", "customer_id");
  EXPECT_TRUE(f.exports);
  EXPECT_TRUE(f.reads);
  f = ExtractKeys("COPY customers FROM '/tmp/x.csv'", "", "customer_id");
  EXPECT_FALSE(f.exports);
  f = ExtractKeys("SELECT 1 -- customer_id = 9\n FROM t /* customer_id = 10 */", "", "customer_id");
  EXPECT_TRUE(f.keys.empty());
}

TEST(SqlKeys, SplitParametersHonoursQuotes) {
  EXPECT_EQ(SplitParameters("1,\"a,b\",\"say \"\"hi\"\"\""), (V{"1", "a,b", "say \"hi\""}));
  EXPECT_TRUE(SplitParameters("<none>").empty());
}

}  // namespace
}  // namespace inari::analytics
