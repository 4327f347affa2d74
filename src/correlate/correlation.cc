#include "correlate/correlation.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <set>
#include <unordered_map>

namespace inari::correlate {

std::string_view CorrelationTypeName(CorrelationType t) {
  switch (t) {
    case CorrelationType::kEventCount:
      return "event_count";
    case CorrelationType::kValueCount:
      return "value_count";
    case CorrelationType::kTemporal:
      return "temporal";
    case CorrelationType::kTemporalOrdered:
      return "temporal_ordered";
    case CorrelationType::kValueSum:
      return "value_sum";
    case CorrelationType::kValueAvg:
      return "value_avg";
    case CorrelationType::kValuePercentile:
      return "value_percentile";
  }
  return "?";
}

bool Condition::Holds(double v) const {
  if (std::isnan(v)) return false;
  if (gt && !(v > *gt)) return false;
  if (gte && !(v >= *gte)) return false;
  if (lt && !(v < *lt)) return false;
  if (lte && !(v <= *lte)) return false;
  if (eq && !(v == *eq)) return false;
  if (neq && !(v != *neq)) return false;
  return true;
}

namespace {

std::string Number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{}", v);
}

}  // namespace

std::string Condition::ToString() const {
  std::string s;
  auto add = [&](const char* op, const std::optional<double>& v) {
    if (!v) return;
    if (!s.empty()) s += " and ";
    s += op;
    s += ' ';
    s += Number(*v);
  };
  add("gt", gt);
  add("gte", gte);
  add("lt", lt);
  add("lte", lte);
  add("eq", eq);
  add("neq", neq);
  return s;
}

int64_t ParseTimespan(std::string_view text) {
  if (text.size() < 2) return 0;
  const char unit = text.back();
  int64_t seconds_per_unit = 0;
  switch (unit) {
    case 's':
      seconds_per_unit = 1;
      break;
    case 'm':
      seconds_per_unit = 60;
      break;
    case 'h':
      seconds_per_unit = 3600;
      break;
    case 'd':
      seconds_per_unit = 86400;
      break;
    case 'w':
      seconds_per_unit = 7 * 86400;
      break;
    default:
      return 0;
  }
  std::string_view digits = text.substr(0, text.size() - 1);
  for (char c : digits)
    if (c < '0' || c > '9') return 0;
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || p != digits.data() + digits.size() || n == 0) return 0;
  constexpr uint64_t kMaxSeconds = static_cast<uint64_t>(INT64_MAX / 1000000000);
  if (n > kMaxSeconds / static_cast<uint64_t>(seconds_per_unit)) return 0;
  return static_cast<int64_t>(n) * seconds_per_unit * 1000000000;
}

// ---- Parsing ------------------------------------------------------------------

namespace {

using sigma::LoadIssue;

class CorrelationReader {
 public:
  CorrelationReader(const sigma::LoadedCorrelation& c, std::vector<LoadIssue>* issues)
      : c_(c), issues_(issues) {}

  std::optional<ParsedCorrelation> Run() {
    ParsedCorrelation p;
    p.info = c_.info;
    YAML::Node doc;
    try {
      doc = YAML::Load(c_.yaml);
    } catch (const YAML::Exception& e) {
      Error("yaml", c_.info.line, fmt::format("invalid YAML: {}", e.msg));
      return std::nullopt;
    }
    if (!doc.IsMap()) {
      Error("bad-document", c_.info.line, "a correlation document must be a YAML map");
      return std::nullopt;
    }
    // Marks are lines of the document text; the loader gives the document's
    // first line in the file.
    line_offset_ = c_.info.line - 1 - (doc.Mark().is_null() ? 0 : doc.Mark().line);
    YAML::Node corr = doc["correlation"];
    if (!corr || !corr.IsMap()) {
      Error("bad-field", c_.info.line, "'correlation' must be a map (type, rules, timespan, ...)");
      return std::nullopt;
    }
    ReadType(corr, &p);
    ReadRules(corr, &p);
    ReadGroupBy(corr, &p);
    ReadTimespan(corr, &p);
    ReadGenerate(doc, corr, &p);
    ReadCondition(corr, &p);
    ReadAliases(corr, &p);
    static const std::set<std::string> kKnown = {"type",      "rules",   "group-by", "timespan",
                                                 "condition", "aliases", "generate"};
    for (auto it = corr.begin(); it != corr.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
      if (!kKnown.count(key)) {
        Warning("ignored-field", Line(it->first),
                fmt::format("unknown key 'correlation.{}' ignored (known: type, rules, group-by, "
                            "timespan, condition, aliases, generate)",
                            key));
      }
    }
    if (errors_) return std::nullopt;
    return p;
  }

