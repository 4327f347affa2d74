#include "ingest/dbaudit/pg_record.h"

#include <charconv>
#include <cstring>

namespace inari::pg {

namespace {

struct Ids {
  FieldId event_type, severity, sqlstate, user, database, client, client_port, application, session_id,
      session_line, session_start, process_id, leader_pid, backend_type, command_tag, vxid, txid, query_id,
      message, detail, hint, context, statement, internal_query, location, duration, session_duration,
      auth_identity, auth_method, audit_type, statement_id, substatement_id, klass, command, object_type, table,
      parameters, rows, server_ip;
  Ids() {
    event_type = InternField("EventType");
    severity = InternField("Severity");
    sqlstate = InternField("SqlState");
    user = InternField("User");
    database = InternField("Database");
    client = InternField("Client");
    client_port = InternField("ClientPort");
    application = InternField("Application");
    session_id = InternField("SessionId");
    session_line = InternField("SessionLine");
    session_start = InternField("SessionStart");
    process_id = InternField("ProcessId");
    leader_pid = InternField("LeaderPid");
    backend_type = InternField("BackendType");
    command_tag = InternField("CommandTag");
    vxid = InternField("VirtualTransactionId");
    txid = InternField("TransactionId");
    query_id = InternField("QueryId");
    message = InternField("Message");
    detail = InternField("Detail");
    hint = InternField("Hint");
    context = InternField("Context");
    statement = InternField("Statement");
    internal_query = InternField("InternalQuery");
    location = InternField("Location");
    duration = InternField("Duration");
    session_duration = InternField("SessionDuration");
    auth_identity = InternField("AuthIdentity");
    auth_method = InternField("AuthMethod");
    audit_type = InternField("AuditType");
    statement_id = InternField("StatementId");
    substatement_id = InternField("SubstatementId");
    klass = InternField("Class");
    command = InternField("Command");
    object_type = InternField("ObjectType");
    table = InternField("Table");
    parameters = InternField("Parameters");
    rows = InternField("Rows");
    server_ip = InternField("ServerAddress");
  }
};

const Ids& FieldIds() {
  static const Ids ids;
  return ids;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.compare(0, p.size(), p) == 0; }

bool ParseU64(std::string_view s, uint64_t* v) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// Text between `key` and the earliest of `stops` (or the end).
std::string_view ValueAfter(std::string_view m, std::string_view key, std::initializer_list<std::string_view> stops) {
  size_t k = m.find(key);
  if (k == std::string_view::npos) return {};
  std::string_view rest = m.substr(k + key.size());
  size_t e = rest.size();
  for (std::string_view s : stops) {
    size_t i = rest.find(s);
    if (i < e) e = i;
  }
  return rest.substr(0, e);
}

// The text inside the double quotes after `key` ("for user \"x\"") with "" → ".
std::string_view Quoted(std::string_view m, std::string_view key) {
  size_t k = m.find(key);
  if (k == std::string_view::npos) return {};
  size_t b = k + key.size();
  size_t e = m.find('"', b);
  if (e == std::string_view::npos) return {};
  return m.substr(b, e - b);
}

bool IsAuthFailure(const Record& r, std::string_view m) {
  if (r.severity != Severity::kFatal) return false;
  if (r.f.sqlstate.size() == 5 && r.f.sqlstate[0] == '2' && r.f.sqlstate[1] == '8') return true;
  return m.find("authentication failed for user") != std::string_view::npos || StartsWith(m, "no pg_hba.conf entry") ||
         StartsWith(m, "pg_hba.conf rejects connection") ||
         (StartsWith(m, "role \"") && (m.find("\" does not exist") != std::string_view::npos ||
                                       m.find("is not permitted to log in") != std::string_view::npos));
}

// "duration: 12.345 ms" at the start of m; sets *ms and returns the rest ("  statement: …").
bool ParseDuration(std::string_view m, double* ms, std::string_view* rest) {
  if (!StartsWith(m, "duration: ")) return false;
  std::string_view t = m.substr(10);
  size_t sp = t.find(" ms");
  if (sp == std::string_view::npos) return false;
  auto r = std::from_chars(t.data(), t.data() + sp, *ms);
  if (r.ec != std::errc() || r.ptr != t.data() + sp) return false;
  *rest = t.substr(sp + 3);
  while (!rest->empty() && rest->front() == ' ') rest->remove_prefix(1);
  return true;
}

// "statement: X", "execute NAME: X", "parse NAME: X", "bind NAME: X" → X.
bool StatementText(std::string_view m, std::string_view* sql) {
  if (StartsWith(m, "statement: ")) {
    *sql = m.substr(11);
    return true;
  }
  if (StartsWith(m, "execute ") || StartsWith(m, "parse ") || StartsWith(m, "bind ")) {
    size_t c = m.find(": ");
    if (c == std::string_view::npos) return false;
    *sql = m.substr(c + 2);
    return true;
  }
  return false;
}

}  // namespace

CsvSplit SplitCsv(const char* p, const char* end, bool stop_at_newline, Arena* arena, std::string_view* out,
                  size_t max) {
  CsvSplit r;
  for (;;) {
    std::string_view value;
    if (p < end && *p == '"') {
      // Quoted: find the closing quote; "" is an escaped quote.
      const char* b = p + 1;
      const char* q = b;
      bool doubled = false;
      for (;;) {
        const char* c = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
        if (!c) {
          r.how = CsvSplit::kOpenQuote;
          r.next = end;
          return r;
        }
        if (c + 1 < end && c[1] == '"') {
          doubled = true;
          q = c + 2;
          continue;
        }
        q = c;
        break;
      }
      for (const char* n = b; (n = static_cast<const char*>(std::memchr(n, '\n', static_cast<size_t>(q - n))));
           ++n)
        ++r.newlines;
      value = {b, static_cast<size_t>(q - b)};
      if (doubled && r.fields < max) {
        char* o = arena->Allocate(value.size());
        size_t k = 0;
        const char* v = value.data();
        const char* ve = v + value.size();
        while (v < ve) {  // copy up to and including each quote, skip its twin
          const char* qq = static_cast<const char*>(std::memchr(v, '"', static_cast<size_t>(ve - v)));
          const char* stop = qq ? qq + 1 : ve;
          std::memcpy(o + k, v, static_cast<size_t>(stop - v));
          k += static_cast<size_t>(stop - v);
          v = qq ? qq + 2 : ve;
        }
        arena->Shrink(o, value.size(), k);
        value = {o, k};
      }
      p = q + 1;
      if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
        r.how = CsvSplit::kBadQuote;
        r.next = p;
        return r;
      }
    } else {
      const char* b = p;
      if (stop_at_newline) {
        while (p < end && *p != ',' && *p != '\n') ++p;
      } else {
        const char* c = static_cast<const char*>(std::memchr(p, ',', static_cast<size_t>(end - p)));
        p = c ? c : end;
      }
      value = {b, static_cast<size_t>(p - b)};
      if (stop_at_newline && p < end && *p == '\n' && p > b && p[-1] == '\r') value.remove_suffix(1);
    }
    if (r.fields < max) out[r.fields] = value;
    ++r.fields;
    if (p >= end) {
      r.how = CsvSplit::kEnd;
      r.next = end;
      return r;
    }
    if (*p == '\r' && p + 1 < end && p[1] == '\n') ++p;
    if (*p == '\n' && stop_at_newline) {
      r.how = CsvSplit::kNewline;
      r.next = p + 1;
      return r;
    }
    if (*p == '\r') {  // a lone CR after a quoted field
      r.how = CsvSplit::kBadQuote;
      r.next = p;
      return r;
    }
    ++p;  // ','
    if (p >= end) {  // a trailing comma: one more (empty) field
      if (r.fields < max) out[r.fields] = {};
      ++r.fields;
      r.how = CsvSplit::kEnd;
      r.next = end;
      return r;
    }
  }
}

