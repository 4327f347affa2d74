// inari scope [options] LOG… — the breach scope of a subject from PostgreSQL
// logs with pgaudit records: distinct customers read (exact, from the log and
// read-only through libpq), by country and region, jurisdictions, timeline
// with the GDPR 72-hour deadline, evidence. docs/scope.md.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "base/time.h"
#include "cli/common.h"
#include "engine/scope.h"
#include "engine/scope_report.h"

namespace inari::cli {

namespace {

inline constexpr int kExitNotExact = 4;   // scope computed, but not exact (the report says why)
inline constexpr int kExitDatabase = 5;   // --db given but the database could not be used

struct ScopeCliOptions {
  InputOptions input;
  std::vector<std::string> paths;
  scope::ScopeSubject subject;
  std::string from, to;
  std::string config_file, customer_table, key_column, human_pattern;
  std::string db, geo;
  std::string detected_at, findings, now;
  std::string json, html, customers_csv;
  std::string format = "text";
  size_t evidence = 50;
  bool with_keys = false;
};

// ISO 8601, or a date alone (the start of that day; with `end_of_day` its last nanosecond).
int64_t ParseTimeArg(const std::string& s, bool end_of_day) {
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    const int64_t t = ParseIso8601(s + "T00:00:00Z");
    if (t == kNoTime) return kNoTime;
    return end_of_day ? t + 86400LL * 1'000'000'000 - 1 : t;
  }
  return ParseIso8601(s);
}

bool WriteFile(const std::string& path, const std::string& text) {
  FILE* f = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
  if (!f) {
    std::fprintf(stderr, "inari scope: cannot write %s\n", path.c_str());
    return false;
  }
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (f != stdout) std::fclose(f);
  if (!ok) std::fprintf(stderr, "inari scope: cannot write %s\n", path.c_str());
  return ok;
}

int RunScope(ScopeCliOptions& o) {
  if (o.subject.empty()) {
    std::fprintf(stderr, "inari scope: name a subject: --user, --human, --session or --client\n");
    return kExitUsage;
  }
  if (!o.from.empty() && (o.subject.from = ParseTimeArg(o.from, false)) == kNoTime) {
    std::fprintf(stderr, "inari scope: --from '%s' is not an ISO 8601 time\n", o.from.c_str());
    return kExitUsage;
  }
  if (!o.to.empty() && (o.subject.to = ParseTimeArg(o.to, true)) == kNoTime) {
    std::fprintf(stderr, "inari scope: --to '%s' is not an ISO 8601 time\n", o.to.c_str());
    return kExitUsage;
  }
  scope::ScopeOptions so;
  if (!o.config_file.empty()) {
    if (Status st = scope::LoadScopeConfig(o.config_file, &so.config); !st.ok()) {
      std::fprintf(stderr, "inari scope: --config: %s\n", st.ToString().c_str());
      return kExitUsage;
    }
  }
  if (!o.customer_table.empty()) so.config.customer_table = o.customer_table;
  if (!o.key_column.empty()) so.config.key_column = o.key_column;
  if (!o.human_pattern.empty()) so.config.human_pattern = o.human_pattern;
  so.subject = o.subject;

  so.now = o.now.empty() ? std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count()
                         : ParseTimeArg(o.now, false);
  if (so.now == kNoTime) {
    std::fprintf(stderr, "inari scope: --now '%s' is not an ISO 8601 time\n", o.now.c_str());
    return kExitUsage;
  }
  if (!o.findings.empty()) {
    if (Status st = scope::DetectionFromFindings(o.findings, o.subject, &so.detected_at, &so.detection_source); !st.ok()) {
      std::fprintf(stderr, "inari scope: --findings: %s\n", st.ToString().c_str());
      return kExitUsage;
    }
  }
  if (!o.detected_at.empty()) {
    if ((so.detected_at = ParseTimeArg(o.detected_at, false)) == kNoTime) {
      std::fprintf(stderr, "inari scope: --detected-at '%s' is not an ISO 8601 time\n", o.detected_at.c_str());
      return kExitUsage;
    }
    so.detection_source = "--detected-at";
  }
  so.geo_file = o.geo;

  ScanOptions scan;
  ToScanOptions(o.input, &scan);
  IssueLog issues;
  PrintIssuesTo(&issues, o.input.quiet);
  Scanner scanner(scan, &issues);
  scope::ScopeCollector collector(so.config, so.subject, scanner.threads());
  if (!collector.status().ok()) {
    std::fprintf(stderr, "inari scope: --human-pattern: %s\n", collector.status().ToString().c_str());
    return kExitUsage;
  }

  // Connect before the scan: a wrong connection string should not cost a scan.
  std::unique_ptr<scope::ScopeDatabase> db;
  const std::string redacted = o.db.empty() ? std::string() : scope::RedactConninfo(o.db);
  if (!o.db.empty()) {
    scope::ScopeDbSettings ds;
    ds.conninfo = o.db;
    ds.key_column = so.config.key_column;
    ds.country_column = so.config.country_column;
    ds.region_column = so.config.region_column;
    ds.search_path = so.config.search_path;
    ds.statement_timeout_ms = so.config.statement_timeout_ms;
    auto opened = scope::OpenScopeDatabase(ds);
    if (!opened.has_value()) {
      std::fprintf(stderr, "inari scope: --db '%s': %s\n", redacted.c_str(), opened.error().ToString().c_str());
      return kExitDatabase;
    }
    db = std::move(opened).value();
    so.db = db.get();
  }

  const ScanSummary s = scanner.Run(
      o.paths, [&](int w, const EventBatch& batch, std::string*) { collector.Consume(w, batch); }, nullptr);
  uint64_t audit = 0, without_session = 0;
  std::vector<scope::AuditRecord> records = collector.TakeRecords(&audit, &without_session);
  auto computed = scope::ComputeScope(std::move(records), so);
  if (db) db->Close();
  if (!computed.has_value()) {
    std::fprintf(stderr, "inari scope: %s\n", computed.error().ToString().c_str());
    return kExitUsage;
  }
  scope::ScopeResult r = std::move(computed).value();
  r.audit_records = audit;
  r.inputs = o.paths;
  r.database = redacted;
  if (audit > 0 && r.subject_records == 0)
    r.notes.push_back("no audit record of the subject in the input: check the names (database users and sessions "
                      "are compared exactly)");
  if (audit == 0)
    r.notes.push_back("no pgaudit records in the input: is pgaudit loaded and pgaudit.log set to include read?");
  if (!o.subject.sessions.empty() && without_session > 0)
    r.notes.push_back(fmt::format(
        "{} of {} audit records have no SessionId (log_line_prefix without %c, or a prefix inari did not detect: "
        "give --pg-prefix): --session cannot match them",
        without_session, audit));

  scope::ScopeReportOptions ro;
  ro.evidence = o.evidence;
  ro.with_keys = o.with_keys;
  bool ok = true;
  if (!o.json.empty()) ok &= WriteFile(o.json, scope::ScopeJson(r, ro));
  if (!o.html.empty()) ok &= WriteFile(o.html, scope::ScopeHtml(r, ro));
  if (!o.customers_csv.empty()) ok &= WriteFile(o.customers_csv, scope::ScopeCustomersCsv(r));
  if (o.format == "json") {
    if (o.json != "-") ok &= WriteFile("-", scope::ScopeJson(r, ro));
  } else if (o.json != "-" && o.html != "-" && o.customers_csv != "-") {
    std::string text = scope::ScopeText(r);
    std::fputs(text.c_str(), stdout);
  }
  if (!ok) return kExitUsage;
  if (int rc = ExitCodeFor(s, issues); rc != kExitOk) return rc;
  return r.exact ? kExitOk : kExitNotExact;
}

}  // namespace

