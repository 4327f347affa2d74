// FieldTest: plain values, wildcards, escaping, case, lists, multi-valued
// fields, null/empty/missing, the type policy, keywords, field mapping,
// required_literals() and event_ids(). Modifiers: modifier_*_test.cc.
// Citations: R = sigma-rules-specification.md, M = sigma-appendix-modifiers.md.
#include <gtest/gtest.h>

#include <chrono>

#include "field_test_util.h"
#include "sigma/wildcard.h"

namespace inari::sigma::testing {
namespace {

// ---- plain strings: whole value, case-insensitive (R 361) -----------------

TEST(FieldTestPlain, WholeValueCaseInsensitive_R361) {
  auto t = Compile("Image", {S("C:\\Windows\\System32\\cmd.exe")});
  EXPECT_TRUE(MatchStr(t, "Image", "C:\\Windows\\System32\\cmd.exe"));
  EXPECT_TRUE(MatchStr(t, "Image", "c:\\windows\\system32\\CMD.EXE"));
  EXPECT_FALSE(MatchStr(t, "Image", "C:\\Windows\\System32\\cmd.exe "));  // whole value
  EXPECT_FALSE(MatchStr(t, "Image", "D:\\C:\\Windows\\System32\\cmd.exe"));
  EXPECT_FALSE(MatchStr(t, "Other", "C:\\Windows\\System32\\cmd.exe"));  // other field
}

TEST(FieldTestPlain, ListIsOr_R401_R430) {
  auto t = Compile("User", {S("alice"), S("bob")});
  EXPECT_TRUE(MatchStr(t, "User", "alice"));
  EXPECT_TRUE(MatchStr(t, "User", "BOB"));
  EXPECT_FALSE(MatchStr(t, "User", "carol"));
  EXPECT_FALSE(MatchStr(t, "User", "alicebob"));
}

TEST(FieldTestPlain, NonAsciiLettersFoldToo_R361) {
  // Latin-1, Latin Extended-A, Greek and Cyrillic capitals fold (docs/sigma.md).
  auto t = Compile("Path", {S("C:\\Users\\JÖRG\\ÆØÅ\\ŁÓDŹ\\ΣΩ\\ПРИВЕТ")});
  EXPECT_TRUE(MatchStr(t, "Path", "c:\\users\\jörg\\æøå\\łódź\\σω\\привет"));
  EXPECT_TRUE(MatchStr(t, "Path", "C:\\USERS\\JÖRG\\ÆØÅ\\ŁÓDŹ\\ΣΩ\\ПРИВЕТ"));
  EXPECT_FALSE(MatchStr(t, "Path", "c:\\users\\jorg\\æøå\\łódź\\σω\\привет"));  // ö is not o
  EXPECT_FALSE(MatchStr(t, "Path", "c:\\users\\jörg\\æøå\\łódź\\σω\\пока"));
}

TEST(FieldTestPlain, UnfoldedScriptsCompareExactly) {
  // Armenian capitals (3 other scripts) are not folded: documented limit.
  auto t = Compile("X", {S("Ա")});
  EXPECT_TRUE(MatchStr(t, "X", "Ա"));
  EXPECT_FALSE(MatchStr(t, "X", "ա"));
}

TEST(FieldTestPlain, CasedIsCaseSensitive_M42) {
  auto t = Compile("Image|cased", {S("Cmd.exe")});
  EXPECT_TRUE(MatchStr(t, "Image", "Cmd.exe"));
  EXPECT_FALSE(MatchStr(t, "Image", "cmd.exe"));
  EXPECT_FALSE(MatchStr(t, "Image", "CMD.EXE"));
  auto u = Compile("P|cased", {S("JÖRG")});
  EXPECT_TRUE(MatchStr(u, "P", "JÖRG"));
  EXPECT_FALSE(MatchStr(u, "P", "jörg"));
}

// ---- wildcards (R 366-383) --------------------------------------------------

TEST(FieldTestWildcard, QuestionMarkIsOneCharacter_R371) {
  auto t = Compile("Image", {S("prog?.exe")});
  EXPECT_TRUE(MatchStr(t, "Image", "progA.exe"));
  EXPECT_TRUE(MatchStr(t, "Image", "progb.EXE"));
  EXPECT_TRUE(MatchStr(t, "Image", "progé.exe"));  // one UTF-8 character, two bytes
  EXPECT_TRUE(MatchStr(t, "Image", "prog€.exe"));  // three bytes
  EXPECT_FALSE(MatchStr(t, "Image", "prog.exe"));  // `?` is mandatory
  EXPECT_FALSE(MatchStr(t, "Image", "progAB.exe"));
  EXPECT_FALSE(MatchStr(t, "Image", "progé€.exe"));
  EXPECT_FALSE(MatchStr(t, "Image", "xprogA.exe"));  // no implicit leading `*`
}

TEST(FieldTestWildcard, StarIsAnySequence_R372) {
  auto t = Compile("Image", {S("antivirus_V*.exe")});
  EXPECT_TRUE(MatchStr(t, "Image", "antivirus_V1.exe"));
  EXPECT_TRUE(MatchStr(t, "Image", "antivirus_V21.2.1.exe"));
  EXPECT_TRUE(MatchStr(t, "Image", "antivirus_V.exe"));  // empty sequence
  EXPECT_FALSE(MatchStr(t, "Image", "antivirus_V1.exe.bak"));
  EXPECT_FALSE(MatchStr(t, "Image", "xantivirus_V1.exe"));
  EXPECT_FALSE(MatchStr(t, "Image", "antivirus_1.exe"));
}

TEST(FieldTestWildcard, GeneralGlobSegments_R362) {
  auto t = Compile("CommandLine", {S("*a?c*def*g")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "xxabcYYdefzzg"));
  EXPECT_TRUE(MatchStr(t, "CommandLine", "aXcdefg"));
  EXPECT_TRUE(MatchStr(t, "CommandLine", "abcabcdefdefgg"));  // greedy leftmost still ends right
  EXPECT_FALSE(MatchStr(t, "CommandLine", "abcdefgx"));      // must end with g
  EXPECT_FALSE(MatchStr(t, "CommandLine", "acdefg"));        // `?` needs a character
  EXPECT_FALSE(MatchStr(t, "CommandLine", "abcdeg"));
  auto u = Compile("X", {S("a*b?")});
  EXPECT_TRUE(MatchStr(u, "X", "a__b€"));
  EXPECT_TRUE(MatchStr(u, "X", "abbb"));
  EXPECT_FALSE(MatchStr(u, "X", "a__b"));
  EXPECT_FALSE(MatchStr(u, "X", "a__b€€"));
  EXPECT_FALSE(MatchStr(u, "X", "ba__b€"));  // the value must start with `a`
  auto star = Compile("X", {S("*")});
  EXPECT_TRUE(MatchStr(star, "X", ""));
  EXPECT_TRUE(MatchStr(star, "X", "anything"));
  Ev missing;
  missing.S("Y", "v");
  EXPECT_FALSE(Matches(star, missing));  // `*` still needs the field
}

TEST(FieldTestWildcard, GlobIsLinearOnAdversarialInput_R362) {
  // Many stars against a long text that almost matches: a backtracking glob
  // would take exponential time; the segment matcher is O(n * m).
  auto t = Compile("X", {S("*a*a*a*a*a*a*a*a*a*a*a*a*b")});
  std::string text(200000, 'a');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(MatchStr(t, "X", text));
  text += 'b';
  EXPECT_TRUE(MatchStr(t, "X", text));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(FieldTestWildcard, GlobAgreesWithReferenceMatcher_R366) {
  // Randomized check of the segment matcher against a per-character dynamic
  // program, with multi-byte characters, `?`, `*`, windash classes and case.
  using wildcard::Token;
  const std::vector<std::string> alphabet = {"a", "A", "b", "-", "/", "\xE2\x80\x93", "\xC3\xA9", "\xC3\x89",
                                             "\xE2\x82\xAC"};
  auto is_dash = [](const std::string& c) {
    for (auto d : wildcard::kDashChars)
      if (c == d) return true;
    return false;
  };
  uint64_t rng = 12345;
  auto next = [&](uint64_t n) {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (rng >> 33) % n;
  };
  int matches = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    const bool cased = next(2) == 0;
    // Pattern: per-character tokens (kind, char).
    std::vector<std::pair<Token::Kind, std::string>> pat;
    size_t plen = next(7);
    for (size_t i = 0; i < plen; ++i) {
      uint64_t k = next(10);
      if (k == 0) pat.push_back({Token::Kind::kStar, ""});
      else if (k == 1) pat.push_back({Token::Kind::kOne, ""});
      else if (k == 2) pat.push_back({Token::Kind::kDash, ""});
      else pat.push_back({Token::Kind::kLiteral, alphabet[next(alphabet.size())]});
    }
    std::vector<std::string> text;
    size_t tlen = next(9);
    for (size_t i = 0; i < tlen; ++i) text.push_back(alphabet[next(alphabet.size())]);
    // Reference: dp[i][j] = pattern[i:] matches text[j:].
    auto eq = [&](const std::string& p, const std::string& c) {
      return cased ? p == c : wildcard::FoldUtf8(p) == wildcard::FoldUtf8(c);
    };
    std::vector<std::vector<char>> dp(pat.size() + 1, std::vector<char>(text.size() + 1, 0));
    dp[pat.size()][text.size()] = 1;
    for (size_t i = pat.size(); i-- > 0;) {
      for (size_t j = text.size() + 1; j-- > 0;) {
        const auto& [kind, ch] = pat[i];
        bool r = false;
        if (kind == Token::Kind::kStar) r = dp[i + 1][j] || (j < text.size() && dp[i][j + 1]);
        else if (j < text.size()) {
          bool one = kind == Token::Kind::kOne || (kind == Token::Kind::kDash && is_dash(text[j])) ||
                     (kind == Token::Kind::kLiteral && eq(ch, text[j]));
          r = one && dp[i + 1][j + 1];
        }
        dp[i][j] = r;
      }
    }
    wildcard::Tokens tokens;
    for (const auto& [kind, ch] : pat) wildcard::Append(&tokens, Token{kind, ch});
    std::string joined;
    for (const auto& c : text) joined += c;
    auto g = wildcard::GlobPattern::Compile(tokens, cased);
    std::string buf;
    const bool got = g.Match(joined, &buf);
    ASSERT_EQ(got, static_cast<bool>(dp[0][0]))
        << "pattern " << wildcard::ToDisplay(tokens) << " text " << joined << " cased " << cased;
    matches += got;
  }
  EXPECT_GT(matches, 500);  // the generator exercises both outcomes
  EXPECT_LT(matches, 19000);
}

// ---- escaping (R 385-395) ---------------------------------------------------

TEST(FieldTestEscape, EscapedWildcardsArePlain_R392) {
  auto t = Compile("X", {S("a\\*b\\?c")});
  EXPECT_TRUE(MatchStr(t, "X", "a*b?c"));
  EXPECT_FALSE(MatchStr(t, "X", "aXXbYc"));
  EXPECT_FALSE(MatchStr(t, "X", "a\\*b\\?c"));
}

TEST(FieldTestEscape, SingleBackslashIsPlain_R391) {
  auto one = Compile("X", {S("C:\\Windows\\x")});
  auto two = Compile("X", {S("C:\\\\Windows\\\\x")});
  EXPECT_TRUE(MatchStr(one, "X", "C:\\Windows\\x"));
  EXPECT_TRUE(MatchStr(two, "X", "C:\\Windows\\x"));
  EXPECT_FALSE(MatchStr(one, "X", "C:\\\\Windows\\\\x"));
  EXPECT_FALSE(MatchStr(two, "X", "C:\\\\Windows\\\\x"));
}

TEST(FieldTestEscape, EscapedBackslashThenWildcard_R393) {
  auto t = Compile("X", {S("dir\\\\*")});  // \\* : a backslash, then any sequence
  EXPECT_TRUE(MatchStr(t, "X", "dir\\file.txt"));
  EXPECT_TRUE(MatchStr(t, "X", "dir\\"));
  EXPECT_FALSE(MatchStr(t, "X", "dir*"));
  EXPECT_FALSE(MatchStr(t, "X", "dirfile"));
}

TEST(FieldTestEscape, ThreeBackslashesAndStar_R394) {
  auto t = Compile("X", {S("dir\\\\\\*")});  // \\\* : a backslash and a plain star
  EXPECT_TRUE(MatchStr(t, "X", "dir\\*"));
  EXPECT_FALSE(MatchStr(t, "X", "dir\\file"));
  EXPECT_FALSE(MatchStr(t, "X", "dir\\\\*"));
}

TEST(FieldTestEscape, ThreeOrFourBackslashesAreTwo_R395) {
  auto three = Compile("X", {S("\\\\\\share")});      // \\\share
  auto four = Compile("X", {S("\\\\\\\\share")});     // \\\\share
  EXPECT_TRUE(MatchStr(three, "X", "\\\\share"));
  EXPECT_TRUE(MatchStr(four, "X", "\\\\share"));
  EXPECT_FALSE(MatchStr(three, "X", "\\share"));
  EXPECT_FALSE(MatchStr(four, "X", "\\\\\\\\share"));
}

TEST(FieldTestEscape, TrailingBackslashIsPlain_R391) {
  auto t = Compile("X", {S("C:\\Temp\\")});
  auto u = Compile("X|endswith", {S("\\")});
  EXPECT_TRUE(MatchStr(t, "X", "C:\\Temp\\"));
  EXPECT_TRUE(MatchStr(u, "X", "C:\\Temp\\"));
  EXPECT_FALSE(MatchStr(t, "X", "C:\\Temp"));
  EXPECT_FALSE(MatchStr(u, "X", "C:\\Temp"));
}

TEST(FieldTestEscape, ParserTokens_R387) {
  using wildcard::ParseSigmaString;
  using wildcard::ToDisplay;
  EXPECT_EQ(ToDisplay(ParseSigmaString("a\\*b")), "a\\*b");
  EXPECT_EQ(ToDisplay(ParseSigmaString("a\\\\*b")), "a\\*b");  // backslash + wildcard
  EXPECT_EQ(wildcard::JoinLiterals(ParseSigmaString("a\\\\*b")), "a\\b");
  EXPECT_EQ(wildcard::JoinLiterals(ParseSigmaString("\\x\\")), "\\x\\");
  EXPECT_EQ(ParseSigmaString("a**b").size(), 3u);  // `**` collapses
}

// ---- empty, null, missing (R 490-541) ----------------------------------------

TEST(FieldTestNull, EmptyStringMatchesEmptyValue_R494) {
  auto t = Compile("FieldB", {S("")});
  Ev empty_str, null_val, missing, full;
  empty_str.S("FieldB", "");
  null_val.V("FieldB", Value::Null());  // <Data Name="FieldB"/>
  missing.S("FieldA", "x");
  full.S("FieldB", "x");
  EXPECT_TRUE(Matches(t, empty_str));
  EXPECT_TRUE(Matches(t, null_val));
  EXPECT_FALSE(Matches(t, missing));
  EXPECT_FALSE(Matches(t, full));
}

TEST(FieldTestNull, NullMatchesMissingOrEmpty_R495_R511) {
  auto t = Compile("PasswordLastSet", {N()});
  Ev missing, null_val, empty_str, full, dash, space;
  missing.S("Other", "x");
  null_val.V("PasswordLastSet", Value::Null());
  empty_str.S("PasswordLastSet", "");
  full.S("PasswordLastSet", "2024-01-01");
  dash.S("PasswordLastSet", "-");
  space.S("PasswordLastSet", " ");
  EXPECT_TRUE(Matches(t, missing));
  EXPECT_TRUE(Matches(t, null_val));
  EXPECT_TRUE(Matches(t, empty_str));
  EXPECT_FALSE(Matches(t, full));
  EXPECT_FALSE(Matches(t, dash));
  EXPECT_FALSE(Matches(t, space));  // a blank is a value
  EXPECT_TRUE(t->required_literals().empty());
}

TEST(FieldTestNull, NullInAListIsAnError_R515_R530) {
  EXPECT_NE(CompileError("FieldB", {S(""), N()}), "");
  EXPECT_NE(CompileError("FieldB|contains", {N()}), "");
  EXPECT_NE(CompileError("", {N()}), "");
  EXPECT_EQ(CompileError("FieldB", {N()}), "");
}

TEST(FieldTestNull, MissingFieldNeverMatchesAValue_R490) {
  for (auto key : {"F", "F|contains", "F|startswith", "F|endswith", "F|re", "F|cased"}) {
    auto t = Compile(key, {S(".*")});
    Ev e;
    e.S("G", ".*");
    EXPECT_FALSE(Matches(t, e)) << key;
    Ev f;
    f.S("F", ".*");
    EXPECT_TRUE(Matches(t, f)) << key;
  }
}

// ---- multi-valued fields (event-model.md) -------------------------------------

TEST(FieldTestMultiValue, AnyValueMatches) {
  auto t = Compile("Data", {S("needle")});
  Ev e;
  e.S("Data", "hay").S("Data", "NEEDLE").S("Data", "stack");
  EXPECT_TRUE(Matches(t, e));
  Ev f;
  f.S("Data", "hay").S("Data", "needles");
  EXPECT_FALSE(Matches(t, f));
}

TEST(FieldTestMultiValue, AllMayBeMetByDifferentValues_M26) {
  auto t = Compile("Data|contains|all", {S("alpha"), S("beta")});
  Ev e;
  e.S("Data", "x alpha").S("Data", "beta y");
  EXPECT_TRUE(Matches(t, e));
  Ev f;
  f.S("Data", "x alpha").S("Data", "gamma");
  EXPECT_FALSE(Matches(t, f));
}

// ---- type policy (docs/sigma.md "Type policy") -------------------------------

TEST(FieldTestTypes, IntValueAgainstIntegerFields_R426) {
  auto t = Compile("EventID", {I(4688)});
  Ev u, i, hex, str, hexstr, other, dbl;
  u.V("EventID", Value::UInt(4688));
  i.V("EventID", Value::Int(4688));
  hex.V("EventID", Value::Hex(4688));
  str.S("EventID", "4688");
  hexstr.S("EventID", "0x1250");  // 4688 in hex text compares numerically
  other.V("EventID", Value::UInt(4689));
  dbl.V("EventID", Value::Double(4688.5));
  EXPECT_TRUE(Matches(t, u));
  EXPECT_TRUE(Matches(t, i));
  EXPECT_TRUE(Matches(t, hex));
  EXPECT_TRUE(Matches(t, str));
  EXPECT_TRUE(Matches(t, hexstr));
  EXPECT_FALSE(Matches(t, other));
  EXPECT_FALSE(Matches(t, dbl));
  EXPECT_FALSE(MatchStr(t, "EventID", "4688 "));
  EXPECT_FALSE(MatchStr(t, "EventID", "46880"));
  EXPECT_FALSE(MatchStr(t, "EventID", "x4688"));
}

TEST(FieldTestTypes, NegativeIntAndUnsignedFields_R426) {
  auto t = Compile("X", {I(-1)});
  Ev a, b, c;
  a.V("X", Value::Int(-1));
  b.V("X", Value::UInt(UINT64_MAX));  // not -1
  c.S("X", "-1");
  EXPECT_TRUE(Matches(t, a));
  EXPECT_FALSE(Matches(t, b));
  EXPECT_TRUE(Matches(t, c));
}

TEST(FieldTestTypes, StringValueAgainstIntegerFieldUsesText_R361) {
  auto t = Compile("EventID", {S("46*")});
  Ev u, other, hex;
  u.V("EventID", Value::UInt(4688));
  other.V("EventID", Value::UInt(5688));
  hex.V("Keywords", Value::Hex(0x8020000000000000ULL));
  EXPECT_TRUE(Matches(t, u));
  EXPECT_FALSE(Matches(t, other));
  auto k = Compile("Keywords", {S("0x8020*")});
  EXPECT_TRUE(Matches(k, hex));
  auto k2 = Compile("Keywords", {S("0X8020000000000000")});  // case-insensitive text
  EXPECT_TRUE(Matches(k2, hex));
  auto k3 = Compile("Keywords", {S("9232379236109516800")});  // decimal text of a hex field
  EXPECT_FALSE(Matches(k3, hex));
}

TEST(FieldTestTypes, QuotedHexAgainstHexField_R450) {
  // R 442-450: TicketOptions: '0x40810000', TicketEncryption: '0x17'.
  auto t = Compile("TicketEncryptionType", {S("0x17")});
  Ev hex, str, dec;
  hex.V("TicketEncryptionType", Value::Hex(0x17));
  str.S("TicketEncryptionType", "0x17");
  dec.V("TicketEncryptionType", Value::UInt(23));
  EXPECT_TRUE(Matches(t, hex));
  EXPECT_TRUE(Matches(t, str));
  EXPECT_FALSE(Matches(t, dec));
}

TEST(FieldTestTypes, BooleanValues_R361) {
  auto t = Compile("Enabled", {B(true)});
  Ev b, s, su, f, i;
  b.V("Enabled", Value::Bool(true));
  s.S("Enabled", "true");
  su.S("Enabled", "TRUE");
  f.V("Enabled", Value::Bool(false));
  i.V("Enabled", Value::Int(1));
  EXPECT_TRUE(Matches(t, b));
  EXPECT_TRUE(Matches(t, s));
  EXPECT_TRUE(Matches(t, su));
  EXPECT_FALSE(Matches(t, f));
  EXPECT_FALSE(Matches(t, i));
  auto s2 = Compile("Enabled", {S("false")});  // a string against a bool field: its text
  Ev fb;
  fb.V("Enabled", Value::Bool(false));
  EXPECT_TRUE(Matches(s2, fb));
  EXPECT_FALSE(Matches(s2, b));
}

TEST(FieldTestTypes, FloatValues_R361) {
  auto t = Compile("Ratio", {F(0.5, "0.5")});
  Ev d, s, i, other;
  d.V("Ratio", Value::Double(0.5));
  s.S("Ratio", "0.50");
  i.V("Ratio", Value::Int(1));
  other.S("Ratio", "half");
  EXPECT_TRUE(Matches(t, d));
  EXPECT_TRUE(Matches(t, s));
  EXPECT_FALSE(Matches(t, i));
  EXPECT_FALSE(Matches(t, other));
}

TEST(FieldTestTypes, CanonicalTextOfOtherTypes_R361) {
  const uint8_t guid[16] = {0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49,
                            0xa5, 0xba, 0x3e, 0x3b, 0x03, 0x28, 0xc3, 0x0d};
  const uint8_t sid[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
  auto g = Compile("ProviderGuid", {S("{54849625-5478-4994-a5ba-3e3b0328c30d}")});
  auto s = Compile("SubjectUserSid", {S("S-1-5-18")});
  auto tm = Compile("UtcTime", {S("2024-01-02T03:04:05*")});
  Ev e;
  e.V("ProviderGuid", Value::Bytes(ValueType::kGuid, guid, 16))
      .V("SubjectUserSid", Value::Bytes(ValueType::kSid, sid, sizeof sid))
      .V("UtcTime", Value::Time(ParseIso8601("2024-01-02T03:04:05Z")));
  EXPECT_TRUE(Matches(g, e));
  EXPECT_TRUE(Matches(s, e));
  EXPECT_TRUE(Matches(tm, e));
  Ev f;
  f.V("ProviderGuid", Value::Bytes(ValueType::kGuid, sid, 12)).S("SubjectUserSid", "S-1-5-19");
  f.V("UtcTime", Value::Time(ParseIso8601("2024-01-02T03:04:06Z")));
  EXPECT_FALSE(Matches(g, f));
  EXPECT_FALSE(Matches(s, f));
  EXPECT_FALSE(Matches(tm, f));
}

// ---- keywords (R 611-637) -------------------------------------------------------

TEST(FieldTestKeywords, AnyStringValueContains_R611) {
  auto t = Compile("", {S("event::clear"), S("event::drop")});
  Ev a, b, none, num;
  a.S("CommandLine", "mimikatz.exe \"EVENT::Clear\" exit").S("User", "x");
  b.S("User", "x").S("Payload", "event::drop");
  none.S("CommandLine", "event:clear").S("User", "event");
  num.V("EventID", Value::UInt(1102));
  EXPECT_TRUE(Matches(t, a));
  EXPECT_TRUE(Matches(t, b));
  EXPECT_FALSE(Matches(t, none));
  auto n = Compile("", {S("1102")});
  EXPECT_FALSE(Matches(n, num));  // keywords read string values only
}

TEST(FieldTestKeywords, AllKeywords_R626) {
  auto t = Compile("|all", {S("OabVirtualDirectory"), S(" -ExternalUrl ")});
  Ev both, split, one, name_only, no_spaces;
  both.S("Payload", "Set-OabVirtualDirectory -ExternalUrl 'http://x'");
  split.S("A", "OabVirtualDirectory").S("B", "x -ExternalUrl y");  // different fields
  one.S("Payload", "Set-OabVirtualDirectory -InternalUrl x");
  name_only.S("OabVirtualDirectory", "x -ExternalUrl y");  // a field name is no value
  no_spaces.S("Payload", "Set-OabVirtualDirectory-ExternalUrl-x");  // the spaces are part of the keyword
  EXPECT_TRUE(Matches(t, both));
  EXPECT_TRUE(Matches(t, split));
  EXPECT_FALSE(Matches(t, one));
  EXPECT_FALSE(Matches(t, name_only));
  EXPECT_FALSE(Matches(t, no_spaces));
  ASSERT_FALSE(t->required_literals().empty());
}

TEST(FieldTestKeywords, ExplicitAnchorsAreKept_R611) {
  auto t = Compile("|startswith", {S("error:")});
  Ev a, b;
  a.S("Message", "ERROR: disk");
  b.S("Message", "an error: disk");
  EXPECT_TRUE(Matches(t, a));
  EXPECT_FALSE(Matches(t, b));
}

TEST(FieldTestKeywords, KeywordRestrictions) {
  EXPECT_NE(CompileError("|exists", {B(true)}), "");
  EXPECT_NE(CompileError("|cidr", {S("10.0.0.0/8")}), "");
  EXPECT_NE(CompileError("|gt", {I(1)}), "");
  EXPECT_NE(CompileError("|fieldref", {S("A")}), "");
  EXPECT_NE(CompileError("|neq", {S("A")}), "");
  EXPECT_EQ(CompileError("|re", {S("ab+c")}), "");
}

// ---- field names (STYLE.md 8) ---------------------------------------------------

TEST(FieldTestFields, MappedOnceAtCompile) {
  CompileContext ctx;
  int calls = 0;
  ctx.map_field = [&](std::string_view n) {
    ++calls;
    return n == "Image" ? std::string("NewProcessName") : std::string(n);
  };
  auto t = Compile("Image|endswith", {S("\\cmd.exe")}, ctx);
  EXPECT_EQ(calls, 1);
  Ev mapped, unmapped;
  mapped.S("NewProcessName", "C:\\Windows\\System32\\cmd.exe");
  unmapped.S("Image", "C:\\Windows\\System32\\cmd.exe");
  EXPECT_TRUE(Matches(t, mapped));
  EXPECT_FALSE(Matches(t, unmapped));
  EXPECT_EQ(calls, 1);
}

// ---- errors -----------------------------------------------------------------------

TEST(FieldTestErrors, UnknownModifierAndEmptyValues_R556) {
  std::string e = CompileError("Image|containz", {S("x")});
  EXPECT_NE(e.find("unknown modifier 'containz'"), std::string::npos) << e;
  EXPECT_NE(e.find("line 7"), std::string::npos) << e;
  EXPECT_NE(CompileError("Image", {}), "");
}

TEST(FieldTestErrors, ImpossibleCombinations_M48_M65_M85) {
  EXPECT_NE(CompileError("F|re|contains", {S("a")}), "");
  EXPECT_NE(CompileError("F|contains|re", {S("a")}), "");
  EXPECT_NE(CompileError("F|cidr|base64", {S("10.0.0.0/8")}), "");
  EXPECT_NE(CompileError("F|gt", {S("5")}), "");
  EXPECT_NE(CompileError("F|gt|lt", {I(5)}), "");
  EXPECT_NE(CompileError("F|re|cidr", {S("a")}), "");
  EXPECT_NE(CompileError("F|exists", {S("true")}), "");
  EXPECT_NE(CompileError("F|exists|neq", {B(true)}), "");
  EXPECT_NE(CompileError("F|i", {S("a")}), "");
  EXPECT_NE(CompileError("F|i|re", {S("a")}), "");
  EXPECT_NE(CompileError("F|cased|re", {S("a")}), "");
  EXPECT_NE(CompileError("F|hour|minute", {I(1)}), "");
  EXPECT_NE(CompileError("F|hour|re", {S("1")}), "");
  EXPECT_NE(CompileError("F|fieldref|re", {S("a")}), "");
  EXPECT_NE(CompileError("F|fieldref|base64", {S("a")}), "");
  EXPECT_NE(CompileError("F|all|all", {S("a"), S("b")}), "");
  std::string e = CompileError("F|re|contains", {S("a")});
  EXPECT_NE(e.find("'contains' cannot be combined with 're'"), std::string::npos) << e;
}

// ---- required_literals (prefilter contract) ------------------------------------

std::vector<std::string> Lits(std::string_view key, std::vector<SigmaValue> v, const CompileContext& ctx = {}) {
  auto t = Compile(key, std::move(v), ctx);
  return t ? t->required_literals() : std::vector<std::string>{"<compile error>"};
}

TEST(FieldTestLiterals, LongestRunLowerCased) {
  EXPECT_EQ(Lits("CommandLine|contains", {S("Invoke-Mimikatz")}), std::vector<std::string>{"invoke-mimikatz"});
  EXPECT_EQ(Lits("Image|endswith", {S("\\CMD.exe"), S("\\PowerShell.exe")}),
            (std::vector<std::string>{"\\cmd.exe", "\\powershell.exe"}));
  EXPECT_EQ(Lits("X", {S("ab*cdefg?hi")}), std::vector<std::string>{"cdefg"});
  EXPECT_EQ(Lits("X|cased", {S("AbCdE")}), std::vector<std::string>{"AbCdE"});
  EXPECT_EQ(Lits("X", {S("a\\*bc")}), std::vector<std::string>{"a*bc"});  // escaped star is plain
  EXPECT_EQ(Lits("X|re", {S("abcdef")}), std::vector<std::string>{"abcdef"});  // a regex's required run
}

TEST(FieldTestLiterals, EmptyWhenNoGuarantee) {
  EXPECT_TRUE(Lits("X|contains", {S("abc"), S("de")}).empty());  // one value has < 3 bytes
  EXPECT_TRUE(Lits("X", {I(4688)}).empty());
  EXPECT_TRUE(Lits("X|neq", {S("abcdef")}).empty());
  EXPECT_TRUE(Lits("X|re", {S("abc|def")}).empty());  // top-level alternation (regex_literal_test.cc)
  EXPECT_TRUE(Lits("X|exists", {B(true)}).empty());
  EXPECT_TRUE(Lits("X", {N()}).empty());
  EXPECT_TRUE(Lits("X|fieldref", {S("Other")}).empty());
  EXPECT_TRUE(Lits("X|cidr", {S("10.0.0.0/8")}).empty());
  EXPECT_TRUE(Lits("X|gt", {I(100000)}).empty());
  EXPECT_TRUE(Lits("X", {S("*")}).empty());
}

TEST(FieldTestLiterals, NonAsciiBreaksCaselessRuns) {
  // The prefilter folds ASCII only, so a folded Ö cannot be a required byte.
  EXPECT_EQ(Lits("X|contains", {S("ÖSTERREICH-abc")}), std::vector<std::string>{"sterreich-abc"});
  EXPECT_EQ(Lits("X|contains|cased", {S("ÖSTERREICH")}), std::vector<std::string>{"ÖSTERREICH"});
}

TEST(FieldTestLiterals, AllNeedsOnlyOneValue_M26) {
  auto l = Lits("X|contains|all", {S("ab"), S("longer-literal")});
  EXPECT_EQ(l, std::vector<std::string>{"longer-literal"});
}

TEST(FieldTestLiterals, LiteralIsNecessaryForMatches) {
  // Every matching value holds the literal (ASCII caselessly) in its canonical text.
  struct Case {
    const char* key;
    std::vector<SigmaValue> values;
    std::vector<std::string> texts;
  };
  std::vector<Case> cases = {
      {"X|contains", {S("Mimi")}, {"xxMIMIxx", "mimi"}},
      {"X|windash|contains", {S(" -enc ")}, {"a /ENC b", "a \xE2\x80\x94" "enc b"}},
      {"X|startswith", {S("C:\\Win*\\sys?em32")}, {"c:\\windows\\system32", "C:\\Win\\sysTem32\\x"}},
  };
  for (auto& c : cases) {
    auto t = Compile(c.key, c.values);
    ASSERT_TRUE(t);
    ASSERT_FALSE(t->required_literals().empty()) << c.key;
    for (const std::string& text : c.texts) {
      ASSERT_TRUE(MatchStr(t, "X", text)) << c.key << " " << text;
      std::string lower = text;
      for (char& ch : lower) ch = static_cast<char>(wildcard::kFoldAscii[static_cast<uint8_t>(ch)]);
      bool found = false;
      for (const std::string& l : t->required_literals()) found |= lower.find(l) != std::string::npos;
      EXPECT_TRUE(found) << c.key << " " << text;
    }
  }
}

// ---- event_ids (rule set index) -------------------------------------------------

TEST(FieldTestEventIds, IntegerEqualityOnEventID_R430) {
  EXPECT_EQ(Compile("EventID", {I(517), I(1102)})->event_ids(), (std::vector<int64_t>{517, 1102}));
  EXPECT_EQ(Compile("EventID", {S("4688")})->event_ids(), (std::vector<int64_t>{4688}));
  EXPECT_TRUE(Compile("EventID", {S("46*")})->event_ids().empty());
  EXPECT_TRUE(Compile("EventID|neq", {I(4688)})->event_ids().empty());
  EXPECT_TRUE(Compile("EventID|gt", {I(4688)})->event_ids().empty());
  EXPECT_TRUE(Compile("EventID|contains", {I(4688)})->event_ids().empty());
  EXPECT_TRUE(Compile("EventRecordID", {I(4688)})->event_ids().empty());
  CompileContext ctx;
  ctx.map_field = [](std::string_view n) { return n == "EvtId" ? std::string("EventID") : std::string(n); };
  EXPECT_EQ(Compile("EvtId", {I(1)}, ctx)->event_ids(), (std::vector<int64_t>{1}));
}

// ---- hot path ------------------------------------------------------------------

TEST(FieldTestMatch, ScratchIsReusedAndThreadSafe) {
  auto t = Compile("CommandLine|contains", {S("ÉVIL")});
  Ev e;
  e.S("CommandLine", "run évil now");
  MatchScratch s;
  EXPECT_TRUE(t->Match(e.view(), &s));
  const char* buf = s.a.data();
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(t->Match(e.view(), &s));
  EXPECT_EQ(buf, s.a.data());  // warm scratch: no reallocation
}

// RuleSet::Match builds a field index per event; tests must give the same
// answers with it as when they walk the event (repeated fields, absent
// fields, a field whose later value is the matching one), and an index built
// for another event must not be used.
TEST(FieldIndex, SameAnswersWithAndWithoutTheIndex) {
  Ev e;
  e.S("Data", "one").S("Image", "C:\\a.exe").S("Data", "").S("Data", "three").S("Other", "x");
  EventView v = e.view();
  struct Case {
    const char* key;
    std::vector<SigmaValue> values;
  } cases[] = {
      {"Data", {S("three")}},       {"Data", {S("two")}},          {"Data|contains|all", {S("on"), S("thr")}},
      {"Data|exists", {B(true)}},   {"Missing|exists", {B(true)}}, {"Data", {N()}},
      {"Missing", {N()}},           {"Image|endswith", {S(".exe")}}, {"Data|neq", {S("one")}},
      {"Data|fieldref", {S("Other")}}, {"Missing|neq", {S("x")}},
  };
  for (const Case& c : cases) {
    auto t = Compile(c.key, c.values);
    ASSERT_TRUE(t) << c.key;
    MatchScratch walk, indexed;
    indexed.index.Build(v.fields());
    EXPECT_EQ(t->Match(v, &walk), t->Match(v, &indexed)) << c.key;
  }
  // Positions in order, repeated values chained.
  FieldIndex index;
  index.Build(v.fields());
  std::vector<std::string> seen;
  FieldCursor cur(v.fields(), FindField("Data"), index);
  while (const Field* f = cur.Next()) seen.push_back(f->value.ToText());
  EXPECT_EQ(seen, (std::vector<std::string>{"one", "", "three"}));
  // Built for another event: not used (the cursor walks the fields it is given).
  Ev other;
  other.S("Data", "only");
  EventView ov = other.view();
  seen.clear();
  FieldCursor cur2(ov.fields(), FindField("Data"), index);
  while (const Field* f = cur2.Next()) seen.push_back(f->value.ToText());
  EXPECT_EQ(seen, (std::vector<std::string>{"only"}));
}

}  // namespace
}  // namespace inari::sigma::testing