 private:
  int Line(const YAML::Node& n) const {
    return n.Mark().is_null() ? c_.info.line : n.Mark().line + 1 + line_offset_;
  }

  void Issue(LoadIssue::Severity sev, std::string code, int line, std::string message) {
    LoadIssue i;
    i.severity = sev;
    i.code = std::move(code);
    i.file = c_.info.file;
    i.line = line;
    i.rule_id = c_.info.id;
    i.message = std::move(message);
    issues_->push_back(std::move(i));
  }
  void Error(std::string code, int line, std::string message) {
    ++errors_;
    Issue(LoadIssue::Severity::kError, std::move(code), line, std::move(message));
  }
  void Warning(std::string code, int line, std::string message) {
    Issue(LoadIssue::Severity::kWarning, std::move(code), line, std::move(message));
  }

  void ReadType(const YAML::Node& corr, ParsedCorrelation* p) {
    YAML::Node t = corr["type"];
    if (!t) {
      Error("missing-field", Line(corr),
            "correlation.type is required (event_count, value_count, temporal, "
            "temporal_ordered, value_sum, value_avg, value_percentile)");
      return;
    }
    static const std::pair<std::string_view, CorrelationType> kTypes[] = {
        {"event_count", CorrelationType::kEventCount},
        {"value_count", CorrelationType::kValueCount},
        {"temporal", CorrelationType::kTemporal},
        {"temporal_ordered", CorrelationType::kTemporalOrdered},
        {"value_sum", CorrelationType::kValueSum},
        {"value_avg", CorrelationType::kValueAvg},
        {"value_percentile", CorrelationType::kValuePercentile},
    };
    const std::string s = t.IsScalar() ? t.Scalar() : std::string();
    for (auto& [name, type] : kTypes) {
      if (s == name) {
        p->type = type;
        type_ok_ = true;
        return;
      }
    }
    Error("bad-correlation", Line(t),
          fmt::format("unknown correlation type '{}' (expected event_count, value_count, "
                      "temporal, temporal_ordered, value_sum, value_avg or value_percentile)",
                      s));
  }

  void ReadRules(const YAML::Node& corr, ParsedCorrelation* p) {
    YAML::Node r = corr["rules"];
    if (!r) {
      Error("missing-field", Line(corr), "correlation.rules is required (rule ids or names)");
      return;
    }
    p->line_rules = Line(r);
    std::vector<YAML::Node> items;
    if (r.IsScalar()) {
      items.push_back(r);
    } else if (r.IsSequence()) {
      for (auto x : r) items.push_back(x);
    } else {
      Error("bad-field", Line(r), "correlation.rules must be a list of rule ids or names");
      return;
    }
    if (items.empty()) Error("bad-field", Line(r), "correlation.rules is empty");
    for (const YAML::Node& x : items) {
      if (!x.IsScalar() || x.Scalar().empty()) {
        Error("bad-field", Line(x), "correlation.rules: each entry must be a rule id or name");
        continue;
      }
      if (std::find(p->rules.begin(), p->rules.end(), x.Scalar()) != p->rules.end()) {
        Error("bad-field", Line(x),
              fmt::format("correlation.rules names '{}' twice", x.Scalar()));
        continue;
      }
      p->rules.push_back(x.Scalar());
    }
  }

