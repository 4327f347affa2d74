// inari scope, the computation: a small incident written as pgaudit logs in
// the three PostgreSQL formats, scanned, and scoped with and without the
// (fake) database — exact counts, what the log alone can and cannot say,
// subjects, data that changed since, detection from hunt's risk JSON.
#include <gtest/gtest.h>

#include "engine/scope.h"
#include "scope_test_util.h"

namespace inari {
namespace {

using scope_test::Audit;

// A support agent ("m.allory") in the portal under the shared account, then
// the same person at night from DBeaver under his own account; and a
// colleague (bob) whose read must not count.
std::vector<Audit> Incident() {
  std::vector<Audit> v;
  auto portal = [&](std::string time, int stmt, std::string table, std::string sql, std::string params, int64_t rows) {
    Audit a;
    a.time = "2024-05-02 " + time;
    a.pid = 200;
    a.session = "6650f2a1.c8";
    a.user = "support_app";
    a.app = "support-portal/agent=m.allory";
    a.client = "10.30.1.11";
    a.stmt = stmt;
    a.table = std::move(table);
    a.statement = std::move(sql);
    a.params = std::move(params);
    a.rows = rows;
    return a;
  };
  auto dbeaver = [&](std::string time, int stmt, std::string table, std::string sql, int64_t rows) {
    Audit a;
    a.time = "2024-05-02 " + time;
    a.pid = 210;
    a.session = "6650f3b0.d2";
    a.user = "mallory";
    a.app = "DBeaver 23.2.5 - SQLEditor <Script-1.sql>";
    a.client = "10.20.1.21";
    a.stmt = stmt;
    a.table = std::move(table);
    a.statement = std::move(sql);
    a.rows = rows;
    return a;
  };
  const std::string card = "SELECT customer_id, first_name, last_name, email FROM crm.customers";
  v.push_back(portal("09:00:01.000", 1, "crm.customers", card + " WHERE customer_id = $1", "101", 1));
  v.push_back(portal("09:00:02.000", 2, "crm.subscriptions",
                     "SELECT subscription_id, product FROM crm.subscriptions WHERE customer_id = $1", "102", 2));
  v.push_back(portal("09:00:03.000", 3, "crm.customers", card + " WHERE email = $1", "alice.dupont@example.be", 1));
  v.push_back(portal("09:00:04.000", 4, "crm.tickets", "SELECT ticket_id FROM crm.tickets WHERE customer_id = $1",
                     "111", 0));
  v.push_back(portal("09:00:05.000", 5, "crm.customers",
                     card + " WHERE last_name = $1 AND country = $2 ORDER BY first_name, customer_id LIMIT 25",
                     "Brown,US", 1));
  Audit write = portal("09:00:06.000", 6, "crm.tickets", "UPDATE crm.tickets SET status = $1 WHERE ticket_id = $2",
                       "solved,5", 1);
  write.klass = "WRITE";
  write.command = "UPDATE";
  v.push_back(write);

  v.push_back(dbeaver("19:00:00.000", 1, "pg_catalog.pg_namespace",
                      "SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace n ORDER BY nspname", 7));
  v.push_back(dbeaver("19:00:00.500", 2, "crm.customers", "SELECT count(*) FROM crm.customers", 1));
  v.push_back(dbeaver("19:00:01.000", 3, "crm.customers",
                      "SELECT customer_id, first_name, last_name, email\nFROM crm.customers\nORDER BY customer_id\n"
                      "LIMIT 5 OFFSET 0",
                      5));
  v.push_back(dbeaver("19:00:02.000", 4, "crm.customers",
                      "SELECT customer_id, first_name, last_name, email\nFROM crm.customers\nORDER BY customer_id\n"
                      "LIMIT 5 OFFSET 5",
                      5));
  v.push_back(dbeaver("19:00:03.000", 5, "crm.customers",
                      "SELECT customer_id, email FROM crm.customers WHERE customer_id IN (103, 104, 105)", 3));
  v.push_back(dbeaver("19:00:04.000", 6, "crm.customers",
                      "SELECT customer_id, email FROM crm.customers WHERE customer_id IN (112, 114, 999)", 2));
  const std::string copy =
      "COPY (SELECT customer_id, email FROM crm.customers WHERE country IN ('CH', 'JP') ORDER BY customer_id) TO STDOUT";
  v.push_back(dbeaver("19:00:05.000", 7, "crm.customers", copy, 2));
  Audit copy_rec = dbeaver("19:00:05.000", 7, "", copy, 0);
  copy_rec.sub = 2;
  copy_rec.command = "COPY";
  copy_rec.object_type = "";
  v.push_back(copy_rec);
  // One statement, one line per relation (pgaudit.log_relation = on).
  const std::string join =
      "SELECT c.customer_id, t.ticket_id FROM crm.customers c JOIN crm.tickets t ON t.customer_id = c.customer_id "
      "WHERE c.customer_id = 107";
  v.push_back(dbeaver("19:00:06.000", 8, "crm.customers", join, 1));
  v.push_back(dbeaver("19:00:06.000", 8, "crm.tickets", join, 1));

  Audit bob = portal("10:00:00.000", 1, "crm.customers", card + " WHERE customer_id = $1", "115", 1);
  bob.pid = 220;
  bob.session = "6650f4c0.dc";
  bob.app = "support-portal/agent=b.bystander";
  v.push_back(bob);
  // Session line numbers, per session.
  std::map<std::string, int> line;
  for (Audit& a : v) a.line = ++line[a.session];
  std::stable_sort(v.begin(), v.end(), [](const Audit& a, const Audit& b) { return a.time < b.time; });
  return v;
}

scope::ScopeConfig Config() {
  scope::ScopeConfig c;
  c.customer_table = "crm.customers";
  c.key_tables = {"crm.subscriptions", "crm.orders", "crm.tickets"};
  return c;
}

scope::ScopeSubject Mallory() {
  scope::ScopeSubject s;
  s.users = {"mallory"};
  s.humans = {"M.Allory"};  // case-insensitive
  return s;
}

std::string GeoCsv() {
  std::string s = "customer_id,country,region,region_name\n";
  for (const auto& c : scope_test::Customers()) s += c.id + "," + c.country + "," + c.region + ",\"Name, of " + c.region + "\"\n";
  return s;
}

class ScopeComputeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto v = Incident();
    stderr_ = dir_.Write("postgresql.log", scope_test::StderrLog(v));
    csv_ = dir_.Write("postgresql.csv", scope_test::CsvLog(v));
    json_ = dir_.Write("postgresql.json", scope_test::JsonLog(v));
    geo_ = dir_.Write("geo.csv", GeoCsv());
  }
  scope::ScopeResult Scope(const std::vector<std::string>& files, scope::ScopeSubject subject, scope::ScopeDatabase* db,
                           std::string geo = {}) {
    uint64_t audit = 0;
    auto recs = scope_test::Collect(files, Config(), subject, &audit);
    scope::ScopeOptions o;
    o.config = Config();
    o.subject = subject;
    o.db = db;
    o.geo_file = std::move(geo);
    o.now = ParseIso8601("2024-05-03T12:00:00Z");
    o.detected_at = ParseIso8601("2024-05-03T08:00:00Z");
    auto r = scope::ComputeScope(std::move(recs), o);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    scope::ScopeResult out = std::move(r).value();
    out.audit_records = audit;
    return out;
  }
  scope_test::TempDir dir_;
  std::string stderr_, csv_, json_, geo_;
};

