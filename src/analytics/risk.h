// RiskBoard — continuous, explainable risk per entity (account or host).
//
// Every detection — a Sigma rule, a correlation, an analytics finding — adds
// points to the entities it names. Points decay exponentially with a
// configurable half-life, so the score at time T is
//   sum over contributions c with c.time <= T of  c.points * 2^(-(T - c.time) / half_life).
// The score is explained by that list. Contributions must arrive in event-time
// order (the engine merges its streams); the same source (rule or reason code)
// counts at most once per entity within `repeat_window`, so a rule that fires
// a thousand times on a helpdesk account does not make it the riskiest entity;
// and each further time the same source counts for the same entity (a later
// day) it is worth less — points / (1 + times counted before) — because what
// an entity does routinely is less telling than what it does for the first
// time (habituation).
// An alert is raised when a score crosses `alert_threshold`; it is raised again
// (an escalation) when the score doubles since the entity's last alert, or when
// the entity gathers a threshold's worth of new points within 24 hours at least a
// day after its last alert (an account already under suspicion that is used
// for something new), and re-armed once the score has decayed below half the
// threshold. Single-threaded.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "inari/result.h"
#include "store/state_db.h"

namespace inari::analytics {

enum class EntityKind : uint8_t { kUser, kHost };
std::string_view EntityKindName(EntityKind k);

struct RiskConfig {
  int64_t half_life = 3LL * 24 * 3600 * 1'000'000'000;  // 3 days
  double alert_threshold = 100;
  int64_t repeat_window = 24LL * 3600 * 1'000'000'000;  // per (entity, source)
  // Points of a Sigma/correlation detection by rule level; overridden per
  // rule id, rule title or reason code in `points`.
  std::map<std::string, double> level_points = {
      {"informational", 1}, {"low", 5}, {"medium", 15}, {"high", 40}, {"critical", 70}};
  std::map<std::string, double> points;
  size_t max_contributions = 10000;  // kept per entity (oldest dropped first; the score keeps them)
};

struct Contribution {
  int64_t time = 0;
  double points = 0;
  std::string kind;    // "sigma", "correlation", "analytic"
  std::string code;    // rule id or reason code
  std::string title;
  std::string detail;  // explanation or key event details
  std::string host;    // where it happened
  uint64_t record_id = 0;
  int64_t event_id = 0;
};

struct RiskAlert {
  int64_t time = 0;
  EntityKind kind = EntityKind::kUser;
  std::string entity;
  double score = 0;
  bool escalation = false;  // raised again on a doubled score while still alerted
};

struct EntityRisk {
  EntityKind kind = EntityKind::kUser;
  std::string name;
  double score = 0;      // decayed to `last`
  int64_t last = INT64_MIN;
  double peak = 0;       // highest score reached
  int64_t peak_time = 0;
  bool alerted = false;
  double alert_score = 0;  // score at the last alert
  int64_t alert_time = INT64_MIN;
  std::vector<std::pair<int64_t, double>> recent;  // contributions of the last 24 h (burst alerts)
  uint64_t suppressed = 0;  // repeats not counted
  std::vector<Contribution> contributions;  // time order
  struct Counted {
    int64_t time = 0;
    uint32_t times = 0;
  };
  std::unordered_map<std::string, Counted> last_counted;  // code → when last counted, how often
  double ScoreAt(int64_t t, int64_t half_life) const;
};

class RiskBoard {
 public:
  explicit RiskBoard(const RiskConfig& config) : config_(config) {}

  // Points for a rule detection: per-rule override, else by level.
  double PointsFor(std::string_view rule_id, std::string_view title, std::string_view level) const;
  // Points for an analytics finding: override by reason code, else its own points.
  double PointsForFinding(std::string_view code, double own) const;

  // Adds `c` to the entity (created on first use). Returns true if it counted.
  bool Add(EntityKind kind, std::string_view name, const Contribution& c);

  // Entities by score at time `at`, highest first.
  std::vector<const EntityRisk*> Top(EntityKind kind, size_t n, int64_t at) const;
  const std::vector<RiskAlert>& alerts() const { return alerts_; }
  const EntityRisk* Find(EntityKind kind, std::string_view name) const;
  size_t size() const { return entities_.size(); }
  const RiskConfig& config() const { return config_; }

  // Persistence (table risk_contributions); loading replays the contributions.
  [[nodiscard]] Status Save(StateDb* db) const;
  [[nodiscard]] Status Load(StateDb* db);

 private:
  RiskConfig config_;
  std::unordered_map<std::string, EntityRisk> entities_;  // key: kind byte + name
  std::vector<RiskAlert> alerts_;
};

}  // namespace inari::analytics
