// Hunter — Sigma detection over scanned events: loads rules, compiles them
// into a RuleSet (and correlation rules into a CorrelationSet), matches every
// batch the Scanner hands over (one Scratch per worker thread) and keeps the
// detections in a DetectionSpool (bounded memory: sorted runs spilled to
// temporary files). Detections of rules a correlation uses carry the field
// values it needs (only those). After the scan, TakeTimeline() runs the
// correlations over the detections in event time and streams the timeline:
// the detections to show plus one row per correlation match, sorted by time
// (then source, position, rule), the same whatever the thread count
// (docs/correlation.md, docs/decisions.md #35).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "correlate/correlation.h"
#include "correlate/correlator.h"
#include "engine/detection.h"
#include "engine/detection_spool.h"
#include "sigma/logsource.h"
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
  correlate::CorrelationSet correlations;      // compiled correlation rules
  sigma::LogsourceMap logsources;              // for the field renames of captured values
  std::vector<sigma::LoadIssue> issues;        // load and compile problems
  size_t files = 0, documents = 0, loaded = 0, filters = 0, correlations_loaded = 0;
  size_t skipped_by_level_or_status = 0;       // rules and correlations
  // Rules below --min-level or of an excluded status that a correlation in
  // use needs: compiled, their matches feed the correlation but are not shown.
  std::vector<bool> kept_for_correlation;      // by RuleSet index
};

// Loads placeholders, the pipeline and the rules, applies the level/status
// filters (a rule a kept correlation uses is kept, see kept_for_correlation)
// and compiles rules and correlations. Fails only when the placeholder or
// pipeline file is bad; rule problems are in `issues`.
Result<CompiledRules> CompileRules(const RuleSources& sources);

struct HuntConfig {
  RuleSources rules;
  int64_t from = INT64_MIN, to = INT64_MAX;    // event time window (UTC ns), inclusive
  correlate::CorrelatorOptions correlation;    // lateness, max groups, references kept
  SpoolOptions spool;                          // memory for detections, temporary directory
};

// The timeline of a hunt, one row at a time: rule detections (those of
// hidden rules left out) and correlation rows, in timeline order.
class Timeline {
 public:
  // The next row, or nullptr at the end. Valid until the next call.
  const Detection* Next();
  // Complete once Next() has returned nullptr (hidden detections are
  // counted as they pass).
  const CorrelationSummary& summary() const { return sum_; }
  // Why the rows ended early ("" if they did not).
  std::string error() const { return base_ ? base_->error() : std::string(); }

 private:
  friend class Hunter;
  std::unique_ptr<DetectionCursor> base_;  // the rule detections
  std::vector<Detection> rows_;            // correlation rows, sorted
  size_t next_row_ = 0;
  const Detection* head_ = nullptr;        // base_'s current detection
  bool advance_ = true;                    // head_ was returned: move on first
  std::vector<bool> hidden_, hidden_seen_;  // by RuleSet index
  CorrelationSummary sum_;
};

class Hunter {
 public:
  // Loads and compiles the rules. Every load/compile problem is in issues();
  // fails only if a named file cannot be read at all or nothing loads.
  static Result<std::unique_ptr<Hunter>> Create(const HuntConfig& config, int threads);

  const sigma::RuleSet& rules() const { return *compiled_.set; }
  const correlate::CorrelationSet& correlations() const { return compiled_.correlations; }
  const std::vector<sigma::LoadIssue>& issues() const { return compiled_.issues; }
  size_t rules_loaded() const { return compiled_.loaded; }
  size_t rules_skipped_by_filter() const { return compiled_.skipped_by_level_or_status; }
  // Rule or correlation of a Detection::rule index (correlation j is
  // rules().size() + j). Valid as long as the Hunter.
  const sigma::RuleInfo& info(uint32_t index) const;

  // Matches a batch; called from worker `worker` (0 <= worker < threads).
  void Consume(int worker, const EventBatch& batch);
  uint64_t events_matched() const;

  // After the scan: runs the correlations over every detection in time order
  // and returns the timeline. `all`, when set, receives every correlation
  // match (chained intermediate ones included), with CorrelationMatch::refs
  // as positions in the time-ordered detections. Call once; the Hunter must
  // outlive the Timeline.
  std::unique_ptr<Timeline> TakeTimeline(std::vector<correlate::CorrelationMatch>* all = nullptr);
  SpoolStats spool_stats() const { return spool_->stats(); }
  std::string spill_error() const { return spool_->spill_error(); }

  // For tests and `rules test` (small inputs): every detection, sorted, held
  // in memory (hidden ones included; their details and event JSON are empty).
  std::vector<Detection> TakeDetections();
  // Runs the correlations over `detections` in the order given (a test may
  // feed another order than time to exercise lateness) and returns the
  // timeline as TakeTimeline streams it; `all` as there, refs as indices
  // into `detections`.
  std::vector<Detection> Correlate(std::vector<Detection> detections, CorrelationSummary* summary,
                                   std::vector<correlate::CorrelationMatch>* all = nullptr) const;

 private:
  Hunter() = default;
  // How to read the values a correlation needs from a rule's events: per
  // logsource target (channel, EventID), the fields after its renames.
  struct CapturePlan {
    struct Target {
      std::vector<std::string> channels;  // empty: any
      std::vector<int64_t> event_ids;     // empty: any
      std::vector<FieldId> fields;        // CorrelationSet::fields(rule), renamed
    };
    std::vector<Target> targets;
  };
  void Capture(const EventView& e, uint32_t rule, std::vector<std::optional<std::string>>* out) const;
  using RefMap = std::unordered_map<uint64_t, Detection>;
  Detection CorrelationRow(const correlate::CorrelationMatch& m, const RefMap& refs) const;
  // The correlations over `open()`'s detections, then the timeline over
  // another `open()` (each call a fresh cursor over the same detections).
  std::unique_ptr<Timeline> MakeTimeline(const std::function<std::unique_ptr<DetectionCursor>()>& open,
                                         std::vector<correlate::CorrelationMatch>* all) const;
  struct Worker {
    sigma::RuleSet::ScratchPtr scratch;
    std::vector<uint32_t> hits;
    Detection detection;    // refilled for each detection
    uint64_t events_matched = 0;
  };
  HuntConfig config_;
  CompiledRules compiled_;
  std::vector<CapturePlan> capture_;  // by RuleSet index (empty for rules no correlation uses)
  // Rules whose detections stay out of the timeline: generate: false, or
  // kept only for a correlation (below --min-level / excluded status).
  std::vector<bool> hidden_rule_;
  std::vector<Worker> workers_;
  std::unique_ptr<DetectionSpool> spool_;
  std::deque<std::string> drained_;  // event JSON of TakeDetections' copies (stable addresses)
};

}  // namespace inari
