// inari simulate: a simulated Windows enterprise with injected attack
// campaigns and their ground truth (docs/simulate.md).
//
// Simulate() builds an enterprise from the options (sites, domain controllers,
// servers, workstations, users with roles and peer groups, service and machine
// accounts), plays D days of ordinary business and the planned campaigns into
// it and streams the Windows events to OUT/events/YYYY-MM-DD/GROUP.jsonl[.gz]
// as JSON Lines in inari's flat field naming (what `inari dump` prints). It
// also writes OUT/inventory.json, OUT/ground_truth.json and
// OUT/GROUND_TRUTH.md.
//
// Determinism: the same options (whatever `threads`) give byte-identical
// output. Memory: one day of one pass's events at a time (passes split the
// hosts; see simulate.md).
// Thread-safety: Simulate() may be called from any thread; it starts
// `threads` workers of its own and never prints.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "inari/status.h"

namespace inari::sim {

struct SimulateOptions {
  uint32_t hosts = 1000;          // total machines (DCs, servers, workstations)
  uint32_t days = 14;
  std::string start = "2025-03-03";  // first day (UTC date, YYYY-MM-DD)
  uint64_t seed = 1;
  int32_t campaigns = -1;         // -1: one per 1,000 hosts, at least 2
  uint32_t warmup_days = 7;       // no campaign starts before this day
  std::string out_dir = "sim-out";
  int threads = 1;
  bool gzip = false;
  // Hosts per pass (memory bound); 0 picks a default. Does not change output.
  uint32_t hosts_per_pass = 0;
};

struct SimulateSummary {
  uint32_t hosts = 0, users = 0, service_accounts = 0, campaigns = 0;
  uint64_t events = 0, campaign_events = 0, files = 0, bytes = 0;
  double seconds = 0;
};

// Called now and then from worker threads with events written so far (may be null).
using SimulateProgress = std::function<void(uint64_t events_done)>;

[[nodiscard]] Status Simulate(const SimulateOptions& options, SimulateSummary* summary,
                              const SimulateProgress& progress = {});

}  // namespace inari::sim
