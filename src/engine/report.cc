#include "engine/report.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <unordered_map>

#include "base/time.h"
#include "base/utf.h"

namespace inari {

namespace {

constexpr std::string_view kSeparator = " \xC2\xA6 ";  // " ¦ ", Hayabusa's field separator
constexpr std::string_view kReset = "\033[0m";

std::string_view LevelColor(sigma::Level level) {
  switch (level) {
    case sigma::Level::kCritical:
      return "\033[1;31m";
    case sigma::Level::kHigh:
      return "\033[31m";
    case sigma::Level::kMedium:
      return "\033[33m";
    case sigma::Level::kLow:
      return "\033[32m";
    case sigma::Level::kInformational:
      return "";
  }
  return "";
}

// Flushes `buf` to `out` once it is large.
void MaybeFlush(std::string* buf, FILE* out, bool force = false) {
  if (buf->size() >= (1u << 16) || (force && !buf->empty())) {
    std::fwrite(buf->data(), 1, buf->size(), out);
    buf->clear();
  }
}

std::string JoinDetails(const std::vector<std::pair<std::string, std::string>>& details) {
  std::string s;
  for (const auto& [key, value] : details) {
    if (!s.empty()) s += kSeparator;
    s += key;
    s += ": ";
    s += value;
  }
  return s;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// ---- Table ------------------------------------------------------------------

enum Column { kTime, kComputer, kChannel, kEventId, kLevel, kTitle, kDetails, kNumColumns };
constexpr std::array<std::string_view, kNumColumns> kHeaders = {
    "Timestamp", "Computer", "Channel", "EventID", "Level", "Rule", "Details"};
constexpr std::array<size_t, kNumColumns> kCaps = {23, 32, 12, 8, 5, 60, 0};

void AppendPadded(std::string_view cell, size_t width, bool right, std::string* out) {
  size_t len = Utf8Length(cell);
  size_t pad = len < width ? width - len : 0;
  if (right) out->append(pad, ' ');
  out->append(cell);
  if (!right) out->append(pad, ' ');
}

struct TableRow {
  std::array<std::string, kNumColumns> cells;
  sigma::Level level;
};

TableRow MakeTableRow(const Detection& d, const sigma::RuleInfo& r, const ReportOptions& o) {
  TableRow row;
  row.level = r.level;
  row.cells[kTime] = d.time == kNoTime ? "-" : FormatTimestampMillis(d.time);
  row.cells[kComputer] = d.computer.empty() ? "-" : DisplayText(d.computer);
  row.cells[kChannel] = d.channel.empty() ? "-" : DisplayText(ChannelShortName(d.channel));
  row.cells[kEventId] = d.event_id >= 0 ? std::to_string(d.event_id) : "-";
  row.cells[kLevel] = std::string(LevelAbbrev(r.level));
  row.cells[kTitle] = DisplayText(r.title);
  row.cells[kDetails] = DisplayText(JoinDetails(d.details));
  if (row.cells[kDetails].empty()) row.cells[kDetails] = "-";
  for (size_t c = 0; c + 1 < kNumColumns; ++c) TruncateUtf8(&row.cells[c], kCaps[c]);
  TruncateUtf8(&row.cells[kDetails], o.max_detail_width);
  return row;
}

using Widths = std::array<size_t, kNumColumns>;

void AppendTableLine(const std::array<std::string_view, kNumColumns>& cells, const Widths& width,
                     std::string* buf) {
  for (size_t c = 0; c < kNumColumns; ++c) {
    if (c + 1 == kNumColumns)
      buf->append(cells[c]);
    else
      AppendPadded(cells[c], width[c], c == kEventId, buf);
    if (c + 1 < kNumColumns) buf->append("  ");
  }
}

void AppendTableHeader(const Widths& width, bool color, std::string* buf) {
  if (color) buf->append("\033[1m");
  AppendTableLine(kHeaders, width, buf);
  if (color) buf->append(kReset);
  buf->push_back('\n');
}

void AppendTableRow(const TableRow& row, const Widths& width, bool color, std::string* buf) {
  std::array<std::string_view, kNumColumns> cells;
  for (size_t c = 0; c < kNumColumns; ++c) cells[c] = row.cells[c];
  std::string_view paint = color ? LevelColor(row.level) : std::string_view();
  buf->append(paint);
  AppendTableLine(cells, width, buf);
  if (!paint.empty()) buf->append(kReset);
  buf->push_back('\n');
}

// Rows held to size the columns; a longer timeline is written with the
// columns at their caps, as it comes (docs/cli.md).
constexpr size_t kTableWindow = 10000;

// ---- CSV --------------------------------------------------------------------

constexpr std::string_view kCsvHeader =
    "Timestamp,Computer,Channel,EventID,Level,MitreTactics,MitreTags,OtherTags,RecordID,RuleTitle,"
    "Details,"
    "ExtraFieldInfo,RuleFile,EvtxFile\n";

void AppendNumberText(simdjson::dom::element v, std::string* out) {
  char buf[64];
  std::to_chars_result r{};
  switch (v.type()) {
    case simdjson::dom::element_type::INT64:
      r = std::to_chars(buf, buf + sizeof buf, int64_t(v));
      break;
    case simdjson::dom::element_type::UINT64:
      r = std::to_chars(buf, buf + sizeof buf, uint64_t(v));
      break;
    default:
      r = std::to_chars(buf, buf + sizeof buf, double(v));
      break;
  }
  out->append(buf, r.ptr);
}

void AppendScalarText(simdjson::dom::element v, std::string* out) {
  switch (v.type()) {
    case simdjson::dom::element_type::STRING:
      out->append(std::string_view(v));
      break;
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      AppendNumberText(v, out);
      break;
    case simdjson::dom::element_type::BOOL:
      out->append(bool(v) ? "true" : "false");
      break;
    case simdjson::dom::element_type::NULL_VALUE:
      break;
    case simdjson::dom::element_type::ARRAY: {
      bool first = true;
      for (simdjson::dom::element x : simdjson::dom::array(v)) {
        if (!first) out->append(", ");
        first = false;
        AppendScalarText(x, out);
      }
      break;
    }
    case simdjson::dom::element_type::OBJECT:
      out->append(simdjson::minify(v));
      break;
  }
}

// The event's fields that are neither header fields nor in Details, as
// "Key: value ¦ Key: value" (values escaped and capped like Details).
std::string ExtraFieldInfo(const Detection& d, simdjson::dom::parser* parser) {
  std::string s;
  if (d.event_json.empty()) return s;
  simdjson::dom::element doc;
  if (parser->parse(d.event_json).get(doc) != simdjson::SUCCESS) return s;
  simdjson::dom::object obj;
  if (doc.get(obj) != simdjson::SUCCESS) return s;
  std::string raw, text;
  for (auto [key, value] : obj) {
    FieldId id = FindField(key);
    if (id != kNoField && IsHeaderField(id)) continue;
    bool in_details = false;
    for (const auto& kv : d.details) in_details |= kv.first == key;
    if (in_details) continue;
    raw.clear();
    AppendScalarText(value, &raw);
    if (raw.empty()) continue;
    text.clear();
    AppendDisplayText(raw, &text);
    TruncateUtf8(&text, kMaxDetailValueChars);
    if (!s.empty()) s += kSeparator;
    AppendDisplayText(key, &s);
    s += ": ";
    s += text;
  }
  return s;
}

// A correlation row's contributing events, "time computer rule ¦ …".
std::string CorrelationEvidence(const Detection& d, simdjson::dom::parser* parser) {
  std::string s;
  simdjson::dom::element doc;
  if (parser->parse(d.correlation_json).get(doc) != simdjson::SUCCESS) return s;
  simdjson::dom::array refs;
  if (doc["refs"].get(refs) != simdjson::SUCCESS) return s;
  for (simdjson::dom::element r : refs) {
    std::string_view time, computer, title;
    if (r["timestamp"].get(time) || r["computer"].get(computer) || r["rule"].get(title)) continue;
    if (!s.empty()) s += kSeparator;
    s += "Event: ";
    s += FormatTimestampMillis(ParseIso8601(time));
    s += ' ';
    AppendDisplayText(computer.empty() ? std::string_view("-") : computer, &s);
    s += ' ';
    AppendDisplayText(title, &s);
    int64_t record = 0;
    if (r["record_id"].get(record) == simdjson::SUCCESS) s += fmt::format(" #{}", record);
  }
  return s;
}

void AppendCsvRow(const Detection& d, const sigma::RuleInfo& r,
                  std::unordered_map<uint32_t, TagColumns>* tag_cache, simdjson::dom::parser* parser,
                  std::string* out) {
  std::string& buf = *out;
  std::unordered_map<uint32_t, TagColumns>& tags = *tag_cache;
  {
    auto it = tags.find(d.rule);
    if (it == tags.end()) it = tags.emplace(d.rule, SplitTags(r.tags)).first;
    const TagColumns& t = it->second;
    std::string details = JoinDetails(d.details);
    std::string extra = d.correlation_json.empty() ? ExtraFieldInfo(d, parser)
                                                   : CorrelationEvidence(d, parser);
    std::string time =
        d.time == kNoTime ? std::string() : FormatTimestampMillis(d.time) + " +00:00";
    std::string event_id = d.event_id >= 0 ? std::to_string(d.event_id) : "-";
    std::string record_id = d.record_id ? std::to_string(d.record_id) : std::string();
    const std::string_view fields[] = {
        time,
        d.computer,
        d.channel,
        event_id,
        LevelAbbrev(r.level),
        t.tactics,
        t.techniques,
        t.other,
        record_id,
        r.title,
        details.empty() ? std::string_view("-") : std::string_view(details),
        extra.empty() ? std::string_view("-") : std::string_view(extra),
        BaseName(r.file),
        d.source,
    };
    bool first = true;
    for (std::string_view f : fields) {
      if (!first) buf.push_back(',');
      first = false;
      AppendCsvField(f, &buf);
    }
    buf.push_back('\n');
  }
}

// ---- JSON Lines -------------------------------------------------------------

void AppendJsonStringArray(const std::vector<std::string>& v, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out->push_back(',');
    AppendJsonString(v[i], out);
  }
  out->push_back(']');
}

// `rule_json` caches the "rule" object, the same for every detection of a rule.
void AppendJsonlRow(const Detection& d, const sigma::RuleInfo& r,
                    std::unordered_map<uint32_t, std::string>* rule_json, std::string* out) {
  std::string& buf = *out;
  {
    std::string_view level = sigma::LevelName(r.level);
    buf += "{\"timestamp\":";
    if (d.time == kNoTime)
      buf += "null";
    else {
      buf.push_back('"');
      AppendIso8601(d.time, &buf);
      buf.push_back('"');
    }
    buf += ",\"computer\":";
    AppendJsonString(d.computer, &buf);
    buf += ",\"channel\":";
    AppendJsonString(d.channel, &buf);
    buf += ",\"event_id\":";
    buf += d.event_id >= 0 ? std::to_string(d.event_id) : "null";
    buf += ",\"record_id\":";
    buf += d.record_id ? std::to_string(d.record_id) : "null";
    buf += ",\"level\":";
    AppendJsonString(level, &buf);
    auto [cached, fresh] = rule_json->try_emplace(d.rule);
    std::string& rj = cached->second;
    if (fresh) {
      rj += ",\"rule\":{\"id\":";
      AppendJsonString(r.id, &rj);
      rj += ",\"title\":";
      AppendJsonString(r.title, &rj);
      rj += ",\"status\":";
      AppendJsonString(r.status, &rj);
      rj += ",\"level\":";
      AppendJsonString(level, &rj);
      rj += ",\"tags\":";
      AppendJsonStringArray(r.tags, &rj);
      rj += ",\"file\":";
      AppendJsonString(r.file, &rj);
      rj += ",\"author\":";
      AppendJsonString(r.author, &rj);
      rj += ",\"falsepositives\":";
      AppendJsonStringArray(r.falsepositives, &rj);
      rj += "}";
    }
    buf += rj;
    buf += ",\"details\":{";
    for (size_t i = 0; i < d.details.size(); ++i) {
      if (i) buf.push_back(',');
      AppendJsonString(d.details[i].first, &buf);
      buf.push_back(':');
      AppendJsonString(d.details[i].second, &buf);
    }
    buf += "},\"source\":";
    AppendJsonString(d.source, &buf);
    if (!d.correlation_json.empty()) {
      buf += ",\"correlation\":";
      buf += d.correlation_json;
    }
    buf += ",\"event\":";
    buf += d.event_json.empty() ? std::string_view("null") : std::string_view(d.event_json);
    buf += "}\n";
  }
}

// ---- Tags -------------------------------------------------------------------

struct TacticAbbrev {
  std::string_view tactic;  // after "attack.", with '-' for word breaks
  std::string_view abbrev;
};
constexpr TacticAbbrev kTactics[] = {
    {"reconnaissance", "Recon"},
    {"resource-development", "ResDev"},
    {"initial-access", "InitAccess"},
    {"execution", "Exec"},
    {"persistence", "Persis"},
    {"privilege-escalation", "PrivEsc"},
    {"defense-evasion", "Evas"},
    {"credential-access", "CredAccess"},
    {"discovery", "Disc"},
    {"stealth", "Stealth"},
    {"defense-impairment", "DefImpair"},  // ATT&CK v19 split of Evasion
    {"lateral-movement", "LatMov"},
    {"collection", "Collect"},
    {"command-and-control", "C2"},
    {"exfiltration", "Exfil"},
    {"impact", "Impact"},
};

void AppendJoined(std::string_view item, std::string* out) {
  if (!out->empty()) out->append(kSeparator);
  out->append(item);
}

}  // namespace

std::string_view LevelAbbrev(sigma::Level level) {
  switch (level) {
    case sigma::Level::kCritical:
      return "crit";
    case sigma::Level::kHigh:
      return "high";
    case sigma::Level::kMedium:
      return "med";
    case sigma::Level::kLow:
      return "low";
    case sigma::Level::kInformational:
      return "info";
  }
  return "?";
}

TagColumns SplitTags(const std::vector<std::string>& tags) {
  TagColumns c;
  std::vector<std::string> seen;
  for (const std::string& tag : tags) {
    std::string lower = tag;
    for (char& ch : lower) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      if (ch == '_') ch = '-';
    }
    if (std::find(seen.begin(), seen.end(), lower) != seen.end()) continue;
    seen.push_back(lower);
    constexpr std::string_view kAttack = "attack.";
    if (lower.starts_with(kAttack)) {
      std::string_view rest = std::string_view(lower).substr(kAttack.size());
      bool done = false;
      for (const TacticAbbrev& t : kTactics) {
        if (rest == t.tactic) {
          AppendJoined(t.abbrev, &c.tactics);
          done = true;
          break;
        }
      }
      if (done) continue;
      // Technique T1234(.001), group G1234, software S1234.
      if (rest.size() >= 2 && (rest[0] == 't' || rest[0] == 'g' || rest[0] == 's') &&
          rest[1] >= '0' && rest[1] <= '9') {
        std::string id(rest);
        id[0] = static_cast<char>(id[0] - 'a' + 'A');
        AppendJoined(id, &c.techniques);
        continue;
      }
    }
    AppendJoined(tag, &c.other);
  }
  return c;
}

