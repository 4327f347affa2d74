// Helpers for the `inari scope` tests: pgaudit logs written by hand in the
// three PostgreSQL formats, a fake customer database behind ScopeDatabase, and
// a scan of files through the Scanner into a ScopeCollector.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "base/time.h"
#include "engine/scan.h"
#include "engine/scope.h"
#include "engine/scope_sql.h"

namespace inari::scope_test {

// The customers of the fake database. Names and e-mail addresses exist only
// so that tests can prove they never reach an output.
struct Customer {
  std::string id, first, last, email, country, region;
};

inline std::vector<Customer> Customers() {
  return {
      {"101", "Anna", "Schmidt", "anna.schmidt@example.de", "DE", "DE-BY"},
      {"102", "Louis", "Martin", "louis.martin@example.fr", "FR", "FR-IDF"},
      {"103", "Oliver", "Smith", "oliver.smith@example.co.uk", "GB", "GB-ENG"},
      {"104", "Emma", "Johnson", "emma.johnson@example.com", "US", "US-CA"},
      {"105", "Noah", "Williams", "noah.williams@example.com", "US", "US-NY"},
      {"106", "Liam", "Tremblay", "liam.tremblay@example.ca", "CA", "CA-ON"},
      {"107", "Mia", "Wilson", "mia.wilson@example.com.au", "AU", "AU-NSW"},
      {"108", "Lukas", "Gruber", "lukas.gruber@example.at", "AT", "AT-9"},
      {"109", "Sofia", "Rossi", "sofia.rossi@example.it", "IT", "IT-25"},
      {"110", "Jan", "Kowalski", "jan.kowalski@example.pl", "PL", "PL-14"},
      {"111", "Alice", "Dupont", "alice.dupont@example.be", "BE", "BE-BRU"},
      {"112", "Hugo", "Garcia", "hugo.garcia@example.es", "ES", "ES-MD"},
      {"113", "Ella", "Brown", "ella.brown@example.com", "US", "US-TX"},
      {"114", "Sean", "Murphy", "sean.murphy@example.ie", "IE", "IE-D"},
      {"115", "Bob", "Bystander", "bob.bystander@example.com", "US", "US-CA"},
      {"119", "Lea", "Meier", "lea.meier@example.ch", "CH", "CH-ZH"},
      {"120", "Yui", "Tanaka", "yui.tanaka@example.jp", "JP", "JP-13"},
  };
}

// Answers RunKeyQuery by reading the *logged* statement the way PostgreSQL
// would for the few shapes the tests use, and records every SQL text it got.
class FakeDb final : public scope::ScopeDatabase {
 public:
  std::vector<std::string> sql;  // every query run
  std::vector<std::vector<std::string>> params;
  size_t geo_calls = 0;
  std::string geo_table;  // the table LookupGeo was asked about
  std::map<std::string, size_t> drop_from_page;  // "LIMIT n OFFSET m" → rows fewer now (data changed)
  std::vector<Customer> table = Customers();

  scope::KeyRows RunKeyQuery(const scope::KeyQuery& q) override {
    sql.push_back(q.sql);
    params.push_back(q.params);
    scope::KeyRows out;
    std::string why;
    if (!scope::IsPlainSelect(q.sql, &why)) {
      out.error = "refused: " + why;
      return out;
    }
    const std::string s(q.logged);
    std::smatch m;
    std::vector<std::string> ids;
    if (std::regex_search(s, m, std::regex(R"(LIMIT (\d+) OFFSET (\d+))"))) {
      const size_t n = std::stoul(m[1]), off = std::stoul(m[2]);
      for (size_t i = off; i < table.size() && i < off + n; ++i) ids.push_back(table[i].id);
      auto d = drop_from_page.find(m[0]);
      if (d != drop_from_page.end()) ids.resize(ids.size() - std::min(ids.size(), d->second));
    } else if (std::regex_search(s, m, std::regex(R"(customer_id IN \(([0-9, ]+)\))"))) {
      std::set<std::string> want;
      std::string list = m[1];
      std::regex num(R"(\d+)");
      for (auto it = std::sregex_iterator(list.begin(), list.end(), num); it != std::sregex_iterator(); ++it)
        want.insert(it->str());
      for (const Customer& c : table)
        if (want.count(c.id)) ids.push_back(c.id);
    } else if (s.find("email = $1") != std::string::npos) {
      for (const Customer& c : table)
        if (!q.params.empty() && c.email == q.params[0]) ids.push_back(c.id);
    } else if (std::regex_search(s, m, std::regex(R"(country IN \(([A-Z', ]+)\))"))) {
      const std::string list = m[1];
      for (const Customer& c : table)
        if (list.find("'" + c.country + "'") != std::string::npos) ids.push_back(c.id);
    } else if (s.find("last_name = $1") != std::string::npos) {
      for (const Customer& c : table)
        if (!q.params.empty() && c.last == q.params[0]) ids.push_back(c.id);
    } else if (std::regex_search(s, m, std::regex(R"(customer_id = (\d+))"))) {
      for (const Customer& c : table)
        if (c.id == m[1].str()) ids.push_back(c.id);
    } else {
      out.sqlstate = "42501";
      out.error = "SQLSTATE 42501 insufficient_privilege";
      return out;
    }
    out.keys = ids;
    out.rows = ids.size();
    return out;
  }

