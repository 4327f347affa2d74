#include "base/utf.h"

#include <emmintrin.h>

#include <cstring>

namespace inari {

size_t Utf16LeToUtf8(const uint8_t* src, size_t units, char* dst, bool stop_at_nul) {
  char* out = dst;
  size_t i = 0;
  while (i < units) {
    // Fast path: 8 ASCII code units (no NUL when stopping at NUL) per step.
    while (i + 8 <= units) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 2 * i));
      // Any unit >= 0x80 → not ASCII.
      if (_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(v, _mm_set1_epi16(static_cast<short>(0xFF80))),
                                            _mm_setzero_si128())) != 0xFFFF)
        break;
      if (stop_at_nul && _mm_movemask_epi8(_mm_cmpeq_epi16(v, _mm_setzero_si128())) != 0) break;
      _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(v, v));
      out += 8;
      i += 8;
    }
    if (i >= units) break;
    // 4 ASCII code units at a time.
    if (i + 4 <= units) {
      uint64_t w;
      std::memcpy(&w, src + 2 * i, 8);
      if ((w & 0xFF80FF80FF80FF80ULL) == 0 &&
          (!stop_at_nul || ((w & 0xFFFF) && (w & 0xFFFF0000ULL) && (w & 0xFFFF00000000ULL) &&
                            (w & 0xFFFF000000000000ULL)))) {
        out[0] = static_cast<char>(w);
        out[1] = static_cast<char>(w >> 16);
        out[2] = static_cast<char>(w >> 32);
        out[3] = static_cast<char>(w >> 48);
        out += 4;
        i += 4;
        continue;
      }
    }
    uint32_t c = static_cast<uint32_t>(src[2 * i]) | (static_cast<uint32_t>(src[2 * i + 1]) << 8);
    ++i;
    if (c == 0 && stop_at_nul) break;
    if (c < 0x80) {
      *out++ = static_cast<char>(c);
    } else if (c < 0x800) {
      *out++ = static_cast<char>(0xC0 | (c >> 6));
      *out++ = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c >= 0xD800 && c <= 0xDBFF && i < units) {
      uint32_t c2 = static_cast<uint32_t>(src[2 * i]) | (static_cast<uint32_t>(src[2 * i + 1]) << 8);
      if (c2 >= 0xDC00 && c2 <= 0xDFFF) {
        ++i;
        uint32_t cp = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
        *out++ = static_cast<char>(0xF0 | (cp >> 18));
        *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        *out++ = '\xEF'; *out++ = '\xBF'; *out++ = '\xBD';
      }
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      *out++ = '\xEF'; *out++ = '\xBF'; *out++ = '\xBD';
    } else {
      *out++ = static_cast<char>(0xE0 | (c >> 12));
      *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *out++ = static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return static_cast<size_t>(out - dst);
}

std::string Utf16LeToUtf8String(const uint8_t* src, size_t units) {
  std::string s(Utf8BoundForUtf16(units), '\0');
  s.resize(Utf16LeToUtf8(src, units, s.data()));
  return s;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0, n = s.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) { ++i; continue; }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

void AppendLegacyText(std::string_view bytes, std::string* out) {
  if (IsValidUtf8(bytes)) {
    out->append(bytes);
    return;
  }
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
    } else {
      out->push_back(static_cast<char>(0xC0 | (c >> 6)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
}

namespace {

// Bytes of `s` from `i` that JSON takes as they are (printable ASCII other
// than '"' and '\\'), eight at a time (SWAR: a byte's high bit is set in
// `bad` when it is < 0x20, >= 0x80, '"' or '\\').
size_t PlainRun(const unsigned char* p, size_t i, size_t n) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  while (i + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    const uint64_t lt20 = (w - kOnes * 0x20) & ~w;
    const uint64_t q = w ^ (kOnes * '"'), b = w ^ (kOnes * '\\');
    const uint64_t eq = ((q - kOnes) & ~q) | ((b - kOnes) & ~b);
    const uint64_t bad = (lt20 | eq | w) & kHigh;
    if (bad) return i + static_cast<size_t>(__builtin_ctzll(bad) >> 3);
    i += 8;
  }
  while (i < n && p[i] >= 0x20 && p[i] != '"' && p[i] != '\\' && p[i] < 0x80) ++i;
  return i;
}

}  // namespace

size_t JsonPlainPrefix(std::string_view s) {
  return PlainRun(reinterpret_cast<const unsigned char*>(s.data()), 0, s.size());
}

void AppendJsonEscaped(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  size_t i = 0, n = s.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < n) {
    size_t run = PlainRun(p, i, n);
    out->append(s.data() + i, run - i);
    i = run;
    if (i >= n) break;
    unsigned char c = p[i];
    if (c >= 0x80) {
      size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
      if (len && i + len <= n && IsValidUtf8(s.substr(i, len))) {
        out->append(s.data() + i, len);
        i += len;
      } else {
        out->append("\xEF\xBF\xBD");
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
    ++i;
  }
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  AppendJsonEscaped(s, out);
  out->push_back('"');
}

}  // namespace inari
