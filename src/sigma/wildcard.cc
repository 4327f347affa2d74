#include "sigma/wildcard.h"

#include <emmintrin.h>

#include <algorithm>
#include <cstring>

namespace inari::sigma::wildcard {

namespace {

constexpr size_t kNpos = std::string_view::npos;

struct Tables {
  uint8_t fold[256];
  uint8_t identity[256];
  constexpr Tables() : fold(), identity() {
    for (int i = 0; i < 256; ++i) {
      identity[i] = static_cast<uint8_t>(i);
      fold[i] = static_cast<uint8_t>(i >= 'A' && i <= 'Z' ? i + 32 : i);
    }
  }
};
constexpr Tables kTables;

// Lower case of a code point below U+0800 (so the result keeps its two-byte
// UTF-8 length): Latin-1, Latin Extended-A, Greek, Cyrillic capitals.
uint32_t FoldCodePoint(uint32_t cp) {
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  if (cp >= 0x100 && cp <= 0x17F) {
    // İ ı ĸ ŉ ſ have no one-to-one two-byte lower case partner.
    if (cp == 0x130 || cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17F) return cp;
    if (cp == 0x178) return 0xFF;  // Ÿ → ÿ
    if (cp <= 0x137 || (cp >= 0x14A && cp <= 0x177)) return cp % 2 == 0 ? cp + 1 : cp;
    return cp % 2 == 1 ? cp + 1 : cp;  // 0x139..0x148, 0x179..0x17E: odd are capitals
  }
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 0x20;  // Greek
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;                 // Cyrillic Ѐ..Џ
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;                 // Cyrillic А..Я
  return cp;
}

inline bool IsCont(uint8_t c) { return (c & 0xC0) == 0x80; }

}  // namespace

const uint8_t kFoldAscii[256] = {
#define R(i) kTables.fold[i]
#define R8(i) R(i), R(i + 1), R(i + 2), R(i + 3), R(i + 4), R(i + 5), R(i + 6), R(i + 7)
#define R64(i) R8(i), R8(i + 8), R8(i + 16), R8(i + 24), R8(i + 32), R8(i + 40), R8(i + 48), R8(i + 56)
    R64(0), R64(64), R64(128), R64(192)
#undef R
#define R(i) kTables.identity[i]
};
const uint8_t kIdentity[256] = {R64(0), R64(64), R64(128), R64(192)};
#undef R
#undef R8
#undef R64

void FoldUtf8(std::string_view in, std::string* out) {
  out->resize(in.size());
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  auto* d = reinterpret_cast<uint8_t*>(out->data());
  const size_t n = in.size();
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    if (c < 0x80) {
      d[i] = kFoldAscii[c];
      ++i;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < n && IsCont(s[i + 1])) {
      uint32_t cp = (static_cast<uint32_t>(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
      uint32_t f = FoldCodePoint(cp);
      if (f == cp) {
        d[i] = c;
        d[i + 1] = s[i + 1];
      } else {
        d[i] = static_cast<uint8_t>(0xC0 | (f >> 6));
        d[i + 1] = static_cast<uint8_t>(0x80 | (f & 0x3F));
      }
      i += 2;
    } else {
      d[i] = c;
      ++i;
    }
  }
}

std::string FoldUtf8(std::string_view in) {
  std::string s;
  FoldUtf8(in, &s);
  return s;
}

bool HasNonAscii(std::string_view s) {
  for (char c : s)
    if (static_cast<uint8_t>(c) >= 0x80) return true;
  return false;
}

bool EqualFolded(const char* a, const char* b, size_t n, const uint8_t* fold) {
  if (fold == kIdentity) return std::memcmp(a, b, n) == 0;
  const auto* x = reinterpret_cast<const uint8_t*>(a);
  const auto* y = reinterpret_cast<const uint8_t*>(b);
  for (size_t i = 0; i < n; ++i)
    if (fold[x[i]] != y[i]) return false;
  return true;
}

// ---- tokens -------------------------------------------------------------

void Append(Tokens* t, Token tok) {
  if (tok.kind == Token::Kind::kLiteral) {
    if (tok.text.empty()) return;
    if (!t->empty() && t->back().kind == Token::Kind::kLiteral) {
      t->back().text += tok.text;
      return;
    }
  } else if (tok.kind == Token::Kind::kStar && !t->empty() && t->back().kind == Token::Kind::kStar) {
    return;  // `**` is `*`
  }
  t->push_back(std::move(tok));
}

Tokens ParseSigmaString(std::string_view raw) {
  // sigma-rules-specification.md lines 387-395: `\*` `\?` are plain wildcard
  // characters, `\\` is one backslash, a backslash before anything else (or
  // at the end of the value) is itself a plain backslash.
  Tokens t;
  std::string acc;
  auto flush = [&] {
    Append(&t, Token{Token::Kind::kLiteral, std::move(acc)});
    acc.clear();
  };
  bool escaped = false;
  for (char c : raw) {
    if (escaped) {
      if (c != '*' && c != '?' && c != '\\') acc += '\\';
      acc += c;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == '*' || c == '?') {
      flush();
      Append(&t, Token{c == '*' ? Token::Kind::kStar : Token::Kind::kOne, {}});
    } else {
      acc += c;
    }
  }
  if (escaped) acc += '\\';
  flush();
  return t;
}

Tokens LiteralTokens(std::string_view text) {
  Tokens t;
  Append(&t, Token{Token::Kind::kLiteral, std::string(text)});
  return t;
}

bool HasWildcards(const Tokens& t) {
  for (const Token& k : t)
    if (k.kind == Token::Kind::kStar || k.kind == Token::Kind::kOne) return true;
  return false;
}

bool HasDash(const Tokens& t) {
  for (const Token& k : t)
    if (k.kind == Token::Kind::kDash) return true;
  return false;
}

std::string JoinLiterals(const Tokens& t) {
  std::string s;
  for (const Token& k : t)
    if (k.kind == Token::Kind::kLiteral) s += k.text;
  return s;
}

std::string ToDisplay(const Tokens& t) {
  std::string s;
  for (const Token& k : t) {
    switch (k.kind) {
      case Token::Kind::kLiteral:
        for (char c : k.text) {
          if (c == '*' || c == '?') s += '\\';
          s += c;
        }
        break;
      case Token::Kind::kStar: s += '*'; break;
      case Token::Kind::kOne: s += '?'; break;
      case Token::Kind::kDash: s += "[-]"; break;
    }
  }
  return s;
}

// ---- GlobPattern ----------------------------------------------------------

GlobPattern GlobPattern::Compile(const Tokens& tokens, bool cased) {
  GlobPattern p;
  p.cased_ = cased;
  p.fold_ = cased ? kIdentity : kFoldAscii;
  p.anchored_start_ = tokens.empty() || tokens.front().kind != Token::Kind::kStar;
  p.anchored_end_ = tokens.empty() || tokens.back().kind != Token::Kind::kStar;
  Segment cur;
  auto close = [&] {
    if (!cur.pieces.empty()) p.segs_.push_back(std::move(cur));
    cur = Segment();
  };
  for (const Token& t : tokens) {
    switch (t.kind) {
      case Token::Kind::kStar:
        close();
        break;
      case Token::Kind::kLiteral: {
        if (t.text.empty()) break;
        std::string lit = cased ? t.text : FoldUtf8(t.text);
        if (!cased && HasNonAscii(lit)) p.unicode_fold_ = true;
        if (!cur.pieces.empty() && cur.pieces.back().kind == Piece::Kind::kLit) {
          cur.pieces.back().len += static_cast<uint32_t>(lit.size());
        } else {
          cur.pieces.push_back(Piece{Piece::Kind::kLit, static_cast<uint32_t>(cur.text.size()),
                                     static_cast<uint32_t>(lit.size())});
        }
        cur.text += lit;
        break;
      }
      case Token::Kind::kOne:
        cur.pieces.push_back(Piece{Piece::Kind::kOne});
        cur.literal_only = false;
        break;
      case Token::Kind::kDash:
        cur.pieces.push_back(Piece{Piece::Kind::kDash});
        cur.literal_only = false;
        break;
    }
  }
  close();

  if (p.segs_.empty()) {
    p.form_ = p.anchored_start_ && p.anchored_end_ ? Form::kEquals : Form::kAny;
  } else if (p.segs_.size() == 1 && p.segs_[0].literal_only) {
    if (p.anchored_start_ && p.anchored_end_) p.form_ = Form::kEquals;
    else if (p.anchored_start_) p.form_ = Form::kPrefix;
    else if (p.anchored_end_) p.form_ = Form::kSuffix;
    else p.form_ = Form::kContains;
  } else {
    p.form_ = Form::kGlob;
  }
  return p;
}

size_t GlobPattern::FindLiteral(std::string_view text, size_t from, std::string_view needle) const {
  const size_t n = text.size(), m = needle.size();
  if (m == 0) return from;
  if (from > n || n - from < m) return kNpos;
  const auto* t = reinterpret_cast<const uint8_t*>(text.data());
  const auto* nd = reinterpret_cast<const uint8_t*>(needle.data());
  const uint8_t* fold = fold_;
  const uint8_t first = nd[0];
  if (m == 1) {
    for (size_t j = from; j < n; ++j)
      if (fold[t[j]] == first) return j;
    return kNpos;
  }
  // Sixteen starts at a time: where the first and the last byte of the
  // needle both match (either case of a letter when caseless), compare the
  // bytes between (the "generic SIMD" substring search; SSE2 is part of
  // x86-64). The needle is stored folded: lower case unless cased.
  const uint8_t last = nd[m - 1];
  auto other_case = [&](uint8_t c) -> uint8_t {
    return fold == kIdentity || c < 'a' || c > 'z' ? c : static_cast<uint8_t>(c - 32);
  };
  const __m128i f1 = _mm_set1_epi8(static_cast<char>(first));
  const __m128i f2 = _mm_set1_epi8(static_cast<char>(other_case(first)));
  const __m128i l1 = _mm_set1_epi8(static_cast<char>(last));
  const __m128i l2 = _mm_set1_epi8(static_cast<char>(other_case(last)));
  size_t j = from;
  for (; j + m + 15 <= n; j += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + j));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + j + m - 1));
    const __m128i ea = _mm_or_si128(_mm_cmpeq_epi8(a, f1), _mm_cmpeq_epi8(a, f2));
    const __m128i eb = _mm_or_si128(_mm_cmpeq_epi8(b, l1), _mm_cmpeq_epi8(b, l2));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(ea, eb)));
    while (mask) {
      const size_t at = j + static_cast<size_t>(__builtin_ctz(mask));
      if (EqualFolded(text.data() + at + 1, needle.data() + 1, m - 2, fold)) return at;
      mask &= mask - 1;
    }
  }
  for (; j + m <= n; ++j) {
    if (fold[t[j]] == first && fold[t[j + m - 1]] == last &&
        EqualFolded(text.data() + j + 1, needle.data() + 1, m - 2, fold))
      return j;
  }
  return kNpos;
}

