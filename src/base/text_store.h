// TextStore — append-only storage for text that must outlive the buffers it
// was made from (the event JSON of detections, kept until the timeline is
// written). Large blocks asked for as transparent huge pages: a hunt that
// keeps hundreds of MB of detections otherwise takes a page fault per 4 KiB
// and a malloc/free per string. Views stay valid until the store is
// destroyed. Not thread-safe: one store per worker.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace inari {

class TextStore {
 public:
  TextStore() = default;
  TextStore(const TextStore&) = delete;
  TextStore& operator=(const TextStore&) = delete;
  TextStore(TextStore&& o) noexcept;
  TextStore& operator=(TextStore&& o) noexcept;
  ~TextStore();

  // A copy of `s` that lives as long as the store.
  std::string_view Add(std::string_view s);
  // Forgets every text (views into the store dangle); keeps one block for reuse.
  void Clear();
  size_t bytes_reserved() const { return reserved_; }

 private:
  struct Block {
    char* data;
    size_t size;
  };
  void Release();
  std::vector<Block> blocks_;
  char* ptr_ = nullptr;
  size_t left_ = 0;
  size_t reserved_ = 0;
};

}  // namespace inari
