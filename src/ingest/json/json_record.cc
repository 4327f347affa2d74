#include "ingest/json/json_record.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/time.h"
#include "base/utf.h"
#include "event/normalize.h"
#include "ingest/archive.h"

namespace inari::json {

namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

static_assert(kInputPadding >= simdjson::SIMDJSON_PADDING, "inputs must be padded for simdjson");

#define INARI_JSON_TRY(expr)                              \
  do {                                                    \
    if (error_code e_ = (expr); e_ != SUCCESS) return e_; \
  } while (0)

// Loops over objects and arrays use simdjson's result in place (value_unsafe() once
// error() is checked): copying it into a local field or value first, as get() does,
// costs a store-forwarding stall per key (perf: ~10% of the time per record).

// Deeper JSON is kept as one field holding its raw JSON text.
constexpr int kMaxDepth = 32;
// A per-reader name cache stops growing here (absurd inputs with random keys).
constexpr size_t kMaxCachedNames = 1 << 16;

// ---- typing of System fields ------------------------------------------------

// Value of each byte as a hex digit, -1 if it is none.
constexpr std::array<int8_t, 256> kHexDigit = [] {
  std::array<int8_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  return t;
}();

// "01234567-89ab-cdef-0123-456789abcdef", optionally in braces, to the 16 bytes
// of a Windows GUID (Data1..3 little-endian). Every record has one or more: the
// digit pairs are at fixed places and read through a table.
bool ParseGuid(std::string_view s, uint8_t out[16]) {
  if (s.size() == 38 && s.front() == '{' && s.back() == '}') s = s.substr(1, 36);
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return false;
  // Text order is big-endian for Data1 (4), Data2 (2), Data3 (2); the raw layout is little-endian.
  static constexpr uint8_t kPos[16] = {6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34};
  uint8_t b[16];
  int bad = 0;
  for (int i = 0; i < 16; ++i) {
    const int hi = kHexDigit[static_cast<uint8_t>(s[kPos[i]])], lo = kHexDigit[static_cast<uint8_t>(s[kPos[i] + 1])];
    bad |= hi | lo;  // negative if either is no digit
    b[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  if (bad < 0) return false;
  std::memcpy(out, b, 16);
  return true;
}

bool LooksLikeBareGuid(std::string_view s) {
  return s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
}

// Well-known System fields given as text or JSON numbers get the types the EVTX
// reader gives them (event/normalize.h), GUIDs included: "{…}" or bare text → kGuid.
Value Typed(FieldId id, const Value& v, Arena* arena) {
  if (id >= field::kNumWellKnown) return v;
  if (id == field::kProviderGuid || id == field::kCorrelationActivityID || id == field::kCorrelationRelatedActivityID) {
    uint8_t g[16];
    if (v.type != ValueType::kString || !ParseGuid(v.str(), g)) return v;
    char* p = arena->Allocate(16);
    std::memcpy(p, g, 16);
    return Value::Bytes(ValueType::kGuid, p, 16);
  }
  return NormalizeWellKnown(id, v);
}

// A GUID-typed value as evtx_dump prints it (no braces) back to a GUID.
Value BareGuid(const Value& v, Arena* arena) {
  uint8_t g[16];
  if (v.type != ValueType::kString || !LooksLikeBareGuid(v.str()) || !ParseGuid(v.str(), g)) return v;
  char* p = arena->Allocate(16);
  std::memcpy(p, g, 16);
  return Value::Bytes(ValueType::kGuid, p, 16);
}

// ---- byte helpers -----------------------------------------------------------------

inline uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint32_t Load4(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// a[0, n) == b[0, n), inline: names are short and a memcmp call per name was a
// tenth of the time per record. Reads only inside both ranges (overlapping words).
inline bool SameBytes(const char* a, const char* b, size_t n) {
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8)
      if (Load8(a + i) != Load8(b + i)) return false;
    return Load8(a + n - 8) == Load8(b + n - 8);
  }
  if (n >= 4) return Load4(a) == Load4(b) && Load4(a + n - 4) == Load4(b + n - 4);
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// Bit 7 of each byte of `w` that equals `c` (exact up to the lowest such byte:
// a borrow may mark bytes above it).
inline uint64_t BytesEqual(uint64_t w, char c) {
  const uint64_t x = w ^ (0x0101010101010101ULL * static_cast<uint8_t>(c));
  return (x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL;
}

// Whether [p, p + n) holds `c`. Short texts (most keys and values) word by word
// inline, long ones through memchr.
inline bool HasByte(const char* p, size_t n, char c) {
  if (n > 32) return std::memchr(p, c, n) != nullptr;
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8)
      if (BytesEqual(Load8(p + i), c)) return true;
    return BytesEqual(Load8(p + n - 8), c) != 0;
  }
  for (size_t i = 0; i < n; ++i)
    if (p[i] == c) return true;
  return false;
}

// ---- name caches --------------------------------------------------------------

struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>()(s); }
};

template <typename T>
class NameCache {
 public:
  template <typename Make>
  const T& Get(std::string_view name, Make&& make) {
    auto it = map_.find(name);
    if (it != map_.end()) return it->second;
    if (map_.size() >= kMaxCachedNames) {
      spill_ = make(name);
      return spill_;
    }
    return map_.emplace(std::string(name), make(name)).first->second;
  }

