// Shared by the fuzz targets: read everything a reader yields and render every
// value, so rendering code is exercised too.
#pragma once

#include <string>

#include "inari/event.h"
#include "ingest/reader.h"

namespace inari::fuzz {

struct NullReporter : IssueReporter {
  void Report(const ReadIssue& issue) override {
    // Messages must be well-formed text: touch them.
    volatile size_t n = issue.status.ToString().size() + issue.where.size();
    (void)n;
  }
};

inline void Drain(Reader* reader) {
  EventBatch batch;
  std::string text;
  for (int guard = 0; guard < 1000000; ++guard) {
    batch.Reset();
    bool more = reader->Next(&batch, 512);
    for (size_t i = 0; i < batch.size(); ++i) {
      text.clear();
      AppendEventJson(batch[i], &text);
    }
    if (!more) break;
  }
}

}  // namespace inari::fuzz
