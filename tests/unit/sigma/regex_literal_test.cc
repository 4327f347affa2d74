// The prefilter literal taken from `re` values (field_test.cc,
// RegexRequiredLiteral): it must be a necessary condition — every string the
// regex matches contains it — or absent.
#include <gtest/gtest.h>

#include "sigma/field_test.h"

namespace inari::sigma {
namespace {

std::vector<std::string> Literals(const std::string& regex, std::vector<std::string> mods = {"re"}) {
  FieldTestSpec spec;
  spec.field = "CommandLine";
  spec.modifiers = std::move(mods);
  spec.values.push_back(SigmaValue::String(regex));
  auto t = FieldTest::Compile(spec, {});
  EXPECT_TRUE(t.has_value()) << regex;
  return t.has_value() ? t.value()->required_literals() : std::vector<std::string>{};
}

TEST(RegexLiteral, TakesTheLongestTopLevelRun) {
  EXPECT_EQ(Literals(R"(\\rundll32\.exe.*,#\d+)"), std::vector<std::string>{"\\rundll32.exe"});
  EXPECT_EQ(Literals("powershell.*-enc"), std::vector<std::string>{"powershell"});
}

TEST(RegexLiteral, OptionalAndRepeatedAtomsEndRuns) {
  // "colou?r": the 'u' may be absent, so "colour" is not required; "colo" is.
  EXPECT_EQ(Literals("colou?r"), std::vector<std::string>{"colo"});
  EXPECT_EQ(Literals("abcd{0,2}efg"), std::vector<std::string>{"abc"});  // "efg" is as long; the first wins
  EXPECT_EQ(Literals("abx*yz"), std::vector<std::string>{});  // "ab" and "yz" are too short
}

TEST(RegexLiteral, AlternationAndGroupsGiveNothingUnsafe) {
  EXPECT_TRUE(Literals("mimikatz|rubeus").empty());
  EXPECT_EQ(Literals("(mimi|rube)katzdump"), std::vector<std::string>{"katzdump"});
  EXPECT_TRUE(Literals("[abc]+").empty());
  EXPECT_EQ(Literals("[a-z]+certutil"), std::vector<std::string>{"certutil"});
}

TEST(RegexLiteral, CaselessDropsLettersWithNonAsciiFoldPartners) {
  // In case-insensitive RE2, 's' also matches U+017F and 'k' U+212A, which an
  // ASCII prefilter would not see: runs end there.
  EXPECT_EQ(Literals("(?i)svchost\\.exe"), std::vector<std::string>{"t.exe"});
  EXPECT_EQ(Literals("invoke-webrequest", {"re", "i"}), std::vector<std::string>{"e-webreque"});
  // Case-sensitive: the run is kept whole, as written (the prefilter is caseless: a superset).
  EXPECT_EQ(Literals("Invoke-WebRequest"), std::vector<std::string>{"Invoke-WebRequest"});
}

TEST(RegexLiteral, LiteralIsNecessaryOnSamples) {
  const char* regexes[] = {R"(\\rundll32\.exe.*,#\d+)", "colou?r", "(mimi|rube)katzdump", "(?i)svchost\\.exe",
                           "abcd{0,2}efg", "[a-z]+certutil"};
  const char* samples[] = {"C:\\Windows\\rundll32.exe foo.dll,#12", "color", "colour", "rubekatzdump",
                           "SVCHOST.EXE", "abcefg", "abcddefg", "xcertutil -f"};
  for (const char* re : regexes) {
    FieldTestSpec spec;
    spec.field = "CommandLine";
    spec.modifiers = {"re"};
    spec.values.push_back(SigmaValue::String(re));
    auto t = FieldTest::Compile(spec, {});
    ASSERT_TRUE(t.has_value());
    for (const char* text : samples) {
      EventBatch b;
      b.BeginEvent();
      b.AddString(InternField("CommandLine"), text);
      b.EndEvent(0, 0, {});
      MatchScratch ms;
      if (!t.value()->Match(b[0], &ms)) continue;
      std::string lower(text);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (const std::string& lit : t.value()->required_literals())
        EXPECT_NE(lower.find(lit), std::string::npos) << re << " matched '" << text << "' without '" << lit << "'";
    }
  }
}

}  // namespace
}  // namespace inari::sigma

namespace inari::sigma {
namespace {

bool ReMatches(const std::string& regex, const std::string& text, std::vector<std::string> mods = {"re"}) {
  FieldTestSpec spec;
  spec.field = "CommandLine";
  spec.modifiers = std::move(mods);
  spec.values.push_back(SigmaValue::String(regex));
  auto t = FieldTest::Compile(spec, {});
  EXPECT_TRUE(t.has_value()) << regex;
  EventBatch b;
  b.BeginEvent();
  b.AddString(InternField("CommandLine"), b.CopyString(text));
  b.EndEvent(0, 0, {});
  MatchScratch ms;
  return t.value()->Match(b[0], &ms);
}

// `.{N,}` is counted, not run through RE2: same answers as RE2 would give.
TEST(RegexLongRun, CountsCharactersPerLine) {
  EXPECT_TRUE(ReMatches(".{10,}", std::string(10, 'a')));
  EXPECT_FALSE(ReMatches(".{10,}", std::string(9, 'a')));
  EXPECT_FALSE(ReMatches(".{10,}", std::string(6, 'a') + "\n" + std::string(6, 'a')));  // '.' stops at newlines
  EXPECT_TRUE(ReMatches(".{10,}", std::string(6, 'a') + "\n" + std::string(6, 'a'), {"re", "s"}));
  EXPECT_TRUE(ReMatches(".{10,20}", std::string(30, 'a')));  // unanchored: a 20-char substring exists
  std::string e_acute;
  for (int i = 0; i < 9; ++i) e_acute += "\xC3\xA9";  // 9 characters, 18 bytes
  EXPECT_FALSE(ReMatches(".{10,}", e_acute));
  EXPECT_TRUE(ReMatches(".{9,}", e_acute));
  EXPECT_TRUE(ReMatches(".{1000,}", std::string(5000, 'x')));
}

}  // namespace
}  // namespace inari::sigma