  // Get for the name at position `pos` of a record: records of one kind
  // repeat their names in the same order, so the name last seen at `pos` is
  // compared first and the hash lookup is skipped when it is the same.
  template <typename Make>
  const T& GetAt(size_t pos, std::string_view name, Make&& make) {
    if (pos < memo_.size()) {
      const Memo& m = memo_[pos];
      if (m.value && m.name.size() == name.size() && SameBytes(m.name.data(), name.data(), name.size()))
        return *m.value;
    } else if (pos < kMaxMemo) {
      memo_.resize(pos + 1);
    }
    auto it = map_.find(name);
    if (it == map_.end()) {
      if (map_.size() >= kMaxCachedNames) {
        spill_ = make(name);
        return spill_;
      }
      it = map_.emplace(std::string(name), make(name)).first;
    }
    if (pos < memo_.size()) memo_[pos] = Memo{it->first, &it->second};  // map nodes do not move
    return it->second;
  }

 private:
  static constexpr size_t kMaxMemo = 512;
  struct Memo {
    std::string_view name;
    const T* value = nullptr;
  };
  std::unordered_map<std::string, T, NameHash, std::equal_to<>> map_;
  std::vector<Memo> memo_;
  T spill_{};
};

// Top-level keys of flat records (OTRF: nxlog → Logstash; inari's own dump).
enum FlatFlag : uint8_t {
  kTransport = 1,       // nxlog/Logstash metadata: dropped in records that carry nxlog markers
  kNxlogMarker = 2,     // its presence marks a record as nxlog-shipped
  kNxlogEventType = 4,  // "EventType": nxlog's own (INFO, AUDIT_SUCCESS) unless EventTypeOrignal exists
  kEventTypeOrig = 8,   // "EventTypeOrignal" [sic]: nxlog moved its EventType here; EventType is the event's
};

struct FlatTarget {
  FieldId id = kNoField;
  uint8_t flags = 0;
  uint8_t time_rank = 0;  // candidates for TimeCreated_SystemTime: the highest rank present wins
};

FlatTarget MakeFlatTarget(std::string_view name) {
  struct Rename {
    std::string_view from;
    FieldId to;
    uint8_t time_rank;
  };
  static constexpr Rename kRenames[] = {
      {"Hostname", field::kComputer, 0},
      {"SourceName", field::kProviderName, 0},
      {"ProviderGuid", field::kProviderGuid, 0},
      {"RecordNumber", field::kEventRecordID, 0},
      {"ExecutionProcessID", field::kExecutionProcessID, 0},
      {"ThreadID", field::kExecutionThreadID, 0},
      {"ExecutionThreadID", field::kExecutionThreadID, 0},
      {"UserID", field::kSecurityUserID, 0},
      {"ActivityID", field::kCorrelationActivityID, 0},
      {"RelatedActivityID", field::kCorrelationRelatedActivityID, 0},
      {"@timestamp", field::kTimeCreatedSystemTime, 1},
      {"TimeGenerated", field::kTimeCreatedSystemTime, 1},  // Azure Sentinel / Log Analytics exports
      {"TimeCreated", field::kTimeCreatedSystemTime, 2},
      {"TimeCreated_SystemTime", field::kTimeCreatedSystemTime, 3},
  };
  static constexpr std::string_view kTransportKeys[] = {"@version",
                                                        "port",
                                                        "host",
                                                        "tags",
                                                        "EventReceivedTime",
                                                        "SourceModuleName",
                                                        "SourceModuleType",
                                                        "EventTypeOrignal",
                                                        "SeverityValue",
                                                        "Severity",
                                                        "EventTime",
                                                        "OpcodeValue",
                                                        "ERROR_EVT_UNRESOLVED"};
  static constexpr std::string_view kMarkers[] = {"@version", "EventReceivedTime", "SourceModuleName",
                                                  "SourceModuleType"};
  FlatTarget t;
  for (const Rename& r : kRenames) {
    if (name == r.from) {
      t.id = r.to;
      t.time_rank = r.time_rank;
      return t;
    }
  }
  t.id = InternField(name);
  for (auto k : kTransportKeys)
    if (name == k) t.flags |= kTransport;
  for (auto k : kMarkers)
    if (name == k) t.flags |= kNxlogMarker;
  if (name == "EventType") t.flags |= kNxlogEventType;
  if (name == "EventTypeOrignal") t.flags |= kEventTypeOrig;
  return t;
}

// Fields of Winlogbeat's winlog object that map onto System names.
FieldId WinlogField(std::string_view key) {
  static const std::unordered_map<std::string_view, FieldId> kMap = {
      {"event_id", field::kEventID},
      {"channel", field::kChannel},
      {"computer_name", field::kComputer},
      {"provider_name", field::kProviderName},
      {"provider_guid", field::kProviderGuid},
      {"record_id", field::kEventRecordID},
      {"version", field::kVersion},
      {"opcode", field::kOpcode},
      {"task", field::kTask},
      {"keywords", field::kKeywords},
      {"activity_id", field::kCorrelationActivityID},
      {"related_activity_id", field::kCorrelationRelatedActivityID},
      {"time_created", field::kTimeCreatedSystemTime},
  };
  auto it = kMap.find(key);
  return it == kMap.end() ? kNoField : it->second;
}

