// Sigma string values: escape parsing, case folding and a compiled,
// linear-time wildcard matcher (no regex).
//
// ParseSigmaString() turns a rule's string as written into tokens following
// the rules specification, "Escape Character" (sigma-rules-specification.md
// lines 385-395): `*` and `?` are wildcards, `\*` `\?` `\\` escape them and the
// backslash, a backslash before any other character (or at the end) is a
// plain backslash. GlobPattern compiles tokens to the cheapest matcher:
// equality, prefix, suffix, substring (Horspool) or a general glob; the glob
// is matched segment by segment (greedy leftmost, which is exact for `*`
// separated segments), so time is O(text × pattern) at worst and never
// exponential.
//
// Case: unless `cased`, comparison folds ASCII letters and the two-byte UTF-8
// capital letters of Latin-1, Latin Extended-A, Greek and Cyrillic to lower
// case (FoldUtf8). Folding keeps byte lengths, so `?` and offsets are stable.
// Other scripts compare byte for byte; there is no Unicode normalization.
//
// `?` matches one UTF-8 character (a lead byte and its continuation bytes).
// A kDash token (from `windash`) matches one of - / – — ― .
//
// Thread-safety: a compiled GlobPattern is immutable; Match() is const and
// uses only the caller's buffer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace inari::sigma::wildcard {

// ---- case folding -------------------------------------------------------

// kFoldAscii[b] is b with A-Z lowered; kIdentity[b] is b.
extern const uint8_t kFoldAscii[256];
extern const uint8_t kIdentity[256];

// Replaces *out with `in` folded (ASCII and the two-byte letters above).
// Same length as `in`; idempotent.
void FoldUtf8(std::string_view in, std::string* out);
std::string FoldUtf8(std::string_view in);
bool HasNonAscii(std::string_view s);
// True if `a` equals `b` under `fold` applied to bytes of `a` (b already folded).
bool EqualFolded(const char* a, const char* b, size_t n, const uint8_t* fold);

// ---- tokens -------------------------------------------------------------

struct Token {
  enum class Kind : uint8_t { kLiteral, kStar, kOne, kDash };
  Kind kind = Kind::kLiteral;
  std::string text;  // kLiteral only
};
using Tokens = std::vector<Token>;

// A rule string as written → tokens (escapes interpreted, adjacent literals merged).
Tokens ParseSigmaString(std::string_view raw);
// Tokens of a string taken literally (no wildcards).
Tokens LiteralTokens(std::string_view text);
bool HasWildcards(const Tokens& t);  // kStar or kOne
bool HasDash(const Tokens& t);
// Concatenated literal text (kStar/kOne/kDash are skipped: callers check first).
std::string JoinLiterals(const Tokens& t);
// Appends, merging adjacent literals and collapsing `**`.
void Append(Tokens* t, Token tok);
// For messages: the tokens written back with Sigma escaping ("a\*b*", windash as "[-]").
std::string ToDisplay(const Tokens& t);

// The five windash characters (modifiers appendix line 50), UTF-8.
inline constexpr std::string_view kDashChars[] = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95"};

// ---- compiled pattern -----------------------------------------------------

class GlobPattern {
 public:
  enum class Form : uint8_t { kEquals, kPrefix, kSuffix, kContains, kAny, kGlob };

  GlobPattern() = default;
  GlobPattern(GlobPattern&&) noexcept = default;
  GlobPattern& operator=(GlobPattern&&) noexcept = default;

  static GlobPattern Compile(const Tokens& tokens, bool cased);

  // True if the whole of `text` matches. `fold_buf` is used only when the
  // pattern and the text both hold non-ASCII bytes (caseless patterns).
  bool Match(std::string_view text, std::string* fold_buf) const;
  // Match for a caller that folds once for many patterns: true if the
  // pattern needs caseless text with non-ASCII letters lowered (FoldUtf8),
  // and MatchFolded(text) for text so prepared (any text when not).
  bool needs_unicode_fold() const { return unicode_fold_; }
  bool MatchFolded(std::string_view text) const;

  Form form() const { return form_; }
  bool cased() const { return cased_; }
  // The longest run of plain bytes the pattern requires, ASCII-lower-cased
  // unless cased. Caseless patterns break runs at non-ASCII bytes (an ASCII
  // caseless prefilter would miss their folded forms); NUL bytes break runs.
  std::string LongestLiteral() const;
  // For a `*literal*` pattern whose literal a byte-wise, ASCII-caseless
  // multi-pattern matcher handles exactly (cased, or without two-byte UTF-8
  // letters, the only non-ASCII characters caseless matching folds): the
  // literal (folded unless cased). Else empty.
  std::string_view PlainContains() const;

 private:
  struct Piece {
    enum class Kind : uint8_t { kLit, kOne, kDash };
    Kind kind;
    uint32_t off = 0, len = 0;  // kLit: bytes in Segment::text
  };
  struct Segment {
    std::string text;  // literal bytes (folded unless cased)
    std::vector<Piece> pieces;
    bool literal_only = true;
  };

  bool MatchGlob(std::string_view text) const;
  // End of `seg` matched at `pos`, or npos.
  size_t MatchAt(const Segment& seg, std::string_view text, size_t pos) const;
  // Leftmost match of `seg` at or after `from`: start in *start, end returned (npos if none).
  size_t FindSeg(const Segment& seg, std::string_view text, size_t from) const;
  size_t FindLiteral(std::string_view text, size_t from, std::string_view needle) const;

  Form form_ = Form::kEquals;
  bool cased_ = false;
  bool unicode_fold_ = false;  // caseless and the pattern has non-ASCII bytes
  bool anchored_start_ = true, anchored_end_ = true;
  const uint8_t* fold_ = kFoldAscii;
  std::vector<Segment> segs_;
};

}  // namespace inari::sigma::wildcard
