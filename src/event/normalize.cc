#include "event/normalize.h"

#include <charconv>

#include "base/time.h"

namespace inari {

Value NormalizeWellKnown(FieldId id, const Value& v) {
  if (id >= field::kNumWellKnown) return v;
  switch (id) {
    case field::kEventID:
    case field::kEventIDQualifiers:
    case field::kVersion:
    case field::kLevel:
    case field::kTask:
    case field::kOpcode:
    case field::kEventRecordID:
    case field::kExecutionProcessID:
    case field::kExecutionThreadID: {
      if (v.type == ValueType::kInt && v.i >= 0) return Value::UInt(static_cast<uint64_t>(v.i));
      if (v.type != ValueType::kString || v.size == 0) return v;
      std::string_view t = v.str();
      uint64_t n;
      auto r = std::from_chars(t.data(), t.data() + t.size(), n, 10);
      if (r.ec != std::errc() || r.ptr != t.data() + t.size()) return v;
      return Value::UInt(n);
    }
    case field::kKeywords: {
      if (v.type == ValueType::kInt || v.type == ValueType::kUInt) return Value::Hex(v.u);
      if (v.type != ValueType::kString || v.size < 3) return v;
      std::string_view t = v.str();
      if (t[0] != '0' || (t[1] != 'x' && t[1] != 'X')) return v;
      uint64_t n;
      auto r = std::from_chars(t.data() + 2, t.data() + t.size(), n, 16);
      if (r.ec != std::errc() || r.ptr != t.data() + t.size()) return v;
      return Value::Hex(n);
    }
    case field::kTimeCreatedSystemTime: {
      if (v.type != ValueType::kString) return v;
      int64_t ns = ParseIso8601(v.str());
      return ns == kNoTime ? v : Value::Time(ns);
    }
    default:
      return v;
  }
}

}  // namespace inari
