// inari dump FILE… — events as JSON Lines in inari's field naming.
#include <cstdio>

#include "cli/common.h"
#include "cli/progress.h"

namespace inari::cli {

namespace {

struct DumpOptions {
  InputOptions input;
  std::vector<std::string> paths;
  std::string output = "-";
};

int RunDump(const DumpOptions& o) {
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
      "Output keeps input order (record order within a file, files in the order given)\n"
      "whatever --threads is. Damaged chunks/records/lines are reported on stderr.");
  AddInputOptions(cmd, &o->input);
  cmd->add_option("-o,--output", o->output, "Write to this file instead of stdout");
  cmd->add_option("paths", o->paths, "EVTX / JSON files or directories")->required();
  cmd->callback([o] { throw CLI::RuntimeError(RunDump(*o)); });
}

}  // namespace inari::cli