  void ReadGroupBy(const YAML::Node& corr, ParsedCorrelation* p) {
    YAML::Node g = corr["group-by"];
    if (!g) {
      Error("missing-field", Line(corr),
            "correlation.group-by is required (write 'group-by: []' for one group over all "
            "events)");
      return;
    }
    p->line_group_by = Line(g);
    std::vector<YAML::Node> items;
    if (g.IsScalar()) {
      items.push_back(g);
    } else if (g.IsSequence()) {
      for (auto x : g) items.push_back(x);
    } else if (!g.IsNull()) {
      Error("bad-field", Line(g), "correlation.group-by must be a list of field names");
      return;
    }
    for (const YAML::Node& x : items) {
      if (!x.IsScalar() || x.Scalar().empty()) {
        Error("bad-field", Line(x), "correlation.group-by: each entry must be a field name");
        continue;
      }
      if (std::find(p->group_by.begin(), p->group_by.end(), x.Scalar()) != p->group_by.end()) {
        Error("bad-field", Line(x), fmt::format("correlation.group-by names '{}' twice", x.Scalar()));
        continue;
      }
      p->group_by.push_back(x.Scalar());
    }
  }

  void ReadTimespan(const YAML::Node& corr, ParsedCorrelation* p) {
    YAML::Node t = corr["timespan"];
    if (!t) {
      Error("missing-field", Line(corr), "correlation.timespan is required (e.g. 10m)");
      return;
    }
    p->timespan = t.IsScalar() ? t.Scalar() : std::string();
    p->timespan_ns = t.IsScalar() ? ParseTimespan(p->timespan) : 0;
    if (p->timespan_ns == 0) {
      Error("bad-timespan", Line(t),
            fmt::format("timespan '{}' is not a positive number followed by s, m, h, d or w "
                        "(e.g. 90m)",
                        p->timespan));
    }
  }

  void ReadGenerate(const YAML::Node& doc, const YAML::Node& corr, ParsedCorrelation* p) {
    // The specification lists `generate` among the document's attributes, the
    // JSON schema at the top level and pySigma reads it inside `correlation`:
    // both places are accepted.
    std::optional<bool> value;
    for (const YAML::Node& where : {doc, corr}) {
      YAML::Node g = where["generate"];
      if (!g) continue;
      const std::string s = g.IsScalar() ? g.Scalar() : std::string();
      bool b;
      if (g.Tag() != "!" && (s == "true" || s == "True" || s == "TRUE")) {
        b = true;
      } else if (g.Tag() != "!" && (s == "false" || s == "False" || s == "FALSE")) {
        b = false;
      } else {
        Error("bad-field", Line(g), fmt::format("generate must be true or false, not '{}'", s));
        continue;
      }
      if (value && *value != b) {
        Error("bad-field", Line(g), "generate is given twice with different values");
        continue;
      }
      value = b;
    }
    p->generate = value.value_or(false);
  }

  std::optional<double> ReadNumber(const YAML::Node& n, std::string_view what) {
    if (n.IsScalar() && n.Tag() != "!") {
      const std::string& s = n.Scalar();
      double d = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
      if (ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(d)) return d;
    }
    Error("bad-condition", Line(n),
          fmt::format("condition.{} must be a number, not '{}'", what,
                      n.IsScalar() ? n.Scalar() : std::string("(not a scalar)")));
    return std::nullopt;
  }