// Top-level fields of Winlogbeat 6 (before the winlog.* namespace) that map onto System names.
FieldId LegacyWinlogField(std::string_view key) {
  static const std::unordered_map<std::string_view, FieldId> kMap = {
      {"event_id", field::kEventID},
      {"log_name", field::kChannel},
      {"computer_name", field::kComputer},
      {"source_name", field::kProviderName},
      {"provider_guid", field::kProviderGuid},
      {"record_number", field::kEventRecordID},
      {"process_id", field::kExecutionProcessID},
      {"thread_id", field::kExecutionThreadID},
      {"user.identifier", field::kSecurityUserID},
      {"version", field::kVersion},
      {"opcode", field::kOpcode},
      {"task", field::kTask},
      {"keywords", field::kKeywords},
      {"activity_id", field::kCorrelationActivityID},
      {"related_activity_id", field::kCorrelationRelatedActivityID},
  };
  auto it = kMap.find(key);
  return it == kMap.end() ? kNoField : it->second;
}

inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

inline bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
inline bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

enum class Kind : uint8_t { kScalar, kObject, kArray };

}  // namespace

// ---- the parser ------------------------------------------------------------------

struct RecordParser::Impl {
  explicit Impl(JsonShape s) : shape(s) {}

  JsonShape shape;
  od::parser parser;
  NameCache<FieldId> plain;
  size_t emit_pos = 0;  // names looked up in `plain` so far in this record
  NameCache<FlatTarget> flat;

  // Per record.
  EventBatch* batch = nullptr;
  const char* doc_begin = nullptr;  // the document text
  const char* doc_end = nullptr;
  struct KeyRef {
    const char* ptr;  // null: offset into key_buf
    uint32_t off;
    uint32_t len;
  };
  struct TopEntry {
    KeyRef key;
    Value value;
    bool top;  // a key of the record itself (not a flattened path)
  };
  std::vector<TopEntry> top;  // top-level keys other than Event/winlog, flattened, in order
  std::vector<FlatTarget> top_targets;
  std::string key_buf;       // flattened paths ("host.name")
  std::string name_buf;      // composed field names ("Provider_Name")
  std::vector<Value> texts;  // "#text" values of open elements (a stack)
  bool saw_event = false, saw_winlog = false, saw_event_id_key = false;
  bool saw_legacy_winlog = false, saw_legacy_key = false;  // Winlogbeat 6: event_data and event_id/log_name
  bool evtx_guids = false;  // inside an evtx_dump Event: bare GUID strings are GUIDs
  bool has_event_id = false, has_computer = false, has_time = false;  // set from winlog

  std::string repair_buf;
  bool not_object = false;

  std::string_view Key(const KeyRef& k) const {
    return k.ptr ? std::string_view(k.ptr, k.len) : std::string_view(key_buf.data() + k.off, k.len);
  }

  void ResetRecord(EventBatch* b) {
    batch = b;
    emit_pos = 0;
    b->BeginEvent();  // mapped fields (Event, winlog) go straight into the batch
    top.clear();
    key_buf.clear();
    texts.clear();
    saw_event = saw_winlog = saw_event_id_key = saw_legacy_winlog = saw_legacy_key = false;
    has_event_id = has_computer = has_time = false;
    evtx_guids = false;
    not_object = false;
  }

  // ---- reading JSON values ----

  error_code ReadKey(od::field& f, std::string_view* out) {
    const char* k = f.key().raw();
    if (k < doc_begin || k >= doc_end) return simdjson::TAPE_ERROR;
    // Fast path: the first '"' or '\\', found a word at a time, is the closing quote
    // inside the document: the key is [k, q) and has no escapes (what the memchr
    // calls below find too, at the cost of two calls per key). Words may reach into
    // the padding after doc_end; hits there do not count.
    for (const char* w = k; w < doc_end; w += 8) {
      const uint64_t word = Load8(w);
      if (const uint64_t hit = BytesEqual(word, '"') | BytesEqual(word, '\\')) {
        const char* q = w + std::countr_zero(hit) / 8;
        if (q < doc_end && *q == '"') {
          *out = std::string_view(k, static_cast<size_t>(q - k));
          return SUCCESS;
        }
        break;
      }
    }
    const char* q = static_cast<const char*>(std::memchr(k, '"', static_cast<size_t>(doc_end - k)));
    if (!q) return simdjson::TAPE_ERROR;
    std::string_view raw(k, static_cast<size_t>(q - k));
    if (!std::memchr(raw.data(), '\\', raw.size())) {
      *out = raw;
      return SUCCESS;
    }
    std::string_view s;
    INARI_JSON_TRY(f.unescaped_key().get(s));
    *out = batch->CopyString(s);
    return SUCCESS;
  }

