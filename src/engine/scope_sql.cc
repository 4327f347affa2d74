#include "engine/scope_sql.h"

#include <algorithm>
#include <cctype>

#include "base/ascii.h"

namespace inari::scope {

namespace {

enum class Tk { kWord, kQuoted, kNumber, kString, kParam, kOp, kLParen, kRParen, kComma, kDot, kSemicolon, kLBracket, kRBracket };

struct Token {
  Tk kind;
  uint32_t begin, end;  // byte range in the text
  int depth;            // parentheses open before this token
  std::string word;     // kWord: lower case; kQuoted: the name unquoted (case kept)
};

bool IdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IdentChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

// Finds the end of a dollar-quote opener at s[i] ('$'): "$$" or "$tag$". Returns
// the tag length including both '$', or 0.
size_t DollarTag(std::string_view s, size_t i) {
  size_t j = i + 1;
  if (j < s.size() && s[j] == '$') return 2;
  if (j >= s.size() || !(std::isalpha(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                         static_cast<unsigned char>(s[j]) >= 0x80))
    return 0;
  while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                          static_cast<unsigned char>(s[j]) >= 0x80))
    ++j;
  return j < s.size() && s[j] == '$' ? j + 1 - i : 0;
}

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  const size_t n = s.size();
  int depth = 0;
  auto push = [&](Tk k, size_t b, size_t e, std::string w = {}) {
    out.push_back(Token{k, static_cast<uint32_t>(b), static_cast<uint32_t>(e), depth, std::move(w)});
  };
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isspace(c)) {
      ++i;
    } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      while (i < n && s[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {  // nested block comments
      int level = 0;
      while (i < n) {
        if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
          ++level;
          i += 2;
        } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
          i += 2;
          if (--level == 0) break;
        } else {
          ++i;
        }
      }
    } else if (c == '\'' || ((c == 'E' || c == 'e' || c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' ||
                              c == 'n') &&
                             i + 1 < n && s[i + 1] == '\'') ||
               ((c == 'U' || c == 'u') && i + 2 < n && s[i + 1] == '&' && s[i + 2] == '\'')) {
      const size_t b = i;
      const bool backslash = c == 'E' || c == 'e';
      while (s[i] != '\'') ++i;
      ++i;
      while (i < n) {
        if (backslash && s[i] == '\\' && i + 1 < n) {
          i += 2;
        } else if (s[i] == '\'') {
          if (i + 1 < n && s[i + 1] == '\'') {
            i += 2;
          } else {
            ++i;
            break;
          }
        } else {
          ++i;
        }
      }
      push(Tk::kString, b, i);
    } else if (c == '$' && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      const size_t b = i++;
      while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      push(Tk::kParam, b, i, std::string(s.substr(b + 1, i - b - 1)));
    } else if (c == '$' && DollarTag(s, i) > 0) {
      const size_t b = i;
      const size_t t = DollarTag(s, i);
      const std::string_view tag = s.substr(i, t);
      const size_t e = s.find(tag, i + t);
      i = e == std::string_view::npos ? n : e + t;
      push(Tk::kString, b, i);
    } else if (c == '"') {
      const size_t b = i++;
      std::string name;
      while (i < n) {
        if (s[i] == '"') {
          if (i + 1 < n && s[i + 1] == '"') {
            name += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        name += s[i++];
      }
      push(Tk::kQuoted, b, i, std::move(name));
    } else if (std::isdigit(c) || (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      const size_t b = i;
      while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == '_' ||
                       ((s[i] == '+' || s[i] == '-') && (s[i - 1] == 'e' || s[i - 1] == 'E'))))
        ++i;
      push(Tk::kNumber, b, i);
    } else if (IdentStart(c)) {
      const size_t b = i++;
      while (i < n && IdentChar(static_cast<unsigned char>(s[i]))) ++i;
      push(Tk::kWord, b, i, AsciiLowerCopy(s.substr(b, i - b)));
    } else if (c == '(') {
      push(Tk::kLParen, i, i + 1);
      ++depth;
      ++i;
    } else if (c == ')') {
      if (depth > 0) --depth;
      push(Tk::kRParen, i, i + 1);
      ++i;
    } else if (c == '[') {
      push(Tk::kLBracket, i, i + 1);
      ++i;
    } else if (c == ']') {
      push(Tk::kRBracket, i, i + 1);
      ++i;
    } else if (c == ',') {
      push(Tk::kComma, i, i + 1);
      ++i;
    } else if (c == ';') {
      push(Tk::kSemicolon, i, i + 1);
      ++i;
    } else if (c == '.') {
      push(Tk::kDot, i, i + 1);
      ++i;
    } else {
      const size_t b = i++;
      static constexpr std::string_view kOpChars = "+-*/<>=~!@#%^&|`?:";
      while (i < n && kOpChars.find(s[i]) != std::string_view::npos && !(s[i] == '-' && i + 1 < n && s[i + 1] == '-') &&
             !(s[i] == '/' && i + 1 < n && s[i + 1] == '*'))
        ++i;
      push(Tk::kOp, b, i, std::string(s.substr(b, i - b)));
    }
  }
  return out;
}

