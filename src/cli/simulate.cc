// inari simulate — a simulated Windows enterprise with injected campaigns and
// ground truth (docs/simulate.md).
#include <fmt/format.h>

#include <unistd.h>

#include <cstdio>

#include "cli/common.h"
#include "simulate/simulate.h"

namespace inari::cli {

namespace {

int RunSimulate(const sim::SimulateOptions& o, bool quiet) {
  sim::SimulateSummary s;
  sim::SimulateProgress progress;
  // A progress line only on a terminal; piped stderr stays clean.
  const bool tty = !quiet && ::isatty(2);
  if (tty)
    progress = [](uint64_t events) { std::fprintf(stderr, "\rinari simulate: %llu events", (unsigned long long)events); };
  Status st = sim::Simulate(o, &s, progress);
  if (tty) std::fprintf(stderr, "\n");
  if (!st.ok()) {
    std::fprintf(stderr, "inari simulate: %s\n", st.ToString().c_str());
    return st.code() == Code::kInvalidArgument ? kExitUsage : kExitNoInput;
  }
  std::printf("%s", fmt::format("hosts {}  users {}  service accounts {}  campaigns {} ({} injected events)\n"
                                "events {}  files {}  bytes {} ({:.1f} MB)  seconds {:.1f}  events/s {:.0f}\n"
                                "output {}/ (events/, ground_truth.json, inventory.json, GROUND_TRUTH.md)\n",
                                s.hosts, s.users, s.service_accounts, s.campaigns, s.campaign_events, s.events,
                                s.files, s.bytes, double(s.bytes) / 1e6, s.seconds,
                                s.seconds > 0 ? double(s.events) / s.seconds : 0.0, o.out_dir)
                        .c_str());
  return kExitOk;
}

}  // namespace

void RegisterSimulate(CLI::App* app) {
  auto* o = new sim::SimulateOptions();  // lives for the process
  auto* quiet = new bool(false);
  CLI::App* cmd = app->add_subcommand(
      "simulate", "Generate a simulated Windows enterprise's event logs with injected attack campaigns");
  cmd->footer(
      "Examples:\n"
      "  inari simulate --out /tmp/corp                        1,000 hosts, 14 days, 2 campaigns\n"
      "  inari simulate --hosts 10000 --days 30 --threads 2 --gzip --out /data/corp10k\n"
      "  inari simulate --hosts 200 --days 10 --campaigns 3 --warmup-days 3 --seed 7 --out sim\n"
      "  inari hunt sim/events                                 hunt through the result\n"
      "Output: OUT/events/YYYY-MM-DD/{dc,servers-NN,workstations-NN}.jsonl[.gz] (flat JSON Lines,\n"
      "the shape 'inari dump' prints), OUT/ground_truth.json, OUT/inventory.json, OUT/GROUND_TRUTH.md.\n"
      "The same options and seed give byte-identical output, whatever --threads is.");
  cmd->add_option("--hosts", o->hosts, "Number of machines (DCs, servers, workstations)")->default_val(1000);
  cmd->add_option("--days", o->days, "Days to simulate")->default_val(14);
  cmd->add_option("--start", o->start, "First day (UTC), YYYY-MM-DD")->default_val("2025-03-03");
  cmd->add_option("--seed", o->seed, "Random seed")->default_val(1);
  cmd->add_option("--campaigns", o->campaigns, "Number of injected campaigns (-1: 1 per 1,000 hosts, at least 2)")
      ->default_val(-1);
  cmd->add_option("--warmup-days", o->warmup_days, "Days of ordinary business before any campaign starts")
      ->default_val(7);
  cmd->add_option("-o,--out", o->out_dir, "Output directory (must not hold events/ yet)")->default_val("sim-out");
  cmd->add_option("-j,--threads", o->threads, "Worker threads (output does not depend on it)")->default_val(1);
  cmd->add_flag("--gzip", o->gzip, "Write .jsonl.gz files (zlib level 1)");
  cmd->add_flag("-q,--quiet", *quiet, "No progress on stderr");
  cmd->callback([o, quiet] { throw CLI::RuntimeError(RunSimulate(*o, *quiet)); });
}

}  // namespace inari::cli
