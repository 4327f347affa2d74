#include "ingest/dbaudit/pg_prefix.h"

#include <algorithm>
#include <cstring>

namespace inari::pg {

namespace {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
inline bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

struct Word {
  const char* text;
  uint8_t len;
  Severity sev;
};

bool WordIs(const char* p, const char* end, const char* w, size_t n) {
  return static_cast<size_t>(end - p) >= n && std::memcmp(p, w, n) == 0;
}

// Parses `n` digits at p.
bool Digits(const char* p, int n, int* out) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    if (!IsDigit(p[i])) return false;
    v = v * 10 + (p[i] - '0');
  }
  *out = v;
  return true;
}

struct Zone {
  const char* name;
  int32_t offset;  // seconds east of UTC
};
// Abbreviations PostgreSQL prints for common log_timezone settings (tzdata).
// Ambiguous ones (IST: India, Ireland, Israel) are left out: read as UTC, reported.
constexpr Zone kZones[] = {
    {"UTC", 0},         {"GMT", 0},         {"UCT", 0},        {"UT", 0},         {"Z", 0},
    {"WET", 0},         {"WEST", 3600},     {"BST", 3600},     {"CET", 3600},     {"CEST", 7200},
    {"MET", 3600},      {"MEST", 7200},     {"EET", 7200},     {"EEST", 10800},   {"MSK", 10800},
    {"EST", -18000},    {"EDT", -14400},    {"CST", -21600},   {"CDT", -18000},   {"MST", -25200},
    {"MDT", -21600},    {"PST", -28800},    {"PDT", -25200},   {"AKST", -32400},  {"AKDT", -28800},
    {"HST", -36000},    {"AST", -14400},    {"ADT", -10800},   {"NST", -12600},   {"NDT", -9000},
    {"JST", 32400},     {"KST", 32400},     {"HKT", 28800},    {"AWST", 28800},   {"ACST", 34200},
    {"ACDT", 37800},    {"AEST", 36000},    {"AEDT", 39600},   {"NZST", 43200},   {"NZDT", 46800},
    {"SAST", 7200},     {"CAT", 7200},      {"EAT", 10800},    {"WAT", 3600},     {"WIB", 25200},
    {"PKT", 18000},
};

