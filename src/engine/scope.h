// Breach scope (`inari scope`): which customers a subject — a database user,
// the person behind a shared application account, a session, a client — read,
// where these customers live, which notification laws that brings in, the
// timeline and the evidence. docs/scope.md describes the method.
//
// Flow: a ScopeCollector sees every batch of a scan (one instance, Consume is
// called from the scanner's workers, each with its own worker index, without
// locks) and keeps the subject's pgaudit records; ComputeScope then folds
// pgaudit's per-relation lines into statements, takes the customer keys each
// read names (analytics::ExtractKeys on the statement and its logged
// parameters), resolves the reads the log cannot name through a
// ScopeDatabase (scope_db.h; read-only, one snapshot), maps every key to
// country and region (the database or an exported CSV) and fills a
// ScopeResult. Nothing is dropped silently: every read that could not be
// resolved is in `statements` with a reason, and `exact` says whether the
// count is exact.
//
// Privacy: the result holds customer keys (pseudonymous ids), countries and
// regions, never other customer data; statements are kept as shapes with
// their literals replaced (StatementShape) and parameters are never kept.
// Thread-safety: see above; ComputeScope is single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/time.h"
#include "engine/scope_db.h"
#include "engine/scope_law.h"
#include "inari/event.h"
#include "inari/result.h"
#include "inari/status.h"

namespace inari::scope {

// Where customers live in the database and how the log names people.
struct ScopeConfig {
  std::string customer_table = "customers";  // "schema.name" or "name" (any schema)
  std::string key_column = "customer_id";
  std::string country_column = "country";    // ISO 3166-1 alpha-2 in the table
  std::string region_column = "region";      // ISO 3166-2; "" = none
  std::vector<std::string> key_tables;       // other tables holding the key column
  std::string human_pattern = "agent=([A-Za-z0-9._@-]+)";  // RE2 on Application; group 1 = the person
  std::string search_path;                   // for resolving unqualified names; "" = the role's default
  int statement_timeout_ms = 30000;
  bool numeric_keys = true;                  // "000042" and "42" are the same customer
};

// Reads a YAML file: the keys above (`customer_key` is taken for
// `key_column`, `statement_timeout` as milliseconds or "30s"), under `scope:`
// when the file has that section (a file shared with other settings), else at
// the top level. The file of `hunt --db-config` (docs/insider.md) is accepted
// too: `customer_key`, `person_in_application` are taken, its other settings
// ignored. An unknown key is an error.
Status LoadScopeConfig(const std::string& path, ScopeConfig* config);

// Who. Identities (users, humans, sessions) are alternatives: a record of any
// of them belongs to the subject. Clients and the time range restrict. At
// least one identity or client is required.
struct ScopeSubject {
  std::vector<std::string> users;     // database users (exact)
  std::vector<std::string> humans;    // from Application with the human pattern (case-insensitive)
  std::vector<std::string> sessions;  // SessionId (%c)
  std::vector<std::string> clients;   // address or IPv4 CIDR ("10.20.0.0/16")
  int64_t from = kNoTime, to = kNoTime;  // inclusive
  bool empty() const { return users.empty() && humans.empty() && sessions.empty() && clients.empty(); }
  std::string Describe() const;  // "user pquinn, human p.quinn, 2 sessions"
};

// One pgaudit record of the subject (copied out of its batch).
struct AuditRecord {
  int64_t time = kNoTime;
  std::string source;
  uint64_t line = 0;
  std::string user, database, client, application, session, audit_type, klass, command, object_type, table,
      statement, parameters;
  int64_t pid = -1, session_line = -1, statement_id = -1, substatement_id = -1, rows = -1;
};

class ScopeCollector {
 public:
  ScopeCollector(const ScopeConfig& config, const ScopeSubject& subject, int threads);
  ~ScopeCollector();
  // A bad human pattern; check before scanning.
  const Status& status() const { return status_; }
  void Consume(int worker, const EventBatch& batch);
  // Moves out the records of all workers (unordered). `audit_records` counts
  // every pgaudit record seen, the subject's or not; `without_session` those
  // without a SessionId (which --session cannot match).
  std::vector<AuditRecord> TakeRecords(uint64_t* audit_records, uint64_t* without_session = nullptr);

