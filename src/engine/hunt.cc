#include "engine/hunt.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "base/ascii.h"
#include "base/time.h"
#include "base/utf.h"
#include "engine/report.h"
#include "sigma/logsource.h"

namespace inari {

namespace {

bool Filtered(const sigma::RuleInfo& info, const RuleSources& sources) {
  return info.level < sources.min_level || sources.exclude_status.count(info.status) > 0;
}

// Why a loaded rule is not in the RuleSet, for a correlation that names it:
// an error reported inside its document (between its first line and the next
// document of the file), else its logsource is not a Windows event log.
std::string WhyNotCompiled(const sigma::RuleInfo& info, const std::vector<sigma::LoadIssue>& issues,
                           const std::vector<int>& doc_starts_in_file) {
  int next = INT32_MAX;
  for (int start : doc_starts_in_file)
    if (start > info.line) next = std::min(next, start);
  for (const sigma::LoadIssue& i : issues) {
    if (i.severity != sigma::LoadIssue::Severity::kError || i.file != info.file) continue;
    if ((!info.id.empty() && i.rule_id == info.id) || (i.line >= info.line && i.line < next))
      return fmt::format("rejected ({}: {})", i.code, i.message);
  }
  return "its logsource is not a Windows event log (not applicable)";
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "-";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{:.6g}", v);
}

}  // namespace

Result<CompiledRules> CompileRules(const RuleSources& sources) {
  std::map<std::string, std::vector<std::string>> placeholders;
  if (!sources.placeholders_file.empty()) {
    auto p = sigma::LoadPlaceholders(sources.placeholders_file);
    if (!p.has_value()) return p.error();
    placeholders = std::move(p).value();
  }
  CompiledRules out;
  out.logsources = sigma::LogsourceMap::BuiltIn();
  if (!sources.pipeline_file.empty()) {
    if (Status s = out.logsources.LoadPipeline(sources.pipeline_file); !s.ok()) return s;
  }
  sigma::LoadOptions lo;
  lo.placeholders = sources.placeholders_file.empty() ? nullptr : &placeholders;
  sigma::LoadResult loaded = sigma::LoadRules(sources.paths, lo);
  out.issues = std::move(loaded.issues);
  loaded.issues.clear();
  out.files = loaded.files;
  out.documents = loaded.documents;
  out.loaded = loaded.rules.size();
  out.filters = loaded.filters.size();
  out.correlations_loaded = loaded.correlations.size();

  // Correlations: parse, then apply the level/status filters. A correlation a
  // kept correlation references is kept too (chains), whatever its level.
  std::vector<correlate::ParsedCorrelation> parsed;
  for (const sigma::LoadedCorrelation& c : loaded.correlations) {
    if (auto p = correlate::ParseCorrelation(c, &out.issues)) parsed.push_back(std::move(*p));
  }
  std::vector<bool> keep(parsed.size());
  std::unordered_map<std::string, size_t> corr_by_handle;
  for (size_t i = 0; i < parsed.size(); ++i) {
    keep[i] = !Filtered(parsed[i].info, sources);
    if (!parsed[i].info.id.empty()) corr_by_handle.emplace(parsed[i].info.id, i);
    if (!parsed[i].info.name.empty()) corr_by_handle.emplace(parsed[i].info.name, i);
  }
  std::unordered_set<std::string> referenced;
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < parsed.size(); ++i) {
      if (!keep[i]) continue;
      for (const std::string& ref : parsed[i].rules) {
        referenced.insert(ref);
        auto it = corr_by_handle.find(ref);
        if (it != corr_by_handle.end() && !keep[it->second]) keep[it->second] = changed = true;
      }
      for (const auto& [alias, mapping] : parsed[i].aliases)
        for (const auto& [ref, field] : mapping) referenced.insert(ref);
    }
  }
  std::vector<correlate::ParsedCorrelation> kept;
  for (size_t i = 0; i < parsed.size(); ++i) {
    if (keep[i]) kept.push_back(std::move(parsed[i]));
    else ++out.skipped_by_level_or_status;
  }

  // Level and status filters apply before compiling, except to rules a kept
  // correlation uses (their own matches are then not shown).
  std::unordered_set<std::string> kept_for_correlation;
  std::erase_if(loaded.rules, [&](const sigma::LoadedRule& r) {
    if (!Filtered(r.info, sources)) return false;
    if ((!r.info.id.empty() && referenced.count(r.info.id)) ||
        (!r.info.name.empty() && referenced.count(r.info.name))) {
      kept_for_correlation.insert(r.info.id.empty() ? r.info.name : r.info.id);
      return false;
    }
    ++out.skipped_by_level_or_status;
    return true;
  });
  std::unordered_map<std::string, std::vector<int>> doc_starts;  // file → document lines
  for (const sigma::LoadedRule& r : loaded.rules) doc_starts[r.info.file].push_back(r.info.line);
  for (const sigma::LoadedFilter& f : loaded.filters) doc_starts[f.info.file].push_back(f.info.line);
  for (const sigma::LoadedCorrelation& c : loaded.correlations)
    doc_starts[c.info.file].push_back(c.info.line);
  std::vector<correlate::BaseRuleEntry> catalog;
  catalog.reserve(loaded.rules.size());
  std::vector<sigma::RuleInfo> loaded_infos;
  for (const sigma::LoadedRule& r : loaded.rules) {
    if (r.info.id.empty() && r.info.name.empty()) continue;  // cannot be referenced
    catalog.push_back({r.info.id, r.info.name, -1, {}});
    loaded_infos.push_back(r.info);
  }

  sigma::BuildOptions bo;
  bo.placeholders = lo.placeholders;
  bo.use_prefilter = sources.use_prefilter;
  bo.use_index = sources.use_index;
  out.set = sigma::RuleSet::Build(std::move(loaded), out.logsources, bo, &out.issues);

  std::unordered_map<std::string, uint32_t> index_by_handle;
  out.kept_for_correlation.assign(out.set->size(), false);
  for (uint32_t i = 0; i < out.set->size(); ++i) {
    const sigma::RuleInfo& info = out.set->rule(i);
    if (!info.id.empty()) index_by_handle.emplace(info.id, i);
    if (!info.name.empty()) index_by_handle.emplace(info.name, i);
    out.kept_for_correlation[i] =
        kept_for_correlation.count(info.id.empty() ? info.name : info.id) > 0;
  }
  for (size_t k = 0; k < catalog.size(); ++k) {
    correlate::BaseRuleEntry& e = catalog[k];
    auto it = index_by_handle.find(e.id.empty() ? e.name : e.id);
    if (it != index_by_handle.end()) e.index = it->second;
    else e.why_not = WhyNotCompiled(loaded_infos[k], out.issues, doc_starts[loaded_infos[k].file]);
  }
  out.correlations =
      correlate::CorrelationSet::Build(std::move(kept), catalog, out.set->size(), &out.issues);
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
  h->spool_ = std::make_unique<DetectionSpool>(config.spool, static_cast<int>(h->workers_.size()));
  h->hidden_rule_.assign(h->compiled_.set->size(), false);
  for (uint32_t r = 0; r < h->compiled_.set->size(); ++r)
    h->hidden_rule_[r] = !h->compiled_.correlations.base_shown(r) || h->compiled_.kept_for_correlation[r];

  // Capture plans: a rule's field names are those of its logsource's
  // taxonomy; on a target with renames (process_creation on 4688: Image →
  // NewProcessName) the event carries the renamed field.
  const correlate::CorrelationSet& cs = h->compiled_.correlations;
  h->capture_.resize(h->compiled_.set->size());
  for (uint32_t r = 0; r < h->compiled_.set->size(); ++r) {
    if (!cs.referenced(r)) continue;
    const std::vector<std::string>& fields = cs.fields(r);
    std::vector<sigma::LogsourceTarget> targets =
        h->compiled_.logsources.Resolve(h->compiled_.set->rule(r).logsource);
    if (targets.empty()) targets.emplace_back();
    for (const sigma::LogsourceTarget& t : targets) {
      CapturePlan::Target pt;
      for (const std::string& ch : t.channels) pt.channels.push_back(AsciiLowerCopy(ch));
      pt.event_ids = t.event_ids;
      for (const std::string& f : fields) {
        auto rn = t.field_renames.find(f);
        pt.fields.push_back(InternField(rn == t.field_renames.end() ? f : rn->second));
      }
      h->capture_[r].targets.push_back(std::move(pt));
    }
  }
  return h;
}

