#include "sigma/loader_collector.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <utility>

namespace inari::sigma::internal {
namespace {

// The Sigma v2.1 modifiers appendix (specification/sigma-appendix-modifiers.md).
constexpr std::string_view kModifiers[] = {
    "contains", "startswith", "endswith", "all",  "base64",  "base64offset",
    "utf16le",  "utf16be",    "utf16",    "wide", "windash", "re",
    "i",        "m",          "s",        "cidr", "exists",  "cased",
    "gt",       "gte",        "lt",       "lte",  "neq",     "fieldref",
    "expand",   "minute",     "hour",     "day",  "week",    "month",
    "year"};

constexpr std::array<std::string_view, 5> kStatuses = {"stable", "test", "experimental",
                                                       "deprecated", "unsupported"};

bool IsDigits(std::string_view s, bool hex = false, bool octal = false) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = octal ? (c >= '0' && c <= '7')
                    : (c >= '0' && c <= '9') ||
                          (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    if (!ok) return false;
  }
  return true;
}

// YAML 1.2 core schema float: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool IsCoreFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

SigmaValue ResolvePlain(const std::string& s, int line) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
    return SigmaValue::Null(line);
  if (s == "true" || s == "True" || s == "TRUE") return SigmaValue::Bool(true, line);
  if (s == "false" || s == "False" || s == "FALSE") return SigmaValue::Bool(false, line);
  std::string_view v = s;
  // Integers: decimal with optional sign, 0o octal, 0x hexadecimal.
  int base = 0;
  std::string_view digits;
  bool negative = false;
  if (v.size() > 2 && v[0] == '0' && v[1] == 'x' && IsDigits(v.substr(2), true)) {
    base = 16, digits = v.substr(2);
  } else if (v.size() > 2 && v[0] == '0' && v[1] == 'o' && IsDigits(v.substr(2), false, true)) {
    base = 8, digits = v.substr(2);
  } else {
    std::string_view d = v;
    if (!d.empty() && (d[0] == '-' || d[0] == '+')) negative = d[0] == '-', d.remove_prefix(1);
    if (IsDigits(d)) base = 10, digits = d;
  }
  if (base != 0) {
    uint64_t magnitude = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
    if (ec == std::errc() && p == digits.data() + digits.size()) {
      constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
      if (!negative && magnitude <= kMax)
        return SigmaValue::Int(static_cast<int64_t>(magnitude), s, line);
      if (negative && magnitude <= kMax + 1) {
        return SigmaValue::Int(magnitude == kMax + 1 ? std::numeric_limits<int64_t>::min()
                                                     : -static_cast<int64_t>(magnitude),
                               s, line);
      }
    }
    return SigmaValue::String(s, line);  // out of int64 range: keep the digits
  }
  if (IsCoreFloat(v)) {
    std::string_view f = v;
    if (f[0] == '+') f.remove_prefix(1);
    double d = 0;
    auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), d);
    if (p == f.data() + f.size() && (ec == std::errc() || ec == std::errc::result_out_of_range)) {
      return SigmaValue::Float(d, s, line);
    }
    return SigmaValue::String(s, line);
  }
  std::string_view special = v;
  bool neg = false;
  if (!special.empty() && (special[0] == '-' || special[0] == '+'))
    neg = special[0] == '-', special.remove_prefix(1);
  if (special == ".inf" || special == ".Inf" || special == ".INF") {
    return SigmaValue::Float(
        neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity(), s,
        line);
  }
  if (v == ".nan" || v == ".NaN" || v == ".NAN")
    return SigmaValue::Float(std::numeric_limits<double>::quiet_NaN(), s, line);
  return SigmaValue::String(s, line);
}

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

// Collects one document's issues and the facts they need.
class DocumentCollector {
 public:
  DocumentCollector(const RawDocument& doc, const std::string& file, const LoadOptions& options,
                    CollectedDocument* out)
      : doc_(doc), file_(file), options_(options), out_(out) {}

