// Helpers for FieldTest unit tests: one-event batches and rule-style specs.
//
// Spec citations in these tests: "R" is
// reference/sigma-specification/specification/sigma-rules-specification.md,
// "M" is .../sigma-appendix-modifiers.md, followed by the line number.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "inari/event.h"
#include "sigma/field_test.h"

namespace inari::sigma::testing {

// One event, built field by field.
class Ev {
 public:
  Ev() { b_.BeginEvent(); }
  Ev& S(std::string_view name, std::string_view v) {
    b_.AddString(InternField(name), b_.CopyString(v));
    return *this;
  }
  Ev& V(std::string_view name, const Value& v) {
    b_.Add(InternField(name), v);
    return *this;
  }
  EventView view() {
    if (!ended_) {
      b_.EndEvent(kNoTime, 0, EventOrigin{});
      ended_ = true;
    }
    return b_[0];
  }

 private:
  EventBatch b_;
  bool ended_ = false;
};

inline SigmaValue S(std::string s) { return SigmaValue::String(std::move(s)); }
inline SigmaValue I(int64_t x) { return SigmaValue::Int(x, std::to_string(x)); }
inline SigmaValue F(double x, std::string text) { return SigmaValue::Float(x, std::move(text)); }
inline SigmaValue B(bool x) { return SigmaValue::Bool(x); }
inline SigmaValue N() { return SigmaValue::Null(); }

// "Field|mod1|mod2" as written in a rule ("|all" for keywords).
inline FieldTestSpec Spec(std::string_view key, std::vector<SigmaValue> values) {
  FieldTestSpec spec;
  size_t bar = key.find('|');
  spec.field = std::string(key.substr(0, bar));
  while (bar != std::string_view::npos) {
    size_t next = key.find('|', bar + 1);
    spec.modifiers.emplace_back(key.substr(bar + 1, next == std::string_view::npos ? next : next - bar - 1));
    bar = next;
  }
  spec.values = std::move(values);
  spec.line = 7;
  return spec;
}

inline std::unique_ptr<FieldTest> Compile(std::string_view key, std::vector<SigmaValue> values,
                                          const CompileContext& ctx = {}) {
  auto r = FieldTest::Compile(Spec(key, std::move(values)), ctx);
  EXPECT_TRUE(r.has_value()) << key << ": " << (r.has_value() ? "" : r.error().ToString());
  if (!r.has_value()) return nullptr;
  return std::move(r).value();
}

// The error message of a spec that must not compile ("" if it compiles).
inline std::string CompileError(std::string_view key, std::vector<SigmaValue> values,
                                const CompileContext& ctx = {}) {
  auto r = FieldTest::Compile(Spec(key, std::move(values)), ctx);
  return r.has_value() ? std::string() : r.error().ToString();
}

inline bool Matches(const std::unique_ptr<FieldTest>& t, Ev& e) {
  if (!t) return false;
  MatchScratch s;
  return t->Match(e.view(), &s);
}

// A one-field event holding a string.
inline bool MatchStr(const std::unique_ptr<FieldTest>& t, std::string_view field, std::string_view text) {
  Ev e;
  e.S(field, text);
  return Matches(t, e);
}

}  // namespace inari::sigma::testing
