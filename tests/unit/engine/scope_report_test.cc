// inari scope, reports: the HTML is self-contained and escapes log text, the
// JSON has the documented fields, and no customer name or e-mail address
// reaches any rendering; connection strings print without their password.
#include "engine/scope_report.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "engine/scope_db.h"
#include "scope_test_util.h"

namespace inari::scope {
namespace {

// A scope of the fake database's customers: every read, one unresolved.
ScopeResult Sample(bool with_db) {
  std::vector<scope_test::Audit> v;
  auto add = [&](std::string time, std::string sql, std::string params, int64_t rows, std::string app) {
    scope_test::Audit a;
    a.time = "2024-05-02 " + time;
    a.stmt = static_cast<int>(v.size()) + 1;
    a.line = a.stmt;
    a.statement = std::move(sql);
    a.params = std::move(params);
    a.rows = rows;
    a.app = std::move(app);
    v.push_back(a);
  };
  add("20:00:00.000", "SELECT customer_id, email FROM crm.customers WHERE email = $1", "anna.schmidt@example.de", 1,
      "psql <script>&\"x\"");
  add("20:00:01.000", "SELECT * FROM crm.customers WHERE last_name = $1 ORDER BY customer_id", "Martin", 1, "psql");
  add("20:00:02.000", "SELECT customer_id, first_name FROM crm.customers ORDER BY customer_id LIMIT 17 OFFSET 0", "<none>",
      17, "psql");
  add("20:00:03.000", "CREATE TABLE loot AS SELECT * FROM crm.customers WHERE first_name = 'Oliver'", "<none>", 1, "psql");
  scope_test::TempDir dir;
  const std::string f = dir.Write("p.csv", scope_test::CsvLog(v));
  ScopeConfig cfg;
  cfg.customer_table = "crm.customers";
  ScopeSubject subj;
  subj.users = {"mallory"};
  auto recs = scope_test::Collect({f}, cfg, subj);
  scope_test::FakeDb db;
  ScopeOptions o;
  o.config = cfg;
  o.subject = subj;
  o.db = with_db ? &db : nullptr;
  o.now = ParseIso8601("2024-05-03T12:00:00Z");
  o.detected_at = ParseIso8601("2024-05-03T08:30:00Z");
  o.detection_source = "risk alert <b>on</b> mallory";
  auto r = ComputeScope(std::move(recs), o);
  EXPECT_TRUE(r.has_value());
  ScopeResult out = std::move(r).value();
  out.inputs = {f};
  out.database = RedactConninfo("host=db dbname=crm user=auditor password=s3cret");
  return out;
}

// Customer data of the fake database other than keys, countries and regions.
std::vector<std::string> Plaintext() {
  std::vector<std::string> s;
  for (const auto& c : scope_test::Customers()) {
    s.push_back(c.email);
    s.push_back(c.first + " " + c.last);
    s.push_back(c.last);
  }
  return s;
}

void ExpectNoCustomerData(const std::string& text, const std::string& what) {
  for (const std::string& p : Plaintext()) EXPECT_EQ(text.find(p), std::string::npos) << what << " holds " << p;
  EXPECT_EQ(text.find("s3cret"), std::string::npos) << what << " holds the password";
}

TEST(ScopeReport, HtmlIsSelfContainedAndEscaped) {
  const ScopeResult r = Sample(true);
  const std::string h = ScopeHtml(r, {});
  EXPECT_EQ(h.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(h.find("<style>"), std::string::npos);
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("<link"), std::string::npos);
  EXPECT_EQ(h.find("<img"), std::string::npos);
  EXPECT_EQ(h.find("src="), std::string::npos);
  EXPECT_EQ(h.find("url("), std::string::npos);
  EXPECT_EQ(h.find("@import"), std::string::npos);
  EXPECT_EQ(h.find("http://"), std::string::npos);
  EXPECT_EQ(h.find("https://"), std::string::npos);
  // Log text is escaped.
  EXPECT_EQ(h.find("<script>&"), std::string::npos);
  EXPECT_NE(h.find("psql &lt;script&gt;&amp;&quot;x&quot;"), std::string::npos);
  EXPECT_NE(h.find("risk alert &lt;b&gt;on&lt;/b&gt; mallory"), std::string::npos);
  // The summary a privacy officer needs.
  EXPECT_NE(h.find("Customers affected"), std::string::npos);
  EXPECT_NE(h.find("GDPR 72-hour deadline"), std::string::npos);
  EXPECT_NE(h.find("2024-05-06 08:30:00 UTC"), std::string::npos);
  EXPECT_NE(h.find("68.5 h left"), std::string::npos);
  EXPECT_NE(h.find("Method and limitations"), std::string::npos);
  EXPECT_NE(h.find("What could not be resolved"), std::string::npos);
  ExpectNoCustomerData(h, "HTML");
}

TEST(ScopeReport, JsonSchema) {
  const ScopeResult r = Sample(true);
  ScopeReportOptions o;
  o.with_keys = true;
  const std::string j = ScopeJson(r, o);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(j).get(doc), simdjson::SUCCESS) << j;
  std::string_view schema;
  ASSERT_EQ(doc["schema"].get(schema), simdjson::SUCCESS);
  EXPECT_EQ(schema, "inari.scope/1");
  for (const char* k : {"generated_at", "subject", "inputs", "database", "config", "customers", "geo", "by_country",
                        "by_region", "jurisdictions", "timeline", "evidence", "sessions", "other_tables", "notes",
                        "customer_keys"})
    EXPECT_EQ(doc[k].error(), simdjson::SUCCESS) << k;
  for (const char* k : {"count", "exact", "inexact_reasons", "confirmed", "unconfirmed", "from_log", "from_database",
                        "upper_bound", "unresolved_reads", "unresolved_rows", "rows_differ", "rows_logged"})
    EXPECT_EQ(doc["customers"][k].error(), simdjson::SUCCESS) << k;
  for (const char* k : {"first_access", "last_access", "first_activity", "last_activity", "detected_at",
                        "detection_source", "gdpr_deadline", "now", "hours_left"})
    EXPECT_EQ(doc["timeline"][k].error(), simdjson::SUCCESS) << k;
  uint64_t count = 0;
  ASSERT_EQ(doc["customers"]["count"].get(count), simdjson::SUCCESS);
  EXPECT_EQ(count, 17u);  // 101 (e-mail), 102 (last name), and the page: all 17 customers
  bool exact = true;
  ASSERT_EQ(doc["customers"]["exact"].get(exact), simdjson::SUCCESS);
  EXPECT_FALSE(exact);  // the CREATE TABLE AS is refused
  double hours = 0;
  ASSERT_EQ(doc["timeline"]["hours_left"].get(hours), simdjson::SUCCESS);
  EXPECT_DOUBLE_EQ(hours, 68.5);
  simdjson::dom::array statements;
  ASSERT_EQ(doc["evidence"]["statements"].get(statements), simdjson::SUCCESS);
  ASSERT_EQ(statements.size(), 4u);
  std::string_view code, status;
  ASSERT_EQ(statements.at(3)["reason_code"].get(code), simdjson::SUCCESS);
  EXPECT_EQ(code, "refused");
  ASSERT_EQ(statements.at(3)["status"].get(status), simdjson::SUCCESS);
  EXPECT_EQ(status, "unresolved");
  simdjson::dom::array juris;
  ASSERT_EQ(doc["jurisdictions"].get(juris), simdjson::SUCCESS);
  std::string_view id;
  ASSERT_EQ(juris.at(0)["id"].get(id), simdjson::SUCCESS);
  EXPECT_EQ(id, "GDPR");
  std::string_view db;
  ASSERT_EQ(doc["database"].get(db), simdjson::SUCCESS);
  EXPECT_EQ(db, "host=db dbname=crm user=auditor password=***");
  ExpectNoCustomerData(j, "JSON");
}

TEST(ScopeReport, TextAndCsvCarryNoCustomerData) {
  for (bool with_db : {true, false}) {
    const ScopeResult r = Sample(with_db);
    const std::string t = ScopeText(r);
    EXPECT_NE(t.find("customers:"), std::string::npos);
    EXPECT_NE(t.find("NOT EXACT"), std::string::npos);
    ExpectNoCustomerData(t, "text");
    const std::string c = ScopeCustomersCsv(r);
    EXPECT_EQ(c.rfind("key,country,region,first_access,last_access,reads,confirmed\n", 0), 0u);
    ExpectNoCustomerData(c, "CSV");
    ExpectNoCustomerData(ScopeHtml(r, {}), "HTML");
    ExpectNoCustomerData(ScopeJson(r, {}), "JSON");
  }
}

TEST(ScopeReport, EvidenceIsCappedButFlaggedReadsStay) {
  ScopeResult r;
  r.now = 0;
  for (int i = 0; i < 300; ++i) {
    ScopeStatement s;
    s.time = i;
    s.status = i % 100 == 99 ? ReadStatus::kUnresolved : ReadStatus::kLog;
    s.shape = "SELECT ?";
    r.statements.push_back(s);
  }
  ScopeReportOptions o;
  o.evidence = 10;
  const std::string j = ScopeJson(r, o);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(j).get(doc), simdjson::SUCCESS);
  uint64_t shown = 0, total = 0;
  ASSERT_EQ(doc["evidence"]["statements_shown"].get(shown), simdjson::SUCCESS);
  ASSERT_EQ(doc["evidence"]["statements_total"].get(total), simdjson::SUCCESS);
  EXPECT_EQ(total, 300u);
  EXPECT_EQ(shown, 13u);  // the first 10 and the 3 unresolved
}