size_t GlobPattern::MatchAt(const Segment& seg, std::string_view text, size_t pos) const {
  const size_t n = text.size();
  const auto* t = reinterpret_cast<const uint8_t*>(text.data());
  for (const Piece& pc : seg.pieces) {
    switch (pc.kind) {
      case Piece::Kind::kLit:
        if (n - pos < pc.len || !EqualFolded(text.data() + pos, seg.text.data() + pc.off, pc.len, fold_))
          return kNpos;
        pos += pc.len;
        break;
      case Piece::Kind::kOne: {
        if (pos >= n) return kNpos;
        uint8_t c = t[pos++];
        if (c >= 0x80) {
          // One UTF-8 character: the byte and up to three continuation bytes.
          for (int k = 0; k < 3 && pos < n && IsCont(t[pos]); ++k) ++pos;
        }
        break;
      }
      case Piece::Kind::kDash:
        if (pos < n && (t[pos] == '-' || t[pos] == '/')) {
          pos += 1;
        } else if (n - pos >= 3 && pos < n && t[pos] == 0xE2 && t[pos + 1] == 0x80 &&
                   (t[pos + 2] == 0x93 || t[pos + 2] == 0x94 || t[pos + 2] == 0x95)) {
          pos += 3;
        } else {
          return kNpos;
        }
        break;
    }
  }
  return pos;
}

