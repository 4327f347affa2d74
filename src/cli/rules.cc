// inari rules check PATH…  — load and compile rules and correlation rules, list every rejection.
// inari rules test PATH…   — run rule logic tests (*.test, engine/rule_test.h).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli/common.h"
#include "engine/hunt.h"
#include "engine/rule_test.h"
#include "sigma/ruleset.h"

namespace inari::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  std::string placeholders, pipeline;
  bool warnings = false;
};

int RunCheck(const CheckOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  RuleSources sources;
  sources.paths = o.paths;
  sources.placeholders_file = o.placeholders;
  sources.pipeline_file = o.pipeline;
  auto compiled = CompileRules(sources);
  if (!compiled.has_value()) {
    std::fprintf(stderr, "inari rules check: %s\n", compiled.error().ToString().c_str());
    return kExitUsage;
  }
  CompiledRules& c = compiled.value();
  std::vector<sigma::LoadIssue>& issues = c.issues;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  size_t errors = 0, warnings = 0;
  std::stable_sort(issues.begin(), issues.end(), [](const auto& a, const auto& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  for (const auto& i : issues) {
    const bool err = i.severity == sigma::LoadIssue::Severity::kError;
    (err ? errors : warnings)++;
    if (!err && !o.warnings) continue;
    std::printf("%s:%d: %s: %s: %s%s\n", i.file.c_str(), i.line, err ? "error" : "warning", i.code.c_str(),
                i.message.c_str(), i.rule_id.empty() ? "" : fmt::format(" (rule {})", i.rule_id).c_str());
  }
  const auto& st = c.set->stats();
  std::printf(
      "%zu files, %zu documents: %zu rules, %zu filters, %zu correlation rules loaded\n"
      "%zu rules compiled for Windows event logs (%zu variants, %zu prefilter literals, %zu variants always evaluated)\n"
      "%zu correlation rules compiled (over %zu rules)\n"
      "%zu rules for other log sources (not applicable to Windows event logs)\n"
      "%zu errors (rules rejected), %zu warnings%s; %.2f s\n",
      c.files, c.documents, c.loaded, c.filters, c.correlations_loaded, st.rules, st.variants, st.literals,
      st.unfiltered_variants, c.correlations.size(), c.correlations.referenced_base_rules(), st.not_applicable, errors,
      warnings, o.warnings || warnings == 0 ? "" : " (--warnings lists them)", secs);
  return errors ? 1 : 0;
}

struct TestOptions {
  std::vector<std::string> paths;
  std::string base = ".";
};

int RunTests(const TestOptions& o) {
  std::vector<std::string> files;
  for (const std::string& p : o.paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      for (auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file() && e.path().extension() == ".test") files.push_back(e.path().string());
    } else {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  size_t passed = 0, failed = 0;
  for (const std::string& f : files) {
    RuleTestResult r = RunRuleTest(f, o.base);
    if (r.passed) {
      ++passed;
      std::printf("PASS %s\n", f.c_str());
    } else {
      ++failed;
      std::printf("FAIL %s: %s\n", f.c_str(), r.message.c_str());
    }
  }
  std::printf("%zu passed, %zu failed\n", passed, failed);
  if (files.empty()) {
    std::fprintf(stderr, "inari rules test: no .test files found\n");
    return kExitNoInput;
  }
  return failed ? 1 : 0;
}

}  // namespace

void RegisterRules(CLI::App* app) {
  CLI::App* rules = app->add_subcommand("rules", "Check and test Sigma rules");
  rules->require_subcommand(1);

  auto* c = new CheckOptions();
  CLI::App* check = rules->add_subcommand("check", "Load and compile rules; list each rejected rule with the reason");
  check->footer("Examples:\n  inari rules check sigma/rules\n  inari rules check --placeholders ph.yml sigma/rules-placeholder\n"
                "Exit code 1 when any rule is rejected.");
  check->add_option("--placeholders", c->placeholders, "YAML map of placeholder values for expand");
  check->add_option("--pipeline", c->pipeline, "Logsource pipeline YAML");
  check->add_flag("--warnings", c->warnings, "List warnings too");
  check->add_option("paths", c->paths, "Rule files or directories")->required();
  check->callback([c] { throw CLI::RuntimeError(RunCheck(*c)); });

  auto* t = new TestOptions();
  CLI::App* test = rules->add_subcommand("test", "Run rule logic tests (*.test files: a rule, events, expected matches)");
  test->footer("Example:\n  inari rules test tests/logic\nFormat: src/engine/rule_test.h");
  test->add_option("--base", t->base, "Directory rule_file paths are relative to (default: .)");
  test->add_option("paths", t->paths, "Test files or directories")->required();
  test->callback([t] { throw CLI::RuntimeError(RunTests(*t)); });
}

}  // namespace inari::cli
