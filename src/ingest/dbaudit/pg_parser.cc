#include "ingest/dbaudit/pg_parser.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace inari::pg {

namespace {

constexpr uint64_t kMaxReportsPerSource = 100;
constexpr size_t kDetectBytes = 64 << 10;
constexpr size_t kMaxSessions = 1 << 16;

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A line: [begin, end) without "\r\n"; next: after its newline.
struct Line {
  const char* begin;
  const char* end;
  const char* next;
};

// The line at p; false when there is none (p == end) or, unless `final`, it
// has no newline yet.
bool NextLine(const char* p, const char* end, bool final, Line* l) {
  if (p >= end) return false;
  const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
  if (!nl) {
    if (!final) return false;
    l->end = end;
    l->next = end;
  } else {
    l->end = nl;
    l->next = nl + 1;
  }
  if (l->end > p && l->end[-1] == '\r') --l->end;
  l->begin = p;
  return true;
}

// A message and its continuation lines: [begin, end) of the text as logged.
struct Section {
  const char* begin = nullptr;
  const char* end = nullptr;
  bool multi = false;
};

// The text of a section: continuation lines lose the tab PostgreSQL put in
// front of them (and CRs before newlines).
std::string_view Materialize(const Section& s, Arena* arena) {
  if (!s.begin) return {};
  if (!s.multi) return {s.begin, static_cast<size_t>(s.end - s.begin)};
  char* o = arena->Allocate(static_cast<size_t>(s.end - s.begin));
  size_t k = 0;
  for (const char* p = s.begin; p < s.end; ++p) {
    if (*p == '\r' && p + 1 < s.end && p[1] == '\n') continue;
    o[k++] = *p;
    if (*p == '\n' && p + 1 < s.end && p[1] == '\t') ++p;
  }
  arena->Shrink(o, static_cast<size_t>(s.end - s.begin), k);
  return {o, k};
}

int64_t ToInt(std::string_view s, int64_t dflt) {
  int64_t v;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() ? v : dflt;
}

// "host:port" of csvlog's connection_from (IPv6 hosts contain colons too).
void SplitHostPort(std::string_view v, PrefixFields* f) {
  size_t c = v.rfind(':');
  if (c != std::string_view::npos && c + 1 < v.size() && v.find_first_not_of("0123456789", c + 1) == std::string_view::npos) {
    f->client = v.substr(0, c);
    f->client_port = v.substr(c + 1);
  } else {
    f->client = v;
  }
}

// True if the line at p starts like a csvlog row: a timestamp and a comma.
bool StartsCsvRow(const char* p, const char* end) {
  int64_t ns;
  std::string_view z;
  const char* q = ParsePgTime(p, end, true, &ns, &z);
  return q && q < end && *q == ',';
}

// Verbose error messages (log_error_verbosity = verbose) start with the SQLSTATE.
void TakeVerboseSqlState(const char** msg, const char* end, PrefixFields* f) {
  const char* m = *msg;
  if (end - m < 7 || m[5] != ':' || m[6] != ' ') return;
  int digits = 0;
  for (int i = 0; i < 5; ++i) {
    if (!IsDigit(m[i]) && !(m[i] >= 'A' && m[i] <= 'Z')) return;
    digits += IsDigit(m[i]);
  }
  if (digits == 0) return;  // every SQLSTATE has a digit; "AUDIT: " is pgaudit's
  if (f->sqlstate.empty()) f->sqlstate = {m, 5};
  *msg = m + 7;
}

}  // namespace

struct Parser::Json {
  simdjson::ondemand::parser parser;
};

Parser::Parser(PgLogFormat format, const PgLogOptions& options, std::string source, IssueReporter* reporter)
    : format_(format), options_(options), source_(std::move(source)), reporter_(reporter) {
  if (format_ == PgLogFormat::kJson) json_ = std::make_unique<Json>();
  if (options_.line_prefix) {
    prefix_ = LinePrefix::Compile(*options_.line_prefix);
    have_prefix_ = true;
    prefix_ready_ = true;
  }
}

Parser::~Parser() = default;

void Parser::Report(Status s, uint64_t line) {
  if (!reporter_) return;
  if (++reports_ > kMaxReportsPerSource) return;
  ReadIssue issue;
  issue.status = std::move(s);
  issue.source = source_;
  issue.where = "line " + std::to_string(line);
  reporter_->Report(issue);
}

