#include "base/arena.h"

#include <algorithm>

namespace inari {

namespace {
constexpr size_t kBlockSize = 256 * 1024;
}

char* Arena::AllocateSlow(size_t n, size_t align) {
  size_t want = std::max(kBlockSize, n + align);
  blocks_.emplace_back(new char[want]);
  sizes_.push_back(want);
  reserved_ += want;
  ptr_ = blocks_.back().get();
  end_ = ptr_ + want;
  return Allocate(n, align);
}

void Arena::Reset() {
  if (blocks_.empty()) return;
  // Keep the largest block.
  size_t best = 0;
  for (size_t i = 1; i < blocks_.size(); ++i)
    if (sizes_[i] > sizes_[best]) best = i;
  std::unique_ptr<char[]> keep = std::move(blocks_[best]);
  size_t keep_size = sizes_[best];
  blocks_.clear();
  sizes_.clear();
  blocks_.push_back(std::move(keep));
  sizes_.push_back(keep_size);
  reserved_ = keep_size;
  ptr_ = blocks_.back().get();
  end_ = ptr_ + keep_size;
}

}  // namespace inari
