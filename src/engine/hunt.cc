#include "engine/hunt.h"

#include <algorithm>

#include "engine/report.h"
#include "sigma/logsource.h"

namespace inari {

Result<std::unique_ptr<Hunter>> Hunter::Create(const HuntConfig& config, int threads) {
  std::unique_ptr<Hunter> h(new Hunter());
  h->config_ = config;
  std::map<std::string, std::vector<std::string>> placeholders;
  if (!config.placeholders_file.empty()) {
    auto p = sigma::LoadPlaceholders(config.placeholders_file);
    if (!p.has_value()) return p.error();
    placeholders = std::move(p).value();
  }
  sigma::LogsourceMap logsources = sigma::LogsourceMap::BuiltIn();
  if (!config.pipeline_file.empty()) {
    if (Status s = logsources.LoadPipeline(config.pipeline_file); !s.ok()) return s;
  }
  sigma::LoadOptions lo;
  lo.placeholders = config.placeholders_file.empty() ? nullptr : &placeholders;
  sigma::LoadResult loaded = sigma::LoadRules(config.rule_paths, lo);
  h->issues_ = std::move(loaded.issues);
  loaded.issues.clear();
  h->loaded_ = loaded.rules.size();
  // Level and status filters apply before compiling.
  std::vector<sigma::LoadedRule> kept;
  for (auto& r : loaded.rules) {
    if (r.info.level < config.min_level || config.exclude_status.count(r.info.status)) {
      ++h->skipped_by_level_or_status_;
      continue;
    }
    kept.push_back(std::move(r));
  }
  loaded.rules = std::move(kept);
  sigma::BuildOptions bo;
  bo.placeholders = lo.placeholders;
  bo.use_prefilter = config.use_prefilter;
  bo.use_index = config.use_index;
  h->rules_ = sigma::RuleSet::Build(std::move(loaded), logsources, bo, &h->issues_);
  h->workers_.resize(static_cast<size_t>(std::max(1, threads)));
  for (auto& w : h->workers_) w.scratch = h->rules_->NewScratch();
  return h;
}

void Hunter::Consume(int worker, const EventBatch& batch) {
  Worker& w = workers_[static_cast<size_t>(worker)];
  for (size_t i = 0; i < batch.size(); ++i) {
    EventView e = batch[i];
    if (e.time() != INT64_MIN && (e.time() < config_.from || e.time() > config_.to)) continue;
    if (e.time() == INT64_MIN && (config_.from != INT64_MIN || config_.to != INT64_MAX)) continue;
    w.hits.clear();
    rules_->Match(e, w.scratch.get(), &w.hits);
    if (w.hits.empty()) continue;
    ++w.events_matched;
    for (uint32_t rule : w.hits) {
      Detection d;
      d.time = e.time();
      d.rule = rule;
      if (const Value* v = e.Get(field::kComputer)) d.computer = v->ToText();
      if (const Value* v = e.Get(field::kChannel)) d.channel = v->ToText();
      d.event_id = e.event_id();
      d.record_id = e.record_id();
      d.source = batch.source(e.origin().source);
      d.order = e.origin().offset;
      d.details = PickDetails(e, rules_->rule(rule));
      AppendEventJson(e, &d.event_json);
      w.detections.push_back(std::move(d));
    }
  }
}

std::vector<Detection> Hunter::TakeDetections() {
  std::vector<Detection> all;
  for (auto& w : workers_) {
    std::move(w.detections.begin(), w.detections.end(), std::back_inserter(all));
    w.detections.clear();
  }
  std::sort(all.begin(), all.end(), [](const Detection& a, const Detection& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.source != b.source) return a.source < b.source;
    if (a.order != b.order) return a.order < b.order;
    return a.rule < b.rule;
  });
  return all;
}

uint64_t Hunter::events_matched() const {
  uint64_t n = 0;
  for (auto& w : workers_) n += w.events_matched;
  return n;
}

}  // namespace inari
