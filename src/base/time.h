// Time helpers. inari keeps every timestamp as UTC nanoseconds since the Unix
// epoch in an int64_t (covers years 1678..2262); kNoTime marks "unknown".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace inari {

inline constexpr int64_t kNoTime = INT64_MIN;

// Windows FILETIME (100 ns ticks since 1601-01-01) to Unix ns. Values outside
// the int64 ns range (before 1677-09-21 or after 2262-04-11) are clamped; use
// FileTimeInNanosRange to tell, and AppendFileTimeIso8601 to render them.
int64_t FileTimeToUnixNanos(uint64_t filetime);
bool FileTimeInNanosRange(uint64_t filetime);
// Exact ISO 8601 text of any FILETIME, e.g. 0 → "1601-01-01T00:00:00.0000000Z".
void AppendFileTimeIso8601(uint64_t filetime, std::string* out);
// SYSTEMTIME fields to Unix ns; returns kNoTime for out-of-range fields.
int64_t SystemTimeToUnixNanos(int year, int month, int day, int hour, int minute, int second,
                              int millis);
// Days since 1970-01-01 for a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d);

// Appends "YYYY-MM-DDTHH:MM:SS.fffffffZ" (7 fraction digits: FILETIME precision).
void AppendIso8601(int64_t unix_nanos, std::string* out);
std::string FormatIso8601(int64_t unix_nanos);

// Parses ISO 8601 / RFC 3339 timestamps as they appear in exported logs:
// "2020-09-21T23:26:07.434Z", "2025-11-27T07:40:10.165324Z",
// "2019-03-19 15:42:13.123456" (space separator, naive = UTC),
// "2020-09-21T23:26:07+02:00". Up to 9 fraction digits. Returns kNoTime if
// the text is not such a timestamp.
int64_t ParseIso8601(std::string_view text);

}  // namespace inari
