// Readers turn input files into events.
//
// A Reader is a pull iterator (leveldb log::Reader style): Next() appends events
// to a batch until the input is exhausted. Damage in the input never stops
// reading: each bad chunk, record or line is sent to the IssueReporter with the
// source name and a position, and reading resumes at the next unit that can be
// found. Only "cannot read this source at all" (missing file, not an EVTX/JSON
// file) is fatal for that source, and it is reported the same way.
// Thread-safety: a Reader is used by one thread at a time. A reporter may be
// called from several readers on several threads and must be thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "inari/event.h"
#include "inari/result.h"
#include "inari/status.h"

namespace inari {

// One problem found while reading. `where` locates it in the source:
// "chunk 3 (offset 0x31000)", "record 0x3f2a0 in chunk 3", "line 17".
struct ReadIssue {
  Status status;         // code + message (never contains event payloads)
  std::string source;    // file path, "archive.zip:member.json"
  std::string where;
  bool fatal = false;    // the whole source could not be read
};

class IssueReporter {
 public:
  virtual ~IssueReporter() = default;
  virtual void Report(const ReadIssue& issue) = 0;
};

class Reader {
 public:
  virtual ~Reader() = default;
  // Appends about `max_events` events to `batch` (which it does not Reset);
  // a reader may finish the unit it is in (an EVTX chunk holds at most a few
  // hundred records) past the limit. Returns false once the input is
  // exhausted; the call that returns false may still have appended events.
  virtual bool Next(EventBatch* batch, size_t max_events) noexcept = 0;
  // Input bytes consumed so far (for progress) and in total (0 if unknown).
  virtual uint64_t bytes_done() const = 0;
  virtual uint64_t bytes_total() const = 0;
};

enum class InputFormat {
  kAuto,
  kEvtx,
  kJson,
  kPgLog,   // PostgreSQL stderr log (log_line_prefix lines), docs/dbaudit.md
  kPgCsv,   // PostgreSQL csvlog
  kPgJson,  // PostgreSQL jsonlog (15+)
};

// Shapes of JSON Windows events (docs/formats.md).
enum class JsonShape {
  kAuto,      // detected per record
  kEvtxDump,  // {"Event":{"System":{...},"EventData":{...}}} (evtx_dump, Hayabusa, SigmaHQ regression JSON)
  kEcs,       // Winlogbeat / Elastic Agent: winlog.event_id, winlog.event_data.*, host.name
  kFlat,      // flat objects: OTRF Security-Datasets (nxlog/Logstash) and inari's own dump
};

struct ReaderOptions {
  InputFormat format = InputFormat::kAuto;
  JsonShape json_shape = JsonShape::kAuto;
  // log_line_prefix of PostgreSQL stderr logs; unset: detected per file.
  std::optional<std::string> pg_line_prefix;
};

// Opens `path` as `options.format` (detected from content when kAuto).
// Archives (.zip, .tar, .tar.gz, .tgz) and .gz files are read transparently
// (a .gz holding a PostgreSQL log is read as one).
Result<std::unique_ptr<Reader>> OpenReader(const std::string& path, const ReaderOptions& options,
                                           IssueReporter* reporter);

}  // namespace inari