const sigma::RuleInfo& Hunter::info(uint32_t index) const {
  const size_t n = compiled_.set->size();
  if (index < n) return compiled_.set->rule(index);
  return compiled_.correlations.rule(static_cast<uint32_t>(index - n)).def.info;
}

void Hunter::Capture(const EventView& e, uint32_t rule,
                     std::vector<std::optional<std::string>>* out) const {
  const CapturePlan& plan = capture_[rule];
  const CapturePlan::Target* target = &plan.targets.front();
  if (plan.targets.size() > 1) {
    const Value* ch = e.Get(field::kChannel);
    std::string channel = ch ? AsciiLowerCopy(ch->ToText()) : std::string();
    const int64_t id = e.event_id();
    for (const CapturePlan::Target& t : plan.targets) {
      const bool channel_ok =
          t.channels.empty() || std::find(t.channels.begin(), t.channels.end(), channel) != t.channels.end();
      const bool id_ok =
          t.event_ids.empty() || std::find(t.event_ids.begin(), t.event_ids.end(), id) != t.event_ids.end();
      if (channel_ok && id_ok) {
        target = &t;
        break;
      }
    }
  }
  out->clear();
  out->reserve(target->fields.size());
  for (FieldId f : target->fields) {
    const Value* v = e.Get(f);
    if (v) out->emplace_back(v->ToText());
    else out->emplace_back(std::nullopt);
  }
}