bool ParseAudit(std::string_view text, Arena* arena, AuditFields* a, const char** why) {
  std::string_view f[11];
  CsvSplit s = SplitCsv(text.data(), text.data() + text.size(), false, arena, f, 11);
  if (s.how == CsvSplit::kOpenQuote) {
    *why = "a quoted field is not closed";
    return false;
  }
  if (s.how == CsvSplit::kBadQuote) {
    *why = "text after a closing quote";
    return false;
  }
  // 7: log_statement off; 8: + rows; 9: statement + parameter; 10: + rows.
  if (s.fields < 7 || s.fields > 10) {
    *why = "not 7 to 10 fields";
    return false;
  }
  if (f[0] != "SESSION" && f[0] != "OBJECT") {
    *why = "audit type is not SESSION or OBJECT";
    return false;
  }
  if (!ParseU64(f[1], &a->statement_id) || !ParseU64(f[2], &a->substatement_id)) {
    *why = "statement ids are not numbers";
    return false;
  }
  a->audit_type = f[0];
  a->klass = f[3];
  a->command = f[4];
  a->object_type = f[5];
  a->object_name = f[6];
  size_t rows_at = 0;
  if (s.fields >= 9) {
    a->has_statement = true;
    a->statement = f[7];
    a->parameters = f[8];
    if (s.fields == 10) rows_at = 9;
  } else if (s.fields == 8) {
    uint64_t rows;
    if (ParseU64(f[7], &rows)) {
      rows_at = 7;
    } else {  // statement without its parameter field, as pgaudit's README prints some examples
      a->has_statement = true;
      a->statement = f[7];
    }
  }
  if (rows_at) {
    if (!ParseU64(f[rows_at], &a->rows)) {
      *why = "rows is not a number";
      return false;
    }
    a->has_rows = true;
  }
  return true;
}

