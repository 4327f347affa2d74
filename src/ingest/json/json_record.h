// RecordParser — turns one JSON document (an object) into one inari event.
//
// It maps the shapes of JsonShape onto Sigma's Windows field names; the
// mapping is documented in docs/formats.md ("JSON input"). In short:
//   kEvtxDump  {"Event":{"System":{..},"EventData":{..},"UserData":{..}}}: a System child X
//              becomes X, its attributes X_A; EventData/UserData leaves keep their own
//              names, attributes of non-System elements become Element_Attr (not xmlns*).
//   kEcs       winlog.* onto the System names, winlog.event_data.X as X, @timestamp as
//              TimeCreated_SystemTime; other ECS fields are dropped. Winlogbeat 6's
//              top-level event_id/log_name/event_data… are read the same way.
//   kFlat      top-level keys as fields; OTRF/nxlog names renamed (Hostname → Computer…),
//              nxlog/Logstash transport keys dropped from records nxlog shipped.
//   kAuto      per record: "Event" object → kEvtxDump, "winlog" or "event_data" object
//              → kEcs, top-level "EventID" → kFlat, anything else: every key kept,
//              nested objects flattened with '.'-joined paths.
// Typing follows the JSON (integers ≥ 0 → UInt, < 0 → Int, floats → Double, …) except
// for well-known System fields, typed as the EVTX reader types them
// (event/normalize.h; GUIDs with or without braces → Guid), and evtx_dump's
// brace-less GUID text, which is a GUID again.
//
// One RecordParser per thread (it owns a simdjson parser and caches of field
// ids, reused for every record). Strings in the events it makes point into the
// document text (no escapes) or into the batch's arena: the caller keeps the
// text alive for as long as the batch (EventBatch::Retain).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "ingest/reader.h"

namespace inari::json {

class RecordParser {
 public:
  explicit RecordParser(JsonShape shape);
  ~RecordParser();
  RecordParser(const RecordParser&) = delete;
  RecordParser& operator=(const RecordParser&) = delete;

  // Parses the text [p, p + len) as one JSON object and appends one event to
  // `batch`. `readable` bytes from p must be readable memory (len + at least
  // kInputPadding). On failure nothing is appended and the parse error is
  // returned (ParseError, message without payload data). Text that is not
  // valid UTF-8 is read as Latin-1 (Windows exports); `*repaired_utf8` is then
  // set to true.
  Status Parse(const char* p, size_t len, size_t readable, EventBatch* batch, const EventOrigin& origin,
               bool* repaired_utf8);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inari::json
