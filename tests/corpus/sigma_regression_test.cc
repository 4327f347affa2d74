// SigmaHQ's regression suite: for every info.yml under
// ../shared/data/sigma/regression_data, the rule with that id must fire on its
// own sample at least `match_count` times (once when no count is given) — on
// the EVTX file and on its JSON copy. Exceptions are listed in kKnown with the
// reason proven.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "ingest/reader.h"
#include "sigma/ruleset.h"

namespace inari {
namespace {

namespace fs = std::filesystem;
const fs::path kSigma = fs::path(INARI_SHARED_DATA) / "sigma";

struct Known {
  const char* rule_id;
  const char* reason;
};
// Rules that cannot fire on their sample, each with the reason shown.
const std::vector<Known> kKnown = {};

struct NullReporter : IssueReporter {
  void Report(const ReadIssue&) override {}
};

class SigmaRegression : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto t0 = std::chrono::steady_clock::now();
    sigma::LoadResult loaded = sigma::LoadRules({(kSigma / "rules").string(), (kSigma / "rules-emerging-threats").string(),
                                                 (kSigma / "rules-threat-hunting").string()});
    issues_ = new std::vector<sigma::LoadIssue>(loaded.issues);
    loaded.issues.clear();
    set_ = sigma::RuleSet::Build(std::move(loaded), sigma::LogsourceMap::BuiltIn(), {}, issues_).release();
    std::printf("loaded and compiled SigmaHQ rules in %.2f s: %zu rules for Windows event logs\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), set_->size());
  }
  static void TearDownTestSuite() {
    delete set_;
    delete issues_;
  }

  // Number of events in `file` the rule `index` matches.
  static size_t Count(const std::string& file, uint32_t index) {
    NullReporter rep;
    auto reader = OpenReader(file, ReaderOptions{}, &rep);
    if (!reader.has_value()) return 0;
    auto scratch = set_->NewScratch();
    EventBatch batch;
    std::vector<uint32_t> hits;
    size_t n = 0;
    bool more = true;
    while (more) {
      batch.Reset();
      more = reader.value()->Next(&batch, 1024);
      for (size_t i = 0; i < batch.size(); ++i) {
        hits.clear();
        set_->Match(batch[i], scratch.get(), &hits);
        for (uint32_t h : hits) n += h == index;
      }
    }
    return n;
  }

  static sigma::RuleSet* set_;
  static std::vector<sigma::LoadIssue>* issues_;
};
sigma::RuleSet* SigmaRegression::set_ = nullptr;
std::vector<sigma::LoadIssue>* SigmaRegression::issues_ = nullptr;

TEST_F(SigmaRegression, EveryRuleFiresOnItsOwnSamples) {
  std::map<std::string, uint32_t> by_id;
  for (uint32_t i = 0; i < set_->size(); ++i) by_id[set_->rule(i).id] = i;
  size_t cases = 0, passed_evtx = 0, passed_json = 0, known = 0;
  std::vector<std::string> failures;
  for (auto& entry : fs::recursive_directory_iterator(kSigma / "regression_data")) {
    if (entry.path().filename() != "info.yml") continue;
    YAML::Node info = YAML::LoadFile(entry.path().string());
    const std::string id = info["rule_metadata"][0]["id"].as<std::string>();
    bool is_known = false;
    for (const Known& k : kKnown) is_known |= id == k.rule_id;
    for (auto t : info["regression_tests_info"]) {
      if (t["type"].as<std::string>() != "evtx") continue;
      ++cases;
      const size_t want = t["match_count"] ? t["match_count"].as<size_t>() : 1;
      const fs::path evtx = kSigma / t["path"].as<std::string>();
      fs::path json = evtx;
      json.replace_extension(".json");
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        std::string why = "not loaded";
        for (const auto& i : *issues_)
          if (i.rule_id == id) why = i.code + ": " + i.message;
        if (is_known) ++known;
        else failures.push_back(id + " (" + evtx.filename().string() + "): rule " + why);
        continue;
      }
      const size_t got = Count(evtx.string(), it->second);
      const size_t got_json = fs::exists(json) ? Count(json.string(), it->second) : want;
      passed_evtx += got >= want;
      passed_json += got_json >= want;
      if (got >= want && got_json >= want) continue;
      if (is_known) {
        ++known;
        continue;
      }
      failures.push_back(fmt::format("{} {}: {} matches on EVTX, {} on JSON, want >= {}", id,
                                     set_->rule(it->second).title, got, got_json, want));
    }
  }
  std::printf("regression: %zu cases; rule fires on EVTX in %zu, on JSON in %zu; %zu known exceptions\n", cases,
              passed_evtx, passed_json, known);
  EXPECT_GT(cases, 150u);
  for (const auto& f : failures) ADD_FAILURE() << f;
}

}  // namespace
}  // namespace inari