  void Run() {
    const YAML::Node& n = doc_.node;
    top_.reserve(n.size());
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (it->first.IsScalar()) top_.emplace_back(it->first.Scalar(), it->second);
    }
    CheckDuplicateKeys(n, "document");
    std::optional<YAML::Node> detection = Find(n, "detection");
    std::optional<YAML::Node> filter = Find(n, "filter");
    std::optional<YAML::Node> correlation = Find(n, "correlation");

    RuleInfo info;
    info.file = file_;
    info.line = doc_.line;
    ReadId(&info);
    int kinds = int(detection.has_value()) + int(filter.has_value()) + int(correlation.has_value());
    if (kinds > 1) {
      Error("bad-document", doc_.line,
            "a document is a detection rule (detection), a meta-filter (filter) or a correlation "
            "rule "
            "(correlation), not several");
      return;
    }
    if (kinds == 0) {
      Error("missing-field", doc_.line,
            "missing 'detection' (a rule), 'filter' (a meta-filter) or 'correlation' (a "
            "correlation rule)");
      ReadInfo(&info, /*need_logsource=*/false);
      return;
    }
    if (detection) {
      LoadedRule rule;
      rule.info = std::move(info);
      ReadInfo(&rule.info, /*need_logsource=*/true);
      ReadDetection(*detection, &rule);
      if (errors_ == 0) out_->loaded = std::move(rule);
    } else if (filter) {
      LoadedFilter f;
      f.info = std::move(info);
      ReadInfo(&f.info, /*need_logsource=*/true);
      ReadFilter(*filter, &f);
      if (errors_ == 0) out_->loaded = std::move(f);
    } else {
      LoadedCorrelation c;
      c.info = std::move(info);
      ReadInfo(&c.info, /*need_logsource=*/false);
      if (!correlation->IsMap()) {
        Error("bad-field", LineOr(*correlation),
              "'correlation' must be a map (type, rules, timespan, ...)");
      }
      c.yaml = doc_.text;
      if (errors_ == 0) out_->loaded = std::move(c);
    }
  }

 private:
  // Looks `key` up in a map. The document's own keys are looked up many
  // times, so they are indexed once (iterating yaml-cpp maps copies nodes and
  // their reference counts).
  std::optional<YAML::Node> Find(const YAML::Node& map, std::string_view key) {
    if (&map == &doc_.node) {
      for (const auto& [name, value] : top_) {
        if (name == key) return value;
      }
      return std::nullopt;
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
    }
    return std::nullopt;
  }

  int LineOr(const YAML::Node& n, int fallback = 0) const {
    int l = LineOf(n);
    return l ? l : (fallback ? fallback : doc_.line);
  }

  void Add(LoadIssue::Severity severity, std::string code, int line, std::string message) {
    LoadIssue i;
    i.severity = severity;
    i.code = std::move(code);
    i.file = file_;
    i.line = line ? line : doc_.line;
    i.rule_id = rule_id_;
    i.message = std::move(message);
    out_->issues.push_back(std::move(i));
  }
  void Error(std::string code, int line, std::string message) {
    ++errors_;
    Add(LoadIssue::Severity::kError, std::move(code), line, std::move(message));
  }
  void Warning(std::string code, int line, std::string message) {
    Add(LoadIssue::Severity::kWarning, std::move(code), line, std::move(message));
  }

  // YAML 1.2 requires unique keys; yaml-cpp keeps both and a lookup would see
  // only the first, so a duplicate would silently change the rule.
  void CheckDuplicateKeys(const YAML::Node& map, std::string_view where) {
    if (!map.IsMap() || map.size() < 2) return;
    std::set<std::string_view> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      if (!seen.insert(it->first.Scalar()).second) {
        Error("duplicate-key", LineOr(it->first),
              fmt::format("key '{}' appears twice in the {} (YAML keys must be unique)",
                          it->first.Scalar(), where));
      }
    }
  }

  // A scalar metadata field as text; wrong types are reported.
  bool ReadText(const YAML::Node& n, std::string_view key, std::string* out, bool error_if_wrong) {
    std::optional<YAML::Node> v = Find(n, key);
    if (!v || v->IsNull()) return false;
    if (v->IsScalar()) {
      *out = v->Scalar();
      return true;
    }
    std::string msg = fmt::format("'{}' must be a string", key);
    if (error_if_wrong) {
      Error("bad-field", LineOr(*v), msg);
    } else {
      Warning("bad-field", LineOr(*v), msg + "; ignored");
    }
    return false;
  }

  void ReadList(const YAML::Node& n, std::string_view key, std::vector<std::string>* out) {
    std::optional<YAML::Node> v = Find(n, key);
    if (!v || v->IsNull()) return;
    if (v->IsScalar()) {
      out->push_back(v->Scalar());
      return;
    }
    if (v->IsSequence()) {
      for (const YAML::Node& item : *v) {
        if (item.IsScalar()) {
          out->push_back(item.Scalar());
        } else if (!item.IsNull()) {
          Warning("bad-field", LineOr(item, LineOr(*v)),
                  fmt::format("an item of '{}' is not a string; ignored", key));
        }
      }
      return;
    }
    Warning("bad-field", LineOr(*v), fmt::format("'{}' must be a list of strings; ignored", key));
  }

  void ReadId(RuleInfo* info) {
    if (ReadText(doc_.node, "id", &info->id, true)) rule_id_ = info->id;
  }

  void ReadInfo(RuleInfo* info, bool need_logsource) {
    const YAML::Node& n = doc_.node;
    std::optional<YAML::Node> title = Find(n, "title");
    if (!title) {
      Error("missing-field", doc_.line, "missing 'title'");
    } else if (title->IsNull() ||
               (ReadText(n, "title", &info->title, true) && info->title.empty())) {
      Error("missing-field", LineOr(*title), "'title' is empty");
    }
    if (info->id.empty() && !Find(n, "id")) {
      Warning("missing-id", doc_.line,
              "no 'id': the rule cannot be referenced by id and alerts name it by title");
    }
    ReadText(n, "name", &info->name, true);
    if (ReadText(n, "status", &info->status, true) &&
        std::find(kStatuses.begin(), kStatuses.end(), info->status) == kStatuses.end()) {
      Warning("unknown-status", LineOr(*Find(n, "status")),
              fmt::format("unknown status '{}' (expected stable, test, experimental, deprecated or "
                          "unsupported)",
                          info->status));
    }
    std::string level;
    if (ReadText(n, "level", &level, true)) {
      std::string lower = level;
      for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      static constexpr std::array<std::pair<std::string_view, Level>, 5> kLevels = {{
          {"informational", Level::kInformational},
          {"low", Level::kLow},
          {"medium", Level::kMedium},
          {"high", Level::kHigh},
          {"critical", Level::kCritical},
      }};
      bool found = false;
      for (const auto& [name, value] : kLevels) {
        if (name == lower) info->level = value, found = true;
      }
      if (!found) {
        Error("unknown-level", LineOr(*Find(n, "level")),
              fmt::format(
                  "unknown level '{}' (expected informational, low, medium, high or critical)",
                  level));
      }
    }
    ReadText(n, "description", &info->description, false);
    ReadText(n, "date", &info->date, false);
    ReadText(n, "modified", &info->modified, false);
    // `author` is a string by the spec; a list of authors is common enough to accept.
    if (std::optional<YAML::Node> a = Find(n, "author"); a && a->IsSequence()) {
      std::vector<std::string> authors;
      ReadList(n, "author", &authors);
      for (size_t i = 0; i < authors.size(); ++i) info->author += (i ? ", " : "") + authors[i];
    } else {
      ReadText(n, "author", &info->author, false);
    }
    ReadList(n, "tags", &info->tags);
    ReadList(n, "references", &info->references);
    ReadList(n, "falsepositives", &info->falsepositives);
    ReadList(n, "fields", &info->fields);
    if (std::optional<YAML::Node> related = Find(n, "related"); related && !related->IsNull()) {
      if (!related->IsSequence()) {
        Warning("bad-field", LineOr(*related),
                "'related' must be a list of {id, type} maps; ignored");
      } else {
        for (const YAML::Node& r : *related) {
          std::optional<YAML::Node> id = r.IsMap() ? Find(r, "id") : std::nullopt;
          if (id && id->IsScalar()) {
            info->related_ids.push_back(id->Scalar());
          } else {
            Warning("bad-field", LineOr(r, LineOr(*related)),
                    "an item of 'related' has no 'id'; ignored");
          }
        }
      }
    }
    std::optional<YAML::Node> ls = Find(n, "logsource");
    if (!ls || ls->IsNull()) {
      if (need_logsource)
        Error("missing-field", ls ? LineOr(*ls) : doc_.line, "missing 'logsource'");
      return;
    }
    if (!ls->IsMap()) {
      Error("bad-field", LineOr(*ls), "'logsource' must be a map (category, product, service)");
      return;
    }
    CheckDuplicateKeys(*ls, "logsource");
    bool ok = true;
    for (auto [key, member] :
         {std::pair<std::string_view, std::string*>{"category", &info->logsource.category},
          {"product", &info->logsource.product},
          {"service", &info->logsource.service}}) {
      std::string value;
      if (std::optional<YAML::Node> v = Find(*ls, key); v && !v->IsNull() && !v->IsScalar()) {
        Error("bad-field", LineOr(*v), fmt::format("'logsource.{}' must be a string", key));
        ok = false;
      } else if (v && v->IsScalar()) {
        *member = v->Scalar();
      }
    }
    if (ok && need_logsource && info->logsource.category.empty() &&
        info->logsource.product.empty() && info->logsource.service.empty()) {
      Error("bad-field", LineOr(*ls), "'logsource' names no category, product or service");
    }
  }

  // ---- detection ----

  void ReadDetection(const YAML::Node& det, LoadedRule* rule) {
    if (!det.IsMap()) {
      Error(det.IsNull() ? "missing-field" : "bad-detection", LineOr(det),
            "'detection' must be a map of search identifiers and a 'condition'");
      return;
    }
    std::vector<std::string> order;
    ReadIdentifiers(det, {"condition"}, &rule->detection, &order);
    std::optional<YAML::Node> cond = Find(det, "condition");
    if (!cond || cond->IsNull()) {
      Error("missing-field", cond ? LineOr(*cond) : LineOr(det), "missing 'detection.condition'");
      return;
    }
    if (order.empty()) {
      Error("missing-field", LineOr(det), "'detection' defines no search identifier");
      return;
    }
    rule->condition = ReadCondition(*cond, order, /*allow_list=*/true);
    if (rule->condition) WarnUnused(*rule->condition, order, rule->detection);
  }

  void ReadFilter(const YAML::Node& f, LoadedFilter* filter) {
    if (!f.IsMap()) {
      Error("bad-field", LineOr(f),
            "'filter' must be a map with 'rules', search identifiers and a 'condition'");
      return;
    }
    std::optional<YAML::Node> rules = Find(f, "rules");
    if (!rules || rules->IsNull()) {
      Error("missing-field", rules ? LineOr(*rules) : LineOr(f),
            "missing 'filter.rules' (the rule ids or names it applies to)");
    } else if (rules->IsScalar()) {
      filter->rules.push_back(rules->Scalar());
    } else if (rules->IsSequence()) {
      for (const YAML::Node& r : *rules) {
        if (r.IsScalar()) {
          filter->rules.push_back(r.Scalar());
        } else {
          Error("bad-field", LineOr(r, LineOr(*rules)),
                "an item of 'filter.rules' is not a rule id or name");
        }
      }
      if (rules->size() == 0) Error("missing-field", LineOr(*rules), "'filter.rules' is empty");
    } else {
      Error("bad-field", LineOr(*rules), "'filter.rules' must be a list of rule ids or names");
    }
    std::vector<std::string> order;
    ReadIdentifiers(f, {"condition", "rules"}, &filter->detection, &order);
    std::optional<YAML::Node> cond = Find(f, "condition");
    if (!cond || cond->IsNull()) {
      Error("missing-field", cond ? LineOr(*cond) : LineOr(f), "missing 'filter.condition'");
      return;
    }
    if (order.empty()) {
      Error("missing-field", LineOr(f), "'filter' defines no search identifier (e.g. 'selection')");
      return;
    }
    filter->condition = ReadCondition(*cond, order, /*allow_list=*/true);
  }

  void ReadIdentifiers(const YAML::Node& det, std::initializer_list<std::string_view> reserved,
                       std::map<std::string, SearchIdentifier>* out,
                       std::vector<std::string>* order) {
    for (auto it = det.begin(); it != det.end(); ++it) {
      YAML::Node key = it->first;
      if (!key.IsScalar() || key.Scalar().empty()) {
        Error("bad-detection", LineOr(key), "a search identifier must be a non-empty name");
        continue;
      }
      const std::string& name = key.Scalar();
      if (std::find(reserved.begin(), reserved.end(), name) != reserved.end()) continue;
      if (name == "timeframe") {
        Warning("ignored-field", LineOr(key),
                "'timeframe' belongs to the deprecated aggregation syntax and is ignored; use a "
                "correlation rule");
        continue;
      }
      if (out->count(name)) {
        Error("duplicate-key", LineOr(key),
              fmt::format("search identifier '{}' is defined twice (YAML keys must be unique)",
                          name));
        continue;
      }
      SearchIdentifier si;
      si.line = LineOr(key);
      ReadSearchIdentifier(name, it->second, &si);
      order->push_back(name);
      out->emplace(name, std::move(si));
    }
  }

  void ReadSearchIdentifier(const std::string& name, const YAML::Node& v, SearchIdentifier* si) {
    if (v.IsMap()) {
      std::vector<FieldTestSpec> group;
      ReadGroup(name, v, &group);
      si->groups.push_back(std::move(group));
    } else if (v.IsSequence()) {
      if (v.size() == 0) {
        Error("bad-detection", LineOr(v, si->line),
              fmt::format("search identifier '{}' is an empty list", name));
        return;
      }
      // Plain values are keywords (OR); maps are AND-groups, OR-ed with the rest.
      std::optional<FieldTestSpec> keywords;
      auto flush = [&] {
        if (keywords) si->groups.push_back({std::move(*keywords)});
        keywords.reset();
      };
      for (const YAML::Node& item : v) {
        if (item.IsMap()) {
          flush();
          std::vector<FieldTestSpec> group;
          ReadGroup(name, item, &group);
          si->groups.push_back(std::move(group));
        } else if (item.IsScalar()) {
          if (!keywords) keywords.emplace(), keywords->line = LineOr(item, si->line);
          keywords->values.push_back(TypedScalar(item));
        } else if (item.IsNull()) {
          Error("bad-detection", LineOr(item, si->line),
                fmt::format("search identifier '{}' lists an empty (null) keyword", name));
        } else {
          Error("bad-detection", LineOr(item, si->line),
                fmt::format(
                    "search identifier '{}' holds a list inside a list; use maps or plain values",
                    name));
        }
      }
      flush();
    } else if (v.IsScalar()) {
      FieldTestSpec spec;
      spec.line = LineOr(v, si->line);
      spec.values.push_back(TypedScalar(v));
      si->groups.push_back({std::move(spec)});
    } else {
      Error("bad-detection", LineOr(v, si->line),
            fmt::format("search identifier '{}' is empty", name));
    }
  }

  void ReadGroup(const std::string& name, const YAML::Node& map,
                 std::vector<FieldTestSpec>* group) {
    if (map.size() == 0) {
      Error("bad-detection", LineOr(map),
            fmt::format("search identifier '{}' holds an empty map", name));
      return;
    }
    CheckDuplicateKeys(map, fmt::format("search identifier '{}'", name));
    for (auto it = map.begin(); it != map.end(); ++it) {
      YAML::Node key = it->first;
      YAML::Node value = it->second;
      if (!key.IsScalar()) {
        Error("bad-detection", LineOr(key),
              fmt::format("a field name in '{}' is not a string", name));
        continue;
      }
      FieldTestSpec spec;
      spec.line = LineOr(key);
      const std::string& k = key.Scalar();
      size_t bar = k.find('|');
      spec.field = k.substr(0, bar);
      bool mods_ok = true;
      while (bar != std::string::npos) {
        size_t next = k.find('|', bar + 1);
        std::string mod =
            k.substr(bar + 1, next == std::string::npos ? std::string::npos : next - bar - 1);
        if (!IsKnownModifier(mod)) {
          Error("unknown-modifier", spec.line,
                mod.empty()
                    ? fmt::format("empty modifier in '{}' ('||' or a trailing '|')", k)
                    : fmt::format("unknown modifier '{}' in '{}' (Sigma v2.1 modifiers appendix)",
                                  mod, k));
          mods_ok = false;
        }
        spec.modifiers.push_back(std::move(mod));
        bar = next;
      }
      if (spec.field.empty() && spec.modifiers.empty()) {
        Error("bad-detection", spec.line, fmt::format("empty field name in '{}'", name));
        continue;
      }
      if (value.IsMap()) {
        Error("bad-detection", LineOr(value, spec.line),
              fmt::format("the value of '{}' is a map; a field takes a value or a list of values",
                          k));
        continue;
      }
      if (value.IsSequence()) {
        if (value.size() == 0) {
          Error("bad-detection", LineOr(value, spec.line),
                fmt::format("'{}' has an empty list of values", k));
          continue;
        }
        bool has_null = false;
        for (const YAML::Node& item : value) {
          if (item.IsScalar() || item.IsNull()) {
            spec.values.push_back(TypedScalar(item));
            if (spec.values.back().line == 0) spec.values.back().line = spec.line;
            has_null |= spec.values.back().kind == SigmaValue::Kind::kNull;
          } else {
            Error("bad-detection", LineOr(item, spec.line),
                  fmt::format("a value of '{}' is a {}; values are plain scalars", k,
                              item.IsMap() ? "map" : "list"));
          }
        }
        if (has_null && spec.values.size() > 1) {
          Error("bad-detection", spec.line,
                fmt::format("'{}' lists null among other values; the spec forbids it (put `{}: "
                            "null` in its own "
                            "search identifier)",
                            k, spec.field));
        }
      } else {
        spec.values.push_back(TypedScalar(value));
        if (spec.values.back().line == 0) spec.values.back().line = spec.line;
      }
      if (mods_ok && options_.placeholders &&
          std::find(spec.modifiers.begin(), spec.modifiers.end(), "expand") !=
              spec.modifiers.end()) {
        CheckPlaceholders(spec);
      }
      group->push_back(std::move(spec));
    }
  }

  // Placeholders as pySigma finds them (`(?<!\\)%(\w+)%`): a name of word
  // characters between two '%', the first not preceded by a backslash.
  void CheckPlaceholders(const FieldTestSpec& spec) {
    auto is_word = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || static_cast<unsigned char>(c) >= 0x80;
    };
    for (const SigmaValue& v : spec.values) {
      if (v.kind != SigmaValue::Kind::kString) continue;
      const std::string& s = v.text;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%' || (i > 0 && s[i - 1] == '\\')) continue;
        size_t j = i + 1;
        while (j < s.size() && is_word(s[j])) ++j;
        if (j == i + 1 || j == s.size() || s[j] != '%') continue;
        std::string name = s.substr(i + 1, j - i - 1);
        if (!options_.placeholders->count(name)) {
          Error("unresolved-placeholder", v.line ? v.line : spec.line,
                fmt::format("placeholder '%{}%' has no value in the placeholder table", name));
        }
        i = j;
      }
    }
  }

  std::unique_ptr<CondNode> ReadCondition(const YAML::Node& cond,
                                          const std::vector<std::string>& order, bool allow_list) {
    std::vector<std::pair<std::string, int>> texts;
    if (cond.IsScalar()) {
      texts.emplace_back(cond.Scalar(), LineOr(cond));
    } else if (cond.IsSequence() && allow_list) {
      for (const YAML::Node& c : cond) {
        if (!c.IsScalar()) {
          Error("bad-condition", LineOr(c, LineOr(cond)),
                "an item of the condition list is not a string");
          continue;
        }
        texts.emplace_back(c.Scalar(), LineOr(c, LineOr(cond)));
      }
      if (texts.empty() && cond.size() == 0)
        Error("bad-condition", LineOr(cond), "the condition list is empty");
    } else {
      Error("bad-condition", LineOr(cond), "'condition' must be a string or a list of strings");
    }
    std::vector<std::unique_ptr<CondNode>> parsed;
    for (size_t i = 0; i < texts.size(); ++i) {
      Result<std::unique_ptr<CondNode>> r = ParseCondition(texts[i].first, order);
      if (!r.has_value()) {
        std::string where = texts.size() > 1 || cond.IsSequence()
                                ? fmt::format("condition[{}]", i + 1)
                                : "condition";
        Error(std::string(ConditionErrorCode(r.error())), texts[i].second,
              fmt::format("{} '{}': {}", where, texts[i].first, r.error().message()));
        continue;
      }
      parsed.push_back(std::move(r).value());
    }
    if (parsed.size() != texts.size() || parsed.empty()) return nullptr;
    if (parsed.size() == 1) return std::move(parsed[0]);
    auto any = std::make_unique<CondNode>();
    any->kind = CondNode::Kind::kOr;
    any->children = std::move(parsed);
    return any;
  }

  static void CollectUsed(const CondNode& n, std::set<std::string_view>* used) {
    if (n.kind == CondNode::Kind::kIdentifier) used->insert(n.identifier);
    for (const auto& c : n.children) CollectUsed(*c, used);
  }

  void WarnUnused(const CondNode& cond, const std::vector<std::string>& order,
                  const std::map<std::string, SearchIdentifier>& detection) {
    std::set<std::string_view> used;
    CollectUsed(cond, &used);
    for (const std::string& name : order) {
      if (used.count(name)) continue;
      auto it = detection.find(name);
      Warning("unused-identifier", it != detection.end() ? it->second.line : 0,
              fmt::format("search identifier '{}' is not used by the condition", name));
    }
  }

  const RawDocument& doc_;
  const std::string& file_;
  const LoadOptions& options_;
  CollectedDocument* out_;
  std::string rule_id_;
  int errors_ = 0;
  std::vector<std::pair<std::string_view, YAML::Node>>
      top_;  // the document's keys (views into its nodes)
};

}  // namespace

