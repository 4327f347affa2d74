// A Sigma rule as loaded from YAML, before compilation against a logsource
// mapping: metadata, the detection's search identifiers (as FieldTestSpecs)
// and the parsed condition. Filters (meta-filter documents) and correlation
// rules are loaded into their own structures.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sigma/condition.h"
#include "sigma/field_test.h"
#include "sigma/logsource.h"

namespace inari::sigma {

enum class Level { kInformational, kLow, kMedium, kHigh, kCritical };
std::string_view LevelName(Level l);

struct RuleInfo {
  std::string id;  // UUID; may be empty for rules without one (a warning)
  std::string name;
  std::string title;
  std::string status;  // stable, test, experimental, deprecated, unsupported
  Level level = Level::kMedium;
  std::string description, author, date, modified;
  std::vector<std::string> tags, references, falsepositives, fields, related_ids;
  Logsource logsource;
  std::string file;
  int line = 0;  // line of the document start
};

// One search identifier: an OR of AND-groups. A YAML map is one group (its
// keys AND-ed); a list of maps is one group per map; a list of plain values is
// one group holding a single keyword FieldTestSpec (field empty) with them all.
struct SearchIdentifier {
  std::vector<std::vector<FieldTestSpec>> groups;
  int line = 0;
};

struct LoadedRule {
  RuleInfo info;
  std::map<std::string, SearchIdentifier> detection;
  std::unique_ptr<CondNode> condition;
};

// A meta-filter document (filters specification): applies `condition` (over
// its own search identifiers) to the rules it names, ANDed to their condition.
struct LoadedFilter {
  RuleInfo info;
  std::vector<std::string> rules;  // rule ids or names
  std::map<std::string, SearchIdentifier> detection;
  std::unique_ptr<CondNode> condition;
};

// A correlation rule document, kept for the correlation engine (issue 4).
struct LoadedCorrelation {
  RuleInfo info;
  std::string yaml;  // the document's text
};

struct LoadIssue {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  std::string code;  // stable: "yaml", "missing-field", "duplicate-id", "unknown-modifier", "bad-condition", "bad-regex", ...
  std::string file;
  int line = 0;
  std::string rule_id;
  std::string message;
};

struct LoadResult {
  std::vector<LoadedRule> rules;
  std::vector<LoadedFilter> filters;
  std::vector<LoadedCorrelation> correlations;
  std::vector<LoadIssue> issues;
  size_t files = 0;
  size_t documents = 0;
  size_t errors() const;
};

struct LoadOptions {
  // Used only to check `expand` placeholders at load time when set.
  const std::map<std::string, std::vector<std::string>>* placeholders = nullptr;
  // Files are read and parsed on this many threads (0: one per core). The
  // result does not depend on it: files are merged in sorted order.
  int threads = 0;
};

// Reads rule files and directories (recursively: *.yml, *.yaml). Multi-document
// files and action: global/reset/repeat collections are handled. Never throws;
// every problem becomes a LoadIssue and the other rules still load.
LoadResult LoadRules(const std::vector<std::string>& paths, const LoadOptions& options = {});

// Loads a placeholder file: YAML map name → list of values.
Result<std::map<std::string, std::vector<std::string>>> LoadPlaceholders(const std::string& path);

}  // namespace inari::sigma