bool IsWord(const Token& t, std::string_view w) { return t.kind == Tk::kWord && t.word == w; }

template <size_t N>
bool In(std::string_view w, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), w) != std::end(set);
}

// Data-modifying statements a SELECT can hold (in a WITH); other statements
// can only start a statement, and one statement starting with SELECT/WITH/
// TABLE/VALUES is all that is accepted.
constexpr std::string_view kWriteWords[] = {"insert", "update", "delete", "merge"};

// Functions with side effects, or that run SQL text, read files or wait.
constexpr std::string_view kDeniedFunctions[] = {
    "pg_sleep", "pg_sleep_for", "pg_sleep_until", "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf",
    "pg_rotate_logfile", "pg_switch_wal", "pg_promote", "pg_stat_file", "set_config", "pg_notify", "nextval",
    "setval", "txid_current", "pg_current_xact_id", "query_to_xml", "query_to_xml_and_xmlschema",
    "query_to_xmlschema", "cursor_to_xml", "cursor_to_xmlschema", "table_to_xml", "table_to_xml_and_xmlschema",
    "schema_to_xml", "schema_to_xml_and_xmlschema", "database_to_xml", "database_to_xml_and_xmlschema",
    "pg_logical_emit_message", "pg_log_backend_memory_contexts", "pg_import_system_collations",
    "pg_backup_start", "pg_backup_stop", "pg_start_backup", "pg_stop_backup", "pg_wal_replay_pause",
    "pg_wal_replay_resume", "pg_export_snapshot", "pg_blocking_pids"};
constexpr std::string_view kDeniedPrefixes[] = {"pg_advisory", "pg_try_advisory", "dblink", "lo_",
                                                "pg_replication_origin", "pg_create_", "pg_drop_",
                                                "pg_stat_reset", "pg_file_", "pg_ls_", "pg_read_",
                                                "pg_copy_", "pg_reload", "pg_truncate"};

constexpr std::string_view kAggregates[] = {
    "count", "sum", "avg", "min", "max", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop",
    "var_samp", "bool_and", "bool_or", "every", "bit_and", "bit_or", "bit_xor", "corr", "covar_pop",
    "covar_samp", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope",
    "regr_sxx", "regr_sxy", "regr_syy", "percentile_cont", "percentile_disc", "mode", "range_agg",
    "range_intersect_agg"};
// Aggregates that carry row values out (every e-mail in one string).
constexpr std::string_view kCollectingAggregates[] = {"string_agg", "array_agg", "json_agg", "jsonb_agg",
                                                      "json_object_agg", "jsonb_object_agg", "xmlagg",
                                                      "json_objectagg", "json_arrayagg"};
// Set-returning functions change the row count of a select list.
constexpr std::string_view kSetReturning[] = {
    "unnest", "generate_series", "generate_subscripts", "regexp_matches", "regexp_split_to_table",
    "json_array_elements", "jsonb_array_elements", "json_array_elements_text", "jsonb_array_elements_text",
    "json_each", "jsonb_each", "json_each_text", "jsonb_each_text", "json_object_keys", "jsonb_object_keys",
    "jsonb_path_query", "json_populate_recordset", "jsonb_populate_recordset", "json_to_recordset",
    "jsonb_to_recordset", "string_to_table", "pg_options_to_table"};

// Words that end a FROM item (cannot be an alias).
constexpr std::string_view kFromStop[] = {
    "where", "group", "having", "window", "order", "limit", "offset", "fetch", "for", "union", "intersect",
    "except", "join", "inner", "left", "right", "full", "cross", "natural", "on", "using", "lateral", "as",
    "tablesample", "only", "returning", "into"};

std::string Lower(std::string_view s) { return AsciiLowerCopy(s); }

