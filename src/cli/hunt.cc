// inari hunt PATH… — scan collected logs. In this version it reads every
// event and summarises what it read; detection (Sigma, analytics) plugs into
// the batch consumer.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "base/time.h"
#include "base/utf.h"
#include "cli/common.h"
#include "cli/progress.h"

namespace inari::cli {

namespace {

struct HuntOptions {
  InputOptions input;
  std::vector<std::string> paths;
  std::string summary = "text";
};

// Per-worker tallies, merged at the end (no locks in the per-event path).
struct Tally {
  std::unordered_map<std::string, uint64_t> channels;
  uint64_t without_time = 0;
  int64_t first = INT64_MAX, last = INT64_MIN;
};

std::string SummaryJson(const ScanSummary& s, const IssueLog& issues, const std::vector<std::pair<std::string, uint64_t>>& channels) {
  std::string j = fmt::format(
      "{{\"files\":{},\"files_failed\":{},\"skipped_unsupported\":{},\"events\":{},\"bytes\":{},\"seconds\":{:.6f},"
      "\"events_per_second\":{:.1f},\"mb_per_second\":{:.3f},\"threads\":{},\"errors\":{{",
      s.files, s.files_failed, s.skipped_unsupported, s.events, s.bytes, s.seconds,
      s.seconds > 0 ? s.events / s.seconds : 0.0, s.seconds > 0 ? s.bytes / 1e6 / s.seconds : 0.0, s.threads);
  bool first = true;
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
  j += "}}";
  return j;
}

int RunHunt(const HuntOptions& o) {
  ScanOptions so;
  ToScanOptions(o.input, &so);
  IssueLog issues;
  PrintIssuesTo(&issues, o.input.quiet);
  Scanner scanner(so, &issues);
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
            if (e.time() == INT64_MIN) ++t.without_time;
            else {
              t.first = std::min(t.first, e.time());
              t.last = std::max(t.last, e.time());
            }
          }
        },
        nullptr);
  }
  std::map<std::string, uint64_t> channels;
  int64_t first = INT64_MAX, last = INT64_MIN;
  for (auto& t : tallies) {
    for (auto& [k, v] : t.channels) channels[k] += v;
    first = std::min(first, t.first);
    last = std::max(last, t.last);
  }
  std::vector<std::pair<std::string, uint64_t>> top(channels.begin(), channels.end());
  std::stable_sort(top.begin(), top.end(), [](auto& a, auto& b) { return a.second > b.second; });

  if (o.summary == "json") {
    std::string j = SummaryJson(s, issues, top);
    std::printf("%s\n", j.c_str());
  } else {
    std::string out = fmt::format(
        "inari hunt: {} files ({} unreadable, {} unsupported skipped), {} events, {} in {:.2f} s\n"
        "            {} events/s, {}/s, {} thread{}\n",
        s.files, s.files_failed, s.skipped_unsupported, s.events, HumanBytes(static_cast<double>(s.bytes)),
        s.seconds, HumanCount(s.seconds > 0 ? s.events / s.seconds : 0),
        HumanBytes(s.seconds > 0 ? s.bytes / s.seconds : 0), s.threads, s.threads == 1 ? "" : "s");
    if (first <= last)
      out += fmt::format("time span:  {} .. {}\n", FormatIso8601(first), FormatIso8601(last));
    if (!top.empty()) {
      out += "channels:\n";
      for (size_t i = 0; i < top.size() && i < 10; ++i)
        out += fmt::format("  {:>10}  {}\n", top[i].second, top[i].first);
      if (top.size() > 10) out += fmt::format("  ({} more)\n", top.size() - 10);
    }
    auto counts = issues.counts();
    if (counts.empty()) {
      out += "issues:     none\n";
    } else {
      out += "issues:    ";
      for (auto& [code, n] : counts) out += fmt::format(" {} {}", CodeName(code), n);
      out += o.input.quiet ? " (run without --quiet to list them)\n" : "\n";
    }
    std::fputs(out.c_str(), stdout);
  }
  return ExitCodeFor(s, issues);
}

}  // namespace

void RegisterHunt(CLI::App* app) {
  auto* o = new HuntOptions();
  CLI::App* cmd = app->add_subcommand("hunt", "Scan collected logs (EVTX, JSON; files, directories, archives)");
  cmd->footer(
      "Examples:\n"
      "  inari hunt C:/Triage/Logs            every supported file below, recursively\n"
      "  inari hunt --threads 8 case42/*.evtx\n"
      "  inari hunt --summary json logs/ > summary.json\n"
      "Exit codes: 0 all read; 1 some input damaged or unreadable; 2 usage; 3 nothing readable.");
  AddInputOptions(cmd, &o->input);
  cmd->add_option("--summary", o->summary, "Summary format: text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("paths", o->paths, "Files or directories")->required();
  cmd->callback([o] { throw CLI::RuntimeError(RunHunt(*o)); });
}

}  // namespace inari::cli
