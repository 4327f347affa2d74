// The hunt report: the detection timeline in three formats (a terminal table,
// Hayabusa-compatible CSV, JSON Lines) and the detection summary printed after
// it. Formats are specified in docs/cli.md ("Hunt output").
//
// The functions only format: the caller sorts the detections, chooses the
// output stream and prints. `rule(i)` must return the RuleInfo of rule index
// `i` (Detection::rule) for every detection passed; the references are used
// only during the call. WriteTimeline writes with fwrite and does not check
// for errors (the caller checks ferror(out)). Nothing here keeps state between
// calls; any number of calls may run at once on different outputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
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

// Writes the timeline (detections already sorted by the caller) to `out`.
// Table: nothing at all for no detections. CSV: the header line always.
void WriteTimeline(const std::vector<Detection>& detections, const RuleLookup& rule,
                   const ReportOptions& options, FILE* out);

// Correlation part of the summary (docs/correlation.md): matches, the rule
// detections kept out of the timeline, and the correlator's state bounds.
// "" when no correlation rule is in use. Ends with a newline otherwise.
std::string CorrelationSummaryText(const CorrelationSummary& s);

// Summary after the timeline: detections per level (critical..informational),
// top 10 rules (count, level, title), top 10 computers (count, highest level
// seen on each), first/last detection time. Ties are broken by name. Ends with
// a newline; colours the level names when `color`.
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
