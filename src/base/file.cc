#include "base/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>

namespace inari {

namespace {

// Opens `path` for reading and stats it; on failure nothing stays open.
Status OpenAndStat(const std::string& path, int* fd, struct stat* st) {
  *fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (*fd < 0) return Status::IOError(path, std::strerror(errno));
  if (::fstat(*fd, st) != 0) {
    int e = errno;
    ::close(*fd);
    *fd = -1;
    return Status::IOError(path, std::strerror(e));
  }
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<const MappedFile>> MappedFile::Open(const std::string& path) {
  int fd;
  struct stat st;
  if (Status s = OpenAndStat(path, &fd, &st); !s.ok()) return s;
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path, "not a regular file");
  }
  std::shared_ptr<MappedFile> f(new MappedFile());
  f->path_ = path;
  f->size_ = static_cast<size_t>(st.st_size);
  if (f->size_ > 0) {
    void* p = ::mmap(nullptr, f->size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int e = errno;
      ::close(fd);
      return Status::IOError(path, std::strerror(e));
    }
    ::madvise(p, f->size_, MADV_SEQUENTIAL);
    f->data_ = static_cast<const uint8_t*>(p);
    f->mapped_ = true;
  }
  ::close(fd);
  return std::shared_ptr<const MappedFile>(std::move(f));
}

void MappedFile::Release(size_t offset, size_t length) const {
  if (!mapped_ || offset >= size_) return;
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  size_t begin = (offset + page - 1) / page * page;  // only whole pages inside the range
  size_t end = std::min(size_, offset + length);
  if (end != size_) end = end / page * page;
  if (end <= begin) return;
  ::madvise(const_cast<uint8_t*>(data_) + begin, end - begin, MADV_DONTNEED);
}

MappedFile::~MappedFile() {
  if (mapped_) ::munmap(const_cast<uint8_t*>(data_), size_);
}

Status ReadFull(int fd, char* buf, size_t n, size_t* got, const std::string& path) {
  *got = 0;
  while (*got < n) {
    ssize_t r = ::read(fd, buf + *got, n - *got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(path, std::strerror(errno));
    }
    if (r == 0) break;
    *got += static_cast<size_t>(r);
  }
  return Status::OK();
}

Result<std::string> ReadFileToString(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(path, std::strerror(errno));
  // Read straight into a string of the file's size (a growing string copied
  // every byte again on each doubling); a file that grows meanwhile is read
  // on to its end.
  std::string out;
  struct stat st;
  size_t cap = ::fstat(fd, &st) == 0 && st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1 : size_t{1} << 16;
  out.resize(cap);
  size_t len = 0;
  for (;;) {
    if (len == out.size()) out.resize(out.size() * 2);
    size_t got = 0;
    const size_t room = out.size() - len;
    Status s = ReadFull(fd, out.data() + len, room, &got, path);
    if (!s.ok()) {
      ::close(fd);
      return s;
    }
    len += got;
    if (got < room) break;  // the end of the file
  }
  ::close(fd);
  out.resize(len);
  return out;
}

Result<FileBytes> ReadFileBytes(const std::string& path) {
  int fd;
  struct stat st;
  if (Status s = OpenAndStat(path, &fd, &st); !s.ok()) return s;
  FileBytes out;
  const size_t want = st.st_size > 0 ? static_cast<size_t>(st.st_size) : 0;
  out.data = std::make_shared_for_overwrite<char[]>(want ? want : 1);
  // What the file holds now, up to the size it had.
  Status s = ReadFull(fd, out.data.get(), want, &out.size, path);
  ::close(fd);
  if (!s.ok()) return s;
  return out;
}

}  // namespace inari
