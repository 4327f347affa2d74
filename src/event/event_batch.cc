#include "base/utf.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <vector>
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

// The event's JSON is written through a raw pointer into the string (room
// made ahead, per field); std::string's append checks its capacity on every
// call, and an event has tens of fields, each a handful of appends.
class JsonOut {
 public:
  // `expect`: the bytes this event will likely take (room made at once).
  JsonOut(std::string* s, size_t expect) : s_(s), start_(s->size()), used_(s->size()) {
    s_->resize(used_ + expect);
  }
  ~JsonOut() { s_->resize(used_); }
  void Room(size_t n) {
    // Grows with what this event has written, never with what the string
    // held before it (a dump appends many events to one buffer).
    if (s_->size() - used_ < n) s_->resize(used_ + n + 256 + (used_ - start_));
  }
  void Put(char c) { (*s_)[used_++] = c; }  // after Room
  void Put(std::string_view v) {            // after Room
    std::memcpy(s_->data() + used_, v.data(), v.size());
    used_ += v.size();
  }
  void PutInt(int64_t v) {  // after Room(24)
    auto r = std::to_chars(s_->data() + used_, s_->data() + s_->size(), v);
    used_ = static_cast<size_t>(r.ptr - s_->data());
  }
  void PutUInt(uint64_t v) {  // after Room(24)
    auto r = std::to_chars(s_->data() + used_, s_->data() + s_->size(), v);
    used_ = static_cast<size_t>(r.ptr - s_->data());
  }
  // For helpers that append to a std::string: the string cut to what is written.
  std::string* Text() {
    s_->resize(used_);
    return s_;
  }
  void Resume() { used_ = s_->size(); }

 private:
  std::string* s_;
  size_t start_, used_;
};

// "Name": with the name escaped, by field id, per thread (ids past the
// first 64Ki, which only inputs with absurd numbers of names reach, are
// rendered each time rather than cached).
std::string_view QuotedName(FieldId id) {
  constexpr FieldId kCached = 1 << 16;
  thread_local std::vector<std::string> cache;
  thread_local std::string uncached;
  std::string* q = &uncached;
  if (id < kCached) {
    if (id >= cache.size()) cache.resize(static_cast<size_t>(id) + 1);
    q = &cache[id];
    if (!q->empty()) return *q;
  }
  q->clear();
  q->push_back('"');
  AppendJsonEscaped(FieldName(id), q);
  *q += "\":";
  return *q;
}

void PutJsonValue(const Value& v, JsonOut* out) {
  switch (v.type) {
    case ValueType::kNull:
      out->Room(4);
      out->Put("null");
      return;
    case ValueType::kInt:
      out->Room(24);
      out->PutInt(v.i);
      return;
    case ValueType::kUInt:
      out->Room(24);
      out->PutUInt(v.u);
      return;
    case ValueType::kBool:
      out->Room(5);
      out->Put(v.u ? std::string_view("true") : std::string_view("false"));
      return;
    case ValueType::kString: {
      const std::string_view t = v.str();
      if (JsonPlainPrefix(t) == t.size()) {
        out->Room(t.size() + 2);
        out->Put('"');
        out->Put(t);
        out->Put('"');
        return;
      }
      std::string* s = out->Text();
      s->push_back('"');
      AppendJsonEscaped(t, s);
      s->push_back('"');
      out->Resume();
      return;
    }
    case ValueType::kDouble: {
      std::string* s = out->Text();
      double d = v.d;
      if (d == d && d - d == 0) v.AppendText(s);  // finite
      else s->append("null");
      out->Resume();
      return;
    }
    case ValueType::kHex:
    case ValueType::kTime:
    case ValueType::kGuid:
    case ValueType::kSid:
    case ValueType::kBinary: {
      // Rendered as hex digits, ISO 8601, {GUID} or S-1-…: nothing to escape.
      std::string* s = out->Text();
      s->push_back('"');
      v.AppendText(s);
      s->push_back('"');
      out->Resume();
      return;
    }
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
    bytes += 24 + (f.value.type == ValueType::kString ? f.value.size + f.value.size / 8 : 24);
  }
  JsonOut o(out, bytes);
  o.Room(1);
  o.Put('{');
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
    const std::string_view name = QuotedName(id);
    o.Room(name.size() + 2);
    if (!first) o.Put(',');
    first = false;
    o.Put(name);
    if (count == 1) {
      PutJsonValue(fs[i].value, &o);
      continue;
    }
    o.Put('[');
    bool first_value = true;
    for (size_t j = i; j < fs.size(); ++j) {
      if (fs[j].id != id) continue;
      if (!first_value) {
        o.Room(1);
        o.Put(',');
      }
      first_value = false;
      PutJsonValue(fs[j].value, &o);
    }
    o.Room(1);
    o.Put(']');
  }
  o.Room(1);
  o.Put('}');
}

}  // namespace inari
