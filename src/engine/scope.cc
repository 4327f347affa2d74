#include "engine/scope.h"

#include "engine/analyze.h"

#include <re2/re2.h>
#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "analytics/sql_keys.h"
#include "base/ascii.h"
#include "engine/analyze.h"
#include "engine/scope_sql.h"

namespace inari::scope {

namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool ParseIpv4(std::string_view s, uint32_t* out) {
  uint32_t v = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    uint32_t x = 0;
    size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && digits < 4) x = x * 10 + (s[i++] - '0'), ++digits;
    if (x > 255) return false;
    v = v << 8 | x;
    if (++parts < 4) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  if (i != s.size()) return false;
  *out = v;
  return true;
}

bool ClientMatches(std::string_view client, std::string_view want) {
  if (EqualsIgnoreAsciiCase(client, want)) return true;
  const size_t slash = want.find('/');
  if (slash == std::string_view::npos) return false;
  uint32_t net, ip;
  int bits = std::atoi(std::string(want.substr(slash + 1)).c_str());
  if (bits < 0 || bits > 32 || !ParseIpv4(want.substr(0, slash), &net) || !ParseIpv4(client, &ip)) return false;
  const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (ip & mask) == (net & mask);
}

bool IsCatalog(std::string_view table) {
  const std::string t = AsciiLowerCopy(table);
  return t.rfind("pg_catalog.", 0) == 0 || t.rfind("information_schema.", 0) == 0 || t.rfind("pg_toast.", 0) == 0;
}

std::string Plural(uint64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// One CSV line split (RFC 4180 quotes; a quoted field does not span lines here).
std::vector<std::string> SplitCsvLine(std::string_view line) {
  while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return {std::string()};
  return analytics::SplitParameters(line);  // the same CSV rules as pgaudit's parameter lists
}

}  // namespace

std::string NormalizeKey(std::string_view key, bool numeric_keys) {
  std::string k = Trim(key);
  if (!numeric_keys || k.empty()) return k;
  size_t i = k[0] == '-' || k[0] == '+' ? 1 : 0;
  if (i == k.size()) return k;
  for (size_t j = i; j < k.size(); ++j)
    if (!std::isdigit(static_cast<unsigned char>(k[j]))) return k;
  size_t z = i;
  while (z + 1 < k.size() && k[z] == '0') ++z;
  std::string out = (k[0] == '-' && !(z + 1 == k.size() && k[z] == '0')) ? "-" : "";
  out += k.substr(z);
  return out;
}

std::string_view ReadStatusName(ReadStatus s) {
  switch (s) {
    case ReadStatus::kLog: return "log";
    case ReadStatus::kDatabase: return "database";
    case ReadStatus::kUnconfirmed: return "unconfirmed";
    case ReadStatus::kNoRows: return "no_rows";
    case ReadStatus::kAggregate: return "aggregate";
    case ReadStatus::kUnresolved: return "unresolved";
  }
  return "unresolved";
}

std::string ScopeSubject::Describe() const {
  std::vector<std::string> parts;
  auto list = [&](const std::vector<std::string>& v, std::string_view one, std::string_view many) {
    if (v.empty()) return;
    if (v.size() <= 3) {
      std::string s(v.size() == 1 ? one : many);
      for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : " ") + v[i];
      parts.push_back(s);
    } else {
      parts.push_back(std::to_string(v.size()) + " " + std::string(many));
    }
  };
  list(users, "user", "users");
  list(humans, "person", "persons");
  list(sessions, "session", "sessions");
  list(clients, "client", "clients");
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : "") + parts[i];
  if (from != kNoTime) s += ", from " + FormatIso8601(from);
  if (to != kNoTime) s += ", to " + FormatIso8601(to);
  return s;
}

// ---- configuration ---------------------------------------------------------

