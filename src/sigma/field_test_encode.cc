#include "sigma/field_test_encode.h"

#include <cstdint>

namespace inari::sigma {

std::string Base64Encode(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (uint32_t{s[i]} << 16) | (uint32_t{s[i + 1]} << 8) | s[i + 2];
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  size_t rest = in.size() - i;
  if (rest == 1) {
    uint32_t v = uint32_t{s[i]} << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    uint32_t v = (uint32_t{s[i]} << 16) | (uint32_t{s[i + 1]} << 8);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::array<std::string, 3> Base64OffsetVariants(std::string_view bytes) {
  static constexpr long kStart[3] = {0, 2, 3};
  static constexpr long kEnd[3] = {0, -3, -2};  // 0 stands for Python's None
  std::array<std::string, 3> out;
  for (int i = 0; i < 3; ++i) {
    std::string data(static_cast<size_t>(i), ' ');
    data.append(bytes);
    std::string enc = Base64Encode(data);
    const long len = static_cast<long>(enc.size());
    long start = kStart[i];
    long end = kEnd[(bytes.size() + static_cast<size_t>(i)) % 3];
    end = end == 0 ? len : len + end;  // Python slice semantics, clamped
    if (start > len) start = len;
    if (end < 0) end = 0;
    out[i] = end > start ? enc.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)) : std::string();
  }
  return out;
}

std::string Utf8ToUtf16(std::string_view utf8, Utf16Form form) {
  std::string out;
  out.reserve(utf8.size() * 2 + 2);
  const bool le = form != Utf16Form::kBE;
  auto unit = [&](uint32_t u) {
    char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
    if (le) {
      out += lo;
      out += hi;
    } else {
      out += hi;
      out += lo;
    }
  };
  if (form == Utf16Form::kLEWithBom) unit(0xFEFF);
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const size_t n = utf8.size();
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    uint32_t cp = 0xFFFD;
    size_t len = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2 && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
      cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
      len = 2;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
      uint32_t v = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
        cp = v;
        len = 3;
      }
    } else if ((c & 0xF8) == 0xF0 && i + 3 < n && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80 &&
               (s[i + 3] & 0xC0) == 0x80) {
      uint32_t v = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
      if (v >= 0x10000 && v <= 0x10FFFF) {
        cp = v;
        len = 4;
      }
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 | (cp >> 10));
      unit(0xDC00 | (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

}  // namespace inari::sigma
