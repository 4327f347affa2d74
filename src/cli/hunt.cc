// inari hunt PATH… — scan collected logs with Sigma rules: a timeline of
// detections (table, Hayabusa-compatible CSV, JSON Lines) and a summary.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <map>
#include <optional>
#include <unordered_map>

#include "base/time.h"
#include "base/utf.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "engine/analyze.h"
#include "engine/hunt.h"
#include "engine/report.h"

namespace inari::cli {

namespace {

struct HuntOptions {
  InputOptions input;
  std::vector<std::string> paths;
  std::vector<std::string> rules;
  bool no_rules = false;
  std::string summary = "text";
  std::string format = "table";
  std::string output = "-";
  std::string min_level = "informational";
  std::vector<std::string> exclude_status = {"deprecated", "unsupported"};
  std::string from, to;
  std::string placeholders, pipeline;
  bool no_prefilter = false, no_index = false;
  std::string color = "auto";
  std::string correlation_lateness = "0";
  size_t correlation_max_groups = 100000;
  size_t correlation_refs = 5;
  std::string sort_memory = "128M", temp_dir;
  bool no_analytics = false;
  std::string state_file, risk_config, warmup, risk_json, db_config;
  size_t risk_top = 5;
};

// Analytics findings shown in the timeline: one RuleInfo per reason code,
// addressed above every rule and correlation index.
constexpr uint32_t kFindingBase = 1u << 30;

sigma::Level LevelOfPoints(double points) {
  if (points >= 40) return sigma::Level::kHigh;
  if (points >= 20) return sigma::Level::kMedium;
  if (points >= 8) return sigma::Level::kLow;
  return sigma::Level::kInformational;
}

// Per-worker tallies, merged at the end (no locks in the per-event path).
struct Tally {
  std::unordered_map<std::string, uint64_t> channels;
  int64_t first = INT64_MAX, last = INT64_MIN;
};

std::string DefaultRulesDir() {
  if (const char* env = std::getenv("INARI_RULES")) return env;
  return INARI_DEFAULT_RULES;
}

// ISO 8601; a bare date means its first (from) or last (to) nanosecond, UTC.
int64_t ParseTimeArg(const std::string& s, bool end_of_day) {
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    const int64_t t = ParseIso8601(s + "T00:00:00Z");
    if (t == kNoTime) return kNoTime;
    return end_of_day ? t + 86400LL * 1'000'000'000 - 1 : t;
  }
  return ParseIso8601(s);
}

bool ParseLevel(const std::string& s, sigma::Level* out) {
  static const std::pair<const char*, sigma::Level> kLevels[] = {
      {"informational", sigma::Level::kInformational}, {"info", sigma::Level::kInformational},
      {"low", sigma::Level::kLow}, {"medium", sigma::Level::kMedium}, {"med", sigma::Level::kMedium},
      {"high", sigma::Level::kHigh}, {"critical", sigma::Level::kCritical}, {"crit", sigma::Level::kCritical}};
  for (auto& [name, level] : kLevels)
    if (s == name) {
      *out = level;
      return true;
    }
  return false;
}

// "256M", "1G", "512K", "1048576": bytes (K, M, G are powers of 1024). 0 if not a size.
size_t ParseSize(const std::string& s) {
  size_t n = 0, i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (n > (SIZE_MAX - 9) / 10) return 0;
    n = n * 10 + static_cast<size_t>(s[i] - '0');
  }
  if (i == 0) return 0;
  if (i == s.size()) return n;
  if (i + 1 != s.size()) return 0;
  const int shift = s[i] == 'K' || s[i] == 'k' ? 10 : s[i] == 'M' || s[i] == 'm' ? 20 : s[i] == 'G' || s[i] == 'g' ? 30 : -1;
  if (shift < 0 || n > (SIZE_MAX >> shift)) return 0;
  return n << shift;
}

