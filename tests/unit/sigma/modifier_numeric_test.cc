// Numeric modifiers gt/gte/lt/lte/neq (M = sigma-appendix-modifiers.md lines
// 83-91) and time modifiers minute/hour/day/week/month/year (lines 93-105).
#include <gtest/gtest.h>

#include "field_test_util.h"

namespace inari::sigma::testing {
namespace {

bool MatchV(const std::unique_ptr<FieldTest>& t, const char* field, const Value& v) {
  Ev e;
  e.V(field, v);
  return Matches(t, e);
}

TEST(ModifierCompare, FourOperatorsOnIntegers_M87_M90) {
  auto gt = Compile("Count|gt", {I(10)});
  auto gte = Compile("Count|gte", {I(10)});
  auto lt = Compile("Count|lt", {I(10)});
  auto lte = Compile("Count|lte", {I(10)});
  EXPECT_TRUE(MatchV(gt, "Count", Value::UInt(11)));
  EXPECT_FALSE(MatchV(gt, "Count", Value::UInt(10)));
  EXPECT_TRUE(MatchV(gte, "Count", Value::UInt(10)));
  EXPECT_FALSE(MatchV(gte, "Count", Value::Int(9)));
  EXPECT_TRUE(MatchV(lt, "Count", Value::Int(-5)));
  EXPECT_FALSE(MatchV(lt, "Count", Value::Int(10)));
  EXPECT_TRUE(MatchV(lte, "Count", Value::Int(10)));
  EXPECT_FALSE(MatchV(lte, "Count", Value::UInt(11)));
}

TEST(ModifierCompare, EventStringsAreParsedAsNumbers_M83) {
  auto gt = Compile("Size|gt", {I(1000)});
  EXPECT_TRUE(MatchStr(gt, "Size", "1001"));
  EXPECT_TRUE(MatchStr(gt, "Size", "0x400"));     // 1024
  EXPECT_TRUE(MatchStr(gt, "Size", "1000.5"));
  EXPECT_TRUE(MatchStr(gt, "Size", "1e4"));
  EXPECT_FALSE(MatchStr(gt, "Size", "999"));
  EXPECT_FALSE(MatchStr(gt, "Size", "-2000"));
  EXPECT_FALSE(MatchStr(gt, "Size", "big"));       // non-numeric: no match
  EXPECT_FALSE(MatchStr(gt, "Size", ""));
  EXPECT_FALSE(MatchStr(gt, "Size", "2000 bytes"));
  EXPECT_FALSE(MatchStr(gt, "Size", "nan"));
}

TEST(ModifierCompare, FloatsHexAndLargeUnsigned_M83) {
  auto t = Compile("Score|gte", {F(0.75, "0.75")});
  EXPECT_TRUE(MatchV(t, "Score", Value::Double(0.75)));
  EXPECT_TRUE(MatchV(t, "Score", Value::Int(1)));
  EXPECT_FALSE(MatchV(t, "Score", Value::Double(0.7499)));
  EXPECT_FALSE(MatchV(t, "Score", Value::Bool(true)));
  auto big = Compile("Keywords|gt", {I(INT64_MAX - 1)});
  EXPECT_TRUE(MatchV(big, "Keywords", Value::Hex(0x8020000000000000ULL)));  // > INT64_MAX
  EXPECT_FALSE(MatchV(big, "Keywords", Value::Hex(0x10)));
  auto neg = Compile("X|lt", {I(0)});
  EXPECT_FALSE(MatchV(neg, "X", Value::UInt(UINT64_MAX)));
  EXPECT_TRUE(MatchV(neg, "X", Value::Int(-1)));
}

TEST(ModifierCompare, ListIsOrAllIsAnd_M26_M87) {
  auto any = Compile("X|gt", {I(100), I(5)});
  EXPECT_TRUE(MatchV(any, "X", Value::Int(6)));
  EXPECT_FALSE(MatchV(any, "X", Value::Int(5)));
  auto all = Compile("X|gt|all", {I(100), I(5)});
  EXPECT_TRUE(MatchV(all, "X", Value::Int(101)));
  EXPECT_FALSE(MatchV(all, "X", Value::Int(6)));
}

TEST(ModifierCompare, StringAndOtherValuesAreErrors_M85) {
  std::string e = CompileError("X|gt", {S("5")});
  EXPECT_NE(e.find("gt/gte/lt/lte take numbers"), std::string::npos) << e;
  EXPECT_NE(CompileError("X|lte", {B(true)}), "");
  EXPECT_NE(CompileError("X|lt|contains", {I(5)}), "");
  EXPECT_NE(CompileError("X|gte|base64", {I(5)}), "");
  EXPECT_NE(CompileError("X|gt|cased", {I(5)}), "");
}

TEST(ModifierCompare, MissingFieldNeverMatches_M83) {
  auto t = Compile("X|lt", {I(10)});
  Ev e;
  e.V("Y", Value::Int(1));
  EXPECT_FALSE(Matches(t, e));
}

TEST(ModifierNeqNumeric, NotEqual_M91) {
  auto t = Compile("LogonType|neq", {I(3)});
  EXPECT_TRUE(MatchV(t, "LogonType", Value::UInt(10)));
  EXPECT_TRUE(MatchStr(t, "LogonType", "2"));
  EXPECT_FALSE(MatchV(t, "LogonType", Value::UInt(3)));
  EXPECT_FALSE(MatchStr(t, "LogonType", "3"));
  EXPECT_FALSE(MatchV(t, "Other", Value::UInt(10)));  // missing field
  auto list = Compile("LogonType|neq", {I(3), I(10)});
  EXPECT_TRUE(MatchV(list, "LogonType", Value::UInt(2)));
  EXPECT_FALSE(MatchV(list, "LogonType", Value::UInt(10)));
  EXPECT_TRUE(Compile("EventID|neq", {I(3)})->event_ids().empty());
}

// ---- time parts (M 93-105) -------------------------------------------------------

Value T(const char* iso) { return Value::Time(ParseIso8601(iso)); }

TEST(ModifierTime, PartsOfKTimeValues_M100_M105) {
  const Value v = T("2024-03-07T14:05:09.1234567Z");  // a Thursday, ISO week 10
  EXPECT_TRUE(MatchV(Compile("UtcTime|minute", {I(5)}), "UtcTime", v));
  EXPECT_FALSE(MatchV(Compile("UtcTime|minute", {I(9)}), "UtcTime", v));
  EXPECT_TRUE(MatchV(Compile("UtcTime|hour", {I(14)}), "UtcTime", v));
  EXPECT_FALSE(MatchV(Compile("UtcTime|hour", {I(2)}), "UtcTime", v));
  EXPECT_TRUE(MatchV(Compile("UtcTime|day", {I(7)}), "UtcTime", v));
  EXPECT_FALSE(MatchV(Compile("UtcTime|day", {I(3)}), "UtcTime", v));
  EXPECT_TRUE(MatchV(Compile("UtcTime|week", {I(10)}), "UtcTime", v));
  EXPECT_FALSE(MatchV(Compile("UtcTime|week", {I(9)}), "UtcTime", v));
  EXPECT_TRUE(MatchV(Compile("UtcTime|month", {I(3)}), "UtcTime", v));
  EXPECT_FALSE(MatchV(Compile("UtcTime|month", {I(7)}), "UtcTime", v));
  EXPECT_TRUE(MatchV(Compile("UtcTime|year", {I(2024)}), "UtcTime", v));
  EXPECT_FALSE(MatchV(Compile("UtcTime|year", {I(2023)}), "UtcTime", v));
}

TEST(ModifierTime, PartsOfIsoText_M96) {
  auto hour = Compile("UtcTime|hour", {I(23)});
  EXPECT_TRUE(MatchStr(hour, "UtcTime", "2019-03-19 23:42:13.123"));   // Sysmon UtcTime shape
  EXPECT_TRUE(MatchStr(hour, "UtcTime", "2020-09-21T23:26:07.434Z"));
  EXPECT_TRUE(MatchStr(hour, "UtcTime", "2020-09-22T01:26:07+02:00"));  // converted to UTC
  EXPECT_FALSE(MatchStr(hour, "UtcTime", "2020-09-21T22:26:07Z"));
  EXPECT_FALSE(MatchStr(hour, "UtcTime", "23:00"));   // not a timestamp
  EXPECT_FALSE(MatchStr(hour, "UtcTime", "yesterday"));
  Ev num;
  num.V("UtcTime", Value::Int(23));  // a plain number is no time
  EXPECT_FALSE(Matches(hour, num));
}

TEST(ModifierTime, IsoWeekEdges_M103) {
  auto w1 = Compile("T|week", {I(1)});
  auto w53 = Compile("T|week", {I(53)});
  auto w52 = Compile("T|week", {I(52)});
  EXPECT_TRUE(MatchV(w1, "T", T("2024-12-30T00:00:00Z")));   // Monday of ISO week 2025-W01
  EXPECT_TRUE(MatchV(w1, "T", T("2021-01-04T00:00:00Z")));
  EXPECT_TRUE(MatchV(w53, "T", T("2021-01-03T12:00:00Z")));  // Sunday of 2020-W53
  EXPECT_TRUE(MatchV(w52, "T", T("2023-01-01T00:00:00Z")));  // Sunday of 2022-W52
  EXPECT_FALSE(MatchV(w1, "T", T("2024-12-29T23:59:59Z")));
  EXPECT_FALSE(MatchV(w1, "T", T("2023-01-01T00:00:00Z")));
  EXPECT_FALSE(MatchV(w53, "T", T("2021-01-04T00:00:00Z")));  // Monday of 2021-W01
  EXPECT_FALSE(MatchV(w52, "T", T("2023-01-02T00:00:00Z")));  // Monday of 2023-W01
  EXPECT_FALSE(MatchV(Compile("T|year", {I(1969)}), "T", T("1970-01-01T00:00:00Z")));
  EXPECT_TRUE(MatchV(Compile("T|year", {I(1969)}), "T", T("1969-12-31T23:59:59Z")));  // before the epoch
  EXPECT_TRUE(MatchV(Compile("T|hour", {I(23)}), "T", T("1969-12-31T23:59:59Z")));
  EXPECT_FALSE(MatchV(Compile("T|hour", {I(0)}), "T", T("1969-12-31T23:59:59Z")));
}

TEST(ModifierTime, CombinedWithComparisons_M96) {
  // Off-hours: hour < 6 or hour > 20 (two selections in a rule; here each test).
  auto early = Compile("UtcTime|hour|lt", {I(6)});
  auto late = Compile("UtcTime|gt|hour", {I(20)});  // order-free
  EXPECT_TRUE(MatchV(early, "UtcTime", T("2024-01-01T05:59:00Z")));
  EXPECT_FALSE(MatchV(early, "UtcTime", T("2024-01-01T06:00:00Z")));
  EXPECT_TRUE(MatchV(late, "UtcTime", T("2024-01-01T21:00:00Z")));
  EXPECT_FALSE(MatchV(late, "UtcTime", T("2024-01-01T20:59:59Z")));
  auto not_first_day = Compile("UtcTime|day|neq", {I(1)});
  EXPECT_TRUE(MatchV(not_first_day, "UtcTime", T("2024-01-02T00:00:00Z")));
  EXPECT_FALSE(MatchV(not_first_day, "UtcTime", T("2024-01-01T00:00:00Z")));
}

TEST(ModifierTime, Errors_M95) {
  EXPECT_NE(CompileError("T|hour", {S("14")}), "");
  EXPECT_NE(CompileError("T|hour", {F(1.5, "1.5")}), "");
  EXPECT_NE(CompileError("T|hour|day", {I(1)}), "");
  EXPECT_NE(CompileError("T|hour|contains", {I(1)}), "");
  EXPECT_NE(CompileError("T|hour|cidr", {S("10.0.0.0/8")}), "");
}

}  // namespace
}  // namespace inari::sigma::testing