// Numeric zone "+03", "-0530", "+05:30" → offset seconds.
bool NumericZone(std::string_view z, int32_t* off) {
  if (z.size() < 3 || (z[0] != '+' && z[0] != '-')) return false;
  int h, m = 0;
  if (!Digits(z.data() + 1, 2, &h)) return false;
  if (z.size() == 5) {
    if (!Digits(z.data() + 3, 2, &m)) return false;
  } else if (z.size() == 6) {
    if (z[3] != ':' || !Digits(z.data() + 4, 2, &m)) return false;
  } else if (z.size() != 3) {
    return false;
  }
  if (h > 15 || m > 59) return false;
  *off = (z[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
  return true;
}

bool KnownZone(std::string_view z, int32_t* off) {
  for (const Zone& k : kZones)
    if (z == k.name) {
      *off = k.offset;
      return true;
    }
  return NumericZone(z, off);
}

// Values PostgreSQL prints for a name it does not know yet.
std::string_view Unknown(std::string_view v) { return v == "[unknown]" ? std::string_view() : v; }

std::string_view Trim(const char* b, const char* e) {
  while (b < e && *b == ' ') ++b;
  while (e > b && e[-1] == ' ') --e;
  return {b, static_cast<size_t>(e - b)};
}

bool IsFreeText(char esc) {
  switch (esc) {
    case 'u': case 'd': case 'a': case 'h': case 'r': case 'i': case 'b': case 'L':
      return true;
    default:
      return false;
  }
}

void AssignFree(char esc, std::string_view v, PrefixFields* f) {
  switch (esc) {
    case 'u': f->user = Unknown(v); break;
    case 'd': f->database = Unknown(v); break;
    case 'a': f->application = Unknown(v); break;
    case 'h': f->client = v; break;
    case 'r': {
      // host(port), or [local], or a host alone
      if (v.size() >= 3 && v.back() == ')') {
        size_t open = v.rfind('(');
        if (open != std::string_view::npos && open > 0) {
          f->client = v.substr(0, open);
          f->client_port = v.substr(open + 1, v.size() - open - 2);
          break;
        }
      }
      f->client = v;
      break;
    }
    case 'i': f->command_tag = v; break;
    case 'b': f->backend_type = v; break;
    case 'L': f->server_ip = v; break;
  }
}

// Parses an unsigned decimal at p; returns its end or nullptr.
const char* ParseUInt(const char* p, const char* end, int64_t* out) {
  const char* q = p;
  int64_t v = 0;
  while (q < end && IsDigit(*q) && q - p < 18) v = v * 10 + (*q++ - '0');
  if (q == p || (q < end && IsDigit(*q))) return nullptr;
  *out = v;
  return q;
}

// Parses a typed escape at p; returns the end of its text or nullptr.
const char* ParseTyped(char esc, const char* p, const char* end, PrefixFields* f) {
  switch (esc) {
    case 'm':
    case 't':
      return ParsePgTime(p, end, true, &f->time, &f->unknown_zone);
    case 's':
      return ParsePgTime(p, end, true, &f->session_start, &f->unknown_zone);
    case 'n': {
      int64_t sec;
      const char* q = ParseUInt(p, end, &sec);
      if (!q) return nullptr;
      int64_t frac = 0, scale = 1000000000;
      if (q < end && *q == '.') {
        ++q;
        const char* d = q;
        while (q < end && IsDigit(*q)) {
          if (scale > 1) {
            scale /= 10;
            frac += (*q - '0') * scale;
          }
          ++q;
        }
        if (q == d) return nullptr;
      }
      f->time = sec * 1000000000 + frac;
      return q;
    }
    case 'p':
      return ParseUInt(p, end, &f->pid);
    case 'l':
      return ParseUInt(p, end, &f->session_line);
    case 'x':
      return ParseUInt(p, end, &f->txid);
    case 'P': {
      if (p >= end || !IsDigit(*p)) return p;  // empty outside parallel workers
      return ParseUInt(p, end, &f->leader_pid);
    }
    case 'c': {
      const char* q = p;
      while (q < end && IsHex(*q)) ++q;
      if (q == p || q >= end || *q != '.') return nullptr;
      const char* r = ++q;
      while (q < end && IsHex(*q)) ++q;
      if (q == r) return nullptr;
      f->session_id = {p, static_cast<size_t>(q - p)};
      return q;
    }
    case 'v': {
      const char* q = p;
      while (q < end && (IsDigit(*q) || *q == '/')) ++q;
      f->vxid = {p, static_cast<size_t>(q - p)};
      return q;
    }
    case 'e': {
      if (end - p < 5) return nullptr;
      for (int i = 0; i < 5; ++i)
        if (!IsDigit(p[i]) && !IsUpper(p[i])) return nullptr;
      f->sqlstate = {p, 5};
      return p + 5;
    }
    case 'Q': {
      const char* q = p;
      if (q < end && *q == '-') ++q;
      const char* d = q;
      while (q < end && IsDigit(*q)) ++q;
      if (q == d) return nullptr;
      f->query_id = {p, static_cast<size_t>(q - p)};
      return q;
    }
    default:
      return p;  // unknown escapes print nothing
  }
}

// Positions of severity words ("LOG:  ") in [p, end), in order, through `fn`
// until it returns true.
template <typename Fn>
bool ForEachSeverity(const char* p, const char* end, Fn fn) {
  const char* s = p;
  while (s < end) {
    const char* colon = static_cast<const char*>(std::memchr(s, ':', static_cast<size_t>(end - s)));
    if (!colon) return false;
    if (end - colon >= 3 && colon[1] == ' ' && colon[2] == ' ') {
      const char* w = colon;
      while (w > p && (IsUpper(w[-1]) || IsDigit(w[-1]))) --w;
      if (w < colon && SeverityFromWord({w, static_cast<size_t>(colon - w)}) != Severity::kNone && fn(w))
        return true;
    }
    s = colon + 1;
  }
  return false;
}

}  // namespace

Severity SeverityFromWord(std::string_view w) {
  if (w.size() < 3 || w.size() > 12) return Severity::kNone;
  char buf[16];
  std::memcpy(buf, w.data(), w.size());
  std::memcpy(buf + w.size(), ":  ", 3);
  std::string_view word;
  const char* after;
  Severity s = MatchSeverity(buf, buf + w.size() + 3, &word, &after);
  return word.size() == w.size() ? s : Severity::kNone;
}

Severity MatchSeverity(const char* p, const char* end, std::string_view* word, const char** after) {
  if (end - p < 6) return Severity::kNone;  // "LOG:  "
  Severity s = Severity::kNone;
  size_t n = 0;
  switch (*p) {
    case 'L':
      if (WordIs(p, end, "LOG:", 4)) s = Severity::kLog, n = 3;
      else if (WordIs(p, end, "LOCATION:", 9)) s = Severity::kLocation, n = 8;
      break;
    case 'E':
      if (WordIs(p, end, "ERROR:", 6)) s = Severity::kError, n = 5;
      break;
    case 'F':
      if (WordIs(p, end, "FATAL:", 6)) s = Severity::kFatal, n = 5;
      break;
    case 'W':
      if (WordIs(p, end, "WARNING:", 8)) s = Severity::kWarning, n = 7;
      break;
    case 'N':
      if (WordIs(p, end, "NOTICE:", 7)) s = Severity::kNotice, n = 6;
      break;
    case 'I':
      if (WordIs(p, end, "INFO:", 5)) s = Severity::kInfo, n = 4;
      break;
    case 'D':
      if (WordIs(p, end, "DETAIL:", 7)) s = Severity::kDetail, n = 6;
      else if (WordIs(p, end, "DEBUG:", 6)) s = Severity::kDebug, n = 5;
      else if (WordIs(p, end, "DEBUG", 5) && end - p >= 7 && p[5] >= '1' && p[5] <= '5' && p[6] == ':')
        s = Severity::kDebug, n = 6;
      break;
    case 'P':
      if (WordIs(p, end, "PANIC:", 6)) s = Severity::kPanic, n = 5;
      break;
    case 'H':
      if (WordIs(p, end, "HINT:", 5)) s = Severity::kHint, n = 4;
      break;
    case 'Q':
      if (WordIs(p, end, "QUERY:", 6)) s = Severity::kQuery, n = 5;
      break;
    case 'C':
      if (WordIs(p, end, "CONTEXT:", 8)) s = Severity::kContext, n = 7;
      break;
    case 'S':
      if (WordIs(p, end, "STATEMENT:", 10)) s = Severity::kStatement, n = 9;
      break;
    default:
      break;
  }
  if (s == Severity::kNone) return s;
  // "WORD:" then two spaces (an empty message may end the line after them).
  if (static_cast<size_t>(end - p) < n + 3 || p[n + 1] != ' ' || p[n + 2] != ' ') return Severity::kNone;
  *word = {p, n};
  *after = p + n + 3;
  return s;
}

const char* ParsePgTime(const char* p, const char* end, bool need_zone, int64_t* ns,
                        std::string_view* unknown_zone) {
  if (end - p < 19) return nullptr;
  int y, mo, d, h, mi, s;
  if (!Digits(p, 4, &y) || p[4] != '-' || !Digits(p + 5, 2, &mo) || p[7] != '-' || !Digits(p + 8, 2, &d) ||
      (p[10] != ' ' && p[10] != 'T') || !Digits(p + 11, 2, &h) || p[13] != ':' || !Digits(p + 14, 2, &mi) ||
      p[16] != ':' || !Digits(p + 17, 2, &s))
    return nullptr;
  if (y < 1678 || y > 2261 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return nullptr;
  const char* q = p + 19;
  int64_t frac = 0;
  if (q < end && *q == '.') {
    ++q;
    const char* f = q;
    int64_t scale = 1000000000;
    while (q < end && IsDigit(*q)) {
      if (scale > 1) {
        scale /= 10;
        frac += (*q - '0') * scale;
      }
      ++q;
    }
    if (q == f) return nullptr;
  }
  int32_t offset = 0;
  std::string_view unknown;
  if (q + 1 < end && *q == ' ' && (IsAlpha(q[1]) || q[1] == '+' || q[1] == '-')) {
    const char* z = q + 1;
    const char* ze = z + 1;
    while (ze < end && (IsAlpha(*ze) || IsDigit(*ze) || *ze == '+' || *ze == '-' || (*ze == ':' && IsDigit(ze[-1]) && ze + 1 < end && IsDigit(ze[1]) && (z[0] == '+' || z[0] == '-'))))
      ++ze;
    std::string_view zone(z, static_cast<size_t>(ze - z));
    if (KnownZone(zone, &offset)) {
      q = ze;
    } else if (need_zone && zone.size() <= 6 && IsAlpha(zone[0])) {
      unknown = zone;
      q = ze;
    } else if (need_zone) {
      return nullptr;
    }
  } else if (need_zone) {
    return nullptr;
  }
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset;
  *ns = secs * 1000000000 + frac;
  if (!unknown.empty()) *unknown_zone = unknown;
  return q;
}

LinePrefix LinePrefix::Compile(std::string_view text) {
  LinePrefix lp;
  lp.text_ = std::string(text);
  auto add_literal = [&](std::string_view s) {
    if (s.empty()) return;
    if (!lp.items_.empty() && lp.items_.back().esc == 0)
      lp.items_.back().literal += s;
    else
      lp.items_.push_back(Item{0, std::string(s)});
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      add_literal(text.substr(i, 1));
      continue;
    }
    if (i + 1 >= text.size()) break;  // a trailing '%' prints nothing
    size_t j = i + 1;
    if (text[j] == '%') {
      add_literal("%");
      i = j;
      continue;
    }
    // Padding: %-10u, %10u (PostgreSQL ≥ 9.6). The value is padded with spaces;
    // matching trims them.
    if (text[j] == '-') ++j;
    while (j < text.size() && IsDigit(text[j])) ++j;
    if (j >= text.size()) break;
    const char esc = text[j];
    i = j;
    if (IsFreeText(esc) || esc == 'q' || std::strchr("mtsnplxPcveQ", esc)) {
      // Padding spaces of a typed value are absorbed as blanks around it.
      lp.items_.push_back(Item{esc, {}});
    }
    // Unknown escapes print nothing.
  }
  return lp;
}

bool LinePrefix::Match(std::string_view line, PrefixFields* f, const char** severity_start) const {
  int budget = 256;
  return MatchFrom(0, line.data(), line.data() + line.size(), f, severity_start, &budget);
}

bool LinePrefix::MatchFrom(size_t i, const char* p, const char* end, PrefixFields* f, const char** sev,
                           int* budget) const {
  if (--*budget < 0) return false;
  if (i == items_.size()) {
    std::string_view word;
    const char* after;
    if (MatchSeverity(p, end, &word, &after) == Severity::kNone) return false;
    *sev = p;
    return true;
  }
  const Item& it = items_[i];
  if (it.esc == 0) {
    const std::string& lit = it.literal;
    if (static_cast<size_t>(end - p) < lit.size() || std::memcmp(p, lit.data(), lit.size()) != 0) return false;
    return MatchFrom(i + 1, p + lit.size(), end, f, sev, budget);
  }
  if (it.esc == 'q') {
    PrefixFields saved = *f;
    if (MatchFrom(i + 1, p, end, f, sev, budget)) return true;
    *f = saved;
    return MatchFrom(items_.size(), p, end, f, sev, budget);  // the rest is omitted
  }
  if (!IsFreeText(it.esc)) {
    const char* q = p;
    while (q < end && *q == ' ') ++q;  // padding
    q = ParseTyped(it.esc, q, end, f);
    if (!q) return false;
    if (i + 1 < items_.size() && items_[i + 1].esc == 0) {
      // Trailing padding, unless the next literal itself starts with a blank.
      if (items_[i + 1].literal[0] != ' ')
        while (q < end && *q == ' ') ++q;
    }
    return MatchFrom(i + 1, q, end, f, sev, budget);
  }
  // Free text: ends where the rest of the prefix matches.
  const bool next_literal = i + 1 < items_.size() && items_[i + 1].esc == 0;
  if (next_literal) {
    const std::string& lit = items_[i + 1].literal;
    const char* s = p;
    while (s < end) {
      const char* q = static_cast<const char*>(std::memchr(s, lit[0], static_cast<size_t>(end - s)));
      if (!q) return false;
      if (static_cast<size_t>(end - q) >= lit.size() && std::memcmp(q, lit.data(), lit.size()) == 0) {
        AssignFree(it.esc, Trim(p, q), f);
        if (MatchFrom(i + 1, q, end, f, sev, budget)) return true;
        if (*budget < 0) return false;
      }
      s = q + 1;
    }
    return false;
  }
  if (i + 1 == items_.size() || (items_[i + 1].esc == 'q' && i + 2 == items_.size())) {
    // Last item: the value runs up to a severity word.
    return ForEachSeverity(p, end, [&](const char* w) {
      AssignFree(it.esc, Trim(p, w), f);
      return MatchFrom(items_.size(), w, end, f, sev, budget);
    });
  }
  // Followed by another escape: try each length (bounded by the budget).
  for (const char* q = p; q <= end && *budget >= 0; ++q) {
    AssignFree(it.esc, Trim(p, q), f);
    if (MatchFrom(i + 1, q, end, f, sev, budget)) return true;
  }
  return false;
}

bool MatchLoose(std::string_view line, PrefixFields* f, const char** severity_start) {
  const char* b = line.data();
  const char* e = b + line.size();
  const char* sev = nullptr;
  ForEachSeverity(b, e, [&](const char* w) {
    sev = w;
    return true;
  });
  if (!sev) return false;
  const char* p = b;
  while (p < sev && (*p == ' ' || *p == '<' || *p == '[' || *p == '\t')) ++p;
  if (p < sev && IsDigit(*p)) ParsePgTime(p, sev, false, &f->time, &f->unknown_zone);
  for (const char* q = b; q < sev; ++q) {
    if (*q != '[' || q + 1 >= sev || !IsDigit(q[1])) continue;
    int64_t pid;
    const char* r = ParseUInt(q + 1, sev, &pid);
    if (r && r < sev && (*r == ']' || *r == '-')) {
      f->pid = pid;
      break;
    }
  }
  *severity_start = sev;
  return true;
}

const std::vector<std::string>& CommonLinePrefixes() {
  static const std::vector<std::string> kList = {
      "%m [%p] %q%u@%d ",                                    // Debian / Ubuntu packages
      "%m [%p] %q%u@%d %r %c:%l %a ",                        // Debian's plus client, session, app (tools/pgbed)
      "%m [%p] ",                                            // PostgreSQL >= 13 default, RHEL
      "%t [%p-%l] %q%u@%d ",                                 // Debian before PostgreSQL 10
      "%m [%p-%l] %q%u@%d ",
      "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",     // pgBadger's recommendation
      "%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
      "%t [%p]: [%l-1] db=%d,user=%u,app=%a,client=%h ",
      "%m [%p]: [%l-1] db=%d,user=%u,app=%a,client=%h ",
      "%t [%p]: user=%u,db=%d,app=%a,client=%h ",
      "%m [%p]: user=%u,db=%d,app=%a,client=%h ",
      "%t [%p]: [%l-1] user=%u,db=%d ",
      "%m [%p]: [%l-1] db=%d,user=%u ",                      // Google Cloud SQL
      "%t [%p]: [%l-1] ",
      "%m %u %d [%p]: ",                                     // pgAudit's README
      "%t:%r:%u@%d:[%p]:",                                   // Amazon RDS
      "%m:%r:%u@%d:[%p]:",
      "%t-%c-",                                              // Azure Database for PostgreSQL
      "< %m >",                                              // older RHEL / Fedora
      "< %t >",
      "%t [%p] ",
      "%m ",
      "%t ",
      "",
  };
  return kList;
}

bool DetectLinePrefix(std::string_view head, std::string* prefix) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < head.size() && lines.size() < 64) {
    size_t nl = head.find('\n', pos);
    if (nl == std::string_view::npos) break;  // only complete lines
    std::string_view line = head.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl + 1;
    if (line.empty() || line[0] == '\t') continue;
    lines.push_back(line);
  }
  if (lines.empty()) return false;
  const auto& list = CommonLinePrefixes();
  int best = -1;
  size_t best_matches = 0, best_fields = 0;
  for (size_t c = 0; c < list.size(); ++c) {
    LinePrefix lp = LinePrefix::Compile(list[c]);
    size_t matches = 0, fields = 0;
    for (std::string_view line : lines) {
      PrefixFields f;
      const char* sev;
      if (!lp.Match(line, &f, &sev)) continue;
      // A user or database name with a blank means a free-text field swallowed the
      // rest of a longer prefix: the candidate does not explain this line.
      if (f.user.find(' ') != std::string_view::npos || f.database.find(' ') != std::string_view::npos) continue;
      ++matches;
      fields += (f.time != kNoTime) + (f.pid >= 0) + (f.session_line >= 0) + !f.user.empty() + !f.database.empty() +
                !f.application.empty() + !f.client.empty() + !f.session_id.empty();
    }
    if (matches > best_matches || (matches == best_matches && matches > 0 && fields > best_fields)) {
      best = static_cast<int>(c);
      best_matches = matches;
      best_fields = fields;
    }
  }
  if (best < 0 || best_matches * 2 < lines.size()) return false;
  *prefix = list[static_cast<size_t>(best)];
  return true;
}

}  // namespace inari::pg
