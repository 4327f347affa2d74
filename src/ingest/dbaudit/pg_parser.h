// The parsing core shared by the whole-file and the follow readers: turns a
// span of PostgreSQL log text into events, entry by entry, and tells how far
// it got so that a follower can keep an unfinished entry for later.
//
// Ownership: events point into [p, end) and the batch arena; the caller keeps
// the text alive (Retain) for as long as the batch. Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "ingest/dbaudit/pg_log.h"
#include "ingest/dbaudit/pg_prefix.h"
#include "ingest/dbaudit/pg_record.h"

namespace inari::pg {

class Parser {
 public:
  Parser(PgLogFormat format, const PgLogOptions& options, std::string source, IssueReporter* reporter);
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Reads entries from [p, end) into `batch` (events get origin source
  // `source_index`, line numbers counted from the first call) until about
  // `max_events` were added. `readable_end` ≥ end + 64: bytes past `end` that
  // may be read (simdjson's padding). With `final` false an entry that may
  // continue past `end` (a line without its newline, a stderr entry that
  // may still get DETAIL lines, an open CSV quote) is left unread. Returns
  // the first byte not consumed.
  const char* Parse(const char* p, const char* end, const char* readable_end, bool final, EventBatch* batch,
                    uint32_t source_index, size_t max_events);

  // Line numbers start again at 1 (a new file after a rotation).
  void RestartLines() { line_ = 1; }
  uint64_t line() const { return line_; }
  PgLogFormat format() const { return format_; }
  const std::string& prefix_text() const { return prefix_.text(); }
  bool prefix_known() const { return prefix_ready_ && have_prefix_; }
  // Reports the count of issues beyond the per-source limit, once.
  void Finish();
  uint64_t entries() const { return entries_; }

 private:
  struct Parsed {
    const char* at = nullptr;  // line start this parse belongs to
    bool ok = false;
    PrefixFields f;
    Severity sev = Severity::kNone;
    std::string_view word;
    const char* msg = nullptr;
    bool loose = false;  // matched by MatchLoose, not the prefix
  };
  const char* ParseStderr(const char* p, const char* end, bool final, EventBatch* batch, size_t max_events);
  const char* ParseCsv(const char* p, const char* end, bool final, EventBatch* batch, size_t max_events);
  const char* ParseJson(const char* p, const char* end, const char* readable_end, bool final, EventBatch* batch,
                        size_t max_events);
  const Parsed& ParseLine(const char* b, const char* e);
  void PrepareStderr(const char* p, const char* end);
  bool JsonRecord(const char* p, size_t len, size_t capacity, EventBatch* batch, Record* r, std::string* why);
  void Emit(Record& r, EventBatch* batch, uint64_t line);
  void Report(Status s, uint64_t line);

  PgLogFormat format_;
  PgLogOptions options_;
  std::string source_;
  IssueReporter* reporter_;
  uint32_t source_index_ = 0;
  uint64_t line_ = 1;
  uint64_t entries_ = 0;
  uint64_t reports_ = 0;
  bool finished_ = false;
  // stderr
  bool prefix_ready_ = false;
  bool have_prefix_ = false;
  LinePrefix prefix_;
  Parsed cache_[2];
  int cache_next_ = 0;
  bool skip_tabs_ = false;
  bool loose_reported_ = false;
  bool zone_reported_ = false;
  // stderr: client and application of open sessions, by process id, learned
  // from "connection received/authorized" (copies: follow buffers go away).
  struct Session {
    std::string client, client_port, application;
  };
  std::unordered_map<int64_t, Session> sessions_;
  // jsonlog: the simdjson parser, reused
  struct Json;
  std::unique_ptr<Json> json_;
};

}  // namespace inari::pg
