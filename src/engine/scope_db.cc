#include "engine/scope_db.h"

#include <libpq-fe.h>

#include <cctype>
#include <cstdio>

#include "engine/scope_sql.h"

namespace inari::scope {

namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// A dotted table name quoted for SQL ("crm.customers" → "crm.customers",
// "Crm.Customer List" → "\"Crm\".\"Customer List\"").
std::string Table(std::string_view name) { return QuoteIdentifier(name, true); }

class PqDatabase final : public ScopeDatabase {
 public:
  explicit PqDatabase(ScopeDbSettings s) : s_(std::move(s)) {}
  ~PqDatabase() override { Close(); }

  Status Open() {
    // Defaults first: values in the connection string override them.
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {"10", "inari scope", s_.conninfo.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      Close();
      return Status::IOError("database connection", msg);
    }
    if (Status st = Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !st.ok()) return st;
    in_txn_ = true;
    char buf[96];
    std::snprintf(buf, sizeof buf, "SET LOCAL statement_timeout = %d", s_.statement_timeout_ms);
    if (Status st = Exec(buf); !st.ok()) return st;
    if (Status st = Exec("SET LOCAL lock_timeout = 5000"); !st.ok()) return st;
    if (!s_.search_path.empty()) {
      std::string sql = "SET LOCAL search_path = ";
      size_t b = 0;
      bool first = true;
      while (b <= s_.search_path.size()) {
        size_t e = s_.search_path.find(',', b);
        if (e == std::string::npos) e = s_.search_path.size();
        std::string part = s_.search_path.substr(b, e - b);
        while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front()))) part.erase(0, 1);
        while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) part.pop_back();
        if (!part.empty()) {
          if (!first) sql += ", ";
          sql += QuoteIdentifier(part, false);
          first = false;
        }
        b = e + 1;
      }
      if (!first)
        if (Status st = Exec(sql); !st.ok()) return st;
    }
    return Status::OK();
  }

  KeyRows RunKeyQuery(const KeyQuery& q) override {
    KeyRows out;
    std::string why;
    if (!IsPlainSelect(q.sql, &why)) {
      out.error = "refused: " + why;
      return out;
    }
    if (!conn_) {
      out.error = "no database connection";
      return out;
    }
    if (Status st = Exec("SAVEPOINT inari_scope"); !st.ok()) {
      out.error = st.ToString();
      return out;
    }
    std::vector<const char*> values(q.params.size());
    for (size_t i = 0; i < q.params.size(); ++i)
      values[i] = i < q.null_params.size() && q.null_params[i] ? nullptr : q.params[i].c_str();
    PgResult r(PQexecParams(conn_, q.sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                            nullptr, 0));
    if (r && PQresultStatus(r.get()) == PGRES_TUPLES_OK && PQnfields(r.get()) >= 1) {
      const int n = PQntuples(r.get());
      out.rows = static_cast<uint64_t>(n);
      out.keys.reserve(static_cast<size_t>(n));
      for (int i = 0; i < n; ++i)
        if (!PQgetisnull(r.get(), i, 0)) out.keys.emplace_back(PQgetvalue(r.get(), i, 0), PQgetlength(r.get(), i, 0));
      (void)Exec("RELEASE SAVEPOINT inari_scope");
      return out;
    }
    Fail(r.get(), &out.sqlstate, &out.error);
    (void)Exec("ROLLBACK TO SAVEPOINT inari_scope");
    return out;
  }

  Status LookupGeo(const std::string& table, const std::vector<std::string>& keys, std::vector<GeoRow>* out) override {
    if (!conn_) return Status::IOError("database", "no connection");
    const std::string key = QuoteIdentifier(s_.key_column, false);
    const std::string region = s_.region_column.empty() ? "NULL" : QuoteIdentifier(s_.region_column, false) + "::text";
    const std::string select = "SELECT " + key + "::text, " + QuoteIdentifier(s_.country_column, false) + "::text, " +
                               region + " FROM " + Table(table) + " WHERE ";
    // Typed comparison first (uses the key's index); text comparison if the
    // key column's type does not take the logged values.
    std::string sql = select + key + " = ANY($1)";
    bool text_compare = false;
    constexpr size_t kChunk = 5000;
    for (size_t b = 0; b < keys.size(); b += kChunk) {
      std::string array = "{";
      for (size_t i = b; i < keys.size() && i < b + kChunk; ++i) {
        if (i > b) array += ',';
        array += '"';
        for (char c : keys[i]) {
          if (c == '"' || c == '\\') array += '\\';
          array += c;
        }
        array += '"';
      }
      array += '}';
      for (int attempt = 0; attempt < 2; ++attempt) {
        if (Status st = Exec("SAVEPOINT inari_geo"); !st.ok()) return st;
        const char* v[] = {array.c_str()};
        PgResult r(PQexecParams(conn_, sql.c_str(), 1, nullptr, v, nullptr, nullptr, 0));
        if (r && PQresultStatus(r.get()) == PGRES_TUPLES_OK) {
          for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
            GeoRow g;
            g.key = PQgetvalue(r.get(), i, 0);
            if (!PQgetisnull(r.get(), i, 1)) g.country = PQgetvalue(r.get(), i, 1);
            if (!PQgetisnull(r.get(), i, 2)) g.region = PQgetvalue(r.get(), i, 2);
            out->push_back(std::move(g));
          }
          (void)Exec("RELEASE SAVEPOINT inari_geo");
          break;
        }
        std::string state, error;
        Fail(r.get(), &state, &error);
        (void)Exec("ROLLBACK TO SAVEPOINT inari_geo");
        if (attempt == 0 && !text_compare && (state == "22P02" || state == "42883" || state == "22003")) {
          text_compare = true;
          sql = select + key + "::text = ANY($1::text[])";
          continue;
        }
        return Status::IOError("country/region lookup in " + table, error);
      }
    }
    return Status::OK();
  }

  void Close() override {
    if (conn_) {
      if (in_txn_) (void)Exec("ROLLBACK");
      in_txn_ = false;
      PQfinish(conn_);
      conn_ = nullptr;
    }
  }

 private:
  Status Exec(const std::string& sql) {
    PgResult r(PQexec(conn_, sql.c_str()));
    const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Status::OK();
    std::string state, error;
    Fail(r.get(), &state, &error);
    return Status::IOError("database", error);
  }

  void Fail(PGresult* r, std::string* state, std::string* error) {
    const char* s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    *state = s ? s : "";
    if (!state->empty()) {
      *error = "SQLSTATE " + *state + " " + SqlStateName(*state);
    } else if (r && PQresultStatus(r) == PGRES_TUPLES_OK) {
      *error = "the query returned no column";
    } else {
      // No SQLSTATE: a client-side failure (connection lost); libpq's text names no values.
      std::string msg = PQerrorMessage(conn_);
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      *error = msg.empty() ? "query failed" : msg;
    }
  }

  ScopeDbSettings s_;
  PGconn* conn_ = nullptr;
  bool in_txn_ = false;
};

}  // namespace