  // Reads a scalar into *out, or tells that the value is an object or array.
  error_code ReadValue(od::value& v, Value* out, Kind* kind) {
    std::string_view tok = v.raw_json_token();
    // The token runs to the next structural character; in a damaged document that
    // may be past the end: keep it inside.
    if (tok.data() < doc_begin || tok.data() >= doc_end) return simdjson::TAPE_ERROR;
    tok = tok.substr(0, std::min<size_t>(tok.size(), static_cast<size_t>(doc_end - tok.data())));
    if (tok.empty()) return simdjson::TAPE_ERROR;
    *kind = Kind::kScalar;
    switch (tok[0]) {
      case '{':
        *kind = Kind::kObject;
        return SUCCESS;
      case '[':
        *kind = Kind::kArray;
        return SUCCESS;
      case '"': {
        size_t end = tok.size();
        while (end > 1 && IsSpace(tok[end - 1])) --end;
        if (end >= 2 && tok[end - 1] == '"') {
          std::string_view body = tok.substr(1, end - 2);
          if (!HasByte(body.data(), body.size(), '\\')) {
            *out = Value::String(body);  // zero-copy: a view into the input
            return SUCCESS;
          }
        }
        std::string_view s;
        INARI_JSON_TRY(v.get_string().get(s));
        *out = Value::String(batch->CopyString(s));
        return SUCCESS;
      }
      case 't':
      case 'f': {
        bool b;
        INARI_JSON_TRY(v.get_bool().get(b));
        *out = Value::Bool(b);
        return SUCCESS;
      }
      case 'n': {
        bool is_null;
        INARI_JSON_TRY(v.is_null().get(is_null));
        if (!is_null) return simdjson::N_ATOM_ERROR;
        *out = Value::Null();
        return SUCCESS;
      }
      default: {
        od::number n;
        if (v.get_number().get(n) != SUCCESS) {
          // Integers beyond 64 bits keep their text; anything else is an error.
          size_t end = tok.size();
          while (end > 0 && IsSpace(tok[end - 1])) --end;
          std::string_view t = tok.substr(0, end);
          size_t i = !t.empty() && t[0] == '-' ? 1 : 0;
          if (i >= t.size()) return simdjson::NUMBER_ERROR;
          for (; i < t.size(); ++i)
            if (t[i] < '0' || t[i] > '9') return simdjson::NUMBER_ERROR;
          *out = Value::String(t);
          return SUCCESS;
        }
        switch (n.get_number_type()) {
          case od::number_type::signed_integer: {
            int64_t i = n.get_int64();
            *out = i >= 0 ? Value::UInt(static_cast<uint64_t>(i)) : Value::Int(i);
            return SUCCESS;
          }
          case od::number_type::unsigned_integer:
            *out = Value::UInt(n.get_uint64());
            return SUCCESS;
          default:
            *out = Value::Double(n.get_double());
            return SUCCESS;
        }
      }
    }
  }

  // Raw JSON text of a container too deep to flatten.
  error_code RawContainer(od::value& v, Kind kind, Value* out) {
    std::string_view raw;
    if (kind == Kind::kObject) {
      od::object o;
      INARI_JSON_TRY(v.get_object().get(o));
      INARI_JSON_TRY(o.raw_json().get(raw));
    } else {
      od::array a;
      INARI_JSON_TRY(v.get_array().get(a));
      INARI_JSON_TRY(a.raw_json().get(raw));
    }
    while (!raw.empty() && IsSpace(raw.back())) raw.remove_suffix(1);
    *out = Value::String(raw);
    return SUCCESS;
  }

  // ---- emitting mapped fields ----

  // prefix + a [+ "_" + b] (the '_' only between non-empty parts), in name_buf when composed.
  std::string_view Compose(std::string_view prefix, std::string_view a, std::string_view b = {}) {
    if (prefix.empty() && b.empty()) return a;
    name_buf.assign(prefix);
    name_buf.append(a);
    if (!b.empty()) {
      if (!a.empty()) name_buf.push_back('_');
      name_buf.append(b);
    } else if (a.empty() && !name_buf.empty() && name_buf.back() == '_') {
      name_buf.pop_back();  // the prefix alone: "RenderingInfo_" names "RenderingInfo"
    }
    return name_buf;
  }

  struct Ctx {
    bool system;              // inside <System>: names get System typing
    std::string_view prefix;  // prepended to names (RenderingInfo_)
  };

  void Emit(const Ctx& ctx, std::string_view name, Value v) {
    FieldId id = plain.GetAt(emit_pos++, name, [](std::string_view n) { return InternField(n); });
    if (id == kNoField) return;
    if (ctx.system)
      v = Typed(id, v, batch->arena());
    else if (evtx_guids && v.type == ValueType::kString)
      v = BareGuid(v, batch->arena());
    batch->Add(id, v);
  }

  void EmitId(FieldId id, const Value& v) { batch->Add(id, Typed(id, v, batch->arena())); }

  // Attributes object of element `element`: element_Attr fields (xmlns* skipped).
  // For an unnamed-Data-style element, its Name attribute is returned instead.
  error_code Attributes(const Ctx& ctx, std::string_view element, od::value& v, std::string_view* data_name) {
    od::object obj;
    INARI_JSON_TRY(v.get_object().get(obj));
    for (auto fr : obj) {
      INARI_JSON_TRY(fr.error());
      od::field&& f = std::move(fr).value_unsafe();
      std::string_view key;
      INARI_JSON_TRY(ReadKey(f, &key));
      Value val;
      Kind kind;
      INARI_JSON_TRY(ReadValue(f.value(), &val, &kind));
      if (kind != Kind::kScalar) INARI_JSON_TRY(RawContainer(f.value(), kind, &val));
      if (StartsWith(key, "xmlns")) continue;
      if (data_name && key == "Name" && val.type == ValueType::kString) {
        *data_name = val.str();
        continue;
      }
      std::string_view composed = Compose(ctx.prefix, element, key);
      Emit(Ctx{ctx.system, {}}, composed, val);
    }
    return SUCCESS;
  }

