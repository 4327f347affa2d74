// The JSON record parser's fast paths (json_record.cc) against what the slow
// ones give: keys and string values scanned a word at a time, names compared
// inline, GUIDs read through a table, top-level values read straight into place.
// Each test walks the lengths and positions where a word-wise scan can go wrong
// (around 4, 8, 16 and 32 bytes, at the end of a line followed by more text).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "ingest/json/json_reader.h"
#include "json_test_util.h"

namespace inari {
namespace {

using json_test::All;
using json_test::CollectingReporter;
using json_test::Names;
using json_test::ReadAll;
using json_test::ReaderFor;

// Reads `text` (JSON Lines) in one batch; every line must give an event.
void ReadLines(const std::string& text, JsonShape shape, size_t want, EventBatch* batch) {
  CollectingReporter reporter;
  auto reader = ReaderFor(text, shape, &reporter);
  ReadAll(reader.get(), batch);
  ASSERT_EQ(batch->size(), want) << reporter.Describe();
  ASSERT_TRUE(reporter.issues.empty()) << reporter.Describe();
}

std::string Letters(size_t n, char first = 'a') {
  std::string s;
  for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(first + i % 26));
  return s;
}

TEST(JsonFastPaths, KeysOfEveryLengthAreReadWithAndWithoutEscapes) {
  // Per length: the plain key, then the same name with one letter written as
  // \u00XX at each position, last in its line and followed by more lines (the
  // word-wise scan reads past the line; quotes there must not count).
  std::string text;
  std::vector<std::string> want;
  for (size_t n = 1; n <= 40; ++n) {
    const std::string name = Letters(n);
    text += "{\"" + name + "\":" + std::to_string(n) + "}\n";
    want.push_back(name);
    for (size_t i = 0; i < n; ++i) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(name[i]));
      text += "{\"x\":0,\"" + name.substr(0, i) + esc + name.substr(i + 1) + "\":\"v\"}\n";
      want.push_back(name);
    }
  }
  EventBatch batch;
  ReadLines(text, JsonShape::kAuto, want.size(), &batch);
  for (size_t r = 0; r < want.size(); ++r) {
    const std::vector<std::string> names = Names(batch[r]);
    ASSERT_FALSE(names.empty()) << "record " << r;
    EXPECT_EQ(names.back(), want[r]) << "record " << r;
  }
}

TEST(JsonFastPaths, KeysWithEscapedQuotesAndBackslashesKeepThem) {
  EventBatch batch;
  ReadLines(
      "{\"a\\\"b\":1,\"c\\\\\":2,\"abcdefg\\\"\":3,\"\\\\abcdefgh\":4,\"abcdefgh\\\"ijklmnop\\\\q\":5}\n"
      "{\"a\\\"b\":1}\n",
      JsonShape::kAuto, 2, &batch);
  EXPECT_EQ(Names(batch[0]),
            (std::vector<std::string>{"a\"b", "c\\", "abcdefg\"", "\\abcdefgh", "abcdefgh\"ijklmnop\\q"}));
  EXPECT_EQ(Names(batch[1]), (std::vector<std::string>{"a\"b"}));
}

TEST(JsonFastPaths, StringValuesOfEveryLengthAreUnescapedOnlyWhereNeeded) {
  // Values of 0..70 bytes, plain and with one "\\" at each position.
  std::string text;
  std::vector<std::string> want;
  for (size_t n = 0; n <= 70; ++n) {
    const std::string plain = Letters(n, 'A');
    text += "{\"EventID\":1,\"v\":\"" + plain + "\",\"z\":1}\n";
    want.push_back(plain);
    for (size_t i = 0; i < n; ++i) {
      std::string escaped = plain.substr(0, i) + "\\\\" + plain.substr(i + 1);
      text += "{\"EventID\":1,\"v\":\"" + escaped + "\"}\n";
      want.push_back(plain.substr(0, i) + "\\" + plain.substr(i + 1));
    }
  }
  EventBatch batch;
  ReadLines(text, JsonShape::kAuto, want.size(), &batch);
  for (size_t r = 0; r < want.size(); ++r) EXPECT_EQ(All(batch[r], "v"), std::vector<std::string>{want[r]}) << r;
}