void Parser::Finish() {
  if (finished_) return;
  finished_ = true;
  if (reports_ > kMaxReportsPerSource && reporter_) {
    ReadIssue issue;
    issue.status = Status::ParseError("PostgreSQL log", std::to_string(reports_ - kMaxReportsPerSource) +
                                                            " further problems not reported one by one");
    issue.source = source_;
    reporter_->Report(issue);
  }
}

const char* Parser::Parse(const char* p, const char* end, const char* readable_end, bool final, EventBatch* batch,
                          uint32_t source_index, size_t max_events) {
  source_index_ = source_index;
  switch (format_) {
    case PgLogFormat::kStderr:
      return ParseStderr(p, end, final, batch, max_events);
    case PgLogFormat::kCsv:
      return ParseCsv(p, end, final, batch, max_events);
    case PgLogFormat::kJson:
      return ParseJson(p, end, readable_end, final, batch, max_events);
  }
  return end;
}

void Parser::Emit(Record& r, EventBatch* batch, uint64_t line) {
  if (!r.f.unknown_zone.empty() && !zone_reported_) {
    zone_reported_ = true;
    Report(Status::ParseError("PostgreSQL log", "time zone abbreviation '" + std::string(r.f.unknown_zone) +
                                                    "' is unknown; times read as UTC (first such entry)"),
           line);
  }
  Emitted out;
  const EventOrigin origin{source_index_, 0, line};
  // Only stderr prefixes may lack the client and application (csvlog and
  // jsonlog always carry them); the session's connection lines tell them.
  if (format_ != PgLogFormat::kStderr || r.f.pid < 0 || !r.f.client.empty()) {
    EmitRecord(r, nullptr, batch, origin, &out);
  } else {
    auto it = sessions_.find(r.f.pid);
    SessionHint hint;
    if (it != sessions_.end()) {
      hint.client = batch->CopyString(it->second.client);
      hint.client_port = batch->CopyString(it->second.client_port);
      if (r.f.application.empty()) hint.application = batch->CopyString(it->second.application);
    }
    EmitRecord(r, it != sessions_.end() ? &hint : nullptr, batch, origin, &out);
    if (out.type == "connect") {
      if (sessions_.size() >= kMaxSessions) sessions_.clear();  // bounded: pids are reused anyway
      sessions_[r.f.pid] = Session{std::string(out.client), std::string(out.client_port), {}};
    } else if (out.type == "authorized" && it != sessions_.end()) {
      it->second.application = std::string(out.application);
    } else if (out.type == "disconnect" || out.type == "auth_failed" ||
               (r.severity == Severity::kFatal && it != sessions_.end())) {
      if (it != sessions_.end()) sessions_.erase(it);
    }
  }
  ++entries_;
  if (out.audit_error) Report(Status::ParseError("pgaudit record", out.audit_error), line);
}

// ---- stderr ------------------------------------------------------------------

void Parser::PrepareStderr(const char* p, const char* end) {
  if (prefix_ready_) return;
  prefix_ready_ = true;
  std::string detected;
  std::string_view head(p, std::min<size_t>(static_cast<size_t>(end - p), kDetectBytes));
  if (DetectLinePrefix(head, &detected)) {
    prefix_ = LinePrefix::Compile(detected);
    have_prefix_ = true;
  }
}

const Parser::Parsed& Parser::ParseLine(const char* b, const char* e) {
  for (Parsed& c : cache_)
    if (c.at == b) return c;
  Parsed& c = cache_[cache_next_];
  cache_next_ ^= 1;
  c = Parsed();
  c.at = b;
  std::string_view line(b, static_cast<size_t>(e - b));
  const char* sev = nullptr;
  bool ok = have_prefix_ && prefix_.Match(line, &c.f, &sev);
  if (!ok) {
    c.f = PrefixFields();
    ok = MatchLoose(line, &c.f, &sev);
    c.loose = ok;
  }
  if (!ok) return c;
  c.sev = MatchSeverity(sev, e, &c.word, &c.msg);
  c.ok = c.sev != Severity::kNone;
  return c;
}