Status LoadScopeConfig(const std::string& path, ScopeConfig* c) {
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(path);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(path, e.what());
  }
  if (!doc.IsMap()) return Status::InvalidArgument(path, "expected a map of settings");
  if (doc["scope"] && doc["scope"].IsMap()) doc = doc["scope"];
  try {
    for (auto it : doc) {
      const std::string key = it.first.as<std::string>();
      const YAML::Node& v = it.second;
      if (key == "customer_table") c->customer_table = v.as<std::string>();
      else if (key == "key_column" || key == "customer_key") c->key_column = v.as<std::string>();
      else if (key == "country_column") c->country_column = v.as<std::string>();
      else if (key == "region_column") c->region_column = v.IsNull() ? "" : v.as<std::string>();
      else if (key == "human_pattern") c->human_pattern = v.as<std::string>();
      else if (key == "search_path") c->search_path = v.as<std::string>();
      else if (key == "numeric_keys") c->numeric_keys = v.as<bool>();
      else if (key == "key_tables") {
        c->key_tables.clear();
        if (v.IsSequence())
          for (auto x : v) c->key_tables.push_back(x.as<std::string>());
        else
          c->key_tables.push_back(v.as<std::string>());
      } else if (key == "statement_timeout") {
        const std::string t = v.as<std::string>();
        // A bare number is milliseconds, as PostgreSQL's statement_timeout.
        const bool bare = !t.empty() && t.find_first_not_of("0123456789.") == std::string::npos;
        int64_t ns = 0;
        if (!ParseDuration(bare ? t + "ms" : t, &ns) || ns < 1'000'000 || ns > 86400LL * 1'000'000'000)
          return Status::InvalidArgument(path, "statement_timeout: '" + t + "' is not a duration such as 30s or 500ms");
        c->statement_timeout_ms = static_cast<int>(ns / 1'000'000);
      } else if (key == "person_in_application") {  // hunt --db-config's name (docs/insider.md)
        c->human_pattern = v.as<std::string>();
      } else if (IsDbWatchSettingKey(key)) {
        // The rest of hunt --db-config: the same file serves both commands.
      } else {
        return Status::InvalidArgument(path, "unknown setting '" + key + "' (docs/scope.md lists them)");
      }
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(path, e.what());
  }
  if (c->customer_table.empty() || c->key_column.empty() || c->country_column.empty())
    return Status::InvalidArgument(path, "customer_table, key_column and country_column must not be empty");
  return Status::OK();
}

// ---- collection ------------------------------------------------------------

struct ScopeCollector::Fields {
  FieldId event_type, user, database, client, application, session, session_line, pid, audit_type, statement_id,
      substatement_id, klass, command, object_type, table, statement, parameters, rows;
  std::unique_ptr<re2::RE2> human;
  std::vector<std::string> humans_lower;
};

struct ScopeCollector::Worker {
  std::vector<AuditRecord> records;
  uint64_t audit = 0, no_session = 0;
};

ScopeCollector::ScopeCollector(const ScopeConfig& config, const ScopeSubject& subject, int threads)
    : subject_(subject), f_(std::make_unique<Fields>()) {
  f_->event_type = InternField("EventType");
  f_->user = InternField("User");
  f_->database = InternField("Database");
  f_->client = InternField("Client");
  f_->application = InternField("Application");
  f_->session = InternField("SessionId");
  f_->session_line = InternField("SessionLine");
  f_->pid = InternField("ProcessId");
  f_->audit_type = InternField("AuditType");
  f_->statement_id = InternField("StatementId");
  f_->substatement_id = InternField("SubstatementId");
  f_->klass = InternField("Class");
  f_->command = InternField("Command");
  f_->object_type = InternField("ObjectType");
  f_->table = InternField("Table");
  f_->statement = InternField("Statement");
  f_->parameters = InternField("Parameters");
  f_->rows = InternField("Rows");
  if (!subject_.humans.empty()) {
    f_->human = std::make_unique<re2::RE2>(config.human_pattern, re2::RE2::Quiet);
    if (!f_->human->ok())
      status_ = Status::InvalidArgument("human pattern", f_->human->error());
    for (const std::string& h : subject_.humans) f_->humans_lower.push_back(AsciiLowerCopy(h));
  }
  for (int i = 0; i < std::max(1, threads); ++i) workers_.push_back(std::make_unique<Worker>());
}

ScopeCollector::~ScopeCollector() = default;

bool ScopeCollector::Matches(const EventView& e, std::string* human) const {
  auto str = [&](FieldId id) -> std::string_view {
    const Value* v = e.Get(id);
    return v && v->is_string() ? v->str() : std::string_view();
  };
  if (subject_.from != kNoTime && (e.time() == kNoTime || e.time() < subject_.from)) return false;
  if (subject_.to != kNoTime && (e.time() == kNoTime || e.time() > subject_.to)) return false;
  if (!subject_.clients.empty()) {
    const std::string_view c = str(f_->client);
    bool ok = false;
    for (const std::string& w : subject_.clients) ok = ok || ClientMatches(c, w);
    if (!ok) return false;
  }
  const bool identities = !subject_.users.empty() || !subject_.humans.empty() || !subject_.sessions.empty();
  if (!identities) return true;
  if (!subject_.users.empty()) {
    const std::string_view u = str(f_->user);
    for (const std::string& w : subject_.users)
      if (u == w) return true;
  }
  if (!subject_.sessions.empty()) {
    const std::string_view s = str(f_->session);
    for (const std::string& w : subject_.sessions)
      if (s == w) return true;
  }
  if (f_->human && f_->human->ok()) {
    const std::string_view app = str(f_->application);
    if (!app.empty()) {
      std::string h;
      bool matched = f_->human->NumberOfCapturingGroups() >= 1 ? re2::RE2::PartialMatch(app, *f_->human, &h)
                                                              : re2::RE2::PartialMatch(app, *f_->human);
      if (matched) {
        if (f_->human->NumberOfCapturingGroups() == 0) h = std::string(app);
        const std::string hl = AsciiLowerCopy(h);
        for (const std::string& w : f_->humans_lower)
          if (hl == w) {
            *human = h;
            return true;
          }
      }
    }
  }
  return false;
}

void ScopeCollector::Consume(int worker, const EventBatch& batch) {
  if (!status_.ok()) return;
  Worker& w = *workers_[static_cast<size_t>(worker) % workers_.size()];
  auto str = [](const EventView& e, FieldId id) -> std::string_view {
    const Value* v = e.Get(id);
    return v && v->is_string() ? v->str() : std::string_view();
  };
  auto num = [](const EventView& e, FieldId id) -> int64_t {
    const Value* v = e.Get(id);
    int64_t x;
    return v && v->AsInt64(&x) ? x : -1;
  };
  std::string human;
  for (size_t i = 0; i < batch.size(); ++i) {
    const EventView e = batch[i];
    if (str(e, f_->event_type) != "audit") continue;
    ++w.audit;
    if (str(e, f_->session).empty()) ++w.no_session;
    if (!Matches(e, &human)) continue;
    AuditRecord r;
    r.time = e.time();
    r.source = batch.source(e.origin().source);
    r.line = e.origin().offset;
    r.user = str(e, f_->user);
    r.database = str(e, f_->database);
    r.client = str(e, f_->client);
    r.application = str(e, f_->application);
    r.session = str(e, f_->session);
    r.audit_type = str(e, f_->audit_type);
    r.klass = str(e, f_->klass);
    r.command = str(e, f_->command);
    r.object_type = str(e, f_->object_type);
    r.table = str(e, f_->table);
    r.statement = str(e, f_->statement);
    r.parameters = str(e, f_->parameters);
    r.pid = num(e, f_->pid);
    r.session_line = num(e, f_->session_line);
    r.statement_id = num(e, f_->statement_id);
    r.substatement_id = num(e, f_->substatement_id);
    r.rows = num(e, f_->rows);
    w.records.push_back(std::move(r));
  }
}

std::vector<AuditRecord> ScopeCollector::TakeRecords(uint64_t* audit_records, uint64_t* without_session) {
  std::vector<AuditRecord> out;
  uint64_t audit = 0, no_session = 0;
  for (auto& w : workers_) {
    audit += w->audit;
    no_session += w->no_session;
    w->no_session = 0;
    if (out.empty()) out = std::move(w->records);
    else std::move(w->records.begin(), w->records.end(), std::back_inserter(out));
    w->records.clear();
    w->audit = 0;
  }
  if (audit_records) *audit_records = audit;
  if (without_session) *without_session = no_session;
  return out;
}

// ---- computation -----------------------------------------------------------

namespace {

// A statement: pgaudit's lines of one (session, statement id, substatement id).
struct Folded {
  std::vector<const AuditRecord*> recs;
  std::string text;
  std::string params;  // pgaudit's parameter field of the statement
  bool read = false, write = false;
  std::vector<std::string> tables;
  int64_t rows = -1;
};

std::string SessionKey(const AuditRecord& r) {
  if (!r.session.empty()) return r.session;
  return "pid " + std::to_string(r.pid) + " " + r.user + "@" + r.database;
}

std::string SessionLabel(const AuditRecord& r) {
  if (!r.session.empty()) return r.session;
  return r.pid >= 0 ? "pid " + std::to_string(r.pid) : "(unknown)";
}

struct Run {
  const ScopeOptions& o;
  ScopeResult& r;
  std::unordered_map<std::string, KeyRows> cache;
  std::unordered_map<std::string, size_t> index;  // key → customers[i]
  std::vector<uint8_t> via;                       // per customer: 1 log, 2 database, 4 unconfirmed
};

void AddKeys(Run& run, ScopeStatement& s, const std::vector<std::string>& keys, ReadStatus how) {
  const uint8_t bit = how == ReadStatus::kLog ? 1 : how == ReadStatus::kDatabase ? 2 : 4;
  for (const std::string& k : keys) {
    auto [it, inserted] = run.index.try_emplace(k, run.r.customers.size());
    if (inserted) {
      ScopeCustomer c;
      c.key = k;
      c.first = s.time;
      run.r.customers.push_back(std::move(c));
      run.via.push_back(0);
      ++s.new_customers;
    }
    ScopeCustomer& c = run.r.customers[it->second];
    run.via[it->second] |= bit;
    if (s.time != kNoTime) {
      if (c.first == kNoTime || s.time < c.first) c.first = s.time;
      if (c.last == kNoTime || s.time > c.last) c.last = s.time;
    }
    ++c.reads;
  }
  s.customers = keys.size();
}

std::vector<std::string> Distinct(const std::vector<std::string>& in, bool numeric) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const std::string& k : in) {
    std::string n = NormalizeKey(k, numeric);
    if (n.empty()) continue;
    if (seen.insert(n).second) out.push_back(std::move(n));
  }
  return out;
}