std::string FormatTimestampMillis(int64_t unix_nanos) {
  if (unix_nanos == kNoTime) return {};
  std::string s;
  AppendIso8601(unix_nanos, &s);  // YYYY-MM-DDTHH:MM:SS.fffffffZ
  s.resize(23);
  s[10] = ' ';
  return s;
}

void AppendCsvField(std::string_view s, std::string* out) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char ch : s) {
    if (ch == '"') out->push_back('"');
    out->push_back(ch);
  }
  out->push_back('"');
}

struct TimelineWriter::Impl {
  RuleLookup rule;
  ReportOptions options;
  FILE* out;
  std::string buf;
  bool finished = false;
  // Table: rows held to size the columns, until kTableWindow.
  std::vector<TableRow> held;
  Widths width{};
  bool streaming = false;
  // CSV and JSON Lines: what is the same for every detection of a rule.
  std::unordered_map<uint32_t, TagColumns> tags;
  std::unordered_map<uint32_t, std::string> rule_json;
  simdjson::dom::parser parser;
};

TimelineWriter::TimelineWriter(RuleLookup rule, const ReportOptions& options, FILE* out)
    : impl_(std::make_unique<Impl>()) {
  impl_->rule = std::move(rule);
  impl_->options = options;
  impl_->out = out;
  for (size_t c = 0; c < kNumColumns; ++c) impl_->width[c] = kHeaders[c].size();
  if (options.format == ReportFormat::kCsv) impl_->buf = kCsvHeader;
}

