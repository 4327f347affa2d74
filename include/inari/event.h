// inari's event model: flat events with interned field names.
//
// An event is a list of (FieldId, Value) pairs plus a small header (time,
// record id, where it came from). Field names follow Sigma's Windows naming
// whatever the input (docs/event-model.md): <System> attributes joined with
// '_' (Provider_Name, TimeCreated_SystemTime), EventID, Channel, Computer, and
// each <Data Name="X"> as X. A name may repeat in one event (arrays, unnamed
// <Data>): a field is then multi-valued and a test matches any of its values.
//
// Ownership: events live in an EventBatch. Values point into the batch's arena
// or into input buffers the batch keeps alive (a mapped EVTX file, a JSON
// buffer). Every EventView, Value and string_view taken from a batch is valid
// until EventBatch::Reset() or the batch's destruction.
// Thread-safety: a batch is filled by one thread; once filled, it may be read
// by many threads at once. The FieldId registry is safe for concurrent use.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/arena.h"

namespace inari {

// ---- Field names --------------------------------------------------------

using FieldId = uint32_t;
inline constexpr FieldId kNoField = UINT32_MAX;

// Well-known fields have fixed ids, registered before any other name.
namespace field {
enum : FieldId {
  kEventID = 0,
  kEventIDQualifiers,
  kVersion,
  kLevel,
  kTask,
  kOpcode,
  kKeywords,
  kTimeCreatedSystemTime,
  kEventRecordID,
  kCorrelationActivityID,
  kCorrelationRelatedActivityID,
  kExecutionProcessID,
  kExecutionThreadID,
  kChannel,
  kComputer,
  kSecurityUserID,
  kProviderName,
  kProviderGuid,
  kProviderEventSourceName,
  kData,  // unnamed <Data> elements
  kBinary,
  kNumWellKnown
};
}  // namespace field

// Interns a field name; the same name always gives the same id in a process.
FieldId InternField(std::string_view name);
// Id of an already interned name, or kNoField.
FieldId FindField(std::string_view name);
// Name of an id (valid for the process lifetime).
std::string_view FieldName(FieldId id);

// ---- Values -------------------------------------------------------------

// How a value was typed by its source. Text of every type is canonical and
// documented in docs/event-model.md (e.g. kHex renders "0x1a", kGuid
// "{01234567-89AB-...}" upper case, kTime "2024-01-02T03:04:05.1234567Z").
enum class ValueType : uint8_t {
  kNull,    // element present, no content
  kString,  // UTF-8 text
  kInt,     // signed integer
  kUInt,    // unsigned integer
  kHex,     // unsigned integer shown in hex (HexInt32/64, size_t, Keywords)
  kBool,
  kDouble,
  kTime,    // UTC nanoseconds since the Unix epoch
  kGuid,    // 16 raw bytes, Windows GUID layout
  kSid,     // raw NT SID bytes
  kBinary,  // raw bytes, rendered as upper-case hex
};

std::string_view ValueTypeName(ValueType t);

struct Value {
  union {
    int64_t i;
    uint64_t u;
    double d;
    const char* s;  // kString, kGuid, kSid, kBinary (bytes)
  };
  uint32_t size = 0;  // byte length for pointer types
  ValueType type = ValueType::kNull;

  Value() : u(0) {}
  static Value Null() { return Value(); }
  static Value String(std::string_view v) { Value x; x.type = ValueType::kString; x.s = v.data(); x.size = static_cast<uint32_t>(v.size()); return x; }
  static Value Int(int64_t v) { Value x; x.type = ValueType::kInt; x.i = v; return x; }
  static Value UInt(uint64_t v) { Value x; x.type = ValueType::kUInt; x.u = v; return x; }
  static Value Hex(uint64_t v) { Value x; x.type = ValueType::kHex; x.u = v; return x; }
  static Value Bool(bool v) { Value x; x.type = ValueType::kBool; x.u = v; return x; }
  static Value Double(double v) { Value x; x.type = ValueType::kDouble; x.d = v; return x; }
  static Value Time(int64_t ns) { Value x; x.type = ValueType::kTime; x.i = ns; return x; }
  static Value Bytes(ValueType t, const void* p, size_t n) { Value x; x.type = t; x.s = static_cast<const char*>(p); x.size = static_cast<uint32_t>(n); return x; }