bool IsKnownModifier(std::string_view name) {
  return std::find(std::begin(kModifiers), std::end(kModifiers), name) != std::end(kModifiers);
}

SigmaValue TypedScalar(const YAML::Node& node) {
  int line = LineOf(node);
  if (!node.IsDefined() || node.IsNull()) return SigmaValue::Null(line);
  const std::string& tag = node.Tag();
  const std::string& s = node.Scalar();
  if (tag == "?") return ResolvePlain(s, line);
  if (tag.starts_with(kTagPrefix)) {
    std::string_view t = std::string_view(tag).substr(kTagPrefix.size());
    if (t == "int" || t == "float" || t == "bool" || t == "null") {
      SigmaValue v = ResolvePlain(s, line);
      bool matches = (t == "int" && v.kind == SigmaValue::Kind::kInt) ||
                     (t == "float" &&
                      (v.kind == SigmaValue::Kind::kFloat || v.kind == SigmaValue::Kind::kInt)) ||
                     (t == "bool" && v.kind == SigmaValue::Kind::kBool) ||
                     (t == "null" && v.kind == SigmaValue::Kind::kNull);
      if (matches) {
        if (t == "float" && v.kind == SigmaValue::Kind::kInt)
          return SigmaValue::Float(static_cast<double>(v.i), s, line);
        return v;
      }
    }
  }
  return SigmaValue::String(s, line);  // quoted ("!"), block, !!str and other tags
}

CollectedDocument RuleCollector::Collect(const RawDocument& doc, const std::string& file) const {
  CollectedDocument out;
  out.id_inherited = doc.id_inherited;
  DocumentCollector(doc, file, options_, &out).Run();
  return out;
}

}  // namespace inari::sigma::internal
