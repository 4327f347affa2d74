// Correlator — runs compiled correlation rules (correlation.h) over base-rule
// matches in event time, and decides correlation matches.
//
// Feed every match of a base rule the CorrelationSet references with Add(),
// in event-time order or nearly so. Matches are held in a buffer until the
// newest time seen is `lateness` past them and are then processed in time
// order (equal times: in the order added); a match older than one already
// processed is dropped and counted (stats().late_dropped). Flush() at the end
// of input processes what is buffered and closes every open window.
//
// Windows (docs/correlation.md): a condition with lower bounds only (gt, gte)
// is judged at each arriving match over the sliding window [t - timespan, t]
// ending at it; a condition with an upper bound (lt, lte, eq, neq) is judged
// once a window [t0, t0 + timespan] opened by a group's first match is
// complete. After a match the group's window is emptied: each base match
// counts towards at most one match of a correlation. A correlation's matches
// are fed at once to the correlations that reference it (chaining).
//
// State is per (correlation, group-by values): at most `max_groups` groups
// per correlation; a new group beyond that drops the least recently updated
// one (counted as evicted if it still held events in a live window, else as
// expired). A group keeps at most `max_window_events` entries.
//
// Ownership: borrows the CorrelationSet, which must outlive the Correlator;
// RuleMatch::values is read during Add() only. Thread-safety: none; one
// Correlator per stream of matches. Add() and Flush() do not throw except
// std::bad_alloc.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "correlate/correlation.h"

namespace inari::correlate {

struct CorrelatorOptions {
  int64_t lateness_ns = 0;           // how far behind the newest time a match may arrive
  size_t max_groups = 100000;        // per correlation
  size_t max_refs = 5;               // a match keeps its first and last N event references
  size_t max_window_events = 1000000;  // per group; beyond it the oldest entry is dropped
};

// One base-rule match. `values` follow CorrelationSet::fields(rule); an empty
// optional is a field the event does not have.
struct RuleMatch {
  int64_t time = 0;   // UTC ns
  uint32_t rule = 0;  // base rule index (RuleSet)
  std::span<const std::optional<std::string>> values;
  uint64_t ref = 0;  // opaque reference, returned in CorrelationMatch::refs
  // Identity of the event: matches of one event for several rules share it
  // (temporal_ordered needs distinct events for its steps). Default: `ref`.
  uint64_t event = UINT64_MAX;
};

struct CorrelationMatch {
  uint32_t correlation = 0;
  int64_t time = 0;                          // when it was decided (event time)
  int64_t window_start = 0, window_end = 0;  // the window judged
  int64_t first_time = 0, last_time = 0;     // first and last contributing match
  std::vector<std::string> group;            // group-by values, in group-by order
  // CorrelationRule::carried values: the value every contributing event shares, else none.
  std::vector<std::optional<std::string>> carried;
  double value = 0;                          // the aggregate the condition was met by
  uint64_t events = 0;                       // contributing base-rule matches
  std::vector<uint64_t> refs;  // their first and last max_refs references, in time order
  bool refs_truncated = false;  // events > refs.size()
  bool partial = false;  // the window was closed by Flush() before its end was reached
};

struct CorrelationStats {
  uint64_t inputs = 0;               // matches routed to the correlation
  uint64_t matches = 0;
  uint64_t groups = 0, peak_groups = 0;
  uint64_t evicted = 0;              // groups dropped with live state (max_groups)
  uint64_t expired = 0;              // idle groups dropped to make room
  uint64_t missing_group_field = 0;  // inputs lacking a group-by value: skipped
  uint64_t missing_value = 0;        // value_* inputs lacking condition.field: skipped
  uint64_t non_numeric = 0;          // value_sum/avg/percentile inputs that are no number: skipped
  uint64_t truncated = 0;            // entries dropped by max_window_events
};

struct CorrelatorStats {
  uint64_t added = 0;         // Add() calls
  uint64_t unused = 0;        // matches of rules no correlation uses (ignored)
  uint64_t no_time = 0;       // matches without an event time (ignored)
  uint64_t late_dropped = 0;  // arrived after a later match was processed
  uint64_t peak_buffered = 0;
  std::vector<CorrelationStats> per_correlation;
  CorrelationStats Total() const;
};

class Correlator {
 public:
  Correlator(const CorrelationSet& set, const CorrelatorOptions& options);
  ~Correlator();
  Correlator(const Correlator&) = delete;
  Correlator& operator=(const Correlator&) = delete;

  // Appends the correlation matches this match completes (chained ones too,
  // inner before outer) to `out`. With lateness, they may come from earlier
  // buffered matches.
  void Add(const RuleMatch& m, std::vector<CorrelationMatch>* out);
  // End of input: processes buffered matches and closes all open windows.
  void Flush(std::vector<CorrelationMatch>* out);

  const CorrelatorStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inari::correlate