Result<std::unique_ptr<ScopeDatabase>> OpenScopeDatabase(const ScopeDbSettings& settings) {
  auto db = std::make_unique<PqDatabase>(settings);
  if (Status st = db->Open(); !st.ok()) return st;
  return std::unique_ptr<ScopeDatabase>(std::move(db));
}

std::string RedactConninfo(std::string_view c) {
  std::string out(c);
  // URI: scheme://user:password@host
  if (size_t scheme = out.find("://"); scheme != std::string::npos) {
    size_t at = out.find('@', scheme + 3);
    size_t slash = out.find('/', scheme + 3);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      size_t colon = out.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
    // ?password=… in the query part
    for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
      size_t e = out.find('&', p);
      out.replace(p + 9, (e == std::string::npos ? out.size() : e) - p - 9, "***");
    }
    return out;
  }
  // key = value pairs; values may be quoted with single quotes and backslash escapes.
  std::string r;
  size_t i = 0;
  while (i < c.size()) {
    while (i < c.size() && std::isspace(static_cast<unsigned char>(c[i]))) r += c[i++];
    size_t kb = i;
    while (i < c.size() && c[i] != '=' && !std::isspace(static_cast<unsigned char>(c[i]))) ++i;
    std::string_view key = c.substr(kb, i - kb);
    r.append(key);
    while (i < c.size() && std::isspace(static_cast<unsigned char>(c[i]))) r += c[i++];
    if (i >= c.size() || c[i] != '=') continue;
    r += c[i++];
    while (i < c.size() && std::isspace(static_cast<unsigned char>(c[i]))) r += c[i++];
    size_t vb = i;
    if (i < c.size() && c[i] == '\'') {
      ++i;
      while (i < c.size() && c[i] != '\'') i += c[i] == '\\' ? 2 : 1;
      if (i < c.size()) ++i;
    } else {
      while (i < c.size() && !std::isspace(static_cast<unsigned char>(c[i]))) i += c[i] == '\\' ? 2 : 1;
    }
    if (i > c.size()) i = c.size();
    if (key == "password") r += "***";
    else r.append(c.substr(vb, i - vb));
  }
  return r;
}

std::string SqlStateName(std::string_view s) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"42501", "insufficient_privilege: the role lacks SELECT on a table or column the statement reads"},
      {"42703", "undefined_column"},
      {"42P01", "undefined_table"},
      {"42883", "undefined_function"},
      {"42601", "syntax_error"},
      {"42702", "ambiguous_column"},
      {"42803", "grouping_error"},
      {"42P10", "invalid_column_reference"},
      {"42P02", "undefined_parameter"},
      {"42P18", "indeterminate_datatype"},
      {"42804", "datatype_mismatch"},
      {"57014", "query_canceled (statement_timeout)"},
      {"55P03", "lock_not_available (lock_timeout)"},
      {"25006", "read_only_sql_transaction: the statement tried to write"},
      {"22P02", "invalid_text_representation (a parameter does not fit its column type)"},
      {"22007", "invalid_datetime_format"},
      {"22008", "datetime_field_overflow"},
      {"22003", "numeric_value_out_of_range"},
      {"22012", "division_by_zero"},
      {"08006", "connection_failure"},
      {"53300", "too_many_connections"},
      {"3D000", "invalid_catalog_name"},
      {"3F000", "invalid_schema_name"},
      {"0A000", "feature_not_supported"},
      {"54000", "program_limit_exceeded"},
      {"53200", "out_of_memory"},
  };
  for (auto& [code, name] : kNames)
    if (s == code) return std::string(name);
  if (s.size() == 5) {
    const std::string_view cls = s.substr(0, 2);
    static const std::pair<std::string_view, std::string_view> kClasses[] = {
        {"08", "connection exception"}, {"22", "data exception"}, {"23", "integrity constraint violation"},
        {"25", "invalid transaction state"}, {"28", "invalid authorization"}, {"40", "transaction rollback"},
        {"42", "syntax error or access rule violation"}, {"53", "insufficient resources"},
        {"54", "program limit exceeded"}, {"55", "object not in prerequisite state"}, {"57", "operator intervention"},
        {"58", "system error"}, {"XX", "internal error"}, {"P0", "PL/pgSQL error"}};
    for (auto& [c, name] : kClasses)
      if (cls == c) return std::string(name);
  }
  return "error";
}

}  // namespace inari::scope
