#include "engine/analyze.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "analytics/sql_keys.h"
#include "base/ascii.h"
#include "base/time.h"
#include "base/utf.h"

namespace inari {

using analytics::Contribution;
using analytics::EntityKind;
using analytics::EntityRisk;
using analytics::Finding;

bool ParseDuration(std::string_view s, int64_t* ns) {
  if (s.empty()) return false;
  double v = 0;
  size_t i = 0;
  bool digits = false;
  double frac = 0, scale = 1;
  for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); ++i) {
    if (s[i] == '.') {
      if (scale != 1 || frac != 0) return false;
      scale = 0.1;
      frac = 1;
      continue;
    }
    digits = true;
    if (scale == 1) v = v * 10 + (s[i] - '0');
    else {
      v += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (!digits) return false;
  std::string_view unit = s.substr(i);
  double mult;
  if (unit == "ms") mult = 1e6;
  else if (unit == "s" || unit.empty()) mult = 1e9;
  else if (unit == "m") mult = 60e9;
  else if (unit == "h") mult = 3600e9;
  else if (unit == "d") mult = 86400e9;
  else if (unit == "w") mult = 7 * 86400e9;
  else return false;
  *ns = static_cast<int64_t>(v * mult);
  return true;
}

Status LoadAnalyzeSettings(const std::string& path, AnalyzeConfig* c) {
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(path);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(path, e.what());
  }
  if (!doc.IsMap()) return Status::InvalidArgument(path, "expected a map of settings");
  try {
    for (auto it : doc) {
      const std::string key = it.first.as<std::string>();
      const YAML::Node& v = it.second;
      auto duration = [&](int64_t* out) -> Status {
        if (!ParseDuration(v.as<std::string>(), out))
          return Status::InvalidArgument(path, fmt::format("{}: '{}' is not a duration like 90s, 15m, 6h, 7d", key,
                                                           v.as<std::string>()));
        return Status::OK();
      };
      Status s;
      if (key == "half_life") s = duration(&c->risk.half_life);
      else if (key == "repeat_window") s = duration(&c->risk.repeat_window);
      else if (key == "alert_threshold") c->risk.alert_threshold = v.as<double>();
      else if (key == "warmup") s = duration(&c->lateral.warmup);
      else if (key == "fanout_window") s = duration(&c->lateral.fanout_window);
      else if (key == "fanout_min") c->lateral.fanout_min = v.as<int>();
      else if (key == "fanout_factor") c->lateral.fanout_factor = v.as<double>();
      else if (key == "path_window") s = duration(&c->lateral.path_window);
      else if (key == "bulk_window") s = duration(&c->lateral.bulk_window);
      else if (key == "bulk_min") c->lateral.bulk_min = v.as<int>();
      else if (key == "max_edges") c->lateral.max_edges = v.as<size_t>();
      else if (key == "max_entities") c->lateral.max_entities = v.as<size_t>();
      else if (key == "levels") {
        for (auto l : v) c->risk.level_points[l.first.as<std::string>()] = l.second.as<double>();
      } else if (key == "points") {
        for (auto p : v) c->risk.points[p.first.as<std::string>()] = p.second.as<double>();
      } else {
        return Status::InvalidArgument(path, fmt::format("unknown setting '{}' (docs/analytics.md lists them)", key));
      }
      if (!s.ok()) return s;
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(path, e.what());
  }
  return Status::OK();
}

namespace {

// A relative path in a settings file is relative to that file.
std::string ResolveNear(const std::string& settings, const std::string& p) {
  if (p.empty() || p[0] == '/') return p;
  const size_t slash = settings.rfind('/');
  return slash == std::string::npos ? p : settings.substr(0, slash + 1) + p;
}

// CSV with a header: a `person` column and alias columns (portal_login,
// db_user, login, username, account): every alias names that person.
Status LoadPeople(const std::string& path, analytics::DbWatchConfig* c) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return Status::IOError(path, "cannot open the people file");
  std::vector<std::vector<std::string>> rows;
  std::string line;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, f)) {
    line = buf;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    std::vector<std::string> cells = analytics::SplitParameters(line);  // CSV with quotes
    for (std::string& c : cells) c = AsciiLowerCopy(c);
    rows.push_back(std::move(cells));
  }
  std::fclose(f);
  if (rows.empty()) return Status::InvalidArgument(path, "empty people file");
  const auto& head = rows[0];
  auto col = [&](std::string_view name) -> int {
    for (size_t i = 0; i < head.size(); ++i)
      if (head[i] == name) return static_cast<int>(i);
    return -1;
  };
  const int person = col("person");
  if (person < 0) return Status::InvalidArgument(path, "the people file needs a 'person' column");
  std::vector<int> aliases;
  for (const char* n : {"portal_login", "db_user", "login", "username", "account"})
    if (int i = col(n); i >= 0) aliases.push_back(i);
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (static_cast<int>(row.size()) <= person || row[static_cast<size_t>(person)].empty()) continue;
    for (int i : aliases)
      if (static_cast<int>(row.size()) > i && !row[static_cast<size_t>(i)].empty())
        c->people[row[static_cast<size_t>(i)]] = row[static_cast<size_t>(person)];
  }
  return Status::OK();
}

}  // namespace

