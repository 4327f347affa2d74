// FieldTest — one compiled Sigma field test: `field|mod1|mod2: value(s)`, or a
// keyword (fieldless) search, evaluated against an event.
//
// Compile() applies the modifiers of the Sigma v2.1 modifiers appendix
// (docs/sigma.md lists each with the spec line it follows): contains,
// startswith, endswith, all, base64, base64offset, utf16le/utf16be/utf16/wide,
// windash, re (+ i, m, s), cidr, exists, cased, gt/gte/lt/lte, neq, fieldref,
// expand, minute/hour/day/week/month/year. Unknown modifiers, impossible
// combinations, invalid regexes and unresolved placeholders are compile errors.
//
// Semantics (docs/sigma.md): a list of values is OR (AND with `all`); strings
// are case-insensitive unless `cased` (or `re` without `i`); `*` and `?` are
// wildcards anchored to the whole value with `\` escaping as the spec says; a
// multi-valued event field matches if any of its values matches; a missing
// field never matches a value (only `null` / `exists: false` match it).
//
// Thread-safety: a compiled FieldTest is immutable; Match() is const and may
// run on many threads at once, each with its own MatchScratch.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inari/event.h"
#include "inari/result.h"
#include "sigma/sigma_value.h"

namespace inari::sigma {

struct FieldTestSpec {
  std::string field;                   // Sigma field name; empty for a keyword search
  std::vector<std::string> modifiers;  // in rule order, e.g. {"contains", "all"}
  std::vector<SigmaValue> values;      // one or more (a YAML list is several)
  int line = 0;                        // line of the key in the rule file
};

struct CompileContext {
  // Maps a rule's field name to the event's field name (logsource field
  // renames, e.g. Image → NewProcessName for Security 4688). Identity if unset.
  std::function<std::string(std::string_view)> map_field;
  // `expand` placeholders: name (without %) → values. A placeholder with no
  // entry is a compile error, as the spec requires.
  const std::map<std::string, std::vector<std::string>>* placeholders = nullptr;
};

// Per-thread scratch for matching (lower-cased copies, decoded values).
// a: case-folded text; b, c: canonical text of non-string values; d: folded
// text of a `fieldref` partner. Capacity is kept, so a warm scratch makes
// Match() allocation-free.
// Where each field of one event is, so that a test finds its field without
// walking the event: built once per event by RuleSet::Match (events have tens
// of fields, an event meets several rules of several tests each). A test
// called without it (or for another event) walks the fields.
class FieldIndex {
 public:
  static constexpr uint32_t kEnd = UINT32_MAX;
  static constexpr FieldId kMaxIndexedId = 1 << 20;  // bounds the per-id tables (12 B each)
  void Build(std::span<const Field> fields);
  void Clear() { base_ = nullptr; }
  bool For(std::span<const Field> fields) const { return base_ == fields.data() && size_ == fields.size() && base_; }
  // First position of `id` in the event, or kEnd; then next(pos).
  uint32_t first(FieldId id) const { return id < stamp_.size() && stamp_[id] == gen_ ? first_[id] : kEnd; }
  uint32_t next(uint32_t pos) const { return next_[pos]; }

 private:
  const Field* base_ = nullptr;
  size_t size_ = 0;
  uint32_t gen_ = 0;
  std::vector<uint32_t> stamp_, first_, last_;  // per FieldId
  std::vector<uint32_t> next_;                  // per position
};

// The fields of an event with one id, in order (through the index if it
// was built for this event, else by walking the fields).
class FieldCursor {
 public:
  FieldCursor(std::span<const Field> fields, FieldId id, const FieldIndex& index)
      : fields_(fields), id_(id), index_(index.For(fields) ? &index : nullptr) {
    pos_ = index_ ? index_->first(id) : 0;
  }
  const Field* Next() {
    if (index_) {
      if (pos_ == FieldIndex::kEnd) return nullptr;
      const Field* f = &fields_[pos_];
      pos_ = index_->next(pos_);
      return f;
    }
    while (pos_ < fields_.size()) {
      const Field* f = &fields_[pos_++];
      if (f->id == id_) return f;
    }
    return nullptr;
  }

 private:
  std::span<const Field> fields_;
  FieldId id_;
  const FieldIndex* index_;
  uint32_t pos_ = 0;
};

struct MatchScratch {
  MatchScratch() = default;
  MatchScratch(const MatchScratch&) = delete;
  MatchScratch& operator=(const MatchScratch&) = delete;
  ~MatchScratch();
  std::string a, b, c, d;
  std::string folded;  // a value with its non-ASCII letters lowered, shared by a group's patterns
  std::string padded;  // text copied for a padded vectorscan scan (literal_scan.h)
  void* hs = nullptr;  // vectorscan scratch for tests with many literals (grown as needed)
  std::vector<uint8_t> hs_ready;  // by test database number: `hs` has been grown for it
  FieldIndex index;    // of the event being matched (RuleSet::Match builds it)
};

class FieldTest {
 public:
  virtual ~FieldTest() = default;
  static Result<std::unique_ptr<FieldTest>> Compile(const FieldTestSpec& spec, const CompileContext& ctx);

  virtual bool Match(const EventView& event, MatchScratch* scratch) const = 0;

  // Literals at least one of which appears (ASCII case-insensitively) in the
  // canonical text (Value::AppendText) of some value of any event this test
  // matches — for keyword tests, in some kString value. Never contain NUL.
  // Empty: no such guarantee (negations, numbers, regexes, `exists`, `null`,
  // values without a literal run of 3+ bytes...). The rule set builds its
  // multi-pattern prefilter from these.
  virtual const std::vector<std::string>& required_literals() const = 0;

  // Relative evaluation cost (1 = a few comparisons; regexes cost most). An
  // `and` evaluates its cheaper children first.
  virtual int cost() const { return 1; }

  // For indexing: if this test only matches events whose field `EventID`
  // equals one of these values, they are returned; else empty.
  virtual std::vector<int64_t> event_ids() const { return {}; }

  // The field whose values required_literals() are found in; kNoField for
  // keyword tests (kString values of any field).
  virtual FieldId field() const { return kNoField; }
};

}  // namespace inari::sigma
