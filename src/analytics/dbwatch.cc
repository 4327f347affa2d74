#include "analytics/dbwatch.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "analytics/sql_keys.h"
#include "base/ascii.h"

namespace inari::analytics {

namespace {

constexpr int64_t kNsHour = 3600LL * 1'000'000'000;
constexpr int64_t kNsDay = 24 * kNsHour;

uint64_t Hash64(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  // Finalise (splitmix) so HLL sees well-mixed bits.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

uint64_t Mix(uint64_t a, uint64_t b) {
  // splitmix64 of a combination: no text, no allocation.
  uint64_t h = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

std::string_view Text(const EventView& e, FieldId id) {
  const Value* v = e.Get(id);
  return v && v->is_string() ? v->str() : std::string_view();
}

struct DbFields {
  FieldId event_type = InternField("EventType"), user = InternField("User"), client = InternField("Client"),
          application = InternField("Application"), session = InternField("SessionId"),
          process = InternField("ProcessId"), klass = InternField("Class"), command = InternField("Command"),
          table = InternField("Table"), statement = InternField("Statement"), parameters = InternField("Parameters"),
          rows = InternField("Rows"), statement_id = InternField("StatementId"),
          substatement_id = InternField("SubstatementId"), backend_type = InternField("BackendType");
};

const DbFields& F() {
  static const DbFields f;
  return f;
}

bool TableIn(std::string_view table, const std::vector<std::string>& list) {
  std::string t = AsciiLowerCopy(table);
  std::string_view bare = t;
  if (size_t p = bare.rfind('.'); p != std::string_view::npos) bare = bare.substr(p + 1);
  for (const std::string& s : list)
    if (s == t || (s.find('.') == std::string::npos && s == bare)) return true;
  return false;
}

bool AnyGlob(const std::vector<std::string>& patterns, std::string_view text) {
  for (const std::string& p : patterns)
    if (GlobMatch(p, text)) return true;
  return false;
}

}  // namespace

bool GlobMatch(std::string_view p, std::string_view t) {
  // Iterative '*' matching, ASCII case-insensitive.
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] != '*' && AsciiLower(p[pi]) == AsciiLower(t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

// ---- HyperLogLog ------------------------------------------------------------

void HyperLogLog::Add(uint64_t h) {
  const uint32_t idx = static_cast<uint32_t>(h >> 52);        // top 12 bits
  const uint64_t rest = (h << 12) | (uint64_t{1} << 11);      // guard bit: rank ≤ 53
  const uint8_t rank = static_cast<uint8_t>(std::countl_zero(rest) + 1);
  if (rank > reg_[idx]) reg_[idx] = rank;
}

double HyperLogLog::Estimate() const {
  const double m = 4096.0;
  double sum = 0;
  int zeros = 0;
  for (uint8_t r : reg_) {
    sum += std::ldexp(1.0, -r);
    zeros += r == 0;
  }
  const double alpha = 0.7213 / (1 + 1.079 / m);
  double e = alpha * m * m / sum;
  if (e <= 2.5 * m && zeros > 0) e = m * std::log(m / zeros);  // small range: linear counting
  return e;
}

// ---- Extraction ---------------------------------------------------------------

DbExtractor::DbExtractor(const DbWatchConfig* config) : config_(config) {
  if (!config->human_pattern.empty()) {
    human_ = std::make_unique<re2::RE2>(config->human_pattern, re2::RE2::Quiet);
    if (!human_->ok() || human_->NumberOfCapturingGroups() < 1) human_.reset();
  }
}
DbExtractor::~DbExtractor() = default;
DbExtractor::DbExtractor(DbExtractor&&) noexcept = default;

void DbExtractor::Extract(const EventView& e, std::string_view source_name, std::vector<DbAccess>* out) {
  const Value* ch = e.Get(field::kChannel);
  if (!ch || !ch->is_string() || ch->str() != "PostgreSQL" || e.time() == INT64_MIN) return;
  const DbFields& f = F();
  const std::string_view type = Text(e, f.event_type);
  const bool audit = type == "audit";
  if (!audit && type != "auth_failed" && type != "authorized") return;

  std::string_view session_text = Text(e, f.session);
  if (session_text.empty()) {
    if (const Value* p = e.Get(f.process)) {
      tmp_ = "p" + p->ToText();
      session_text = tmp_;
    }
  }
  auto intern = [&](char kind, std::string_view text, bool lower) -> NameId {
    name_.assign(1, kind);
    name_ += ':';
    if (lower)
      for (char c : text) name_.push_back(AsciiLower(c));
    else
      name_ += text;
    return names_.Intern(name_);
  };
  const NameId session = session_text.empty() ? 0 : intern('s', session_text, false);
  std::string_view app = Text(e, f.application);
  if (type == "authorized") {
    if (session && !app.empty()) session_app_[session] = std::string(app);
    return;  // the session's statements carry what matters
  }
  std::string app_copy;
  if (app.empty() && session) {
    auto it = session_app_.find(session);
    if (it != session_app_.end()) {
      app_copy = it->second;
      app = app_copy;
    }
  }

  DbAccess a;
  a.time = e.time();
  a.record_id = e.origin().offset;
  a.session = session;
  // A parallel worker logs its part of the leader's statement without user or
  // client; the leader's own record stands for the statement.
  if (Text(e, f.backend_type) == "parallel worker") return;
  db_user_.clear();
  for (char c : Text(e, f.user)) db_user_.push_back(AsciiLower(c));
  const std::string& db_user = db_user_;
  if (db_user.empty() && type == "audit") return;  // nobody to attribute it to
  a.db_user = db_user.empty() ? 0 : intern('u', db_user, false);
  // The person: named in the application (shared app accounts), else the database user;
  // the people file maps each of a person's identities to the person.
  std::string_view actor = db_user;
  if (human_ && !app.empty()) {
    re2::StringPiece in(app.data(), app.size());
    re2::StringPiece got;
    if (re2::RE2::PartialMatch(in, *human_, &got) && !got.empty()) {
      person_.clear();
      for (char c : got) person_.push_back(AsciiLower(c));
      actor = person_;
    }
  }
  if (!config_->people.empty())
    if (auto it = config_->people.find(std::string(actor)); it != config_->people.end()) actor = it->second;
  a.actor = actor.empty() ? 0 : intern('u', actor, false);
  if (std::string_view c = Text(e, f.client); !c.empty()) a.client = intern('h', c, true);
  if (!app.empty()) a.app = intern('a', app, false);
  a.via_app = !app.empty() && AnyGlob(config_->app_names, app);
  a.via_tool = !app.empty() && AnyGlob(config_->tool_names, app);
  a.service_account = std::find(config_->service_accounts.begin(), config_->service_accounts.end(), db_user) !=
                      config_->service_accounts.end();
  auto source_id = [&]() -> uint32_t {
    for (uint32_t i = 0; i < sources_.size(); ++i)
      if (sources_[i] == source_name) return i;
    sources_.emplace_back(source_name);
    return static_cast<uint32_t>(sources_.size() - 1);
  };
  if (type == "auth_failed") {
    a.kind = DbKind::kAuthFailed;
    a.source = source_id();
    out->push_back(a);
    return;
  }
  // pgaudit: one record per statement; the per-relation lines of a statement are folded.
  const std::string_view table = Text(e, f.table);
  const bool sensitive = !table.empty() && TableIn(table, config_->sensitive_tables);
  const bool app_only = !table.empty() && TableIn(table, config_->app_only_tables);
  int64_t sid = 0, sub = 0;
  if (const Value* v = e.Get(f.statement_id)) v->AsInt64(&sid);
  if (const Value* v = e.Get(f.substatement_id)) v->AsInt64(&sub);
  const uint64_t stmt_key = (static_cast<uint64_t>(sid) << 20) | static_cast<uint64_t>(sub & 0xFFFFF);
  if (session && sid > 0) {
    auto it = last_statement_.find(session);
    if (it != last_statement_.end() && it->second.first == stmt_key && it->second.second < out->size()) {
      DbAccess& prev = (*out)[it->second.second];
      if (sensitive && !prev.sensitive) prev.table = intern('x', table, true);
      prev.sensitive |= sensitive;
      prev.app_only |= app_only;
      return;
    }
  }
  const std::string_view klass = Text(e, f.klass);
  const std::string_view command = Text(e, f.command);
  const std::string_view statement = Text(e, f.statement);
  SqlFacts facts;
  if (klass == "READ" || command == "COPY" || command == "SELECT")
    facts = ExtractKeys(statement, Text(e, f.parameters), config_->customer_key);
  if (facts.exports) a.kind = DbKind::kExport;
  else if (klass == "READ" || command == "SELECT") a.kind = DbKind::kRead;
  else if (klass == "WRITE") a.kind = DbKind::kWrite;
  else if (klass == "DDL") a.kind = DbKind::kDdl;
  else a.kind = DbKind::kOther;
  a.pages = facts.pages;
  if (!table.empty()) a.table = intern('x', table, true);
  a.sensitive = sensitive;
  a.app_only = app_only;
  if (const Value* r = e.Get(f.rows)) {
    int64_t n = 0;
    if (r->AsInt64(&n) && n >= 0) {
      a.rows = static_cast<uint64_t>(n);
      a.rows_logged = true;
    }
  }
  a.keys_begin = static_cast<uint32_t>(keys_.size());
  for (const std::string& k : facts.keys) keys_.push_back(Hash64(k));
  a.keys_count = static_cast<uint32_t>(facts.keys.size());
  a.source = source_id();
  if (session && sid > 0) last_statement_[session] = {stmt_key, out->size()};
  out->push_back(a);
}

std::vector<DbAccess> MergeDbAccesses(std::vector<DbExtractor>* extractors, std::vector<std::vector<DbAccess>>* per,
                                      NameTable* names, std::vector<std::string>* sources,
                                      std::vector<uint64_t>* keys) {
  std::vector<DbAccess> all;
  for (size_t w = 0; w < extractors->size(); ++w) {
    DbExtractor& x = (*extractors)[w];
    const std::vector<NameId> map = RemapNames(x.names(), names);
    const std::vector<uint32_t> smap = RemapSources(x.sources(), sources);
    const uint32_t key_base = static_cast<uint32_t>(keys->size());
    keys->insert(keys->end(), x.keys().begin(), x.keys().end());
    std::vector<uint64_t>().swap(x.keys());
    for (DbAccess a : (*per)[w]) {
      a.actor = map[a.actor];
      a.db_user = map[a.db_user];
      a.client = map[a.client];
      a.app = map[a.app];
      a.table = map[a.table];
      a.session = map[a.session];
      a.source = smap[a.source];
      a.keys_begin += key_base;
      all.push_back(a);
    }
    std::vector<DbAccess>().swap((*per)[w]);
  }
  std::stable_sort(all.begin(), all.end(), [&](const DbAccess& a, const DbAccess& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.source != b.source) return (*sources)[a.source] < (*sources)[b.source];
    return a.record_id < b.record_id;
  });
  return all;
}

// ---- Analytics --------------------------------------------------------------

uint64_t DbWatch::Day::Distinct() const {
  if (hll) return static_cast<uint64_t>(std::llround(hll->Estimate()));
  return keys.size();
}

DbWatch::DbWatch(const DbWatchConfig& config, NameTable* names) : config_(config), names_(names) {}

int64_t DbWatch::LocalDay(int64_t t) const {
  const int64_t local = t + config_.utc_offset_minutes * 60LL * 1'000'000'000;
  return local >= 0 ? local / kNsDay : (local - kNsDay + 1) / kNsDay;
}

namespace {

uint32_t P95(std::vector<uint32_t> v) {
  if (v.empty()) return 0;
  size_t k = v.size() * 95 / 100;
  if (k >= v.size()) k = v.size() - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

uint32_t DbWatch::Baseline(const Actor& a) const {
  if (a.history.size() < 3) return 0;
  return P95(a.history);
}

void DbWatch::Emit(const DbAccess& a, const std::vector<std::string>& sources, std::string code, std::string title,
                   std::string explanation, double points, std::vector<Finding>* out) {
  Finding f;
  f.time = a.time;
  f.code = std::move(code);
  f.title = std::move(title);
  f.explanation = std::move(explanation);
  f.points = points;
  f.user = std::string(N(a.actor));
  if (a.client) f.host = std::string(N(a.client));
  if (a.db_user && a.db_user != a.actor) f.source = std::string(N(a.db_user));
  f.computer = f.host;
  f.event_id = -1;  // a database log entry has no EventID
  f.record_id = a.record_id;
  if (a.source < sources.size()) f.input = sources[a.source];
  ++stats_.findings;
  out->push_back(std::move(f));
}

void DbWatch::Observe(const DbAccess& a, const std::vector<uint64_t>& keys, const std::vector<std::string>& sources,
                      std::vector<Finding>* out) {
  ++stats_.accesses;
  if (start_ == INT64_MIN) start_ = a.time;
  const bool learning = a.time < start_ + config_.warmup;
  const int64_t day = LocalDay(a.time);
  if (day != peer_day_) {
    std::vector<uint32_t> all;
    for (auto& [id, act] : actors_) all.insert(all.end(), act.history.begin(), act.history.end());
    peer_ = P95(std::move(all));
    peer_day_ = day;
  }
  // Once per (code, actor, object, day).
  auto once = [&](std::string_view code, uint64_t object) {
    const uint64_t k = Mix(Mix(Hash64(code), a.actor), Mix(object, static_cast<uint64_t>(day)));
    return reported_.emplace(k, day).second;
  };

  if (a.kind == DbKind::kAuthFailed) {
    auto& v = failures_[Mix(a.db_user, a.client)];
    v.push_back(a.time);
    while (!v.empty() && a.time - v.front() > 10 * 60 * 1'000'000'000LL) v.erase(v.begin());
    if (static_cast<int>(v.size()) >= config_.failed_logins && once("DB-LOGIN-FAILURES", a.client))
      Emit(a, sources, "DB-LOGIN-FAILURES", "Repeated failed database logins",
           fmt::format("{} failed logins as {} from {} within 10 minutes.", v.size(), N(a.db_user),
                       a.client ? N(a.client) : "an unknown client"),
           15, out);
    return;
  }
  auto [it, inserted] = actors_.try_emplace(a.actor);
  Actor& act = it->second;
  if (inserted) act.first = a.time;
  if (act.today.day != day) {
    if (act.today.day != INT64_MIN) {
      const uint64_t d = act.today.Distinct() + act.today.unattributed_rows;
      act.history.push_back(static_cast<uint32_t>(std::min<uint64_t>(d, UINT32_MAX)));
      if (act.history.size() > 60) act.history.erase(act.history.begin());
      if (act.today.direct_rows > 0 && !act.today.direct_bulk_reported) {
        act.direct_history.push_back(static_cast<uint32_t>(std::min<uint64_t>(act.today.direct_rows, UINT32_MAX)));
        if (act.direct_history.size() > 60) act.direct_history.erase(act.direct_history.begin());
      }
      act.spiked_yesterday = act.today.level > 0 && day - act.today.day <= 3;  // the previous working day
    }
    act.today = Day();
    act.today.day = day;
  }
  Day& d = act.today;

  // A service account used from a person's tool or an unexpected client.
  bool service_as_expected = false;
  if (a.service_account) {
    bool expected_client = config_.service_clients.empty();
    const std::string_view client = a.client ? N(a.client) : std::string_view();
    for (const std::string& c : config_.service_clients)
      expected_client |= client.substr(0, c.size()) == c;
    service_as_expected = !a.via_tool && expected_client;
    if (!service_as_expected && once("DB-SERVICE-ACCOUNT-MISUSE", a.client))
      Emit(a, sources, "DB-SERVICE-ACCOUNT-MISUSE", "Application service account used by a person",
           fmt::format("The application account {} was used from {}{}; it is meant to be used only by the application "
                       "from its servers.",
                       N(a.db_user), client.empty() ? "an unknown client" : client,
                       a.app ? fmt::format(" with {}", N(a.app)) : std::string()),
           50, out);
  }
  if (!(a.kind == DbKind::kRead || a.kind == DbKind::kExport) || !(a.sensitive || a.app_only)) return;

  // Customers touched: keys named by the statement; rows the log cannot name are counted apart.
  for (uint32_t i = 0; i < a.keys_count; ++i) {
    const uint64_t h = keys[a.keys_begin + i];
    if (d.hll) {
      d.hll->Add(h);
    } else {
      d.keys.insert(h);
      if (d.keys.size() > config_.exact_limit) {
        d.hll = std::make_unique<HyperLogLog>();
        for (uint64_t k : d.keys) d.hll->Add(k);
        std::unordered_set<uint64_t>().swap(d.keys);
        ++stats_.sketches;
      }
    }
  }
  const uint64_t rows = a.rows_logged ? a.rows : a.keys_count;
  const std::string table = std::string(a.table ? N(a.table) : "a sensitive table");
  const std::string how = a.app ? fmt::format("with {}", N(a.app)) : "without an application name";

  if (a.kind == DbKind::kExport && once("DB-EXPORT", a.table))
    Emit(a, sources, "DB-EXPORT", "Customer data exported",
         fmt::format("{} exported {} with COPY … TO ({} rows{}) {} from {}.", N(a.actor), table, rows,
                     a.rows_logged ? "" : " not logged", how, a.client ? N(a.client) : "an unknown client"),
         60, out);
  // Application accounts run batch jobs (reports, syncs) at any hour and in bulk: their bulk reads and hours
  // are not judged (their misuse is, above).
  if (!service_as_expected && a.rows_logged && a.rows >= config_.bulk_statement_rows &&
      once("DB-BULK-STATEMENT", a.table))
    Emit(a, sources, "DB-BULK-STATEMENT", "One query returned a bulk of customer records",
         fmt::format("{} read {} rows of {} in one statement {}.", N(a.actor), a.rows, table, how), 40, out);

  // Outside the application: a person reading the app's tables with a tool.
  const bool direct = !a.service_account && !a.via_app && (a.via_tool || !config_.app_names.empty());
  if (direct) {
    d.direct_rows += rows;
    // Direct reads naming no key (pages, ranges) count towards the day's customers;
    // the app's name-search lists do not (every agent has them).
    if (a.keys_count == 0 && a.rows_logged) d.unattributed_rows += a.rows;
    // Reported the first time a person reads outside the app — not every day for
    // those whose job includes it (their volume is still judged below).
    if (!d.direct_reported && act.direct_history.empty()) {
      d.direct_reported = true;
      Emit(a, sources, "DB-DIRECT-ACCESS", "Customer table read outside the application",
           fmt::format("{} read {} directly {} from {} as database user {}{}.", N(a.actor), table, how,
                       a.client ? N(a.client) : "an unknown client", N(a.db_user),
                       a.pages ? ", paging through it with OFFSET" : ""),
           20, out);
    }
    const uint64_t own_direct = act.direct_history.size() >= 3 ? P95(act.direct_history) : 0;
    const uint64_t direct_limit =
        std::max<uint64_t>(config_.direct_rows, static_cast<uint64_t>(config_.direct_factor * own_direct));
    if (d.direct_rows >= direct_limit && !d.direct_bulk_reported) {
      d.direct_bulk_reported = true;
      Emit(a, sources, "DB-DIRECT-BULK", "Bulk read of customer data outside the application",
           fmt::format("{} has read {} rows of customer data outside the application today ({} so far; the "
                       "threshold is {}{}){}.",
                       N(a.actor), d.direct_rows, table, direct_limit,
                       own_direct ? fmt::format(", {}× the person's usual direct day of {}", config_.direct_factor,
                                                own_direct)
                                  : std::string(),
                       a.pages ? "; the statements page through the table with LIMIT/OFFSET" : ""),
           55, out);
    }
  }

  // Hours.
  const int64_t local = a.time + config_.utc_offset_minutes * 60LL * 1'000'000'000;
  const int hour = static_cast<int>(((local % kNsDay) + kNsDay) % kNsDay / kNsHour);
  const int weekday = static_cast<int>(((day % 7) + 7 + 4) % 7);  // 0 = Sunday (1970-01-01 was a Thursday)
  const bool off = hour < config_.work_start_hour || hour >= config_.work_end_hour ||
                   (config_.weekends_off && (weekday == 0 || weekday == 6));
  if (off && !service_as_expected && !d.off_hours_reported) {
    d.off_hours_reported = true;
    if (!learning)
      Emit(a, sources, "DB-OFF-HOURS", "Customer data read outside working hours",
           fmt::format("{} read {} at {:02d}:xx local time{} ({}).", N(a.actor), table, hour,
                       weekday == 0 || weekday == 6 ? " on a weekend" : "", how),
           direct ? 20.0 : 10.0, out);
    else
      ++stats_.learning_suppressed;
  }
  // First access to this sensitive table.
  if (act.tables.insert(a.table).second) {
    if (!learning && a.time - act.first > 0)
      Emit(a, sources, "DB-FIRST-SENSITIVE-TABLE", "First access to a sensitive table",
           fmt::format("{} read {} for the first time ({}).", N(a.actor), table, how), 10, out);
    else if (learning)
      ++stats_.learning_suppressed;
  }
  // Distinct customers today against the actor's own and the peers' usual day.
  if (learning) return;
  const uint64_t touched = d.Distinct() + d.unattributed_rows;
  const uint32_t own = Baseline(act), peer = peer_;
  const double base = std::max<double>({static_cast<double>(own), static_cast<double>(peer), 1.0});
  const double medium = std::max<double>(static_cast<double>(config_.spike_min), config_.spike_factor * base);
  const double high = std::max<double>(static_cast<double>(config_.spike_min), config_.high_factor * base);
  auto explain = [&](const char* extra) {
    return fmt::format("{} has touched {} distinct customers today{} (own usual day: {}, 95th percentile of peers' "
                       "days: {}){}.",
                       N(a.actor), touched,
                       d.unattributed_rows ? fmt::format(" ({} of them rows the log cannot name)", d.unattributed_rows)
                                           : std::string(),
                       act.history.size() >= 3 ? fmt::format("{}", own) : std::string("no history yet"), peer, extra);
  };
  if (d.level < 2 && (touched > high || (touched > medium && act.spiked_yesterday))) {
    d.level = 2;
    Emit(a, sources, "DB-CUSTOMER-SPIKE-HIGH", "Far more customers than usual",
         explain(act.spiked_yesterday && touched <= high ? "; the previous working day was unusual too" : ""), 45, out);
  } else if (d.level < 1 && touched > medium) {
    d.level = 1;
    Emit(a, sources, "DB-CUSTOMER-SPIKE", "More customers than usual", explain(""), 20, out);
  }
}

DbWatchStats DbWatch::stats() const {
  DbWatchStats s = stats_;
  s.actors = actors_.size();
  size_t dyn = 0;
  for (auto& [id, a] : actors_)
    dyn += a.today.keys.size() * 24 + a.history.capacity() * 4 + a.tables.size() * 24 +
           (a.today.hll ? HyperLogLog::memory_bytes() : 0);
  s.bytes_per_actor = sizeof(Actor) + 32 + (actors_.empty() ? 0 : dyn / actors_.size());
  return s;
}

}  // namespace inari::analytics
