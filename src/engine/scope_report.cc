#include "engine/scope_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "base/utf.h"

namespace inari::scope {

namespace {

constexpr int64_t kHour = 3600LL * 1'000'000'000;

std::string Iso(int64_t t) { return t == kNoTime ? std::string() : FormatIso8601(t); }

// 1234567 → "1,234,567".
std::string Num(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string s;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

std::string Pct(uint64_t n, uint64_t total) {
  if (total == 0) return "";
  return fmt::format("{:.1f} %", 100.0 * static_cast<double>(n) / static_cast<double>(total));
}

double HoursLeft(const ScopeResult& r) {
  return static_cast<double>(r.gdpr_deadline - r.now) / static_cast<double>(kHour);
}

std::string HoursText(double h) {
  if (h >= 0) return fmt::format("{:.1f} h left", h);
  return fmt::format("overdue by {:.1f} h", -h);
}

// Terminal-safe text from the logs (user names, applications, shapes).
std::string Safe(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += ' ';
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  return out;
}

std::string CountryLabel(const std::string& c) {
  if (c.empty()) return "(unknown)";
  std::string_view name = CountryName(c);
  return name.empty() ? c : c + " " + std::string(name);
}

// ---- evidence groups -----------------------------------------------------------

struct Group {
  std::string shape;
  uint64_t reads = 0, rows = 0, keys_named = 0, keys_resolved = 0, new_customers = 0;
  bool rows_known = true;
  int64_t first = kNoTime, last = kNoTime;
  std::set<std::string> sessions;
  std::map<std::string, uint64_t> status;
};

std::vector<Group> Groups(const ScopeResult& r) {
  std::map<std::string, Group> by;
  for (const ScopeStatement& s : r.statements) {
    Group& g = by[s.shape];
    g.shape = s.shape;
    ++g.reads;
    if (s.rows >= 0) g.rows += static_cast<uint64_t>(s.rows);
    else g.rows_known = false;
    g.keys_named += s.keys_named;
    g.keys_resolved += s.keys_resolved;
    g.new_customers += s.new_customers;
    if (g.first == kNoTime || s.time < g.first) g.first = s.time;
    if (g.last == kNoTime || s.time > g.last) g.last = s.time;
    g.sessions.insert(s.session);
    ++g.status[std::string(ReadStatusName(s.status))];
  }
  std::vector<Group> out;
  for (auto& [k, g] : by) out.push_back(std::move(g));
  std::stable_sort(out.begin(), out.end(), [](const Group& a, const Group& b) {
    if (a.new_customers != b.new_customers) return a.new_customers > b.new_customers;
    return a.reads > b.reads;
  });
  return out;
}

bool Flagged(const ScopeStatement& s) {
  return s.status == ReadStatus::kUnresolved || s.status == ReadStatus::kUnconfirmed || s.rows_differ ||
         s.order_unstable;
}

// Indexes of the statements to list: the first `evidence` in time order and the flagged ones.
std::vector<size_t> Shown(const ScopeResult& r, const ScopeReportOptions& o) {
  std::vector<size_t> out;
  size_t flagged = 0;
  for (size_t i = 0; i < r.statements.size(); ++i) {
    if (i < o.evidence) out.push_back(i);
    else if (Flagged(r.statements[i]) && flagged < o.flagged_cap) out.push_back(i);
    if (Flagged(r.statements[i])) ++flagged;
  }
  return out;
}

// ---- JSON ----------------------------------------------------------------------------

// A small JSON writer: Key() then one value; Open()/Close() for objects and arrays.
class Json {
 public:
  std::string out;
  void Str(std::string_view s) {
    out += '"';
    AppendJsonEscaped(s, &out);
    out += '"';
  }
  void Key(std::string_view k) {
    if (comma_) out += ',';
    Str(k);
    out += ':';
    comma_ = false;
  }
  void Open(char c) {
    if (comma_) out += ',';
    out += c;
    comma_ = false;
  }
  void Close(char c) {
    out += c;
    comma_ = true;
  }
  void Item(char c) { Open(c); }
  void S(std::string_view k, std::string_view v) { Key(k), Str(v), comma_ = true; }
  void SN(std::string_view k, std::string_view v) {
    Key(k);
    if (v.empty()) out += "null";
    else Str(v);
    comma_ = true;
  }
  void T(std::string_view k, int64_t t) {
    Key(k);
    if (t == kNoTime) out += "null";
    else Str(FormatIso8601(t));
    comma_ = true;
  }
  void U(std::string_view k, uint64_t v) { Key(k), out += std::to_string(v), comma_ = true; }
  void I(std::string_view k, int64_t v, bool null_if_negative) {
    Key(k);
    out += null_if_negative && v < 0 ? "null" : std::to_string(v);
    comma_ = true;
  }
  void B(std::string_view k, bool v) { Key(k), out += v ? "true" : "false", comma_ = true; }
  void D(std::string_view k, double v) { Key(k), out += fmt::format("{:.2f}", v), comma_ = true; }
  void Null(std::string_view k) { Key(k), out += "null", comma_ = true; }
  void Strings(std::string_view k, const std::vector<std::string>& v) {
    Key(k);
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      Str(v[i]);
    }
    out += ']';
    comma_ = true;
  }

 private:
  bool comma_ = false;
};

}  // namespace

std::string HumanTime(int64_t t) {
  if (t == kNoTime) return "-";
  std::string s = FormatIso8601(t);  // 2024-05-02T09:00:02.0000000Z
  if (s.size() >= 19) s = s.substr(0, 10) + " " + s.substr(11, 8) + " UTC";
  return s;
}

// ---- text ----------------------------------------------------------------------------

std::string ScopeText(const ScopeResult& r) {
  std::string t;
  t += fmt::format("subject:       {}\n", Safe(r.subject.Describe()));
  t += fmt::format("read:          {} audit records, {} of the subject, {} statements, {} reads of customer data\n",
                   Num(r.audit_records), Num(r.subject_records), Num(r.subject_statements), Num(r.customer_reads));
  const uint64_t n = r.customers.size();
  if (r.exact) {
    t += fmt::format("customers:     {} distinct (exact)\n", Num(n));
  } else {
    t += fmt::format("customers:     {} distinct counted, NOT EXACT: at least {}, at most {}\n", Num(n), Num(r.confirmed),
                     r.has_upper_bound ? Num(r.upper_bound) : std::string("unknown (rows not logged)"));
    for (const std::string& why : r.inexact_reasons) t += "               - " + why + "\n";
  }
  t += fmt::format("               {} from the log, {} from the database; {} rows returned in all\n", Num(r.from_log),
                   Num(r.from_database), Num(r.rows_logged));
  if (!r.by_country.empty()) {
    t += "countries:    ";
    size_t shown = 0;
    for (const CountryCount& c : r.by_country) {
      if (shown++ == 12) {
        t += fmt::format(" … ({} more)", r.by_country.size() - 12);
        break;
      }
      t += fmt::format(" {} {}", c.country.empty() ? "?" : c.country, Num(c.customers));
    }
    t += "\n";
  }
  if (r.geo_unknown > 0)
    t += fmt::format("               {} without country: {}\n", Num(r.geo_unknown), Safe(r.geo_unknown_reason));
  if (!r.jurisdictions.empty()) {
    t += "jurisdictions:\n";
    for (const JurisdictionHit& j : r.jurisdictions) {
      std::string places;
      for (size_t i = 0; i < j.places.size(); ++i) {
        if (i == 8) {
          places += fmt::format(", … ({} more)", j.places.size() - 8);
          break;
        }
        places += fmt::format("{}{} {}", i ? ", " : "", j.places[i].first, Num(j.places[i].second));
      }
      const std::string_view name = j.law ? j.law->name : "not in inari's table: check the local law";
      t += fmt::format("  {:<46} {:>9}  {}\n", name, Num(j.customers), places);
      if (!j.law) continue;
      t += fmt::format("      notify: {}\n", j.law->authority);
      if (j.law->deadline_hours > 0 && j.deadline != kNoTime)
        t += fmt::format("      when:   by {} ({} h after detection)\n", HumanTime(j.deadline), j.law->deadline_hours);
      else
        t += fmt::format("      when:   {}\n", j.law->deadline);
    }
  }
  t += fmt::format("first access:  {}\nlast access:   {}\n", HumanTime(r.first_access), HumanTime(r.last_access));
  if (r.detected_at != kNoTime) {
    t += fmt::format("detected:      {} ({})\n", HumanTime(r.detected_at), Safe(r.detection_source));
    t += fmt::format("GDPR deadline: {} ({}, now {})\n", HumanTime(r.gdpr_deadline), HoursText(HoursLeft(r)),
                     HumanTime(r.now));
  } else {
    t += "detected:      unknown (give --detected-at or --findings)";
    if (!r.detection_source.empty()) t += ": " + Safe(r.detection_source);
    t += "\n";
  }
  if (r.unresolved_reads > 0) {
    std::map<std::string, uint64_t> codes;
    for (const ScopeStatement& s : r.statements)
      if (s.status == ReadStatus::kUnresolved) ++codes[s.reason_code];
    t += fmt::format("unresolved:    {} reads (", Num(r.unresolved_reads));
    bool first = true;
    for (auto& [c, k] : codes) {
      t += fmt::format("{}{} {}", first ? "" : ", ", c, Num(k));
      first = false;
    }
    t += ")\n";
  }
  for (const std::string& note : r.notes) t += "note:          " + Safe(note) + "\n";
  return t;
}

// ---- JSON ----------------------------------------------------------------------------

std::string ScopeJson(const ScopeResult& r, const ScopeReportOptions& o) {
  Json j;
  j.Open('{');
  j.S("schema", "inari.scope/1");
  j.T("generated_at", r.now);
  j.Key("subject");
  j.Open('{');
  j.Strings("users", r.subject.users);
  j.Strings("humans", r.subject.humans);
  j.S("human_pattern", r.subject.humans.empty() ? "" : r.config.human_pattern);
  j.Strings("sessions", r.subject.sessions);
  j.Strings("clients", r.subject.clients);
  j.T("from", r.subject.from);
  j.T("to", r.subject.to);
  j.S("description", r.subject.Describe());
  j.Close('}');
  j.Key("inputs");
  j.Open('{');
  j.Strings("files", r.inputs);
  j.U("audit_records", r.audit_records);
  j.U("subject_records", r.subject_records);
  j.U("duplicate_records", r.duplicate_records);
  j.U("statements", r.subject_statements);
  j.U("customer_reads", r.customer_reads);
  j.U("writes", r.writes);
  j.U("catalog_reads", r.catalog_reads);
  j.Close('}');
  j.SN("database", r.database);
  j.Key("config");
  j.Open('{');
  j.S("customer_table", r.config.customer_table);
  j.S("key_column", r.config.key_column);
  j.S("country_column", r.config.country_column);
  j.S("region_column", r.config.region_column);
  j.Strings("key_tables", r.config.key_tables);
  j.Close('}');

  j.Key("customers");
  j.Open('{');
  j.U("count", r.customers.size());
  j.B("exact", r.exact);
  j.Strings("inexact_reasons", r.inexact_reasons);
  j.U("confirmed", r.confirmed);
  j.U("unconfirmed", r.unconfirmed);
  j.U("from_log", r.from_log);
  j.U("from_database", r.from_database);
  if (r.has_upper_bound) j.U("upper_bound", r.upper_bound);
  else j.Null("upper_bound");
  j.U("unresolved_reads", r.unresolved_reads);
  j.U("unresolved_rows", r.unresolved_rows);
  j.U("rows_differ", r.rows_differ);
  j.U("rows_logged", r.rows_logged);
  j.Close('}');

  j.Key("geo");
  j.Open('{');
  j.S("source", r.geo_source);
  j.U("unknown", r.geo_unknown);
  j.SN("unknown_reason", r.geo_unknown > 0 ? r.geo_unknown_reason : "");
  j.Close('}');

  j.Key("by_country");
  j.Open('[');
  for (const CountryCount& c : r.by_country) {
    j.Item('{');
    j.SN("country", c.country);
    j.SN("name", CountryName(c.country));
    j.U("customers", c.customers);
    const Jurisdiction* law = c.country.empty() ? nullptr : JurisdictionOf(c.country);
    j.SN("jurisdiction", law ? law->id : "");
    j.Close('}');
  }
  j.Close(']');
  j.Key("by_region");
  j.Open('[');
  for (const RegionCount& c : r.by_region) {
    j.Item('{');
    j.SN("country", c.country);
    j.SN("region", c.region);
    j.SN("name", c.name);
    j.U("customers", c.customers);
    j.Close('}');
  }
  j.Close(']');

  j.Key("jurisdictions");
  j.Open('[');
  for (const JurisdictionHit& h : r.jurisdictions) {
    j.Item('{');
    if (h.law) {
      j.S("id", h.law->id);
      j.S("name", h.law->name);
      j.S("law", h.law->law);
      j.S("authority", h.law->authority);
      j.S("deadline", h.law->deadline);
      if (h.law->deadline_hours > 0) j.U("deadline_hours", static_cast<uint64_t>(h.law->deadline_hours));
      else j.Null("deadline_hours");
      j.T("deadline_at", h.deadline);
      j.S("individuals", h.law->individuals);
    } else {
      j.Null("id");
      j.S("name", "not in inari's table");
      j.Null("law");
      j.Null("authority");
      j.S("deadline", "check the local law");
      j.Null("deadline_hours");
      j.Null("deadline_at");
      j.Null("individuals");
    }
    j.U("customers", h.customers);
    j.Key("places");
    j.Open('[');
    for (auto& [place, n] : h.places) {
      j.Item('{');
      j.S("place", place);
      std::string_view name = place.size() == 2 ? CountryName(place) : RegionName(place);
      j.SN("name", name);
      j.U("customers", n);
      if (h.law && h.law->id == std::string_view("GDPR")) j.SN("supervisory_authority", SupervisoryAuthority(place));
      j.Close('}');
    }
    j.Close(']');
    j.Close('}');
  }
  j.Close(']');

  j.Key("timeline");
  j.Open('{');
  j.T("first_access", r.first_access);
  j.T("last_access", r.last_access);
  j.T("first_activity", r.first_activity);
  j.T("last_activity", r.last_activity);
  j.T("detected_at", r.detected_at);
  j.SN("detection_source", r.detection_source);
  j.T("gdpr_deadline", r.gdpr_deadline);
  j.T("now", r.now);
  if (r.gdpr_deadline != kNoTime && r.now != kNoTime) j.D("hours_left", HoursLeft(r));
  else j.Null("hours_left");
  j.Close('}');

  j.Key("evidence");
  j.Open('{');
  j.Key("groups");
  j.Open('[');
  for (const Group& g : Groups(r)) {
    j.Item('{');
    j.S("statement", g.shape);
    j.U("reads", g.reads);
    j.T("first", g.first);
    j.T("last", g.last);
    if (g.rows_known) j.U("rows", g.rows);
    else j.Null("rows");
    j.U("keys_named", g.keys_named);
    j.U("keys_resolved", g.keys_resolved);
    j.U("new_customers", g.new_customers);
    j.U("sessions", g.sessions.size());
    j.Key("status");
    j.Open('{');
    for (auto& [k, v] : g.status) j.U(k, v);
    j.Close('}');
    j.Close('}');
  }
  j.Close(']');
  const std::vector<size_t> shown = Shown(r, o);
  j.U("statements_total", r.statements.size());
  j.U("statements_shown", shown.size());
  j.Key("statements");
  j.Open('[');
  for (size_t i : shown) {
    const ScopeStatement& s = r.statements[i];
    j.Item('{');
    j.T("time", s.time);
    j.S("session", s.session);
    j.S("user", s.user);
    j.S("database", s.database);
    j.S("client", s.client);
    j.S("application", s.application);
    j.S("command", s.command);
    j.Strings("tables", s.tables);
    j.I("rows", s.rows, true);
    j.I("db_rows", s.db_rows, true);
    j.U("keys_named", s.keys_named);
    j.U("keys_resolved", s.keys_resolved);
    j.U("customers", s.customers);
    j.U("new_customers", s.new_customers);
    j.S("status", ReadStatusName(s.status));
    j.SN("method", s.method);
    j.SN("reason_code", s.reason_code);
    j.SN("reason", s.reason);
    j.B("rows_differ", s.rows_differ);
    j.B("order_unstable", s.order_unstable);
    j.B("flagged", Flagged(s));
    j.S("statement", s.shape);
    j.S("source", s.source);
    j.U("line", s.line);
    j.Close('}');
  }
  j.Close(']');
  j.Close('}');

  j.Key("sessions");
  j.Open('[');
  for (const ScopeSession& s : r.sessions) {
    j.Item('{');
    j.S("id", s.id);
    j.S("user", s.user);
    j.S("client", s.client);
    j.S("application", s.application);
    j.T("first", s.first);
    j.T("last", s.last);
    j.U("statements", s.statements);
    j.U("customer_reads", s.customer_reads);
    j.Close('}');
  }
  j.Close(']');
  j.Key("other_tables");
  j.Open('[');
  for (auto& [t, n] : r.other_tables) {
    j.Item('{');
    j.S("table", t);
    j.U("reads", n);
    j.Close('}');
  }
  j.Close(']');
  j.Strings("notes", r.notes);
  if (o.with_keys) {
    j.Key("customer_keys");
    j.Open('[');
    for (const ScopeCustomer& c : r.customers) {
      j.Item('{');
      j.S("key", c.key);
      j.SN("country", c.country);
      j.SN("region", c.region);
      j.T("first_access", c.first);
      j.T("last_access", c.last);
      j.U("reads", c.reads);
      j.B("confirmed", c.confirmed);
      j.Close('}');
    }
    j.Close(']');
  }
  j.Close('}');
  j.out += '\n';
  return j.out;
}

// ---- CSV -----------------------------------------------------------------------------

std::string ScopeCustomersCsv(const ScopeResult& r) {
  std::string out = "key,country,region,first_access,last_access,reads,confirmed\n";
  auto field = [&](std::string_view v) {
    if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
      out.append(v);
      return;
    }
    out += '"';
    for (char c : v) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  };
  for (const ScopeCustomer& c : r.customers) {
    field(c.key);
    out += ',';
    field(c.country);
    out += ',';
    field(c.region);
    out += ',' + Iso(c.first) + ',' + Iso(c.last) + ',' + std::to_string(c.reads) + ',' + (c.confirmed ? "yes" : "no") +
           '\n';
  }
  return out;
}