void Hunter::Consume(int worker, const EventBatch& batch) {
  Worker& w = workers_[static_cast<size_t>(worker)];
  const correlate::CorrelationSet& cs = compiled_.correlations;
  for (size_t i = 0; i < batch.size(); ++i) {
    EventView e = batch[i];
    if (e.time() != INT64_MIN && (e.time() < config_.from || e.time() > config_.to)) continue;
    if (e.time() == INT64_MIN && (config_.from != INT64_MIN || config_.to != INT64_MAX)) continue;
    w.hits.clear();
    compiled_.set->Match(e, w.scratch.get(), &w.hits);
    if (w.hits.empty()) continue;
    ++w.events_matched;
    // One detection object per worker, refilled (its strings keep their
    // memory); the spool copies it. The event as JSON is rendered once, for
    // the first shown detection, and shared by the others.
    bool have_text = false;
    Detection& d = w.detection;
    for (uint32_t rule : w.hits) {
      d.time = e.time();
      d.rule = rule;
      d.computer.clear();
      if (const Value* v = e.Get(field::kComputer)) v->AppendText(&d.computer);
      d.channel.clear();
      if (const Value* v = e.Get(field::kChannel)) v->AppendText(&d.channel);
      d.event_id = e.event_id();
      d.record_id = e.record_id();
      d.source.assign(batch.source(e.origin().source));
      d.order = e.origin().offset;
      const bool shown = !hidden_rule_[rule];  // hidden ones are only correlation input: no details, no JSON
      if (shown) {
        PickDetails(e, compiled_.set->rule(rule), &d.details);
        if (!have_text) {
          AppendEventJson(e, spool_->BeginEventText(worker));
          spool_->EndEventText(worker);
          have_text = true;
        }
      } else {
        d.details.clear();
      }
      if (cs.referenced(rule)) Capture(e, rule, &d.captured);
      else d.captured.clear();
      spool_->Add(worker, d, shown);
    }
    spool_->EndEvent(worker);
  }
}