// Records at the same positions whose names differ in one byte, for every
// length and position: the inline comparison of a remembered name must see it.
TEST(JsonFastPaths, NamesThatDifferInOneByteAreToldApartAtEveryLength) {
  std::string text;
  std::vector<std::string> want;
  for (size_t n = 1; n <= 40; ++n) {
    const std::string name = Letters(n);
    for (size_t i = 0; i < n; ++i) {
      std::string other = name;
      other[i] = '_';
      text += "{\"EventID\":1,\"" + name + "\":1}\n{\"EventID\":1,\"" + other + "\":2}\n";
      want.push_back(name);
      want.push_back(other);
    }
  }
  for (JsonShape shape : {JsonShape::kFlat, JsonShape::kAuto}) {
    EventBatch batch;
    ReadLines(text, shape, want.size(), &batch);
    for (size_t r = 0; r < want.size(); ++r) {
      EXPECT_EQ(Names(batch[r]), (std::vector<std::string>{"EventID", want[r]})) << r;
    }
  }
}

TEST(JsonFastPaths, GuidsAreReadDigitByDigitOrKeptAsText) {
  const std::string guid = "fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148";
  const std::string canonical = "{FC65DDD8-D6EF-4962-83D5-6E5CFE9CE148}";
  // Valid: with and without braces, any case.
  std::vector<std::string> good = {guid, "{" + guid + "}", "{FC65DDD8-D6EF-4962-83D5-6E5CFE9CE148}",
                                   "Fc65dDd8-D6ef-4962-83D5-6e5cFE9ce148"};
  // Invalid: each digit in turn replaced by a non-digit or by a dash (a dash
  // the old byte-by-byte loop skipped), a missing dash, wrong lengths.
  std::vector<std::string> bad = {guid + "0", guid.substr(1), "{" + guid, "(" + guid + ")",
                                  "fc65ddd8d-6ef-4962-83d5-6e5cfe9ce148", ""};
  for (size_t i = 0; i < guid.size(); ++i) {
    if (guid[i] == '-') continue;
    for (char c : {'g', 'G', '-', ' ', '/', ':', '@', '`', '\x7f'}) {
      std::string s = guid;
      s[i] = c;
      bad.push_back(s);
      bad.push_back("{" + s + "}");
    }
  }
  std::string text;
  for (const std::string& g : good) text += "{\"EventID\":1,\"ProviderGuid\":\"" + g + "\"}\n";
  for (const std::string& g : bad) text += "{\"EventID\":1,\"ProviderGuid\":\"" + g + "\"}\n";
  EventBatch batch;
  ReadLines(text, JsonShape::kAuto, good.size() + bad.size(), &batch);
  for (size_t r = 0; r < good.size(); ++r) EXPECT_FIELD(batch[r], "Provider_Guid", ValueType::kGuid, canonical);
  for (size_t r = 0; r < bad.size(); ++r)
    EXPECT_FIELD(batch[good.size() + r], "Provider_Guid", ValueType::kString, bad[r]);
}

TEST(JsonFastPaths, NestedTopLevelValuesKeepTheirOrderAndDepthLimit) {
  // Containers at the top are flattened in document order; arrays of objects and
  // arrays in arrays in between; deeper than the limit: one field of raw JSON.
  std::string deep = "1";
  for (int i = 0; i < 36; ++i) deep = "{\"k\":" + deep + "}";
  EventBatch batch;
  ReadLines("{\"a\":[1,{\"b\":2,\"c\":[3,[4,5]]},6],\"d\":{\"e\":{\"f\":7}},\"g\":8}\n{\"x\":" + deep + ",\"y\":[]}\n",
            JsonShape::kAuto, 2, &batch);
  EXPECT_EQ(Names(batch[0]), (std::vector<std::string>{"a", "a.b", "a.c", "a.c", "a", "d.e.f", "g"}));
  EXPECT_EQ(All(batch[0], "a"), (std::vector<std::string>{"1", "6"}));
  EXPECT_EQ(All(batch[0], "a.c"), (std::vector<std::string>{"3", "[4,5]"}));
  std::string path = "x";
  for (int i = 0; i < 33; ++i) path += ".k";
  EXPECT_EQ(Names(batch[1]), std::vector<std::string>{path});
  EXPECT_EQ(All(batch[1], path), std::vector<std::string>{"{\"k\":{\"k\":{\"k\":1}}}"});
}

}  // namespace
}  // namespace inari