TEST(ScopeDb, RedactConninfo) {
  EXPECT_EQ(RedactConninfo("host=db password=s3cret user=a"), "host=db password=*** user=a");
  EXPECT_EQ(RedactConninfo("host=db password = 'se cr\\'et' user=a"), "host=db password = *** user=a");
  EXPECT_EQ(RedactConninfo("postgresql://auditor:s3cret@db:5432/crm?sslmode=require"),
            "postgresql://auditor:***@db:5432/crm?sslmode=require");
  EXPECT_EQ(RedactConninfo("postgres://db/crm?user=a&password=s3cret&x=1"), "postgres://db/crm?user=a&password=***&x=1");
  EXPECT_EQ(RedactConninfo("host=db dbname=crm"), "host=db dbname=crm");
}

TEST(ScopeDb, SqlStateNames) {
  EXPECT_NE(SqlStateName("42501").find("insufficient_privilege"), std::string::npos);
  EXPECT_EQ(SqlStateName("57014"), "query_canceled (statement_timeout)");
  EXPECT_EQ(SqlStateName("42999"), "syntax error or access rule violation");
  EXPECT_EQ(SqlStateName("?"), "error");
}

TEST(ScopeDb, ConnectionErrorNamesNoPassword) {
  // Nothing listens on port 1 of the loopback address.
  ScopeDbSettings settings;
  settings.conninfo = "host=127.0.0.1 port=1 dbname=x user=y password=s3cret connect_timeout=2";
  auto db = OpenScopeDatabase(settings);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().ToString().find("s3cret"), std::string::npos) << db.error().ToString();
}

}  // namespace
}  // namespace inari::scope