bool IsDbWatchSettingKey(std::string_view key) {
  static constexpr std::string_view kKeys[] = {
      "customer_key", "sensitive_tables", "app_only_tables", "applications", "tools", "service_accounts",
      "service_clients", "person_in_application", "work_hours", "weekends_off", "utc_offset_minutes", "warmup",
      "direct_rows", "direct_factor", "bulk_statement_rows", "spike_min", "spike_factor", "high_factor",
      "exact_limit", "failed_logins", "people_file"};
  return std::find(std::begin(kKeys), std::end(kKeys), key) != std::end(kKeys);
}

Status LoadDbWatchSettings(const std::string& path, analytics::DbWatchConfig* c) {
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(path);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(path, e.what());
  }
  if (!doc.IsMap()) return Status::InvalidArgument(path, "expected a map of settings");
  auto list = [](const YAML::Node& v, bool lower) {
    std::vector<std::string> out;
    if (v.IsSequence()) {
      for (auto x : v) out.push_back(lower ? AsciiLowerCopy(x.as<std::string>()) : x.as<std::string>());
    } else if (!v.IsNull()) {
      out.push_back(lower ? AsciiLowerCopy(v.as<std::string>()) : v.as<std::string>());
    }
    return out;
  };
  try {
    for (auto it : doc) {
      const std::string key = it.first.as<std::string>();
      const YAML::Node& v = it.second;
      if (key == "scope") continue;  // inari scope's part of a shared settings file
      if (!IsDbWatchSettingKey(key))
        return Status::InvalidArgument(path, fmt::format("unknown setting '{}' (docs/insider.md lists them)", key));
      if (key == "customer_key") c->customer_key = v.as<std::string>();
      else if (key == "sensitive_tables") c->sensitive_tables = list(v, true);
      else if (key == "app_only_tables") c->app_only_tables = list(v, true);
      else if (key == "applications") c->app_names = list(v, false);
      else if (key == "tools") c->tool_names = list(v, false);
      else if (key == "service_accounts") c->service_accounts = list(v, true);
      else if (key == "service_clients") c->service_clients = list(v, true);
      else if (key == "person_in_application") c->human_pattern = v.as<std::string>();
      else if (key == "work_hours") {
        const std::string w = v.as<std::string>();
        int a = 0, b = 0;
        if (std::sscanf(w.c_str(), "%d-%d", &a, &b) != 2 || a < 0 || b > 24 || a >= b)
          return Status::InvalidArgument(path, fmt::format("work_hours: '{}' is not like 7-19", w));
        c->work_start_hour = a;
        c->work_end_hour = b;
      } else if (key == "weekends_off") c->weekends_off = v.as<bool>();
      else if (key == "utc_offset_minutes") c->utc_offset_minutes = v.as<int>();
      else if (key == "warmup") {
        if (!ParseDuration(v.as<std::string>(), &c->warmup))
          return Status::InvalidArgument(path, "warmup: not a duration like 7d");
      } else if (key == "direct_rows") c->direct_rows = v.as<uint64_t>();
      else if (key == "bulk_statement_rows") c->bulk_statement_rows = v.as<uint64_t>();
      else if (key == "spike_min") c->spike_min = v.as<uint64_t>();
      else if (key == "spike_factor") c->spike_factor = v.as<double>();
      else if (key == "high_factor") c->high_factor = v.as<double>();
      else if (key == "exact_limit") c->exact_limit = v.as<size_t>();
      else if (key == "failed_logins") c->failed_logins = v.as<int>();
      else if (key == "people_file") {
        if (Status st = LoadPeople(ResolveNear(path, v.as<std::string>()), c); !st.ok()) return st;
      }
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(path, e.what());
  }
  if (!c->human_pattern.empty()) {
    re2::RE2 re(c->human_pattern, re2::RE2::Quiet);
    if (!re.ok() || re.NumberOfCapturingGroups() < 1)
      return Status::InvalidArgument(path, "person_in_application: needs a valid RE2 pattern with one group");
  }
  return Status::OK();
}

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const AnalyzeConfig& config, int threads) {
  std::unique_ptr<Analyzer> a(new Analyzer());
  a->config_ = config;
  const size_t n = static_cast<size_t>(std::max(1, threads));
  a->extractors_.resize(n);
  a->activities_.resize(n);
  a->extract_seconds_.assign(n, 0);
  for (size_t i = 0; i < n; ++i) a->db_extractors_.emplace_back(&a->config_.db);
  a->db_accesses_.resize(n);
  a->lateral_ = std::make_unique<analytics::LateralAnalytics>(config.lateral, &a->names_);
  a->db_ = std::make_unique<analytics::DbWatch>(config.db, &a->names_);
  a->risk_ = std::make_unique<analytics::RiskBoard>(config.risk);
  a->parser_ = std::make_unique<simdjson::dom::parser>();
  if (!config.state_file.empty()) {
    auto db = StateDb::Open(config.state_file);
    if (!db.has_value()) return db.error();
    a->state_ = std::move(db).value();
    if (Status s = a->lateral_->Load(a->state_.get()); !s.ok()) return s;
    if (Status s = a->risk_->Load(a->state_.get()); !s.ok()) return s;
  }
  return a;
}

