// Text encoding helpers for binary formats that store UTF-16LE (EVTX) or
// legacy code pages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace inari {

// Upper bound of UTF-8 bytes for `units` UTF-16 code units.
inline constexpr size_t Utf8BoundForUtf16(size_t units) { return units * 3; }

// Converts `units` little-endian UTF-16 code units at `src` (any alignment) to
// UTF-8 at `dst` (room for Utf8BoundForUtf16(units) bytes). Unpaired
// surrogates become U+FFFD. Stops at the first NUL when `stop_at_nul`.
// Returns bytes written.
size_t Utf16LeToUtf8(const uint8_t* src, size_t units, char* dst, bool stop_at_nul = true);

// Convenience for cold paths.
std::string Utf16LeToUtf8String(const uint8_t* src, size_t units);

// Appends Latin-1 (Windows-1252 approximated as ISO-8859-1) bytes as UTF-8,
// or copies them unchanged when they are already valid UTF-8.
void AppendLegacyText(std::string_view bytes, std::string* out);

// True if `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

// Appends `s` as a JSON string literal body (no quotes), escaping as RFC 8259
// requires; invalid UTF-8 bytes become U+FFFD.
void AppendJsonEscaped(std::string_view s, std::string* out);
// The same with the quotes: a whole JSON string literal.
void AppendJsonString(std::string_view s, std::string* out);

// Length of the longest prefix of `s` that a JSON string takes unchanged
// (printable ASCII other than '"' and '\\'); s.size() when nothing needs escaping.
size_t JsonPlainPrefix(std::string_view s);

}  // namespace inari
