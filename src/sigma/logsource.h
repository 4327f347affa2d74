// Logsource mapping: which events a rule's `logsource` (product, category,
// service) covers, and how its field names map onto those events.
//
// A logsource may map to several alternatives: process_creation is Sysmon
// EventID 1 on the Sysmon channel, or Security EventID 4688 with Image →
// NewProcessName, ParentImage → ParentProcessName (and more renames). The rule
// is compiled once per alternative. Built in: the Windows part of the Sigma
// taxonomy appendix (reference/sigma-specification) checked against SigmaHQ's
// tests/thor.yml (ECS input needs no aliases: the JSON reader maps it). A user YAML
// pipeline (same layout as thor.yml's `logsources:`) adds or replaces entries.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "inari/result.h"

namespace inari::sigma {

struct Logsource {
  std::string product, category, service;  // lower case as written; empty if absent
};

// One concrete set of events a logsource covers.
struct LogsourceTarget {
  std::vector<std::string> channels;      // Channel equals one of these (case-insensitive); empty: any
  std::vector<int64_t> event_ids;         // EventID is one of these; empty: any
  std::vector<std::string> providers;     // Provider_Name is one of these; empty: any
  std::map<std::string, std::string> field_renames;  // rule field → event field
  std::string name;                       // for messages, e.g. "process_creation/sysmon"
};

class LogsourceMap {
 public:
  // The built-in mapping.
  static LogsourceMap BuiltIn();
  // Adds/replaces entries from a YAML file (thor.yml layout). Errors name file and line.
  Status LoadPipeline(const std::string& path);

  // The targets a rule's logsource covers. Empty when the logsource is not
  // Windows or not known: such a rule is reported "not applicable to Windows
  // event logs" by the loader, not silently dropped. A logsource with only
  // `product: windows` covers all Windows events (one target, no conditions).
  std::vector<LogsourceTarget> Resolve(const Logsource& ls) const;

 private:
  struct Entry {
    Logsource match;       // empty members match anything
    LogsourceTarget target;
  };
  std::vector<Entry> entries_;
};

}  // namespace inari::sigma
