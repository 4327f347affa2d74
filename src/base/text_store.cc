#include "base/text_store.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

namespace inari {

namespace {
constexpr size_t kBlockBytes = size_t{32} << 20;  // a multiple of the 2 MiB huge page
}  // namespace

TextStore::TextStore(TextStore&& o) noexcept
    : blocks_(std::move(o.blocks_)), ptr_(o.ptr_), left_(o.left_), reserved_(o.reserved_) {
  o.blocks_.clear();
  o.ptr_ = nullptr;
  o.left_ = o.reserved_ = 0;
}

TextStore& TextStore::operator=(TextStore&& o) noexcept {
  if (this != &o) {
    Release();
    blocks_ = std::move(o.blocks_);
    ptr_ = o.ptr_;
    left_ = o.left_;
    reserved_ = o.reserved_;
    o.blocks_.clear();
    o.ptr_ = nullptr;
    o.left_ = o.reserved_ = 0;
  }
  return *this;
}

TextStore::~TextStore() { Release(); }

void TextStore::Release() {
  for (const Block& b : blocks_) ::munmap(b.data, b.size);
  blocks_.clear();
}

void TextStore::Clear() {
  if (blocks_.empty()) return;
  for (size_t i = 1; i < blocks_.size(); ++i) ::munmap(blocks_[i].data, blocks_[i].size);
  blocks_.resize(1);
  ptr_ = blocks_[0].data;
  left_ = reserved_ = blocks_[0].size;
}

std::string_view TextStore::Add(std::string_view s) {
  if (s.empty()) return {};
  if (s.size() > left_) {
    const size_t size = std::max(kBlockBytes, (s.size() + kBlockBytes - 1) / kBlockBytes * kBlockBytes);
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    ::madvise(p, size, MADV_HUGEPAGE);  // advice only: without THP the pages are small
    blocks_.push_back(Block{static_cast<char*>(p), size});
    ptr_ = static_cast<char*>(p);
    left_ = size;
    reserved_ += size;
  }
  std::memcpy(ptr_, s.data(), s.size());
  std::string_view out(ptr_, s.size());
  ptr_ += s.size();
  left_ -= s.size();
  return out;
}

}  // namespace inari