// Resolves one read through the database. Returns false (with s.reason set) if it could not.
bool ResolveInDb(Run& run, const Folded& f, const KeyQueryPlan& plan, const std::vector<std::string>& named,
                 bool keys_ok, ScopeStatement& s) {
  const ScopeConfig& cfg = run.o.config;
  auto fallback = [&](std::string code, std::string why) {
    if (keys_ok) {  // the log names keys: count them, unconfirmed
      s.status = ReadStatus::kUnconfirmed;
      s.reason = "named by the log; not confirmed by the database: " + why;
      AddKeys(run, s, named, ReadStatus::kUnconfirmed);
      return true;
    }
    s.status = ReadStatus::kUnresolved;
    s.reason_code = std::move(code);
    s.reason = std::move(why);
    return false;
  };
  if (plan.verdict == KeyQueryPlan::Verdict::kRefused) return fallback("refused", "not re-run: " + plan.reason);
  std::vector<std::string> params = analytics::SplitParameters(f.params);
  if (plan.max_param > static_cast<int>(params.size())) {
    const std::string& p = f.params;
    return fallback("params_not_logged", p == "<not logged>" || p.empty()
                                             ? "its parameters were not logged (pgaudit.log_parameter = off)"
                                             : "fewer parameters logged than the statement uses");
  }
  params.resize(static_cast<size_t>(plan.max_param));
  KeyQuery q;
  q.params = params;
  q.null_params.resize(params.size());
  // pgaudit writes nothing for a NULL parameter (and nothing for ''): taken as NULL.
  for (size_t i = 0; i < params.size(); ++i) q.null_params[i] = params[i].empty();
  q.logged = f.text;
  auto run_query = [&](const std::string& sql) -> const KeyRows& {
    std::string ck = sql;
    for (const std::string& p : params) ck += '\x1f' + p;
    auto it = run.cache.find(ck);
    if (it != run.cache.end()) return it->second;
    q.sql = sql;
    const auto t0 = std::chrono::steady_clock::now();
    KeyRows kr = run.o.db->RunKeyQuery(q);
    run.r.seconds_db += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return run.cache.emplace(std::move(ck), std::move(kr)).first->second;
  };
  const KeyRows* kr = nullptr;
  if (!plan.projection.empty()) {
    kr = &run_query(plan.projection);
    s.method = plan.whole_table ? "database: whole table (COPY table TO)" : "database: key projection";
    // A permission or timeout error will not go away by wrapping.
    if (!kr->ok() && kr->sqlstate != "42501" && kr->sqlstate != "57014" && !kr->sqlstate.empty()) kr = nullptr;
  }
  if (!kr) {
    kr = &run_query(plan.wrapped);
    s.method = "database: wrapped";
  }
  if (!kr->ok()) {
    if (kr->sqlstate == "42703" && s.method == "database: wrapped")
      return fallback("no_key_column", "its result has no " + cfg.key_column + " column and could not be rewritten to select it");
    return fallback(kr->sqlstate.empty() ? "refused" : "db_error", "database: " + kr->error);
  }
  const std::vector<std::string> keys = Distinct(kr->keys, cfg.numeric_keys);
  s.status = ReadStatus::kDatabase;
  s.keys_resolved = keys.size();
  s.db_rows = static_cast<int64_t>(kr->rows);
  s.order_unstable = !plan.ordered;
  if (f.rows >= 0 && s.db_rows != f.rows) {
    s.rows_differ = true;
    s.reason = "pgaudit logged " + std::to_string(f.rows) + " rows, the database returns " +
               std::to_string(s.db_rows) + " now: the data changed since";
  } else if (s.order_unstable) {
    s.reason = "LIMIT/OFFSET/FETCH without ORDER BY: the rows returned now may not be those returned then";
  }
  AddKeys(run, s, keys, ReadStatus::kDatabase);
  return true;
}