void Analyzer::Consume(int worker, const EventBatch& batch) {
  const auto t0 = std::chrono::steady_clock::now();
  auto& x = extractors_[static_cast<size_t>(worker)];
  auto& out = activities_[static_cast<size_t>(worker)];
  auto& dx = db_extractors_[static_cast<size_t>(worker)];
  auto& dout = db_accesses_[static_cast<size_t>(worker)];
  for (size_t i = 0; i < batch.size(); ++i) {
    EventView e = batch[i];
    if (e.time() != INT64_MIN && (e.time() < config_.from || e.time() > config_.to)) continue;
    const std::string& source = batch.source(e.origin().source);
    x.Extract(e, source, &out);
    dx.Extract(e, source, &dout);
  }
  extract_seconds_[static_cast<size_t>(worker)] +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

namespace {

// Accounts a detection names, read from its event.
std::vector<std::string> UsersOf(const Detection& d, simdjson::dom::parser* parser) {
  std::vector<std::string> users;
  if (d.event_json.empty()) return users;
  simdjson::dom::element doc;
  if (parser->parse(d.event_json).get(doc) != simdjson::SUCCESS) return users;
  simdjson::dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) return users;
  const bool rcm = d.channel.find("RemoteConnectionManager") != std::string::npos;
  for (auto field : obj) {
    std::string_view k = field.key;
    if (!(k == "TargetUserName" || k == "SubjectUserName" || k == "User" || k == "AccountName" ||
          k == "SourceUserName" || k == "UserName" || (rcm && k == "Param1")))
      continue;
    std::string_view v;
    if (field.value.get_string().get(v) != simdjson::SUCCESS) continue;
    std::string n = analytics::NormalizeAccount(v);
    if (!n.empty() && std::find(users.begin(), users.end(), n) == users.end()) users.push_back(std::move(n));
  }
  return users;
}

std::string DetailsText(const Detection& d) {
  std::string s;
  for (auto& [k, v] : d.details) {
    if (!s.empty()) s += " ¦ ";
    s += k;
    s += ": ";
    s += v;
  }
  return s;
}

}  // namespace