  void ReadCondition(const YAML::Node& corr, ParsedCorrelation* p) {
    const bool temporal =
        p->type == CorrelationType::kTemporal || p->type == CorrelationType::kTemporalOrdered;
    const bool value_type = p->type == CorrelationType::kValueCount ||
                            p->type == CorrelationType::kValueSum ||
                            p->type == CorrelationType::kValueAvg ||
                            p->type == CorrelationType::kValuePercentile;
    YAML::Node c = corr["condition"];
    if (!c) {
      if (type_ok_ && !temporal) {
        Error("missing-field", Line(corr),
              fmt::format("correlation.condition is required for {} (e.g. gte: 10{})",
                          CorrelationTypeName(p->type), value_type ? " and field: ..." : ""));
      }
      return;
    }
    p->line_condition = Line(c);
    if (c.IsScalar()) {
      Error("bad-condition", Line(c),
            "the condition must be a map (gt, gte, lt, lte, eq, neq; field); condition "
            "expressions as text are a pySigma extension, not part of the v2.1 specification");
      return;
    }
    if (!c.IsMap()) {
      Error("bad-condition", Line(c), "the condition must be a map (gt, gte, lt, lte, eq, neq)");
      return;
    }
    int ops = 0;
    for (auto it = c.begin(); it != c.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
      const YAML::Node v = it->second;
      std::optional<double>* slot = key == "gt"    ? &p->condition.gt
                                    : key == "gte" ? &p->condition.gte
                                    : key == "lt"  ? &p->condition.lt
                                    : key == "lte" ? &p->condition.lte
                                    : key == "eq"  ? &p->condition.eq
                                    : key == "neq" ? &p->condition.neq
                                                   : nullptr;
      if (slot) {
        ++ops;
        if (auto d = ReadNumber(v, key)) *slot = *d;
      } else if (key == "field") {
        if (v.IsScalar() && !v.Scalar().empty()) {
          p->fields.push_back(v.Scalar());
        } else if (v.IsSequence() && v.size() > 0) {
          for (auto f : v) {
            if (!f.IsScalar() || f.Scalar().empty()) {
              Error("bad-condition", Line(f), "condition.field: each entry must be a field name");
              continue;
            }
            p->fields.push_back(f.Scalar());
          }
        } else {
          Error("bad-condition", Line(v), "condition.field must be a field name or a list of them");
        }
      } else if (key == "percentile") {
        if (auto d = ReadNumber(v, key)) {
          if (*d < 0 || *d > 100)
            Error("bad-condition", Line(v), "condition.percentile must lie in 0..100");
          else
            p->percentile = *d;
        }
        if (p->type != CorrelationType::kValuePercentile)
          Warning("ignored-field", Line(v), "condition.percentile is used by value_percentile only");
      } else {
        Error("bad-condition", Line(it->first),
              fmt::format("unknown condition key '{}' (expected gt, gte, lt, lte, eq, neq, field"
                          "{})",
                          key, p->type == CorrelationType::kValuePercentile ? ", percentile" : ""));
      }
    }
    p->condition_given = ops > 0;
    if (ops == 0)
      Error("bad-condition", Line(c), "the condition needs at least one of gt, gte, lt, lte, eq, neq");
    if (!type_ok_) return;
    if (value_type && p->fields.empty()) {
      Error("missing-field", Line(c),
            fmt::format("{} needs condition.field (the field whose values are aggregated)",
                        CorrelationTypeName(p->type)));
    }
    if (!value_type && !p->fields.empty()) {
      Warning("ignored-field", Line(c),
              fmt::format("condition.field is not used by {}", CorrelationTypeName(p->type)));
      p->fields.clear();
    }
    if (value_type && p->type != CorrelationType::kValueCount && p->fields.size() > 1) {
      Error("bad-condition", Line(c),
            fmt::format("{} aggregates one numeric field; condition.field names {}",
                        CorrelationTypeName(p->type), p->fields.size()));
    }
    CheckSatisfiable(*p, Line(c));
  }

  // A range no value can meet is an error, not a rule that silently never fires.
  void CheckSatisfiable(const ParsedCorrelation& p, int line) {
    const Condition& c = p.condition;
    double lo = -INFINITY, hi = INFINITY;
    bool lo_strict = false, hi_strict = false;
    if (c.gt) lo = *c.gt, lo_strict = true;
    if (c.gte && *c.gte > lo) lo = *c.gte, lo_strict = false;
    if (c.lt) hi = *c.lt, hi_strict = true;
    if (c.lte && *c.lte < hi) hi = *c.lte, hi_strict = false;
    bool empty = lo > hi || (lo == hi && (lo_strict || hi_strict));
    if (c.eq && !c.Holds(*c.eq)) empty = true;
    const bool counts = p.type == CorrelationType::kEventCount ||
                        p.type == CorrelationType::kValueCount ||
                        p.type == CorrelationType::kTemporal ||
                        p.type == CorrelationType::kTemporalOrdered;
    if (!empty && counts && hi < 1) empty = true;  // a match needs one event at least
    if (!empty && (p.type == CorrelationType::kTemporal ||
                   p.type == CorrelationType::kTemporalOrdered)) {
      const double n = static_cast<double>(p.rules.size());
      if (lo > n || (lo == n && lo_strict)) empty = true;
    }
    if (empty) {
      Error("bad-condition", line,
            fmt::format("condition '{}' can never hold for {}{}", c.ToString(),
                        CorrelationTypeName(p.type),
                        p.type == CorrelationType::kTemporal ||
                                p.type == CorrelationType::kTemporalOrdered
                            ? fmt::format(" over {} rules", p.rules.size())
                            : ""));
    }
  }

