#include "engine/rule_test.h"

#include <fmt/format.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "base/time.h"
#include "correlate/correlation.h"
#include "engine/hunt.h"
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

// Writes `text` to a temporary .yml file; returns its path or "".
std::string WriteTemp(const std::string& text) {
  char tmpl[] = "/tmp/inari-rule-test-XXXXXX.yml";
  int fd = ::mkstemps(tmpl, 4);
  if (fd < 0) return {};
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) {
    ::unlink(tmpl);
    return {};
  }
  return tmpl;
}

// "2024-05-01T08:00:00Z", or an offset from `start`: "+90s", "+1m30s", "+250ms", "+5ns", "-7m".
int64_t ParseTestTime(const std::string& text, int64_t start) {
  if (text.find('T') != std::string::npos) return ParseIso8601(text);
  std::string_view s = text;
  const bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty()) return kNoTime;
  int64_t total = 0;
  while (!s.empty()) {
    size_t i = 0;
    int64_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') n = n * 10 + (s[i++] - '0');
    if (i == 0) return kNoTime;
    s.remove_prefix(i);
    int64_t unit = 0;
    for (auto [name, ns] : {std::pair<std::string_view, int64_t>{"ns", 1}, {"ms", 1000000},
                            {"s", 1000000000}, {"m", 60000000000}, {"h", 3600000000000},
                            {"d", 86400000000000}}) {
      if (s.starts_with(name)) {
        unit = ns;
        s.remove_prefix(name.size());
        break;
      }
    }
    if (!unit) return kNoTime;
    total += n * unit;
  }
  return negative ? start - total : start + total;
}

std::string TimeText(int64_t t) { return t == kNoTime ? "-" : FormatIso8601(t); }

