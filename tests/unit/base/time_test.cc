#include "base/time.h"

#include <gtest/gtest.h>

namespace inari {

TEST(Time, FileTimeEpochs) {
  EXPECT_EQ(FileTimeToUnixNanos(116444736000000000ULL), 0);
  // (1609459200 s to 2021-01-01 + 11644473600 s from 1601) * 10^7 ticks, + 1234567 ticks.
  int64_t ns = FileTimeToUnixNanos(132539328001234567ULL);
  EXPECT_EQ(FormatIso8601(ns), "2021-01-01T00:00:00.1234567Z");
}

TEST(Time, ParseForms) {
  int64_t want = ParseIso8601("2020-09-21T23:26:07.434Z");
  ASSERT_NE(want, kNoTime);
  EXPECT_EQ(FormatIso8601(want), "2020-09-21T23:26:07.4340000Z");
  EXPECT_EQ(ParseIso8601("2020-09-21 23:26:07.434"), want);
  EXPECT_EQ(ParseIso8601("2020-09-22T01:26:07.434+02:00"), want);
  EXPECT_EQ(ParseIso8601("2020-09-21T23:26:07.434000000Z"), want);
  EXPECT_EQ(ParseIso8601("2020-09-21T23:26:07.4340000001Z"), want);  // >9 digits truncated
}

TEST(Time, RejectsNonTimestamps) {
  EXPECT_EQ(ParseIso8601(""), kNoTime);
  EXPECT_EQ(ParseIso8601("4624"), kNoTime);
  EXPECT_EQ(ParseIso8601("2020-13-01T00:00:00Z"), kNoTime);
  EXPECT_EQ(ParseIso8601("2020-01-01T00:00:00Zjunk"), kNoTime);
  EXPECT_EQ(ParseIso8601("2020-01-01T00:00:00."), kNoTime);
}

TEST(Time, SystemTime) {
  EXPECT_EQ(FormatIso8601(SystemTimeToUnixNanos(2024, 2, 29, 23, 59, 58, 123)), "2024-02-29T23:59:58.1230000Z");
  EXPECT_EQ(SystemTimeToUnixNanos(2024, 0, 1, 0, 0, 0, 0), kNoTime);
}

TEST(Time, FileTimeOutsideTheNanosecondRangeRendersExactly) {
  EXPECT_FALSE(FileTimeInNanosRange(0));
  std::string s;
  AppendFileTimeIso8601(0, &s);
  EXPECT_EQ(s, "1601-01-01T00:00:00.0000000Z");
  s.clear();
  AppendFileTimeIso8601(0x7FFFFFFFFFFFFFFFULL, &s);  // the largest FILETIME Windows uses as "never expires"
  EXPECT_EQ(s, "30828-09-14T02:48:05.4775807Z");
  EXPECT_TRUE(FileTimeInNanosRange(132539328001234567ULL));
  s.clear();
  AppendFileTimeIso8601(132539328001234567ULL, &s);
  EXPECT_EQ(s, FormatIso8601(FileTimeToUnixNanos(132539328001234567ULL)));
}

TEST(Time, BeforeEpoch) {
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59.9999999Z");
}

}  // namespace inari