  // An XML element as evtx_dump renders it: {"#attributes":{..}, "#text": .., children..}.
  error_code Element(const Ctx& ctx, std::string_view name, od::value& v, int depth) {
    od::object obj;
    INARI_JSON_TRY(v.get_object().get(obj));
    const bool is_data = !ctx.system && name == "Data";
    std::string_view data_name;
    const size_t mark = texts.size();
    for (auto fr : obj) {
      INARI_JSON_TRY(fr.error());
      od::field&& f = std::move(fr).value_unsafe();
      std::string_view key;
      INARI_JSON_TRY(ReadKey(f, &key));
      if (key == "#attributes") {
        Value tmp;
        Kind kind;
        INARI_JSON_TRY(ReadValue(f.value(), &tmp, &kind));
        if (kind == Kind::kObject) INARI_JSON_TRY(Attributes(ctx, name, f.value(), is_data ? &data_name : nullptr));
        continue;
      }
      if (key == "#text") {
        Value val;
        Kind kind;
        INARI_JSON_TRY(ReadValue(f.value(), &val, &kind));
        if (kind == Kind::kScalar) {
          texts.push_back(val);
        } else if (kind == Kind::kArray) {
          od::array arr;
          INARI_JSON_TRY(f.value().get_array().get(arr));
          for (auto er : arr) {
            INARI_JSON_TRY(er.error());
            od::value&& ev = std::move(er).value_unsafe();
            Value item;
            Kind ik;
            INARI_JSON_TRY(ReadValue(ev, &item, &ik));
            if (ik != Kind::kScalar) INARI_JSON_TRY(RawContainer(ev, ik, &item));
            texts.push_back(item);
          }
        } else {
          INARI_JSON_TRY(RawContainer(f.value(), kind, &val));
          texts.push_back(val);
        }
        continue;
      }
      INARI_JSON_TRY(Child(ctx, key, f.value(), depth + 1));
    }
    std::string_view text_name = is_data && !data_name.empty() ? data_name : name;
    if (is_data && !data_name.empty() && texts.size() == mark) texts.push_back(Value::Null());
    for (size_t i = mark; i < texts.size(); ++i) {
      Value t = texts[i];
      if (t.is_null() && ctx.system) continue;
      Emit(ctx, Compose(ctx.prefix, text_name), t);
    }
    texts.resize(mark);
    return SUCCESS;
  }

  // A child `key` of an element: a scalar leaf, an element, or repeated ones.
  error_code Child(const Ctx& ctx, std::string_view key, od::value& v, int depth) {
    Value val;
    Kind kind;
    INARI_JSON_TRY(ReadValue(v, &val, &kind));
    if (kind == Kind::kObject && EndsWith(key, "_attributes") && key.size() > 11) {
      // evtx_dump --separate-json-attributes: "X_attributes": {..} holds the attributes of X.
      return Attributes(ctx, key.substr(0, key.size() - 11), v, nullptr);
    }
    if (depth > kMaxDepth && kind != Kind::kScalar) {
      INARI_JSON_TRY(RawContainer(v, kind, &val));
      kind = Kind::kScalar;
    }
    switch (kind) {
      case Kind::kScalar:
        if (val.is_null() && ctx.system) return SUCCESS;  // <Correlation/>: nothing to say
        Emit(ctx, Compose(ctx.prefix, key), val);
        return SUCCESS;
      case Kind::kObject:
        return Element(ctx, key, v, depth);
      case Kind::kArray: {
        od::array arr;
        INARI_JSON_TRY(v.get_array().get(arr));
        for (auto er : arr) {
          INARI_JSON_TRY(er.error());
          od::value&& ev = std::move(er).value_unsafe();
          Value item;
          Kind ik;
          INARI_JSON_TRY(ReadValue(ev, &item, &ik));
          if (ik == Kind::kObject) {
            INARI_JSON_TRY(Element(ctx, key, ev, depth + 1));
            continue;
          }
          if (ik == Kind::kArray) INARI_JSON_TRY(RawContainer(ev, ik, &item));
          if (item.is_null() && ctx.system) continue;
          Emit(ctx, Compose(ctx.prefix, key), item);
        }
        return SUCCESS;
      }
    }
    return SUCCESS;
  }

  // {"Event": {...}} of evtx_dump.
  error_code Event(od::value& v) {
    od::object obj;
    INARI_JSON_TRY(v.get_object().get(obj));
    evtx_guids = true;
    const Ctx data{false, {}};
    for (auto fr : obj) {
      INARI_JSON_TRY(fr.error());
      od::field&& f = std::move(fr).value_unsafe();
      std::string_view key;
      INARI_JSON_TRY(ReadKey(f, &key));
      if (key == "System") {
        Value tmp;
        Kind kind;
        INARI_JSON_TRY(ReadValue(f.value(), &tmp, &kind));
        if (kind == Kind::kObject) {
          od::object sys;
          INARI_JSON_TRY(f.value().get_object().get(sys));
          const Ctx sctx{true, {}};
          for (auto sr : sys) {
            INARI_JSON_TRY(sr.error());
            od::field&& sf = std::move(sr).value_unsafe();
            std::string_view skey;
            INARI_JSON_TRY(ReadKey(sf, &skey));
            INARI_JSON_TRY(Child(sctx, skey, sf.value(), 2));
          }
          continue;
        }
        INARI_JSON_TRY(Child(data, key, f.value(), 1));
      } else if (key == "#attributes") {
        Value tmp;
        Kind kind;
        INARI_JSON_TRY(ReadValue(f.value(), &tmp, &kind));
        if (kind == Kind::kObject) INARI_JSON_TRY(Attributes(data, "Event", f.value(), nullptr));
      } else if (key == "RenderingInfo") {
        // Rendered texts (Level "Information", Task names…) would clash with the System
        // fields of the same names: they keep a prefix.
        INARI_JSON_TRY(Child(Ctx{false, "RenderingInfo_"}, {}, f.value(), 1));
      } else {
        // EventData, UserData, ProcessingErrorData, DebugData… (null: an empty element, nothing to say)
        Value val;
        Kind kind;
        INARI_JSON_TRY(ReadValue(f.value(), &val, &kind));
        if (kind == Kind::kScalar && val.is_null()) continue;
        INARI_JSON_TRY(Child(data, key, f.value(), 1));
      }
    }
    evtx_guids = false;
    return SUCCESS;
  }

