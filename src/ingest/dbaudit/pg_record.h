// One PostgreSQL log entry, whatever file format it came from, and how it
// becomes an inari event (field names: docs/dbaudit.md).
//
// The three readers (stderr, csvlog, jsonlog) fill a Record with views into
// their input; EmitRecord() classifies the message (pgaudit AUDIT records,
// connections, authorizations, disconnections, failed logins, statements,
// durations, errors) and appends one event. Also here: the CSV splitter shared
// by csvlog rows and pgaudit's CSV-in-a-message, and the pgaudit parser.
//
// Ownership: Record and AuditFields hold views into the input or into the
// batch arena they were unescaped into; events keep pointing into both, so a
// reader Retain()s its input in every batch. Not thread-safe per batch;
// FieldIds are interned once per process and safe to share.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/arena.h"
#include "inari/event.h"
#include "inari/status.h"
#include "ingest/dbaudit/pg_prefix.h"

namespace inari::pg {

struct Record {
  PrefixFields f;                // time, session, user…: from the prefix or the csv/json columns
  Severity severity = Severity::kNone;
  std::string_view severity_word;  // as logged ("LOG", "DEBUG", "ERROR")
  std::string_view message;
  std::string_view detail, hint, context, statement, internal_query, location;
};

// pgaudit's "AUDIT: " message, split (pgaudit README, "Format"). Empty views
// are fields pgaudit left empty.
struct AuditFields {
  std::string_view audit_type;  // SESSION | OBJECT
  uint64_t statement_id = 0;
  uint64_t substatement_id = 0;
  std::string_view klass, command, object_type, object_name;
  bool has_statement = false;   // pgaudit.log_statement = on (the default)
  std::string_view statement;   // "<previously logged>" with log_statement_once
  std::string_view parameters;  // "<not logged>", "<none>", or the CSV list of values (unquoted once)
  bool has_rows = false;        // pgaudit.log_rows = on
  uint64_t rows = 0;
};

// Parses the text after "AUDIT: ". Fields are views into `text`, or, when a
// quoted field holds doubled quotes, unescaped into `arena`. Returns false
// (with *why set) when the text is not a pgaudit record.
bool ParseAudit(std::string_view text, Arena* arena, AuditFields* out, const char** why);

// Splits one CSV record (RFC 4180: quoted fields may hold commas, newlines and
// doubled quotes) starting at p. Stops after the newline that ends the record
// when `stop_at_newline`, else at `end`. Writes at most `max` fields (more
// fields are counted, not stored) and returns the field count.
struct CsvSplit {
  const char* next = nullptr;  // first byte after the record (after its newline)
  size_t fields = 0;
  size_t newlines = 0;         // newlines inside quoted fields
  enum End { kNewline, kEnd, kOpenQuote, kBadQuote } how = kEnd;
};
CsvSplit SplitCsv(const char* p, const char* end, bool stop_at_newline, Arena* arena, std::string_view* out,
                  size_t max);

// What a stderr reader remembers of a session (by process id) from its
// connection lines, for the entries whose prefix lacks it.
struct SessionHint {
  std::string_view client, client_port, application;
};
// What EmitRecord found in an entry.
struct Emitted {
  std::string_view type;  // EventType
  std::string_view client, client_port, application;
  const char* audit_error = nullptr;  // set for a malformed pgaudit message
};

// Appends the event of `r` to `batch`. A malformed pgaudit message still
// gives an event (EventType "log", the text in Message). `hint` (may be null)
// fills Client, ClientPort and Application when the entry has none.
void EmitRecord(const Record& r, const SessionHint* hint, EventBatch* batch, const EventOrigin& origin,
                Emitted* out);

// "H:MM:SS.fff" (disconnection session time) → seconds; false if malformed.
bool ParseSessionTime(std::string_view s, double* seconds);

}  // namespace inari::pg