std::vector<Detection> Hunter::TakeDetections() {
  spool_->Finish();
  std::unique_ptr<DetectionCursor> c = spool_->Merge();
  std::vector<Detection> all;
  std::string_view last_json;
  while (const Detection* d = c->Next()) {
    all.push_back(*d);
    Detection& x = all.back();
    if (x.event_json.empty()) continue;
    if (x.event_json != last_json) last_json = drained_.emplace_back(x.event_json);  // a cursor's view is short-lived
    x.event_json = last_json;
  }
  return all;
}

uint64_t Hunter::events_matched() const {
  uint64_t n = 0;
  for (auto& w : workers_) n += w.events_matched;
  return n;
}

Detection Hunter::CorrelationRow(const correlate::CorrelationMatch& m, const RefMap& refs) const {
  const correlate::CorrelationRule& r = compiled_.correlations.rule(m.correlation);
  const correlate::ParsedCorrelation& def = r.def;
  Detection d;
  d.time = m.time;
  d.rule = static_cast<uint32_t>(compiled_.set->size() + m.correlation);
  // Computer, channel and EventID when every contributing event kept agrees.
  bool first = true, same_computer = true, same_channel = true, same_id = true;
  for (uint64_t ref : m.refs) {
    auto found = refs.find(ref);
    if (found == refs.end()) continue;
    const Detection& in = found->second;
    if (first) {
      d.computer = in.computer, d.channel = in.channel, d.event_id = in.event_id;
      first = false;
      continue;
    }
    same_computer &= in.computer == d.computer;
    same_channel &= in.channel == d.channel;
    same_id &= in.event_id == d.event_id;
  }
  if (!same_computer) d.computer.clear();
  if (!same_channel) d.channel.clear();
  if (!same_id) d.event_id = -1;
  if (!m.refs.empty()) {
    if (auto last = refs.find(m.refs.back()); last != refs.end()) {
      d.source = last->second.source;
      d.order = last->second.order;
    }
  }

  const std::string field = fmt::format("{}", fmt::join(def.fields, "+"));
  std::string value_label;
  switch (def.type) {
    case correlate::CorrelationType::kEventCount:
      value_label = "Count";
      break;
    case correlate::CorrelationType::kValueCount:
      value_label = "Distinct " + field;
      break;
    case correlate::CorrelationType::kTemporal:
      value_label = "Rules";
      break;
    case correlate::CorrelationType::kTemporalOrdered:
      value_label = "Steps";
      break;
    case correlate::CorrelationType::kValueSum:
      value_label = "Sum " + field;
      break;
    case correlate::CorrelationType::kValueAvg:
      value_label = "Avg " + field;
      break;
    case correlate::CorrelationType::kValuePercentile:
      value_label = fmt::format("P{} {}", FormatValue(def.percentile), field);
      break;
  }
  d.details.emplace_back("Correlation", fmt::format("{} {} in {}", correlate::CorrelationTypeName(def.type),
                                                    r.effective.ToString(), def.timespan));
  for (size_t i = 0; i < def.group_by.size() && i < m.group.size(); ++i)
    d.details.emplace_back(def.group_by[i], DisplayText(m.group[i]));
  d.details.emplace_back(value_label, FormatValue(m.value));
  d.details.emplace_back("Events", std::to_string(m.events));
  d.details.emplace_back("From", FormatTimestampMillis(m.first_time));
  d.details.emplace_back("To", FormatTimestampMillis(m.last_time));
  if (m.partial) d.details.emplace_back("Partial", "window ends after the last event read");

  // JSON for JSON Lines.
  std::string& j = d.correlation_json;
  j = "{\"type\":";
  AppendJsonString(correlate::CorrelationTypeName(def.type), &j);
  j += ",\"condition\":";
  AppendJsonString(r.effective.ToString(), &j);
  j += ",\"timespan\":";
  AppendJsonString(def.timespan, &j);
  j += ",\"group\":{";
  for (size_t i = 0; i < def.group_by.size() && i < m.group.size(); ++i) {
    if (i) j.push_back(',');
    AppendJsonString(def.group_by[i], &j);
    j.push_back(':');
    AppendJsonString(m.group[i], &j);
  }
  j += "},\"field\":";
  AppendJsonString(field, &j);
  j += ",\"value\":";
  j += std::isnan(m.value) ? std::string("null") : FormatValue(m.value);
  j += fmt::format(",\"events\":{},\"window_start\":\"", m.events);
  AppendIso8601(m.window_start, &j);
  j += "\",\"window_end\":\"";
  AppendIso8601(m.window_end, &j);
  j += "\",\"first\":\"";
  AppendIso8601(m.first_time, &j);
  j += "\",\"last\":\"";
  AppendIso8601(m.last_time, &j);
  j += fmt::format("\",\"partial\":{},\"refs_truncated\":{},\"refs\":[", m.partial,
                   m.refs_truncated);
  bool first_ref = true;
  for (uint64_t ref : m.refs) {
    auto found = refs.find(ref);
    if (found == refs.end()) continue;
    const Detection& in = found->second;
    if (!first_ref) j.push_back(',');
    first_ref = false;
    j += "{\"timestamp\":\"";
    AppendIso8601(in.time, &j);
    j += "\",\"computer\":";
    AppendJsonString(in.computer, &j);
    j += ",\"event_id\":";
    j += in.event_id >= 0 ? std::to_string(in.event_id) : "null";
    j += ",\"record_id\":";
    j += in.record_id ? std::to_string(in.record_id) : "null";
    j += ",\"rule\":";
    AppendJsonString(info(in.rule).title, &j);
    j += ",\"source\":";
    AppendJsonString(in.source, &j);
    j.push_back('}');
  }
  j += "]}";
  return d;
}

