// `re` and its sub-modifiers i, m, s (M = sigma-appendix-modifiers.md lines
// 52-69; R = sigma-rules-specification.md line 363), matched with RE2.
#include <gtest/gtest.h>

#include <chrono>

#include "field_test_util.h"

namespace inari::sigma::testing {
namespace {

TEST(ModifierRe, SearchesAndIsCaseSensitive_M54_R363) {
  auto t = Compile("CommandLine|re", {S("-[eE]nc(odedCommand)? [A-Za-z0-9+/=]{20,}")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "powershell -enc SQBFAFgAIAAoAE4AZQB3AC0A"));
  EXPECT_TRUE(MatchStr(t, "CommandLine", "x -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0A y"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell -ENC SQBFAFgAIAAoAE4AZQB3AC0A"));  // case-sensitive
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell -enc SQBFAFgA"));
}

TEST(ModifierRe, AnchorsAndMetacharacters_M56) {
  auto t = Compile("Image|re", {S("\\\\(cmd|powershell)\\.exe$")});
  EXPECT_TRUE(MatchStr(t, "Image", "C:\\Windows\\System32\\cmd.exe"));
  EXPECT_TRUE(MatchStr(t, "Image", "C:\\x\\powershell.exe"));
  EXPECT_FALSE(MatchStr(t, "Image", "C:\\x\\cmd.exe.bak"));
  EXPECT_FALSE(MatchStr(t, "Image", "C:\\x\\cmdXexe"));
  auto cls = Compile("X|re", {S("^[^a-z]{2,3}$")});
  EXPECT_TRUE(MatchStr(cls, "X", "AB1"));
  EXPECT_FALSE(MatchStr(cls, "X", "ABCD"));
  EXPECT_FALSE(MatchStr(cls, "X", "Ab"));
}

TEST(ModifierRe, FlagI_M67) {
  auto t = Compile("CommandLine|re|i", {S("invoke-(mimikatz|kerberoast)")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "IEX; Invoke-Mimikatz -DumpCreds"));
  EXPECT_TRUE(MatchStr(t, "CommandLine", "INVOKE-KERBEROAST"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "Invoke-Mimi"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "Invoke Mimikatz"));
  auto long_name = Compile("CommandLine|re|ignorecase", {S("abc")});
  EXPECT_TRUE(MatchStr(long_name, "CommandLine", "ABC"));
  EXPECT_FALSE(MatchStr(long_name, "CommandLine", "AB C"));
}

TEST(ModifierRe, FlagM_M68) {
  auto t = Compile("ScriptBlockText|re|m", {S("^Invoke-Expression$")});
  auto plain = Compile("ScriptBlockText|re", {S("^Invoke-Expression$")});
  const char* text = "$a = 1\nInvoke-Expression\n$b = 2";
  EXPECT_TRUE(MatchStr(t, "ScriptBlockText", text));
  EXPECT_FALSE(MatchStr(plain, "ScriptBlockText", text));
  EXPECT_FALSE(MatchStr(t, "ScriptBlockText", "$a = 1\nInvoke-Expression $b\n"));
}

TEST(ModifierRe, FlagS_M69) {
  auto t = Compile("ScriptBlockText|re|s", {S("begin.*end")});
  auto plain = Compile("ScriptBlockText|re", {S("begin.*end")});
  EXPECT_TRUE(MatchStr(t, "ScriptBlockText", "begin\nmiddle\nend"));
  EXPECT_FALSE(MatchStr(plain, "ScriptBlockText", "begin\nmiddle\nend"));
  EXPECT_TRUE(MatchStr(plain, "ScriptBlockText", "begin middle end"));
  EXPECT_FALSE(MatchStr(t, "ScriptBlockText", "begin\nmiddle\nEND"));
}

TEST(ModifierRe, CombinedFlags_M65) {
  auto t = Compile("X|re|i|m|s", {S("^a.b$")});
  EXPECT_TRUE(MatchStr(t, "X", "zz\nA\nB\nzz"));
  EXPECT_FALSE(MatchStr(t, "X", "zz\nA\n\nB\nzz"));
}

TEST(ModifierRe, CatastrophicLookingPatternStaysLinear_M56) {
  // (a+)+$ backtracks exponentially in PCRE; RE2 is linear.
  auto t = Compile("X|re", {S("(a+)+$")});
  auto u = Compile("X|re", {S("^(a|aa)+b$")});
  std::string text(100000, 'a');
  text += '!';
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(MatchStr(u, "X", text));
  EXPECT_TRUE(MatchStr(t, "X", text.substr(0, text.size() - 1)));
  EXPECT_FALSE(MatchStr(t, "X", text));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(ModifierRe, InvalidAndUnsupportedRegexesNameTheRegex_M63) {
  std::string e = CompileError("X|re", {S("a(b")});
  EXPECT_NE(e.find("'a(b'"), std::string::npos) << e;
  EXPECT_NE(CompileError("X|re", {S("(a)\\1")}), "");     // back-reference
  EXPECT_NE(CompileError("X|re", {S("a(?=b)")}), "");     // look-ahead
  EXPECT_NE(CompileError("X|re", {S(std::string(40000, 'a'))}), "");  // length bound
  EXPECT_NE(CompileError("X|re", {S("((a{1,1000}){1,1000}){1,1000}")}), "");  // memory bound
}

TEST(ModifierRe, OrderAndCombinations_M65) {
  EXPECT_NE(CompileError("X|base64|re", {S("a")}), "");
  EXPECT_NE(CompileError("X|re|windash", {S("a")}), "");
  EXPECT_NE(CompileError("X|expand|re", {S("a")}), "");
  EXPECT_NE(CompileError("X|s", {S("a")}), "");
  EXPECT_EQ(CompileError("X|re|all", {S("a"), S("b")}), "");
  EXPECT_EQ(CompileError("X|re|neq", {S("a")}), "");
}

TEST(ModifierRe, ListOrAllAndNeq_M26_M44) {
  auto any = Compile("X|re", {S("^a"), S("b$")});
  EXPECT_TRUE(MatchStr(any, "X", "axx"));
  EXPECT_TRUE(MatchStr(any, "X", "xxb"));
  EXPECT_FALSE(MatchStr(any, "X", "xax"));
  auto all = Compile("X|re|all", {S("^a"), S("b$")});
  EXPECT_TRUE(MatchStr(all, "X", "axb"));
  EXPECT_FALSE(MatchStr(all, "X", "axx"));
  auto neq = Compile("X|re|neq", {S("^a")});
  EXPECT_TRUE(MatchStr(neq, "X", "ba"));
  EXPECT_FALSE(MatchStr(neq, "X", "ab"));
}

TEST(ModifierRe, NonStringValuesUseCanonicalText_M54) {
  auto t = Compile("EventID|re", {S("^46[0-9]{2}$")});
  Ev a, b;
  a.V("EventID", Value::UInt(4688));
  b.V("EventID", Value::UInt(5688));
  EXPECT_TRUE(Matches(t, a));
  EXPECT_FALSE(Matches(t, b));
}

}  // namespace
}  // namespace inari::sigma::testing