RuleTestResult RunCorrelationTest(const YAML::Node& doc, const std::string& test_file) {
  RuleTestResult r;
  r.file = test_file;
  const int64_t start =
      doc["start"] ? ParseIso8601(doc["start"].as<std::string>()) : ParseIso8601("2024-01-01T00:00:00Z");
  if (start == kNoTime) {
    r.message = "start is not an ISO 8601 time";
    return r;
  }
  const std::string path = WriteTemp(doc["rules"].as<std::string>());
  if (path.empty()) {
    r.message = "cannot write a temporary file";
    return r;
  }
  HuntConfig hc;
  hc.rules.paths = {path};
  if (const YAML::Node o = doc["options"]) {
    if (o["lateness"]) hc.correlation.lateness_ns = correlate::ParseTimespan(o["lateness"].as<std::string>());
    if (o["max_groups"]) hc.correlation.max_groups = o["max_groups"].as<size_t>();
    if (o["max_refs"]) hc.correlation.max_refs = o["max_refs"].as<size_t>();
    if (o["max_window_events"]) hc.correlation.max_window_events = o["max_window_events"].as<size_t>();
    if (o["min_level"]) {
      const std::string l = o["min_level"].as<std::string>();
      for (int i = 0; i <= 4; ++i)
        if (sigma::LevelName(static_cast<sigma::Level>(i)) == l) hc.rules.min_level = static_cast<sigma::Level>(i);
    }
  }
  auto created = Hunter::Create(hc, 1);
  ::unlink(path.c_str());
  if (!created.has_value()) {
    r.message = fmt::format("cannot load rules: {}", created.error().ToString());
    return r;
  }
  std::unique_ptr<Hunter> hunter = std::move(created).value();
  std::vector<const sigma::LoadIssue*> errors;
  for (const sigma::LoadIssue& i : hunter->issues())
    if (i.severity == sigma::LoadIssue::Severity::kError) errors.push_back(&i);
  auto list_errors = [&] {
    std::string s;
    for (const sigma::LoadIssue* e : errors) s += fmt::format("\n    line {}: {}: {}", e->line, e->code, e->message);
    return s;
  };
  if (doc["expect_error"]) {
    const std::string want = doc["expect_error"].as<std::string>();
    const int want_line = doc["expect_error_line"] ? doc["expect_error_line"].as<int>() : 0;
    for (const sigma::LoadIssue* e : errors) {
      if (e->code == want && (want_line == 0 || e->line == want_line) && !e->file.empty()) {
        r.passed = true;
        return r;
      }
    }
    r.message = fmt::format("expected an error '{}'{}, got {}", want,
                            want_line ? fmt::format(" on line {}", want_line) : "",
                            errors.empty() ? std::string("none") : list_errors());
    return r;
  }
  if (const YAML::Node want = doc["expect_errors"]) {
    // Exactly these errors (code and line within `rules`), in any order.
    std::vector<std::pair<std::string, int>> expected_errors, got;
    for (auto e : want) expected_errors.emplace_back(e["code"].as<std::string>(), e["line"].as<int>());
    for (const sigma::LoadIssue* e : errors) got.emplace_back(e->code, e->line);
    std::sort(expected_errors.begin(), expected_errors.end());
    std::sort(got.begin(), got.end());
    if (expected_errors != got) {
      std::vector<std::string> w;
      for (auto& [code, line] : expected_errors) w.push_back(fmt::format("{}@{}", code, line));
      r.message = fmt::format("expected errors [{}], got:{}", fmt::join(w, ", "), list_errors());
      return r;
    }
    r.passed = true;
    return r;
  }
  if (!errors.empty()) {
    r.message = "rules rejected:" + list_errors();
    return r;
  }

  // Events.
  EventBatch batch;
  size_t n = 0;
  for (auto ev : doc["events"]) {
    // `repeat: N` (with `every: 30s`, default 1s) writes the event N times,
    // `{i}` in its values becoming 0..N-1.
    const size_t repeat = ev["repeat"] ? ev["repeat"].as<size_t>() : 1;
    const int64_t every = ev["every"] ? ParseTestTime(ev["every"].as<std::string>(), 0) : 1000000000;
    int64_t first = kNoTime;
    if (ev["time"]) {
      first = ParseTestTime(ev["time"].as<std::string>(), start);
      if (first == kNoTime || every == kNoTime) {
        r.message = fmt::format("event {}: bad time '{}'", n, ev["time"].as<std::string>());
        return r;
      }
    }
    for (size_t rep = 0; rep < repeat; ++rep) {
      const int64_t time = first == kNoTime ? kNoTime : first + static_cast<int64_t>(rep) * every;
      batch.BeginEvent();
      if (time != kNoTime) batch.Add(field::kTimeCreatedSystemTime, Value::Time(time));
      for (auto kv : ev) {
        const std::string key = kv.first.as<std::string>();
        if (key == "time" || key == "repeat" || key == "every") continue;
        FieldId id = InternField(key);
        auto add = [&](const YAML::Node& x) {
          if (repeat > 1 && x.IsScalar() && x.Scalar().find("{i}") != std::string::npos) {
            std::string v = x.Scalar();
            for (size_t at; (at = v.find("{i}")) != std::string::npos;) v.replace(at, 3, std::to_string(rep));
            batch.Add(id, Value::String(batch.CopyString(v)));
            return;
          }
          AddValue(&batch, id, x);
        };
        if (kv.second.IsSequence())
          for (auto x : kv.second) add(x);
        else
          add(kv.second);
      }
      batch.EndEvent(time, 0, EventOrigin{0, 0, n++});
    }
  }
  batch.AddSource("events");
  hunter->Consume(0, batch);
  std::vector<Detection> detections = hunter->TakeDetections();
  if (doc["feed"] && doc["feed"].as<std::string>() == "as_written") {
    std::stable_sort(detections.begin(), detections.end(),
                     [](const Detection& a, const Detection& b) { return a.order < b.order; });
  }
  std::vector<uint64_t> event_of(detections.size());
  for (size_t i = 0; i < detections.size(); ++i) event_of[i] = detections[i].order;
  CorrelationSummary summary;
  std::vector<correlate::CorrelationMatch> all;
  std::vector<Detection> timeline = hunter->Correlate(std::move(detections), &summary, &all);

  const correlate::CorrelationSet& cs = hunter->correlations();
  auto describe = [&](const correlate::CorrelationMatch& m) {
    const correlate::CorrelationRule& rule = cs.rule(m.correlation);
    std::vector<std::string> group, evidence;
    for (size_t i = 0; i < m.group.size() && i < rule.def.group_by.size(); ++i)
      group.push_back(fmt::format("{}: {}", rule.def.group_by[i], m.group[i]));
    for (uint64_t ref : m.refs) evidence.push_back(std::to_string(ref < event_of.size() ? event_of[ref] : ref));
    return fmt::format("{{correlation: {}, group: {{{}}}, value: {}, time: {}, events: {}, evidence: [{}], "
                       "window: [{}, {}]{}{}}}",
                       rule.def.info.title, fmt::join(group, ", "), m.value, TimeText(m.time), m.events,
                       fmt::join(evidence, ", "), TimeText(m.window_start), TimeText(m.window_end),
                       rule.shown ? "" : ", shown: false", m.partial ? ", partial: true" : "");
  };
  auto all_text = [&] {
    std::string s;
    for (const auto& m : all) s += "\n    " + describe(m);
    return s.empty() ? std::string(" none") : s;
  };

  const YAML::Node expected = doc["expect_correlations"];
  const size_t n_expected = expected ? expected.size() : 0;
  if (n_expected != all.size()) {
    r.message = fmt::format("expected {} correlation matches, got {}:{}", n_expected, all.size(), all_text());
    return r;
  }
  for (size_t k = 0; k < n_expected; ++k) {
    const YAML::Node x = expected[k];
    const correlate::CorrelationMatch& m = all[k];
    const correlate::CorrelationRule& rule = cs.rule(m.correlation);
    std::vector<std::string> wrong;
    const std::string want = x["correlation"] ? x["correlation"].as<std::string>() : std::string();
    if (want != rule.def.info.title && want != rule.def.info.name && want != rule.def.info.id)
      wrong.push_back("correlation");
    if (const YAML::Node g = x["group"]) {
      if (g.size() != rule.def.group_by.size()) wrong.push_back("group");
      for (size_t i = 0; i < rule.def.group_by.size(); ++i) {
        const YAML::Node v = g[rule.def.group_by[i]];
        if (!v || i >= m.group.size() || v.as<std::string>() != m.group[i]) {
          wrong.push_back("group");
          break;
        }
      }
    }
    if (x["value"]) {
      const double v = x["value"].as<double>();
      if (!(std::fabs(v - m.value) <= 1e-9 * std::max(1.0, std::fabs(v)))) wrong.push_back("value");
    }
    if (x["time"] && ParseTestTime(x["time"].as<std::string>(), start) != m.time) wrong.push_back("time");
    if (x["events"] && x["events"].as<uint64_t>() != m.events) wrong.push_back("events");
    if (const YAML::Node e = x["evidence"]) {
      std::vector<uint64_t> want_ev, got_ev;
      for (auto v : e) want_ev.push_back(v.as<uint64_t>());
      for (uint64_t ref : m.refs) got_ev.push_back(ref < event_of.size() ? event_of[ref] : UINT64_MAX);
      if (want_ev != got_ev) wrong.push_back("evidence");
    }
    if (const YAML::Node w = x["window"]) {
      if (w.size() != 2 || ParseTestTime(w[0].as<std::string>(), start) != m.window_start ||
          ParseTestTime(w[1].as<std::string>(), start) != m.window_end)
        wrong.push_back("window");
    }
    if (x["shown"] && x["shown"].as<bool>() != rule.shown) wrong.push_back("shown");
    if (x["partial"] && x["partial"].as<bool>() != m.partial) wrong.push_back("partial");
    if (!wrong.empty()) {
      r.message = fmt::format("correlation match {} differs in {}: got {}; all matches:{}", k,
                              fmt::join(wrong, ", "), describe(m), all_text());
      return r;
    }
  }
  if (const YAML::Node shown = doc["expect_shown"]) {
    std::vector<uint64_t> want, got;
    for (auto v : shown) want.push_back(v.as<uint64_t>());
    for (const Detection& d : timeline)
      if (d.correlation_json.empty()) got.push_back(d.order);
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    got.erase(std::unique(got.begin(), got.end()), got.end());
    if (want != got) {
      r.message = fmt::format("expected rule detections of events [{}] in the timeline, got [{}]",
                              fmt::join(want, ", "), fmt::join(got, ", "));
      return r;
    }
  }
  if (const YAML::Node st = doc["expect_stats"]) {
    const std::pair<const char*, uint64_t> counters[] = {
        {"late_dropped", summary.late_dropped},
        {"evicted", summary.evicted},
        {"expired", summary.expired},
        {"peak_groups", summary.peak_groups},
        {"missing_group_field", summary.missing_group_field},
        {"missing_value", summary.missing_value},
        {"non_numeric", summary.non_numeric},
        {"truncated", summary.truncated},
        {"hidden_detections", summary.hidden_detections},
        {"inputs", summary.inputs},
        {"matches", summary.matches},
        {"shown", summary.shown},
    };
    for (auto it = st.begin(); it != st.end(); ++it) {
      const std::string key = it->first.as<std::string>();
      bool known = false;
      for (auto [name, value] : counters) {
        if (key != name) continue;
        known = true;
        if (it->second.as<uint64_t>() != value) {
          r.message = fmt::format("expected {} = {}, got {}", key, it->second.as<uint64_t>(), value);
          return r;
        }
      }
      if (!known) {
        r.message = fmt::format("unknown counter '{}' in expect_stats", key);
        return r;
      }
    }
  }
  r.passed = true;
  return r;
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
  if (doc["rules"]) {
    try {
      return RunCorrelationTest(doc, test_file);
    } catch (const std::exception& e) {
      r.message = fmt::format("bad test: {}", e.what());
      return r;
    }
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