bool ParseSessionTime(std::string_view s, double* seconds) {
  // "%d:%02d:%02d.%03d": hours may exceed 24.
  size_t c1 = s.find(':');
  if (c1 == std::string_view::npos || c1 == 0 || s.size() < c1 + 6 || s[c1 + 3] != ':') return false;
  uint64_t h, m;
  double sec;
  if (!ParseU64(s.substr(0, c1), &h) || !ParseU64(s.substr(c1 + 1, 2), &m)) return false;
  std::string_view rest = s.substr(c1 + 4);
  auto r = std::from_chars(rest.data(), rest.data() + rest.size(), sec);
  if (r.ec != std::errc() || r.ptr != rest.data() + rest.size()) return false;
  *seconds = static_cast<double>(h) * 3600 + static_cast<double>(m) * 60 + sec;
  return true;
}

void EmitRecord(const Record& r, const SessionHint* hint, EventBatch* batch, const EventOrigin& origin,
                Emitted* out) {
  const char** audit_error = &out->audit_error;
  static const FieldId kChannelId = field::kChannel;
  const Ids& id = FieldIds();
  const std::string_view m = r.message;
  const PrefixFields& pf = r.f;

  // Classify; values taken from the message fill only what the prefix lacks.
  std::string_view type = "log";
  std::string_view user = pf.user, database = pf.database, client = pf.client, port = pf.client_port,
                   application = pf.application, statement = r.statement, parameters, auth_identity, auth_method;
  std::string_view sqlstate = pf.sqlstate;
  double duration = -1, session_seconds = -1;
  AuditFields audit;
  bool is_audit = false;
  *audit_error = nullptr;

  if (StartsWith(m, "AUDIT: ")) {
    if (ParseAudit(m.substr(7), batch->arena(), &audit, audit_error)) {
      is_audit = true;
      type = "audit";
    }
  } else if (StartsWith(m, "connection received: ")) {
    type = "connect";
    if (client.empty()) client = ValueAfter(m, "host=", {" port="});
    if (port.empty()) port = ValueAfter(m, " port=", {" "});
  } else if (StartsWith(m, "connection authorized: ") || StartsWith(m, "replication connection authorized: ")) {
    type = "authorized";
    if (user.empty()) user = ValueAfter(m, "user=", {" database=", " application_name=", " SSL enabled", " GSS ("});
    if (database.empty()) database = ValueAfter(m, " database=", {" application_name=", " SSL enabled", " GSS ("});
    if (application.empty()) application = ValueAfter(m, " application_name=", {" SSL enabled", " GSS ("});
  } else if (StartsWith(m, "connection authenticated: ")) {
    type = "authenticated";
    auth_identity = Quoted(m, "identity=\"");
    auth_method = ValueAfter(m, " method=", {" "});
  } else if (StartsWith(m, "disconnection: session time: ")) {
    type = "disconnect";
    std::string_view t = ValueAfter(m, "session time: ", {" "});
    if (!ParseSessionTime(t, &session_seconds)) session_seconds = -1;
    if (user.empty()) user = ValueAfter(m, " user=", {" database=", " host="});
    if (database.empty()) database = ValueAfter(m, " database=", {" host="});
    if (client.empty()) client = ValueAfter(m, " host=", {" port="});
    if (port.empty()) port = ValueAfter(m, " port=", {" "});
  } else if (IsAuthFailure(r, m)) {
    type = "auth_failed";
    if (user.empty()) {
      user = Quoted(m, "for user \"");
      if (user.empty()) user = Quoted(m, "user \"");
      if (user.empty()) user = Quoted(m, "role \"");
    }
    if (database.empty()) database = Quoted(m, "database \"");
    if (client.empty()) client = Quoted(m, "for host \"");
  } else {
    std::string_view rest = m, sql;
    if (ParseDuration(m, &duration, &rest)) type = "duration";
    if (StatementText(rest, &sql)) {
      type = "statement";
      statement = sql;
      if (StartsWith(r.detail, "parameters: ")) parameters = r.detail.substr(12);
    } else if (r.severity == Severity::kError || r.severity == Severity::kFatal || r.severity == Severity::kPanic) {
      type = "error";
    }
  }

  out->type = type;
  out->client = client;
  out->client_port = port;
  out->application = application;
  if (hint) {
    if (client.empty()) client = hint->client;
    if (port.empty()) port = hint->client_port;
    if (application.empty()) application = hint->application;
  }

  batch->BeginEvent();
  batch->AddString(kChannelId, "PostgreSQL");
  batch->AddString(field::kProviderName, "postgresql");
  if (pf.time != kNoTime) batch->Add(field::kTimeCreatedSystemTime, Value::Time(pf.time));
  batch->AddString(id.event_type, type);
  if (!r.severity_word.empty()) batch->AddString(id.severity, r.severity_word);
  if (!sqlstate.empty()) batch->AddString(id.sqlstate, sqlstate);
  if (!user.empty()) batch->AddString(id.user, user);
  if (!database.empty()) batch->AddString(id.database, database);
  if (!client.empty()) batch->AddString(id.client, client);
  if (!port.empty()) {
    uint64_t v;
    batch->Add(id.client_port, ParseU64(port, &v) ? Value::UInt(v) : Value::String(port));
  }
  if (!application.empty()) batch->AddString(id.application, application);
  if (!pf.session_id.empty()) batch->AddString(id.session_id, pf.session_id);
  if (pf.session_line >= 0) batch->Add(id.session_line, Value::UInt(static_cast<uint64_t>(pf.session_line)));
  if (pf.session_start != kNoTime) batch->Add(id.session_start, Value::Time(pf.session_start));
  if (pf.pid >= 0) batch->Add(id.process_id, Value::UInt(static_cast<uint64_t>(pf.pid)));
  if (pf.leader_pid > 0) batch->Add(id.leader_pid, Value::UInt(static_cast<uint64_t>(pf.leader_pid)));
  if (!pf.backend_type.empty()) batch->AddString(id.backend_type, pf.backend_type);
  if (!pf.command_tag.empty()) batch->AddString(id.command_tag, pf.command_tag);
  if (!pf.vxid.empty()) batch->AddString(id.vxid, pf.vxid);
  if (pf.txid > 0) batch->Add(id.txid, Value::UInt(static_cast<uint64_t>(pf.txid)));
  if (!pf.query_id.empty() && pf.query_id != "0") {
    int64_t q;
    auto rq = std::from_chars(pf.query_id.data(), pf.query_id.data() + pf.query_id.size(), q);
    batch->Add(id.query_id, rq.ec == std::errc() && rq.ptr == pf.query_id.data() + pf.query_id.size()
                                 ? Value::Int(q)
                                 : Value::String(pf.query_id));
  }
  if (!pf.server_ip.empty()) batch->AddString(id.server_ip, pf.server_ip);
  batch->AddString(id.message, m);
  if (!r.detail.empty()) batch->AddString(id.detail, r.detail);
  if (!r.hint.empty()) batch->AddString(id.hint, r.hint);
  if (!r.context.empty()) batch->AddString(id.context, r.context);
  if (!r.internal_query.empty()) batch->AddString(id.internal_query, r.internal_query);
  if (!r.location.empty()) batch->AddString(id.location, r.location);
  if (duration >= 0) batch->Add(id.duration, Value::Double(duration));
  if (session_seconds >= 0) batch->Add(id.session_duration, Value::Double(session_seconds));
  if (!auth_identity.empty()) batch->AddString(id.auth_identity, auth_identity);
  if (!auth_method.empty()) batch->AddString(id.auth_method, auth_method);
  if (is_audit) {
    batch->AddString(id.audit_type, audit.audit_type);
    batch->Add(id.statement_id, Value::UInt(audit.statement_id));
    batch->Add(id.substatement_id, Value::UInt(audit.substatement_id));
    if (!audit.klass.empty()) batch->AddString(id.klass, audit.klass);
    if (!audit.command.empty()) batch->AddString(id.command, audit.command);
    if (!audit.object_type.empty()) batch->AddString(id.object_type, audit.object_type);
    if (!audit.object_name.empty()) batch->AddString(id.table, audit.object_name);
    if (audit.has_statement) {
      if (!audit.statement.empty()) batch->AddString(id.statement, audit.statement);
      if (!audit.parameters.empty()) batch->AddString(id.parameters, audit.parameters);
    }
    if (audit.has_rows) batch->Add(id.rows, Value::UInt(audit.rows));
  } else {
    if (!statement.empty()) batch->AddString(id.statement, statement);
    if (!parameters.empty()) batch->AddString(id.parameters, parameters);
  }
  batch->EndEvent(pf.time, 0, origin);
}

}  // namespace inari::pg
