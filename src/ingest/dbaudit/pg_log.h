// PostgreSQL server logs and pgaudit records → inari events.
//
// Reads the three log_destination formats: stderr (text lines behind a
// log_line_prefix, continuation lines starting with a tab, DETAIL/HINT/
// CONTEXT/STATEMENT/QUERY/LOCATION lines attached to the message before them),
// csvlog (RFC 4180 rows, 22 to 26 columns: PostgreSQL 8.4 to 15+) and jsonlog
// (PostgreSQL 15, one object per line). Every log entry gives one event; its
// message is classified (pgaudit AUDIT records, connections, failed logins,
// statements, errors…). Field names and examples: docs/dbaudit.md.
//
// Damage never stops a reader: a line or row that cannot be read is reported
// to the IssueReporter as ParseError with where = "line N" (the line on which
// the entry starts) and skipped; reading resumes with the next entry. After 100
// reports for one source the rest are counted and summed up in one report.
//
// Ownership: events point into the input text (zero copy where the text is
// used as logged) and into the batch arena (multi-line messages, unescaped
// quotes); every batch a reader fills Retain()s the text it points into.
// Thread-safety: a reader is used by one thread at a time; FollowReader::Stop()
// may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "inari/result.h"
#include "ingest/archive.h"
#include "ingest/reader.h"

namespace inari {

enum class PgLogFormat { kStderr, kCsv, kJson };
std::string_view PgLogFormatName(PgLogFormat f);

struct PgLogOptions {
  // log_line_prefix of a stderr log; unset: detected from the first lines
  // (ingest/dbaudit/pg_prefix.h lists the prefixes tried). An empty string is
  // the empty prefix.
  std::optional<std::string> line_prefix;
};

// Format of a PostgreSQL log from its first bytes (a few KiB), or nullopt.
// jsonlog: a first object starting {"timestamp":" with an "error_severity" key;
// csvlog: a first row starting with a PostgreSQL timestamp and a comma, with
// ",SEVERITY,SQLSTATE," in it; stderr: most lines carry a severity word
// ("LOG:  ", "ERROR:  "…) and at least one does.
std::optional<PgLogFormat> SniffPgLog(std::string_view head);
// Same for a file, plain or gzip-compressed (the start is decompressed).
std::optional<PgLogFormat> SniffPgLogFile(const std::string& path);

// A reader over text in memory (a whole log file, decompressed or mapped).
std::unique_ptr<Reader> NewPgLogReader(std::string source, PaddedText text, PgLogFormat format,
                                       const PgLogOptions& options, IssueReporter* reporter);

// Opens a PostgreSQL log file (plain or gzip-compressed, as logrotate leaves
// them), format detected from content unless given. Fails (returned, not
// reported) when the file cannot be read or is no PostgreSQL log.
Result<std::unique_ptr<Reader>> OpenPgLogReader(const std::string& path, std::optional<PgLogFormat> format,
                                                const PgLogOptions& options, IssueReporter* reporter);

// Reads a growing log file: what is there, then what is appended, until
// Stop(). Rotation-safe: when the path names a new file (renamed away and
// recreated: a different inode) the old file is read to its end first; a file
// that shrinks (truncated in place, copytruncate) is read again from its start.
// Next() returns true with no events when nothing new arrived within
// `poll_ms`; it returns false only after Stop() (or a fatal error, reported).
// An entry is handed out once it is complete: for stderr logs, when the next
// entry starts or the file stays idle for one poll interval.
class FollowReader : public Reader {
 public:
  virtual void Stop() = 0;
  // Files opened so far (1 + rotations seen), for tests and status lines.
  virtual uint64_t files_opened() const = 0;
};

struct FollowOptions {
  int poll_ms = 200;
  bool from_end = false;  // start at the current end of the file (like tail -f)
};

// Opens `path` for following. The format is detected from the first complete
// line when not given (the file may be empty at first). Fails only when the
// path cannot be opened.
Result<std::unique_ptr<FollowReader>> OpenPgFollowReader(const std::string& path, std::optional<PgLogFormat> format,
                                                         const PgLogOptions& options, const FollowOptions& follow,
                                                         IssueReporter* reporter);

}  // namespace inari
