// Generic and string modifiers: contains, startswith, endswith, all, cased,
// neq (on strings), windash, expand. M = sigma-appendix-modifiers.md,
// R = sigma-rules-specification.md (line numbers).
#include <gtest/gtest.h>

#include <map>

#include "field_test_util.h"

namespace inari::sigma::testing {
namespace {

TEST(ModifierContains, AnywhereInTheValue_M37) {
  auto t = Compile("CommandLine|contains", {S("-EncodedCommand")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "powershell.exe -encodedcommand AAAA"));
  EXPECT_TRUE(MatchStr(t, "CommandLine", "-EncodedCommand"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell.exe -enc AAAA"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "-Encoded Command"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "x -EncodedComman"));  // cut at the end
}

TEST(ModifierContains, LongHaystackAndRepeats_M37) {
  auto t = Compile("X|contains", {S("abcab")});
  std::string hay(5000, 'a');
  EXPECT_FALSE(MatchStr(t, "X", hay));
  EXPECT_TRUE(MatchStr(t, "X", hay + "ABCAB" + hay));
  EXPECT_TRUE(MatchStr(t, "X", "abcabcab"));
  EXPECT_FALSE(MatchStr(t, "X", "abcacab"));
}

TEST(ModifierContains, ShortNeedlesAndWildcardsInside_M37) {
  auto t = Compile("X|contains", {S("ab")});
  EXPECT_TRUE(MatchStr(t, "X", "xxAbxx"));
  EXPECT_FALSE(MatchStr(t, "X", "a b"));
  auto g = Compile("X|contains", {S("cmd*/c")});
  EXPECT_TRUE(MatchStr(g, "X", "x cmd.exe /c whoami"));
  EXPECT_FALSE(MatchStr(g, "X", "x /c cmd.exe"));
  auto already = Compile("X|contains", {S("*abc*")});  // no doubled wildcards
  EXPECT_TRUE(MatchStr(already, "X", "zabcz"));
  EXPECT_FALSE(MatchStr(already, "X", "zabz"));
}

// The substring search looks at sixteen starts at a time (first and last
// byte of the needle in either case); a naive search over random texts must
// agree at every length, alignment and case, also for the bytes next to the
// letters in ASCII ('@' '[' '`' '{'), which must not be taken for letters.
TEST(ModifierContains, AgreesWithANaiveSearch_M37) {
  const std::string alphabet = "aAbBzZ@[`{-0 ";
  uint64_t seed = 88172645463325252ULL;
  auto next = [&seed] {
    seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
    return seed;
  };
  auto lower = [](std::string s) {
    for (char& c : s) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    return s;
  };
  int matches = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string needle, text;
    const size_t m = 1 + next() % 6, n = next() % 70;
    for (size_t i = 0; i < m; ++i) needle += alphabet[next() % alphabet.size()];
    for (size_t i = 0; i < n; ++i) text += alphabet[next() % alphabet.size()];
    if (next() % 3 == 0 && n >= m) text.replace(next() % (n - m + 1), m, needle);  // plant it
    const bool cased = next() % 4 == 0;
    auto t = Compile(cased ? "X|contains|cased" : "X|contains", {S(needle)});
    ASSERT_TRUE(t);
    const bool want = cased ? text.find(needle) != std::string::npos
                            : lower(text).find(lower(needle)) != std::string::npos;
    matches += want;
    ASSERT_EQ(MatchStr(t, "X", text), want) << "needle '" << needle << "' text '" << text << "' cased " << cased;
  }
  EXPECT_GT(matches, 1000);  // both outcomes are exercised
  EXPECT_LT(matches, 3000);
}

TEST(ModifierContains, EmptyValueMatchesAnyPresentValue_M37) {
  auto t = Compile("X|contains", {S("")});
  EXPECT_TRUE(MatchStr(t, "X", ""));
  EXPECT_TRUE(MatchStr(t, "X", "anything"));
  EXPECT_FALSE(MatchStr(t, "Y", "anything"));
}

TEST(ModifierStartswith, Prefix_M33) {
  auto t = Compile("User|startswith", {S("adm")});
  EXPECT_TRUE(MatchStr(t, "User", "Administrator"));
  EXPECT_TRUE(MatchStr(t, "User", "adm"));
  EXPECT_FALSE(MatchStr(t, "User", "xadm"));
  EXPECT_FALSE(MatchStr(t, "User", "ad"));
  auto q = Compile("User|startswith", {S("a?m")});
  EXPECT_TRUE(MatchStr(q, "User", "aDministrator"));
  EXPECT_FALSE(MatchStr(q, "User", "amx"));
}

TEST(ModifierEndswith, Suffix_M35) {
  auto t = Compile("Image|endswith", {S("\\cmd.exe")});
  EXPECT_TRUE(MatchStr(t, "Image", "C:\\Windows\\System32\\CMD.EXE"));
  EXPECT_TRUE(MatchStr(t, "Image", "\\cmd.exe"));
  EXPECT_FALSE(MatchStr(t, "Image", "C:\\Windows\\System32\\xcmd.exe"));
  EXPECT_FALSE(MatchStr(t, "Image", "C:\\cmd.exe.bak"));
  auto lit = Compile("Image|endswith", {S("\\?.exe")});  // \? : a plain `?` (R 392)
  EXPECT_TRUE(MatchStr(lit, "Image", "C:\\a?.exe"));
  EXPECT_FALSE(MatchStr(lit, "Image", "C:\\a\\b.exe"));
  auto q = Compile("Image|endswith", {S("\\\\?.exe")});  // \\? : a backslash, then any character (R 393)
  EXPECT_TRUE(MatchStr(q, "Image", "C:\\a\\b.exe"));
  EXPECT_TRUE(MatchStr(q, "Image", "C:\\a\\é.exe"));
  EXPECT_FALSE(MatchStr(q, "Image", "C:\\a\\bb.exe"));
  EXPECT_FALSE(MatchStr(q, "Image", "\\.exe"));
}

TEST(ModifierAll, EveryValueMustMatch_M26) {
  auto t = Compile("CommandLine|contains|all", {S("-nop"), S("-w hidden"), S("-enc")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "powershell -enc AAA -w hidden -nop"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell -enc AAA -w hidden"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell"));
  auto order = Compile("CommandLine|all|contains", {S("a1"), S("b2")});  // position-free
  EXPECT_TRUE(MatchStr(order, "CommandLine", "b2 a1"));
  EXPECT_FALSE(MatchStr(order, "CommandLine", "b2 a2"));
}

TEST(ModifierAll, SingleValueIsAnError_M30) {
  std::string e = CompileError("CommandLine|contains|all", {S("x")});
  EXPECT_NE(e.find("M line 30"), std::string::npos) << e;
  EXPECT_EQ(CompileError("CommandLine|contains|all", {S("x"), S("y")}), "");
}

TEST(ModifierAll, WithExpandingValuesEachValueKeepsItsOr_M26_M50) {
  // windash makes each value an OR of variants; `all` ANDs the values.
  auto t = Compile("CommandLine|windash|contains|all", {S("-a"), S("-b")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "x /a /b"));
  EXPECT_TRUE(MatchStr(t, "CommandLine", "x -a \xE2\x80\x93" "b"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "x /a"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "x +a +b"));
}

TEST(ModifierCased, WithWrapsAndWildcards_M42) {
  auto t = Compile("CommandLine|contains|cased", {S("IEX(")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "x IEX(y"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "x iex(y"));
  auto g = Compile("X|cased", {S("A*b?C")});
  EXPECT_TRUE(MatchStr(g, "X", "AzzbzC"));
  EXPECT_FALSE(MatchStr(g, "X", "azzbzc"));
  EXPECT_FALSE(MatchStr(g, "X", "AzzBzC"));
}

TEST(ModifierNeq, StringNotEqual_M44) {
  auto t = Compile("User|neq", {S("SYSTEM")});
  EXPECT_TRUE(MatchStr(t, "User", "alice"));
  EXPECT_FALSE(MatchStr(t, "User", "system"));   // case-insensitive like equality
  EXPECT_FALSE(MatchStr(t, "Other", "alice"));   // a missing field is not "different"
  auto list = Compile("User|neq", {S("SYSTEM"), S("LOCAL SERVICE")});
  EXPECT_TRUE(MatchStr(list, "User", "alice"));
  EXPECT_FALSE(MatchStr(list, "User", "local service"));  // none of the values
}

TEST(ModifierNeq, MultiValuedFieldMeansNoValueEquals_M44) {
  auto t = Compile("Data|neq", {S("x")});
  Ev a, b;
  a.S("Data", "y").S("Data", "z");
  b.S("Data", "y").S("Data", "X");
  EXPECT_TRUE(Matches(t, a));
  EXPECT_FALSE(Matches(t, b));
}

TEST(ModifierNeq, WithContainsNegatesTheWholeTest_M44) {
  auto t = Compile("CommandLine|contains|neq", {S("safe")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "evil"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "so SAFE"));
  auto all = Compile("X|contains|all|neq", {S("a"), S("b")});  // not (a and b)
  EXPECT_TRUE(MatchStr(all, "X", "a only"));
  EXPECT_FALSE(MatchStr(all, "X", "a and b"));
}

// ---- windash (M line 50) ---------------------------------------------------------

TEST(ModifierWindash, DashAndSlashInterchange_M50) {
  auto t = Compile("CommandLine|windash|contains", {S(" -exec bypass")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "powershell -exec bypass"));
  EXPECT_TRUE(MatchStr(t, "CommandLine", "powershell /exec bypass"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell exec bypass"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell \\exec bypass"));
}

TEST(ModifierWindash, UnicodeDashesInUtf8_M50) {
  auto t = Compile("CommandLine|windash|contains", {S(" -exec bypass")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "powershell \xE2\x80\x93" "exec bypass"));  // – en dash
  EXPECT_TRUE(MatchStr(t, "CommandLine", "powershell \xE2\x80\x94" "exec bypass"));  // — em dash
  EXPECT_TRUE(MatchStr(t, "CommandLine", "powershell \xE2\x80\x95" "exec bypass"));  // ― horizontal bar
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell \xE2\x80\x92" "exec bypass"));  // ‒ figure dash
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell \xE2\x88\x92" "exec bypass"));  // − minus sign
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell \xE2\x80" "exec bypass"));      // truncated
}

TEST(ModifierWindash, EveryDashInTheValueAndDashesInTheRule_M50) {
  // All five characters in the rule are interchangeable too, at every position.
  auto t = Compile("CommandLine|windash", {S("certutil \xE2\x80\x94urlcache /f")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "certutil -urlcache -f"));
  EXPECT_TRUE(MatchStr(t, "CommandLine", "certutil /urlcache \xE2\x80\x95" "f"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "certutil urlcache f"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "certutil -urlcache -f x"));  // still whole value
}

TEST(ModifierWindash, WithWildcardsAndStartswith_M50) {
  auto t = Compile("CommandLine|windash|startswith", {S("net user * -add")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "net user bob /add /domain"));
  EXPECT_TRUE(MatchStr(t, "CommandLine", "NET USER bob -ADD"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "net user bob add"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "x net user bob /add"));
}

TEST(ModifierWindash, ManyDashesDoNotExplode_M50) {
  // 12 dashes would be 5^12 permutations; the class form stays one pattern.
  auto t = Compile("X|windash|contains", {S("-a -b -c -d -e -f -g -h -i -j -k -l")});
  EXPECT_TRUE(MatchStr(t, "X", "/a -b /c -d /e -f /g -h /i -j /k -l"));
  EXPECT_FALSE(MatchStr(t, "X", "/a -b /c -d /e -f /g -h /i -j /k +l"));
}

// ---- expand (R 580-597, M 115-119) ---------------------------------------------------

TEST(ModifierExpand, PlaceholderValuesAreOred_R584) {
  std::map<std::string, std::vector<std::string>> ph = {{"Servers", {"srv*", "dc01"}}};
  CompileContext ctx;
  ctx.placeholders = &ph;
  auto t = Compile("Computer|expand", {S("%Servers%")}, ctx);
  EXPECT_TRUE(MatchStr(t, "Computer", "SRV-web1"));
  EXPECT_TRUE(MatchStr(t, "Computer", "dc01"));
  EXPECT_FALSE(MatchStr(t, "Computer", "dc02"));
  EXPECT_FALSE(MatchStr(t, "Computer", "web-srv"));
}

TEST(ModifierExpand, PlaceholderInsideAValueAndCombinations_R595) {
  std::map<std::string, std::vector<std::string>> ph = {{"a", {"x", "y"}}, {"b", {"1", "2"}}};
  CompileContext ctx;
  ctx.placeholders = &ph;
  auto t = Compile("F|expand", {S("pre-%a%-%b%-post")}, ctx);
  for (auto ok : {"pre-x-1-post", "pre-x-2-post", "pre-y-1-post", "PRE-Y-2-POST"})
    EXPECT_TRUE(MatchStr(t, "F", ok)) << ok;
  EXPECT_FALSE(MatchStr(t, "F", "pre-x-3-post"));
  EXPECT_FALSE(MatchStr(t, "F", "pre-xy-1-post"));  // one value per placeholder
  EXPECT_FALSE(MatchStr(t, "F", "pre-x-1-post-x"));  // still the whole value
  EXPECT_FALSE(MatchStr(t, "F", "pre-%a%-%b%-post"));
}

TEST(ModifierExpand, EscapedPercentIsPlain_R595) {
  std::map<std::string, std::vector<std::string>> ph = {{"name", {"v"}}, {"plain", {"NO"}}};
  CompileContext ctx;
  ctx.placeholders = &ph;
  auto t = Compile("F|expand", {S("\\%plain%name%")}, ctx);
  EXPECT_TRUE(MatchStr(t, "F", "%plainv"));
  EXPECT_FALSE(MatchStr(t, "F", "NOname%"));
  EXPECT_FALSE(MatchStr(t, "F", "\\%plainv"));
}

TEST(ModifierExpand, WithoutExpandPercentIsLiteral_R593) {
  auto t = Compile("F", {S("%name%")});
  EXPECT_TRUE(MatchStr(t, "F", "%NAME%"));
  EXPECT_FALSE(MatchStr(t, "F", "v"));
}

TEST(ModifierExpand, ChainsWithContains_R594) {
  std::map<std::string, std::vector<std::string>> ph = {{"Admins", {"adm_*", "root"}}};
  CompileContext ctx;
  ctx.placeholders = &ph;
  auto t = Compile("User|expand|contains", {S("%Admins%")}, ctx);
  EXPECT_TRUE(MatchStr(t, "User", "CORP\\adm_bob"));
  EXPECT_TRUE(MatchStr(t, "User", "xrootx"));
  EXPECT_FALSE(MatchStr(t, "User", "CORP\\bob"));
  EXPECT_FALSE(MatchStr(t, "User", "adm"));
}

TEST(ModifierExpand, MissingPlaceholderIsAnError_R597) {
  std::map<std::string, std::vector<std::string>> ph = {{"Servers", {"srv*"}}};
  CompileContext ctx;
  ctx.placeholders = &ph;
  std::string e = CompileError("Computer|expand", {S("%Workstations%")}, ctx);
  EXPECT_NE(e.find("%Workstations%"), std::string::npos) << e;
  EXPECT_NE(CompileError("Computer|expand", {S("%Servers%")}), "");  // no placeholders at all
  EXPECT_EQ(CompileError("Computer|expand", {S("%Servers%")}, ctx), "");
}

}  // namespace
}  // namespace inari::sigma::testing
