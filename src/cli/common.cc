#include "cli/common.h"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdio>

namespace inari::cli {

void AddInputOptions(CLI::App* app, InputOptions* o) {
  app->add_option("--input-format", o->format,
                  "Input format: auto (by content), evtx, json, pglog (PostgreSQL stderr log), pgcsv (csvlog), "
                  "pgjson (jsonlog)")
      ->check(CLI::IsMember({"auto", "evtx", "json", "pglog", "pgcsv", "pgjson"}));
  app->add_option_function<std::string>(
      "--pg-prefix",
      [o](const std::string& v) {
        o->pg_prefix = v;
        o->pg_prefix_given = true;
      },
      "log_line_prefix of PostgreSQL stderr logs, e.g. '%m [%p] %q%u@%d ' (default: detected per file)");
  app->add_option("--shape", o->shape,
                  "JSON shape: auto (per record), evtxdump (Event.System/EventData), ecs (Winlogbeat), "
                  "flat (OTRF, inari dump)")
      ->check(CLI::IsMember({"auto", "evtxdump", "ecs", "flat"}));
  app->add_option("-t,--threads", o->threads, "Worker threads (0 = one per core)")->check(CLI::Range(0, 1024));
  app->add_flag("-q,--quiet", o->quiet, "No progress bar, no per-issue lines (the summary still counts them)");
}

bool ToScanOptions(const InputOptions& in, ScanOptions* out) {
  out->threads = in.threads;
  out->reader.format = in.format == "evtx"     ? InputFormat::kEvtx
                       : in.format == "json"   ? InputFormat::kJson
                       : in.format == "pglog"  ? InputFormat::kPgLog
                       : in.format == "pgcsv"  ? InputFormat::kPgCsv
                       : in.format == "pgjson" ? InputFormat::kPgJson
                                               : InputFormat::kAuto;
  if (in.pg_prefix_given) out->reader.pg_line_prefix = in.pg_prefix;
  out->reader.json_shape = in.shape == "evtxdump" ? JsonShape::kEvtxDump
                         : in.shape == "ecs"      ? JsonShape::kEcs
                         : in.shape == "flat"     ? JsonShape::kFlat
                                                  : JsonShape::kAuto;
  return true;
}

std::string FormatIssue(const ReadIssue& issue) {
  std::string s = fmt::format("inari: {}", issue.source);
  if (!issue.where.empty()) s += fmt::format(": {}", issue.where);
  s += fmt::format(": {}", issue.status.ToString());
  return s;
}

void PrintIssuesTo(IssueLog* log, bool quiet) {
  if (quiet) return;
  log->set_callback([](const ReadIssue& issue) {
    std::string line = FormatIssue(issue);
    line.push_back('\n');
    if (::isatty(2)) std::fputs("\r\033[K", stderr);  // clear a progress line on a terminal
    std::fwrite(line.data(), 1, line.size(), stderr);
  });
}

int ExitCodeFor(const ScanSummary& s, const IssueLog& log) {
  if (s.files == 0 || (s.files == s.files_failed && s.events == 0)) return kExitNoInput;
  uint64_t real = 0;
  for (auto& [code, n] : log.counts())
    if (code != Code::kDirty) real += n;  // a dirty flag alone is normal for a live log
  return real > 0 ? kExitInputIssues : kExitOk;
}

}  // namespace inari::cli
