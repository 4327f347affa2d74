// JSON readers: Windows events exported as JSON (evtx_dump/Hayabusa/SigmaHQ
// regression JSON, Winlogbeat/Elastic Agent ECS, OTRF Security-Datasets and
// inari's own `dump`), as JSON Lines, a JSON array of objects, or concatenated
// (also pretty-printed) documents, possibly inside .gz, .zip or .tar(.gz).
// Field naming and typing: json_record.h and docs/formats.md ("JSON input").
//
// Damage never stops a reader: a malformed record is reported to the
// IssueReporter as ParseError with where = "line N" (the line on which the
// record starts) and skipped; reading resumes with the next record (for a
// record cut short, at the next line that starts a record at the same or a
// smaller indentation). After 100 reports for one source the rest are counted
// and summed up in one report at its end.
// Ownership: events point into the input text (strings without escapes) and
// into the batch's arena; every batch a reader fills Retain()s the text.
// Thread-safety: a reader is used by one thread at a time; it owns its simdjson
// parser and field-name caches.
#pragma once

#include <memory>
#include <string>

#include "ingest/reader.h"

namespace inari {

// Reads JSON events from an in-memory buffer (JSON Lines, a JSON array of
// objects, or concatenated/pretty-printed documents). `data` need not be
// padded: it is used in place when its spare capacity leaves room for
// simdjson's padding, else copied once. A buffer holding gzip/zip/tar data is
// read as an archive. `reporter` may be null.
std::unique_ptr<Reader> NewJsonReader(std::string source_name, std::shared_ptr<const std::string> data, JsonShape shape,
                                      IssueReporter* reporter);

// Opens `path`: plain JSON text of any name, gzip (by its magic bytes), and
// archives (.zip, .tar, .tar.gz/.tgz, and what else libarchive reads, by
// content) whose members are read one after another as JSON with source names
// "archive.zip:member.json". Members are read when named *.json, *.jsonl,
// *.ndjson or when their text starts with '{' or '['; others (.yaml, .md, .csv,
// directories, macOS "._" files) are skipped silently. A damaged member is
// reported and skipped, the rest still read. Fails only when the file cannot be
// opened or is UTF-16 text (NotSupported); such failures are returned, not reported.
Result<std::unique_ptr<Reader>> OpenJsonReader(const std::string& path, JsonShape shape, IssueReporter* reporter);

}  // namespace inari
