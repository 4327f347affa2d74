// Scanner — reads many input files on several threads and hands every batch
// of events to a consumer.
//
// Work is split into units: a range of chunks of an EVTX file (so one large
// file spreads over all threads) or one whole JSON file/archive. Workers take
// units in order; each unit's output text is written in unit order, so the
// output of a scan is the same whatever the thread count (a bounded reorder
// window keeps memory flat). Without a writer (hunt: consumers keep their own
// results) units are not handed over at all. Progress counters may be read at
// any time from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/issue_log.h"
#include "ingest/discover.h"
#include "ingest/reader.h"

namespace inari {

struct ScanOptions {
  int threads = 1;                 // 0: one per core
  ReaderOptions reader;
  size_t batch_events = 1024;      // events per batch handed to the consumer
  size_t evtx_chunks_per_unit = 16;
};

struct ScanProgress {
  std::atomic<uint64_t> files_total{0};
  std::atomic<uint64_t> files_done{0};
  std::atomic<uint64_t> bytes_total{0};
  std::atomic<uint64_t> bytes_done{0};
  std::atomic<uint64_t> events{0};
};

struct ScanSummary {
  uint64_t files = 0;          // supported files found
  uint64_t files_failed = 0;   // files that could not be opened at all
  uint64_t skipped_unsupported = 0;
  uint64_t events = 0;
  uint64_t bytes = 0;
  double seconds = 0;
  int threads = 1;
};

// Called for each batch on the worker thread that read it. `worker` is in
// [0, threads). Text appended to `out` is written by the writer in unit order.
using BatchConsumer = std::function<void(int worker, const EventBatch& batch, std::string* out)>;
using OutputWriter = std::function<void(std::string_view text)>;

class Scanner {
 public:
  Scanner(ScanOptions options, IssueLog* issues) : options_(std::move(options)), issues_(issues) {}
  int threads() const;
  // Discovers `paths` and scans every supported file. `write` may be empty:
  // then `out` is discarded and workers never wait for each other.
  ScanSummary Run(const std::vector<std::string>& paths, const BatchConsumer& consume, const OutputWriter& write);
  const ScanProgress& progress() const { return progress_; }

 private:
  ScanOptions options_;
  IssueLog* issues_;
  ScanProgress progress_;
};

}  // namespace inari
