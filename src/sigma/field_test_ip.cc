#include "sigma/field_test_ip.h"

#include <cstring>

namespace inari::sigma {

namespace {

bool ParseV4(std::string_view s, uint8_t out[4]) {
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    int v = 0, digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 4) {
      v = v * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0 || digits > 3 || v > 255) return false;
    out[part++] = static_cast<uint8_t>(v);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  return i == s.size();
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseV6(std::string_view s, uint8_t out[16]) {
  uint16_t head[8], tail[8];
  int nh = 0, nt = 0;
  bool gap = false;
  size_t i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    gap = true;
    i = 2;
  } else if (!s.empty() && s[0] == ':') {
    return false;
  }
  uint8_t v4[4];
  bool have_v4 = false;
  while (i < s.size()) {
    // A group, or a trailing dotted IPv4.
    size_t j = i;
    while (j < s.size() && s[j] != ':') ++j;
    std::string_view g = s.substr(i, j - i);
    if (g.find('.') != std::string_view::npos) {
      if (j != s.size() || !ParseV4(g, v4)) return false;
      have_v4 = true;
      i = j;
      break;
    }
    if (g.empty() || g.size() > 4) return false;
    int v = 0;
    for (char c : g) {
      int d = HexDigit(c);
      if (d < 0) return false;
      v = v * 16 + d;
    }
    uint16_t* dst = gap ? tail : head;
    int& cnt = gap ? nt : nh;
    if (nh + nt >= 8) return false;
    dst[cnt++] = static_cast<uint16_t>(v);
    i = j;
    if (i == s.size()) break;
    ++i;  // ':'
    if (i < s.size() && s[i] == ':') {
      if (gap) return false;
      gap = true;
      ++i;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  int groups = nh + nt + (have_v4 ? 2 : 0);
  if (groups > 8 || (!gap && groups != 8) || (gap && groups == 8)) return false;
  uint16_t all[8] = {};
  for (int k = 0; k < nh; ++k) all[k] = head[k];
  int tail_start = 8 - nt - (have_v4 ? 2 : 0);
  for (int k = 0; k < nt; ++k) all[tail_start + k] = tail[k];
  for (int k = 0; k < 8; ++k) {
    out[2 * k] = static_cast<uint8_t>(all[k] >> 8);
    out[2 * k + 1] = static_cast<uint8_t>(all[k] & 0xFF);
  }
  if (have_v4) std::memcpy(out + 12, v4, 4);
  return true;
}

}  // namespace

bool ParseIpAddress(std::string_view text, IpAddress* out) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 64) return false;
  out->bytes.fill(0);
  if (text.find(':') == std::string_view::npos) {
    uint8_t v4[4];
    if (!ParseV4(text, v4)) return false;
    out->bytes[10] = out->bytes[11] = 0xFF;
    std::memcpy(out->bytes.data() + 12, v4, 4);
    out->dotted_v4 = true;
    return true;
  }
  size_t zone = text.find('%');
  if (zone != std::string_view::npos) text = text.substr(0, zone);
  out->dotted_v4 = false;
  return ParseV6(text, out->bytes.data());
}

bool CidrRange::Contains(const IpAddress& a) const {
  if (a.dotted_v4 && !v4) return false;
  int full = prefix / 8, rem = prefix % 8;
  if (std::memcmp(a.bytes.data(), base.data(), static_cast<size_t>(full)) != 0) return false;
  if (rem == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rem));
  return (a.bytes[static_cast<size_t>(full)] & mask) == base[static_cast<size_t>(full)];
}

bool ParseCidr(std::string_view text, CidrRange* out) {
  size_t slash = text.find('/');
  std::string_view addr = text.substr(0, slash);
  if (addr.find('%') != std::string_view::npos || addr.find('[') != std::string_view::npos) return false;
  IpAddress ip;
  if (!ParseIpAddress(addr, &ip)) return false;
  const bool v4_text = addr.find(':') == std::string_view::npos;
  int max = v4_text ? 32 : 128;
  int prefix = max;
  if (slash != std::string_view::npos) {
    std::string_view p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3) return false;
    prefix = 0;
    for (char c : p) {
      if (c < '0' || c > '9') return false;
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > max) return false;
  }
  out->prefix = v4_text ? 96 + prefix : prefix;
  out->v4 = v4_text;
  out->base = ip.bytes;
  for (int bit = out->prefix; bit < 128; ++bit) out->base[static_cast<size_t>(bit / 8)] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  return true;
}

}  // namespace inari::sigma