std::unique_ptr<Timeline> Hunter::MakeTimeline(
    const std::function<std::unique_ptr<DetectionCursor>()>& open,
    std::vector<correlate::CorrelationMatch>* all) const {
  const auto t0 = std::chrono::steady_clock::now();
  const correlate::CorrelationSet& cs = compiled_.correlations;
  auto t = std::make_unique<Timeline>();
  CorrelationSummary& sum = t->sum_;
  sum.rules = cs.size();
  sum.base_rules_used = cs.referenced_base_rules();

  std::vector<correlate::CorrelationMatch> matches;
  if (!cs.empty()) {
    // Pass 1: the correlations over the detections of the rules they use;
    // a match's refs are positions in the stream.
    correlate::Correlator correlator(cs, config_.correlation);
    std::unique_ptr<DetectionCursor> c = open();
    uint64_t i = 0, event = 0;  // position; position of the first detection of the same event
    int64_t prev_time = 0;
    uint64_t prev_order = 0;
    std::string prev_source;
    for (const Detection* d; (d = c->Next()) != nullptr; ++i) {
      if (i == 0 || d->time != prev_time || d->order != prev_order || d->source != prev_source) {
        event = i;
        prev_time = d->time;
        prev_order = d->order;
        prev_source = d->source;
      }
      if (!cs.referenced(d->rule)) continue;
      ++sum.inputs;
      correlate::RuleMatch m;
      m.time = d->time;
      m.rule = d->rule;
      m.values = d->captured;
      m.ref = i;
      m.event = event;
      correlator.Add(m, &matches);
    }
    correlator.Flush(&matches);
    const correlate::CorrelatorStats& st = correlator.stats();
    const correlate::CorrelationStats total = st.Total();
    sum.late_dropped = st.late_dropped;
    sum.no_time = st.no_time;
    sum.evicted = total.evicted;
    sum.expired = total.expired;
    sum.peak_groups = total.peak_groups;
    sum.missing_group_field = total.missing_group_field;
    sum.missing_value = total.missing_value;
    sum.non_numeric = total.non_numeric;
    sum.truncated = total.truncated;
    sum.matches = matches.size();

    // Pass 2: the detections the shown matches cite (their first and last
    // few events), then one row per shown match.
    std::vector<uint64_t> needed;
    for (const correlate::CorrelationMatch& m : matches)
      if (cs.rule(m.correlation).shown) needed.insert(needed.end(), m.refs.begin(), m.refs.end());
    std::sort(needed.begin(), needed.end());
    needed.erase(std::unique(needed.begin(), needed.end()), needed.end());
    RefMap refs;
    if (!needed.empty()) {
      c = open();
      size_t k = 0;
      i = 0;
      for (const Detection* d; k < needed.size() && (d = c->Next()) != nullptr; ++i) {
        if (i != needed[k]) continue;
        ++k;
        Detection& r = refs[i];
        r.time = d->time;
        r.computer = d->computer;
        r.channel = d->channel;
        r.event_id = d->event_id;
        r.record_id = d->record_id;
        r.rule = d->rule;
        r.source = d->source;
        r.order = d->order;
      }
    }
    for (const correlate::CorrelationMatch& m : matches)
      if (cs.rule(m.correlation).shown) t->rows_.push_back(CorrelationRow(m, refs));
    std::sort(t->rows_.begin(), t->rows_.end(), TimelineLess);
  }
  sum.shown = t->rows_.size();
  t->hidden_ = hidden_rule_;
  t->hidden_seen_.assign(hidden_rule_.size(), false);
  t->base_ = open();
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (all) *all = std::move(matches);
  return t;
}

