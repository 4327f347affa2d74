#include "engine/hunt.h"

#include <algorithm>

#include "engine/report.h"
#include "sigma/logsource.h"

namespace inari {

Result<CompiledRules> CompileRules(const RuleSources& sources) {
  std::map<std::string, std::vector<std::string>> placeholders;
  if (!sources.placeholders_file.empty()) {
    auto p = sigma::LoadPlaceholders(sources.placeholders_file);
    if (!p.has_value()) return p.error();
    placeholders = std::move(p).value();
  }
  sigma::LogsourceMap logsources = sigma::LogsourceMap::BuiltIn();
  if (!sources.pipeline_file.empty()) {
    if (Status s = logsources.LoadPipeline(sources.pipeline_file); !s.ok()) return s;
  }
  sigma::LoadOptions lo;
  lo.placeholders = sources.placeholders_file.empty() ? nullptr : &placeholders;
  sigma::LoadResult loaded = sigma::LoadRules(sources.paths, lo);
  CompiledRules out;
  out.issues = std::move(loaded.issues);
  loaded.issues.clear();
  out.files = loaded.files;
  out.documents = loaded.documents;
  out.loaded = loaded.rules.size();
  out.filters = loaded.filters.size();
  out.correlations = loaded.correlations.size();
  // Level and status filters apply before compiling.
  std::erase_if(loaded.rules, [&](const sigma::LoadedRule& r) {
    const bool skip = r.info.level < sources.min_level || sources.exclude_status.count(r.info.status);
    out.skipped_by_level_or_status += skip;
    return skip;
  });
  sigma::BuildOptions bo;
  bo.placeholders = lo.placeholders;
  bo.use_prefilter = sources.use_prefilter;
  bo.use_index = sources.use_index;
  out.set = sigma::RuleSet::Build(std::move(loaded), logsources, bo, &out.issues);
  return out;
}

Result<std::unique_ptr<Hunter>> Hunter::Create(const HuntConfig& config, int threads) {
  auto compiled = CompileRules(config.rules);
  if (!compiled.has_value()) return compiled.error();
  std::unique_ptr<Hunter> h(new Hunter());
  h->config_ = config;
  h->compiled_ = std::move(compiled).value();
  h->workers_.resize(static_cast<size_t>(std::max(1, threads)));
  for (auto& w : h->workers_) w.scratch = h->compiled_.set->NewScratch();
  return h;
}

void Hunter::Consume(int worker, const EventBatch& batch) {
  Worker& w = workers_[static_cast<size_t>(worker)];
  for (size_t i = 0; i < batch.size(); ++i) {
    EventView e = batch[i];
    if (e.time() != INT64_MIN && (e.time() < config_.from || e.time() > config_.to)) continue;
    if (e.time() == INT64_MIN && (config_.from != INT64_MIN || config_.to != INT64_MAX)) continue;
    w.hits.clear();
    compiled_.set->Match(e, w.scratch.get(), &w.hits);
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
      d.details = PickDetails(e, compiled_.set->rule(rule));
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
