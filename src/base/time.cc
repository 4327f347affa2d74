#include "base/time.h"

#include <cstdio>

namespace inari {

namespace {
constexpr int64_t kFileTimeUnixEpochTicks = 116444736000000000LL;  // 1601 → 1970 in 100 ns

inline bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}
}  // namespace

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  // Howard Hinnant's algorithm.
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t FileTimeToUnixNanos(uint64_t filetime) {
  int64_t ticks = static_cast<int64_t>(filetime > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : filetime);
  ticks -= kFileTimeUnixEpochTicks;
  constexpr int64_t kMaxTicks = INT64_MAX / 100;
  if (ticks > kMaxTicks) return kMaxTicks * 100;
  if (ticks < -kMaxTicks) return -kMaxTicks * 100;
  return ticks * 100;
}

namespace {

// "YYYY-MM-DDTHH:MM:SS.fffffffZ" from days since 1970, seconds of the day and
// 100 ns ticks. Hand-rolled: it runs for every timestamp the Sigma prefilter
// renders. Years outside 0..9999 (only FILETIMEs can have them) use snprintf.
void AppendCivilIso(int64_t days, uint64_t sec_of_day, uint64_t ticks, std::string* out) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  if (y < 0 || y > 9999) {
    char buf[48];
    int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%07lluZ", static_cast<long long>(y), m, d,
                          static_cast<unsigned>(sec_of_day / 3600), static_cast<unsigned>(sec_of_day / 60 % 60),
                          static_cast<unsigned>(sec_of_day % 60), static_cast<unsigned long long>(ticks));
    out->append(buf, static_cast<size_t>(n));
    return;
  }
  char buf[28];
  auto put = [&buf](int pos, uint64_t v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) buf[pos + i] = static_cast<char>('0' + v % 10);
  };
  put(0, static_cast<uint64_t>(y), 4);
  buf[4] = '-';
  put(5, m, 2);
  buf[7] = '-';
  put(8, d, 2);
  buf[10] = 'T';
  put(11, sec_of_day / 3600, 2);
  buf[13] = ':';
  put(14, sec_of_day / 60 % 60, 2);
  buf[16] = ':';
  put(17, sec_of_day % 60, 2);
  buf[19] = '.';
  put(20, ticks, 7);
  buf[27] = 'Z';
  out->append(buf, sizeof buf);
}

}  // namespace

bool FileTimeInNanosRange(uint64_t filetime) {
  if (filetime > static_cast<uint64_t>(INT64_MAX)) return false;
  const int64_t ticks = static_cast<int64_t>(filetime) - kFileTimeUnixEpochTicks;
  constexpr int64_t kMaxTicks = INT64_MAX / 100;
  return ticks <= kMaxTicks && ticks >= -kMaxTicks;
}

void AppendFileTimeIso8601(uint64_t filetime, std::string* out) {
  const uint64_t secs = filetime / 10000000ULL;
  // Days from 1601-01-01 to 1970-01-01: 134774.
  AppendCivilIso(static_cast<int64_t>(secs / 86400) - 134774, secs % 86400, filetime % 10000000ULL, out);
}

int64_t SystemTimeToUnixNanos(int year, int month, int day, int hour, int minute, int second,
                              int millis) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 ||
      millis > 999 || year < 1678 || year > 2261 || hour < 0 || minute < 0 || second < 0 || millis < 0)
    return kNoTime;
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second;
  return secs * 1000000000LL + static_cast<int64_t>(millis) * 1000000LL;
}


void AppendIso8601(int64_t ns, std::string* out) {
  int64_t secs = ns / 1000000000LL;
  int64_t frac = ns % 1000000000LL;
  if (frac < 0) {
    frac += 1000000000LL;
    secs -= 1;
  }
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  AppendCivilIso(days, static_cast<uint64_t>(rem), static_cast<uint64_t>(frac / 100), out);
}

std::string FormatIso8601(int64_t unix_nanos) {
  std::string s;
  AppendIso8601(unix_nanos, &s);
  return s;
}

int64_t ParseIso8601(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!Digits(s, 0, 4, &y) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, &mo) || s[7] != '-' ||
      !Digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') || !Digits(s, 11, 2, &h) ||
      s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' || !Digits(s, 17, 2, &se))
    return kNoTime;
  int64_t base = SystemTimeToUnixNanos(y, mo, d, h, mi, se, 0);
  if (base == kNoTime) return kNoTime;
  size_t pos = 19;
  int64_t frac = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) {
        frac = frac * 10 + (s[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return kNoTime;
    for (int i = digits; i < 9; ++i) frac *= 10;
  }
  int64_t offset_secs = 0;
  if (pos < s.size()) {
    char c = s[pos];
    if (c == 'Z' || c == 'z') {
      ++pos;
    } else if (c == '+' || c == '-') {
      int oh, om;
      if (!Digits(s, pos + 1, 2, &oh)) return kNoTime;
      size_t p2 = pos + 3;
      if (p2 < s.size() && s[p2] == ':') ++p2;
      if (!Digits(s, p2, 2, &om)) return kNoTime;
      offset_secs = (oh * 3600 + om * 60) * (c == '+' ? 1 : -1);
      pos = p2 + 2;
    }
  }
  if (pos != s.size()) return kNoTime;
  return base + frac - offset_secs * 1000000000LL;
}

}  // namespace inari
