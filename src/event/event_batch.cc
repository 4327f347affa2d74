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

void AppendEventJson(const EventView& e, std::string* out) {
  out->push_back('{');
  auto fs = e.fields();
  bool first = true;
  for (size_t i = 0; i < fs.size(); ++i) {
    FieldId id = fs[i].id;
    // A repeated name: emit once, as an array, at its first position.
    bool seen_before = false;
    for (size_t j = 0; j < i; ++j)
      if (fs[j].id == id) { seen_before = true; break; }
    if (seen_before) continue;
    size_t count = 1;
    for (size_t j = i + 1; j < fs.size(); ++j)
      if (fs[j].id == id) ++count;
    if (!first) out->push_back(',');
    first = false;
    out->push_back('"');
    AppendJsonEscaped(FieldName(id), out);
    out->append("\":");
    if (count > 1) out->push_back('[');
    bool first_value = true;
    for (size_t j = i; j < fs.size(); ++j) {
      if (fs[j].id != id) continue;
      if (!first_value) out->push_back(',');
      first_value = false;
      const Value& v = fs[j].value;
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
        default: {
          out->push_back('"');
          if (v.type == ValueType::kString) {
            AppendJsonEscaped(v.str(), out);
          } else {
            std::string tmp;
            v.AppendText(&tmp);
            AppendJsonEscaped(tmp, out);
          }
          out->push_back('"');
        }
      }
    }
    if (count > 1) out->push_back(']');
  }
  out->push_back('}');
}

}  // namespace inari