  bool is_null() const { return type == ValueType::kNull; }
  bool is_string() const { return type == ValueType::kString; }
  bool is_integer() const { return type == ValueType::kInt || type == ValueType::kUInt || type == ValueType::kHex; }
  std::string_view str() const { return {s, size}; }  // kString (and raw bytes of pointer types)
  // The integer of an integer-typed value, or of a string holding a decimal or
  // 0x-hex integer; false if the value is no integer.
  bool AsInt64(int64_t* out) const;

  // Canonical text (kNull appends nothing).
  void AppendText(std::string* out) const;
  std::string ToText() const;
};

struct Field {
  FieldId id;
  Value value;
};

// ---- Events -------------------------------------------------------------

// Where an event came from, for reports: the source (file, archive member) and
// a position in it: EVTX "chunk 3, offset 0x1a0"; text formats "line 12".
struct EventOrigin {
  uint32_t source = 0;      // index into EventBatch::sources()
  uint32_t chunk = 0;       // EVTX chunk index (0 for text formats)
  uint64_t offset = 0;      // EVTX record offset in file; text: line number
};

class EventBatch;

// A read-only view of one event. Valid until its batch is Reset().
class EventView {
 public:
  EventView() = default;
  int64_t time() const { return time_; }            // UTC ns or kNoTime
  uint64_t record_id() const { return record_id_; }  // EventRecordID, 0 if unknown
  const EventOrigin& origin() const { return origin_; }
  std::span<const Field> fields() const { return {fields_, num_fields_}; }
  // First value of a field, or nullptr. Linear scan: events have tens of fields.
  const Value* Get(FieldId id) const {
    for (uint32_t i = 0; i < num_fields_; ++i)
      if (fields_[i].id == id) return &fields_[i].value;
    return nullptr;
  }
  // The EventID as an integer, or -1.
  int64_t event_id() const;

 private:
  friend class EventBatch;
  const Field* fields_ = nullptr;
  uint32_t num_fields_ = 0;
  int64_t time_ = 0;
  uint64_t record_id_ = 0;
  EventOrigin origin_;
};

// Owns the memory of a group of events. Readers fill it; consumers read it.
// Reuse one batch per thread (Reset between uses) so steady state allocates
// nothing.
class EventBatch {
 public:
  EventBatch() = default;
  EventBatch(const EventBatch&) = delete;
  EventBatch& operator=(const EventBatch&) = delete;

  // Drops all events, strings and buffer references.
  void Reset();

  // ---- building (one thread) ----
  void BeginEvent() { cur_start_ = static_cast<uint32_t>(fields_.size()); }
  void Add(FieldId id, const Value& v) { fields_.push_back(Field{id, v}); }
  void AddString(FieldId id, std::string_view s) { Add(id, Value::String(s)); }
  // Ends the current event. If `time` is kNoTime, the time is taken from
  // TimeCreated_SystemTime when present.
  void EndEvent(int64_t time, uint64_t record_id, const EventOrigin& origin);
  // Drops the fields added since BeginEvent (a record that failed midway).
  void AbandonEvent() { fields_.resize(cur_start_); }
  size_t current_field_count() const { return fields_.size() - cur_start_; }
  std::span<const Field> current_fields() const { return {fields_.data() + cur_start_, fields_.size() - cur_start_}; }

  Arena* arena() { return &arena_; }
  std::string_view CopyString(std::string_view s) { return arena_.Copy(s); }
  // Keeps an input buffer alive as long as the batch's events point into it.
  void Retain(std::shared_ptr<const void> buffer);
  // Registers a source name (file path, "archive.zip:member.json"); returns
  // its index for EventOrigin::source.
  uint32_t AddSource(std::string name);

  // ---- reading ----
  size_t size() const { return events_.size(); }
  bool empty() const { return events_.empty(); }
  EventView operator[](size_t i) const;
  const std::string& source(uint32_t i) const { return sources_[i]; }
  const std::vector<std::string>& sources() const { return sources_; }
  size_t field_count() const { return fields_.size(); }
  size_t memory_bytes() const;

 private:
  struct Header {
    uint32_t first;
    uint32_t count;
    int64_t time;
    uint64_t record_id;
    EventOrigin origin;
  };
  Arena arena_;
  std::vector<Field> fields_;
  std::vector<Header> events_;
  std::vector<std::string> sources_;
  std::vector<std::shared_ptr<const void>> retained_;
  uint32_t cur_start_ = 0;
};

// Writes one event as a single-line JSON object in inari's field naming:
// integers as numbers, booleans as booleans, null as null, everything else as
// canonical text; a repeated name becomes an array.
void AppendEventJson(const EventView& e, std::string* out);

}  // namespace inari
