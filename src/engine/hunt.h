// Hunter — Sigma detection over scanned events: loads rules, compiles them
// into a RuleSet, matches every batch the Scanner hands over (one Scratch per
// worker thread) and keeps the detections, which are returned sorted by time
// (then source, position, rule) so the report is the same whatever the thread
// count.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "engine/detection.h"
#include "sigma/ruleset.h"

namespace inari {

struct HuntConfig {
  std::vector<std::string> rule_paths;         // files or directories
  std::string placeholders_file;               // for `expand`
  std::string pipeline_file;                   // logsource pipeline (thor.yml layout)
  sigma::Level min_level = sigma::Level::kInformational;
  std::set<std::string> exclude_status;        // e.g. {"deprecated", "unsupported"}
  int64_t from = INT64_MIN, to = INT64_MAX;    // event time window (UTC ns), inclusive
  bool use_prefilter = true;
  bool use_index = true;
};

class Hunter {
 public:
  // Loads and compiles the rules. Every load/compile problem is in issues();
  // fails only if a named file cannot be read at all or nothing loads.
  static Result<std::unique_ptr<Hunter>> Create(const HuntConfig& config, int threads);

  const sigma::RuleSet& rules() const { return *rules_; }
  const std::vector<sigma::LoadIssue>& issues() const { return issues_; }
  size_t rules_loaded() const { return loaded_; }
  size_t rules_skipped_by_filter() const { return skipped_by_level_or_status_; }

  // Matches a batch; called from worker `worker` (0 <= worker < threads).
  void Consume(int worker, const EventBatch& batch);
  // All detections, sorted. Call after the scan.
  std::vector<Detection> TakeDetections();
  uint64_t events_matched() const;

 private:
  Hunter() = default;
  struct Worker {
    sigma::RuleSet::ScratchPtr scratch;
    std::vector<uint32_t> hits;
    std::vector<Detection> detections;
    uint64_t events_matched = 0;
  };
  HuntConfig config_;
  std::unique_ptr<sigma::RuleSet> rules_;
  std::vector<sigma::LoadIssue> issues_;
  std::vector<Worker> workers_;
  size_t loaded_ = 0;
  size_t skipped_by_level_or_status_ = 0;
};

}  // namespace inari
