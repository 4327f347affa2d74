// Insider analytics over pgaudit events: extraction (actor from the app name,
// folding per-relation lines, keys), each reason code on a small story, the
// benign heavy day staying below high severity, HyperLogLog accuracy.
#include "analytics/dbwatch.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "base/time.h"

namespace inari::analytics {
namespace {

constexpr int64_t kMin = 60LL * 1'000'000'000;
constexpr int64_t kH = 60 * kMin;
constexpr int64_t kD = 24 * kH;

struct Audit {
  int64_t time;
  std::string user, client, app, session;
  int64_t stmt;
  std::string klass, command, table, statement, params;
  int64_t rows = -1;
  std::string type = "audit";
};

class DbWatchTest : public ::testing::Test {
 protected:
  DbWatchTest() {
    cfg_.sensitive_tables = {"public.customers"};
    cfg_.app_only_tables = {"public.customers"};
    cfg_.app_names = {"support-portal*"};
    cfg_.service_accounts = {"support_app"};
    cfg_.service_clients = {"10.20.0."};
    cfg_.warmup = 5 * kD;
  }
  // Extracts every event of `v` with one extractor (the order of a file).
  std::vector<DbAccess> Extract(const std::vector<Audit>& v) {
    DbExtractor x(&cfg_);
    std::vector<DbAccess> out;
    for (const Audit& a : v) {
      EventBatch b;
      b.AddSource("pg.log");
      b.BeginEvent();
      auto add = [&](const char* k, const std::string& s) {
        if (!s.empty()) b.Add(InternField(k), Value::String(b.CopyString(s)));
      };
      add("Channel", "PostgreSQL");
      add("EventType", a.type);
      add("User", a.user);
      add("Client", a.client);
      add("Application", a.app);
      add("SessionId", a.session);
      b.Add(InternField("StatementId"), Value::UInt(static_cast<uint64_t>(a.stmt)));
      b.Add(InternField("SubstatementId"), Value::UInt(1));
      add("Class", a.klass);
      add("Command", a.command);
      add("Table", a.table);
      add("Statement", a.statement);
      add("Parameters", a.params);
      if (a.rows >= 0) b.Add(InternField("Rows"), Value::UInt(static_cast<uint64_t>(a.rows)));
      b.EndEvent(a.time, 0, EventOrigin{0, 0, 1});
      x.Extract(b[0], "pg.log", &out);
    }
    std::vector<DbExtractor> xs;
    xs.push_back(std::move(x));
    std::vector<std::vector<DbAccess>> per = {out};
    sources_.clear();
    keys_.clear();
    return MergeDbAccesses(&xs, &per, &names_, &sources_, &keys_);
  }
  std::vector<Finding> Run(const std::vector<Audit>& v) {
    DbWatch w(cfg_, &names_);
    std::vector<Finding> out;
    for (const DbAccess& a : Extract(v)) w.Observe(a, keys_, sources_, &out);
    return out;
  }
  static std::map<std::string, int> Codes(const std::vector<Finding>& f) {
    std::map<std::string, int> m;
    for (auto& x : f) ++m[x.code];
    return m;
  }
  // An agent opening customers through the app: `n` a day at 10:00 + i minutes.
  void AppDay(std::vector<Audit>* v, const std::string& agent, int64_t day, int n, int first_id, int64_t* stmt) {
    for (int i = 0; i < n; ++i)
      v->push_back({day + 10 * kH + i * kMin, "support_app", "10.20.0.10", "support-portal/agent=" + agent,
                    "s-" + agent, ++*stmt, "READ", "SELECT", "public.customers",
                    "SELECT * FROM public.customers WHERE customer_id = $1", std::to_string(first_id + i), 1});
  }
  DbWatchConfig cfg_;
  NameTable names_;
  std::vector<std::string> sources_;
  std::vector<uint64_t> keys_;
  const int64_t t0_ = ParseIso8601("2025-03-03T00:00:00Z");  // a Monday
};

TEST_F(DbWatchTest, ActorComesFromTheApplicationAndRelationLinesFold) {
  std::vector<Audit> v = {
      {t0_ + 10 * kH, "support_app", "10.20.0.10", "support-portal/agent=J.Doe", "s1", 7, "READ", "SELECT",
       "public.customers", "SELECT * FROM customers c JOIN tickets t USING (customer_id) WHERE c.customer_id = $1",
       "4711", 1},
      {t0_ + 10 * kH, "support_app", "10.20.0.10", "support-portal/agent=J.Doe", "s1", 7, "READ", "SELECT",
       "public.tickets", "<previously logged>", "<previously logged>", 1},
  };
  auto acc = Extract(v);
  ASSERT_EQ(acc.size(), 1u);
  EXPECT_EQ(names_.Name(acc[0].actor), "u:j.doe");
  EXPECT_EQ(names_.Name(acc[0].db_user), "u:support_app");
  EXPECT_TRUE(acc[0].via_app);
  EXPECT_TRUE(acc[0].sensitive);
  EXPECT_EQ(acc[0].keys_count, 1u);
}

TEST_F(DbWatchTest, BulkPagingWithPsqlIsHighBeforeAThousandRecords) {
  std::vector<Audit> v;
  for (int page = 0; page < 20; ++page)
    v.push_back({t0_ + 14 * kH + page * kMin, "j.doe", "10.30.1.23", "psql", "s9", page + 1, "READ", "SELECT",
                 "public.customers",
                 "SELECT * FROM customers ORDER BY customer_id LIMIT 100 OFFSET " + std::to_string(page * 100), "<none>",
                 100});
  auto f = Run(v);
  auto codes = Codes(f);
  EXPECT_EQ(codes["DB-DIRECT-ACCESS"], 1);
  ASSERT_EQ(codes["DB-DIRECT-BULK"], 1);
  for (size_t i = 0; i < f.size(); ++i)
    if (f[i].code == "DB-DIRECT-BULK") {
      EXPECT_GE(f[i].points, 40);  // high
      EXPECT_EQ(f[i].user, "j.doe");
      EXPECT_EQ(f[i].host, "10.30.1.23");
      // Alerted at the page that crossed 200 rows: 200 records read, well before 1,000.
      EXPECT_EQ(f[i].time, t0_ + 14 * kH + 1 * kMin);
    }
}

TEST_F(DbWatchTest, ExportAndServiceAccountFromAWorkstation) {
  std::vector<Audit> v = {
      {t0_ + 9 * kH, "support_app", "10.30.1.23", "psql", "s5", 1, "READ", "COPY", "public.customers",
       "COPY (SELECT * FROM customers) TO STDOUT WITH CSV", "<none>", 100000},
  };
  auto codes = Codes(Run(v));
  EXPECT_EQ(codes["DB-EXPORT"], 1);
  EXPECT_EQ(codes["DB-SERVICE-ACCOUNT-MISUSE"], 1);
  EXPECT_EQ(codes["DB-BULK-STATEMENT"], 1);
}

TEST_F(DbWatchTest, SlowAndLowIsHighWithinThreeDaysButAHeavyDayIsNot) {
  std::vector<Audit> v;
  int64_t stmt = 0;
  // Ten agents, 30 customers a working day each for two weeks (warm-up five days).
  for (int d = 0; d < 14; ++d) {
    const int64_t day = t0_ + d * kD;
    const int wd = d % 7;
    if (wd >= 5) continue;
    for (int a = 0; a < 10; ++a) {
      const std::string agent = "agent" + std::to_string(a);
      int n = 30;
      if (a == 1 && d >= 7) n = 30 + 300;  // slow-and-low from day 7: 300 extra a day
      if (a == 2 && d == 9) n = 110;        // a busy incident day: ~3.7x
      AppDay(&v, agent, day, n, a * 100000 + d * 1000, &stmt);
    }
  }
  std::sort(v.begin(), v.end(), [](const Audit& x, const Audit& y) { return x.time < y.time; });
  auto f = Run(v);
  int64_t first_high_slow = INT64_MAX;
  bool heavy_high = false, heavy_medium = false;
  for (auto& x : f) {
    if (x.user == "agent1" && x.code == "DB-CUSTOMER-SPIKE-HIGH") first_high_slow = std::min(first_high_slow, x.time);
    if (x.user == "agent2" && x.points >= 40) heavy_high = true;
    if (x.user == "agent2" && x.code == "DB-CUSTOMER-SPIKE") heavy_medium = true;
  }
  ASSERT_NE(first_high_slow, INT64_MAX);
  EXPECT_LT(first_high_slow - (t0_ + 7 * kD), 3 * kD);
  EXPECT_FALSE(heavy_high);
  EXPECT_TRUE(heavy_medium);  // noticed, at medium severity
}

TEST(HyperLogLog, EstimatesWithinThreePercent) {
  for (int n : {1000, 50000, 300000}) {
    HyperLogLog h;
    for (int i = 0; i < n; ++i) {
      uint64_t x = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ULL;
      x ^= x >> 31;
      x *= 0xBF58476D1CE4E5B9ULL;
      x ^= x >> 29;
      h.Add(x);
    }
    EXPECT_NEAR(h.Estimate(), n, n * 0.03) << n;
  }
}

TEST(GlobMatch, WildcardsCaseInsensitive) {
  EXPECT_TRUE(GlobMatch("support-portal*", "Support-Portal/agent=j.doe"));
  EXPECT_TRUE(GlobMatch("dbeaver*", "DBeaver 23.1.0 - Main"));
  EXPECT_TRUE(GlobMatch("psql", "psql"));
  EXPECT_FALSE(GlobMatch("psql", "psql2"));
  EXPECT_TRUE(GlobMatch("*admin*", "pgAdmin 4"));
}

}  // namespace
}  // namespace inari::analytics
