// FieldTest compiler and matcher. Spec references are to
// reference/sigma-specification/specification/: "R" sigma-rules-specification.md,
// "M" sigma-appendix-modifiers.md, by line. docs/sigma.md, "Field tests and
// modifiers" and "Type policy", states the behaviour in prose.
#include "sigma/field_test.h"

#include <hs/hs.h>

#include <re2/re2.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

#include "base/time.h"
#include "sigma/field_test_encode.h"
#include "sigma/field_test_ip.h"
#include "sigma/literal_scan.h"
#include "sigma/wildcard.h"

namespace inari::sigma {

namespace {

using wildcard::GlobPattern;
using wildcard::Token;
using wildcard::Tokens;

constexpr size_t kMaxVariants = 4096;        // variants of one value after expand/windash/base64offset
constexpr size_t kMaxRegexBytes = 32 * 1024;  // `re` pattern length
constexpr int64_t kRegexMaxMem = 8 << 20;     // RE2 program + DFA budget per regex

// ---- modifiers --------------------------------------------------------------

enum class Mod {
  kContains, kStartswith, kEndswith, kAll, kBase64, kBase64Offset, kUtf16le, kUtf16be, kUtf16,
  kWindash, kRe, kReI, kReM, kReS, kCidr, kExists, kCased, kGt, kGte, kLt, kLte, kNeq,
  kFieldref, kExpand, kMinute, kHour, kDay, kWeek, kMonth, kYear,
};

struct ModName {
  std::string_view name;
  Mod mod;
};
// M lines 22-122. `wide` is utf16le (M 81); ignorecase/multiline/dotall are
// pySigma's long names of i/m/s.
constexpr ModName kModNames[] = {
    {"contains", Mod::kContains}, {"startswith", Mod::kStartswith}, {"endswith", Mod::kEndswith},
    {"all", Mod::kAll}, {"base64", Mod::kBase64}, {"base64offset", Mod::kBase64Offset},
    {"utf16le", Mod::kUtf16le}, {"wide", Mod::kUtf16le}, {"utf16be", Mod::kUtf16be},
    {"utf16", Mod::kUtf16}, {"windash", Mod::kWindash}, {"re", Mod::kRe}, {"i", Mod::kReI},
    {"ignorecase", Mod::kReI}, {"m", Mod::kReM}, {"multiline", Mod::kReM}, {"s", Mod::kReS},
    {"dotall", Mod::kReS}, {"cidr", Mod::kCidr}, {"exists", Mod::kExists}, {"cased", Mod::kCased},
    {"gt", Mod::kGt}, {"gte", Mod::kGte}, {"lt", Mod::kLt}, {"lte", Mod::kLte}, {"neq", Mod::kNeq},
    {"fieldref", Mod::kFieldref}, {"expand", Mod::kExpand}, {"minute", Mod::kMinute},
    {"hour", Mod::kHour}, {"day", Mod::kDay}, {"week", Mod::kWeek}, {"month", Mod::kMonth},
    {"year", Mod::kYear},
};

bool IsTransform(Mod m) {
  return m == Mod::kBase64 || m == Mod::kBase64Offset || m == Mod::kUtf16le || m == Mod::kUtf16be ||
         m == Mod::kUtf16 || m == Mod::kWindash || m == Mod::kExpand;
}
bool IsWrap(Mod m) { return m == Mod::kContains || m == Mod::kStartswith || m == Mod::kEndswith; }
bool IsCompare(Mod m) { return m == Mod::kGt || m == Mod::kGte || m == Mod::kLt || m == Mod::kLte; }
bool IsTimePart(Mod m) {
  return m == Mod::kMinute || m == Mod::kHour || m == Mod::kDay || m == Mod::kWeek || m == Mod::kMonth ||
         m == Mod::kYear;
}
bool IsReFlag(Mod m) { return m == Mod::kReI || m == Mod::kReM || m == Mod::kReS; }
bool IsEncoding(Mod m) {
  return m == Mod::kBase64 || m == Mod::kBase64Offset || m == Mod::kUtf16le || m == Mod::kUtf16be ||
         m == Mod::kUtf16;
}

enum class Op : uint8_t { kEq, kGt, kGte, kLt, kLte };

// ---- numbers and times on the event side --------------------------------

struct Number {
  bool is_int = true;
  int64_t i = 0;
  double d = 0;
  double AsDouble() const { return is_int ? static_cast<double>(i) : d; }
};

// The event value as a number: integer types, doubles, and strings holding a
// decimal or 0x-hex integer or a decimal float. Anything else is no number.
bool EventNumber(const Value& v, Number* n) {
  switch (v.type) {
    case ValueType::kInt:
      *n = Number{true, v.i, 0};
      return true;
    case ValueType::kUInt:
    case ValueType::kHex:
      if (v.u <= static_cast<uint64_t>(INT64_MAX)) *n = Number{true, static_cast<int64_t>(v.u), 0};
      else *n = Number{false, 0, static_cast<double>(v.u)};
      return true;
    case ValueType::kDouble:
      *n = Number{false, 0, v.d};
      return true;
    case ValueType::kString: {
      int64_t i;
      if (v.AsInt64(&i)) {
        *n = Number{true, i, 0};
        return true;
      }
      std::string_view s = v.str();
      if (s.empty()) return false;
      double d;
      auto r = std::from_chars(s.data(), s.data() + s.size(), d);
      if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return false;
      *n = Number{false, 0, d};
      return true;
    }
    default:
      return false;
  }
}

bool Compare(const Number& a, Op op, const Number& b) {
  if (a.is_int && b.is_int) {
    switch (op) {
      case Op::kEq: return a.i == b.i;
      case Op::kGt: return a.i > b.i;
      case Op::kGte: return a.i >= b.i;
      case Op::kLt: return a.i < b.i;
      case Op::kLte: return a.i <= b.i;
    }
    return false;
  }
  const double x = a.AsDouble(), y = b.AsDouble();  // NaN compares false
  switch (op) {
    case Op::kEq: return x == y;
    case Op::kGt: return x > y;
    case Op::kGte: return x >= y;
    case Op::kLt: return x < y;
    case Op::kLte: return x <= y;
  }
  return false;
}

bool EventTime(const Value& v, int64_t* ns) {
  if (v.type == ValueType::kTime) {
    *ns = v.i;
    return v.i != kNoTime;
  }
  if (v.type == ValueType::kString) {
    *ns = ParseIso8601(v.str());
    return *ns != kNoTime;
  }
  return false;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// M lines 93-105, in UTC. `week` is the ISO 8601 week number (1-53).
int64_t TimePartOf(int64_t ns, Mod part) {
  const int64_t secs = FloorDiv(ns, 1000000000LL);
  const int64_t days = FloorDiv(secs, 86400);
  const int64_t rem = secs - days * 86400;
  switch (part) {
    case Mod::kMinute: return rem / 60 % 60;
    case Mod::kHour: return rem / 3600;
    default: break;
  }
  int64_t y;
  unsigned m, d;
  if (part == Mod::kWeek) {
    const int64_t wd = ((days % 7) + 7 + 3) % 7 + 1;  // 1970-01-01 was a Thursday; Monday = 1
    const int64_t thursday = days - wd + 4;
    CivilFromDays(thursday, &y, &m, &d);
    return (thursday - DaysFromCivil(y, 1, 1)) / 7 + 1;
  }
  CivilFromDays(days, &y, &m, &d);
  if (part == Mod::kDay) return d;
  if (part == Mod::kMonth) return m;
  return y;
}

// ---- compiled alternatives ----------------------------------------------

enum class RefMode : uint8_t { kEq, kPrefix, kSuffix, kContains };

// One thing a value of the field may match; a YAML value compiles to one or
// more (expand, windash, base64offset), OR-ed.
struct Alt {
  enum class Kind : uint8_t { kGlob, kInt, kFloat, kBool, kRegex, kCidr, kCompare, kFieldRef };
  Kind kind = Kind::kGlob;
  GlobPattern glob;
  int64_t i = 0;
  double d = 0;
  bool b = false;
  std::unique_ptr<RE2> re;
  CidrRange cidr;
  Op op = Op::kEq;
  Number num;
  FieldId ref = kNoField;
  RefMode ref_mode = RefMode::kEq;
  bool in_db = false;  // matched through CompiledFieldTest::multi_db_
  // `re` values of the form `.{N,}` / `.{N,M}` (unanchored): "a line of at
  // least N characters" (any text with `s`). RE2 builds N states for them and
  // falls off its DFA on long values; counting is exact and linear.
  int64_t min_run_chars = -1;
  bool run_spans_lines = false;
};

// The variants of one YAML value.
struct Group {
  std::vector<Alt> alts;
};

// A field value's text for matching, rendered (non-string values) and folded
// (caseless non-ASCII patterns) at most once for all the test's values.
struct ValueText {
  std::string_view text, folded;
  bool have_text = false, have_folded = false;
};

bool IsEmptyValue(const Value& v) { return v.type == ValueType::kNull || (v.is_string() && v.size == 0); }

// Canonical text of `v`; non-string values are rendered into `buf`.
std::string_view TextOf(const Value& v, std::string* buf) {
  if (v.type == ValueType::kString) return v.str();
  if (v.type == ValueType::kNull) return {};
  buf->clear();
  v.AppendText(buf);
  return *buf;
}

class CompiledFieldTest final : public FieldTest {
 public:
  enum class Kind : uint8_t { kValues, kExists, kNull };

  bool Match(const EventView& event, MatchScratch* scratch) const override;
  const std::vector<std::string>& required_literals() const override { return literals_; }
  std::vector<int64_t> event_ids() const override { return event_ids_; }
  FieldId field() const override { return field_; }
  int cost() const override {
    if (kind_ != Kind::kValues) return 1;
    int c = field_ == kNoField ? 8 : 1;  // keywords look at every value
    for (const Group& g : groups_)
      for (const Alt& a : g.alts) {
        if (a.in_db) continue;
        c += a.kind == Alt::Kind::kRegex ? 50 : a.kind == Alt::Kind::kFieldRef ? 4 : a.kind == Alt::Kind::kGlob ? 2 : 1;
      }
    if (multi_db_) c += 10;
    return std::min(c, 100000);
  }

  Kind kind_ = Kind::kValues;
  FieldId field_ = kNoField;  // kNoField: keyword test
  bool want_exists_ = true;
  bool all_ = false;
  bool negate_ = false;
  Mod time_part_ = Mod::kAll;  // kAll: none
  std::vector<Group> groups_;
  // `fieldref|neq`: fields that must be present for "different" to mean anything.
  std::vector<FieldId> neq_partners_;
  std::vector<std::string> literals_;
  std::vector<int64_t> event_ids_;
  // Many `contains` values: one vectorscan scan of the value instead of one
  // search per value (a rule listing 800 emoji would otherwise search 800 times).
  hs_database_t* multi_db_ = nullptr;
  uint32_t multi_serial_ = 0;  // this database's number, for MatchScratch::hs_ready
  ~CompiledFieldTest() override {
    if (multi_db_) hs_free_database(multi_db_);
  }
  void BuildMultiLiteral();
  bool MultiHit(std::string_view text, MatchScratch* s) const;

 private:
  bool MatchAlt(const Alt& a, const Value& v, ValueText* vt, const EventView& event, MatchScratch* s) const;
  bool MatchGroup(const Group& g, const Value& v, ValueText* vt, const EventView& event, MatchScratch* s) const;
  bool MatchGroup(const Group& g, const Value& v, const EventView& event, MatchScratch* s) const {
    ValueText vt;
    return MatchGroup(g, v, &vt, event, s);
  }
  bool MatchFieldRef(const Alt& a, std::string_view text, const Value& v, const EventView& event,
                     MatchScratch* s) const;
};

bool CompiledFieldTest::MatchFieldRef(const Alt& a, std::string_view text, const Value& v, const EventView& event,
                                      MatchScratch* s) const {
  for (const Field& f : event.fields()) {
    if (f.id != a.ref) continue;
    if (a.ref_mode == RefMode::kEq) {
      int64_t x, y;
      if (v.AsInt64(&x) && f.value.AsInt64(&y)) {
        if (x == y) return true;
        continue;
      }
    }
    std::string_view other = TextOf(f.value, &s->c);
    if (a.ref_mode != RefMode::kEq && other.empty()) continue;  // an empty partner proves nothing
    std::string_view x = text, y = other;
    if (!a.b) {  // caseless unless cased
      wildcard::FoldUtf8(text, &s->a);
      wildcard::FoldUtf8(other, &s->d);
      x = s->a;
      y = s->d;
    }
    bool ok = false;
    switch (a.ref_mode) {
      case RefMode::kEq: ok = x == y; break;
      case RefMode::kPrefix: ok = x.starts_with(y); break;
      case RefMode::kSuffix: ok = x.ends_with(y); break;
      case RefMode::kContains: ok = x.find(y) != std::string_view::npos; break;
    }
    if (ok) return true;
  }
  return false;
}

bool CompiledFieldTest::MatchAlt(const Alt& a, const Value& v, ValueText* vt, const EventView& event,
                                 MatchScratch* s) const {
  auto get_text = [&]() -> std::string_view {
    if (!vt->have_text) {
      vt->text = TextOf(v, &s->b);
      vt->have_text = true;
    }
    return vt->text;
  };
  switch (a.kind) {
    case Alt::Kind::kGlob:
      if (!a.glob.needs_unicode_fold()) return a.glob.MatchFolded(get_text());
      if (!vt->have_folded) {  // once per value for all caseless non-ASCII patterns
        std::string_view t = get_text();
        if (wildcard::HasNonAscii(t)) {
          wildcard::FoldUtf8(t, &s->folded);
          vt->folded = s->folded;
        } else {
          vt->folded = t;
        }
        vt->have_folded = true;
      }
      return a.glob.MatchFolded(vt->folded);
    case Alt::Kind::kInt:
      // Type policy: numeric equality with integer fields and integer text.
      switch (v.type) {
        case ValueType::kInt: return v.i == a.i;
        case ValueType::kUInt:
        case ValueType::kHex: return a.i >= 0 && v.u == static_cast<uint64_t>(a.i);
        case ValueType::kDouble: return v.d == static_cast<double>(a.i);
        case ValueType::kString: {
          int64_t x;
          return v.AsInt64(&x) && x == a.i;
        }
        default: return false;
      }
    case Alt::Kind::kFloat: {
      Number n;
      return EventNumber(v, &n) && n.AsDouble() == a.d;
    }
    case Alt::Kind::kBool:
      if (v.type == ValueType::kBool) return (v.u != 0) == a.b;
      if (v.type == ValueType::kString) {
        std::string_view want = a.b ? "true" : "false";
        return v.size == want.size() && wildcard::EqualFolded(v.s, want.data(), want.size(), wildcard::kFoldAscii);
      }
      return false;
    case Alt::Kind::kRegex:
      if (a.min_run_chars >= 0) {
        std::string_view t = get_text();
        int64_t run = 0;
        for (unsigned char ch : t) {
          if (ch == '\n' && !a.run_spans_lines) {
            run = 0;
            continue;
          }
          if ((ch & 0xC0) != 0x80 && ++run >= a.min_run_chars) return true;  // count characters, not bytes
        }
        return a.min_run_chars == 0;
      }
      return RE2::PartialMatch(get_text(), *a.re);
    case Alt::Kind::kCidr: {
      IpAddress ip;
      return ParseIpAddress(get_text(), &ip) && a.cidr.Contains(ip);
    }
    case Alt::Kind::kCompare: {
      if (time_part_ != Mod::kAll) {
        int64_t ns;
        if (!EventTime(v, &ns)) return false;
        return Compare(Number{true, TimePartOf(ns, time_part_), 0}, a.op, a.num);
      }
      Number n;
      return EventNumber(v, &n) && Compare(n, a.op, a.num);
    }
    case Alt::Kind::kFieldRef:
      return MatchFieldRef(a, get_text(), v, event, s);
  }
  return false;
}

bool CompiledFieldTest::MatchGroup(const Group& g, const Value& v, ValueText* vt, const EventView& event,
                                   MatchScratch* s) const {
  for (const Alt& a : g.alts)
    if (MatchAlt(a, v, vt, event, s)) return true;
  return false;
}

void CompiledFieldTest::BuildMultiLiteral() {
  constexpr size_t kMinAlts = 8;
  if (all_ || kind_ != Kind::kValues || time_part_ != Mod::kAll) return;
  std::vector<Alt*> plain;
  for (Group& g : groups_)
    for (Alt& a : g.alts)
      if (a.kind == Alt::Kind::kGlob && !a.glob.PlainContains().empty() &&
          a.glob.PlainContains().find('\0') == std::string_view::npos)  // the scan pads with NUL
        plain.push_back(&a);
  if (plain.size() < kMinAlts) return;
  std::vector<std::string> lits;
  std::vector<unsigned> flags, ids;
  for (Alt* a : plain) {
    lits.emplace_back(a->glob.PlainContains());
    flags.push_back(HS_FLAG_SINGLEMATCH | (a->glob.cased() ? 0u : HS_FLAG_CASELESS));
    ids.push_back(static_cast<unsigned>(ids.size()));
  }
  std::vector<const char*> exprs;
  std::vector<size_t> lens;
  for (auto& l : lits) {
    exprs.push_back(l.data());
    lens.push_back(l.size());
  }
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(), static_cast<unsigned>(lits.size()),
                           HS_MODE_BLOCK, nullptr, &multi_db_, &err) != HS_SUCCESS) {
    if (err) hs_free_compile_error(err);
    multi_db_ = nullptr;  // the values are searched one by one, as before
    return;
  }
  static std::atomic<uint32_t> next_serial{0};
  multi_serial_ = next_serial.fetch_add(1, std::memory_order_relaxed);
  for (Alt* a : plain) a->in_db = true;
  // What the database matches is not looked at again: matching walks only
  // the other alternatives (a list of 800 values would otherwise be walked
  // on every value of the field just to skip them).
  for (Group& g : groups_) std::erase_if(g.alts, [](const Alt& a) { return a.in_db; });
  std::erase_if(groups_, [](const Group& g) { return g.alts.empty(); });
}

bool CompiledFieldTest::MultiHit(std::string_view text, MatchScratch* s) const {
  auto** scratch = reinterpret_cast<hs_scratch_t**>(&s->hs);
  // The scratch is grown once per database (hs_alloc_scratch on every call
  // cost as much as the scan).
  if (multi_serial_ >= s->hs_ready.size() || !s->hs_ready[multi_serial_]) {
    if (hs_alloc_scratch(multi_db_, scratch) != HS_SUCCESS) return false;
    if (multi_serial_ >= s->hs_ready.size()) s->hs_ready.resize(multi_serial_ + 1, 0);
    s->hs_ready[multi_serial_] = 1;
  }
  bool hit = false;
  ScanPadded(multi_db_, *scratch, text, &s->padded,
             [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) -> int {
               *static_cast<bool*>(ctx) = true;
               return 1;  // stop at the first hit
             },
             &hit);
  return hit;
}

bool CompiledFieldTest::Match(const EventView& event, MatchScratch* s) const {
  const std::span<const Field> fields = event.fields();
  switch (kind_) {
    case Kind::kExists: {
      // M line 40: presence only, whatever the value (empty or null).
      FieldCursor c(fields, field_, s->index);
      return c.Next() ? want_exists_ : !want_exists_;
    }
    case Kind::kNull: {
      // R lines 494-497: a missing field, or one whose value is empty.
      bool present = false;
      FieldCursor c(fields, field_, s->index);
      while (const Field* f = c.Next()) {
        present = true;
        if (IsEmptyValue(f->value)) return true;
      }
      return !present;
    }
    case Kind::kValues:
      break;
  }
  if (field_ == kNoField) {
    // Keyword search: string values of any field.
    if (!all_) {
      for (const Field& f : fields) {
        if (!f.value.is_string()) continue;
        if (multi_db_ && MultiHit(f.value.str(), s)) return true;
        ValueText vt;
        for (const Group& g : groups_)
          if (MatchGroup(g, f.value, &vt, event, s)) return true;
      }
      return false;
    }
    for (const Group& g : groups_) {
      bool found = false;
      for (const Field& f : fields) {
        if (f.value.is_string() && MatchGroup(g, f.value, event, s)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }
  if (negate_) {
    for (FieldId p : neq_partners_) {
      FieldCursor c(fields, p, s->index);
      if (!c.Next()) return false;
    }
  }
  bool present = false;
  if (!all_) {
    // A list is OR (R lines 399-401, 429-439); a repeated field matches if any value does.
    FieldCursor c(fields, field_, s->index);
    while (const Field* f = c.Next()) {
      present = true;
      if (multi_db_ && !IsEmptyValue(f->value) && MultiHit(TextOf(f->value, &s->d), s)) return !negate_;
      ValueText vt;
      for (const Group& g : groups_)
        if (MatchGroup(g, f->value, &vt, event, s)) return !negate_;
    }
    return negate_ && present;
  }
  // `all` (M lines 26-31): every value must be matched, each by any value of the field.
  bool ok = true;
  for (const Group& g : groups_) {
    bool found = false;
    FieldCursor c(fields, field_, s->index);
    while (const Field* f = c.Next()) {
      present = true;
      if (MatchGroup(g, f->value, event, s)) {
        found = true;
        break;
      }
    }
    if (!found) {
      ok = false;
      break;
    }
  }
  return negate_ ? present && !ok : ok;
}

// ---- compilation ----------------------------------------------------------

std::string KindName(SigmaValue::Kind k) {
  switch (k) {
    case SigmaValue::Kind::kString: return "string";
    case SigmaValue::Kind::kInt: return "integer";
    case SigmaValue::Kind::kFloat: return "float";
    case SigmaValue::Kind::kBool: return "boolean";
    case SigmaValue::Kind::kNull: return "null";
  }
  return "?";
}

std::string_view ModText(Mod m) {
  for (const ModName& n : kModNames)
    if (n.mod == m) return n.name;
  return "?";
}

class Compiler {
 public:
  Compiler(const FieldTestSpec& spec, const CompileContext& ctx, CompiledFieldTest* out)
      : spec_(spec), ctx_(ctx), t_(out) {
    where_ = spec.field.empty() ? std::string("keywords") : spec.field;
    for (const std::string& m : spec.modifiers) where_ += "|" + m;
    if (spec.line > 0) where_ += " (line " + std::to_string(spec.line) + ")";
  }

  Status Run();

 private:
  Status Error(std::string why) const { return Status::InvalidArgument(where_, why); }
  Status ValueError(const SigmaValue& v, std::string why) const {
    if (v.line > 0 && v.line != spec_.line) why += " (value at line " + std::to_string(v.line) + ")";
    return Status::InvalidArgument(where_, why);
  }
  bool Has(Mod m) const { return std::find(mods_.begin(), mods_.end(), m) != mods_.end(); }
  int Index(Mod m) const {
    auto it = std::find(mods_.begin(), mods_.end(), m);
    return it == mods_.end() ? -1 : static_cast<int>(it - mods_.begin());
  }
  std::string MapField(std::string_view name) const {
    return ctx_.map_field ? ctx_.map_field(name) : std::string(name);
  }

  Status CheckCombination();
  Status CompileStringValue(const SigmaValue& v, Group* g);
  Status Expand(const Tokens& in, std::vector<Tokens>* out, const SigmaValue& v) const;
  Status CompileRegex(const SigmaValue& v, Group* g) const;
  void ComputeLiterals();
  void ComputeEventIds();

  const FieldTestSpec& spec_;
  const CompileContext& ctx_;
  CompiledFieldTest* t_;
  std::string where_;
  std::vector<Mod> mods_;
  bool keyword_ = false;
  // Match family: at most one of these.
  bool re_ = false, cidr_ = false, fieldref_ = false, numeric_ = false;
  Op op_ = Op::kEq;
};

Status Compiler::CheckCombination() {
  auto count = [&](auto pred) { return std::count_if(mods_.begin(), mods_.end(), pred); };
  re_ = Has(Mod::kRe);
  cidr_ = Has(Mod::kCidr);
  fieldref_ = Has(Mod::kFieldref);
  const auto compares = count(IsCompare);
  const auto time_parts = count(IsTimePart);
  numeric_ = compares > 0 || time_parts > 0;
  if (Has(Mod::kExists)) {
    if (mods_.size() > 1) return Error("'exists' cannot be combined with other modifiers (M line 40)");
    return Status::OK();
  }
  std::vector<std::string_view> families;
  if (re_) families.push_back("re");
  if (cidr_) families.push_back("cidr");
  if (fieldref_) families.push_back("fieldref");
  if (numeric_) families.push_back(compares > 0 ? "gt/gte/lt/lte" : "minute/hour/day/week/month/year");
  if (families.size() > 1)
    return Error("'" + std::string(families[0]) + "' cannot be combined with '" + std::string(families[1]) + "'");
  if (compares > 1) return Error("only one of gt/gte/lt/lte may be given");
  if (time_parts > 1) return Error("only one of minute/hour/day/week/month/year may be given");
  for (size_t k = 0; k < mods_.size(); ++k) {
    const Mod m = mods_[k];
    if (std::count(mods_.begin(), mods_.end(), m) > 1 && !IsTransform(m) && !IsWrap(m))
      return Error("modifier '" + std::string(ModText(m)) + "' given twice");
    if (IsReFlag(m)) {
      if (!re_) return Error("'" + std::string(ModText(m)) + "' is a sub-modifier of 're' (M lines 65-69)");
      if (static_cast<int>(k) < Index(Mod::kRe))
        return Error("'" + std::string(ModText(m)) + "' must follow 're'");
    }
    if (m == Mod::kCased && (re_ || cidr_ || numeric_))
      return Error("'cased' applies to string matching only; 're' is case-sensitive unless 'i' (M line 54)");
  }
  if (re_ || cidr_ || numeric_ || fieldref_) {
    const std::string family(families[0]);
    for (Mod m : mods_) {
      const bool wrap_ok = fieldref_ && IsWrap(m);
      if ((IsTransform(m) || IsWrap(m)) && !wrap_ok)
        return Error("'" + std::string(ModText(m)) + "' cannot be combined with '" + family + "'");
    }
  }
  if (keyword_) {
    if (fieldref_ || cidr_ || numeric_) return Error("keyword searches take string values only");
    if (Has(Mod::kNeq)) return Error("'neq' needs a field; negate a keyword search in the condition");
  }
  // Encodings of values with wildcards cannot be matched: wrap after encoding
  // (pySigma rejects base64 of wildcards the same way).
  for (size_t k = 0; k < mods_.size(); ++k) {
    if (!IsEncoding(mods_[k])) continue;
    for (size_t j = 0; j < k; ++j)
      if (IsWrap(mods_[j]))
        return Error("'" + std::string(ModText(mods_[j])) + "' must come after '" + std::string(ModText(mods_[k])) +
                     "' (wildcards cannot be encoded)");
  }
  // utf16*/wide produce UTF-16 bytes; inari's event text is UTF-8, so they
  // only make sense when base64/base64offset encodes them afterwards.
  bool wide = false;
  for (Mod m : mods_) {
    if (m == Mod::kUtf16le || m == Mod::kUtf16be || m == Mod::kUtf16) wide = true;
    if (m == Mod::kBase64 || m == Mod::kBase64Offset) wide = false;
  }
  if (wide)
    return Error("utf16/utf16le/utf16be/wide must be followed by base64 or base64offset: event text is UTF-8, "
                 "so a UTF-16 value could never match");
  return Status::OK();
}

// `expand` (R lines 589-597, M lines 115-119): %name% placeholders (not after
// a backslash) become the placeholder's values, each a Sigma string; a value
// with several placeholders expands to every combination. `\%` is a plain %.
Status Compiler::Expand(const Tokens& in, std::vector<Tokens>* out, const SigmaValue& v) const {
  std::vector<Tokens> acc(1);
  auto add_all = [&](const Token& tok) {
    for (Tokens& t : acc) wildcard::Append(&t, tok);
  };
  auto add_literal = [&](std::string_view s) {
    std::string plain;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '%') continue;
      plain += s[i];
    }
    add_all(Token{Token::Kind::kLiteral, plain});
  };
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  for (const Token& tok : in) {
    if (tok.kind != Token::Kind::kLiteral) {
      add_all(tok);
      continue;
    }
    const std::string& s = tok.text;
    size_t last = 0, i = 0;
    while (i < s.size()) {
      if (s[i] != '%' || (i > 0 && s[i - 1] == '\\')) {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < s.size() && is_word(s[j])) ++j;
      if (j == i + 1 || j >= s.size() || s[j] != '%') {
        ++i;
        continue;
      }
      add_literal(std::string_view(s).substr(last, i - last));
      const std::string name = s.substr(i + 1, j - i - 1);
      if (!ctx_.placeholders) return ValueError(v, "placeholder %" + name + "% but no placeholders are configured");
      auto it = ctx_.placeholders->find(name);
      if (it == ctx_.placeholders->end()) return ValueError(v, "unknown placeholder %" + name + "%");
      if (it->second.empty()) return ValueError(v, "placeholder %" + name + "% has no values");
      if (acc.size() * it->second.size() > kMaxVariants)
        return ValueError(v, "placeholder expansion gives more than " + std::to_string(kMaxVariants) + " values");
      std::vector<Tokens> next;
      for (const Tokens& prefix : acc) {
        for (const std::string& pv : it->second) {
          Tokens t = prefix;
          for (Token& x : wildcard::ParseSigmaString(pv)) wildcard::Append(&t, std::move(x));
          next.push_back(std::move(t));
        }
      }
      acc = std::move(next);
      last = i = j + 1;
    }
    add_literal(std::string_view(s).substr(last));
  }
  for (Tokens& t : acc) out->push_back(std::move(t));
  return Status::OK();
}

// windash (M line 50): each of - / – — ― becomes a class matching any of them.
Tokens ApplyWindash(const Tokens& in) {
  Tokens out;
  for (const Token& tok : in) {
    if (tok.kind != Token::Kind::kLiteral) {
      wildcard::Append(&out, tok);
      continue;
    }
    std::string_view s = tok.text;
    std::string lit;
    size_t i = 0;
    while (i < s.size()) {
      size_t len = 0;
      for (std::string_view d : wildcard::kDashChars)
        if (s.substr(i, d.size()) == d) len = d.size();
      if (len == 0) {
        lit += s[i++];
        continue;
      }
      wildcard::Append(&out, Token{Token::Kind::kLiteral, std::move(lit)});
      lit.clear();
      wildcard::Append(&out, Token{Token::Kind::kDash, {}});
      i += len;
    }
    wildcard::Append(&out, Token{Token::Kind::kLiteral, std::move(lit)});
  }
  return out;
}

// Before an encoding, windash classes become concrete permutations (M line 50).
bool ExpandDashes(const Tokens& in, std::vector<Tokens>* out) {
  std::vector<Tokens> acc(1);
  for (const Token& tok : in) {
    if (tok.kind != Token::Kind::kDash) {
      for (Tokens& t : acc) wildcard::Append(&t, tok);
      continue;
    }
    if (acc.size() * 5 > kMaxVariants) return false;
    std::vector<Tokens> next;
    for (const Tokens& t : acc) {
      for (std::string_view d : wildcard::kDashChars) {
        Tokens x = t;
        wildcard::Append(&x, Token{Token::Kind::kLiteral, std::string(d)});
        next.push_back(std::move(x));
      }
    }
    acc = std::move(next);
  }
  for (Tokens& t : acc) out->push_back(std::move(t));
  return true;
}

Status Compiler::CompileStringValue(const SigmaValue& v, Group* g) {
  const bool cased = Has(Mod::kCased);
  // A non-string scalar under string modifiers is taken as written (`4688`).
  std::vector<Tokens> vals{wildcard::ParseSigmaString(v.text)};
  bool encoded = false;
  bool wrapped = false;
  for (Mod m : mods_) {
    std::vector<Tokens> next;
    switch (m) {
      case Mod::kExpand:
        for (const Tokens& t : vals) {
          Status st = Expand(t, &next, v);
          if (!st.ok()) return st;
          if (next.size() > kMaxVariants) return ValueError(v, "expansion gives too many values");
        }
        vals = std::move(next);
        break;
      case Mod::kWindash:
        for (Tokens& t : vals) t = ApplyWindash(t);
        break;
      case Mod::kUtf16le:
      case Mod::kUtf16be:
      case Mod::kUtf16:
      case Mod::kBase64:
      case Mod::kBase64Offset: {
        for (const Tokens& t : vals) {
          if (wildcard::HasWildcards(t))
            return ValueError(v, "'" + std::string(ModText(m)) + "' cannot encode a value with wildcards: '" +
                                     wildcard::ToDisplay(t) + "' (escape * and ? with a backslash)");
          std::vector<Tokens> plain;
          if (!ExpandDashes(t, &plain)) return ValueError(v, "windash gives too many values to encode");
          for (const Tokens& p : plain) {
            const std::string bytes = wildcard::JoinLiterals(p);
            if (m == Mod::kUtf16le) next.push_back(wildcard::LiteralTokens(Utf8ToUtf16(bytes, Utf16Form::kLE)));
            else if (m == Mod::kUtf16be) next.push_back(wildcard::LiteralTokens(Utf8ToUtf16(bytes, Utf16Form::kBE)));
            else if (m == Mod::kUtf16) next.push_back(wildcard::LiteralTokens(Utf8ToUtf16(bytes, Utf16Form::kLEWithBom)));
            else if (m == Mod::kBase64) {
              if (bytes.empty()) return ValueError(v, "base64 of an empty value");
              next.push_back(wildcard::LiteralTokens(Base64Encode(bytes)));
            } else {
              auto three = Base64OffsetVariants(bytes);
              for (std::string& s : three) {
                if (s.empty())
                  return ValueError(v, "value too short for base64offset: '" + wildcard::ToDisplay(p) + "'");
                next.push_back(wildcard::LiteralTokens(s));
              }
            }
          }
          if (next.size() > kMaxVariants) return ValueError(v, "encoding gives too many values");
        }
        vals = std::move(next);
        if (m == Mod::kBase64 || m == Mod::kBase64Offset) encoded = true;
        break;
      }
      case Mod::kContains:
      case Mod::kStartswith:
      case Mod::kEndswith:
        // M lines 33-38; pySigma adds a `*` only where there is none.
        wrapped = true;
        for (Tokens& t : vals) {
          if (m != Mod::kStartswith && (t.empty() || t.front().kind != Token::Kind::kStar))
            t.insert(t.begin(), Token{Token::Kind::kStar, {}});
          if (m != Mod::kEndswith) wildcard::Append(&t, Token{Token::Kind::kStar, {}});
        }
        break;
      default:
        break;
    }
  }
  if (keyword_ && !wrapped) {
    // Keywords search the text of the event (R lines 611-637): a substring.
    for (Tokens& t : vals) {
      if (t.empty() || t.front().kind != Token::Kind::kStar) t.insert(t.begin(), Token{Token::Kind::kStar, {}});
      wildcard::Append(&t, Token{Token::Kind::kStar, {}});
    }
  }
  // Base64 text is case-significant: encoded values always match cased.
  for (const Tokens& t : vals) {
    Alt a;
    a.kind = Alt::Kind::kGlob;
    a.glob = GlobPattern::Compile(t, cased || encoded);
    g->alts.push_back(std::move(a));
  }
  return Status::OK();
}

// The longest run of characters every match of `pattern` (RE2 syntax, searched
// unanchored) must contain, or "" when none of 3+ bytes can be shown. Only the
// top level is read: a top-level `|` gives nothing; groups, classes, escapes
// other than escaped punctuation, `.`, anchors and optional or repeated atoms
// end a run. Caseless, runs also end at letters whose Unicode fold leaves
// ASCII (k ↔ U+212A, s ↔ U+017F) and at non-ASCII bytes, since the prefilter
// folds ASCII only.
std::string RegexRequiredLiteral(std::string_view pattern, bool caseless) {
  size_t i = 0;
  // Leading flag groups "(?i)", "(?m)", "(?s)", "(?ims)".
  while (pattern.substr(i, 2) == "(?") {
    size_t j = i + 2;
    while (j < pattern.size() && (pattern[j] == 'i' || pattern[j] == 'm' || pattern[j] == 's' || pattern[j] == 'U'))
      ++j;
    if (j >= pattern.size() || pattern[j] != ')') break;
    if (pattern.substr(i, j - i).find('i') != std::string_view::npos) caseless = true;
    i = j + 1;
  }
  // A flag group later in the pattern may switch case folding on for the rest.
  for (size_t k = pattern.find("(?", i); k != std::string_view::npos; k = pattern.find("(?", k + 2)) {
    for (size_t j = k + 2; j < pattern.size() && std::isalpha(static_cast<unsigned char>(pattern[j])); ++j)
      if (pattern[j] == 'i') caseless = true;
  }
  std::string best, run;
  auto end_run = [&] {
    if (run.size() > best.size()) best = run;
    run.clear();
  };
  int depth = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '\\') {
      if (i + 1 >= pattern.size()) return "";
      const char e = pattern[i + 1];
      i += 2;
      if (depth > 0) continue;
      const bool punct = !((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) &&
                         static_cast<unsigned char>(e) < 0x80;
      if (!punct) {
        end_run();
        continue;
      }
      run.push_back(e);
    } else if (c == '[') {
      // Skip the class: "[]...]" and "[^]...]" start with a literal ']'.
      size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '^') ++j;
      if (j < pattern.size() && pattern[j] == ']') ++j;
      while (j < pattern.size() && pattern[j] != ']') j += pattern[j] == '\\' ? 2 : 1;
      if (j >= pattern.size()) return "";
      i = j + 1;
      if (depth == 0) {
        end_run();
        // A quantifier after the class applies to it, not to the run.
        if (i < pattern.size() && (pattern[i] == '*' || pattern[i] == '+' || pattern[i] == '?')) ++i;
      }
      continue;
    } else if (c == '(') {
      ++depth;
      ++i;
      end_run();
      continue;
    } else if (c == ')') {
      if (--depth < 0) return "";
      ++i;
      end_run();
      continue;
    } else if (depth > 0) {
      ++i;
      continue;
    } else if (c == '|') {
      return "";  // top-level alternation: no run is required
    } else if (c == '*' || c == '?' || c == '{') {
      // The previous atom may be absent: drop it from the run.
      if (!run.empty()) {
        // Drop a whole UTF-8 character.
        size_t k = run.size() - 1;
        while (k > 0 && (static_cast<unsigned char>(run[k]) & 0xC0) == 0x80) --k;
        run.resize(k);
      }
      end_run();
      if (c == '{') {
        size_t j = pattern.find('}', i);
        if (j == std::string_view::npos) return "";
        i = j + 1;
      } else {
        ++i;
      }
      if (i < pattern.size() && (pattern[i] == '?' || pattern[i] == '+')) ++i;  // lazy / possessive
      continue;
    } else if (c == '+') {
      // The previous atom occurs at least once; what follows need not be adjacent to a copy we keep.
      end_run();
      ++i;
      if (i < pattern.size() && (pattern[i] == '?' || pattern[i] == '+')) ++i;
      continue;
    } else if (c == '.' || c == '^' || c == '$') {
      end_run();
      ++i;
      continue;
    } else {
      run.push_back(c);
      ++i;
      continue;
    }
  }
  if (depth != 0) return "";
  end_run();
  if (!caseless) return best.size() >= 3 ? best : "";
  // Caseless: keep the longest piece without non-ASCII bytes or k/s.
  std::string out, cur;
  for (char ch : best + '\0') {
    const char lo = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    if (ch == '\0' || static_cast<unsigned char>(ch) >= 0x80 || lo == 'k' || lo == 's') {
      if (cur.size() > out.size()) out = cur;
      cur.clear();
    } else {
      cur.push_back(lo);
    }
  }
  return out.size() >= 3 ? out : "";
}