const char* Parser::ParseStderr(const char* p, const char* end, bool final, EventBatch* batch, size_t max_events) {
  PrepareStderr(p, end);
  for (Parsed& c : cache_) c.at = nullptr;  // the text may be a new buffer at an old address
  const size_t start = batch->size();
  while (batch->size() - start < max_events) {
    Line l;
    if (!NextLine(p, end, final, &l)) return p;
    if (l.begin == l.end) {  // blank line
      p = l.next;
      ++line_;
      continue;
    }
    if (*l.begin == '\t') {
      // A continuation line without its message (the file starts mid-entry, or
      // the message was unreadable and reported already).
      if (!skip_tabs_) Report(Status::ParseError("PostgreSQL log", "continuation line without a message"), line_);
      skip_tabs_ = true;
      p = l.next;
      ++line_;
      continue;
    }
    const Parsed primary = ParseLine(l.begin, l.end);  // a copy: lookahead reuses the cache
    if (!primary.ok) {
      Report(Status::ParseError("PostgreSQL log", "no severity word (LOG:, ERROR:…) after the line prefix"), line_);
      skip_tabs_ = true;
      p = l.next;
      ++line_;
      continue;
    }
    if (primary.loose && have_prefix_ && !loose_reported_) {
      loose_reported_ = true;
      Report(Status::ParseError("PostgreSQL log", "line does not match log_line_prefix '" + prefix_.text() +
                                                      "'; read by its severity word (first such line)"),
             line_);
    }
    skip_tabs_ = false;
    Record r;
    r.f = primary.f;
    r.severity = primary.sev;
    r.severity_word = primary.word;
    const char* msg = primary.msg;
    if (!IsAuxSeverity(primary.sev)) TakeVerboseSqlState(&msg, l.end, &r.f);
    Section sections[7];  // message, then one per aux severity
    sections[0] = {msg, l.end, false};
    Section* cur = &sections[0];
    const char* q = l.next;
    uint64_t lines = 1;
    bool complete = true;
    for (;;) {
      Line n;
      if (!NextLine(q, end, final, &n)) {
        if (!final) complete = false;
        break;
      }
      if (n.begin < n.end && *n.begin == '\t') {
        cur->end = n.end;
        cur->multi = true;
        q = n.next;
        ++lines;
        continue;
      }
      if (n.begin == n.end || IsAuxSeverity(primary.sev)) break;
      const Parsed& aux = ParseLine(n.begin, n.end);
      if (!aux.ok || !IsAuxSeverity(aux.sev)) break;
      if (aux.f.pid >= 0 && r.f.pid >= 0 && aux.f.pid != r.f.pid) break;
      Section& s = sections[static_cast<int>(aux.sev) - static_cast<int>(Severity::kDetail) + 1];
      if (s.begin) break;  // a second DETAIL: not ours
      s = {aux.msg, n.end, false};
      cur = &s;
      q = n.next;
      ++lines;
    }
    if (!complete) return p;
    Arena* arena = batch->arena();
    // An orphan DETAIL/STATEMENT… line is an entry of its own, its text the message.
    r.message = Materialize(sections[0], arena);
    r.detail = Materialize(sections[1], arena);
    r.hint = Materialize(sections[2], arena);
    r.internal_query = Materialize(sections[3], arena);
    r.context = Materialize(sections[4], arena);
    r.location = Materialize(sections[5], arena);
    r.statement = Materialize(sections[6], arena);
    Emit(r, batch, line_);
    line_ += lines;
    p = q;
  }
  return p;
}

// ---- csvlog ------------------------------------------------------------------

