#include "analytics/risk.h"

#include <algorithm>
#include <cmath>

namespace inari::analytics {

std::string_view EntityKindName(EntityKind k) { return k == EntityKind::kUser ? "user" : "host"; }

namespace {

double Decay(int64_t dt, int64_t half_life) {
  if (dt <= 0) return 1.0;
  return std::exp2(-static_cast<double>(dt) / static_cast<double>(half_life));
}

std::string KeyOf(EntityKind kind, std::string_view name) {
  std::string k(1, kind == EntityKind::kUser ? 'u' : 'h');
  k += name;
  return k;
}

}  // namespace

double EntityRisk::ScoreAt(int64_t t, int64_t half_life) const {
  if (last == INT64_MIN) return 0;
  return score * Decay(t - last, half_life);
}

double RiskBoard::PointsFor(std::string_view rule_id, std::string_view title, std::string_view level) const {
  for (std::string_view k : {rule_id, title}) {
    if (k.empty()) continue;
    auto it = config_.points.find(std::string(k));
    if (it != config_.points.end()) return it->second;
  }
  auto it = config_.level_points.find(std::string(level));
  return it != config_.level_points.end() ? it->second : 0;
}

double RiskBoard::PointsForFinding(std::string_view code, double own) const {
  auto it = config_.points.find(std::string(code));
  return it != config_.points.end() ? it->second : own;
}

bool RiskBoard::Add(EntityKind kind, std::string_view name, const Contribution& c) {
  if (name.empty() || c.points <= 0) return false;
  auto [it, inserted] = entities_.try_emplace(KeyOf(kind, name));
  EntityRisk& e = it->second;
  if (inserted) {
    e.kind = kind;
    e.name = std::string(name);
  }
  auto [lc, first] = e.last_counted.try_emplace(c.code, EntityRisk::Counted{c.time, 0});
  if (!first) {
    if (c.time - lc->second.time < config_.repeat_window) {
      ++e.suppressed;
      return false;
    }
    lc->second.time = c.time;
  }
  const double points = c.points / (1.0 + lc->second.times);
  ++lc->second.times;
  const int64_t t = std::max(c.time, e.last == INT64_MIN ? c.time : e.last);  // never decay backwards
  e.score = e.ScoreAt(t, config_.half_life) + points;
  e.last = t;
  if (e.score > e.peak) {
    e.peak = e.score;
    e.peak_time = t;
  }
  constexpr int64_t kDayNs = 24LL * 3600 * 1'000'000'000;
  e.recent.emplace_back(t, points);
  while (!e.recent.empty() && t - e.recent.front().first >= kDayNs) e.recent.erase(e.recent.begin());
  double burst = 0;  // new points since the last alert, within the last 24 h
  for (auto& [when, p] : e.recent)
    if (when > e.alert_time) burst += p;
  if (!e.alerted && e.score >= config_.alert_threshold) {
    e.alerted = true;
    e.alert_score = e.score;
    e.alert_time = t;
    alerts_.push_back(RiskAlert{t, kind, e.name, e.score, false});
  } else if (e.alerted && (e.score >= 2 * e.alert_score ||
                           (burst >= config_.alert_threshold && t - e.alert_time >= kDayNs))) {
    e.alert_score = e.score;
    e.alert_time = t;
    alerts_.push_back(RiskAlert{t, kind, e.name, e.score, true});
  } else if (e.alerted && e.score < config_.alert_threshold / 2) {
    e.alerted = false;
  }
  e.contributions.push_back(c);
  e.contributions.back().points = points;
  if (e.contributions.size() > config_.max_contributions) e.contributions.erase(e.contributions.begin());
  return true;
}

std::vector<const EntityRisk*> RiskBoard::Top(EntityKind kind, size_t n, int64_t at) const {
  std::vector<std::pair<double, const EntityRisk*>> v;
  for (auto& [k, e] : entities_)
    if (e.kind == kind) v.emplace_back(e.ScoreAt(at, config_.half_life), &e);
  std::sort(v.begin(), v.end(), [](auto& a, auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return a.second->name < b.second->name;
  });
  std::vector<const EntityRisk*> out;
  for (size_t i = 0; i < v.size() && i < n; ++i) out.push_back(v[i].second);
  return out;
}

const EntityRisk* RiskBoard::Find(EntityKind kind, std::string_view name) const {
  auto it = entities_.find(KeyOf(kind, name));
  return it == entities_.end() ? nullptr : &it->second;
}

Status RiskBoard::Save(StateDb* db) const {
  if (Status s = db->Exec(
          "CREATE TABLE IF NOT EXISTS risk_contributions(kind TEXT, entity TEXT, time INTEGER, points REAL, "
          "source TEXT, code TEXT, title TEXT, detail TEXT, host TEXT, record_id INTEGER, event_id INTEGER)");
      !s.ok())
    return s;
  if (Status s = db->Begin(); !s.ok()) return s;
  if (Status s = db->Exec("DELETE FROM risk_contributions"); !s.ok()) {
    db->Rollback();
    return s;
  }
  auto st = db->Prepare("INSERT INTO risk_contributions VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st.has_value()) {
    db->Rollback();
    return st.error();
  }
  for (auto& [k, e] : entities_) {
    for (const Contribution& c : e.contributions) {
      st->Bind(1, EntityKindName(e.kind));
      st->Bind(2, std::string_view(e.name));
      st->Bind(3, c.time);
      st->Bind(4, c.points);
      st->Bind(5, std::string_view(c.kind));
      st->Bind(6, std::string_view(c.code));
      st->Bind(7, std::string_view(c.title));
      st->Bind(8, std::string_view(c.detail));
      st->Bind(9, std::string_view(c.host));
      st->Bind(10, static_cast<int64_t>(c.record_id));
      st->Bind(11, c.event_id);
      st->Step();
      st->Reset();
    }
  }
  if (!st->status().ok()) {
    db->Rollback();
    return st->status();
  }
  return db->Commit();
}

Status RiskBoard::Load(StateDb* db) {
  auto exists = db->Prepare("SELECT count(*) FROM sqlite_master WHERE name = 'risk_contributions'");
  if (!exists.has_value()) return exists.error();
  if (!exists->Step() || exists->Int(0) == 0) return Status::OK();
  auto st = db->Prepare(
      "SELECT kind, entity, time, points, source, code, title, detail, host, record_id, event_id "
      "FROM risk_contributions ORDER BY time");
  if (!st.has_value()) return st.error();
  while (st->Step()) {
    Contribution c;
    c.time = st->Int(2);
    c.points = st->Double(3);
    c.kind = std::string(st->Text(4));
    c.code = std::string(st->Text(5));
    c.title = std::string(st->Text(6));
    c.detail = std::string(st->Text(7));
    c.host = std::string(st->Text(8));
    c.record_id = static_cast<uint64_t>(st->Int(9));
    c.event_id = st->Int(10);
    Add(st->Text(0) == "user" ? EntityKind::kUser : EntityKind::kHost, st->Text(1), c);
  }
  alerts_.clear();  // alerts of earlier runs were reported by them
  return st->status();
}

}  // namespace inari::analytics
