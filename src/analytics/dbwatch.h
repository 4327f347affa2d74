// DbWatch — insider analytics over database audit events (PostgreSQL +
// pgaudit, docs/dbaudit.md): who read how much customer data, how, from where
// and when, against their own history and their peers'.
//
// Extraction (DbExtractor, one per scan worker, lock-free) turns pgaudit READ /
// WRITE / COPY records, failed logins and session starts into compact DbAccess
// records: the actor (the person: taken from the application name when a
// shared app account carries it, else the database user), the database user,
// client, application, table, rows and the customer keys the statement names
// (ExtractKeys). One record per statement: pgaudit's one-line-per-relation
// records of a statement are folded. DbWatch then runs in event-time order and
// emits Findings with stable reason codes (docs/insider.md). Distinct
// customers per actor and day are counted exactly up to `exact_limit` keys and
// with a HyperLogLog sketch beyond. Single-threaded except the extractors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analytics/activity.h"
#include "analytics/finding.h"
#include "inari/event.h"

namespace re2 {
class RE2;
}

namespace inari::analytics {

struct DbWatchConfig {
  std::string customer_key = "customer_id";        // column holding the customer id
  std::vector<std::string> sensitive_tables = {"customers"};  // name or schema.name, lower case
  std::vector<std::string> app_only_tables;        // tables people should read only through the app
  std::vector<std::string> app_names;              // sanctioned applications ('*' wildcards)
  std::vector<std::string> tool_names = {"psql", "dbeaver*", "pgadmin*", "datagrip*", "pgcli", "heidisql*",
                                         "navicat*", "tableplus*", "squirrel*"};
  std::vector<std::string> service_accounts;       // database accounts of applications
  std::vector<std::string> service_clients;        // addresses/prefixes service accounts may come from
  std::string human_pattern = "agent=([A-Za-z0-9._@-]+)";  // RE2, group 1 = the person, in Application
  int work_start_hour = 7, work_end_hour = 19;     // local working hours [start, end)
  bool weekends_off = true;
  int utc_offset_minutes = 0;                      // of the local time used for days and hours
  int64_t warmup = 7LL * 86400 * 1'000'000'000;    // first-seen findings start after this
  uint64_t direct_rows = 200;                      // rows of sensitive tables read outside the app per day → high
  double direct_factor = 3;                        // … or this × the person's own usual direct day, if higher
  uint64_t bulk_statement_rows = 1000;             // one statement returning this many sensitive rows → high
  uint64_t spike_min = 100;                        // distinct customers a day below which nothing is unusual
  double spike_factor = 3;                         // × baseline → medium
  double high_factor = 8;                          // × baseline, or a second day in a row → high
  size_t exact_limit = 20000;                      // exact distinct keys per actor and day, then HLL
  int failed_logins = 5;                           // in 10 minutes per account and client
  // Identities of one person (portal login, personal database account…), lower
  // case → the person; from a staff file (settings `people_file`).
  std::unordered_map<std::string, std::string> people;
};

enum class DbKind : uint8_t { kRead, kWrite, kExport, kDdl, kOther, kAuthFailed, kConnect };

struct DbAccess {
  int64_t time = 0;
  uint64_t record_id = 0;     // line number (evidence)
  NameId actor = 0;           // "u:<person>"
  NameId db_user = 0;         // "u:<database user>"
  NameId client = 0;          // "h:<host>" / "i:<ip>"
  NameId app = 0;             // "a:<application>"
  NameId table = 0;           // "x:<schema.table>" (first sensitive relation, else first)
  NameId session = 0;         // "s:<session id>"
  uint32_t source = 0;
  uint32_t keys_begin = 0, keys_count = 0;  // into the extractor's / merged key pool
  uint64_t rows = 0;
  bool rows_logged = false;
  DbKind kind = DbKind::kOther;
  bool sensitive = false;     // touches a sensitive table
  bool app_only = false;      // touches a table meant for the app only
  bool via_app = false, via_tool = false, service_account = false, pages = false;
};

class DbExtractor {
 public:
  explicit DbExtractor(const DbWatchConfig* config);
  ~DbExtractor();
  DbExtractor(DbExtractor&&) noexcept;
  void Extract(const EventView& e, std::string_view source_name, std::vector<DbAccess>* out);
  NameTable& names() { return names_; }
  const std::vector<std::string>& sources() const { return sources_; }
  std::vector<uint64_t>& keys() { return keys_; }

