// RuleSet — Sigma rules compiled for matching, indexed like Falco's
// indexable ruleset (STYLE.md 11):
//
//  * each rule is compiled once per logsource target (process_creation →
//    Sysmon 1 and Security 4688 with field renames): a *variant*;
//  * variants are bucketed by (Channel, EventID) — from the target and from
//    EventID tests ANDed at the top of the condition — plus per-channel and
//    catch-all buckets, so an event only meets the variants that can match it;
//  * every string test that must hold for a variant to match contributes
//    literals to one multi-pattern, case-insensitive vectorscan database; per
//    event the string values are scanned once, and a variant whose required
//    literals were not seen is rejected without being evaluated.
//
// Matching is exact: the prefilter only ever rejects variants that cannot
// match (FieldTest::required_literals is a necessary condition).
// Thread-safety: a built RuleSet is immutable; Match() may run on many threads,
// each with its own Scratch.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "inari/event.h"
#include "sigma/logsource.h"
#include "sigma/rule.h"

namespace inari::sigma {

struct BuildOptions {
  const std::map<std::string, std::vector<std::string>>* placeholders = nullptr;
  bool use_prefilter = true;  // false: evaluate every candidate variant (bench baseline)
  bool use_index = true;      // false: every variant meets every event (naive baseline)
  int threads = 0;            // threads compiling the prefilter (0: all cores)
};

struct RuleSetStats {
  size_t rules = 0;             // rules that compiled for at least one target
  size_t variants = 0;
  size_t literals = 0;          // distinct prefilter literals
  size_t unfiltered_variants = 0;  // variants the prefilter cannot reject
  size_t not_applicable = 0;    // rules whose logsource is not a Windows event log
};

class RuleSet {
 public:
  // Compiles `loaded` (rules and filters) against `logsources`. Problems are
  // appended to `issues` (code, file, line, rule id): a rule that fails to
  // compile is left out, the others are kept.
  static std::unique_ptr<RuleSet> Build(LoadResult loaded, const LogsourceMap& logsources,
                                        const BuildOptions& options, std::vector<LoadIssue>* issues);
  ~RuleSet();

  size_t size() const { return rules_.size(); }
  const RuleInfo& rule(uint32_t i) const { return rules_[i].info; }
  const RuleSetStats& stats() const { return stats_; }

  // Per-thread matching state (opaque).
  class Scratch;
  struct ScratchDeleter {
    void operator()(Scratch* s) const;
  };
  using ScratchPtr = std::unique_ptr<Scratch, ScratchDeleter>;
  ScratchPtr NewScratch() const;

  // Appends the indices of the rules matching `event` (each rule once, in
  // increasing order) to `out`.
  void Match(const EventView& event, Scratch* scratch, std::vector<uint32_t>* out) const;

  struct Impl;

 private:
  RuleSet();
  struct Rule {
    RuleInfo info;
  };
  std::vector<Rule> rules_;
  RuleSetStats stats_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inari::sigma