const char* Parser::ParseCsv(const char* p, const char* end, bool final, EventBatch* batch, size_t max_events) {
  const size_t start = batch->size();
  std::string_view col[27];
  while (batch->size() - start < max_events && p < end) {
    if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {  // blank line
      p += *p == '\n' ? 1 : 2;
      ++line_;
      continue;
    }
    CsvSplit s = SplitCsv(p, end, true, batch->arena(), col, 27);
    if (!final && (s.how == CsvSplit::kOpenQuote || s.how == CsvSplit::kEnd)) return p;
    const char* why = nullptr;
    const size_t n = s.fields;
    Record r;
    if (s.how == CsvSplit::kOpenQuote)
      why = "a quoted field is not closed before the end of the input";
    else if (s.how == CsvSplit::kBadQuote)
      why = "text after a closing quote";
    else if (n != 22 && n != 23 && n != 24 && n != 26)
      why = "not a csvlog row (22, 23, 24 or 26 columns)";
    else if (!ParsePgTime(col[0].data(), col[0].data() + col[0].size(), true, &r.f.time, &r.f.unknown_zone))
      why = "log_time is not a timestamp";
    else if ((r.severity = SeverityFromWord(col[11])) == Severity::kNone)
      why = "error_severity is not a severity";
    if (why) {
      Report(Status::ParseError("csvlog row", why), line_);
      // Resume at the next line that starts a row.
      const char* q = p;
      for (;;) {
        const char* nl = static_cast<const char*>(std::memchr(q, '\n', static_cast<size_t>(end - q)));
        if (!nl) {
          q = end;
          break;
        }
        ++line_;
        q = nl + 1;
        if (StartsCsvRow(q, end)) break;
      }
      p = q;
      continue;
    }
    PrefixFields& f = r.f;
    f.user = col[1];
    f.database = col[2];
    f.pid = ToInt(col[3], -1);
    SplitHostPort(col[4], &f);
    f.session_id = col[5];
    f.session_line = ToInt(col[6], -1);
    f.command_tag = col[7];
    if (!col[8].empty())
      ParsePgTime(col[8].data(), col[8].data() + col[8].size(), true, &f.session_start, &f.unknown_zone);
    f.vxid = col[9];
    f.txid = ToInt(col[10], -1);
    r.severity_word = col[11];
    f.sqlstate = col[12];
    r.message = col[13];
    r.detail = col[14];
    r.hint = col[15];
    r.internal_query = col[16];
    r.context = col[18];
    r.statement = col[19];
    r.location = col[21];
    if (n >= 23) f.application = col[22];
    if (n >= 24) f.backend_type = col[23];
    if (n >= 26) {
      f.leader_pid = ToInt(col[24], -1);
      f.query_id = col[25];
    }
    Emit(r, batch, line_);
    line_ += 1 + s.newlines;
    p = s.next;
  }
  return p;
}

// ---- jsonlog -------------------------------------------------------------------

namespace {

namespace od = simdjson::ondemand;

// A JSON string value: a view into the input when it has no escapes, else
// unescaped into the arena. Numbers give their text.
simdjson::error_code JsonText(od::value& v, const char* line_end, Arena* arena, std::string_view* out) {
  std::string_view tok = v.raw_json_token();
  if (tok.data() >= line_end) return simdjson::TAPE_ERROR;
  tok = tok.substr(0, std::min<size_t>(tok.size(), static_cast<size_t>(line_end - tok.data())));
  while (!tok.empty() && (tok.back() == ' ' || tok.back() == '\t' || tok.back() == '\r' || tok.back() == '\n'))
    tok.remove_suffix(1);
  if (tok.empty()) return simdjson::TAPE_ERROR;
  if (tok[0] != '"') {
    if (tok == "null") {
      *out = {};
      return simdjson::SUCCESS;
    }
    if (tok[0] == '{' || tok[0] == '[') return simdjson::INCORRECT_TYPE;
    // number or literal: validate through simdjson
    double d;
    if (auto e = v.get_double().get(d); e) return e;
    *out = tok;
    return simdjson::SUCCESS;
  }
  if (tok.size() >= 2 && tok.back() == '"') {
    std::string_view body = tok.substr(1, tok.size() - 2);
    if (!std::memchr(body.data(), '\\', body.size())) {
      *out = body;
      return simdjson::SUCCESS;
    }
  }
  std::string_view s;
  if (auto e = v.get_string().get(s); e) return e;
  *out = arena->Copy(s);
  return simdjson::SUCCESS;
}

}  // namespace

