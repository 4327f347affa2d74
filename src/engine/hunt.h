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

// Where rules come from and which to use; shared by `hunt` and `rules check`.
struct RuleSources {
  std::vector<std::string> paths;              // files or directories
  std::string placeholders_file;               // for `expand`
  std::string pipeline_file;                   // logsource pipeline (thor.yml layout)
  sigma::Level min_level = sigma::Level::kInformational;
  std::set<std::string> exclude_status;        // e.g. {"deprecated", "unsupported"}
  bool use_prefilter = true;
  bool use_index = true;
};

struct CompiledRules {
  std::unique_ptr<sigma::RuleSet> set;
  std::vector<sigma::LoadIssue> issues;        // load and compile problems
  size_t files = 0, documents = 0, loaded = 0, filters = 0, correlations = 0;
  size_t skipped_by_level_or_status = 0;
};

// Loads placeholders, the pipeline and the rules, applies the level/status
// filters and compiles. Fails only when the placeholder or pipeline file is bad;
// rule problems are in `issues`.
Result<CompiledRules> CompileRules(const RuleSources& sources);

struct HuntConfig {
  RuleSources rules;
  int64_t from = INT64_MIN, to = INT64_MAX;    // event time window (UTC ns), inclusive
};

class Hunter {
 public:
  // Loads and compiles the rules. Every load/compile problem is in issues();
  // fails only if a named file cannot be read at all or nothing loads.
  static Result<std::unique_ptr<Hunter>> Create(const HuntConfig& config, int threads);

  const sigma::RuleSet& rules() const { return *compiled_.set; }
  const std::vector<sigma::LoadIssue>& issues() const { return compiled_.issues; }
  size_t rules_loaded() const { return compiled_.loaded; }
  size_t rules_skipped_by_filter() const { return compiled_.skipped_by_level_or_status; }

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
  CompiledRules compiled_;
  std::vector<Worker> workers_;
};

}  // namespace inari