// Table name parts of `text` ("crm.customers", "\"crm\".\"Customers\""), lower case, quotes removed.
std::vector<std::string> NameParts(std::string_view text) {
  std::vector<std::string> parts;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      if (quoted && i + 1 < text.size() && text[i + 1] == '"') {
        cur += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == '.' && !quoted) {
      parts.push_back(Lower(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(Lower(cur));
  return parts;
}

// A FROM item naming a table: [schema .] name [[AS] alias].
struct TableRef {
  std::vector<std::string> parts;  // lower case
  std::string written;             // the name as written
  std::string alias;               // as written (quoted if it was), empty if none
};

bool PartsMatch(const std::vector<std::string>& parts, std::string_view configured) {
  if (configured == "*") return true;
  std::vector<std::string> want = NameParts(configured);
  if (want.size() > parts.size()) return false;
  return std::equal(want.rbegin(), want.rend(), parts.rbegin());
}

}  // namespace

bool TableMatches(std::string_view logged, std::string_view configured) {
  return PartsMatch(NameParts(logged), configured);
}

std::string QuoteIdentifier(std::string_view name, bool dotted) {
  if (dotted) {
    std::string out;
    size_t b = 0;
    while (true) {
      size_t e = name.find('.', b);
      if (!out.empty()) out += '.';
      out += QuoteIdentifier(name.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b), false);
      if (e == std::string_view::npos) break;
      b = e + 1;
    }
    return out;
  }
  bool plain = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      plain = false;
  if (plain) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

bool IsPlainSelect(std::string_view q, std::string* why) {
  const std::vector<Token> t = Tokenize(q);
  auto fail = [&](std::string w) {
    if (why) *why = std::move(w);
    return false;
  };
  if (t.empty()) return fail("empty statement");
  size_t first = 0;
  while (first < t.size() && t[first].kind == Tk::kLParen) ++first;
  if (first >= t.size() || t[first].kind != Tk::kWord ||
      !(t[first].word == "select" || t[first].word == "with" || t[first].word == "table" || t[first].word == "values"))
    return fail("not a SELECT");
  for (size_t i = 0; i < t.size(); ++i) {
    const Token& k = t[i];
    if (k.kind == Tk::kSemicolon) {
      if (i + 1 != t.size()) return fail("more than one statement");
      continue;
    }
    if (k.kind != Tk::kWord) continue;
    const bool qualified = i > 0 && t[i - 1].kind == Tk::kDot;  // a column such as c.update is no statement
    const bool call = i + 1 < t.size() && t[i + 1].kind == Tk::kLParen;
    if (k.word == "for" && !qualified && i + 1 < t.size() && t[i + 1].kind == Tk::kWord &&
        (t[i + 1].word == "update" || t[i + 1].word == "share" || t[i + 1].word == "no" || t[i + 1].word == "key"))
      return fail("takes row locks (FOR UPDATE/SHARE)");
    if (!qualified && In(k.word, kWriteWords)) {
      std::string w = k.word;
      for (char& c : w) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return fail("contains " + w);
    }
    if (k.word == "into" && !qualified) return fail("SELECT INTO creates a table");
    if (call) {
      if (In(k.word, kDeniedFunctions)) return fail("calls " + k.word + "()");
      for (std::string_view p : kDeniedPrefixes)
        if (k.word.compare(0, p.size(), p) == 0) return fail("calls " + k.word + "()");
    }
  }
  return true;
}

namespace {

// Index of the token closing the parenthesis opened at t[open].
size_t MatchParen(const std::vector<Token>& t, size_t open) {
  int d = 0;
  for (size_t i = open; i < t.size(); ++i) {
    if (t[i].kind == Tk::kLParen) ++d;
    else if (t[i].kind == Tk::kRParen && --d == 0) return i;
  }
  return t.size();
}

std::string_view Text(std::string_view s, const Token& a, const Token& b) { return s.substr(a.begin, b.end - a.begin); }

// Strips a trailing ';' and blanks.
std::string_view TrimStatement(std::string_view s) {
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == ';')) s.remove_suffix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

int MaxParam(const std::vector<Token>& t) {
  int m = 0;
  for (const Token& k : t)
    if (k.kind == Tk::kParam) m = std::max(m, std::atoi(k.word.c_str()));
  return m;
}

// Plans a SELECT (already checked to start with SELECT/WITH/TABLE/VALUES).
void PlanSelect(std::string_view q, const std::vector<std::string>& tables, std::string_view key, KeyQueryPlan* p) {
  const std::vector<Token> t = Tokenize(q);
  const std::string qkey = QuoteIdentifier(key, false);
  p->max_param = MaxParam(t);
  p->verdict = KeyQueryPlan::Verdict::kRun;
  p->wrapped = "SELECT q." + qkey + " FROM (\n" + std::string(q) + "\n) q";
  if (t.empty() || !IsWord(t[0], "select")) return;  // WITH / TABLE / VALUES / (…): wrapped only

  // Top-level structure.
  size_t list_begin = 1, from = t.size();
  bool distinct = false;
  if (list_begin < t.size() && IsWord(t[list_begin], "distinct")) distinct = true;
  if (list_begin < t.size() && IsWord(t[list_begin], "all")) ++list_begin;
  bool group_by = false, order_by = false, limit = false, set_op = false;
  size_t order_at = t.size(), group_at = t.size();
  for (size_t i = 1; i < t.size(); ++i) {
    if (t[i].depth != 0 || t[i].kind != Tk::kWord) continue;
    const std::string& w = t[i].word;
    if (w == "from" && from == t.size()) from = i;
    if (from == t.size()) continue;
    if (w == "group" && i + 1 < t.size() && IsWord(t[i + 1], "by")) group_by = true, group_at = i + 2;
    if (w == "order" && i + 1 < t.size() && IsWord(t[i + 1], "by")) order_by = true, order_at = i + 2;
    if (w == "limit" || w == "offset" || w == "fetch") limit = true;
    if (w == "union" || w == "intersect" || w == "except") set_op = true;
  }
  if (from == t.size()) {
    p->verdict = KeyQueryPlan::Verdict::kNoRows;
    p->reason = "reads no table";
    return;
  }
  p->ordered = !limit || order_by;

  // Select list items (depth-0 commas).
  struct Item {
    size_t b, e;  // token range [b, e)
  };
  std::vector<Item> items;
  size_t ib = distinct ? list_begin + 1 : list_begin;
  if (distinct && ib < from && IsWord(t[ib], "on") && ib + 1 < from && t[ib + 1].kind == Tk::kLParen)
    ib = MatchParen(t, ib + 1) + 1;
  for (size_t i = ib; i <= from; ++i) {
    if (i == from || (t[i].kind == Tk::kComma && t[i].depth == 0)) {
      if (i > ib) items.push_back({ib, i});
      ib = i + 1;
    }
  }
  bool aggregate = group_by, collecting = false, srf = false, key_out = false;
  std::vector<std::string> aliases;
  for (const Item& it : items) {
    const size_t n = it.e - it.b;
    // key / x.key / * / x.*
    const Token& last = t[it.e - 1];
    if ((n == 1 && ((last.kind == Tk::kWord && last.word == key) || (last.kind == Tk::kQuoted && last.word == key) ||
                    (last.kind == Tk::kOp && last.word == "*"))) ||
        (n >= 3 && t[it.e - 2].kind == Tk::kDot &&
         ((last.kind == Tk::kWord && last.word == key) || (last.kind == Tk::kQuoted && last.word == key) ||
          (last.kind == Tk::kOp && last.word == "*"))))
      key_out = true;
    for (size_t i = it.b; i < it.e; ++i) {
      if (t[i].kind != Tk::kWord || i + 1 >= it.e || t[i + 1].kind != Tk::kLParen) continue;
      const size_t close = MatchParen(t, i + 1);
      const bool window = close + 1 < it.e && IsWord(t[close + 1], "over");
      if (In(t[i].word, kCollectingAggregates) && !window) collecting = true;
      if (In(t[i].word, kAggregates) && !window) aggregate = true;
      if (In(t[i].word, kSetReturning)) srf = true;
    }
    // Output alias: `expr AS name` or `expr name`.
    if (n >= 2 && (last.kind == Tk::kWord || last.kind == Tk::kQuoted)) {
      const Token& before = t[it.e - 2];
      if (IsWord(before, "as") ||
          (before.kind != Tk::kDot && before.kind != Tk::kOp && !(before.kind == Tk::kWord && before.word == "distinct")))
        aliases.push_back(last.kind == Tk::kWord ? last.word : Lower(last.word));
    }
  }
  if (collecting) {
    p->verdict = KeyQueryPlan::Verdict::kRefused;
    p->reason = "collects row values into an aggregate (string_agg, array_agg, json_agg…); the rows behind it are not resolved";
    return;
  }
  if (aggregate) {
    if (key_out) return;  // grouped by the key: wrapped
    p->verdict = KeyQueryPlan::Verdict::kNoRows;
    p->reason = "aggregate: returns no customer rows";
    return;
  }
  if (distinct || set_op || srf) return;  // wrapped only

  // The customer-data table among the FROM items at depth 0.
  std::vector<TableRef> refs;
  size_t clause_end = t.size();
  for (size_t i = from + 1; i < t.size(); ++i)
    if (t[i].depth == 0 && t[i].kind == Tk::kWord &&
        (t[i].word == "where" || t[i].word == "group" || t[i].word == "having" || t[i].word == "window" ||
         t[i].word == "order" || t[i].word == "limit" || t[i].word == "offset" || t[i].word == "fetch" ||
         t[i].word == "for")) {
      clause_end = i;
      break;
    }
  for (size_t i = from + 1; i < clause_end; ++i) {
    if (t[i].depth != 0) continue;
    const bool starts = i == from + 1 || t[i - 1].kind == Tk::kComma || IsWord(t[i - 1], "join") ||
                        IsWord(t[i - 1], "only");
    if (!starts || (t[i].kind != Tk::kWord && t[i].kind != Tk::kQuoted)) continue;
    if (t[i].kind == Tk::kWord && (t[i].word == "lateral" || t[i].word == "only")) continue;
    size_t j = i;
    while (j + 2 < clause_end && t[j + 1].kind == Tk::kDot && (t[j + 2].kind == Tk::kWord || t[j + 2].kind == Tk::kQuoted)) j += 2;
    if (j + 1 < t.size() && t[j + 1].kind == Tk::kLParen) continue;  // a function in FROM
    TableRef r;
    r.written = std::string(Text(q, t[i], t[j]));
    r.parts = NameParts(r.written);
    size_t a = j + 1;
    if (a < clause_end && IsWord(t[a], "as")) ++a;
    if (a < clause_end && (t[a].kind == Tk::kQuoted || (t[a].kind == Tk::kWord && !In(t[a].word, kFromStop))))
      r.alias = std::string(Text(q, t[a], t[a]));
    refs.push_back(std::move(r));
    i = j;
  }
  const TableRef* target = nullptr;
  for (const std::string& want : tables) {
    int hits = 0;
    const TableRef* hit = nullptr;
    for (const TableRef& r : refs)
      if (want != "*" && PartsMatch(r.parts, want)) ++hits, hit = &r;
    if (hits > 1) return;  // self-join: wrapped only
    if (hits == 1) {
      target = hit;
      break;
    }
  }
  if (!target) return;

  // ORDER BY / GROUP BY must not use positions or output aliases.
  for (size_t start : {order_at, group_at}) {
    if (start >= t.size()) continue;
    for (size_t i = start; i < t.size(); ++i) {
      if (t[i].depth != 0) continue;
      if (t[i].kind == Tk::kWord && (t[i].word == "limit" || t[i].word == "offset" || t[i].word == "fetch" ||
                                     t[i].word == "for" || t[i].word == "having" || t[i].word == "order" ||
                                     t[i].word == "window"))
        break;
      const bool item_start = i == start || t[i - 1].kind == Tk::kComma;
      if (item_start && t[i].kind == Tk::kNumber) return;
      if ((t[i].kind == Tk::kWord || t[i].kind == Tk::kQuoted) && !(i > 0 && t[i - 1].kind == Tk::kDot) &&
          !(i + 1 < t.size() && t[i + 1].kind == Tk::kDot)) {
        const std::string w = t[i].kind == Tk::kWord ? t[i].word : Lower(t[i].word);
        if (std::find(aliases.begin(), aliases.end(), w) != aliases.end()) return;
      }
    }
  }
  std::string qualifier = target->alias;
  if (qualifier.empty()) {
    std::string_view w = target->written;
    // The last part as written (unqualified name of the table).
    size_t dot = std::string_view::npos;
    bool quoted = false;
    for (size_t i = 0; i < w.size(); ++i) {
      if (w[i] == '"') quoted = !quoted;
      else if (w[i] == '.' && !quoted) dot = i;
    }
    qualifier = std::string(dot == std::string_view::npos ? w : w.substr(dot + 1));
  }
  p->projection = std::string(q.substr(0, t[0].end)) + " " + qualifier + "." + qkey + " " +
                  std::string(q.substr(t[from].begin));
  p->table = target->written;
}

}  // namespace

KeyQueryPlan PlanKeyQuery(std::string_view statement, const std::vector<std::string>& tables,
                          std::string_view key_column) {
  KeyQueryPlan p;
  const std::string key = Lower(key_column);
  std::string_view s = TrimStatement(statement);
  const std::vector<Token> t = Tokenize(s);
  if (t.empty()) {
    p.reason = "empty statement";
    return p;
  }
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i].kind == Tk::kSemicolon) {
      p.reason = "more than one statement";
      return p;
    }
  std::string query;
  if (IsWord(t[0], "copy")) {
    // COPY ( query ) TO … | COPY table [ ( columns ) ] TO …
    size_t to = t.size();
    for (size_t i = 1; i < t.size(); ++i)
      if (t[i].depth == 0 && (IsWord(t[i], "to") || IsWord(t[i], "from"))) {
        to = i;
        break;
      }
    if (to == t.size() || IsWord(t[to], "from")) {
      p.reason = "COPY … FROM writes into a table";
      return p;
    }
    if (t.size() > 1 && t[1].kind == Tk::kLParen) {
      const size_t close = MatchParen(t, 1);
      if (close >= t.size() || close == 2) {
        p.reason = "unreadable COPY";
        return p;
      }
      query = std::string(Text(s, t[2], t[close - 1]));
    } else {
      size_t j = 1;
      while (j + 2 < to && t[j + 1].kind == Tk::kDot) j += 2;
      if (t[1].kind != Tk::kWord && t[1].kind != Tk::kQuoted) {
        p.reason = "unreadable COPY";
        return p;
      }
      const std::string name(Text(s, t[1], t[j]));
      query = "SELECT " + QuoteIdentifier(key, false) + " FROM " + name;
      p.whole_table = true;
    }
  } else if (IsWord(t[0], "declare")) {
    size_t i = 1;
    while (i < t.size() && !IsWord(t[i], "for")) ++i;
    if (i + 1 >= t.size()) {
      p.reason = "unreadable DECLARE";
      return p;
    }
    query = std::string(s.substr(t[i + 1].begin));
  } else {
    query = std::string(s);
  }
  std::string why;
  if (!IsPlainSelect(query, &why)) {
    p.verdict = KeyQueryPlan::Verdict::kRefused;
    p.reason = "not a plain SELECT: " + why;
    return p;
  }
  std::vector<std::string> lowered;
  for (const std::string& x : tables) lowered.push_back(Lower(x));
  PlanSelect(query, lowered, key, &p);
  if (p.whole_table) {  // `SELECT key FROM table` is its own projection
    p.projection = query;
  }
  return p;
}

