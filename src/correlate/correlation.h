// Sigma correlation rules (specification v2.1): parsing and compilation.
//
// ParseCorrelation reads one correlation document — the loader keeps it as
// text in a sigma::LoadedCorrelation — into a ParsedCorrelation. Every
// problem (unknown type, missing or malformed key, bad timespan, bad
// condition, bad alias) becomes a sigma::LoadIssue with code, file and line;
// a document with an error yields no ParsedCorrelation.
//
// CorrelationSet::Build resolves the `rules` references (by id or name) to the
// base rules in use and to other correlations (chaining), rejects cycles,
// resolves `aliases` and `group-by`, and decides which fields each referenced
// base rule must capture from its events (fields(base)), so the matcher copies
// only those values. A chained correlation reads its inner correlation's
// group-by values, and any other field its inner correlation's events all
// share (CorrelationRule::carried). A correlation whose reference cannot be resolved is left
// out with an error; correlations referencing it are left out too (each with
// its own error). Semantics: docs/correlation.md.
//
// Ownership: everything is held by value. Thread-safety: a built set is
// immutable and may be shared by any number of Correlators.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sigma/rule.h"

namespace inari::correlate {

enum class CorrelationType : uint8_t {
  kEventCount,
  kValueCount,
  kTemporal,
  kTemporalOrdered,
  kValueSum,
  kValueAvg,
  kValuePercentile,
};
std::string_view CorrelationTypeName(CorrelationType t);

// A condition map: every bound given must hold (AND), e.g. {gt: 100, lte: 200}.
struct Condition {
  std::optional<double> gt, gte, lt, lte, eq, neq;
  bool Holds(double v) const;
  // lt, lte, eq or neq: the value can fall out of the range as events arrive,
  // so the condition is judged on complete windows (docs/correlation.md).
  bool HasUpperBound() const { return lt || lte || eq || neq; }
  std::string ToString() const;  // "gte 10", "gt 100 and lte 200"
};

// One correlation document, checked but not yet resolved.
struct ParsedCorrelation {
  sigma::RuleInfo info;
  CorrelationType type = CorrelationType::kEventCount;
  std::vector<std::string> rules;  // references (ids or names), as written
  std::vector<std::string> group_by;
  int64_t timespan_ns = 0;
  std::string timespan;  // as written ("10m")
  Condition condition;
  bool condition_given = false;  // temporal types default to "all rules"
  std::vector<std::string> fields;  // condition `field` (value_* types)
  double percentile = 50;           // value_percentile: `percentile` (pySigma), default median
  bool generate = false;
  // alias → (rule reference → field in that rule's events)
  std::map<std::string, std::map<std::string, std::string>> aliases;
  int line_rules = 0, line_aliases = 0, line_condition = 0, line_group_by = 0;
};

// Parses `c.yaml`; appends issues (lines are lines of c.info.file).
std::optional<ParsedCorrelation> ParseCorrelation(const sigma::LoadedCorrelation& c,
                                                  std::vector<sigma::LoadIssue>* issues);

// "10s", "5m", "2h", "1d", "1w" → ns; 0 when malformed (no unit, zero, a unit
// other than s m h d w, overflow).
int64_t ParseTimespan(std::string_view text);

// A base (detection) rule as the correlation compiler sees it.
struct BaseRuleEntry {
  std::string id, name;
  int64_t index = -1;   // index in the RuleSet, or -1 when the rule is not in use
  std::string why_not;  // when index < 0: why (rejected, not for Windows event logs, ...)
};

// One entry of a correlation's `rules`: a base rule or another correlation.
struct CorrelationInput {
  bool is_correlation = false;
  uint32_t index = 0;                 // base rule index (RuleSet) or correlation index
  std::string reference;              // as written
  std::vector<uint32_t> group_slots;    // per group-by entry: slot in the input's values
  std::vector<uint32_t> value_slots;    // per condition field
  std::vector<uint32_t> carried_slots;  // per CorrelationRule::carried field
};

struct CorrelationRule {
  ParsedCorrelation def;
  std::vector<CorrelationInput> inputs;  // in `rules` order (the steps of temporal_ordered)
  Condition effective;  // the condition applied (temporal default: gte number of rules)
  bool shown = true;    // its matches appear on their own (false: an outer correlation with
                        // generate: false uses them)
  bool closed_windows = false;  // judged on complete windows (effective.HasUpperBound())
  // Fields an outer correlation needs from this one's matches that are not in
  // its group-by: a match carries the value its contributing events share
  // (none when they differ). The spec's temporal_ordered example groups by
  // User over an event_count grouped by ComputerName.
  std::vector<std::string> carried;
};

class CorrelationSet {
 public:
  CorrelationSet() = default;

  // `base` lists every loaded detection rule (in use or not); `base_rule_count`
  // is the RuleSet's size. Correlations with problems are left out and each
  // problem is appended to `issues`.
  static CorrelationSet Build(std::vector<ParsedCorrelation> parsed,
                              const std::vector<BaseRuleEntry>& base, size_t base_rule_count,
                              std::vector<sigma::LoadIssue>* issues);

  size_t size() const { return rules_.size(); }
  bool empty() const { return rules_.empty(); }
  const CorrelationRule& rule(uint32_t i) const { return rules_[i]; }

  // ---- what the matcher needs -------------------------------------------------
  size_t base_rule_count() const { return base_fields_.size(); }
  // True if some correlation uses the base rule's matches.
  bool referenced(uint32_t base) const {
    return base < base_referenced_.size() && base_referenced_[base];
  }
  // The fields to capture from the base rule's events, in slot order (the
  // order of RuleMatch::values). Empty for rules no correlation uses.
  const std::vector<std::string>& fields(uint32_t base) const;
  // False when every correlation using the rule has generate: false: its own
  // matches are kept out of the timeline (they still count).
  bool base_shown(uint32_t base) const {
    return base >= base_shown_.size() || base_shown_[base];
  }
  size_t referenced_base_rules() const;

  // Who consumes a base rule's / a correlation's matches: (correlation, input).
  const std::vector<std::pair<uint32_t, uint32_t>>& consumers_of_base(uint32_t base) const;
  const std::vector<std::pair<uint32_t, uint32_t>>& consumers_of_correlation(uint32_t c) const;

 private:
  std::vector<CorrelationRule> rules_;
  std::vector<std::vector<std::string>> base_fields_;
  std::vector<bool> base_referenced_, base_shown_;
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> base_consumers_, corr_consumers_;
};

}  // namespace inari::correlate
