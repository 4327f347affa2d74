// Value encodings for the Sigma `base64`, `base64offset` and `utf16*`/`wide`
// modifiers (sigma-appendix-modifiers.md lines 71-81). Pure functions on
// bytes; used at compile time only.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace inari::sigma {

// Standard Base64 (RFC 4648 alphabet, '=' padding), as Python's b64encode.
std::string Base64Encode(std::string_view bytes);

// The three encodings of `bytes` at offsets 0, 1 and 2 within a longer Base64
// string, cut to the characters that do not depend on the neighbouring bytes
// — exactly pySigma's SigmaBase64OffsetModifier:
//   b64encode(i * b" " + data)[(0, 2, 3)[i] : (None, -3, -2)[(len(data) + i) % 3]]
// A variant may be empty for a one-byte value (callers reject those).
std::array<std::string, 3> Base64OffsetVariants(std::string_view bytes);

enum class Utf16Form { kLE, kBE, kLEWithBom };
// UTF-8 text → UTF-16 bytes. Invalid UTF-8 bytes are encoded as U+FFFD.
// kLEWithBom prefixes FF FE (what `utf16` followed by base64 encodes).
std::string Utf8ToUtf16(std::string_view utf8, Utf16Form form);

}  // namespace inari::sigma