size_t GlobPattern::FindSeg(const Segment& seg, std::string_view text, size_t from) const {
  if (seg.literal_only) {
    size_t at = FindLiteral(text, from, seg.text);
    return at == kNpos ? kNpos : at + seg.text.size();
  }
  // A segment matched at a later start never ends earlier, so the leftmost
  // match leaves the most text for the rest of the pattern.
  const bool lead_lit = seg.pieces[0].kind == Piece::Kind::kLit;
  const uint8_t first = lead_lit ? static_cast<uint8_t>(seg.text[seg.pieces[0].off]) : 0;
  const auto* t = reinterpret_cast<const uint8_t*>(text.data());
  for (size_t p = from; p < text.size(); ++p) {
    if (lead_lit && fold_[t[p]] != first) continue;
    size_t e = MatchAt(seg, text, p);
    if (e != kNpos) return e;
  }
  return kNpos;
}

bool GlobPattern::MatchGlob(std::string_view text) const {
  const size_t n = text.size();
  const size_t k = segs_.size();
  size_t pos = 0;
  size_t i = 0;
  if (anchored_start_) {
    size_t e = MatchAt(segs_[0], text, 0);
    if (e == kNpos) return false;
    if (k == 1 && anchored_end_) return e == n;
    pos = e;
    i = 1;
  }
  const size_t middle_end = anchored_end_ ? k - 1 : k;
  for (; i < middle_end; ++i) {
    pos = FindSeg(segs_[i], text, pos);
    if (pos == kNpos) return false;
  }
  if (!anchored_end_) return true;
  // The last segment must end exactly at the end of the text; its start lies
  // in [pos, n]. Characters are at most 4 bytes, so the window is short.
  const Segment& last = segs_[k - 1];
  if (last.literal_only) {
    const size_t m = last.text.size();
    return n >= m && n - m >= pos && EqualFolded(text.data() + n - m, last.text.data(), m, fold_);
  }
  size_t max_len = 0;
  for (const Piece& pc : last.pieces) max_len += pc.kind == Piece::Kind::kLit ? pc.len : 4;
  size_t start = n > max_len ? std::max(pos, n - max_len) : pos;
  for (size_t p = start; p <= n; ++p)
    if (MatchAt(last, text, p) == n) return true;
  return false;
}

