#include "engine/analyze.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cmath>

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
  if (unit == "s" || unit.empty()) mult = 1e9;
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

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const AnalyzeConfig& config, int threads) {
  std::unique_ptr<Analyzer> a(new Analyzer());
  a->config_ = config;
  const size_t n = static_cast<size_t>(std::max(1, threads));
  a->extractors_.resize(n);
  a->activities_.resize(n);
  a->extract_seconds_.assign(n, 0);
  a->lateral_ = std::make_unique<analytics::LateralAnalytics>(config.lateral, &a->names_);
  a->risk_ = std::make_unique<analytics::RiskBoard>(config.risk);
  if (!config.state_file.empty()) {
    auto db = StateDb::Open(config.state_file);
    if (!db.has_value()) return db.error();
    a->db_ = std::move(db).value();
    if (Status s = a->lateral_->Load(a->db_.get()); !s.ok()) return s;
    if (Status s = a->risk_->Load(a->db_.get()); !s.ok()) return s;
  }
  return a;
}

void Analyzer::Consume(int worker, const EventBatch& batch) {
  const auto t0 = std::chrono::steady_clock::now();
  auto& x = extractors_[static_cast<size_t>(worker)];
  auto& out = activities_[static_cast<size_t>(worker)];
  for (size_t i = 0; i < batch.size(); ++i) {
    EventView e = batch[i];
    x.Extract(e, batch.source(e.origin().source), &out);
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

void Analyzer::Finish(const std::vector<Detection>& detections,
                      const std::function<const sigma::RuleInfo&(uint32_t)>& rule) {
  // 1. Analytics over the activities in time order.
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> sources;
  std::vector<analytics::Activity> all = analytics::MergeActivities(&extractors_, &activities_, &names_, &sources);
  stats_.activities = all.size();
  for (double s : extract_seconds_) stats_.extract_seconds += s;
  for (const analytics::Activity& a : all) lateral_->Observe(a, sources, &findings_);
  if (!all.empty()) last_time_ = std::max(last_time_, all.back().time);
  std::vector<analytics::Activity>().swap(all);
  auto t1 = std::chrono::steady_clock::now();
  stats_.analyze_seconds = std::chrono::duration<double>(t1 - t0).count();

  // 2. Risk: detections and findings merged in time order.
  simdjson::dom::parser parser;
  size_t di = 0, fi = 0;
  while (di < detections.size() || fi < findings_.size()) {
    const bool take_detection =
        fi == findings_.size() || (di < detections.size() && detections[di].time <= findings_[fi].time);
    if (take_detection) {
      const Detection& d = detections[di++];
      if (d.time == INT64_MIN) continue;
      last_time_ = std::max(last_time_, d.time);
      const sigma::RuleInfo& info = rule(d.rule);
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
      for (const std::string& u : UsersOf(d, &parser)) risk_->Add(EntityKind::kUser, u, c);
    } else {
      const Finding& f = findings_[fi++];
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
      if (!c.host.empty()) risk_->Add(EntityKind::kHost, c.host, c);
    }
  }
  stats_.risk_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  stats_.lateral = lateral_->stats();
}

Status Analyzer::SaveState() {
  if (!db_) return Status::OK();
  if (Status s = lateral_->Save(db_.get()); !s.ok()) return s;
  return risk_->Save(db_.get());
}

bool Analyzer::learning() const { return last_time_ == INT64_MIN || lateral_->learning_at(last_time_); }

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
  out += fmt::format("  {} activities analysed, {} findings, {} risk alerts\n", st.activities, a.findings().size(),
                     board.alerts().size());
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
    j += fmt::format(",\"score\":{:.1f}}}", al.score);
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
