// Shared pieces of the inari subcommands: option parsing helpers, the issue
// printer, exit codes (docs/cli.md).
#pragma once

#include <string>

#include "CLI/CLI.hpp"
#include "engine/issue_log.h"
#include "engine/scan.h"

namespace inari::cli {

// Exit codes (stable; docs/cli.md).
inline constexpr int kExitOk = 0;           // everything read
inline constexpr int kExitInputIssues = 1;  // done, but some input was damaged or unreadable
inline constexpr int kExitUsage = 2;        // bad command line
inline constexpr int kExitNoInput = 3;      // nothing could be read at all

struct InputOptions {
  std::string format = "auto";
  std::string shape = "auto";
  std::string pg_prefix;          // --pg-prefix: log_line_prefix of PostgreSQL stderr logs
  bool pg_prefix_given = false;   // "" is a valid prefix; unset means detect
  int threads = 0;
  bool quiet = false;
};

void AddInputOptions(CLI::App* app, InputOptions* o);
// Fills scan options; returns false (after printing why) on a bad value.
bool ToScanOptions(const InputOptions& in, ScanOptions* out);
// Prints each issue to stderr as "inari: SOURCE: WHERE: Code: message".
void PrintIssuesTo(IssueLog* log, bool quiet);
std::string FormatIssue(const ReadIssue& issue);
int ExitCodeFor(const ScanSummary& s, const IssueLog& log);

void RegisterDump(CLI::App* app);
void RegisterHunt(CLI::App* app);
void RegisterRules(CLI::App* app);
void RegisterScope(CLI::App* app);
void RegisterSimulate(CLI::App* app);

}  // namespace inari::cli