  Status LookupGeo(const std::string& customer_table, const std::vector<std::string>& keys,
                   std::vector<scope::GeoRow>* out) override {
    geo_table = customer_table;
    ++geo_calls;
    for (const std::string& k : keys)
      for (const Customer& c : table)
        if (c.id == k) out->push_back({c.id, c.country, c.region});
    return Status::OK();
  }
  void Close() override {}
};

// One pgaudit record.
struct Audit {
  std::string time;  // "2024-05-02 09:00:01.000"
  int pid = 200;
  std::string session = "6650f2a1.c8";
  int line = 1;
  std::string user = "mallory", db = "crm", client = "10.0.0.7", app = "psql";
  int stmt = 1, sub = 1;
  std::string klass = "READ", command = "SELECT", object_type = "TABLE", table = "crm.customers";
  std::string statement;
  std::string params = "<none>";
  int64_t rows = 0;
};

inline std::string CsvQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// pgaudit's own CSV of one record (the message after "AUDIT: ").
inline std::string AuditMessage(const Audit& a) {
  auto field = [](const std::string& v) {
    return v.find_first_of(",\"\n\r") == std::string::npos ? v : CsvQuote(v);
  };
  return "AUDIT: SESSION," + std::to_string(a.stmt) + "," + std::to_string(a.sub) + "," + a.klass + "," + a.command + "," +
         a.object_type + "," + a.table + "," + field(a.statement) + "," + field(a.params) + "," + std::to_string(a.rows);
}

inline std::string StderrLog(const std::vector<Audit>& v) {
  std::string out;
  for (const Audit& a : v) {
    std::string msg = AuditMessage(a);
    std::string withtabs;
    for (char c : msg) {
      withtabs += c;
      if (c == '\n') withtabs += '\t';
    }
    out += a.time + " UTC [" + std::to_string(a.pid) + "] " + a.user + "@" + a.db + " " + a.client + "(51000) " +
           a.session + ":" + std::to_string(a.line) + " " + a.app + " LOG:  " + withtabs + "\n";
  }
  return out;
}
inline constexpr const char* kPrefix = "%m [%p] %q%u@%d %r %c:%l %a ";

inline std::string CsvLog(const std::vector<Audit>& v) {
  std::string out;
  for (const Audit& a : v)
    out += a.time + " UTC," + CsvQuote(a.user) + "," + CsvQuote(a.db) + "," + std::to_string(a.pid) + "," +
           CsvQuote(a.client + ":51000") + "," + a.session + "," + std::to_string(a.line) + ",\"SELECT\"," +
           a.time.substr(0, 19) + " UTC,3/1,0,LOG,00000," + CsvQuote(AuditMessage(a)) + ",,,,,,,,," + CsvQuote(a.app) +
           ",\"client backend\",,0\n";
  return out;
}

inline std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out;
}

inline std::string JsonLog(const std::vector<Audit>& v) {
  std::string out;
  for (const Audit& a : v)
    out += "{\"timestamp\":\"" + a.time + " UTC\",\"user\":\"" + a.user + "\",\"dbname\":\"" + a.db +
           "\",\"pid\":" + std::to_string(a.pid) + ",\"remote_host\":\"" + a.client +
           "\",\"remote_port\":51000,\"session_id\":\"" + a.session + "\",\"line_num\":" + std::to_string(a.line) +
           ",\"ps\":\"SELECT\",\"session_start\":\"" + a.time.substr(0, 19) +
           " UTC\",\"vxid\":\"3/1\",\"txid\":0,\"error_severity\":\"LOG\",\"message\":\"" + JsonEscape(AuditMessage(a)) +
           "\",\"application_name\":\"" + JsonEscape(a.app) + "\",\"backend_type\":\"client backend\",\"query_id\":0}\n";
  return out;
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/inari-scope-test-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& text) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Scans `files` (format detected; stderr logs with kPrefix) and returns the subject's records.
inline std::vector<scope::AuditRecord> Collect(const std::vector<std::string>& files, const scope::ScopeConfig& cfg,
                                               const scope::ScopeSubject& subject, uint64_t* audit = nullptr,
                                               int threads = 2) {
  ScanOptions so;
  so.threads = threads;
  so.reader.pg_line_prefix = kPrefix;
  IssueLog issues;
  Scanner scanner(so, &issues);
  scope::ScopeCollector collector(cfg, subject, scanner.threads());
  EXPECT_TRUE(collector.status().ok()) << collector.status().ToString();
  scanner.Run(
      files, [&](int w, const EventBatch& b, std::string*) { collector.Consume(w, b); }, nullptr);
  EXPECT_EQ(issues.total(), 0u);
  for (const ReadIssue& i : issues.kept()) ADD_FAILURE() << i.source << " " << i.where << " " << i.status.ToString();
  return collector.TakeRecords(audit);
}

inline std::map<std::string, uint64_t> ByCountry(const scope::ScopeResult& r) {
  std::map<std::string, uint64_t> m;
  for (const auto& c : r.by_country) m[c.country] = c.customers;
  return m;
}

inline std::set<std::string> Keys(const scope::ScopeResult& r) {
  std::set<std::string> s;
  for (const auto& c : r.customers) s.insert(c.key);
  return s;
}

}  // namespace inari::scope_test
