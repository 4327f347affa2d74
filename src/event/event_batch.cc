#include "base/utf.h"
#include "inari/event.h"

namespace inari {

int64_t EventView::event_id() const {
  const Value* v = Get(field::kEventID);
  int64_t id;
  if (v && v->AsInt64(&id)) return id;
  return -1;
}

void EventBatch::Reset() {
  arena_.Reset();
  fields_.clear();
  events_.clear();
  sources_.clear();
  retained_.clear();
  cur_start_ = 0;
}

void EventBatch::EndEvent(int64_t time, uint64_t record_id, const EventOrigin& origin) {
  Header h;
  h.first = cur_start_;
  h.count = static_cast<uint32_t>(fields_.size() - cur_start_);
  h.time = time;
  h.record_id = record_id;
  h.origin = origin;
  if (time == INT64_MIN) {
    for (uint32_t i = h.first; i < h.first + h.count; ++i) {
      if (fields_[i].id == field::kTimeCreatedSystemTime && fields_[i].value.type == ValueType::kTime) {
        h.time = fields_[i].value.i;
        break;
      }
    }
  }
  if (record_id == 0) {
    for (uint32_t i = h.first; i < h.first + h.count; ++i) {
      if (fields_[i].id == field::kEventRecordID) {
        int64_t v;
        if (fields_[i].value.AsInt64(&v)) h.record_id = static_cast<uint64_t>(v);
        break;
      }
    }
  }
  events_.push_back(h);
  cur_start_ = static_cast<uint32_t>(fields_.size());
}

void EventBatch::Retain(std::shared_ptr<const void> buffer) {
  if (!retained_.empty() && retained_.back() == buffer) return;
  retained_.push_back(std::move(buffer));
}

uint32_t EventBatch::AddSource(std::string name) {
  sources_.push_back(std::move(name));
  return static_cast<uint32_t>(sources_.size() - 1);
}

EventView EventBatch::operator[](size_t i) const {
  const Header& h = events_[i];
  EventView v;
  v.fields_ = fields_.data() + h.first;
  v.num_fields_ = h.count;
  v.time_ = h.time;
  v.record_id_ = h.record_id;
  v.origin_ = h.origin;
  return v;
}

size_t EventBatch::memory_bytes() const {
  return arena_.BytesReserved() + fields_.capacity() * sizeof(Field) + events_.capacity() * sizeof(Header);
}

namespace {

void AppendJsonValue(const Value& v, std::string* out) {
  switch (v.type) {
    case ValueType::kNull: out->append("null"); break;
    case ValueType::kInt:
    case ValueType::kUInt:
    case ValueType::kBool:
      v.AppendText(out);
      break;
    case ValueType::kDouble: {
      double d = v.d;
      if (d == d && d - d == 0) v.AppendText(out);  // finite
      else out->append("null");
      break;
    }
    case ValueType::kString:
      out->push_back('"');
      AppendJsonEscaped(v.str(), out);
      out->push_back('"');
      break;
    case ValueType::kHex:
    case ValueType::kTime:
    case ValueType::kGuid:
    case ValueType::kSid:
    case ValueType::kBinary:
      // Rendered as hex digits, ISO 8601, {GUID} or S-1-…: nothing to escape.
      out->push_back('"');
      v.AppendText(out);
      out->push_back('"');
      break;
  }
}

}  // namespace

void AppendEventJson(const EventView& e, std::string* out) {
  auto fs = e.fields();
  // Repeated names are rare: a 1024-bit filter of the ids says when there
  // may be one, and only then is each name looked for among those before it.
  uint64_t seen[16] = {};
  bool maybe_repeated = false;
  size_t bytes = 2;
  for (const Field& f : fs) {
    const uint32_t bit = f.id & 1023;
    maybe_repeated |= (seen[bit >> 6] >> (bit & 63)) & 1;
    seen[bit >> 6] |= uint64_t{1} << (bit & 63);
    bytes += 8 + (f.value.type == ValueType::kString ? f.value.size + f.value.size / 8 : 24);
  }
  out->reserve(out->size() + bytes);
  out->push_back('{');
  bool first = true;
  for (size_t i = 0; i < fs.size(); ++i) {
    FieldId id = fs[i].id;
    size_t count = 1;
    if (maybe_repeated) {
      // A repeated name: emit once, as an array, at its first position.
      bool seen_before = false;
      for (size_t j = 0; j < i; ++j)
        if (fs[j].id == id) { seen_before = true; break; }
      if (seen_before) continue;
      for (size_t j = i + 1; j < fs.size(); ++j)
        if (fs[j].id == id) ++count;
    }
    if (!first) out->push_back(',');
    first = false;
    out->push_back('"');
    AppendJsonEscaped(FieldName(id), out);
    out->append("\":");
    if (count == 1) {
      AppendJsonValue(fs[i].value, out);
      continue;
    }
    out->push_back('[');
    bool first_value = true;
    for (size_t j = i; j < fs.size(); ++j) {
      if (fs[j].id != id) continue;
      if (!first_value) out->push_back(',');
      first_value = false;
      AppendJsonValue(fs[j].value, out);
    }
    out->push_back(']');
  }
  out->push_back('}');
}

}  // namespace inari