Analyzer::~Analyzer() = default;

void Analyzer::Analyze() {
  // Analytics over the activities in time order.
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> sources;
  std::vector<analytics::Activity> all = analytics::MergeActivities(&extractors_, &activities_, &names_, &sources);
  stats_.activities = all.size();
  for (double s : extract_seconds_) stats_.extract_seconds += s;
  for (const analytics::Activity& a : all) lateral_->Observe(a, sources, &findings_);
  if (!all.empty()) last_time_ = std::max(last_time_, all.back().time);
  std::vector<analytics::Activity>().swap(all);
  {
    std::vector<std::string> db_sources;
    std::vector<uint64_t> keys;
    std::vector<analytics::DbAccess> db =
        analytics::MergeDbAccesses(&db_extractors_, &db_accesses_, &names_, &db_sources, &keys);
    stats_.db_accesses = db.size();
    const size_t lateral_findings = findings_.size();
    for (const analytics::DbAccess& a : db) db_->Observe(a, keys, db_sources, &findings_);
    if (!db.empty()) last_time_ = std::max(last_time_, db.back().time);
    std::inplace_merge(findings_.begin(), findings_.begin() + static_cast<std::ptrdiff_t>(lateral_findings),
                       findings_.end(), [](const Finding& x, const Finding& y) { return x.time < y.time; });
  }
  stats_.analyze_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stats_.lateral = lateral_->stats();
  stats_.db = db_->stats();
}