  void ReadAliases(const YAML::Node& corr, ParsedCorrelation* p) {
    YAML::Node a = corr["aliases"];
    if (!a) return;
    p->line_aliases = Line(a);
    if (!a.IsMap()) {
      Error("bad-alias", Line(a), "correlation.aliases must map alias names to {rule: field} maps");
      return;
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
      const std::string alias = it->first.IsScalar() ? it->first.Scalar() : std::string();
      const YAML::Node m = it->second;
      if (alias.empty() || !m.IsMap() || m.size() == 0) {
        Error("bad-alias", Line(it->first),
              fmt::format("alias '{}' must map rule names to field names", alias));
        continue;
      }
      auto& mapping = p->aliases[alias];
      for (auto r = m.begin(); r != m.end(); ++r) {
        const std::string rule = r->first.IsScalar() ? r->first.Scalar() : std::string();
        if (rule.empty() || !r->second.IsScalar() || r->second.Scalar().empty()) {
          Error("bad-alias", Line(r->first),
                fmt::format("alias '{}': each entry must be 'rule name: field name'", alias));
          continue;
        }
        mapping[rule] = r->second.Scalar();
      }
      const bool used =
          std::find(p->group_by.begin(), p->group_by.end(), alias) != p->group_by.end() ||
          std::find(p->fields.begin(), p->fields.end(), alias) != p->fields.end();
      if (!used) {
        Warning("unused-alias", Line(it->first),
                fmt::format("alias '{}' is used neither in group-by nor as condition.field", alias));
      }
    }
  }

  const sigma::LoadedCorrelation& c_;
  std::vector<LoadIssue>* issues_;
  int line_offset_ = 0;
  int errors_ = 0;
  bool type_ok_ = false;
};

}  // namespace

std::optional<ParsedCorrelation> ParseCorrelation(const sigma::LoadedCorrelation& c,
                                                  std::vector<sigma::LoadIssue>* issues) {
  try {
    return CorrelationReader(c, issues).Run();
  } catch (const std::exception& e) {
    sigma::LoadIssue i;
    i.code = "internal";
    i.file = c.info.file;
    i.line = c.info.line;
    i.rule_id = c.info.id;
    i.message = fmt::format("unexpected error reading the correlation: {}", e.what());
    issues->push_back(std::move(i));
    return std::nullopt;
  }
}

// ---- Compilation ----------------------------------------------------------------

namespace {

struct Target {
  bool is_correlation = false;
  size_t index = 0;  // into base entries or parsed correlations
};

}  // namespace