const std::set<std::string> kAll = {"101", "102", "103", "104", "105", "106", "107", "108",
                                    "109", "110", "111", "112", "113", "114", "119", "120"};

TEST_F(ScopeComputeTest, ExactWithTheDatabaseInEachFormat) {
  for (const std::string& file : {stderr_, csv_, json_}) {
    SCOPED_TRACE(file);
    scope_test::FakeDb db;
    const scope::ScopeResult r = Scope({file}, Mallory(), &db);
    EXPECT_TRUE(r.exact) << (r.inexact_reasons.empty() ? "" : r.inexact_reasons[0]);
    EXPECT_EQ(scope_test::Keys(r), kAll);
    EXPECT_EQ(r.confirmed, 16u);
    EXPECT_EQ(r.unconfirmed, 0u);
    EXPECT_EQ(r.unresolved_reads, 0u);
    EXPECT_EQ(r.upper_bound, 16u);
    EXPECT_EQ(r.from_log, 5u);  // 101, 102 (subscriptions), 103-105
    EXPECT_EQ(r.from_database, 11u);
    EXPECT_EQ(r.customer_reads, 12u);
    EXPECT_EQ(r.writes, 1u);
    EXPECT_EQ(r.catalog_reads, 1u);
    EXPECT_EQ(r.subject_statements, 15u);
    EXPECT_EQ(r.geo_source, "database");
    EXPECT_EQ(r.geo_unknown, 0u);
    const std::map<std::string, uint64_t> want = {{"DE", 1}, {"FR", 1}, {"GB", 1}, {"US", 3}, {"CA", 1}, {"AU", 1},
                                                  {"AT", 1}, {"IT", 1}, {"PL", 1}, {"BE", 1}, {"ES", 1}, {"IE", 1},
                                                  {"CH", 1}, {"JP", 1}};
    EXPECT_EQ(scope_test::ByCountry(r), want);
    // Jurisdictions in table order, unknown countries last.
    std::vector<std::pair<std::string, uint64_t>> laws;
    for (const auto& j : r.jurisdictions) laws.emplace_back(j.law ? std::string(j.law->id) : "-", j.customers);
    const std::vector<std::pair<std::string, uint64_t>> want_laws = {
        {"GDPR", 8}, {"UK-GDPR", 1}, {"CH-FADP", 1}, {"US-STATE", 3}, {"CA-PIPEDA", 1}, {"AU-NDB", 1}, {"-", 1}};
    EXPECT_EQ(laws, want_laws);
    EXPECT_EQ(r.jurisdictions[3].places.size(), 3u);  // US-CA, US-NY, US-TX
    EXPECT_EQ(r.jurisdictions[0].deadline, ParseIso8601("2024-05-06T08:00:00Z"));
    EXPECT_EQ(r.gdpr_deadline, ParseIso8601("2024-05-06T08:00:00Z"));
    EXPECT_EQ(r.first_access, ParseIso8601("2024-05-02T09:00:01Z"));
    EXPECT_EQ(r.last_access, ParseIso8601("2024-05-02T19:00:06Z"));
    EXPECT_EQ(r.first_activity, ParseIso8601("2024-05-02T09:00:01Z"));
    ASSERT_EQ(r.sessions.size(), 2u);
    EXPECT_EQ(r.sessions[0].id, "6650f2a1.c8");
    EXPECT_EQ(r.sessions[1].application, "DBeaver 23.2.5 - SQLEditor <Script-1.sql>");
    // Every query the database saw is a plain SELECT; pages select only the key.
    for (const std::string& q : db.sql) EXPECT_TRUE(scope::IsPlainSelect(q, nullptr)) << q;
    bool page = false;
    for (const std::string& q : db.sql)
      if (q.find("LIMIT 5 OFFSET 5") != std::string::npos) {
        page = true;
        EXPECT_EQ(q.rfind("SELECT customers.customer_id FROM crm.customers", 0), 0u) << q;
        EXPECT_EQ(q.find("email"), std::string::npos) << q;
      }
    EXPECT_TRUE(page);
  }
}