std::string SummaryJson(const ScanSummary& s, const IssueLog& issues,
                        const std::vector<std::pair<std::string, uint64_t>>& channels,
                        const std::map<std::string, uint64_t>& by_level, size_t detections, size_t rules,
                        const CorrelationSummary& c, const SpoolStats& spool, double rules_seconds,
                        double report_seconds) {
  // seconds: reading and matching (the scan); rules_seconds: loading and
  // compiling rules before it; report_seconds: after it (correlations,
  // analytics, sorting and writing the timeline).
  std::string j = fmt::format(
      "{{\"files\":{},\"files_failed\":{},\"skipped_unsupported\":{},\"events\":{},\"bytes\":{},\"seconds\":{:.6f},"
      "\"rules_seconds\":{:.6f},\"report_seconds\":{:.6f},"
      "\"events_per_second\":{:.1f},\"mb_per_second\":{:.3f},\"threads\":{},\"rules\":{},\"detections\":{},"
      "\"detections_by_level\":{{",
      s.files, s.files_failed, s.skipped_unsupported, s.events, s.bytes, s.seconds, rules_seconds, report_seconds,
      s.seconds > 0 ? s.events / s.seconds : 0.0, s.seconds > 0 ? s.bytes / 1e6 / s.seconds : 0.0, s.threads, rules,
      detections);
  bool first = true;
  for (auto& [level, n] : by_level) {
    j += fmt::format("{}\"{}\":{}", first ? "" : ",", level, n);
    first = false;
  }
  j += "},\"errors\":{";
  first = true;
  for (auto& [code, n] : issues.counts()) {
    j += fmt::format("{}\"{}\":{}", first ? "" : ",", CodeName(code), n);
    first = false;
  }
  j += "},\"channels\":{";
  first = true;
  for (auto& [name, n] : channels) {
    j += first ? "\"" : ",\"";
    AppendJsonEscaped(name, &j);
    j += fmt::format("\":{}", n);
    first = false;
  }
  j += fmt::format(
      "}},\"correlations\":{{\"rules\":{},\"base_rules\":{},\"inputs\":{},\"matches\":{},\"shown\":{},"
      "\"hidden_detections\":{},\"late_dropped\":{},\"evicted\":{},\"expired\":{},\"peak_groups\":{},"
      "\"missing_group_field\":{},\"missing_value\":{},\"non_numeric\":{},\"seconds\":{:.6f}}},"
      "\"spool\":{{\"detections\":{},\"runs\":{},\"spilled_bytes\":{}}}}}",
      c.rules, c.base_rules_used, c.inputs, c.matches, c.shown, c.hidden_detections, c.late_dropped, c.evicted,
      c.expired, c.peak_groups, c.missing_group_field, c.missing_value, c.non_numeric, c.seconds,
      spool.detections, spool.runs, spool.spilled_bytes);
  return j;
}