  // Scalars and arrays of scalars for a fixed System field id.
  error_code Fixed(FieldId id, od::value& v) {
    Value val;
    Kind kind;
    INARI_JSON_TRY(ReadValue(v, &val, &kind));
    if (kind == Kind::kScalar) {
      if (!val.is_null()) EmitId(id, val);
      return SUCCESS;
    }
    if (kind == Kind::kObject) {
      INARI_JSON_TRY(RawContainer(v, kind, &val));
      EmitId(id, val);
      return SUCCESS;
    }
    od::array arr;
    INARI_JSON_TRY(v.get_array().get(arr));
    for (auto er : arr) {
      INARI_JSON_TRY(er.error());
      od::value&& ev = std::move(er).value_unsafe();
      Value item;
      Kind ik;
      INARI_JSON_TRY(ReadValue(ev, &item, &ik));
      if (ik != Kind::kScalar) INARI_JSON_TRY(RawContainer(ev, ik, &item));
      if (!item.is_null()) EmitId(id, item);
    }
    return SUCCESS;
  }

  // Looks up `path` (e.g. {"thread","id"}) in an object value and maps it to `id`.
  template <typename F>
  error_code ForEachField(od::value& v, F&& fn) {
    Value tmp;
    Kind kind;
    INARI_JSON_TRY(ReadValue(v, &tmp, &kind));
    if (kind != Kind::kObject) return SUCCESS;
    od::object obj;
    INARI_JSON_TRY(v.get_object().get(obj));
    for (auto fr : obj) {
      INARI_JSON_TRY(fr.error());
      od::field&& f = std::move(fr).value_unsafe();
      std::string_view key;
      INARI_JSON_TRY(ReadKey(f, &key));
      INARI_JSON_TRY(fn(key, f.value()));
    }
    return SUCCESS;
  }

  // Winlogbeat / Elastic Agent "winlog" object.
  error_code Winlog(od::value& v) {
    const Ctx data{false, {}};
    return ForEachField(v, [&](std::string_view key, od::value& fv) -> error_code {
      FieldId id = WinlogField(key);
      if (id != kNoField) {
        size_t before = batch->current_field_count();
        INARI_JSON_TRY(Fixed(id, fv));
        if (batch->current_field_count() > before) {
          if (id == field::kEventID) has_event_id = true;
          if (id == field::kComputer) has_computer = true;
          if (id == field::kTimeCreatedSystemTime) has_time = true;
        }
        return SUCCESS;
      }
      if (key == "event_data") {
        return ForEachField(fv, [&](std::string_view k, od::value& x) { return Child(data, k, x, 3); });
      }
      if (key == "user_data") {
        return ForEachField(fv, [&](std::string_view k, od::value& x) -> error_code {
          if (k == "xml_name") return SUCCESS;  // Winlogbeat's name of the UserData wrapper element
          return Child(data, k, x, 3);
        });
      }
      if (key == "process") {
        return ForEachField(fv, [&](std::string_view k, od::value& x) -> error_code {
          if (k == "pid") return Fixed(field::kExecutionProcessID, x);
          if (k == "thread")
            return ForEachField(x, [&](std::string_view k2, od::value& y) -> error_code {
              return k2 == "id" ? Fixed(field::kExecutionThreadID, y) : SUCCESS;
            });
          return SUCCESS;
        });
      }
      if (key == "user") {
        return ForEachField(fv, [&](std::string_view k, od::value& x) -> error_code {
          return k == "identifier" ? Fixed(field::kSecurityUserID, x) : SUCCESS;
        });
      }
      return SUCCESS;  // api, user.name, … : not part of the Windows event
    });
  }

  // ---- top-level keys: kept as they are, nested objects flattened with '.' ----

  // A new entry for `key`; its value is read straight into it. Reading into a
  // local and copying that into the vector stalled on store forwarding (the copy
  // loads 16 bytes that were just stored piece by piece).
  Value* AddTop(KeyRef key, bool is_top) {
    TopEntry& e = top.emplace_back();
    e.key.ptr = key.ptr;
    e.key.off = key.off;
    e.key.len = key.len;
    e.top = is_top;
    return &e.value;
  }