void ClassifyRead(Run& run, const Folded& f, bool customer_table, ScopeStatement& s) {
  const ScopeConfig& cfg = run.o.config;
  if (f.text.empty()) {
    s.status = ReadStatus::kUnresolved;
    s.reason_code = "no_statement";
    s.reason = "the statement text was not logged (pgaudit.log_statement = off, or <previously logged> without its first record)";
    return;
  }
  const analytics::SqlFacts facts = analytics::ExtractKeys(f.text, f.params, cfg.key_column);
  const std::vector<std::string> named = Distinct(facts.keys, cfg.numeric_keys);
  s.keys_named = named.size();
  const bool keys_ok = facts.has_key_predicate && !facts.has_or && !named.empty();
  const bool single = f.tables.size() <= 1;
  std::vector<std::string> prefs{cfg.customer_table};
  prefs.insert(prefs.end(), cfg.key_tables.begin(), cfg.key_tables.end());
  prefs.insert(prefs.end(), f.tables.begin(), f.tables.end());
  const KeyQueryPlan plan = PlanKeyQuery(f.text, prefs, cfg.key_column);
  if (plan.verdict == KeyQueryPlan::Verdict::kNoRows) {  // count(*) and the like: no customer rows
    s.status = ReadStatus::kAggregate;
    s.method = "statement";
    s.reason = plan.reason;
    return;
  }
  if (f.rows == 0) {
    s.status = ReadStatus::kNoRows;
    s.method = "log";
    s.reason = "pgaudit logged 0 rows";
    return;
  }
  if (keys_ok && f.rows > 0 && single &&
      ((customer_table && static_cast<uint64_t>(f.rows) == named.size()) || named.size() == 1)) {
    s.status = ReadStatus::kLog;
    s.method = "log";
    AddKeys(run, s, named, ReadStatus::kLog);
    return;
  }
  if (run.o.db) {
    ResolveInDb(run, f, plan, named, keys_ok, s);
    return;
  }
  if (keys_ok) {
    s.status = ReadStatus::kUnconfirmed;
    s.method = "log";
    s.reason = f.rows < 0 ? "rows not logged (pgaudit.log_rows = off): the named customers may not all exist"
                          : "pgaudit logged " + std::to_string(f.rows) + " rows for " + std::to_string(named.size()) +
                                " named keys: which of them were returned needs --db";
    AddKeys(run, s, named, ReadStatus::kUnconfirmed);
    return;
  }
  // The log cannot name these customers.
  s.status = ReadStatus::kUnresolved;
  if (plan.verdict == KeyQueryPlan::Verdict::kRefused) {
    s.reason_code = "refused";
    s.reason = "names no customer keys and cannot be re-run: " + plan.reason;
    return;
  }
  s.reason_code = "needs_db";
  std::string what = facts.exports                                 ? "an export (COPY … TO)"
                     : facts.pages                                 ? "a LIMIT/OFFSET page"
                     : facts.has_key_predicate && !facts.has_or    ? "a key range or key values that were not logged"
                     : facts.has_or                                ? "a predicate with OR"
                                                                   : "no key predicate (a search, a join, a whole table)";
  s.reason = "names no customer keys (" + what + "): resolving it needs --db";
}

}  // namespace