int RunHunt(const HuntOptions& o) {
  ScanOptions so;
  ToScanOptions(o.input, &so);

  HuntConfig hc;
  if (!o.no_rules) hc.rules.paths = o.rules.empty() ? std::vector<std::string>{DefaultRulesDir()} : o.rules;
  if (!ParseLevel(o.min_level, &hc.rules.min_level)) {
    std::fprintf(stderr, "inari hunt: unknown level '%s'\n", o.min_level.c_str());
    return kExitUsage;
  }
  for (const std::string& s : o.exclude_status) hc.rules.exclude_status.insert(s);
  if (!o.from.empty() && (hc.from = ParseTimeArg(o.from, false)) == kNoTime) {
    std::fprintf(stderr, "inari hunt: --from '%s' is not an ISO 8601 time\n", o.from.c_str());
    return kExitUsage;
  }
  if (!o.to.empty() && (hc.to = ParseTimeArg(o.to, true)) == kNoTime) {
    std::fprintf(stderr, "inari hunt: --to '%s' is not an ISO 8601 time\n", o.to.c_str());
    return kExitUsage;
  }
  if (hc.from == kNoTime) hc.from = INT64_MIN;
  hc.rules.placeholders_file = o.placeholders;
  hc.rules.pipeline_file = o.pipeline;
  hc.rules.use_prefilter = !o.no_prefilter;
  hc.rules.use_index = !o.no_index;
  if (o.correlation_lateness == "0") {
    hc.correlation.lateness_ns = 0;
  } else if ((hc.correlation.lateness_ns = correlate::ParseTimespan(o.correlation_lateness)) == 0) {
    std::fprintf(stderr, "inari hunt: --correlation-lateness '%s' is not 0 or a duration such as 30s, 5m, 1h\n",
                 o.correlation_lateness.c_str());
    return kExitUsage;
  }
  hc.correlation.max_groups = o.correlation_max_groups;
  hc.correlation.max_refs = o.correlation_refs;
  if ((hc.spool.memory_bytes = ParseSize(o.sort_memory)) == 0) {
    std::fprintf(stderr, "inari hunt: --sort-memory '%s' is not a size such as 64M, 1G\n", o.sort_memory.c_str());
    return kExitUsage;
  }
  hc.spool.dir = o.temp_dir;

  AnalyzeConfig ac;
  if (!o.risk_config.empty()) {
    if (Status st = LoadAnalyzeSettings(o.risk_config, &ac); !st.ok()) {
      std::fprintf(stderr, "inari hunt: --risk-config: %s\n", st.ToString().c_str());
      return kExitUsage;
    }
  }
  if (!o.warmup.empty() && !ParseDuration(o.warmup, &ac.lateral.warmup)) {
    std::fprintf(stderr, "inari hunt: --warmup '%s' is not a duration such as 0, 12h, 7d\n", o.warmup.c_str());
    return kExitUsage;
  }
  ac.state_file = o.state_file;
  ac.from = hc.from;
  ac.to = hc.to;
  if (!o.db_config.empty()) {
    if (Status st = LoadDbWatchSettings(o.db_config, &ac.db); !st.ok()) {
      std::fprintf(stderr, "inari hunt: --db-config: %s\n", st.ToString().c_str());
      return kExitUsage;
    }
  }

  IssueLog issues;
  PrintIssuesTo(&issues, o.input.quiet);
  Scanner scanner(so, &issues);

  const auto rules_start = std::chrono::steady_clock::now();
  std::unique_ptr<Hunter> hunter;
  if (!hc.rules.paths.empty()) {
    auto created = Hunter::Create(hc, scanner.threads());
    if (!created.has_value()) {
      std::fprintf(stderr, "inari hunt: %s\n", created.error().ToString().c_str());
      return kExitUsage;
    }
    hunter = std::move(created).value();
    size_t errors = 0;
    for (const auto& i : hunter->issues()) errors += i.severity == sigma::LoadIssue::Severity::kError;
    if (!o.input.quiet) {
      const auto& st = hunter->rules().stats();
      std::fprintf(stderr, "inari: rules: %zu loaded, %zu in use (%zu for non-Windows logs, %zu below --min-level or excluded by status), %zu rejected%s\n",
                   hunter->rules_loaded(), st.rules, st.not_applicable, hunter->rules_skipped_by_filter(), errors,
                   errors ? " (inari rules check lists why)" : "");
      if (!hunter->correlations().empty())
        std::fprintf(stderr, "inari: correlation rules: %zu in use, over %zu rules\n", hunter->correlations().size(),
                     hunter->correlations().referenced_base_rules());
    }
    if (hunter->rules().size() == 0 && errors > 0) {
      for (const auto& i : hunter->issues())
        if (i.severity == sigma::LoadIssue::Severity::kError)
          std::fprintf(stderr, "inari: %s:%d: %s: %s\n", i.file.c_str(), i.line, i.code.c_str(), i.message.c_str());
    }
  }

  std::unique_ptr<Analyzer> analyzer;
  if (!o.no_analytics) {
    auto created = Analyzer::Create(ac, scanner.threads());
    if (!created.has_value()) {
      std::fprintf(stderr, "inari hunt: --state: %s\n", created.error().ToString().c_str());
      return kExitUsage;
    }
    analyzer = std::move(created).value();
  }

  const double rules_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - rules_start).count();
  std::vector<Tally> tallies(static_cast<size_t>(scanner.threads()));
  ScanSummary s;
  {
    ProgressBar bar(&scanner.progress(), !o.input.quiet);
    s = scanner.Run(
        o.paths,
        [&](int w, const EventBatch& batch, std::string*) {
          Tally& t = tallies[static_cast<size_t>(w)];
          std::string_view last_channel;
          uint64_t* last_count = nullptr;
          for (size_t i = 0; i < batch.size(); ++i) {
            EventView e = batch[i];
            const Value* ch = e.Get(field::kChannel);
            std::string_view name = ch && ch->is_string() ? ch->str() : std::string_view("(none)");
            if (!last_count || name != last_channel) {
              last_count = &t.channels[std::string(name)];
              last_channel = name;
            }
            ++*last_count;
            if (e.time() != INT64_MIN) {
              t.first = std::min(t.first, e.time());
              t.last = std::max(t.last, e.time());
            }
          }
          if (hunter) hunter->Consume(w, batch);
          if (analyzer) analyzer->Consume(w, batch);
        },
        nullptr);
  }
  const auto report_start = std::chrono::steady_clock::now();
  std::map<std::string, uint64_t> channels;
  int64_t first = INT64_MAX, last = INT64_MIN;
  for (auto& t : tallies) {
    for (auto& [k, v] : t.channels) channels[k] += v;
    first = std::min(first, t.first);
    last = std::max(last, t.last);
  }
  std::vector<std::pair<std::string, uint64_t>> top(channels.begin(), channels.end());
  std::stable_sort(top.begin(), top.end(), [](auto& a, auto& b) { return a.second > b.second; });

  // The timeline: rule detections and correlation rows (sorted, from the
  // spool) merged by time with the analytics findings; each row feeds risk,
  // the summary and the writer, so memory does not grow with the timeline.
  std::unique_ptr<Timeline> timeline;
  if (hunter) timeline = hunter->TakeTimeline();
  std::vector<sigma::RuleInfo> finding_rules;
  std::vector<uint32_t> finding_rule;  // per finding: kFindingBase + its RuleInfo
  auto rule_of = [&](uint32_t i) -> const sigma::RuleInfo& {
    return i >= kFindingBase ? finding_rules[i - kFindingBase] : hunter->info(i);
  };
  static const std::vector<analytics::Finding> kNoFindings;
  const std::vector<analytics::Finding>& findings = analyzer ? analyzer->findings() : kNoFindings;
  if (analyzer) {
    analyzer->Analyze();
    // Findings are rows of their own: one RuleInfo per reason code and level.
    std::map<std::string, uint32_t> by_code;
    for (const analytics::Finding& f : findings) {
      const sigma::Level level = LevelOfPoints(f.points);
      const std::string key = f.code + "/" + std::string(sigma::LevelName(level));
      auto [it, inserted] = by_code.try_emplace(key, static_cast<uint32_t>(finding_rules.size()));
      if (inserted) {
        sigma::RuleInfo info;
        info.id = f.code;
        info.title = f.title;
        info.level = level;
        info.status = "analytics";
        info.tags = {"inari.analytics"};
        finding_rules.push_back(std::move(info));
      }
      finding_rule.push_back(kFindingBase + it->second);
    }
  }

  FILE* out = stdout;
  if (o.output != "-") {
    out = std::fopen(o.output.c_str(), "wb");
    if (!out) {
      std::fprintf(stderr, "inari hunt: cannot write %s\n", o.output.c_str());
      return kExitUsage;
    }
  }
  const bool color = o.color == "always" || (o.color == "auto" && out == stdout && ::isatty(1));
  DetectionTally tally;
  {
    ReportOptions ro;
    ro.format = o.format == "csv" ? ReportFormat::kCsv : o.format == "jsonl" ? ReportFormat::kJsonl : ReportFormat::kTable;
    ro.color = color;
    std::optional<TimelineWriter> writer;
    if (hunter || analyzer) writer.emplace(rule_of, ro, out);
    const Detection* d = timeline ? timeline->Next() : nullptr;
    size_t fi = 0;
    Detection finding_row;
    while (d || fi < findings.size()) {
      const Detection* row;
      // Equal times: the detection first.
      if (d && (fi == findings.size() || d->time <= findings[fi].time)) {
        row = d;
        if (analyzer) analyzer->AddRisk(*d, rule_of(d->rule));
      } else {
        const analytics::Finding& f = findings[fi];
        analyzer->AddRisk(f);
        finding_row = Detection();
        finding_row.time = f.time;
        finding_row.computer = f.computer;
        finding_row.event_id = f.event_id;
        finding_row.record_id = f.record_id;
        finding_row.rule = finding_rule[fi];
        finding_row.source = f.input;
        finding_row.details = {{"Reason", f.code}, {"User", f.user}, {"Host", f.host}};
        if (!f.source.empty()) finding_row.details.emplace_back("Source", f.source);
        finding_row.details.emplace_back("Explanation", f.explanation);
        row = &finding_row;
        ++fi;
      }
      tally.Add(*row, rule_of(row->rule).level);
      if (writer) writer->Add(*row);
      if (row == d) d = timeline->Next();
    }
    if (writer) writer->Finish();
  }
  if (out != stdout) std::fclose(out);
  CorrelationSummary correlation;
  SpoolStats spool;
  bool incomplete = false;
  if (hunter) {
    correlation = timeline->summary();
    spool = hunter->spool_stats();
    if (std::string e = hunter->spill_error(); !e.empty())
      std::fprintf(stderr, "inari hunt: could not spill detections to disk (%s); kept them in memory\n", e.c_str());
    if (std::string e = timeline->error(); !e.empty()) {
      std::fprintf(stderr, "inari hunt: the timeline is incomplete: %s\n", e.c_str());
      incomplete = true;
    }
  }
  const double report_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - report_start).count();
  // The summary goes to stdout after a table, else to stderr (keeps CSV/JSONL clean).
  FILE* sum = (o.format == "table" && o.output == "-") || o.summary == "json" ? stdout : stderr;
  if (o.summary == "json") {
    std::string j = SummaryJson(s, issues, top, tally.by_level_name(), tally.total(),
                                hunter ? hunter->rules().size() : 0, correlation, spool, rules_seconds, report_seconds);
    std::fprintf(sum, "%s\n", j.c_str());
  } else {
    std::string text;
    if (hunter || analyzer) text += tally.Summary(rule_of, color && sum == stdout);
    if (hunter) text += CorrelationSummaryText(correlation);
    text += fmt::format(
        "inari hunt: {} files ({} unreadable, {} unsupported skipped), {} events, {} in {:.2f} s\n"
        "            {} events/s, {}/s, {} thread{}\n",
        s.files, s.files_failed, s.skipped_unsupported, s.events, HumanBytes(static_cast<double>(s.bytes)),
        s.seconds, HumanCount(s.seconds > 0 ? s.events / s.seconds : 0),
        HumanBytes(s.seconds > 0 ? s.bytes / s.seconds : 0), s.threads, s.threads == 1 ? "" : "s");
    if (first <= last) text += fmt::format("time span:  {} .. {}\n", FormatIso8601(first), FormatIso8601(last));
    if (!top.empty()) {
      text += "channels:\n";
      for (size_t i = 0; i < top.size() && i < 10; ++i)
        text += fmt::format("  {:>10}  {}\n", top[i].second, top[i].first);
      if (top.size() > 10) text += fmt::format("  ({} more)\n", top.size() - 10);
    }
    auto counts = issues.counts();
    if (counts.empty()) {
      text += "issues:     none\n";
    } else {
      text += "issues:    ";
      for (auto& [code, n] : counts) text += fmt::format(" {} {}", CodeName(code), n);
      text += o.input.quiet ? " (run without --quiet to list them)\n" : "\n";
    }
    if (analyzer) text += RiskReportText(*analyzer, o.risk_top, color && sum == stdout);
    std::fputs(text.c_str(), sum);
  }
  if (analyzer) {
    if (!o.risk_json.empty()) {
      FILE* f = std::fopen(o.risk_json.c_str(), "wb");
      if (!f) {
        std::fprintf(stderr, "inari hunt: cannot write %s\n", o.risk_json.c_str());
        return kExitUsage;
      }
      std::string j = RiskReportJson(*analyzer, SIZE_MAX);  // every entity with evidence
      j += '\n';
      std::fwrite(j.data(), 1, j.size(), f);
      std::fclose(f);
    }
    if (Status st = analyzer->SaveState(); !st.ok()) {
      std::fprintf(stderr, "inari hunt: saving --state: %s\n", st.ToString().c_str());
      return kExitUsage;
    }
  }
  const int code = ExitCodeFor(s, issues);
  return incomplete && code == kExitOk ? kExitInputIssues : code;
}

}  // namespace

