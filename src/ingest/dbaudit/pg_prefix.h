// PostgreSQL stderr log lines: the log_line_prefix, the severity word after it,
// and PostgreSQL's timestamp text.
//
// A LinePrefix is compiled once from a log_line_prefix setting ('%m [%p] %q%u@%d ')
// and then matches lines: Match() fills PrefixFields with views into the line
// and returns where the severity word ("LOG", "ERROR", "DETAIL"…) starts. Free
// text escapes (%u %d %a %h %r %i %b) end at the next literal of the prefix;
// when that literal also occurs inside the value, later occurrences are tried
// (bounded backtracking) so that the whole prefix and a severity word match.
// %q ends the prefix for processes without a session, as PostgreSQL does.
// Padding (%-10u, %8p) is accepted and trimmed. Unknown escapes print nothing in
// PostgreSQL and match nothing here.
//
// DetectLinePrefix() picks the best of a list of common prefixes (Debian's,
// PostgreSQL's default, pgBadger's, Amazon RDS's…) for the first lines of a
// file; a line no prefix explains is read by MatchLoose(), which only finds
// the severity word and takes a leading timestamp and a "[pid]" from before it.
//
// Ownership: PrefixFields views point into the matched line. A LinePrefix is
// immutable after Compile and may be shared by threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace inari::pg {

// What a prefix (or a csvlog/jsonlog row) tells about a log entry. Empty views
// and -1 mean "not in the prefix".
struct PrefixFields {
  int64_t time = kNoTime;           // %m %t %n
  int64_t session_start = kNoTime;  // %s
  int64_t pid = -1;                 // %p
  int64_t session_line = -1;        // %l
  int64_t txid = -1;                // %x (0 = none)
  int64_t leader_pid = -1;          // %P
  std::string_view user, database, client, client_port, application, session_id, command_tag,
      backend_type, vxid, sqlstate, query_id, server_ip;
  std::string_view unknown_zone;  // a time zone abbreviation read as UTC
};

// Severity words of PostgreSQL's stderr log, in the order of elog.h.
enum class Severity : uint8_t {
  kNone,
  kDebug,  // DEBUG1..DEBUG5 (text kept as logged)
  kLog,
  kInfo,
  kNotice,
  kWarning,
  kError,
  kFatal,
  kPanic,
  // Lines that belong to the message before them:
  kDetail,
  kHint,
  kQuery,
  kContext,
  kLocation,
  kStatement,
};
inline bool IsAuxSeverity(Severity s) { return s >= Severity::kDetail; }

// If `p` starts a severity word followed by ":  " (PostgreSQL writes two
// spaces), returns it and sets *word and *after (start of the message).
Severity MatchSeverity(const char* p, const char* end, std::string_view* word, const char** after);
// Severity of a word without the colon ("ERROR", "DEBUG2"); kNone if unknown.
Severity SeverityFromWord(std::string_view word);

// Parses "YYYY-MM-DD HH:MM:SS[.fraction][ ZONE]" at p (ZONE: UTC, GMT, a
// common abbreviation such as CET/EDT, or a numeric offset "+03", "-0530").
// `need_zone`: the zone token is required. Returns the end of the text or
// nullptr; sets *ns (UTC) and, for an abbreviation it does not know (read as
// UTC), *unknown_zone.
const char* ParsePgTime(const char* p, const char* end, bool need_zone, int64_t* ns,
                        std::string_view* unknown_zone);

class LinePrefix {
 public:
  // Compiles a log_line_prefix value as written in postgresql.conf (without
  // the quotes). Every text compiles.
  static LinePrefix Compile(std::string_view prefix);
  const std::string& text() const { return text_; }

  // Matches the start of `line` (no newline). On success fills *f, sets
  // *severity_start to the severity word and returns true.
  bool Match(std::string_view line, PrefixFields* f, const char** severity_start) const;

 private:
  struct Item {
    char esc = 0;          // 0: literal; else the escape letter ('q' for %q)
    std::string literal;   // for literals
  };
  bool MatchFrom(size_t item, const char* p, const char* end, PrefixFields* f, const char** sev,
                 int* budget) const;
  std::string text_;
  std::vector<Item> items_;
};

// Loose reading of a line no prefix explains: the first severity word in the
// line; a timestamp at the start of the line (after "<", "[" or blanks) and
// the first "[digits]" before the severity are taken when present.
bool MatchLoose(std::string_view line, PrefixFields* f, const char** severity_start);

// The common prefixes DetectLinePrefix() tries, best guess first.
const std::vector<std::string>& CommonLinePrefixes();

// Picks the prefix that matches the most of the first lines of `head` (lines
// starting with a tab are continuation lines and ignored); ties go to the
// prefix that extracts more fields. Returns false if none matches at least
// half of the lines.
bool DetectLinePrefix(std::string_view head, std::string* prefix);

}  // namespace inari::pg
