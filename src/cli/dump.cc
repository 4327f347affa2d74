// inari dump FILE… — events as JSON Lines in inari's field naming.
// inari dump --follow FILE — the same for a growing PostgreSQL log, until Ctrl-C.
#include <csignal>
#include <cstdio>

#include <atomic>

#include "cli/common.h"
#include "cli/progress.h"
#include "ingest/dbaudit/pg_log.h"

namespace inari::cli {

namespace {

struct DumpOptions {
  InputOptions input;
  std::vector<std::string> paths;
  std::string output = "-";
  bool follow = false;
  bool from_end = false;
  int poll_ms = 200;
};

std::atomic<bool> g_stop{false};
extern "C" void OnStopSignal(int) { g_stop.store(true); }

// --follow: one PostgreSQL log, read as it grows (rotation-safe), until
// SIGINT/SIGTERM or until the output goes away.
int RunFollow(const DumpOptions& o) {
  if (o.paths.size() != 1) {
    std::fprintf(stderr, "inari dump: --follow takes exactly one file\n");
    return kExitUsage;
  }
  ScanOptions so;
  ToScanOptions(o.input, &so);
  std::optional<PgLogFormat> format;
  switch (so.reader.format) {
    case InputFormat::kAuto: break;
    case InputFormat::kPgLog: format = PgLogFormat::kStderr; break;
    case InputFormat::kPgCsv: format = PgLogFormat::kCsv; break;
    case InputFormat::kPgJson: format = PgLogFormat::kJson; break;
    default:
      std::fprintf(stderr, "inari dump: --follow reads PostgreSQL logs (pglog, pgcsv, pgjson)\n");
      return kExitUsage;
  }
  FILE* out = stdout;
  if (o.output != "-") {
    out = std::fopen(o.output.c_str(), "ab");
    if (!out) {
      std::fprintf(stderr, "inari dump: cannot write %s\n", o.output.c_str());
      return kExitUsage;
    }
  }
  IssueLog issues;
  PrintIssuesTo(&issues, false);
  FollowOptions fo;
  fo.poll_ms = o.poll_ms;
  fo.from_end = o.from_end;
  auto reader = OpenPgFollowReader(o.paths[0], format, PgLogOptions{so.reader.pg_line_prefix}, fo, &issues);
  if (!reader.has_value()) {
    std::fprintf(stderr, "%s\n", FormatIssue(ReadIssue{reader.error(), o.paths[0], "", true}).c_str());
    return kExitNoInput;
  }
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGPIPE, SIG_IGN);
  EventBatch batch;
  std::string text;
  uint64_t events = 0;
  for (;;) {
    batch.Reset();
    const bool more = reader.value()->Next(&batch, 1024);
    text.clear();
    for (size_t i = 0; i < batch.size(); ++i) {
      AppendEventJson(batch[i], &text);
      text.push_back('\n');
    }
    events += batch.size();
    if (!text.empty()) {
      std::fwrite(text.data(), 1, text.size(), out);
      std::fflush(out);
      if (std::ferror(out)) reader.value()->Stop();  // the reader of our output went away
    }
    if (g_stop.load()) reader.value()->Stop();
    if (!more) break;
  }
  if (out != stdout) std::fclose(out);
  if (issues.fatal() > 0 && events == 0) return kExitNoInput;
  return issues.total() > 0 ? kExitInputIssues : kExitOk;
}

int RunDump(const DumpOptions& o) {
  if (o.follow) return RunFollow(o);
  ScanOptions so;
  ToScanOptions(o.input, &so);
  FILE* out = stdout;
  if (o.output != "-") {
    out = std::fopen(o.output.c_str(), "wb");
    if (!out) {
      std::fprintf(stderr, "inari dump: cannot write %s\n", o.output.c_str());
      return kExitUsage;
    }
  }
  IssueLog issues;
  PrintIssuesTo(&issues, false);  // dump always reports damage: it is a debugging tool
  Scanner scanner(so, &issues);
  ScanSummary s;
  {
    ProgressBar bar(&scanner.progress(), !o.input.quiet && o.output != "-");
    s = scanner.Run(
        o.paths,
        [](int, const EventBatch& batch, std::string* text) {
          for (size_t i = 0; i < batch.size(); ++i) {
            AppendEventJson(batch[i], text);
            text->push_back('\n');
          }
        },
        [out](std::string_view text) { std::fwrite(text.data(), 1, text.size(), out); });
  }
  if (out != stdout) std::fclose(out);
  else std::fflush(stdout);
  return ExitCodeFor(s, issues);
}

}  // namespace

void RegisterDump(CLI::App* app) {
  auto* o = new DumpOptions();  // lives for the process
  CLI::App* cmd = app->add_subcommand("dump", "Print events as JSON Lines in inari's field naming");
  cmd->footer(
      "Examples:\n"
      "  inari dump Security.evtx | head\n"
      "  inari dump --shape ecs winlogbeat.jsonl.gz -o events.jsonl\n"
      "  inari dump /var/log/postgresql/postgresql-15-main.log\n"
      "  inari dump --follow --pg-prefix '%m [%p] %q%u@%d ' /var/log/postgresql/postgresql-15-main.log\n"
      "Output keeps input order (record order within a file, files in the order given)\n"
      "whatever --threads is. Damaged chunks/records/lines are reported on stderr.");
  AddInputOptions(cmd, &o->input);
  cmd->add_option("-o,--output", o->output, "Write to this file instead of stdout");
  cmd->add_flag("-f,--follow", o->follow,
                "Follow one growing PostgreSQL log (stderr, csvlog or jsonlog) until Ctrl-C; rotation-safe "
                "(renamed and recreated, or truncated)");
  cmd->add_flag("--from-end", o->from_end, "With --follow: start at the current end of the file, like tail -f");
  cmd->add_option("--poll-ms", o->poll_ms, "With --follow: how often to look for new text")->check(CLI::Range(10, 60000));
  cmd->add_option("paths", o->paths, "EVTX / JSON / PostgreSQL log files or directories")->required();
  cmd->callback([o] { throw CLI::RuntimeError(RunDump(*o)); });
}

}  // namespace inari::cli