TimelineWriter::~TimelineWriter() { Finish(); }

void TimelineWriter::Add(const Detection& d) {
  Impl& w = *impl_;
  const sigma::RuleInfo& r = w.rule(d.rule);
  switch (w.options.format) {
    case ReportFormat::kTable: {
      TableRow row = MakeTableRow(d, r, w.options);
      if (w.streaming) {
        AppendTableRow(row, w.width, w.options.color, &w.buf);
        break;
      }
      for (size_t c = 0; c + 1 < kNumColumns; ++c) w.width[c] = std::max(w.width[c], Utf8Length(row.cells[c]));
      w.held.push_back(std::move(row));
      if (w.held.size() > kTableWindow) {  // too long to hold: columns at their caps from here on
        w.streaming = true;
        for (size_t c = 0; c + 1 < kNumColumns; ++c) w.width[c] = std::max(kHeaders[c].size(), kCaps[c]);
        AppendTableHeader(w.width, w.options.color, &w.buf);
        for (const TableRow& h : w.held) {
          AppendTableRow(h, w.width, w.options.color, &w.buf);
          MaybeFlush(&w.buf, w.out);
        }
        std::vector<TableRow>().swap(w.held);
      }
      break;
    }
    case ReportFormat::kCsv:
      AppendCsvRow(d, r, &w.tags, &w.parser, &w.buf);
      break;
    case ReportFormat::kJsonl:
      AppendJsonlRow(d, r, &w.rule_json, &w.buf);
      break;
  }
  MaybeFlush(&w.buf, w.out);
}