bool Parser::JsonRecord(const char* p, size_t len, size_t capacity, EventBatch* batch, Record* r, std::string* why) {
  od::document doc;
  if (auto e = json_->parser.iterate(p, len, capacity).get(doc); e) {
    *why = simdjson::error_message(e);
    return false;
  }
  od::object obj;
  if (auto e = doc.get_object().get(obj); e) {
    *why = simdjson::error_message(e);
    return false;
  }
  const char* line_end = p + len;
  Arena* arena = batch->arena();
  PrefixFields& f = r->f;
  std::string_view func, file, file_line, time_text, start_text;
  bool has_severity = false;
  for (auto fld : obj) {
    std::string_view key;
    if (auto e = fld.unescaped_key().get(key); e) {
      *why = simdjson::error_message(e);
      return false;
    }
    od::value v;
    if (auto e = fld.value().get(v); e) {
      *why = simdjson::error_message(e);
      return false;
    }
    std::string_view t;
    if (auto e = JsonText(v, line_end, arena, &t); e) {
      *why = std::string(key.substr(0, 40)) + ": " + simdjson::error_message(e);
      return false;
    }
    if (key.empty()) continue;
    switch (key[0]) {
      case 'a':
        if (key == "application_name") f.application = t;
        break;
      case 'b':
        if (key == "backend_type") f.backend_type = t;
        break;
      case 'c':
        if (key == "context") r->context = t;
        break;
      case 'd':
        if (key == "dbname") f.database = t;
        else if (key == "detail") r->detail = t;
        break;
      case 'e':
        if (key == "error_severity") {
          r->severity_word = t;
          r->severity = SeverityFromWord(t);
          has_severity = true;
        }
        break;
      case 'f':
        if (key == "func_name") func = t;
        else if (key == "file_name") file = t;
        else if (key == "file_line_num") file_line = t;
        break;
      case 'h':
        if (key == "hint") r->hint = t;
        break;
      case 'i':
        if (key == "internal_query") r->internal_query = t;
        break;
      case 'l':
        if (key == "line_num") f.session_line = ToInt(t, -1);
        else if (key == "leader_pid") f.leader_pid = ToInt(t, -1);
        break;
      case 'm':
        if (key == "message") r->message = t;
        break;
      case 'p':
        if (key == "pid") f.pid = ToInt(t, -1);
        else if (key == "ps") f.command_tag = t;
        break;
      case 'q':
        if (key == "query_id") f.query_id = t;
        break;
      case 'r':
        if (key == "remote_host") f.client = t;
        else if (key == "remote_port") f.client_port = t;
        break;
      case 's':
        if (key == "session_id") f.session_id = t;
        else if (key == "session_start") start_text = t;
        else if (key == "statement") r->statement = t;
        else if (key == "state_code") f.sqlstate = t;
        break;
      case 't':
        if (key == "timestamp") time_text = t;
        else if (key == "txid") f.txid = ToInt(t, -1);
        break;
      case 'u':
        if (key == "user") f.user = t;
        break;
      case 'v':
        if (key == "vxid") f.vxid = t;
        break;
      default:
        break;
    }
  }
  const char* rest;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    while (rest < line_end && (*rest == ' ' || *rest == '\t')) ++rest;
    if (rest < line_end) {
      *why = "text after the object";
      return false;
    }
  }
  if (!has_severity) {
    *why = "no error_severity: not a jsonlog entry";
    return false;
  }
  if (!time_text.empty() &&
      !ParsePgTime(time_text.data(), time_text.data() + time_text.size(), true, &f.time, &f.unknown_zone)) {
    *why = "timestamp is not a PostgreSQL timestamp";
    return false;
  }
  if (!start_text.empty())
    ParsePgTime(start_text.data(), start_text.data() + start_text.size(), true, &f.session_start, &f.unknown_zone);
  if (!func.empty() || !file.empty()) {
    std::string loc(func);
    if (!file.empty()) {
      if (!loc.empty()) loc += ", ";
      loc += file;
      if (!file_line.empty()) {
        loc += ':';
        loc += file_line;
      }
    }
    r->location = arena->Copy(loc);
  }
  return true;
}

const char* Parser::ParseJson(const char* p, const char* end, const char* readable_end, bool final, EventBatch* batch,
                              size_t max_events) {
  const size_t start = batch->size();
  while (batch->size() - start < max_events) {
    Line l;
    if (!NextLine(p, end, final, &l)) return p;
    const char* b = l.begin;
    while (b < l.end && (*b == ' ' || *b == '\t')) ++b;
    if (b == l.end) {
      p = l.next;
      ++line_;
      continue;
    }
    Record r;
    std::string why;
    const size_t len = static_cast<size_t>(l.end - b);
    if (JsonRecord(b, len, static_cast<size_t>(readable_end - b), batch, &r, &why))
      Emit(r, batch, line_);
    else
      Report(Status::ParseError("jsonlog entry", why), line_);
    p = l.next;
    ++line_;
  }
  return p;
}

}  // namespace inari::pg