CorrelationSet CorrelationSet::Build(std::vector<ParsedCorrelation> parsed,
                                     const std::vector<BaseRuleEntry>& base,
                                     size_t base_rule_count,
                                     std::vector<sigma::LoadIssue>* issues) {
  auto error = [&](const ParsedCorrelation& p, std::string code, int line, std::string message) {
    sigma::LoadIssue i;
    i.code = std::move(code);
    i.file = p.info.file;
    i.line = line ? line : p.info.line;
    i.rule_id = p.info.id;
    i.message = std::move(message);
    issues->push_back(std::move(i));
  };
  auto warning = [&](const ParsedCorrelation& p, std::string code, int line, std::string message) {
    sigma::LoadIssue i;
    i.severity = sigma::LoadIssue::Severity::kWarning;
    i.code = std::move(code);
    i.file = p.info.file;
    i.line = line ? line : p.info.line;
    i.rule_id = p.info.id;
    i.message = std::move(message);
    issues->push_back(std::move(i));
  };

  // Ids first, then names (ids and names are unique across everything loaded).
  std::unordered_map<std::string, Target> by_id, by_name;
  for (size_t i = 0; i < base.size(); ++i) {
    if (!base[i].id.empty()) by_id.emplace(base[i].id, Target{false, i});
    if (!base[i].name.empty()) by_name.emplace(base[i].name, Target{false, i});
  }
  for (size_t i = 0; i < parsed.size(); ++i) {
    if (!parsed[i].info.id.empty()) by_id.emplace(parsed[i].info.id, Target{true, i});
    if (!parsed[i].info.name.empty()) by_name.emplace(parsed[i].info.name, Target{true, i});
  }
  auto resolve = [&](const std::string& ref) -> std::optional<Target> {
    if (auto it = by_id.find(ref); it != by_id.end()) return it->second;
    if (auto it = by_name.find(ref); it != by_name.end()) return it->second;
    return std::nullopt;
  };

  // The field an input's events carry for a group-by name or condition field:
  // the alias's field for that rule (named by id or name), else the name itself.
  auto alias_field = [&](const ParsedCorrelation& p, const std::string& rule_ref,
                         const std::string& name) -> std::string {
    auto a = p.aliases.find(name);
    if (a == p.aliases.end()) return name;
    if (auto f = a->second.find(rule_ref); f != a->second.end()) return f->second;
    std::optional<Target> me = resolve(rule_ref);
    for (const auto& [ref, field] : a->second) {
      std::optional<Target> t = resolve(ref);
      if (t && me && t->is_correlation == me->is_correlation && t->index == me->index)
        return field;
    }
    return name;
  };

  const size_t n = parsed.size();
  std::vector<std::vector<Target>> targets(n);
  std::vector<bool> failed(n, false);
  for (size_t i = 0; i < n; ++i) {
    const ParsedCorrelation& p = parsed[i];
    for (const std::string& ref : p.rules) {
      std::optional<Target> t = resolve(ref);
      if (!t) {
        error(p, "unknown-reference", p.line_rules,
              fmt::format("correlation '{}' references '{}', which is neither the id nor the name "
                          "of a loaded rule or correlation",
                          p.info.title, ref));
        failed[i] = true;
        continue;
      }
      if (!t->is_correlation && base[t->index].index < 0) {
        error(p, "bad-reference", p.line_rules,
              fmt::format("correlation '{}' references rule '{}', which is not in use: {}",
                          p.info.title, ref, base[t->index].why_not));
        failed[i] = true;
        continue;
      }
      if (t->is_correlation && t->index == i) {
        error(p, "correlation-cycle", p.line_rules,
              fmt::format("correlation '{}' references itself", p.info.title));
        failed[i] = true;
        continue;
      }
      targets[i].push_back(*t);
    }
  }

  // Cycles (depth-first, colours) and a topological order, inner first.
  std::vector<int> colour(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<size_t> topo;
  std::vector<size_t> stack;
  std::function<void(size_t)> visit = [&](size_t i) {
    colour[i] = 1;
    stack.push_back(i);
    for (const Target& t : targets[i]) {
      if (!t.is_correlation) continue;
      if (colour[t.index] == 1) {
        // Every correlation on the cycle is reported.
        auto from = std::find(stack.begin(), stack.end(), t.index);
        std::string path;
        for (auto it = from; it != stack.end(); ++it) path += parsed[*it].info.title + " -> ";
        path += parsed[t.index].info.title;
        for (auto it = from; it != stack.end(); ++it) {
          if (failed[*it]) continue;
          failed[*it] = true;
          error(parsed[*it], "correlation-cycle", parsed[*it].line_rules,
                fmt::format("correlation chain loops: {}", path));
        }
      } else if (colour[t.index] == 0) {
        visit(t.index);
      }
    }
    stack.pop_back();
    colour[i] = 2;
    topo.push_back(i);
  };
  for (size_t i = 0; i < n; ++i)
    if (colour[i] == 0) visit(i);

  // Fields outer correlations need from inner ones beyond their group-by,
  // passed down the chain (outer first).
  std::vector<std::vector<std::string>> carried(n);
  for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
    const size_t i = *it;
    if (failed[i]) continue;
    const ParsedCorrelation& p = parsed[i];
    std::vector<std::string> needed = p.group_by;
    needed.insert(needed.end(), p.fields.begin(), p.fields.end());
    needed.insert(needed.end(), carried[i].begin(), carried[i].end());
    for (size_t k = 0; k < targets[i].size(); ++k) {
      const Target& t = targets[i][k];
      if (!t.is_correlation) continue;
      const std::vector<std::string>& inner = parsed[t.index].group_by;
      for (const std::string& name : needed) {
        const std::string f = alias_field(p, p.rules[k], name);
        if (std::find(inner.begin(), inner.end(), f) == inner.end() &&
            std::find(carried[t.index].begin(), carried[t.index].end(), f) ==
                carried[t.index].end())
          carried[t.index].push_back(f);
      }
    }
  }

  CorrelationSet set;
  set.base_fields_.assign(base_rule_count, {});
  set.base_referenced_.assign(base_rule_count, false);
  set.base_consumers_.assign(base_rule_count, {});
  std::vector<int64_t> final_index(n, -1);
  std::vector<CorrelationRule> built(n);
  std::vector<bool> ok(n, false);

  auto slot_of = [&](uint32_t base_index, const std::string& field) -> uint32_t {
    auto& fields = set.base_fields_[base_index];
    auto it = std::find(fields.begin(), fields.end(), field);
    if (it != fields.end()) return static_cast<uint32_t>(it - fields.begin());
    fields.push_back(field);
    return static_cast<uint32_t>(fields.size() - 1);
  };

  // Inner correlations come first in `topo`, so a failure propagates outwards.
  for (size_t i : topo) {
    const ParsedCorrelation& p = parsed[i];
    if (failed[i]) continue;
    bool good = true;
    for (size_t k = 0; k < targets[i].size(); ++k) {
      const Target& t = targets[i][k];
      if (t.is_correlation && !ok[t.index]) {
        error(p, "bad-reference", p.line_rules,
              fmt::format("correlation '{}' references correlation '{}', which was rejected",
                          p.info.title, parsed[t.index].info.title));
        good = false;
      }
    }
    // Aliases may name a rule by id or name; each key must be one of `rules`.
    for (const auto& [alias, mapping] : p.aliases) {
      for (const auto& [ref, field] : mapping) {
        (void)field;
        std::optional<Target> t = resolve(ref);
        bool listed = false;
        for (const Target& x : targets[i])
          listed |= t && x.is_correlation == t->is_correlation && x.index == t->index;
        if (!listed) {
          error(p, "bad-alias", p.line_aliases,
                fmt::format("alias '{}' names rule '{}', which is not in correlation.rules", alias,
                            ref));
          good = false;
        }
      }
    }
    if (!good) continue;

    CorrelationRule r;
    r.def = p;
    // The field an input's events carry for a group-by name or condition field.
    auto field_for = [&](const std::string& name, size_t k) {
      return alias_field(p, p.rules[k], name);
    };
    for (const auto& [alias, mapping] : p.aliases) {
      for (size_t k = 0; k < p.rules.size(); ++k) {
        bool named = false;
        std::optional<Target> me = resolve(p.rules[k]);
        for (const auto& [ref, field] : mapping) {
          (void)field;
          std::optional<Target> t = resolve(ref);
          named |= t && me && t->is_correlation == me->is_correlation && t->index == me->index;
        }
        if (!named) {
          warning(p, "bad-alias", p.line_aliases,
                  fmt::format("alias '{}' does not name rule '{}'; its events are read from a "
                              "field named '{}'",
                              alias, p.rules[k], alias));
        }
      }
    }
    for (size_t k = 0; k < targets[i].size() && good; ++k) {
      const Target& t = targets[i][k];
      CorrelationInput in;
      in.is_correlation = t.is_correlation;
      in.reference = p.rules[k];
      if (!t.is_correlation) {
        in.index = static_cast<uint32_t>(base[t.index].index);
      } else {
        in.index = static_cast<uint32_t>(t.index);  // parsed index, remapped below
        const std::vector<std::string>& inner = parsed[t.index].group_by;
        const std::vector<std::string>& extra = carried[t.index];
        auto slot = [&](const std::string& want, const char* what) -> std::optional<uint32_t> {
          const std::string field = field_for(want, k);
          auto it = std::find(inner.begin(), inner.end(), field);
          if (it != inner.end()) return static_cast<uint32_t>(it - inner.begin());
          auto ex = std::find(extra.begin(), extra.end(), field);
          if (ex != extra.end()) return static_cast<uint32_t>(inner.size() + (ex - extra.begin()));
          error(p, "internal", p.line_rules,
                fmt::format("correlation '{}': field '{}' ({}) not provided by '{}'", p.info.title,
                            field, what, parsed[t.index].info.title));
          return std::nullopt;
        };
        for (const std::string& g : p.group_by) {
          auto s = slot(g, "group-by");
          if (!s) good = false;
          else in.group_slots.push_back(*s);
        }
        for (const std::string& f : p.fields) {
          auto s = slot(f, "condition.field");
          if (!s) good = false;
          else in.value_slots.push_back(*s);
        }
        for (const std::string& f : carried[i]) {
          auto s = slot(f, "carried");
          if (!s) good = false;
          else in.carried_slots.push_back(*s);
        }
      }
      r.inputs.push_back(std::move(in));
    }
    if (!good) continue;
    // Effective condition: temporal types default to "every rule".
    r.effective = p.condition;
    if (!p.condition_given) r.effective.gte = static_cast<double>(p.rules.size());
    r.closed_windows = r.effective.HasUpperBound();
    r.carried = carried[i];
    built[i] = std::move(r);
    ok[i] = true;
  }

  // Final indices in document order; base slots assigned only for survivors.
  for (size_t i = 0; i < n; ++i) {
    if (!ok[i]) continue;
    final_index[i] = static_cast<int64_t>(set.rules_.size());
    set.rules_.push_back(std::move(built[i]));
  }
  set.corr_consumers_.assign(set.rules_.size(), {});
  for (uint32_t c = 0; c < set.rules_.size(); ++c) {
    CorrelationRule& r = set.rules_[c];
    for (uint32_t k = 0; k < r.inputs.size(); ++k) {
      CorrelationInput& in = r.inputs[k];
      if (in.is_correlation) {
        in.index = static_cast<uint32_t>(final_index[in.index]);
        set.corr_consumers_[in.index].emplace_back(c, k);
        continue;
      }
      // Base slots: group-by fields then condition fields, aliases resolved.
      set.base_referenced_[in.index] = true;
      set.base_consumers_[in.index].emplace_back(c, k);
      auto field_for = [&](const std::string& name) {
        return alias_field(r.def, in.reference, name);
      };
      for (const std::string& g : r.def.group_by) in.group_slots.push_back(slot_of(in.index, field_for(g)));
      for (const std::string& f : r.def.fields) in.value_slots.push_back(slot_of(in.index, field_for(f)));
      for (const std::string& f : r.carried) in.carried_slots.push_back(slot_of(in.index, field_for(f)));
    }
  }

  // generate: an input's own matches are shown unless every correlation using
  // it says generate: false.
  std::vector<int> base_votes(base_rule_count, 0);  // 0 unused, 1 hidden, 2 shown
  std::vector<int> corr_votes(set.rules_.size(), 0);
  for (const CorrelationRule& r : set.rules_) {
    for (const CorrelationInput& in : r.inputs) {
      int& v = in.is_correlation ? corr_votes[in.index] : base_votes[in.index];
      v = std::max(v, r.def.generate ? 2 : 1);
    }
  }
  set.base_shown_.assign(base_rule_count, true);
  for (size_t b = 0; b < base_rule_count; ++b) set.base_shown_[b] = base_votes[b] != 1;
  for (size_t c = 0; c < set.rules_.size(); ++c) set.rules_[c].shown = corr_votes[c] != 1;
  return set;
}

const std::vector<std::string>& CorrelationSet::fields(uint32_t base) const {
  static const std::vector<std::string> kNone;
  return base < base_fields_.size() ? base_fields_[base] : kNone;
}

size_t CorrelationSet::referenced_base_rules() const {
  return static_cast<size_t>(std::count(base_referenced_.begin(), base_referenced_.end(), true));
}

const std::vector<std::pair<uint32_t, uint32_t>>& CorrelationSet::consumers_of_base(
    uint32_t base) const {
  static const std::vector<std::pair<uint32_t, uint32_t>> kNone;
  return base < base_consumers_.size() ? base_consumers_[base] : kNone;
}

const std::vector<std::pair<uint32_t, uint32_t>>& CorrelationSet::consumers_of_correlation(
    uint32_t c) const {
  static const std::vector<std::pair<uint32_t, uint32_t>> kNone;
  return c < corr_consumers_.size() ? corr_consumers_[c] : kNone;
}

}  // namespace inari::correlate
