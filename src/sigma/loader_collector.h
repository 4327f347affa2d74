// RuleCollector — the second stage of rule loading (reader → collector →
// compiler): one Sigma document (a YAML map from RuleFileReader) → a
// LoadedRule, LoadedFilter or LoadedCorrelation, with every problem found as a
// LoadIssue (a document with any error is not returned).
//
// A document is a detection rule when it has `detection`, a meta-filter when
// it has `filter` (filters specification), a correlation rule when it has
// `correlation`. The collector checks metadata (title, level, logsource...),
// the detection's shape (maps, lists of maps, keyword lists, `field|mod`
// keys), the modifier names of the v2.1 modifiers appendix, YAML scalar
// types (YAML 1.2 core schema on plain scalars; quoted scalars are strings),
// `expand` placeholders when a placeholder table is given, and parses the
// condition. Modifier combinations and values are the compiler's to check.
//
// Thread-safety: Collect() is const; one collector may serve many threads.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "sigma/loader_reader.h"
#include "sigma/rule.h"

namespace inari::sigma::internal {

struct CollectedDocument {
  std::variant<std::monostate, LoadedRule, LoadedFilter, LoadedCorrelation>
      loaded;  // monostate: rejected
  std::vector<LoadIssue> issues;
  bool id_inherited = false;  // see RawDocument
};

class RuleCollector {
 public:
  explicit RuleCollector(const LoadOptions& options) : options_(options) {}
  CollectedDocument Collect(const RawDocument& doc, const std::string& file) const;

 private:
  const LoadOptions& options_;
};

// True for the modifier names of the Sigma v2.1 modifiers appendix.
bool IsKnownModifier(std::string_view name);

// Resolves a scalar as Sigma (pySigma) would see it: plain scalars by the
// YAML 1.2 core schema (null, bool, int incl. 0x/0o, float incl. .inf/.nan),
// quoted and block scalars as strings. An integer too large for int64 stays a
// string (its digits are what an event would show).
SigmaValue TypedScalar(const YAML::Node& node);

}  // namespace inari::sigma::internal