// ---- HTML ----------------------------------------------------------------------------

namespace {

std::string H(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += fmt::format("&#x{:x};", static_cast<int>(c));
        else out += c;
    }
  }
  return out;
}

constexpr std::string_view kCss = R"(
body{font:15px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2330;background:#f4f5f7;margin:0}
main{max-width:1120px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 10px;border-bottom:2px solid #d8dce3;padding-bottom:4px}
.sub{color:#5b6475;margin:0 0 18px}
.box{background:#fff;border:1px solid #d8dce3;border-radius:8px;padding:18px 22px;display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:16px}
.big{font-size:40px;font-weight:700;line-height:1.1}
.label{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#5b6475}
.badge{display:inline-block;border-radius:4px;padding:1px 8px;font-size:13px;font-weight:600}
.ok{background:#d9f2e3;color:#11693a}.warn{background:#fff0c2;color:#7a5600}.bad{background:#fde0e0;color:#9b1c1c}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d8dce3;font-size:14px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e8ebf0;vertical-align:top}
th{background:#eef0f4;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code{font:12.5px/1.4 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-word}
.note{background:#fff;border-left:4px solid #7a8599;padding:8px 14px;margin:8px 0}
ul{margin:6px 0 6px 20px;padding:0}.muted{color:#5b6475}.small{font-size:13px}
)";

}  // namespace

std::string ScopeHtml(const ScopeResult& r, const ScopeReportOptions& o) {
  std::string h;
  const uint64_t n = r.customers.size();
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       "<meta name=\"robots\" content=\"noindex\">";
  h += "<title>Breach scope: " + H(r.subject.Describe()) + "</title><style>" + std::string(kCss) + "</style></head><body><main>\n";
  h += "<h1>Breach scope</h1>\n<p class=\"sub\">Subject: <b>" + H(r.subject.Describe()) + "</b> · report of " +
       H(HumanTime(r.now)) + " · inari scope</p>\n";

  // Summary box.
  h += "<div class=\"box\">\n<div><div class=\"label\">Customers affected</div><div class=\"big\">" + Num(n) + "</div>";
  if (r.exact) {
    h += "<span class=\"badge ok\">exact</span>";
  } else {
    h += "<span class=\"badge bad\">not exact</span><div class=\"small\">at least " + Num(r.confirmed) + ", at most " +
         (r.has_upper_bound ? Num(r.upper_bound) : std::string("unknown")) + "</div>";
  }
  h += "<div class=\"small muted\">" + Num(r.from_log) + " named by the audit log, " + Num(r.from_database) +
       " resolved in the database; distinct customers, not rows: the reads returned " + Num(r.rows_logged) +
       " rows</div></div>\n";
  h += "<div><div class=\"label\">Jurisdictions</div>";
  for (const JurisdictionHit& j : r.jurisdictions)
    h += "<div>" + H(j.law ? j.law->name : "Other countries (not in inari's table)") + ": <b>" + Num(j.customers) + "</b></div>";
  if (r.jurisdictions.empty()) h += "<div class=\"muted\">none</div>";
  h += "</div>\n<div><div class=\"label\">GDPR 72-hour deadline</div>";
  if (r.gdpr_deadline != kNoTime) {
    const double left = HoursLeft(r);
    h += "<div style=\"font-size:20px;font-weight:700\">" + H(HumanTime(r.gdpr_deadline)) + "</div><span class=\"badge " +
         std::string(left < 0 ? "bad" : left < 24 ? "warn" : "ok") + "\">" + H(HoursText(left)) + "</span>";
    h += "<div class=\"small muted\">detected " + H(HumanTime(r.detected_at)) + "<br>" + H(r.detection_source) + "</div>";
  } else {
    h += "<div class=\"muted\">detection time unknown: give --detected-at or --findings</div>";
  }
  h += "</div>\n<div><div class=\"label\">Access</div><div>first " + H(HumanTime(r.first_access)) + "</div><div>last " +
       H(HumanTime(r.last_access)) + "</div><div class=\"small muted\">" + Num(r.customer_reads) +
       " reads of customer data in " + Num(r.sessions.size()) + " sessions</div></div>\n</div>\n";
  if (!r.exact) {
    h += "<div class=\"note\"><b>Why the count is not exact:</b><ul>";
    for (const std::string& w : r.inexact_reasons) h += "<li>" + H(w) + "</li>";
    h += "</ul></div>\n";
  }
  if (r.geo_unknown > 0)
    h += "<div class=\"note\"><b>" + Num(r.geo_unknown) + " customers without country:</b> " + H(r.geo_unknown_reason) +
         "</div>\n";

  // Jurisdictions.
  h += "<h2>Jurisdictions and what they require</h2>\n<table><tr><th>Law</th><th class=\"n\">Customers</th><th>Where</th>"
       "<th>Notify</th><th>Deadline</th><th>Customers themselves</th></tr>\n";
  for (const JurisdictionHit& j : r.jurisdictions) {
    std::string places;
    for (size_t i = 0; i < j.places.size(); ++i) {
      const std::string& p = j.places[i].first;
      std::string_view name = p.size() == 2 ? CountryName(p) : RegionName(p);
      places += (i ? ", " : "") + H(p) + (name.empty() ? "" : " (" + H(name) + ")") + " " + Num(j.places[i].second);
    }
    if (j.law) {
      std::string deadline = H(j.law->deadline);
      if (j.deadline != kNoTime) deadline = "<b>" + H(HumanTime(j.deadline)) + "</b><br><span class=\"small\">" + deadline + "</span>";
      h += "<tr><td><b>" + H(j.law->name) + "</b><br><span class=\"small muted\">" + H(j.law->law) + "</span></td><td class=\"n\">" +
           Num(j.customers) + "</td><td class=\"small\">" + places + "</td><td class=\"small\">" + H(j.law->authority) +
           "</td><td class=\"small\">" + deadline + "</td><td class=\"small\">" + H(j.law->individuals) + "</td></tr>\n";
    } else {
      h += "<tr><td><b>Not in inari's table</b></td><td class=\"n\">" + Num(j.customers) + "</td><td class=\"small\">" +
           places + "</td><td colspan=\"3\" class=\"small\">check the local law of these countries</td></tr>\n";
    }
  }
  h += "</table>\n";
  bool eu = false;
  for (const JurisdictionHit& j : r.jurisdictions) eu = eu || (j.law && j.law->id == std::string_view("GDPR"));
  if (eu) {
    h += "<p class=\"small\">GDPR: the lead supervisory authority is the one of the controller's main establishment in "
         "the EU (Art. 56). National authorities of the affected member states: ";
    bool first = true;
    for (const JurisdictionHit& j : r.jurisdictions)
      if (j.law && j.law->id == std::string_view("GDPR"))
        for (auto& [p, k] : j.places) {
          (void)k;
          std::string_view a = SupervisoryAuthority(p);
          if (a.empty()) continue;
          h += std::string(first ? "" : "; ") + H(p) + " " + H(a);
          first = false;
        }
    h += ".</p>\n";
  }

  // Countries and regions.
  h += "<h2>Customers by country</h2>\n<table><tr><th>Country</th><th class=\"n\">Customers</th><th class=\"n\">Share</th>"
       "<th>Law</th></tr>\n";
  for (const CountryCount& c : r.by_country) {
    const Jurisdiction* law = c.country.empty() ? nullptr : JurisdictionOf(c.country);
    h += "<tr><td>" + H(CountryLabel(c.country)) + "</td><td class=\"n\">" + Num(c.customers) + "</td><td class=\"n\">" +
         Pct(c.customers, n) + "</td><td>" + H(law ? law->name : "-") + "</td></tr>\n";
  }
  h += "</table>\n<h2>Customers by state / region</h2>\n<table><tr><th>Country</th><th>Region</th><th>Name</th>"
       "<th class=\"n\">Customers</th></tr>\n";
  for (const RegionCount& c : r.by_region)
    h += "<tr><td>" + H(c.country.empty() ? "?" : c.country) + "</td><td>" + H(c.region.empty() ? "(unknown)" : c.region) +
         "</td><td>" + H(c.name) + "</td><td class=\"n\">" + Num(c.customers) + "</td></tr>\n";
  h += "</table>\n";

  // Timeline.
  h += "<h2>Timeline</h2>\n<table>";
  auto row = [&](std::string_view k, const std::string& v) { h += "<tr><th>" + H(k) + "</th><td>" + v + "</td></tr>\n"; };
  row("First audited activity of the subject", H(HumanTime(r.first_activity)));
  row("First read of customer data", H(HumanTime(r.first_access)));
  row("Last read of customer data", H(HumanTime(r.last_access)));
  row("Last audited activity of the subject", H(HumanTime(r.last_activity)));
  row("Detected (awareness)", r.detected_at == kNoTime ? std::string("unknown") : H(HumanTime(r.detected_at)) + " — " + H(r.detection_source));
  row("GDPR deadline (detection + 72 h)",
      r.gdpr_deadline == kNoTime ? std::string("-") : H(HumanTime(r.gdpr_deadline)) + " — " + H(HoursText(HoursLeft(r))));
  row("Report time", H(HumanTime(r.now)));
  h += "</table>\n";

  // Unresolved.
  if (r.unresolved_reads > 0 || r.unconfirmed > 0 || r.rows_differ > 0) {
    h += "<h2>What could not be resolved</h2>\n<table><tr><th>Reason</th><th class=\"n\">Reads</th><th class=\"n\">Rows logged</th></tr>\n";
    std::map<std::string, std::pair<uint64_t, uint64_t>> why;
    for (const ScopeStatement& s : r.statements) {
      if (!Flagged(s)) continue;
      std::string k = s.status == ReadStatus::kUnresolved ? s.reason : s.status == ReadStatus::kUnconfirmed ? "unconfirmed: " + s.reason : s.reason;
      auto& e = why[k];
      ++e.first;
      if (s.rows > 0) e.second += static_cast<uint64_t>(s.rows);
    }
    for (auto& [k, v] : why)
      h += "<tr><td>" + H(k) + "</td><td class=\"n\">" + Num(v.first) + "</td><td class=\"n\">" + Num(v.second) + "</td></tr>\n";
    h += "</table>\n";
  }

  // Evidence.
  h += "<h2>Evidence: statements that read customer data</h2>\n<p class=\"small muted\">Statements are shown with every "
       "literal replaced by <code>?</code> and without their parameters, so no customer data appears in this report.</p>\n";
  h += "<table><tr><th>Statement</th><th class=\"n\">Reads</th><th>First / last</th><th class=\"n\">Rows</th>"
       "<th class=\"n\">Keys named</th><th class=\"n\">Keys resolved</th><th class=\"n\">New customers</th><th>How</th></tr>\n";
  for (const Group& g : Groups(r)) {
    std::string how;
    for (auto& [k, v] : g.status) how += (how.empty() ? "" : ", ") + k + " " + Num(v);
    h += "<tr><td><code>" + H(g.shape) + "</code></td><td class=\"n\">" + Num(g.reads) + "</td><td class=\"small\">" +
         H(HumanTime(g.first)) + "<br>" + H(HumanTime(g.last)) + "</td><td class=\"n\">" +
         (g.rows_known ? Num(g.rows) : std::string("?")) + "</td><td class=\"n\">" + Num(g.keys_named) +
         "</td><td class=\"n\">" + Num(g.keys_resolved) + "</td><td class=\"n\">" + Num(g.new_customers) +
         "</td><td class=\"small\">" + H(how) + "</td></tr>\n";
  }
  h += "</table>\n";
  const std::vector<size_t> shown = Shown(r, o);
  h += "<p class=\"small\">" + Num(shown.size()) + " of " + Num(r.statements.size()) +
       " reads listed: the first " + Num(std::min(o.evidence, r.statements.size())) +
       " in time order and every flagged one (the JSON report has the same list).</p>\n";
  h += "<table><tr><th>Time</th><th>Session / user / client / application</th><th>Statement</th><th class=\"n\">Rows</th>"
       "<th class=\"n\">Keys</th><th>Status</th></tr>\n";
  for (size_t i : shown) {
    const ScopeStatement& s = r.statements[i];
    std::string status = std::string(ReadStatusName(s.status));
    if (!s.method.empty()) status += " (" + s.method + ")";
    if (!s.reason.empty()) status += ": " + s.reason;
    std::string keys = Num(s.keys_named) + " named";
    if (s.db_rows >= 0) keys += ", " + Num(s.keys_resolved) + " resolved";
    std::string rows = s.rows >= 0 ? Num(static_cast<uint64_t>(s.rows)) : std::string("?");
    if (s.db_rows >= 0 && s.db_rows != s.rows) rows += " (now " + Num(static_cast<uint64_t>(s.db_rows)) + ")";
    h += std::string("<tr") + (Flagged(s) ? " style=\"background:#fff8e6\"" : "") + "><td class=\"small\">" +
         H(HumanTime(s.time)) + "</td><td class=\"small\">" + H(s.session) + "<br>" + H(s.user) + " · " + H(s.client) +
         "<br>" + H(s.application) + "</td><td><code>" + H(s.shape) + "</code></td><td class=\"n\">" + rows +
         "</td><td class=\"n small\">" + keys + "</td><td class=\"small\">" + H(status) + "</td></tr>\n";
  }
  h += "</table>\n";

  // Sessions and other tables.
  h += "<h2>Sessions of the subject</h2>\n<table><tr><th>Session</th><th>User</th><th>Client</th><th>Application</th>"
       "<th>First</th><th>Last</th><th class=\"n\">Statements</th><th class=\"n\">Customer reads</th></tr>\n";
  for (const ScopeSession& s : r.sessions)
    h += "<tr><td>" + H(s.id) + "</td><td>" + H(s.user) + "</td><td>" + H(s.client) + "</td><td>" + H(s.application) +
         "</td><td class=\"small\">" + H(HumanTime(s.first)) + "</td><td class=\"small\">" + H(HumanTime(s.last)) +
         "</td><td class=\"n\">" + Num(s.statements) + "</td><td class=\"n\">" + Num(s.customer_reads) + "</td></tr>\n";
  h += "</table>\n";
  if (!r.other_tables.empty()) {
    h += "<p class=\"small\">Other tables the subject read (not configured as customer data, no customer keys named): ";
    for (size_t i = 0; i < r.other_tables.size() && i < 30; ++i)
      h += (i ? ", " : "") + H(r.other_tables[i].first) + " (" + Num(r.other_tables[i].second) + ")";
    h += ".</p>\n";
  }

  // Method.
  h += "<h2>Method and limitations</h2>\n<ul class=\"small\">";
  h += "<li>Source: the PostgreSQL server log with pgaudit records (" + Num(r.audit_records) + " audit records read, " +
       Num(r.subject_records) + " of the subject). Customer data = reads of <code>" + H(r.config.customer_table) +
       "</code>" + (r.config.key_tables.empty() ? std::string() : " and " + H([&] {
         std::string s;
         for (size_t i = 0; i < r.config.key_tables.size(); ++i) s += (i ? ", " : "") + r.config.key_tables[i];
         return s;
       }())) + ", and of any table whose statement compares <code>" + H(r.config.key_column) + "</code> with values.</li>";
  h += "<li>From the log: the keys a statement and its logged parameters name (<code>" + H(r.config.key_column) +
       " = …</code>, <code>IN (…)</code>, <code>= ANY(…)</code>), counted when the rows pgaudit logged confirm them.</li>";
  h += "<li>From the database" + (r.database.empty() ? std::string(" (not used: no --db)") : " (<code>" + H(r.database) + "</code>)") +
       ": reads the log cannot name (pages, ranges, exports, searches) are run again read-only, in one snapshot, "
       "selecting only the key; the rows returned now are compared with the rows pgaudit logged then.</li>";
  h += "<li>Country and region: " + H(r.geo_source) + ".</li>";
  h += "<li>Exact when every read of customer data is resolved, every named key is confirmed, and the rows returned "
       "now equal the rows logged then. A count that is not exact is shown with its bounds and its reasons.</li>";
  h += "<li>This report holds customer keys (pseudonymous ids), countries and regions only. The jurisdiction table is "
       "a pointer for the privacy officer, not legal advice.</li>";
  h += "</ul>\n";
  if (!r.notes.empty()) {
    h += "<h2>Notes</h2>\n<ul class=\"small\">";
    for (const std::string& note : r.notes) h += "<li>" + H(note) + "</li>";
    h += "</ul>\n";
  }
  h += "<p class=\"small muted\">Inputs: ";
  for (size_t i = 0; i < r.inputs.size(); ++i) h += (i ? ", " : "") + H(r.inputs[i]);
  h += "</p>\n</main></body></html>\n";
  return h;
}

}  // namespace inari::scope
