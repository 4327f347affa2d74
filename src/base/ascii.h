// ASCII-only case helpers for names that are ASCII by definition (channels,
// Sigma keywords, field names). Text from events uses the Sigma matcher's own
// folding (src/sigma/wildcard.h), which also handles some non-ASCII letters.
#pragma once

#include <string>
#include <string_view>

namespace inari {

inline char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string AsciiLowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

inline bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  return true;
}

}  // namespace inari