void Analyzer::AddRisk(const Detection& d, const sigma::RuleInfo& info) {
  if (d.time == INT64_MIN) return;
  const auto t0 = std::chrono::steady_clock::now();
  last_time_ = std::max(last_time_, d.time);
  Contribution c;
  c.time = d.time;
  c.points = risk_->PointsFor(info.id, info.title, sigma::LevelName(info.level));
  c.kind = "sigma";
  c.code = info.id.empty() ? info.title : info.id;
  c.title = info.title;
  c.detail = DetailsText(d);
  c.host = analytics::NormalizeHost(d.computer);
  c.record_id = d.record_id;
  c.event_id = d.event_id;
  risk_->Add(EntityKind::kHost, c.host, c);
  for (const std::string& u : UsersOf(d, parser_.get())) risk_->Add(EntityKind::kUser, u, c);
  stats_.risk_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void Analyzer::AddRisk(const Finding& f) {
  Contribution c;
  c.time = f.time;
  c.points = risk_->PointsForFinding(f.code, f.points);
  c.kind = "analytic";
  c.code = f.code;
  c.title = f.title;
  c.detail = f.explanation;
  c.host = f.host.empty() ? f.computer : f.host;
  c.record_id = f.record_id;
  c.event_id = f.event_id;
  // The same code counts once per entity per repeat window; per-object
  // findings (new host A, new host B) are distinct evidence.
  c.code = f.code + ":" + f.host + ":" + f.source;
  if (!f.user.empty()) risk_->Add(EntityKind::kUser, f.user, c);
  c.points *= f.host_weight;
  if (!c.host.empty()) risk_->Add(EntityKind::kHost, c.host, c);
}

Status Analyzer::SaveState() {
  if (!state_) return Status::OK();
  if (Status s = lateral_->Save(state_.get()); !s.ok()) return s;
  return risk_->Save(state_.get());
}

bool Analyzer::learning() const {
  // Windows baselines only: database-only input has its own warm-up per finding (docs/insider.md).
  return lateral_->start_time() != INT64_MIN && last_time_ != INT64_MIN && lateral_->learning_at(last_time_);
}

namespace {

std::string Short(std::string_view s, size_t n) {
  if (s.size() <= n) return std::string(s);
  size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "…";
}

void AppendStory(const EntityRisk& e, int64_t half_life, std::string* out) {
  const size_t kMax = 14;
  const size_t n = e.contributions.size();
  // The highest-weighted evidence if the story is long, told in time order.
  std::vector<size_t> pick(n);
  for (size_t i = 0; i < n; ++i) pick[i] = i;
  if (n > kMax) {
    std::stable_sort(pick.begin(), pick.end(), [&](size_t a, size_t b) {
      return e.contributions[a].points > e.contributions[b].points;
    });
    pick.resize(kMax);
    std::sort(pick.begin(), pick.end());
  }
  for (size_t i : pick) {
    const Contribution& c = e.contributions[i];
    *out += fmt::format("      {}  {:<14} +{:<5} {}\n", FormatIso8601(c.time).substr(0, 19), Short(c.host, 14),
                        fmt::format("{:.0f}", c.points), Short(c.title, 90));
    if (c.kind == "analytic") *out += fmt::format("{:39}{}\n", "", Short(c.detail, 150));
  }
  if (n > kMax) *out += fmt::format("      ({} more contributions of lower weight)\n", n - kMax);
  (void)half_life;
}

}  // namespace

std::string RiskReportText(const Analyzer& a, size_t top, bool color) {
  std::string out;
  const auto& board = a.risk();
  const auto& cfg = board.config();
  const int64_t at = a.last_time();
  if (at == INT64_MIN) return out;
  const auto& st = a.stats();
  out += fmt::format("\nEntity risk at {} (half-life {:.1f} d, alert at {:.0f} points)\n", FormatIso8601(at).substr(0, 19),
                     cfg.half_life / 86400e9, cfg.alert_threshold);
  if (a.learning())
    out += fmt::format("  analytics still learning: baselines cover {:.1f} of {:.1f} warm-up days; first-seen and "
                       "baseline findings start after that (rule detections count already)\n",
                       (at - a.lateral().start_time()) / 86400e9, a.config().lateral.warmup / 86400e9);
  out += fmt::format("  {} Windows activities and {} database accesses analysed, {} findings, {} risk alerts\n",
                     st.activities, st.db_accesses, a.findings().size(), board.alerts().size());
  for (EntityKind kind : {EntityKind::kUser, EntityKind::kHost}) {
    auto list = board.Top(kind, top, at);
    if (list.empty()) continue;
    out += fmt::format("\n  Riskiest {}:\n", kind == EntityKind::kUser ? "accounts" : "hosts");
    for (const EntityRisk* e : list) {
      const double score = e->ScoreAt(at, cfg.half_life);
      std::string name = color ? fmt::format("\x1b[1m{}\x1b[0m", e->name) : e->name;
      out += fmt::format("    {:<24} score {:>6.1f}  (peak {:.1f} at {}){}\n", name, score, e->peak,
                         FormatIso8601(e->peak_time).substr(0, 16),
                         e->peak >= cfg.alert_threshold ? "  ALERT" : "");
      AppendStory(*e, cfg.half_life, &out);
    }
  }
  return out;
}

std::string RiskReportJson(const Analyzer& a, size_t top) {
  const auto& board = a.risk();
  const auto& cfg = board.config();
  const int64_t at = a.last_time();
  std::string j = "{";
  auto str = [&](std::string_view s) {
    j += '"';
    AppendJsonEscaped(s, &j);
    j += '"';
  };
  j += "\"at\":";
  str(at == INT64_MIN ? "" : FormatIso8601(at));
  const auto& st = a.stats();
  j += fmt::format(",\"learning\":{},\"activities\":{},\"extract_seconds\":{:.6f},\"analyze_seconds\":{:.6f},"
                   "\"risk_seconds\":{:.6f},\"state\":{{\"edges\":{},\"users\":{},\"hosts\":{},\"evicted_edges\":{},"
                   "\"evicted_entities\":{},\"memory_bytes\":{},\"bytes_per_edge\":{},\"bytes_per_user\":{},"
                   "\"bytes_per_host\":{},\"learning_suppressed\":{},\"repeats_suppressed\":{}}}",
                   a.learning() ? "true" : "false", st.activities, st.extract_seconds, st.analyze_seconds,
                   st.risk_seconds, st.lateral.edges, st.lateral.users, st.lateral.hosts, st.lateral.evicted_edges,
                   st.lateral.evicted_entities, st.lateral.memory_bytes, st.lateral.bytes_per_edge,
                   st.lateral.bytes_per_user, st.lateral.bytes_per_host, st.lateral.learning_suppressed,
                   st.lateral.repeats_suppressed);
  j += fmt::format(",\"db\":{{\"accesses\":{},\"actors\":{},\"sketches\":{},\"bytes_per_actor\":{},"
                   "\"bytes_per_sketch\":{},\"findings\":{}}}",
                   st.db_accesses, st.db.actors, st.db.sketches, st.db.bytes_per_actor, st.db.bytes_per_sketch,
                   st.db.findings);
  j += ",\"alerts\":[";
  bool first = true;
  for (const auto& al : board.alerts()) {
    j += first ? "{" : ",{";
    first = false;
    j += "\"time\":";
    str(FormatIso8601(al.time));
    j += ",\"kind\":";
    str(analytics::EntityKindName(al.kind));
    j += ",\"entity\":";
    str(al.entity);
    j += fmt::format(",\"score\":{:.1f},\"escalation\":{}}}", al.score, al.escalation ? "true" : "false");
  }
  j += "]";
  for (EntityKind kind : {EntityKind::kUser, EntityKind::kHost}) {
    j += kind == EntityKind::kUser ? ",\"users\":[" : ",\"hosts\":[";
    first = true;
    for (const EntityRisk* e : board.Top(kind, top, at)) {
      j += first ? "{" : ",{";
      first = false;
      j += "\"name\":";
      str(e->name);
      j += fmt::format(",\"score\":{:.1f},\"peak\":{:.1f},\"peak_time\":", e->ScoreAt(at, cfg.half_life), e->peak);
      str(FormatIso8601(e->peak_time));
      j += ",\"contributions\":[";
      bool f2 = true;
      for (const Contribution& c : e->contributions) {
        j += f2 ? "{" : ",{";
        f2 = false;
        j += "\"time\":";
        str(FormatIso8601(c.time));
        j += fmt::format(",\"points\":{:.1f},\"kind\":", c.points);
        str(c.kind);
        j += ",\"code\":";
        str(c.code);
        j += ",\"title\":";
        str(c.title);
        j += ",\"host\":";
        str(c.host);
        j += ",\"detail\":";
        str(c.detail);
        j += fmt::format(",\"event_id\":{},\"record_id\":{}}}", c.event_id, c.record_id);
      }
      j += "]}";
    }
    j += "]";
  }
  j += ",\"findings\":[";
  first = true;
  for (const Finding& f : a.findings()) {
    j += first ? "{" : ",{";
    first = false;
    j += "\"time\":";
    str(FormatIso8601(f.time));
    j += ",\"code\":";
    str(f.code);
    j += ",\"title\":";
    str(f.title);
    j += fmt::format(",\"points\":{:.1f},\"user\":", f.points);
    str(f.user);
    j += ",\"host\":";
    str(f.host);
    j += ",\"source\":";
    str(f.source);
    j += ",\"explanation\":";
    str(f.explanation);
    j += fmt::format(",\"event_id\":{},\"record_id\":{},\"input\":", f.event_id, f.record_id);
    str(f.input);
    j += "}";
  }
  j += "]}";
  return j;
}

}  // namespace inari
