// IssueLog — the thread-safe IssueReporter the engine uses: counts issues by
// error code, keeps the first `keep` of them for the summary, and forwards each
// to an optional callback (the CLI prints them). The callback runs under the
// log's mutex, so it sees issues one at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "ingest/reader.h"

namespace inari {

class IssueLog final : public IssueReporter {
 public:
  explicit IssueLog(size_t keep = 1000) : keep_(keep) {}
  void set_callback(std::function<void(const ReadIssue&)> fn) { callback_ = std::move(fn); }
  void Report(const ReadIssue& issue) override;

  std::map<Code, uint64_t> counts() const;
  uint64_t total() const;
  uint64_t fatal() const;
  std::vector<ReadIssue> kept() const;

 private:
  mutable std::mutex mu_;
  size_t keep_;
  std::map<Code, uint64_t> counts_;
  uint64_t total_ = 0;
  uint64_t fatal_ = 0;
  std::vector<ReadIssue> kept_;
  std::function<void(const ReadIssue&)> callback_;
};

}  // namespace inari