 private:
  const DbWatchConfig* config_;
  std::unique_ptr<re2::RE2> human_;
  NameTable names_;
  std::vector<std::string> sources_;
  std::vector<uint64_t> keys_;     // hashes of key values
  std::unordered_map<NameId, std::string> session_app_;  // from `authorized` lines
  // The last statement per session, to fold pgaudit's per-relation lines.
  std::unordered_map<NameId, std::pair<uint64_t, size_t>> last_statement_;  // session → (stmt id << 20 | sub, index in out)
  std::string tmp_, name_, db_user_, person_;  // reused per event
};

// Merges extractors' records (ids remapped into `names`, keys into `keys`), sorted by time.
std::vector<DbAccess> MergeDbAccesses(std::vector<DbExtractor>* extractors, std::vector<std::vector<DbAccess>>* per,
                                      NameTable* names, std::vector<std::string>* sources, std::vector<uint64_t>* keys);

// A HyperLogLog sketch (2^12 registers, ~1.6% error) for distinct keys beyond the exact limit.
class HyperLogLog {
 public:
  HyperLogLog() : reg_(4096, 0) {}
  void Add(uint64_t hash);
  double Estimate() const;
  static size_t memory_bytes() { return 4096; }

 private:
  std::vector<uint8_t> reg_;
};

struct DbWatchStats {
  uint64_t accesses = 0, findings = 0, learning_suppressed = 0;
  uint64_t actors = 0, sketches = 0;
  size_t bytes_per_actor = 0, bytes_per_sketch = HyperLogLog::memory_bytes();
};

class DbWatch {
 public:
  DbWatch(const DbWatchConfig& config, NameTable* names);
  void Observe(const DbAccess& a, const std::vector<uint64_t>& keys, const std::vector<std::string>& sources,
               std::vector<Finding>* out);
  DbWatchStats stats() const;

 private:
  struct Day {
    int64_t day = INT64_MIN;
    std::unordered_set<uint64_t> keys;
    std::unique_ptr<HyperLogLog> hll;  // once keys outgrow the exact limit
    uint64_t direct_rows = 0, unattributed_rows = 0;  // unattributed: rows of direct reads naming no key
    int level = 0;                     // 0 none, 1 medium reported, 2 high reported
    bool direct_reported = false, direct_bulk_reported = false, off_hours_reported = false;
    uint64_t Distinct() const;
  };
  struct Actor {
    int64_t first = 0;
    Day today;
    std::vector<uint32_t> history;     // distinct customers on past active days (most recent last, ≤ 60)
    std::vector<uint32_t> direct_history;  // rows read outside the app on past days with direct reads
    bool spiked_yesterday = false;
    std::unordered_set<NameId> tables;
  };
  uint32_t Baseline(const Actor& a) const;
  void Emit(const DbAccess& a, const std::vector<std::string>& sources, std::string code, std::string title,
            std::string explanation, double points, std::vector<Finding>* out);
  int64_t LocalDay(int64_t t) const;
  std::string_view N(NameId id) const { return names_->Display(id); }

  DbWatchConfig config_;
  NameTable* names_;
  int64_t start_ = INT64_MIN;
  std::unordered_map<NameId, Actor> actors_;
  std::unordered_map<uint64_t, std::vector<int64_t>> failures_;  // (user, client) → recent failure times
  std::unordered_map<uint64_t, int64_t> reported_;               // (code, actor, object) → day
  int64_t peer_day_ = INT64_MIN;
  uint32_t peer_ = 0;  // 95th percentile of every actor's active days, recomputed once a day
  DbWatchStats stats_;
};

// Glob with '*' (case-insensitive ASCII), for application and table names.
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace inari::analytics
