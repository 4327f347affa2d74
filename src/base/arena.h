// Arena — bump allocator for per-batch data (strings converted from UTF-16,
// unescaped JSON strings, rendered values).
//
// Memory handed out lives until Reset() or destruction. Reset() keeps the
// largest block so a reused arena stops allocating once warm. Not thread-safe:
// one arena per batch, one batch per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace inari {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;

  // Returns `n` bytes aligned to `align` (a power of two).
  char* Allocate(size_t n, size_t align = 1) {
    size_t pad = (align - (reinterpret_cast<uintptr_t>(ptr_) & (align - 1))) & (align - 1);
    if (n + pad <= static_cast<size_t>(end_ - ptr_)) {
      char* p = ptr_ + pad;
      ptr_ = p + n;
      return p;
    }
    return AllocateSlow(n, align);
  }
  std::string_view Copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = Allocate(s.size());
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }
  // Gives back the unused tail of the last allocation of `reserved` bytes,
  // keeping `used` (used <= reserved). For writers that size up front.
  void Shrink(char* start, size_t reserved, size_t used) {
    if (start + reserved == ptr_) ptr_ = start + used;
  }
  void Reset();
  size_t BytesReserved() const { return reserved_; }

 private:
  char* AllocateSlow(size_t n, size_t align);
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<size_t> sizes_;
  char* ptr_ = nullptr;
  char* end_ = nullptr;
  size_t reserved_ = 0;
};

}  // namespace inari