TEST_F(ScopeComputeTest, StatusOfEachRead) {
  scope_test::FakeDb db;
  const scope::ScopeResult r = Scope({csv_}, Mallory(), &db);
  std::vector<std::string> got;
  for (const auto& s : r.statements) got.push_back(std::string(scope::ReadStatusName(s.status)) + " " + std::to_string(s.customers));
  const std::vector<std::string> want = {
      "log 1",        // customer_id = $1
      "log 1",        // subscriptions of one customer
      "database 1",   // by e-mail
      "no_rows 0",    // tickets, 0 rows
      "database 1",   // last-name search
      "aggregate 0",  // count(*)
      "database 5",   // page 1
      "database 5",   // page 2
      "log 3",        // IN list, 3 rows
      "database 2",   // IN list, 2 of 3 rows
      "database 2",   // COPY (SELECT …) TO
      "database 1",   // join, one line per relation folded
  };
  EXPECT_EQ(got, want);
  EXPECT_EQ(r.statements[6].method, "database: key projection");
  EXPECT_EQ(r.statements[6].db_rows, 5);
  EXPECT_EQ(r.statements[6].keys_resolved, 5u);
  EXPECT_EQ(r.statements[11].tables, (std::vector<std::string>{"crm.customers", "crm.tickets"}));
  // Shapes carry no literals: the e-mail parameter is nowhere, the IN list is shortened.
  EXPECT_EQ(r.statements[9].shape, "SELECT customer_id, email FROM crm.customers WHERE customer_id IN(?, …)");
  for (const auto& s : r.statements) EXPECT_EQ(s.shape.find("example"), std::string::npos) << s.shape;
}