  KeyRef JoinKey(const KeyRef& parent, std::string_view child) {
    KeyRef k;
    k.ptr = nullptr;
    std::string_view p = Key(parent);
    size_t need = key_buf.size() + p.size() + 1 + child.size();
    if (parent.ptr) {
      key_buf.reserve(need);
      k.off = static_cast<uint32_t>(key_buf.size());
      key_buf.append(p);
    } else {
      key_buf.reserve(need);
      k.off = static_cast<uint32_t>(key_buf.size());
      key_buf.append(key_buf, parent.off, parent.len);  // self-append after reserve: no reallocation
    }
    key_buf.push_back('.');
    key_buf.append(child);
    k.len = static_cast<uint32_t>(key_buf.size() - k.off);
    return k;
  }

  // `key` by value, like AddTop's: a KeyRef passed through memory is stored in
  // pieces and read back whole (a store-forwarding stall per key).
  error_code Top(KeyRef key, od::value& v, int depth) {
    Value* val = AddTop(key, depth == 0);
    Kind kind;
    INARI_JSON_TRY(ReadValue(v, val, &kind));
    if (kind == Kind::kScalar) return SUCCESS;
    if (depth > kMaxDepth) return RawContainer(v, kind, val);
    top.pop_back();  // a container: its leaves get entries of their own
    if (kind == Kind::kObject) {
      od::object obj;
      INARI_JSON_TRY(v.get_object().get(obj));
      for (auto fr : obj) {
        INARI_JSON_TRY(fr.error());
        od::field&& f = std::move(fr).value_unsafe();
        std::string_view k;
        INARI_JSON_TRY(ReadKey(f, &k));
        KeyRef child = JoinKey(key, k);
        INARI_JSON_TRY(Top(child, f.value(), depth + 1));
      }
      return SUCCESS;
    }
    od::array arr;
    INARI_JSON_TRY(v.get_array().get(arr));
    for (auto er : arr) {
      INARI_JSON_TRY(er.error());
      od::value&& ev = std::move(er).value_unsafe();
      Value* item = AddTop(key, depth == 0);
      Kind ik;
      INARI_JSON_TRY(ReadValue(ev, item, &ik));
      if (ik == Kind::kObject) {
        top.pop_back();
        INARI_JSON_TRY(Top(key, ev, depth + 1));
      } else if (ik == Kind::kArray) {
        INARI_JSON_TRY(RawContainer(ev, ik, item));
      }
    }
    return SUCCESS;
  }

  error_code Record(od::object& obj) {
    const bool evtx_ok = shape == JsonShape::kAuto || shape == JsonShape::kEvtxDump;
    const bool ecs_ok = shape == JsonShape::kAuto || shape == JsonShape::kEcs;
    for (auto fr : obj) {
      INARI_JSON_TRY(fr.error());
      od::field&& f = std::move(fr).value_unsafe();
      std::string_view key;
      INARI_JSON_TRY(ReadKey(f, &key));
      if ((evtx_ok && key == "Event") || (ecs_ok && key == "winlog") || (evtx_ok && key == "Event_attributes")) {
        Value tmp;
        Kind kind;
        INARI_JSON_TRY(ReadValue(f.value(), &tmp, &kind));
        if (kind == Kind::kObject) {
          if (key == "Event") {
            saw_event = true;
            INARI_JSON_TRY(Event(f.value()));
          } else if (key == "winlog") {
            saw_winlog = true;
            INARI_JSON_TRY(Winlog(f.value()));
          } else {
            INARI_JSON_TRY(Attributes(Ctx{false, {}}, "Event", f.value(), nullptr));
          }
          continue;
        }
      }
      if (ecs_ok && (key == "event_data" || key == "user_data")) {
        // Winlogbeat 6 kept the event's data at the top level.
        Value tmp;
        Kind kind;
        INARI_JSON_TRY(ReadValue(f.value(), &tmp, &kind));
        if (kind == Kind::kObject) {
          saw_legacy_winlog = true;
          const Ctx data{false, {}};
          const bool user_data = key == "user_data";
          INARI_JSON_TRY(ForEachField(f.value(), [&](std::string_view k, od::value& x) -> error_code {
            if (user_data && k == "xml_name") return SUCCESS;
            return Child(data, k, x, 2);
          }));
          continue;
        }
      }
      if (key == "EventID") saw_event_id_key = true;
      if (key == "event_id" || key == "log_name") saw_legacy_key = true;
      KeyRef k{key.data(), 0, static_cast<uint32_t>(key.size())};
      INARI_JSON_TRY(Top(k, f.value(), 0));
    }
    return SUCCESS;
  }

  // ---- finishing the event ----

  JsonShape Decide() const {
    if (shape != JsonShape::kAuto) return shape;
    if (saw_event) return JsonShape::kEvtxDump;
    if (saw_winlog || (saw_legacy_winlog && saw_legacy_key)) return JsonShape::kEcs;
    if (saw_event_id_key) return JsonShape::kFlat;
    return JsonShape::kAuto;  // no known shape: keep everything
  }

  const TopEntry* FindTop(std::string_view key) const {
    for (const TopEntry& e : top)
      if (Key(e.key) == key) return &e;
    return nullptr;
  }

  void AddPlainTop(EventBatch* b) {
    for (const TopEntry& e : top) {
      FieldId id = plain.GetAt(emit_pos++, Key(e.key), [](std::string_view n) { return InternField(n); });
      if (id != kNoField) b->Add(id, e.value);
    }
  }

