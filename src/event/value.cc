#include <charconv>
#include <cstdio>
#include <cstring>

#include "base/time.h"
#include "base/utf.h"
#include "inari/event.h"

namespace inari {

std::string_view ValueTypeName(ValueType t) {
  switch (t) {
    case ValueType::kNull: return "null";
    case ValueType::kString: return "string";
    case ValueType::kInt: return "int";
    case ValueType::kUInt: return "uint";
    case ValueType::kHex: return "hex";
    case ValueType::kBool: return "bool";
    case ValueType::kDouble: return "double";
    case ValueType::kTime: return "time";
    case ValueType::kGuid: return "guid";
    case ValueType::kSid: return "sid";
    case ValueType::kBinary: return "binary";
  }
  return "?";
}

namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

void AppendGuid(const uint8_t* b, std::string* out) {
  // Windows layout: Data1 (LE u32), Data2 (LE u16), Data3 (LE u16), Data4[8];
  // rendered {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}.
  static constexpr int kOrder[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  char buf[38];
  int p = 0;
  buf[p++] = '{';
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) buf[p++] = '-';
    const uint8_t c = b[kOrder[i]];
    buf[p++] = kHexUpper[c >> 4];
    buf[p++] = kHexUpper[c & 15];
  }
  buf[p++] = '}';
  out->append(buf, static_cast<size_t>(p));
}

void AppendSid(const uint8_t* b, size_t n, std::string* out) {
  // Revision (1), sub-authority count (1), identifier authority (6, BE), sub-authorities (LE u32).
  if (n < 8) {
    out->append("S-?");
    return;
  }
  char buf[24];
  auto append_num = [&](uint64_t v) {
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out->append(buf, r.ptr);
  };
  unsigned count = b[1];
  uint64_t auth = 0;
  for (int i = 2; i < 8; ++i) auth = (auth << 8) | b[i];
  out->append("S-");
  append_num(b[0]);
  out->push_back('-');
  append_num(auth);
  for (unsigned i = 0; i < count && 8 + 4 * i + 4 <= n; ++i) {
    const uint8_t* p = b + 8 + 4 * i;
    out->push_back('-');
    append_num(p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24));
  }
}

}  // namespace

void Value::AppendText(std::string* out) const {
  char buf[64];
  switch (type) {
    case ValueType::kNull:
      return;
    case ValueType::kString:
      out->append(s, size);
      return;
    case ValueType::kInt: {
      auto r = std::to_chars(buf, buf + sizeof buf, i);
      out->append(buf, r.ptr);
      return;
    }
    case ValueType::kUInt: {
      auto r = std::to_chars(buf, buf + sizeof buf, u);
      out->append(buf, r.ptr);
      return;
    }
    case ValueType::kHex: {
      buf[0] = '0';
      buf[1] = 'x';
      auto r = std::to_chars(buf + 2, buf + sizeof buf, u, 16);
      out->append(buf, r.ptr);
      return;
    }
    case ValueType::kBool:
      out->append(u ? "true" : "false");
      return;
    case ValueType::kDouble: {
      auto r = std::to_chars(buf, buf + sizeof buf, d);
      out->append(buf, r.ptr);
      return;
    }
    case ValueType::kTime:
      AppendIso8601(i, out);
      return;
    case ValueType::kGuid:
      if (size == 16) AppendGuid(reinterpret_cast<const uint8_t*>(s), out);
      return;
    case ValueType::kSid:
      AppendSid(reinterpret_cast<const uint8_t*>(s), size, out);
      return;
    case ValueType::kBinary: {
      static const char kHexDigits[] = "0123456789ABCDEF";
      size_t old = out->size();
      out->resize(old + 2 * size);
      char* w = out->data() + old;
      for (uint32_t k = 0; k < size; ++k) {
        uint8_t c = static_cast<uint8_t>(s[k]);
        w[2 * k] = kHexDigits[c >> 4];
        w[2 * k + 1] = kHexDigits[c & 15];
      }
      return;
    }
  }
}

std::string Value::ToText() const {
  std::string s;
  AppendText(&s);
  return s;
}

bool Value::AsInt64(int64_t* out) const {
  switch (type) {
    case ValueType::kInt: *out = i; return true;
    case ValueType::kUInt:
    case ValueType::kHex: *out = static_cast<int64_t>(u); return true;
    case ValueType::kString: {
      std::string_view t = str();
      if (t.empty()) return false;
      int base = 10;
      bool neg = false;
      if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        base = 16;
        t.remove_prefix(2);
      } else if (t[0] == '-') {
        neg = true;
        t.remove_prefix(1);
      }
      uint64_t v;
      auto r = std::from_chars(t.data(), t.data() + t.size(), v, base);
      if (r.ec != std::errc() || r.ptr != t.data() + t.size()) return false;
      *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace inari
