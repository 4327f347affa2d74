// `fieldref` (M = sigma-appendix-modifiers.md lines 121-122) and `exists`
// (M line 40; R = sigma-rules-specification.md lines 542-555).
#include <gtest/gtest.h>

#include "field_test_util.h"

namespace inari::sigma::testing {
namespace {

TEST(ModifierFieldref, EqualsAnotherField_M121) {
  auto t = Compile("TargetUserName|fieldref", {S("SubjectUserName")});
  Ev same, cased, diff, missing;
  same.S("SubjectUserName", "alice").S("TargetUserName", "alice");
  cased.S("SubjectUserName", "Alice").S("TargetUserName", "ALICE");  // case-insensitive by default
  diff.S("SubjectUserName", "alice").S("TargetUserName", "bob");
  missing.S("TargetUserName", "alice");
  EXPECT_TRUE(Matches(t, same));
  EXPECT_TRUE(Matches(t, cased));
  EXPECT_FALSE(Matches(t, diff));
  EXPECT_FALSE(Matches(t, missing));
}

TEST(ModifierFieldref, CasedAndNonAscii_M121_M42) {
  auto t = Compile("A|fieldref|cased", {S("B")});
  Ev same, cased;
  same.S("A", "Jörg").S("B", "Jörg");
  cased.S("A", "JÖRG").S("B", "jörg");
  EXPECT_TRUE(Matches(t, same));
  EXPECT_FALSE(Matches(t, cased));
  auto u = Compile("A|fieldref", {S("B")});
  EXPECT_TRUE(Matches(u, cased));
  Ev accent;
  accent.S("A", "Jörg").S("B", "Jorg");  // folding case does not drop accents
  EXPECT_FALSE(Matches(u, accent));
}

TEST(ModifierFieldref, IntegersCompareNumerically_M121) {
  // Security 4688 logs NewProcessId in hex text; Sysmon logs decimal.
  auto t = Compile("ProcessId|fieldref", {S("NewProcessId")});
  Ev a, b, c, d;
  a.V("ProcessId", Value::UInt(4660)).S("NewProcessId", "0x1234");
  d.V("ProcessId", Value::UInt(4660)).S("NewProcessId", "1234");  // decimal text: 1234, not 0x1234
  b.V("ProcessId", Value::UInt(4661)).S("NewProcessId", "0x1234");
  c.V("ProcessId", Value::UInt(4660)).V("NewProcessId", Value::Hex(0x1234));
  EXPECT_TRUE(Matches(t, a));
  EXPECT_FALSE(Matches(t, b));
  EXPECT_TRUE(Matches(t, c));
  EXPECT_FALSE(Matches(t, d));
}

// M 121 only says fieldref "can be used to compare fields"; M 122 names `neq` as its one
// combination. startswith/endswith/contains with fieldref follow pySigma (not in the spec text).
TEST(ModifierFieldref, WithStartswithEndswithContains_M121) {
  auto sw = Compile("CommandLine|fieldref|startswith", {S("Image")});
  auto ew = Compile("Image|fieldref|endswith", {S("OriginalFileName")});
  auto co = Compile("CommandLine|fieldref|contains", {S("User")});
  Ev e;
  e.S("Image", "C:\\Tools\\PsExec.exe").S("CommandLine", "c:\\tools\\psexec.exe -s cmd");
  e.S("OriginalFileName", "psexec.exe").S("User", "PSEXEC");
  EXPECT_TRUE(Matches(sw, e));
  EXPECT_TRUE(Matches(ew, e));
  EXPECT_TRUE(Matches(co, e));
  Ev f;
  f.S("Image", "C:\\x.exe").S("CommandLine", "y.exe C:\\x.exe").S("OriginalFileName", "y.exe").S("User", "zz");
  EXPECT_FALSE(Matches(sw, f));
  EXPECT_FALSE(Matches(ew, f));
  EXPECT_FALSE(Matches(co, f));
  Ev empty;
  empty.S("CommandLine", "abc").S("User", "");  // an empty partner does not "contain"
  EXPECT_FALSE(Matches(co, empty));
}

TEST(ModifierFieldref, WithNeq_M122) {
  auto t = Compile("ParentUser|fieldref|neq", {S("User")});
  Ev diff, same, missing;
  diff.S("ParentUser", "SYSTEM").S("User", "alice");
  same.S("ParentUser", "alice").S("User", "ALICE");
  missing.S("ParentUser", "alice");
  EXPECT_TRUE(Matches(t, diff));
  EXPECT_FALSE(Matches(t, same));
  EXPECT_FALSE(Matches(t, missing));  // nothing to be different from
}

TEST(ModifierFieldref, MultiValuedAnyPair_M121) {
  auto t = Compile("A|fieldref", {S("B")});
  Ev e, f;
  e.S("A", "1").S("A", "2").S("B", "3").S("B", "2");
  f.S("A", "1").S("A", "2").S("B", "3").S("B", "4");
  EXPECT_TRUE(Matches(t, e));
  EXPECT_FALSE(Matches(t, f));
}

TEST(ModifierFieldref, ReferencedFieldIsMapped_M121) {
  CompileContext ctx;
  ctx.map_field = [](std::string_view n) { return n == "Image" ? std::string("NewProcessName") : std::string(n); };
  auto t = Compile("ParentImage|fieldref", {S("Image")}, ctx);
  Ev e, f;
  e.S("ParentImage", "x.exe").S("NewProcessName", "X.EXE");
  f.S("ParentImage", "x.exe").S("Image", "x.exe");
  EXPECT_TRUE(Matches(t, e));
  EXPECT_FALSE(Matches(t, f));
}

TEST(ModifierFieldref, Errors_M121) {
  EXPECT_NE(CompileError("A|fieldref", {S("B*")}), "");
  EXPECT_NE(CompileError("A|fieldref|windash", {S("B")}), "");
  EXPECT_NE(CompileError("A|fieldref|gt", {S("B")}), "");
  EXPECT_NE(CompileError("A|fieldref|expand", {S("B")}), "");
  EXPECT_EQ(CompileError("A|fieldref|all", {S("B"), S("C")}), "");
}

TEST(ModifierExists, TrueAndFalse_M40_R552) {
  auto yes = Compile("PasswordLastSet|exists", {B(true)});
  auto no = Compile("PasswordLastSet|exists", {B(false)});
  Ev present, null_val, empty, missing;
  present.S("PasswordLastSet", "2024-01-01");
  null_val.V("PasswordLastSet", Value::Null());
  empty.S("PasswordLastSet", "");
  missing.S("Other", "x");
  EXPECT_TRUE(Matches(yes, present));
  EXPECT_TRUE(Matches(yes, null_val));  // presence only, "be it empty or null" (M 40)
  EXPECT_TRUE(Matches(yes, empty));
  EXPECT_FALSE(Matches(yes, missing));
  EXPECT_FALSE(Matches(no, present));
  EXPECT_FALSE(Matches(no, null_val));
  EXPECT_FALSE(Matches(no, empty));
  EXPECT_TRUE(Matches(no, missing));
}

TEST(ModifierExists, ValueMustBeOneBoolean_M40) {
  std::string e = CompileError("F|exists", {S("true")});
  EXPECT_NE(e.find("true or false"), std::string::npos) << e;
  EXPECT_NE(CompileError("F|exists", {I(1)}), "");
  EXPECT_NE(CompileError("F|exists", {B(true), B(false)}), "");
  EXPECT_NE(CompileError("F|exists|contains", {B(true)}), "");
  EXPECT_NE(CompileError("F|exists|all", {B(true), B(true)}), "");
  EXPECT_TRUE(Compile("F|exists", {B(true)})->required_literals().empty());
}

}  // namespace
}  // namespace inari::sigma::testing