  void Finish(EventBatch* b, const EventOrigin& origin) {
    const JsonShape s = Decide();
    int64_t time = kNoTime;
    switch (s) {
      case JsonShape::kEvtxDump:
        AddPlainTop(b);
        break;
      case JsonShape::kEcs: {
        // Only what maps onto the Windows event; ECS duplicates of it are dropped.
        if (!saw_winlog) {
          for (const TopEntry& t : top) {
            FieldId id = LegacyWinlogField(Key(t.key));
            if (id == kNoField || t.value.is_null()) continue;
            b->Add(id, Typed(id, t.value, b->arena()));
            if (id == field::kEventID) has_event_id = true;
            if (id == field::kComputer) has_computer = true;
          }
        }
        const TopEntry* e;
        if (!has_time && (e = FindTop("@timestamp")))
          b->Add(field::kTimeCreatedSystemTime, Typed(field::kTimeCreatedSystemTime, e->value, b->arena()));
        if (!has_event_id && (e = FindTop("event.code")))
          b->Add(field::kEventID, Typed(field::kEventID, e->value, b->arena()));
        if (!has_computer && (e = FindTop("host.name"))) b->Add(field::kComputer, e->value);
        break;
      }
      case JsonShape::kFlat: {
        top_targets.clear();
        uint8_t flags = 0;
        uint8_t best_time = 0;
        for (const TopEntry& e : top) {
          const FlatTarget& t = top_targets.emplace_back(flat.GetAt(top_targets.size(), Key(e.key), MakeFlatTarget));
          if (e.top) flags |= t.flags;
          if (t.time_rank > best_time) best_time = t.time_rank;
        }
        const bool nxlog = flags & kNxlogMarker;
        const bool event_type_moved = flags & kEventTypeOrig;
        bool time_done = false;
        for (size_t i = 0; i < top.size(); ++i) {
          const TopEntry& e = top[i];
          const FlatTarget& t = top_targets[i];
          if (t.id == kNoField) continue;
          if (nxlog && e.top && (t.flags & kTransport)) continue;
          if (nxlog && e.top && (t.flags & kNxlogEventType) && !event_type_moved) continue;
          if (t.time_rank) {  // one time only: the most preferred candidate, the first of equals
            if (t.time_rank < best_time || time_done) continue;
            time_done = true;
          }
          // Most fields are no System field: copied as they are, without the call.
          if (t.id < field::kNumWellKnown)
            b->Add(t.id, Typed(t.id, e.value, b->arena()));
          else
            b->Add(t.id, e.value);
        }
        break;
      }
      case JsonShape::kAuto: {
        AddPlainTop(b);
        if (const TopEntry* e = FindTop("@timestamp"); e && e->value.is_string()) time = ParseIso8601(e->value.str());
        break;
      }
    }
    b->EndEvent(time, 0, origin);
  }

  error_code ParseText(const char* p, size_t len, size_t readable, EventBatch* b) {
    ResetRecord(b);
    doc_begin = p;
    doc_end = p + len;
    od::document doc;
    INARI_JSON_TRY(parser.iterate(p, len, readable).get(doc));
    od::json_type type;
    INARI_JSON_TRY(doc.type().get(type));
    if (type != od::json_type::object) {
      not_object = true;
      return simdjson::INCORRECT_TYPE;
    }
    od::object obj;
    INARI_JSON_TRY(doc.get_object().get(obj));
    INARI_JSON_TRY(Record(obj));
    const char* rest;
    if (doc.current_location().get(rest) == SUCCESS) {
      // Something after the object: only whitespace may follow.
      const char* end = p + len;
      while (rest < end && IsSpace(*rest)) ++rest;
      if (rest < end) return simdjson::TAPE_ERROR;
    }
    return SUCCESS;
  }
};

RecordParser::RecordParser(JsonShape shape) : impl_(std::make_unique<Impl>(shape)) {}
RecordParser::~RecordParser() = default;

Status RecordParser::Parse(const char* p, size_t len, size_t readable, EventBatch* batch, const EventOrigin& origin,
                           bool* repaired_utf8) {
  Impl& m = *impl_;
  error_code e = m.ParseText(p, len, readable, batch);
  if (e != SUCCESS) batch->AbandonEvent();
  if (e == simdjson::UTF8_ERROR) {
    // Exports from Windows tools sometimes carry Latin-1/Windows-1252 bytes: read them as Latin-1.
    m.repair_buf.clear();
    AppendLegacyText(std::string_view(p, len), &m.repair_buf);
    char* copy = batch->arena()->Allocate(m.repair_buf.size() + kInputPadding);
    std::memcpy(copy, m.repair_buf.data(), m.repair_buf.size());
    std::memset(copy + m.repair_buf.size(), ' ', kInputPadding);
    e = m.ParseText(copy, m.repair_buf.size(), m.repair_buf.size() + kInputPadding, batch);
    if (e != SUCCESS) batch->AbandonEvent();
    if (e == SUCCESS && repaired_utf8) *repaired_utf8 = true;
  }
  if (e != SUCCESS) {
    if (m.not_object) return Status::ParseError("JSON record", "not a JSON object");
    if (e == simdjson::TAPE_ERROR)
      return Status::ParseError("JSON record",
                                "malformed JSON (missing or extra comma, brace, quote or text after the object)");
    return Status::ParseError("JSON record", simdjson::error_message(e));
  }
  m.Finish(batch, origin);
  return Status::OK();
}

}  // namespace inari::json