 private:
  struct Worker;
  bool Matches(const EventView& e, std::string* human) const;
  ScopeSubject subject_;
  Status status_;
  struct Fields;
  std::unique_ptr<Fields> f_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

enum class ReadStatus : uint8_t {
  kLog,          // keys named by the log, confirmed by the rows pgaudit logged
  kDatabase,     // keys returned by re-running the read against the database
  kUnconfirmed,  // keys named by the log, but the rows do not confirm which were returned (counted: upper bound)
  kNoRows,       // nothing returned (rows 0)
  kAggregate,    // returns no customer rows (an aggregate such as count(*))
  kUnresolved,   // could not be resolved; `reason` says why
};
std::string_view ReadStatusName(ReadStatus s);  // "log", "database", "unconfirmed", "no_rows", "aggregate", "unresolved"

// One read of customer data (a statement; pgaudit's lines per relation folded).
struct ScopeStatement {
  int64_t time = kNoTime;
  std::string source;
  uint64_t line = 0;
  std::string session, user, database, client, application, command;
  std::vector<std::string> tables;
  int64_t rows = -1;         // rows pgaudit logged, -1 not logged
  std::string shape;         // StatementShape of the statement
  uint64_t keys_named = 0;   // distinct keys the statement and its parameters name
  uint64_t keys_resolved = 0;  // distinct keys the database returned
  uint64_t customers = 0;    // distinct keys counted from this statement
  uint64_t new_customers = 0;  // of which first seen here
  int64_t db_rows = -1;      // rows the database returned now, -1 not run
  ReadStatus status = ReadStatus::kUnresolved;
  std::string method;        // "log", "database: key projection", "database: wrapped"…
  std::string reason_code;   // unresolved: needs_db, params_not_logged, refused, db_error, no_key_column, no_statement
  std::string reason;        // value-free explanation
  bool rows_differ = false;  // the database returned another number of rows than pgaudit logged
  bool order_unstable = false;  // LIMIT/OFFSET without ORDER BY: a re-run may return other rows
};

struct ScopeCustomer {
  std::string key;
  int64_t first = kNoTime, last = kNoTime;
  std::string country, region;  // "" = unknown
  uint32_t reads = 0;
  bool confirmed = true;  // false: named by the log only (kUnconfirmed reads)
};

struct CountryCount {
  std::string country;  // "" = unknown
  uint64_t customers = 0;
};
struct RegionCount {
  std::string country, region, name;  // region "" = unknown
  uint64_t customers = 0;
};
struct JurisdictionHit {
  const Jurisdiction* law = nullptr;  // nullptr: countries without an entry
  uint64_t customers = 0;
  std::vector<std::pair<std::string, uint64_t>> places;  // countries, or regions for by-region laws
  int64_t deadline = kNoTime;  // detection + the law's fixed hours
};
struct ScopeSession {
  std::string id, user, client, application;
  int64_t first = kNoTime, last = kNoTime;
  uint64_t statements = 0, customer_reads = 0;
};

struct ScopeResult {
  ScopeSubject subject;
  ScopeConfig config;
  std::vector<std::string> inputs;
  std::string database;       // redacted connection string, "" = none
  std::string geo_source;     // "database", "file: PATH", "none"
  // What was read.
  uint64_t audit_records = 0, subject_records = 0, duplicate_records = 0, subject_statements = 0;
  uint64_t customer_reads = 0, writes = 0, catalog_reads = 0;
  std::vector<std::pair<std::string, uint64_t>> other_tables;  // read, but no customer data (by statements)
  // Customers.
  std::vector<ScopeCustomer> customers;  // sorted by key
  uint64_t confirmed = 0, unconfirmed = 0, from_log = 0, from_database = 0;
  bool exact = true;
  std::vector<std::string> inexact_reasons;
  bool has_upper_bound = true;
  uint64_t upper_bound = 0;   // customers + rows of unresolved reads (when all rows were logged)
  uint64_t unresolved_reads = 0, unresolved_rows = 0, rows_differ = 0;
  uint64_t rows_logged = 0;   // rows pgaudit logged for reads that returned customers (a count by rows, not customers)
  uint64_t geo_unknown = 0;
  std::string geo_unknown_reason;
  std::vector<CountryCount> by_country;   // most customers first
  std::vector<RegionCount> by_region;
  std::vector<JurisdictionHit> jurisdictions;
  // Timeline.
  int64_t first_access = kNoTime, last_access = kNoTime;      // reads that returned customers
  int64_t first_activity = kNoTime, last_activity = kNoTime;  // any audited statement
  int64_t detected_at = kNoTime, gdpr_deadline = kNoTime, now = kNoTime;
  std::string detection_source;
  // Evidence.
  std::vector<ScopeStatement> statements;  // reads of customer data, time order
  std::vector<ScopeSession> sessions;
  std::vector<std::string> notes;
  double seconds_db = 0;
};

struct ScopeOptions {
  ScopeConfig config;
  ScopeSubject subject;
  ScopeDatabase* db = nullptr;   // resolves reads the log cannot name; geo when no geo_file
  std::string geo_file;          // CSV key,country,region[,region_name] with a header
  int64_t detected_at = kNoTime;
  std::string detection_source;
  int64_t now = kNoTime;
};

Result<ScopeResult> ComputeScope(std::vector<AuditRecord> records, const ScopeOptions& options);

// The detection time from `inari hunt --risk-json` output: the earliest alert
// whose entity names the subject, or finding of high level (points >= 40 or
// "level": "high"/"critical") whose user names it. Names match a subject's
// user or human ignoring case, also inside an entity such as
// "support_app/agent=jdoe" or "u:jdoe". kNoTime (and why in `source`) when
// nothing names the subject.
Status DetectionFromFindings(const std::string& path, const ScopeSubject& subject, int64_t* time,
                             std::string* source);

// Key as counted: blanks trimmed; with numeric_keys, a decimal integer without leading zeros.
std::string NormalizeKey(std::string_view key, bool numeric_keys);

}  // namespace inari::scope
