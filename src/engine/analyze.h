// Analyzer — behavioural analytics and entity risk for a hunt.
//
// During the scan each worker extracts compact Activity records from the events
// (Consume; lock-free, one extractor per worker). After the scan Analyze() merges
// and sorts them by event time and runs the lateral-movement and database
// analytics over them; the caller then feeds every timeline row — findings,
// Sigma detections, correlation rows, in event-time order — to AddRisk, which
// keeps the risk board. With a state file the baselines and
// risk continue from the previous run and are saved back (SaveState).
// Not thread-safe except Consume (distinct workers).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "analytics/activity.h"
#include "analytics/dbwatch.h"
#include "analytics/lateral.h"
#include "analytics/risk.h"
#include "engine/detection.h"
#include "inari/result.h"
#include "sigma/rule.h"
#include "store/state_db.h"

namespace simdjson::dom {
class parser;
}  // namespace simdjson::dom

namespace inari {

struct AnalyzeConfig {
  analytics::LateralConfig lateral;
  analytics::RiskConfig risk;
  analytics::DbWatchConfig db;
  std::string state_file;  // SQLite; "" = nothing kept between runs
  int64_t from = INT64_MIN, to = INT64_MAX;  // event time window (UTC ns), as hunt --from/--to
};

// Reads a risk/analytics settings file (YAML, docs/analytics.md):
//   half_life: 3d   alert_threshold: 100   warmup: 7d   fanout_window: 1h ...
//   levels: {low: 5, medium: 15, ...}   points: {<rule id | title | reason code>: N}
[[nodiscard]] Status LoadAnalyzeSettings(const std::string& path, AnalyzeConfig* config);
// Reads the database-watch settings (YAML, docs/insider.md): customer key,
// sensitive and app-only tables, applications, tools, service accounts and
// their clients, the pattern naming the person in an application name, working
// hours, thresholds.
[[nodiscard]] Status LoadDbWatchSettings(const std::string& path, analytics::DbWatchConfig* config);
// Whether `key` is a setting of that file (inari scope shares the file and skips them).
bool IsDbWatchSettingKey(std::string_view key);
// "500ms", "90s", "15m", "6h", "7d", "2w" → ns; false if malformed.
bool ParseDuration(std::string_view s, int64_t* ns);

struct AnalyzeStats {
  uint64_t activities = 0;
  double extract_seconds = 0;   // summed over workers
  double analyze_seconds = 0;   // analytics over the sorted activities
  double risk_seconds = 0;
  analytics::LateralStats lateral;
  uint64_t db_accesses = 0;
  analytics::DbWatchStats db;
};

class Analyzer {
 public:
  static Result<std::unique_ptr<Analyzer>> Create(const AnalyzeConfig& config, int threads);
  ~Analyzer();

  void Consume(int worker, const EventBatch& batch);

  // After the scan: the behavioural analytics over the activities, in time
  // order (findings(), sorted by time).
  void Analyze();
  // Then risk, in time order: every timeline row once — a rule detection or
  // correlation row (`info` describes its rule) or a finding. Detections
  // without a time add nothing.
  void AddRisk(const Detection& d, const sigma::RuleInfo& info);
  void AddRisk(const analytics::Finding& f);

  [[nodiscard]] Status SaveState();

  const std::vector<analytics::Finding>& findings() const { return findings_; }
  const analytics::RiskBoard& risk() const { return *risk_; }
  const AnalyzeStats& stats() const { return stats_; }
  int64_t last_time() const { return last_time_; }
  bool learning() const;  // still in warm-up at the last event
  const analytics::LateralAnalytics& lateral() const { return *lateral_; }
  const AnalyzeConfig& config() const { return config_; }

 private:
  Analyzer() = default;
  AnalyzeConfig config_;
  std::unique_ptr<StateDb> state_;
  std::vector<analytics::ActivityExtractor> extractors_;
  std::vector<analytics::DbExtractor> db_extractors_;
  std::vector<std::vector<analytics::DbAccess>> db_accesses_;
  std::vector<std::vector<analytics::Activity>> activities_;
  std::vector<double> extract_seconds_;
  analytics::NameTable names_;
  std::unique_ptr<analytics::LateralAnalytics> lateral_;
  std::unique_ptr<analytics::DbWatch> db_;
  std::unique_ptr<analytics::RiskBoard> risk_;
  std::vector<analytics::Finding> findings_;
  AnalyzeStats stats_;
  int64_t last_time_ = INT64_MIN;
  std::unique_ptr<simdjson::dom::parser> parser_;  // for the users of a detection's event
};

// Text: the riskiest accounts and hosts at the last event, each with its story
// (the ordered evidence chain). JSON: the same plus every finding and alert.
std::string RiskReportText(const Analyzer& a, size_t top, bool color);
std::string RiskReportJson(const Analyzer& a, size_t top);

}  // namespace inari
