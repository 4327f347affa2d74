// A detection: a rule that matched an event, with what a report needs from
// the event copied out (batches are reused, so nothing may point into them).
// A correlation match becomes a Detection too (its `rule` index lies past the
// RuleSet's rules; `correlation_json` is set), so the timeline, its formats
// and the summary treat both alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace inari {

struct Detection {
  int64_t time = 0;             // UTC ns (INT64_MIN if the event had none)
  std::string computer;
  std::string channel;
  int64_t event_id = -1;
  uint64_t record_id = 0;
  uint32_t rule = 0;            // RuleSet index; RuleSet size + j for correlation j
  std::string source;           // file (or archive member) the event came from
  uint64_t order = 0;           // position in the input, for a stable sort
  std::vector<std::pair<std::string, std::string>> details;  // key fields, in display order
  // The whole event, as `inari dump` prints it (empty for detections only
  // used by correlations). A view: from a DetectionCursor, valid until its
  // next row; from Hunter::TakeDetections, while the Hunter lives.
  std::string_view event_json;
  // Base rules that correlations use: the values of the fields they need
  // (CorrelationSet::fields(rule) order; empty optional = field absent).
  std::vector<std::optional<std::string>> captured;
  // Correlation rows: the match as a JSON object (type, group, value, window,
  // contributing events); empty for rule detections.
  std::string correlation_json;
};

// What the correlation stage did, for the summary (docs/correlation.md).
struct CorrelationSummary {
  size_t rules = 0;                  // correlation rules in use
  size_t base_rules_used = 0;        // detection rules they read
  uint64_t inputs = 0;               // detections fed to the correlator
  uint64_t matches = 0;              // correlation matches (chained intermediate ones included)
  uint64_t shown = 0;                // of them in the timeline
  uint64_t hidden_detections = 0;    // rule detections kept out of the timeline (generate: false,
                                     // or below --min-level but used by a correlation)
  size_t hidden_rules = 0;           // rules those came from
  uint64_t late_dropped = 0, no_time = 0;
  uint64_t evicted = 0, expired = 0, peak_groups = 0;
  uint64_t missing_group_field = 0, missing_value = 0, non_numeric = 0, truncated = 0;
  double seconds = 0;                // time spent correlating
};

}  // namespace inari