TEST_F(ScopeComputeTest, AllThreeFormatsTogetherCountOnce) {
  scope_test::FakeDb db;
  const scope::ScopeResult r = Scope({stderr_, csv_, json_}, Mallory(), &db);
  EXPECT_EQ(scope_test::Keys(r), kAll);
  EXPECT_EQ(r.audit_records, 3u * 17u);
  EXPECT_EQ(r.subject_records, 3u * 16u);
  EXPECT_EQ(r.duplicate_records, 2u * 16u);
  EXPECT_EQ(r.customer_reads, 12u);
  EXPECT_TRUE(r.exact);
}

TEST_F(ScopeComputeTest, LogAloneSaysWhatItCannotName) {
  const scope::ScopeResult r = Scope({csv_}, Mallory(), nullptr, geo_);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(scope_test::Keys(r), (std::set<std::string>{"101", "102", "103", "104", "105", "107", "112", "114", "999"}));
  EXPECT_EQ(r.confirmed, 5u);
  EXPECT_EQ(r.unconfirmed, 4u);  // 107 (a join), 112, 114, 999 (2 rows for 3 keys)
  EXPECT_EQ(r.unresolved_reads, 5u);  // e-mail, search, two pages, COPY
  EXPECT_EQ(r.unresolved_rows, 1u + 1u + 5u + 5u + 2u);
  ASSERT_TRUE(r.has_upper_bound);
  EXPECT_EQ(r.upper_bound, 9u + 14u);
  size_t needs_db = 0;
  for (const auto& s : r.statements)
    if (s.status == scope::ReadStatus::kUnresolved) {
      ++needs_db;
      EXPECT_EQ(s.reason_code, "needs_db");
      EXPECT_NE(s.reason.find("--db"), std::string::npos);
    }
  EXPECT_EQ(needs_db, 5u);
  EXPECT_EQ(r.geo_source, "file: " + geo_);
  EXPECT_EQ(r.geo_unknown, 1u);  // 999 is no customer
  EXPECT_EQ(r.geo_unknown_reason, "not in " + geo_);
  // Region names from the file.
  bool named = false;
  for (const auto& rc : r.by_region)
    if (rc.region == "DE-BY") named = rc.name == "Name, of DE-BY";
  EXPECT_TRUE(named);
}

TEST_F(ScopeComputeTest, DatabaseForReadsAndFileForCountries) {
  scope_test::FakeDb db;
  const scope::ScopeResult r = Scope({json_}, Mallory(), &db, geo_);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.customers.size(), 16u);
  EXPECT_EQ(db.geo_calls, 0u);
  EXPECT_EQ(r.geo_unknown, 0u);
}

TEST_F(ScopeComputeTest, CountriesFromTheTableAsLogged) {
  // Configured without schema: the lookup uses the schema-qualified name pgaudit logged.
  scope_test::FakeDb db;
  scope::ScopeConfig cfg;  // customer_table "customers"
  auto recs = scope_test::Collect({csv_}, cfg, Mallory());
  scope::ScopeOptions o;
  o.config = cfg;
  o.subject = Mallory();
  o.db = &db;
  auto r = scope::ComputeScope(std::move(recs), o);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(db.geo_table, "crm.customers");
  EXPECT_EQ(r->geo_unknown, 0u);
  EXPECT_EQ(r->customers.size(), 16u);
}

TEST_F(ScopeComputeTest, DataChangedSinceIsFlagged) {
  scope_test::FakeDb db;
  db.drop_from_page["LIMIT 5 OFFSET 5"] = 1;  // a customer of the second page was deleted since
  const scope::ScopeResult r = Scope({csv_}, Mallory(), &db);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.rows_differ, 1u);
  EXPECT_EQ(r.customers.size(), 15u);
  EXPECT_EQ(r.upper_bound, 16u);
  const auto& page = r.statements[7];
  EXPECT_TRUE(page.rows_differ);
  EXPECT_EQ(page.rows, 5);
  EXPECT_EQ(page.db_rows, 4);
  EXPECT_NE(page.reason.find("changed"), std::string::npos);
}