Status Compiler::CompileRegex(const SigmaValue& v, Group* g) const {
  // M lines 52-69: case-sensitive unless `i`; `m` makes ^/$ match at lines;
  // `s` lets `.` match a newline. Matching searches (unanchored), RE2 syntax.
  const std::string& text = v.text;
  if (text.size() > kMaxRegexBytes)
    return ValueError(v, "regular expression longer than " + std::to_string(kMaxRegexBytes) + " bytes");
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(kRegexMaxMem);
  o.set_case_sensitive(!Has(Mod::kReI));
  o.set_dot_nl(Has(Mod::kReS));
  std::string pattern = Has(Mod::kReM) ? "(?m)" + text : text;
  auto re = std::make_unique<RE2>(pattern, o);
  if (!re->ok()) return ValueError(v, "invalid regular expression '" + text + "': " + re->error());
  Alt a;
  a.kind = Alt::Kind::kRegex;
  a.re = std::move(re);
  // `.{N,}` or `.{N,M}` with M >= N: see Alt::min_run_chars.
  if (text.size() > 4 && text.compare(0, 2, ".{") == 0 && text.back() == '}') {
    std::string_view body(text.data() + 2, text.size() - 3);
    size_t comma = body.find(',');
    auto all_digits = [](std::string_view d) {
      return !d.empty() && d.size() < 9 && std::all_of(d.begin(), d.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    };
    if (comma != std::string_view::npos && all_digits(body.substr(0, comma)) &&
        (comma + 1 == body.size() || all_digits(body.substr(comma + 1)))) {
      const int64_t n = std::stoll(std::string(body.substr(0, comma)));
      const int64_t m = comma + 1 == body.size() ? -1 : std::stoll(std::string(body.substr(comma + 1)));
      if (m < 0 || m >= n) {
        a.min_run_chars = n;
        a.run_spans_lines = Has(Mod::kReS);
      }
    }
  }
  g->alts.push_back(std::move(a));
  return Status::OK();
}

void Compiler::ComputeLiterals() {
  // A necessary condition for the prefilter: with OR every alternative needs
  // a literal; with `all` one value's alternatives suffice.
  if (t_->kind_ != CompiledFieldTest::Kind::kValues || t_->negate_) return;
  std::vector<std::string> best;
  size_t best_min = 0;
  std::vector<std::string> union_lits;
  bool every_group_ok = true;
  for (const Group& g : t_->groups_) {
    std::vector<std::string> lits;
    size_t min_len = SIZE_MAX;
    bool ok = !g.alts.empty();
    for (const Alt& a : g.alts) {
      if (a.kind != Alt::Kind::kGlob && a.kind != Alt::Kind::kRegex) {
        ok = false;
        break;
      }
      std::string l = a.kind == Alt::Kind::kGlob
                          ? a.glob.LongestLiteral()
                          : RegexRequiredLiteral(a.re->pattern(), !a.re->options().case_sensitive());
      if (l.size() < 3) {
        ok = false;
        break;
      }
      min_len = std::min(min_len, l.size());
      lits.push_back(std::move(l));
    }
    if (!ok) {
      every_group_ok = false;
      continue;
    }
    if (min_len > best_min) {
      best_min = min_len;
      best = lits;
    }
    union_lits.insert(union_lits.end(), lits.begin(), lits.end());
  }
  std::vector<std::string> out;
  if (t_->all_) out = std::move(best);
  else if (every_group_ok) out = std::move(union_lits);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  t_->literals_ = std::move(out);
}

void Compiler::ComputeEventIds() {
  if (t_->field_ != field::kEventID || t_->kind_ != CompiledFieldTest::Kind::kValues || t_->negate_) return;
  for (Mod m : mods_)
    if (m != Mod::kAll) return;
  std::vector<int64_t> ids;
  for (const SigmaValue& v : spec_.values) {
    if (v.kind == SigmaValue::Kind::kInt) {
      ids.push_back(v.i);
      continue;
    }
    // A quoted decimal ('4688') matches the text "4688" only.
    if (v.kind != SigmaValue::Kind::kString || v.text.empty() || v.text.size() > 18) return;
    int64_t x = 0;
    for (char c : v.text) {
      if (c < '0' || c > '9') return;
      x = x * 10 + (c - '0');
    }
    ids.push_back(x);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  t_->event_ids_ = std::move(ids);
}

Status Compiler::Run() {
  for (const std::string& name : spec_.modifiers) {
    const ModName* found = nullptr;
    for (const ModName& n : kModNames)
      if (n.name == name) found = &n;
    if (!found) return Status::NotSupported(where_, "unknown modifier '" + name + "'");
    mods_.push_back(found->mod);
  }
  keyword_ = spec_.field.empty();
  if (spec_.values.empty()) return Error("no value");

  // Field names resolve once (STYLE.md 8).
  if (!keyword_) {
    std::string mapped = MapField(spec_.field);
    if (mapped.empty()) return Error("the field mapping gives an empty name");
    t_->field_ = InternField(mapped);
    if (t_->field_ == kNoField) return Error("too many distinct field names");
  }

  // null (R lines 492-541): its own type, never in a list, no modifiers.
  size_t nulls = 0;
  for (const SigmaValue& v : spec_.values) nulls += v.kind == SigmaValue::Kind::kNull;
  if (nulls > 0) {
    if (spec_.values.size() > 1) return Error("null cannot be part of a list of values (R line 515)");
    if (!mods_.empty()) return Error("null takes no modifiers; use a separate selection (R lines 499-502)");
    if (keyword_) return Error("a keyword search cannot be null");
    t_->kind_ = CompiledFieldTest::Kind::kNull;
    return Status::OK();
  }

  Status st = CheckCombination();
  if (!st.ok()) return st;

  if (Has(Mod::kExists)) {
    // M line 40 and R lines 542-555: one boolean.
    if (keyword_) return Error("'exists' needs a field");
    if (spec_.values.size() != 1) return Error("'exists' takes one boolean value");
    const SigmaValue& v = spec_.values[0];
    if (v.kind != SigmaValue::Kind::kBool)
      return ValueError(v, "'exists' takes true or false, not the " + KindName(v.kind) + " '" + v.text + "'");
    t_->kind_ = CompiledFieldTest::Kind::kExists;
    t_->want_exists_ = v.b;
    return Status::OK();
  }

  t_->all_ = Has(Mod::kAll);
  t_->negate_ = Has(Mod::kNeq);
  if (t_->all_ && spec_.values.size() < 2)
    return Error("'all' needs a list of at least two values (M line 30)");
  for (Mod m : mods_) {
    if (IsCompare(m)) op_ = m == Mod::kGt ? Op::kGt : m == Mod::kGte ? Op::kGte : m == Mod::kLt ? Op::kLt : Op::kLte;
    if (IsTimePart(m)) t_->time_part_ = m;
  }
  // Modifiers that make a scalar a string (everything but all/neq).
  bool string_mods = false;
  for (Mod m : mods_)
    if (m != Mod::kAll && m != Mod::kNeq) string_mods = true;

  for (const SigmaValue& v : spec_.values) {
    Group g;
    if (re_) {
      st = CompileRegex(v, &g);
    } else if (cidr_) {
      Alt a;
      a.kind = Alt::Kind::kCidr;
      if (v.kind != SigmaValue::Kind::kString || !ParseCidr(v.text, &a.cidr))
        return ValueError(v, "invalid CIDR range '" + v.text + "' (M line 111)");
      g.alts.push_back(std::move(a));
    } else if (numeric_) {
      // M lines 83-105: numbers only.
      const bool time = t_->time_part_ != Mod::kAll;
      Alt a;
      a.kind = Alt::Kind::kCompare;
      a.op = op_;
      if (v.kind == SigmaValue::Kind::kInt) a.num = Number{true, v.i, 0};
      else if (v.kind == SigmaValue::Kind::kFloat && !time) a.num = Number{false, 0, v.d};
      else
        return ValueError(v, std::string(time ? "time part modifiers take integers" : "gt/gte/lt/lte take numbers") +
                                 ", not the " + KindName(v.kind) + " '" + v.text + "'");
      g.alts.push_back(std::move(a));
    } else if (fieldref_) {
      // M lines 121-122: the value names another field of the same event.
      Tokens t = wildcard::ParseSigmaString(v.text);
      if (wildcard::HasWildcards(t)) return ValueError(v, "a field reference cannot hold wildcards: '" + v.text + "'");
      std::string name = MapField(wildcard::JoinLiterals(t));
      if (name.empty()) return ValueError(v, "empty field reference");
      Alt a;
      a.kind = Alt::Kind::kFieldRef;
      a.ref = InternField(name);
      a.b = Has(Mod::kCased);
      if (t_->negate_) t_->neq_partners_.push_back(a.ref);
      const bool start_wild = Has(Mod::kContains) || Has(Mod::kEndswith);
      const bool end_wild = Has(Mod::kContains) || Has(Mod::kStartswith);
      a.ref_mode = start_wild && end_wild ? RefMode::kContains
                   : end_wild             ? RefMode::kPrefix
                   : start_wild           ? RefMode::kSuffix
                                          : RefMode::kEq;
      g.alts.push_back(std::move(a));
    } else if (!string_mods && !keyword_ && v.kind != SigmaValue::Kind::kString) {
      // Type policy (docs/sigma.md): typed YAML scalars compare by type.
      Alt a;
      if (v.kind == SigmaValue::Kind::kInt) {
        a.kind = Alt::Kind::kInt;
        a.i = v.i;
      } else if (v.kind == SigmaValue::Kind::kFloat) {
        a.kind = Alt::Kind::kFloat;
        a.d = v.d;
      } else {
        a.kind = Alt::Kind::kBool;
        a.b = v.b;
      }
      g.alts.push_back(std::move(a));
    } else {
      st = CompileStringValue(v, &g);
    }
    if (!st.ok()) return st;
    t_->groups_.push_back(std::move(g));
  }
  ComputeLiterals();
  ComputeEventIds();
  t_->BuildMultiLiteral();
  return Status::OK();
}

}  // namespace

void FieldIndex::Build(std::span<const Field> fields) {
  if (++gen_ == 0) {  // wrapped: forget every stamp
    std::fill(stamp_.begin(), stamp_.end(), 0);
    gen_ = 1;
  }
  base_ = fields.data();
  size_ = fields.size();
  if (next_.size() < fields.size()) next_.resize(fields.size());
  for (uint32_t i = 0; i < fields.size(); ++i) {
    const FieldId id = fields[i].id;
    if (id >= kMaxIndexedId) {  // only inputs with absurd numbers of names: walk instead
      base_ = nullptr;
      return;
    }
    if (id >= stamp_.size()) {
      const size_t n = std::max<size_t>(id + 1, stamp_.size() * 2);
      stamp_.resize(n, 0);
      first_.resize(n);
      last_.resize(n);
    }
    next_[i] = kEnd;
    if (stamp_[id] != gen_) {
      stamp_[id] = gen_;
      first_[id] = last_[id] = i;
    } else {
      next_[last_[id]] = i;
      last_[id] = i;
    }
  }
}

MatchScratch::~MatchScratch() {
  if (hs) hs_free_scratch(static_cast<hs_scratch_t*>(hs));
}

Result<std::unique_ptr<FieldTest>> FieldTest::Compile(const FieldTestSpec& spec, const CompileContext& ctx) {
  auto t = std::make_unique<CompiledFieldTest>();
  Compiler c(spec, ctx, t.get());
  Status st = c.Run();
  if (!st.ok()) return st;
  return std::unique_ptr<FieldTest>(std::move(t));
}

}  // namespace inari::sigma
