#include "engine/rule_test.h"

#include <fmt/format.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "event/normalize.h"
#include "sigma/ruleset.h"

namespace inari {

namespace {

bool IsPlainInt(const YAML::Node& n, int64_t* out) {
  if (n.Tag() == "!") return false;  // quoted
  const std::string& s = n.Scalar();
  if (s.empty()) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (size_t k = i; k < s.size(); ++k)
    if (s[k] < '0' || s[k] > '9') return false;
  try {
    *out = std::stoll(s);
  } catch (...) {
    return false;
  }
  return true;
}

void AddValue(EventBatch* b, FieldId id, const YAML::Node& n) {
  if (n.IsNull()) {
    b->Add(id, Value::Null());
    return;
  }
  int64_t i;
  Value v;
  if (IsPlainInt(n, &i)) v = i >= 0 ? Value::UInt(static_cast<uint64_t>(i)) : Value::Int(i);
  else if (n.Tag() != "!" && (n.Scalar() == "true" || n.Scalar() == "false")) v = Value::Bool(n.Scalar() == "true");
  else v = Value::String(b->CopyString(n.Scalar()));
  b->Add(id, NormalizeWellKnown(id, v));
}

}  // namespace

RuleTestResult RunRuleTest(const std::string& test_file, const std::string& base_dir) {
  RuleTestResult r;
  r.file = test_file;
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(test_file);
  } catch (const std::exception& e) {
    r.message = fmt::format("cannot read test: {}", e.what());
    return r;
  }
  // The rule: a file, or inline text written to a temporary file.
  std::string rule_path;
  std::string temp;
  if (doc["rule_file"]) {
    rule_path = (std::filesystem::path(base_dir) / doc["rule_file"].as<std::string>()).string();
  } else if (doc["rule"]) {
    char tmpl[] = "/tmp/inari-rule-test-XXXXXX.yml";
    int fd = ::mkstemps(tmpl, 4);
    if (fd < 0) {
      r.message = "cannot create a temporary file";
      return r;
    }
    std::string text = doc["rule"].as<std::string>();
    if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      ::close(fd);
      r.message = "cannot write a temporary file";
      return r;
    }
    ::close(fd);
    temp = rule_path = tmpl;
  } else {
    r.message = "test has neither rule_file nor rule";
    return r;
  }
  std::map<std::string, std::vector<std::string>> placeholders;
  if (doc["placeholders"]) {
    for (auto it : doc["placeholders"]) {
      auto& vals = placeholders[it.first.as<std::string>()];
      if (it.second.IsSequence())
        for (auto v : it.second) vals.push_back(v.as<std::string>());
      else
        vals.push_back(it.second.as<std::string>());
    }
  }
  sigma::LoadOptions lo;
  lo.placeholders = doc["placeholders"] ? &placeholders : nullptr;
  sigma::LoadResult loaded = sigma::LoadRules({rule_path}, lo);
  if (!temp.empty()) ::unlink(temp.c_str());
  std::vector<sigma::LoadIssue> issues = loaded.issues;
  const size_t loaded_rules = loaded.rules.size();
  sigma::BuildOptions bo;
  bo.placeholders = lo.placeholders;
  auto rules = sigma::RuleSet::Build(std::move(loaded), sigma::LogsourceMap::BuiltIn(), bo, &issues);
  auto first_error = [&]() -> const sigma::LoadIssue* {
    for (auto& i : issues)
      if (i.severity == sigma::LoadIssue::Severity::kError) return &i;
    return nullptr;
  };
  if (doc["expect_error"]) {
    const std::string want = doc["expect_error"].as<std::string>();
    const sigma::LoadIssue* e = first_error();
    if (!e || rules->size() != 0) {
      r.message = fmt::format("expected the rule to be rejected with '{}', but it {}", want,
                              e ? "loaded (" + e->code + ": " + e->message + ")" : "loaded");
      return r;
    }
    if (e->code != want) {
      r.message = fmt::format("expected error '{}', got '{}': {}", want, e->code, e->message);
      return r;
    }
    r.passed = true;
    return r;
  }
  if (const sigma::LoadIssue* e = first_error()) {
    r.message = fmt::format("rule rejected: {}: {} ({}:{})", e->code, e->message, e->file, e->line);
    return r;
  }
  if (loaded_rules != 1 || rules->size() != 1) {
    r.message = fmt::format("expected exactly one rule applicable to Windows events, got {} loaded / {} compiled",
                            loaded_rules, rules->size());
    return r;
  }
  for (auto v : doc["expect"]) r.expected.push_back(v.as<size_t>());
  std::sort(r.expected.begin(), r.expected.end());
  EventBatch batch;
  size_t n = 0;
  for (auto ev : doc["events"]) {
    batch.BeginEvent();
    for (auto kv : ev) {
      FieldId id = InternField(kv.first.as<std::string>());
      if (kv.second.IsSequence())
        for (auto x : kv.second) AddValue(&batch, id, x);
      else
        AddValue(&batch, id, kv.second);
    }
    batch.EndEvent(INT64_MIN, 0, EventOrigin{0, 0, n++});
  }
  auto scratch = rules->NewScratch();
  std::vector<uint32_t> hits;
  for (size_t i = 0; i < batch.size(); ++i) {
    hits.clear();
    rules->Match(batch[i], scratch.get(), &hits);
    if (!hits.empty()) r.matched.push_back(i);
  }
  if (r.matched != r.expected) {
    r.message = fmt::format("expected matches [{}], got [{}]", fmt::join(r.expected, ", "), fmt::join(r.matched, ", "));
    return r;
  }
  r.passed = true;
  return r;
}

}  // namespace inari