std::string StatementShape(std::string_view statement, size_t max_len) {
  const std::vector<Token> t = Tokenize(statement);
  std::string out;
  auto literal = [](const Token& k) { return k.kind == Tk::kString || k.kind == Tk::kNumber; };
  for (size_t i = 0; i < t.size(); ++i) {
    const Token& k = t[i];
    // A run "?, ?, ?" inside parentheses or brackets becomes "?, …".
    if (literal(k) && i + 2 < t.size() && t[i + 1].kind == Tk::kComma && literal(t[i + 2]) && i > 0 &&
        (t[i - 1].kind == Tk::kLParen || t[i - 1].kind == Tk::kLBracket)) {
      size_t j = i;
      while (j + 2 < t.size() && t[j + 1].kind == Tk::kComma && literal(t[j + 2])) j += 2;
      out += "?, …";
      i = j;
      continue;
    }
    const bool glue_left = k.kind == Tk::kRParen || k.kind == Tk::kComma || k.kind == Tk::kDot ||
                           k.kind == Tk::kSemicolon || k.kind == Tk::kRBracket || k.kind == Tk::kLBracket ||
                           (k.kind == Tk::kOp && k.word == "::");
    const bool prev_glue = !out.empty() && (out.back() == '(' || out.back() == '.' || out.back() == '[' ||
                                            (out.size() >= 2 && out.compare(out.size() - 2, 2, "::") == 0));
    if (!out.empty() && !glue_left && !prev_glue) out += ' ';
    if (k.kind == Tk::kLParen && i > 0 && (t[i - 1].kind == Tk::kWord || t[i - 1].kind == Tk::kQuoted) && !out.empty() &&
        out.back() == ' ')
      out.pop_back();  // count(*)
    if (literal(k)) out += '?';
    else out.append(statement.substr(k.begin, k.end - k.begin));
    if (out.size() > max_len) break;
  }
  if (out.size() > max_len) {
    size_t cut = max_len;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "…";
  }
  return out;
}

}  // namespace inari::scope
