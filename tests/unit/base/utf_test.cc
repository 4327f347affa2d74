#include "base/utf.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace inari {
namespace {

std::vector<uint8_t> Utf16(const std::u16string& s) {
  std::vector<uint8_t> b;
  for (char16_t c : s) {
    b.push_back(static_cast<uint8_t>(c & 0xFF));
    b.push_back(static_cast<uint8_t>(c >> 8));
  }
  return b;
}

TEST(Utf16ToUtf8, AsciiOfEveryLengthAroundTheVectorWidth) {
  for (size_t n = 0; n < 40; ++n) {
    std::u16string s;
    std::string want;
    for (size_t i = 0; i < n; ++i) {
      s.push_back(static_cast<char16_t>('a' + i % 26));
      want.push_back(static_cast<char>('a' + i % 26));
    }
    auto b = Utf16(s);
    EXPECT_EQ(Utf16LeToUtf8String(b.data(), n), want) << n;
    // Bytes after the string must not be read, whatever they are.
    auto junk = b;
    for (int k = 0; k < 16; ++k) junk.push_back(0x41);
    std::string out(3 * n + 8, '\0');
    out.resize(Utf16LeToUtf8(junk.data(), n, out.data(), /*stop_at_nul=*/false));
    EXPECT_EQ(out, want) << n;
  }
}

TEST(Utf16ToUtf8, NonAsciiAnywhereInTheBlock) {
  for (size_t pos = 0; pos < 20; ++pos) {
    std::u16string s(20, u'x');
    s[pos] = u'\u00e9';  // é
    std::string want(20, 'x');
    want.replace(pos, 1, "\xc3\xa9");
    auto b = Utf16(s);
    EXPECT_EQ(Utf16LeToUtf8String(b.data(), s.size()), want) << pos;
  }
}

TEST(Utf16ToUtf8, SurrogatesAndUnpaired) {
  std::u16string s = u"a\U0001F600b";
  s.push_back(static_cast<char16_t>(0xD800));  // unpaired high surrogate at the end
  auto b = Utf16(s);
  EXPECT_EQ(Utf16LeToUtf8String(b.data(), s.size()), "a\xF0\x9F\x98\x80" "b\xEF\xBF\xBD");
  std::u16string lone = u"x";
  lone.push_back(static_cast<char16_t>(0xDC00));  // lone low surrogate
  lone += u"yyyyyyyyyy";
  auto b2 = Utf16(lone);
  EXPECT_EQ(Utf16LeToUtf8String(b2.data(), lone.size()), "x\xEF\xBF\xBDyyyyyyyyyy");
}

TEST(Utf16ToUtf8, StopsAtNulOnlyWhenAsked) {
  std::u16string s = u"abcdefghij";
  s[9] = 0;
  s.insert(3, 1, u'\0');
  auto b = Utf16(s);
  std::string out(64, '\0');
  out.resize(Utf16LeToUtf8(b.data(), s.size(), out.data(), /*stop_at_nul=*/true));
  EXPECT_EQ(out, "abc");
  out.assign(64, '\0');
  out.resize(Utf16LeToUtf8(b.data(), s.size(), out.data(), /*stop_at_nul=*/false));
  EXPECT_EQ(out, std::string("abc\0defghi\0", 11));
}

TEST(JsonEscape, ControlQuotesAndInvalidUtf8) {
  std::string out;
  AppendJsonEscaped(std::string("a\"b\\c\x01\xff\xc3\xa9", 9), &out);
  EXPECT_EQ(out, "a\\\"b\\\\c\\u0001\xEF\xBF\xBD\xc3\xa9");
}

TEST(Utf8, Validation) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xc3\xa9"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // encoded surrogate
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong
}

}  // namespace
}  // namespace inari
