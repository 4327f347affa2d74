// Rule logic tests: a YAML file pairing a Sigma rule with events and the
// indices of the events it must match (every other event must not match).
//
//   # what it checks, with the spec line it follows
//   rule_file: rules/windows/remote_access/anydesk_service_install.yml  # from `base_dir`
//   rule: |            # or the rule inline
//     title: ...
//   placeholders: {admins: [alice, bob]}   # optional, for `expand`
//   events:            # inari field naming, as `inari dump` prints events
//     - {EventID: 7045, Channel: System, ServiceName: AnyDesk Service}
//   expect: [0]
//   expect_error: unknown-modifier          # instead of expect: the rule must be rejected with this code
//
// Event values: YAML integers become unsigned/signed integers, other scalars
// strings (TimeCreated_SystemTime and the System integers are typed as the
// readers type them), null a null value, a list a repeated field.
//
// Correlation tests (a `rules` key; docs/correlation.md) run the hunt
// pipeline — Hunter: match, capture, Correlate — over timed events:
//
//   rules: |            # base rules and correlation rules, a multi-document YAML text
//     title: Failed logon
//     name: failed_logon
//     ...
//     ---
//     title: Brute force
//     correlation: {type: event_count, rules: [failed_logon], group-by: [TargetUserName],
//                   timespan: 10m, condition: {gte: 3}}
//   start: 2024-05-01T08:00:00Z   # optional; event times may be offsets from it
//   options: {lateness: 30s, max_groups: 2, max_refs: 5, min_level: high}   # optional
//   feed: as_written    # optional: feed detections in event order, not sorted by time
//   events:
//     - {time: +0s, EventID: 4625, Channel: Security, TargetUserName: alice}
//     - {time: '2024-05-01T08:01:00.5Z', ...}       # ISO 8601, or +1m30s, +250ms
//     - {time: +5m, repeat: 100, every: 10s, TargetUserName: 'user{i}'}  # 100 events, {i} = 0..99
//   expect_correlations:  # every correlation match, in the order decided
//     - {correlation: Brute force, group: {TargetUserName: alice}, value: 3, time: +2m,
//        events: 3, evidence: [0, 1, 2], window: [+0s, +10m], shown: true, partial: false}
//   expect_shown: [3]     # optional: events whose rule detections stay in the timeline
//   expect_stats: {late_dropped: 1, evicted: 0}   # optional: CorrelationSummary counters
//   expect_error: unknown-reference               # instead: some load/compile error has this code
//   expect_error_line: 12                         # optional: its line within `rules`
//   expect_errors: [{code: bad-timespan, line: 9}, ...]  # instead: exactly these errors
//
// `correlation` is a title, name or id; group, value, events, evidence (event
// indices of the contributing detections), window, shown and partial are
// checked when given.
#pragma once

#include <string>
#include <vector>

namespace inari {

struct RuleTestResult {
  std::string file;
  bool passed = false;
  std::string message;  // why it failed
  std::vector<size_t> expected, matched;
};

RuleTestResult RunRuleTest(const std::string& test_file, const std::string& base_dir);

}  // namespace inari
