// Read-only file access. MappedFile maps a whole file (zero-copy input for the
// EVTX reader); ReadFileToString reads small files. Both report errors as
// Status with the path and errno text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "inari/result.h"
#include "inari/status.h"

namespace inari {

// A read-only memory map of a file. Immutable after Open, so it may be read by
// any number of threads. Shared through shared_ptr so event values can keep
// pointing into it for as long as a batch needs them.
class MappedFile {
 public:
  static Result<std::shared_ptr<const MappedFile>> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Drops the resident pages of [offset, offset + length) so that memory stays
  // flat however large the file is. The range stays readable: later reads
  // fault the pages back in from the page cache.
  void Release(size_t offset, size_t length) const;

 private:
  MappedFile() = default;
  std::string path_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
};

// Reads from `fd` into buf until `n` bytes are read or the file ends (*got
// tells how many); EINTR is retried, other errors are reported for `path`.
// Leaves `fd` open.
Status ReadFull(int fd, char* buf, size_t n, size_t* got, const std::string& path);

Result<std::string> ReadFileToString(const std::string& path);

// A whole file in memory that is not zeroed before it is read into (a
// std::string is: one more pass over every byte of a large read).
struct FileBytes {
  std::shared_ptr<char[]> data;
  size_t size = 0;
};
Result<FileBytes> ReadFileBytes(const std::string& path);

}  // namespace inari
