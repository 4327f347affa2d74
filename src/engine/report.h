// The hunt report: the detection timeline in three formats (a terminal table,
// Hayabusa-compatible CSV, JSON Lines) and the detection summary printed after
// it. Formats are specified in docs/cli.md ("Hunt output").
//
// These only format: the caller sorts the detections, chooses the output
// stream and prints. `rule(i)` must return the RuleInfo of rule index `i`
// (Detection::rule) for every detection passed; the references are used only
// during the call. The writers write with fwrite and do not check for errors
// (the caller checks ferror(out)). A TimelineWriter streams: memory does not
// grow with the timeline (the table holds its first 10,000 rows to size its
// columns). Different writers may run at once on different outputs.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/details.h"
#include "engine/detection.h"
#include "sigma/rule.h"

namespace inari {

enum class ReportFormat { kTable, kCsv, kJsonl };

struct ReportOptions {
  ReportFormat format = ReportFormat::kTable;
  bool color = false;             // ANSI colours by level (table and summary only)
  size_t max_detail_width = 120;  // table Details column, code points; 0 = no limit
};

using RuleLookup = std::function<const sigma::RuleInfo&(uint32_t)>;

// Writes a timeline row by row (in the order given) to `out`. Table: nothing
// at all for no rows; with more than 10,000 rows the columns take their
// maximum widths. CSV: the header line always.
class TimelineWriter {
 public:
  TimelineWriter(RuleLookup rule, const ReportOptions& options, FILE* out);
  ~TimelineWriter();  // Finish()es
  TimelineWriter(const TimelineWriter&) = delete;
  TimelineWriter& operator=(const TimelineWriter&) = delete;
  void Add(const Detection& d);
  void Finish();  // writes what is held; Add() no more after it

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Counts for the summary after the timeline, one row at a time.
class DetectionTally {
 public:
  void Add(const Detection& d, sigma::Level level);
  uint64_t total() const { return total_; }
  std::map<std::string, uint64_t> by_level_name() const;  // levels with detections
  // Detections per level (critical..informational), top 10 rules (count,
  // level, title), top 10 computers (count, highest level seen on each),
  // first/last detection time. Ties are broken by name. Ends with a newline;
  // colours the level names when `color`.
  std::string Summary(const RuleLookup& rule, bool color) const;

 private:
  struct ComputerCount {
    uint64_t count = 0;
    sigma::Level highest = sigma::Level::kInformational;
  };
  uint64_t total_ = 0;
  std::array<uint64_t, 5> per_level_{};
  std::map<uint32_t, uint64_t> per_rule_;
  std::map<std::string, ComputerCount, std::less<>> per_computer_;
  int64_t first_ = INT64_MAX, last_ = INT64_MIN;
};

// The whole timeline at once (detections already sorted by the caller).
void WriteTimeline(const std::vector<Detection>& detections, const RuleLookup& rule,
                   const ReportOptions& options, FILE* out);

// Correlation part of the summary (docs/correlation.md): matches, the rule
// detections kept out of the timeline, and the correlator's state bounds.
// "" when no correlation rule is in use. Ends with a newline otherwise.
std::string CorrelationSummaryText(const CorrelationSummary& s);

// DetectionTally's summary of `detections`.
std::string DetectionSummary(const std::vector<Detection>& detections, const RuleLookup& rule,
                             bool color);

// ---- Pieces of the formats, for the CLI and tests -------------------------------

// "crit", "high", "med", "low", "info" (Hayabusa's abbreviations).
std::string_view LevelAbbrev(sigma::Level level);

// A rule's tags split into Hayabusa's three columns, each joined with " ¦ ":
// ATT&CK tactics as abbreviations ("attack.execution" → "Exec",
// "attack.lateral-movement" or "attack.lateral_movement" → "LatMov"; ATT&CK
// v19's "attack.stealth" → "Stealth", "attack.defense-impairment" → "DefImpair"),
// ATT&CK techniques, groups and software ("attack.t1059.001" → "T1059.001",
// "attack.g0016" → "G0016"), and every other tag verbatim.
struct TagColumns {
  std::string tactics, techniques, other;
};
TagColumns SplitTags(const std::vector<std::string>& tags);

// "2019-03-19 15:42:13.123" (UTC, milliseconds truncated); "" for kNoTime.
std::string FormatTimestampMillis(int64_t unix_nanos);

// Appends one CSV field, quoted (RFC 4180) when it holds , " CR or LF.
void AppendCsvField(std::string_view s, std::string* out);

}  // namespace inari