TEST_F(ScopeComputeTest, DatabaseErrorsAreUnresolvedWithReason) {
  // A resolver that may read the key only: filters on e-mail or last name fail.
  class KeyOnly final : public scope::ScopeDatabase {
   public:
    scope_test::FakeDb inner;
    scope::KeyRows RunKeyQuery(const scope::KeyQuery& q) override {
      if (q.sql.find("email") != std::string::npos || q.sql.find("last_name") != std::string::npos) {
        scope::KeyRows r;
        r.sqlstate = "42501";
        r.error = "SQLSTATE 42501 " + scope::SqlStateName("42501");
        return r;
      }
      return inner.RunKeyQuery(q);
    }
    Status LookupGeo(const std::string& t, const std::vector<std::string>& k, std::vector<scope::GeoRow>* o) override {
      return inner.LookupGeo(t, k, o);
    }
    void Close() override {}
  } db;
  const scope::ScopeResult r = Scope({csv_}, Mallory(), &db);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.unresolved_reads, 2u);
  for (const auto& s : r.statements)
    if (s.status == scope::ReadStatus::kUnresolved) {
      EXPECT_EQ(s.reason_code, "db_error");
      EXPECT_NE(s.reason.find("42501"), std::string::npos);
      EXPECT_EQ(s.reason.find("example"), std::string::npos);  // no parameter value
    }
  EXPECT_EQ(r.customers.size(), 14u);  // 111 (by e-mail) and 113 (search) missing
}

TEST_F(ScopeComputeTest, Subjects) {
  scope_test::FakeDb db;
  scope::ScopeSubject human;
  human.humans = {"m.allory"};
  EXPECT_EQ(scope_test::Keys(Scope({csv_}, human, &db)), (std::set<std::string>{"101", "102", "111", "113"}));

  scope::ScopeSubject session;
  session.sessions = {"6650f3b0.d2"};
  EXPECT_EQ(Scope({csv_}, session, &db).customers.size(), 14u);

  scope::ScopeSubject client;
  client.clients = {"10.30.0.0/16"};  // the app servers: both agents
  EXPECT_EQ(scope_test::Keys(Scope({csv_}, client, &db)), (std::set<std::string>{"101", "102", "111", "113", "115"}));

  scope::ScopeSubject timed = Mallory();
  timed.from = ParseIso8601("2024-05-02T19:00:03Z");
  timed.to = ParseIso8601("2024-05-02T19:00:04Z");
  EXPECT_EQ(scope_test::Keys(Scope({csv_}, timed, &db)), (std::set<std::string>{"103", "104", "105", "112", "114"}));

  scope::ScopeSubject user;
  user.users = {"Mallory"};  // database users compare exactly
  EXPECT_EQ(Scope({csv_}, user, &db).subject_records, 0u);
}

TEST(ScopeCollector, BadHumanPattern) {
  scope::ScopeConfig c;
  c.human_pattern = "agent=(";
  scope::ScopeSubject s;
  s.humans = {"x"};
  scope::ScopeCollector col(c, s, 1);
  EXPECT_FALSE(col.status().ok());
}

TEST(ScopeCompute, PreviouslyLoggedAndNoStatement) {
  // pgaudit.log_statement_once: the second relation's line says <previously logged>.
  std::vector<scope::AuditRecord> recs(3);
  for (size_t i = 0; i < recs.size(); ++i) {
    recs[i].time = ParseIso8601("2024-05-02T10:00:00Z") + static_cast<int64_t>(i);
    recs[i].pid = 5;
    recs[i].session = "a.5";
    recs[i].user = "u";
    recs[i].klass = "READ";
    recs[i].command = "SELECT";
    recs[i].statement_id = 1;
    recs[i].substatement_id = 1;
    recs[i].rows = 2;
    recs[i].parameters = "<none>";
  }
  recs[0].table = "crm.customers";
  recs[0].statement = "SELECT * FROM crm.customers c JOIN crm.orders o USING (customer_id) WHERE customer_id IN (1, 2)";
  recs[1].table = "crm.orders";
  recs[1].statement = "<previously logged>";
  recs[1].parameters = "<previously logged>";
  recs[2].statement_id = 2;
  recs[2].table = "crm.customers";
  recs[2].statement = "";  // pgaudit.log_statement = off
  scope::ScopeOptions o;
  o.config.customer_table = "crm.customers";
  o.subject.users = {"u"};
  auto r = scope::ComputeScope(recs, o);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->statements.size(), 2u);
  EXPECT_EQ(r->statements[0].tables.size(), 2u);
  EXPECT_EQ(r->statements[0].status, scope::ReadStatus::kUnconfirmed);  // two tables, no database
  EXPECT_EQ(r->statements[0].keys_named, 2u);
  EXPECT_EQ(r->statements[1].status, scope::ReadStatus::kUnresolved);
  EXPECT_EQ(r->statements[1].reason_code, "no_statement");
  EXPECT_FALSE(r->exact);
}