bool GlobPattern::Match(std::string_view text, std::string* fold_buf) const {
  if (unicode_fold_ && HasNonAscii(text)) {
    FoldUtf8(text, fold_buf);
    text = *fold_buf;
  }
  return MatchFolded(text);
}

bool GlobPattern::MatchFolded(std::string_view text) const {
  switch (form_) {
    case Form::kAny:
      return true;
    case Form::kEquals:
      if (segs_.empty()) return text.empty();
      return text.size() == segs_[0].text.size() &&
             EqualFolded(text.data(), segs_[0].text.data(), text.size(), fold_);
    case Form::kPrefix: {
      const std::string& s = segs_[0].text;
      return text.size() >= s.size() && EqualFolded(text.data(), s.data(), s.size(), fold_);
    }
    case Form::kSuffix: {
      const std::string& s = segs_[0].text;
      return text.size() >= s.size() &&
             EqualFolded(text.data() + text.size() - s.size(), s.data(), s.size(), fold_);
    }
    case Form::kContains:
      return FindLiteral(text, 0, segs_[0].text) != kNpos;
    case Form::kGlob:
      return MatchGlob(text);
  }
  return false;
}

namespace {
// Lead bytes of the two-byte UTF-8 letters caseless matching folds: Latin-1
// letters (C3), Latin Extended-A (C4, C5), Greek (CD-CF), Cyrillic (D0-D3).
// Every other non-ASCII byte compares as is.
bool IsFoldingLead(uint8_t c) { return c == 0xC3 || c == 0xC4 || c == 0xC5 || (c >= 0xCD && c <= 0xD3); }
}  // namespace

std::string_view GlobPattern::PlainContains() const {
  if (form_ != Form::kContains || segs_.size() != 1 || !segs_[0].literal_only) return {};
  const std::string& t = segs_[0].text;
  if (t.empty()) return {};
  for (unsigned char c : t) {
    if (c == 0) return {};
    if (!cased_ && IsFoldingLead(c)) return {};
  }
  return t;
}

std::string GlobPattern::LongestLiteral() const {
  std::string best;
  for (const Segment& seg : segs_) {
    for (const Piece& pc : seg.pieces) {
      if (pc.kind != Piece::Kind::kLit) continue;
      std::string_view lit(seg.text.data() + pc.off, pc.len);
      size_t run_start = 0;
      for (size_t j = 0; j <= lit.size(); ++j) {
        // Break at NUL and, caseless, at two-byte letters that fold (the
        // prefilter folds ASCII only); other non-ASCII bytes never fold.
        const bool fold_lead = !cased_ && j < lit.size() && IsFoldingLead(static_cast<uint8_t>(lit[j]));
        bool brk = j == lit.size() || lit[j] == '\0' || fold_lead;
        if (!brk) continue;
        if (j - run_start > best.size()) best.assign(lit.substr(run_start, j - run_start));
        run_start = j + (fold_lead ? 2 : 1);
        if (fold_lead) ++j;
      }
    }
  }
  return best;
}

}  // namespace inari::sigma::wildcard