void TimelineWriter::Finish() {
  Impl& w = *impl_;
  if (w.finished) return;
  w.finished = true;
  if (w.options.format == ReportFormat::kTable && !w.streaming && !w.held.empty()) {
    AppendTableHeader(w.width, w.options.color, &w.buf);
    for (const TableRow& row : w.held) {
      AppendTableRow(row, w.width, w.options.color, &w.buf);
      MaybeFlush(&w.buf, w.out);
    }
    w.held.clear();
  }
  MaybeFlush(&w.buf, w.out, true);
}

void WriteTimeline(const std::vector<Detection>& detections, const RuleLookup& rule,
                   const ReportOptions& options, FILE* out) {
  TimelineWriter w(rule, options, out);
  for (const Detection& d : detections) w.Add(d);
  w.Finish();
}

std::string CorrelationSummaryText(const CorrelationSummary& c) {
  if (c.rules == 0) return {};
  std::string s = fmt::format(
      "correlations: {} match{} shown ({} in all, chained included) from {} correlation rule{} "
      "over {} detection{} of {} rule{}\n",
      c.shown, c.shown == 1 ? "" : "es", c.matches, c.rules, c.rules == 1 ? "" : "s", c.inputs,
      c.inputs == 1 ? "" : "s", c.base_rules_used, c.base_rules_used == 1 ? "" : "s");
  if (c.hidden_detections) {
    s += fmt::format(
        "  {} detection{} of {} rule{} used only as correlation input (generate: false or below "
        "--min-level), not in the timeline\n",
        c.hidden_detections, c.hidden_detections == 1 ? "" : "s", c.hidden_rules,
        c.hidden_rules == 1 ? "" : "s");
  }
  s += fmt::format("  state: peak {} group{}, {} evicted (--correlation-max-groups), {} expired",
                   c.peak_groups, c.peak_groups == 1 ? "" : "s", c.evicted, c.expired);
  if (c.late_dropped) s += fmt::format(", {} late (dropped)", c.late_dropped);
  if (c.truncated) s += fmt::format(", {} window entries dropped", c.truncated);
  s += fmt::format("; {:.3f} s\n", c.seconds);
  if (c.missing_group_field || c.missing_value || c.non_numeric || c.no_time) {
    s += fmt::format(
        "  skipped inputs: {} without a group-by field, {} without condition.field, {} not "
        "numeric, {} without a time\n",
        c.missing_group_field, c.missing_value, c.non_numeric, c.no_time);
  }
  return s;
}

