// Deterministic random numbers for the simulator.
//
// Everything the simulator draws comes from these generators, never from
// <random>'s distributions (whose results differ between standard libraries):
// the same seed gives byte-identical output on every machine. Rng is
// xoshiro256** seeded through SplitMix64; Below() is Lemire's unbiased
// multiply-shift. Streams are derived per entity and day (Rng::For(seed, tag,
// a, b)), so the order in which generators run does not change what they draw.
// Thread-safety: an Rng is a value; use one per thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace inari::sim {

inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A stateless 64-bit mix of several words (for per-event noise and seeds).
inline uint64_t Mix(uint64_t a, uint64_t b = 0, uint64_t c = 0, uint64_t d = 0) {
  uint64_t s = a;
  uint64_t h = SplitMix64(&s);
  s = h ^ b;
  h = SplitMix64(&s);
  s = h ^ c;
  h = SplitMix64(&s);
  s = h ^ d;
  return SplitMix64(&s);
}

// A constant tag from a short name, so streams read as Rng::For(seed, Tag("user"), i, day).
constexpr uint64_t Tag(std::string_view name) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t s = seed;
    for (auto& w : s_) w = SplitMix64(&s);
  }
  static Rng For(uint64_t seed, uint64_t tag, uint64_t a = 0, uint64_t b = 0) {
    return Rng(Mix(seed, tag, a, b));
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = -n % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }
  // Uniform in [lo, hi] (inclusive).
  int64_t Range(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // True with probability permille / 1000.
  bool Permille(uint32_t permille) { return Below(1000) < permille; }
  bool Percent(uint32_t percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }
  template <typename C>
  auto& PickFrom(C& items) {
    return items[Below(items.size())];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace inari::sim
