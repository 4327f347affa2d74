// bench/pglog/pglog_bench.cc — inari's PostgreSQL log reader alone, one thread:
// opens each FILE through OpenReader (format and log_line_prefix detected, as
// `inari dump` does), pulls every event into a reused batch of 4096, and prints
//   {"impl":"inari","events":N,"bytes":B,"seconds":S,"issues":I}
// Usage: bench_pglog [--repeat K] FILE...
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/reader.h"

namespace {
struct CountingReporter : inari::IssueReporter {
  uint64_t n = 0;
  void Report(const inari::ReadIssue&) override { ++n; }
};
}  // namespace

int main(int argc, char** argv) {
  int repeat = 1;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) repeat = std::atoi(argv[++i]);
    else files.emplace_back(argv[i]);
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: bench_pglog [--repeat K] FILE...\n");
    return 2;
  }
  CountingReporter reporter;
  inari::EventBatch batch;
  uint64_t events = 0, bytes = 0, fields = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < repeat; ++r) {
    for (const std::string& f : files) {
      auto reader = inari::OpenReader(f, inari::ReaderOptions{}, &reporter);
      if (!reader.has_value()) {
        std::fprintf(stderr, "bench_pglog: %s\n", reader.error().ToString().c_str());
        return 1;
      }
      bytes += std::filesystem::file_size(f);
      for (;;) {
        batch.Reset();
        const bool more = reader.value()->Next(&batch, 4096);
        events += batch.size();
        fields += batch.field_count();
        if (!more) break;
      }
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"impl\":\"inari\",\"events\":%llu,\"fields\":%llu,\"bytes\":%llu,\"seconds\":%.4f,\"issues\":%llu}\n",
              static_cast<unsigned long long>(events), static_cast<unsigned long long>(fields),
              static_cast<unsigned long long>(bytes), s, static_cast<unsigned long long>(reporter.n));
  return 0;
}