TEST(ScopeCompute, NormalizeKey) {
  EXPECT_EQ(scope::NormalizeKey(" 0042 ", true), "42");
  EXPECT_EQ(scope::NormalizeKey("0", true), "0");
  EXPECT_EQ(scope::NormalizeKey("-007", true), "-7");
  EXPECT_EQ(scope::NormalizeKey("0042", false), "0042");
  EXPECT_EQ(scope::NormalizeKey("C-0042", true), "C-0042");
}

TEST(ScopeConfig, LoadsYaml) {
  scope_test::TempDir dir;
  scope::ScopeConfig c;
  ASSERT_TRUE(scope::LoadScopeConfig(dir.Write("a.yml",
                                               "scope:\n  customer_table: crm.customers\n  customer_key: cid\n"
                                               "  key_tables: [crm.orders, crm.tickets]\n  statement_timeout: 5s\n"
                                               "  region_column: state\nother: ignored\n"),
                                     &c)
                  .ok());
  EXPECT_EQ(c.customer_table, "crm.customers");
  EXPECT_EQ(c.key_column, "cid");
  EXPECT_EQ(c.key_tables.size(), 2u);
  EXPECT_EQ(c.statement_timeout_ms, 5000);
  EXPECT_EQ(c.region_column, "state");
  scope::ScopeConfig e;  // hunt's --db-config file
  ASSERT_TRUE(scope::LoadScopeConfig(dir.Write("c.yml",
                                               "customer_key: cid\nsensitive_tables: [crm.customers]\n"
                                               "person_in_application: 'user=(\\w+)'\nwork_hours: 7-19\n"),
                                     &e)
                  .ok());
  EXPECT_EQ(e.key_column, "cid");
  EXPECT_EQ(e.human_pattern, "user=(\\w+)");
  scope::ScopeConfig d;
  Status st = scope::LoadScopeConfig(dir.Write("b.yml", "customer_tabel: x\n"), &d);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.ToString().find("customer_tabel"), std::string::npos);
}

TEST(ScopeDetection, FromHuntRiskJson) {
  scope_test::TempDir dir;
  const std::string path = dir.Write("risk.json", R"({"at":"2024-05-03T00:00:00Z",
    "alerts":[{"time":"2024-05-02T21:00:00.0000000Z","kind":"user","entity":"bob","score":70.0},
              {"time":"2024-05-02T20:00:00.0000000Z","kind":"user","entity":"support_app/agent=m.allory","score":55.0}],
    "findings":[{"time":"2024-05-02T19:00:02.0000000Z","code":"DB-BULK-READ","title":"t","points":45.0,"user":"mallory"},
                {"time":"2024-05-02T18:00:00.0000000Z","code":"DB-OFF-HOURS","title":"t","points":10.0,"user":"mallory"},
                {"time":"2024-05-02T17:00:00.0000000Z","code":"DB-BULK-READ","title":"t","points":90.0,"user":"mallory2"}]})");
  int64_t t = 0;
  std::string src;
  ASSERT_TRUE(scope::DetectionFromFindings(path, Mallory(), &t, &src).ok());
  EXPECT_EQ(t, ParseIso8601("2024-05-02T19:00:02Z"));  // the high finding; the low one and mallory2 do not count
  EXPECT_NE(src.find("DB-BULK-READ"), std::string::npos);
  scope::ScopeSubject human;
  human.humans = {"m.allory"};
  ASSERT_TRUE(scope::DetectionFromFindings(path, human, &t, &src).ok());
  EXPECT_EQ(t, ParseIso8601("2024-05-02T20:00:00Z"));  // the alert on the app account naming him
  scope::ScopeSubject nobody;
  nobody.users = {"carol"};
  ASSERT_TRUE(scope::DetectionFromFindings(path, nobody, &t, &src).ok());
  EXPECT_EQ(t, kNoTime);
  EXPECT_FALSE(scope::DetectionFromFindings(dir.Write("bad.json", "{"), nobody, &t, &src).ok());
}

}  // namespace
}  // namespace inari