Result<ScopeResult> ComputeScope(std::vector<AuditRecord> records, const ScopeOptions& o) {
  ScopeResult r;
  r.subject = o.subject;
  r.config = o.config;
  r.now = o.now;
  r.detected_at = o.detected_at;
  r.detection_source = o.detection_source;
  r.subject_records = records.size();

  // Duplicates: the same entry read from several files (stderr + csvlog + jsonlog of one server).
  {
    std::unordered_set<std::string> seen;
    std::vector<AuditRecord> unique;
    unique.reserve(records.size());
    for (AuditRecord& rec : records) {
      // Fields every format carries alike (stderr numbers DETAIL lines with %l, csvlog does not).
      std::string key;
      if (rec.pid >= 0 && rec.time != kNoTime) {
        key = std::to_string(rec.pid) + "|" + std::to_string(rec.time) + "|" + std::to_string(rec.statement_id) + "|" +
              std::to_string(rec.substatement_id) + "|" + rec.audit_type + "|" + rec.table + "|" + rec.command;
      } else {
        key = rec.session + "#" + std::to_string(rec.session_line) + "|" + rec.source + "|" + std::to_string(rec.line);
      }
      if (seen.insert(std::move(key)).second) unique.push_back(std::move(rec));
      else ++r.duplicate_records;
    }
    records = std::move(unique);
  }
  std::stable_sort(records.begin(), records.end(), [](const AuditRecord& a, const AuditRecord& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.source != b.source) return a.source < b.source;
    return a.line < b.line;
  });

  // Fold pgaudit's lines per relation (and OBJECT + SESSION pairs) into statements.
  std::vector<Folded> folded;
  {
    std::unordered_map<std::string, size_t> open;
    struct Logged {
      int64_t statement_id;
      std::string text, params;
    };
    std::unordered_map<std::string, Logged> last_text;  // session → the last statement logged in full
    for (const AuditRecord& rec : records) {
      const std::string sk = SessionKey(rec);
      std::string text = rec.statement, params = rec.parameters;
      if (text == "<previously logged>") {
        auto lt = last_text.find(sk);
        const bool known = lt != last_text.end() && lt->second.statement_id == rec.statement_id;
        text = known ? lt->second.text : std::string();
        params = known ? lt->second.params : std::string();
      } else if (!text.empty()) {
        last_text[sk] = {rec.statement_id, text, params};
      }
      auto it = open.find(sk);
      Folded* f = nullptr;
      if (it != open.end() && rec.statement_id >= 0) {
        const AuditRecord& prev = *folded[it->second].recs.front();
        if (prev.statement_id == rec.statement_id && prev.substatement_id == rec.substatement_id)
          f = &folded[it->second];
      }
      if (!f) {
        open[sk] = folded.size();
        folded.emplace_back();
        f = &folded.back();
      }
      if (f->text.empty()) {
        f->text = text;
        f->params = params;
      }
      f->recs.push_back(&rec);
      if (rec.klass == "READ") f->read = true;
      else if (rec.klass == "WRITE") f->write = true;
      if (!rec.table.empty() && std::find(f->tables.begin(), f->tables.end(), rec.table) == f->tables.end())
        f->tables.push_back(rec.table);
      if (rec.rows >= 0 && (rec.klass == "READ" || rec.klass.empty())) f->rows = std::max(f->rows, rec.rows);
    }
  }
  r.subject_statements = folded.size();
  if (r.duplicate_records > 0)
    r.notes.push_back(Plural(r.duplicate_records, "record was", "records were") +
                      " read more than once (the same server log in several formats or files) and counted once");

  Run run{o, r, {}, {}, {}};
  std::map<std::string, ScopeSession> sessions;
  std::map<std::string, uint64_t> other;
  uint64_t no_relation = 0;
  for (const Folded& f : folded) {
    const AuditRecord& first = *f.recs.front();
    const std::string label = SessionLabel(first);
    ScopeSession& ss = sessions[label];
    if (ss.id.empty()) {
      ss.id = label;
      ss.user = first.user;
      ss.client = first.client;
      ss.application = first.application;
    }
    ++ss.statements;
    if (first.time != kNoTime) {
      if (ss.first == kNoTime || first.time < ss.first) ss.first = first.time;
      if (ss.last == kNoTime || first.time > ss.last) ss.last = first.time;
      if (r.first_activity == kNoTime || first.time < r.first_activity) r.first_activity = first.time;
      if (r.last_activity == kNoTime || first.time > r.last_activity) r.last_activity = first.time;
    }
    if (!f.read) {
      if (f.write) ++r.writes;
      continue;
    }
    bool customer_table = false, key_table = false, catalog = !f.tables.empty();
    for (const std::string& t : f.tables) {
      if (TableMatches(t, o.config.customer_table)) customer_table = true;
      for (const std::string& k : o.config.key_tables)
        if (TableMatches(t, k)) key_table = true;
      if (!IsCatalog(t)) catalog = false;
    }
    bool named_keys = false;
    if (!customer_table && !key_table && !catalog && !f.text.empty()) {
      const analytics::SqlFacts facts = analytics::ExtractKeys(f.text, f.params, o.config.key_column);
      named_keys = !f.tables.empty() && facts.has_key_predicate && !facts.keys.empty();
    }
    if (!customer_table && !key_table && !named_keys) {
      if (catalog) ++r.catalog_reads;
      else if (f.tables.empty()) ++no_relation;
      else
        for (const std::string& t : f.tables) ++other[t];
      continue;
    }
    ++r.customer_reads;
    ++ss.customer_reads;
    ScopeStatement s;
    s.time = first.time;
    s.source = first.source;
    s.line = first.line;
    s.session = label;
    s.user = first.user;
    s.database = first.database;
    s.client = first.client;
    s.application = first.application;
    s.command = first.command;
    s.tables = f.tables;
    s.rows = f.rows;
    s.shape = f.text.empty() ? "(statement not logged)" : StatementShape(f.text);
    ClassifyRead(run, f, customer_table, s);
    r.statements.push_back(std::move(s));
  }
  if (no_relation > 0)
    r.notes.push_back(Plural(no_relation, "read names", "reads name") +
                      " no table (SELECT current_schema(), the COPY record pgaudit writes after the SELECT it ran): "
                      "no customer data");
  for (auto& [t, n] : other) r.other_tables.emplace_back(t, n);
  std::stable_sort(r.other_tables.begin(), r.other_tables.end(), [](auto& a, auto& b) { return a.second > b.second; });
  for (auto& [id, ss] : sessions) r.sessions.push_back(std::move(ss));
  std::stable_sort(r.sessions.begin(), r.sessions.end(), [](const ScopeSession& a, const ScopeSession& b) {
    return a.first < b.first;
  });

  // Counts and exactness.
  uint64_t unstable = 0;
  bool all_rows_known = true;
  for (const ScopeStatement& s : r.statements) {
    if (s.status == ReadStatus::kUnresolved) {
      ++r.unresolved_reads;
      if (s.rows >= 0) r.unresolved_rows += static_cast<uint64_t>(s.rows);
      else all_rows_known = false;
    }
    if (s.rows_differ) {
      ++r.rows_differ;
      if (s.rows > s.db_rows) r.unresolved_rows += static_cast<uint64_t>(s.rows - s.db_rows);
    }
    if (s.status == ReadStatus::kDatabase && s.order_unstable && !s.rows_differ) ++unstable;
    if (s.rows > 0 && s.status != ReadStatus::kAggregate) r.rows_logged += static_cast<uint64_t>(s.rows);
    if (s.status != ReadStatus::kNoRows && s.status != ReadStatus::kAggregate && s.status != ReadStatus::kUnresolved &&
        s.time != kNoTime && s.customers > 0) {
      if (r.first_access == kNoTime || s.time < r.first_access) r.first_access = s.time;
      if (r.last_access == kNoTime || s.time > r.last_access) r.last_access = s.time;
    }
  }
  for (size_t i = 0; i < r.customers.size(); ++i) {
    const uint8_t v = run.via[i];
    r.customers[i].confirmed = (v & 3) != 0;
    if (v & 1) ++r.from_log;
    else if (v & 2) ++r.from_database;
    if (v & 3) ++r.confirmed;
    else ++r.unconfirmed;
  }
  if (r.unresolved_reads > 0) {
    r.exact = false;
    r.inexact_reasons.push_back(Plural(r.unresolved_reads, "read of customer data", "reads of customer data") +
                                " could not be resolved (listed with the reason)");
  }
  if (r.unconfirmed > 0) {
    r.exact = false;
    r.inexact_reasons.push_back(Plural(r.unconfirmed, "customer is", "customers are") +
                                " named by the log but not confirmed as returned (counted: upper bound)");
  }
  if (r.rows_differ > 0) {
    r.exact = false;
    r.inexact_reasons.push_back(Plural(r.rows_differ, "read returns", "reads return") +
                                " another number of rows now than pgaudit logged: the data changed since");
  }
  if (unstable > 0) {
    r.exact = false;
    r.inexact_reasons.push_back(Plural(unstable, "paged read has", "paged reads have") +
                                " no ORDER BY: the rows re-read may not be those returned then");
  }
  r.has_upper_bound = all_rows_known;
  r.upper_bound = r.customers.size() + r.unresolved_rows;

  // Country and region. The customer table as pgaudit logged it (schema-qualified) when the
  // configuration names it without schema: the resolving role's search_path may not have it.
  std::string geo_table = o.config.customer_table;
  for (const ScopeStatement& s : r.statements) {
    auto t = std::find_if(s.tables.begin(), s.tables.end(),
                          [&](const std::string& x) { return TableMatches(x, o.config.customer_table); });
    if (t != s.tables.end()) {
      if (t->find('.') != std::string::npos) geo_table = *t;
      break;
    }
  }
  if (!o.geo_file.empty()) {
    r.geo_source = "file: " + o.geo_file;
    std::ifstream in(o.geo_file);
    if (!in) return Status::IOError(o.geo_file, std::strerror(errno));
    std::string line;
    size_t ki = 0, ci = 1, ri = 2, ni = SIZE_MAX;
    bool header = true;
    const std::string key_name = AsciiLowerCopy(o.config.key_column);
    std::unordered_map<std::string, std::string> names;  // region → name from the file
    while (std::getline(in, line)) {
      if (line.empty() || line == "\r") continue;
      if (header && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // a spreadsheet's BOM
      std::vector<std::string> cols = SplitCsvLine(line);
      if (header) {
        header = false;
        bool named = false;
        for (size_t i = 0; i < cols.size(); ++i) {
          const std::string c = AsciiLowerCopy(Trim(cols[i]));
          if (c == key_name || c == "key") ki = i, named = true;
          else if (c == AsciiLowerCopy(o.config.country_column) || c == "country") ci = i;
          else if (!o.config.region_column.empty() && (c == AsciiLowerCopy(o.config.region_column) || c == "region")) ri = i;
          else if (c == "region_name") ni = i;
        }
        if (named) continue;
        // No header: the first line is data (key, country, region).
        ki = 0, ci = 1, ri = 2;
      }
      if (ki >= cols.size() || ci >= cols.size()) continue;
      auto it = run.index.find(NormalizeKey(cols[ki], o.config.numeric_keys));
      if (it == run.index.end()) continue;
      ScopeCustomer& c = r.customers[it->second];
      c.country = CanonicalCountry(cols[ci]);
      if (ri < cols.size()) c.region = Trim(cols[ri]);
      if (ni < cols.size() && !c.region.empty()) names[c.region] = Trim(cols[ni]);
    }
    r.geo_unknown_reason = "not in " + o.geo_file;
    // Region names from the file win over the built-in ones.
    std::map<std::pair<std::string, std::string>, uint64_t> regions;
    for (const ScopeCustomer& c : r.customers) ++regions[{c.country, c.region}];
    for (auto& [cr, n] : regions) {
      RegionCount rc{cr.first, cr.second, "", n};
      auto nm = names.find(cr.second);
      rc.name = nm != names.end() ? nm->second : std::string(RegionName(cr.second));
      r.by_region.push_back(std::move(rc));
    }
  } else if (o.db) {
    r.geo_source = "database";
    std::vector<std::string> keys;
    keys.reserve(r.customers.size());
    for (const ScopeCustomer& c : r.customers) keys.push_back(c.key);
    std::vector<GeoRow> rows;
    const auto t0 = std::chrono::steady_clock::now();
    Status st = keys.empty() ? Status::OK() : o.db->LookupGeo(geo_table, keys, &rows);
    r.seconds_db += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!st.ok()) {
      r.geo_unknown_reason = "the database lookup failed: " + st.ToString();
    } else {
      r.geo_unknown_reason = "not in " + geo_table + " now (deleted since?)";
      for (const GeoRow& g : rows) {
        auto it = run.index.find(NormalizeKey(g.key, o.config.numeric_keys));
        if (it == run.index.end()) continue;
        r.customers[it->second].country = CanonicalCountry(g.country);
        r.customers[it->second].region = Trim(g.region);
      }
    }
  } else {
    r.geo_source = "none";
    r.geo_unknown_reason = "no --db or --geo given";
  }
  if (r.by_region.empty()) {
    std::map<std::pair<std::string, std::string>, uint64_t> regions;
    for (const ScopeCustomer& c : r.customers) ++regions[{c.country, c.region}];
    for (auto& [cr, n] : regions) r.by_region.push_back(RegionCount{cr.first, cr.second, std::string(RegionName(cr.second)), n});
  }
  std::map<std::string, uint64_t> countries;
  for (const ScopeCustomer& c : r.customers) {
    ++countries[c.country];
    if (c.country.empty()) ++r.geo_unknown;
  }
  for (auto& [c, n] : countries) r.by_country.push_back(CountryCount{c, n});
  auto by_count = [](const auto& a, const auto& b) {
    if (a.customers != b.customers) return a.customers > b.customers;
    return a.country < b.country;
  };
  std::stable_sort(r.by_country.begin(), r.by_country.end(), by_count);
  std::stable_sort(r.by_region.begin(), r.by_region.end(), [](const RegionCount& a, const RegionCount& b) {
    if (a.country != b.country) return a.country < b.country;
    if (a.customers != b.customers) return a.customers > b.customers;
    return a.region < b.region;
  });

  // Jurisdictions.
  if (o.detected_at != kNoTime) r.gdpr_deadline = o.detected_at + 72LL * 3600 * 1'000'000'000;
  size_t nlaws = 0;
  const Jurisdiction* laws = Jurisdictions(&nlaws);
  for (size_t i = 0; i <= nlaws; ++i) {
    const Jurisdiction* law = i < nlaws ? &laws[i] : nullptr;
    JurisdictionHit hit;
    hit.law = law;
    if (law && law->by_region) {
      for (const RegionCount& rc : r.by_region)
        if (JurisdictionOf(rc.country) == law) {
          hit.customers += rc.customers;
          hit.places.emplace_back(rc.region.empty() ? rc.country + " (region unknown)" : rc.region, rc.customers);
        }
    } else {
      for (const CountryCount& cc : r.by_country)
        if (!cc.country.empty() && JurisdictionOf(cc.country) == law) {
          hit.customers += cc.customers;
          hit.places.emplace_back(cc.country, cc.customers);
        }
      if (!law && r.geo_unknown > 0) {
        hit.customers += r.geo_unknown;
        hit.places.emplace_back("(country unknown)", r.geo_unknown);
      }
    }
    if (hit.customers == 0) continue;
    std::stable_sort(hit.places.begin(), hit.places.end(), [](auto& a, auto& b) { return a.second > b.second; });
    if (law && law->deadline_hours > 0 && o.detected_at != kNoTime)
      hit.deadline = o.detected_at + static_cast<int64_t>(law->deadline_hours) * 3600 * 1'000'000'000;
    r.jurisdictions.push_back(std::move(hit));
  }
  // Numeric keys in numeric order, then the others.
  auto numeric = [](const std::string& k) {
    return !k.empty() && std::all_of(k.begin(), k.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  std::sort(r.customers.begin(), r.customers.end(), [&](const ScopeCustomer& a, const ScopeCustomer& b) {
    const bool na = numeric(a.key), nb = numeric(b.key);
    if (na != nb) return na;
    if (na && a.key.size() != b.key.size()) return a.key.size() < b.key.size();
    return a.key < b.key;
  });
  return r;
}

// ---- detection from hunt --risk-json ---------------------------------------

Status DetectionFromFindings(const std::string& path, const ScopeSubject& subject, int64_t* time,
                             std::string* source) {
  *time = kNoTime;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.load(path).get(doc); err)
    return Status::InvalidArgument(path, std::string("not readable JSON: ") + simdjson::error_message(err));
  std::vector<std::string> names;
  for (const std::string& n : subject.users) names.push_back(AsciiLowerCopy(n));
  for (const std::string& n : subject.humans) names.push_back(AsciiLowerCopy(n));
  auto names_subject = [&](std::string_view text) {
    const std::string t = AsciiLowerCopy(text);
    auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '@' || c == '-'; };
    for (const std::string& n : names) {
      if (n.empty()) continue;
      for (size_t p = t.find(n); p != std::string::npos; p = t.find(n, p + 1)) {
        const bool left = p == 0 || !name_char(t[p - 1]);
        const bool right = p + n.size() == t.size() || !name_char(t[p + n.size()]);
        if (left && right) return true;
      }
    }
    return false;
  };
  auto consider = [&](std::string_view when, std::string what) {
    const int64_t t = ParseIso8601(when);
    if (t == kNoTime) return;
    if (*time == kNoTime || t < *time) {
      *time = t;
      *source = std::move(what);
    }
  };
  simdjson::dom::array alerts, findings;
  if (doc["alerts"].get(alerts) == simdjson::SUCCESS) {
    for (simdjson::dom::element a : alerts) {
      std::string_view when, entity, kind;
      if (a["time"].get(when) || a["entity"].get(entity)) continue;
      if (a["kind"].get(kind)) kind = "entity";
      if (!names_subject(entity)) continue;
      double score = 0;
      std::string what = "risk alert on " + std::string(kind) + " " + std::string(entity);
      if (!a["score"].get(score)) what += " (score " + std::to_string(static_cast<int>(score)) + ")";
      consider(when, what + " in " + path);
    }
  }
  if (doc["findings"].get(findings) == simdjson::SUCCESS) {
    for (simdjson::dom::element f : findings) {
      std::string_view when, user, code, level, db_user;
      if (f["time"].get(when) || f["user"].get(user)) continue;
      double points = 0;
      bool high = false;
      if (!f["level"].get(level)) high = level == "high" || level == "critical";
      if (!f["points"].get(points)) high = high || points >= 40;
      // A database finding names the person as `user` and the database account
      // it used as `source` (docs/insider.md).
      if (f["source"].get(db_user)) db_user = {};
      if (!high || !(names_subject(user) || (!db_user.empty() && names_subject(db_user)))) continue;
      if (f["code"].get(code)) code = "finding";
      consider(when, "high finding " + std::string(code) + " on " + std::string(user) + " in " + path);
    }
  }
  if (*time == kNoTime) *source = "no alert or high finding in " + path + " names the subject";
  return Status::OK();
}

}  // namespace inari::scope