void DetectionTally::Add(const Detection& d, sigma::Level level) {
  ++total_;
  ++per_level_[static_cast<size_t>(level)];
  ++per_rule_[d.rule];
  auto it = per_computer_.find(d.computer);
  if (it == per_computer_.end()) it = per_computer_.emplace(d.computer, ComputerCount{}).first;
  ++it->second.count;
  it->second.highest = std::max(it->second.highest, level);
  if (d.time != kNoTime) {
    first_ = std::min(first_, d.time);
    last_ = std::max(last_, d.time);
  }
}

std::map<std::string, uint64_t> DetectionTally::by_level_name() const {
  std::map<std::string, uint64_t> m;
  for (size_t l = 0; l < per_level_.size(); ++l)
    if (per_level_[l]) m[std::string(sigma::LevelName(static_cast<sigma::Level>(l)))] = per_level_[l];
  return m;
}

std::string DetectionTally::Summary(const RuleLookup& rule, bool color) const {
  if (total_ == 0) return "detections: none\n";
  auto paint = [color](sigma::Level level, std::string_view text) {
    std::string_view c = color ? LevelColor(level) : std::string_view();
    return c.empty() ? std::string(text) : fmt::format("{}{}{}", c, text, kReset);
  };
  const auto& per_level = per_level_;
  const auto& per_rule = per_rule_;
  const int64_t first = first_, last = last_;
  // Rules: count descending, then title, then index (titles may repeat).
  struct RuleRow {
    uint64_t count;
    std::string_view title;
    uint32_t rule;
    sigma::Level level;
  };
  std::vector<RuleRow> rules;
  for (auto& [r, n] : per_rule) {
    const sigma::RuleInfo& info = rule(r);
    rules.push_back({n, info.title, r, info.level});
  }
  std::sort(rules.begin(), rules.end(), [](const RuleRow& a, const RuleRow& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.title != b.title) return a.title < b.title;
    return a.rule < b.rule;
  });
  // Computers: count descending, then name (the map is already in name order).
  std::vector<std::pair<std::string_view, ComputerCount>> computers(per_computer_.begin(),
                                                                    per_computer_.end());
  std::stable_sort(computers.begin(), computers.end(),
                   [](const auto& a, const auto& b) { return a.second.count > b.second.count; });

  const int count_width = static_cast<int>(std::to_string(total_).size());
  std::string s = fmt::format("detections: {} from {} rule{} on {} computer{}\n", total_,
                              rules.size(), rules.size() == 1 ? "" : "s", computers.size(),
                              computers.size() == 1 ? "" : "s");
  for (int l = 4; l >= 0; --l) {
    auto level = static_cast<sigma::Level>(l);
    std::string name(sigma::LevelName(level));
    s += fmt::format("  {}{}  {:>{}}\n", paint(level, name), std::string(13 - name.size(), ' '),
                     per_level[static_cast<size_t>(l)], count_width);
  }
  if (first <= last) {
    s += fmt::format("first:      {} UTC\n", FormatTimestampMillis(first));
    s += fmt::format("last:       {} UTC\n", FormatTimestampMillis(last));
  }
  constexpr size_t kTop = 10;
  s += "top rules:\n";
  for (size_t i = 0; i < rules.size() && i < kTop; ++i) {
    std::string abbrev(LevelAbbrev(rules[i].level));
    s += fmt::format("  {:>{}}  {}{}  {}\n", rules[i].count, count_width,
                     paint(rules[i].level, abbrev), std::string(4 - abbrev.size(), ' '),
                     DisplayText(rules[i].title));
  }
  if (rules.size() > kTop) s += fmt::format("  ({} more)\n", rules.size() - kTop);
  s += "top computers (highest level):\n";
  for (size_t i = 0; i < computers.size() && i < kTop; ++i) {
    const ComputerCount& c = computers[i].second;
    std::string abbrev(LevelAbbrev(c.highest));
    std::string_view name =
        computers[i].first.empty() ? std::string_view("(none)") : computers[i].first;
    s += fmt::format("  {:>{}}  {}{}  {}\n", c.count, count_width, paint(c.highest, abbrev),
                     std::string(4 - abbrev.size(), ' '), DisplayText(name));
  }
  if (computers.size() > kTop) s += fmt::format("  ({} more)\n", computers.size() - kTop);
  return s;
}


std::string DetectionSummary(const std::vector<Detection>& detections, const RuleLookup& rule,
                             bool color) {
  DetectionTally t;
  for (const Detection& d : detections) t.Add(d, rule(d.rule).level);
  return t.Summary(rule, color);
}

}  // namespace inari