std::unique_ptr<Timeline> Hunter::TakeTimeline(std::vector<correlate::CorrelationMatch>* all) {
  spool_->Finish();
  return MakeTimeline([this] { return spool_->Merge(); }, all);
}

std::vector<Detection> Hunter::Correlate(std::vector<Detection> detections,
                                         CorrelationSummary* summary,
                                         std::vector<correlate::CorrelationMatch>* all) const {
  std::unique_ptr<Timeline> t =
      MakeTimeline([&detections] { return std::make_unique<VectorCursor>(detections); }, all);
  std::vector<Detection> timeline;
  while (const Detection* d = t->Next()) {
    timeline.push_back(*d);
    timeline.back().captured.clear();
  }
  // Fed out of time order (a lateness test): the rows are merged as if the
  // detections were sorted; sort the whole timeline instead.
  if (!std::is_sorted(timeline.begin(), timeline.end(), TimelineLess))
    std::stable_sort(timeline.begin(), timeline.end(), TimelineLess);
  if (summary) *summary = t->summary();
  return timeline;
}

const Detection* Timeline::Next() {
  if (advance_) {
    advance_ = false;
    head_ = base_ ? base_->Next() : nullptr;
    // Rule detections kept out of the timeline (generate: false, or only in
    // use for a correlation): counted, not shown.
    while (head_ && head_->rule < hidden_.size() && hidden_[head_->rule]) {
      ++sum_.hidden_detections;
      sum_.hidden_rules += !hidden_seen_[head_->rule];
      hidden_seen_[head_->rule] = true;
      head_ = base_->Next();
    }
  }
  const Detection* row = next_row_ < rows_.size() ? &rows_[next_row_] : nullptr;
  if (row && (!head_ || TimelineLess(*row, *head_))) {
    ++next_row_;
    return row;
  }
  advance_ = head_ != nullptr;
  return head_;
}

}  // namespace inari