void RegisterScope(CLI::App* app) {
  auto* o = new ScopeCliOptions();
  CLI::App* cmd = app->add_subcommand(
      "scope", "Breach scope of a subject from PostgreSQL/pgaudit logs: customers, countries, laws, deadline, evidence");
  cmd->footer(
      "Examples:\n"
      "  inari scope --user pquinn --db 'host=db dbname=crm user=auditor' --html scope.html postgresql.csv\n"
      "  inari scope --human p.quinn --user pquinn --from 2024-05-01 --to 2024-05-03 --geo customers_geo.csv logs/\n"
      "  inari scope --session 6650f2a1.3ece --detected-at 2024-05-02T21:14:00Z -f json postgresql.json\n"
      "  inari scope --user pquinn --findings risk.json --json scope.json --customers-csv affected.csv logs/\n"
      "A subject is any of --user/--human/--session (alternatives), restricted by --client and --from/--to.\n"
      "The password belongs in PGPASSWORD or ~/.pgpass, not in --db (the report shows --db with password=***).\n"
      "Exit codes: 0 exact scope; 1 some input damaged; 2 usage; 3 nothing readable; 4 scope not exact\n"
      "(unresolved reads, listed with the reason); 5 the database given with --db could not be used.");
  AddInputOptions(cmd, &o->input);
  auto subject = "Subject";
  cmd->add_option("-u,--user", o->subject.users, "Database user (repeatable)")
      ->allow_extra_args(false)
      ->group(subject);
  cmd->add_option("--human", o->subject.humans,
                  "Person behind a shared application account, taken from Application with --human-pattern (repeatable)")
      ->allow_extra_args(false)
      ->group(subject);
  cmd->add_option("--human-pattern", o->human_pattern,
                  "RE2 on Application; group 1 is the person (default 'agent=([A-Za-z0-9._@-]+)')")
      ->group(subject);
  cmd->add_option("--session", o->subject.sessions, "Session id as logged by %c / session_id (repeatable)")
      ->allow_extra_args(false)
      ->group(subject);
  cmd->add_option("--client", o->subject.clients, "Client address or IPv4 CIDR; restricts the subject (repeatable)")
      ->allow_extra_args(false)
      ->group(subject);
  cmd->add_option("--from", o->from, "Only records at or after this time (ISO 8601, UTC if no offset; a date alone: its start)")
      ->group(subject);
  cmd->add_option("--to", o->to, "Only records at or before this time (a date alone: its end)")->group(subject);
  auto data = "Customer data";
  cmd->add_option("--db", o->db,
                  "libpq connection string or URI of the customer database; used read-only to resolve reads the log "
                  "cannot name and (without --geo) countries")
      ->group(data);
  cmd->add_option("--geo", o->geo, "CSV with a header: key,country,region[,region_name] (an export, when no --db)")
      ->group(data);
  cmd->add_option("--config,--db-config", o->config_file,
                  "YAML: customer_table, key_column, country_column, region_column, key_tables, human_pattern, "
                  "search_path, statement_timeout, numeric_keys (hunt's --db-config file is accepted too)")
      ->group(data);
  cmd->add_option("--customer-table", o->customer_table, "Customer table, schema.name or name (default customers)")
      ->group(data);
  cmd->add_option("--key-column", o->key_column, "Customer key column (default customer_id)")->group(data);
  auto time = "Timeline";
  cmd->add_option("--detected-at", o->detected_at, "When the breach was detected (awareness); GDPR deadline = +72 h")
      ->group(time);
  cmd->add_option("--findings", o->findings,
                  "JSON of 'inari hunt --risk-json': detection = the earliest alert or high finding naming the subject")
      ->group(time);
  cmd->add_option("--now", o->now, "Time to count the hours left from (default: the current time)")->group(time);
  auto out = "Output";
  cmd->add_option("--json", o->json, "Write the JSON report (schema inari.scope/1) to this file ('-': stdout)")->group(out);
  cmd->add_option("--html", o->html, "Write the self-contained HTML report to this file")->group(out);
  cmd->add_option("--customers-csv", o->customers_csv,
                  "Write the affected customers (key, country, region, first/last access) as CSV")
      ->group(out);
  cmd->add_option("-f,--format", o->format, "Standard output: text (summary) or json (the JSON report)")
      ->check(CLI::IsMember({"text", "json"}))
      ->group(out);
  cmd->add_option("--evidence", o->evidence, "Reads listed in time order in the reports (default 50; flagged ones always)")
      ->group(out);
  cmd->add_flag("--with-keys", o->with_keys, "JSON: list every customer key with country, region and access times")
      ->group(out);
  cmd->add_option("paths", o->paths, "PostgreSQL log files or directories (stderr, csvlog, jsonlog; .gz)")->required();
  cmd->callback([o] { throw CLI::RuntimeError(RunScope(*o)); });
}

}  // namespace inari::cli