void RegisterHunt(CLI::App* app) {
  auto* o = new HuntOptions();
  CLI::App* cmd = app->add_subcommand("hunt", "Scan collected logs (EVTX, JSON; files, directories, archives) with Sigma rules");
  cmd->footer(
      "Examples:\n"
      "  inari hunt C:/Triage/Logs                        inari's rules, every supported file below\n"
      "  inari hunt --rules sigma/rules --min-level high logs/\n"
      "  inari hunt --rules sigma/rules --format csv -o timeline.csv logs/   (Timeline Explorer)\n"
      "  inari hunt --format jsonl --from 2024-03-01 --to 2024-03-08T12:00:00Z logs/\n"
      "  inari hunt --no-rules --summary json logs/       read and count only\n"
      "Exit codes: 0 all read; 1 some input damaged or unreadable (or the timeline incomplete); 2 usage;\n"
      "3 nothing readable.");
  AddInputOptions(cmd, &o->input);
  // One value per occurrence: `-r rules/ logs/` must leave logs/ to the paths.
  cmd->add_option("-r,--rules", o->rules, "Sigma rule file or directory (repeatable; default: inari's rules/)")
      ->allow_extra_args(false);
  cmd->add_flag("--no-rules", o->no_rules, "Read and count only, no detection");
  cmd->add_option("--min-level", o->min_level, "Lowest rule level to use: informational, low, medium, high, critical");
  cmd->add_option("--exclude-status", o->exclude_status,
                  "Rule status to leave out (repeatable; default: deprecated and unsupported)")
      ->allow_extra_args(false);
  cmd->add_option("--from", o->from, "Only events at or after this time (ISO 8601, UTC if no offset)");
  cmd->add_option("--to", o->to, "Only events at or before this time");
  cmd->add_option("-f,--format", o->format, "Timeline format: table, csv (Hayabusa columns), jsonl")
      ->check(CLI::IsMember({"table", "csv", "jsonl"}));
  cmd->add_option("-o,--output", o->output, "Write the timeline to this file");
  cmd->add_option("--placeholders", o->placeholders, "YAML map of placeholder values for the expand modifier");
  cmd->add_option("--pipeline", o->pipeline, "Logsource pipeline YAML (thor.yml layout) added to the built-in mapping");
  cmd->add_option("--color", o->color, "Colour: auto, always, never")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--summary", o->summary, "Summary format: text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--no-analytics", o->no_analytics, "No behavioural analytics and entity risk")->group("Analytics and risk");
  cmd->add_option("--state", o->state_file,
                  "SQLite file keeping baselines and risk between runs (created if missing; saved at the end)")
      ->group("Analytics and risk");
  cmd->add_option("--risk-config", o->risk_config, "YAML settings: half-life, alert threshold, points per level/rule/reason (docs/analytics.md)")
      ->group("Analytics and risk");
  cmd->add_option("--warmup", o->warmup, "Learning period before first-seen findings, e.g. 7d (default), 0 for triage without history")
      ->group("Analytics and risk");
  cmd->add_option("--db-config", o->db_config,
                  "YAML: customer key, sensitive tables, applications, service accounts for database-access analytics (docs/insider.md)")
      ->group("Analytics and risk");
  cmd->add_option("--risk-top", o->risk_top, "Riskiest accounts and hosts to show (default 5)")->group("Analytics and risk");
  cmd->add_option("--risk-json", o->risk_json, "Write findings, alerts and the riskiest entities with their evidence as JSON")
      ->group("Analytics and risk");
  cmd->add_option("--correlation-lateness", o->correlation_lateness,
                  "How far out of time order a detection may come and still be correlated: 0 (default; hunt "
                  "sorts detections) or a duration such as 30s, 5m");
  cmd->add_option("--correlation-max-groups", o->correlation_max_groups,
                  "Most group-by groups kept per correlation rule; beyond it the least recently updated "
                  "group is dropped (counted in the summary). Default 100000")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--correlation-refs", o->correlation_refs,
                  "Contributing events listed per correlation match: the first and last N (default 5)");
  cmd->add_option("--sort-memory", o->sort_memory,
                  "Memory for detections before sorted runs go to temporary files, e.g. 64M, 1G (default 128M)");
  cmd->add_option("--temp-dir", o->temp_dir, "Directory for those files (default: $TMPDIR or /tmp)");
  cmd->add_flag("--no-prefilter", o->no_prefilter, "Evaluate rules without the literal prefilter (benchmarking)")
      ->group("");
  cmd->add_flag("--no-index", o->no_index, "Evaluate every rule on every event (benchmarking)")->group("");
  cmd->add_option("paths", o->paths, "Files or directories")->required();
  cmd->callback([o] { throw CLI::RuntimeError(RunHunt(*o)); });
}

}  // namespace inari::cli
