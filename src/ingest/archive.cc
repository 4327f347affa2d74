#include "ingest/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/file.h"

namespace inari {

// ---- padded text ------------------------------------------------------------

PaddedText MakePaddedText(std::shared_ptr<const std::string> text) {
  PaddedText t;
  if (text->capacity() >= text->size() + kInputPadding) {
    // The spare capacity is allocated memory: readable, which is all a parser needs.
    t.data = text->data();
    t.size = text->size();
    t.owner = std::move(text);
    return t;
  }
  std::string copy;
  copy.reserve(text->size() + kInputPadding);
  copy.assign(*text);
  return MakePaddedText(std::move(copy));
}

PaddedText MakePaddedText(std::string&& text) {
  const size_t size = text.size();
  text.resize(size + kInputPadding, ' ');
  auto owned = std::make_shared<const std::string>(std::move(text));
  PaddedText t;
  t.data = owned->data();
  t.size = size;
  t.owner = std::move(owned);
  return t;
}

namespace {

// Files from this size on are mapped rather than copied.
constexpr size_t kMapThreshold = 1 << 20;

// A read-only map of `size` bytes of `fd`, followed by at least one page of
// zeros (an anonymous mapping under the file's), so parsers may read past the end.
struct PaddedMap {
  void* base = nullptr;
  size_t length = 0;
  ~PaddedMap() {
    if (base) ::munmap(base, length);
  }
};

Result<PaddedText> MapPadded(const std::string& path, int fd, size_t size) {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t file_pages = (size + page - 1) / page * page;
  auto map = std::make_shared<PaddedMap>();
  map->length = file_pages + page;
  void* base = ::mmap(nullptr, map->length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return Status::IOError(path, std::strerror(errno));
  map->base = base;
  void* p = ::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
  if (p == MAP_FAILED) return Status::IOError(path, std::strerror(errno));
  ::madvise(p, size, MADV_SEQUENTIAL);
  PaddedText t;
  t.data = static_cast<const char*>(p);
  t.size = size;
  t.release = [page](const char* from, const char* to) {
    auto lo = (reinterpret_cast<uintptr_t>(from) + page - 1) / page * page;
    auto hi = reinterpret_cast<uintptr_t>(to) / page * page;
    if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
  };
  t.owner = std::move(map);
  return t;
}

}  // namespace

Result<PaddedText> ReadFilePadded(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(path, std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    int e = errno;
    ::close(fd);
    return e ? Status::IOError(path, std::strerror(e)) : Status::InvalidArgument(path, "not a regular file");
  }
  const size_t expect = static_cast<size_t>(st.st_size);
  if (expect >= kMapThreshold) {
    auto mapped = MapPadded(path, fd, expect);
    ::close(fd);
    return mapped;
  }
  std::string text;
  text.resize(expect + kInputPadding);
  size_t got = 0;
  for (;;) {
    if (got >= expect && text.size() - got < 4096) text.resize(got + (got >> 1) + 65536);  // file grew meanwhile
    const size_t room = (got < expect ? expect : text.size()) - got;
    size_t n = 0;
    Status s = ReadFull(fd, text.data() + got, room, &n, path);
    if (!s.ok()) {
      ::close(fd);
      return s;
    }
    got += n;
    if (n < room) break;  // the end of the file
  }
  ::close(fd);
  text.resize(got);
  return MakePaddedText(std::move(text));
}

// ---- sniffing ---------------------------------------------------------------

ContainerKind SniffContainer(const uint8_t* p, size_t n) {
  auto starts = [&](const char* magic, size_t len) { return n >= len && std::memcmp(p, magic, len) == 0; };
  if (starts("\x1f\x8b", 2)) return ContainerKind::kGzip;
  if (starts("PK\x03\x04", 4) || starts("PK\x05\x06", 4) || starts("PK\x07\x08", 4)) return ContainerKind::kZip;
  if (n >= 262 && std::memcmp(p + 257, "ustar", 5) == 0) return ContainerKind::kTar;
  if (starts("BZh", 3) ||
      starts("\xfd"
             "7zXZ\x00",
             6) ||
      starts("\x28\xb5\x2f\xfd", 4) || starts("7z\xbc\xaf\x27\x1c", 6))
    return ContainerKind::kOther;
  return ContainerKind::kNone;
}

// ---- gzip ----------------------------------------------------------------------

bool GzipHoldsTar(std::string_view gzip) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return false;
  unsigned char out[512];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  z.avail_in = static_cast<uInt>(std::min<size_t>(gzip.size(), 1u << 30));
  z.next_out = out;
  z.avail_out = sizeof out;
  int r = Z_OK;
  while (z.avail_out > 0 && r == Z_OK) r = inflate(&z, Z_NO_FLUSH);
  const size_t got = sizeof out - z.avail_out;
  inflateEnd(&z);
  return got >= 262 && std::memcmp(out + 257, "ustar", 5) == 0;
}

Gunzipped Gunzip(std::string_view gzip, std::string_view name) {
  Gunzipped result;
  std::string out;
  // The last 4 bytes hold the size of the last member mod 2^32: a good first guess.
  size_t guess = gzip.size() * 4;
  if (gzip.size() >= 18) {
    const auto* t = reinterpret_cast<const uint8_t*>(gzip.data() + gzip.size() - 4);
    const size_t isize = t[0] | t[1] << 8 | t[2] << 16 | static_cast<size_t>(t[3]) << 24;
    if (isize > guess && isize < gzip.size() * 1100) guess = isize;
  }
  out.resize(guess + kInputPadding);
  size_t used = 0;
  size_t pos = 0;
  while (pos < gzip.size()) {
    if (gzip.size() - pos < 2 || static_cast<uint8_t>(gzip[pos]) != 0x1f ||
        static_cast<uint8_t>(gzip[pos + 1]) != 0x8b) {
      if (pos == 0) result.status = Status::Corruption(name, "not gzip data");
      break;  // padding or garbage after the last member: ignored
    }
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) {
      result.status = Status::IOError(name, "zlib initialisation failed");
      break;
    }
    int r = Z_OK;
    while (r == Z_OK || r == Z_BUF_ERROR) {
      if (out.size() - used < 65536 + kInputPadding) out.resize(out.size() + out.size() / 2 + 65536);
      const size_t in_left = gzip.size() - pos;
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data() + pos));
      z.avail_in = static_cast<uInt>(std::min<size_t>(in_left, 1u << 30));
      z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
      z.avail_out = static_cast<uInt>(std::min<size_t>(out.size() - used - kInputPadding, 1u << 30));
      const uInt in_before = z.avail_in, out_before = z.avail_out;
      r = inflate(&z, Z_NO_FLUSH);
      pos += in_before - z.avail_in;
      used += out_before - z.avail_out;
      if (r == Z_BUF_ERROR && pos >= gzip.size()) break;  // input ends inside the member
      if (r == Z_BUF_ERROR && in_before == z.avail_in && out_before == z.avail_out) break;
    }
    const char* msg = z.msg;
    inflateEnd(&z);
    if (r == Z_STREAM_END) continue;  // maybe another member follows
    if (r == Z_BUF_ERROR || r == Z_OK) {
      result.status = Status::Truncated(name, "gzip data ends early; keeping what precedes the cut");
    } else {
      result.status = Status::Corruption(name, std::string("damaged gzip data (") + (msg ? msg : "inflate error") +
                                                   "); keeping what precedes the damage");
    }
    break;
  }
  out.resize(used);
  result.text = MakePaddedText(std::move(out));
  return result;
}

// ---- ArchiveInput -----------------------------------------------------------

namespace {

constexpr size_t kHeadBytes = 4096;

std::string ArchiveError(struct archive* a, const char* fallback) {
  const char* s = archive_error_string(a);
  return s && *s ? std::string(s) : std::string(fallback);
}

}  // namespace

Result<std::unique_ptr<ArchiveInput>> ArchiveInput::Open(const std::string& path) {
  std::unique_ptr<ArchiveInput> in(new ArchiveInput());
  in->name_ = path;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Status::IOError(path, std::strerror(errno));
  in->size_ = static_cast<uint64_t>(st.st_size);
  if (Status s = in->Init(false); !s.ok()) return s;
  return in;
}

Result<std::unique_ptr<ArchiveInput>> ArchiveInput::FromBuffer(std::string name, PaddedText data) {
  std::unique_ptr<ArchiveInput> in(new ArchiveInput());
  in->name_ = std::move(name);
  in->size_ = data.size;
  in->memory_ = std::move(data);
  if (Status s = in->Init(true); !s.ok()) return s;
  return in;
}

ArchiveInput::~ArchiveInput() {
  if (a_) archive_read_free(a_);
}

Status ArchiveInput::Init(bool from_memory) {
  from_memory_ = from_memory;
  if (a_) archive_read_free(a_);
  a_ = archive_read_new();
  if (!a_) return Status::IOError(name_, "out of memory");
  archive_read_support_filter_all(a_);
  // Formats with a signature only: format_all would include mtree, whose bidder
  // takes JSON Lines (a line like `{"a":1}` reads as an mtree entry).
  archive_read_support_format_tar(a_);
  archive_read_support_format_gnutar(a_);
  archive_read_support_format_zip(a_);
  archive_read_support_format_7zip(a_);
  archive_read_support_format_rar(a_);
  archive_read_support_format_rar5(a_);
  archive_read_support_format_cpio(a_);
  archive_read_support_format_empty(a_);  // a zero-length stream (empty .gz)
  archive_read_support_format_raw(a_);    // lone .gz/.bz2/.xz: one member, the stream itself
  int r = from_memory ? archive_read_open_memory(a_, memory_.data, memory_.size)
                      : archive_read_open_filename(a_, name_.c_str(), 1 << 16);
  if (r != ARCHIVE_OK) return Status::IOError(name_, ArchiveError(a_, "cannot open archive"));
  headers_ = 0;
  return Status::OK();
}

bool ArchiveInput::Reopen(uint64_t skip_headers, IssueReporter* reporter) {
  if (++reopens_ > kMaxReopens || !Init(from_memory_).ok()) return false;
  struct archive_entry* entry = nullptr;
  while (headers_ < skip_headers) {
    int r = archive_read_next_header(a_, &entry);
    if (r == ARCHIVE_EOF || r == ARCHIVE_FATAL) return false;
    ++headers_;
  }
  return true;
}

uint64_t ArchiveInput::bytes_read() const {
  if (!a_) return 0;
  la_int64_t n = archive_filter_bytes(a_, -1);
  return n > 0 ? static_cast<uint64_t>(n) : 0;
}

void ArchiveInput::Report(IssueReporter* r, Status s, const std::string& member, bool fatal) const {
  if (!r) return;
  ReadIssue issue;
  issue.status = std::move(s);
  issue.source = member.empty() ? name_ : name_ + ":" + member;
  issue.where = member.empty() ? "" : "member " + member;
  issue.fatal = fatal;
  r->Report(issue);
}

bool ArchiveInput::NextMember(const Filter& filter, ArchiveMember* out, IssueReporter* reporter) {
  while (!done_) {
    struct archive_entry* entry = nullptr;
    int r = archive_read_next_header(a_, &entry);
    if (r == ARCHIVE_EOF) {
      done_ = true;
      return false;
    }
    if (r == ARCHIVE_FATAL || r == ARCHIVE_RETRY) {
      done_ = true;
      Report(reporter, Status::Corruption(name_, ArchiveError(a_, "unreadable archive")), "", headers_ == 0);
      return false;
    }
    const uint64_t index = headers_++;
    is_stream_ = archive_format(a_) == ARCHIVE_FORMAT_RAW;
    const char* pathname = archive_entry_pathname_utf8(entry);
    if (!pathname) pathname = archive_entry_pathname(entry);
    std::string name = is_stream_ || !pathname ? std::string() : std::string(pathname);
    if (r == ARCHIVE_FAILED) {  // this entry is unusable; the next one may be fine
      Report(reporter, Status::Corruption("archive member", ArchiveError(a_, "unreadable header")), name, false);
      continue;
    }
    if (r == ARCHIVE_WARN)
      Report(reporter, Status::Corruption("archive member", ArchiveError(a_, "damaged header")), name, false);
    if (!is_stream_ && archive_entry_filetype(entry) != AE_IFREG) continue;

    std::string text;
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0)
      text.reserve(static_cast<size_t>(archive_entry_size(entry)) + kInputPadding);
    bool checked = is_stream_;  // a lone stream is the file itself: always extracted
    bool rejected = false;
    bool damaged = false;
    bool fatal = false;
    char buf[1 << 16];
    for (;;) {
      la_ssize_t n = archive_read_data(a_, buf, sizeof buf);
      if (n == 0) break;
      if (n < 0) {
        if (n == ARCHIVE_RETRY) continue;
        damaged = true;
        fatal = n == ARCHIVE_FATAL;
        Status s = is_stream_ ? Status::Truncated(name_, ArchiveError(a_, "compressed stream is damaged"))
                              : Status::Corruption("archive member", ArchiveError(a_, "damaged data"));
        Report(reporter, std::move(s), name, false);
        break;
      }
      text.append(buf, static_cast<size_t>(n));
      if (!checked && text.size() >= kHeadBytes) {
        checked = true;
        rejected = !filter(name, std::string_view(text).substr(0, kHeadBytes));
        if (rejected) break;  // libarchive skips the rest at the next header
      }
    }
    if (fatal && !is_stream_ && !Reopen(index + 1, reporter)) {
      // libarchive cannot go on after a fatal error; the members after this one are out of reach.
      done_ = true;
      Report(reporter, Status::Corruption(name_, "members after the damaged one cannot be reached"), "", false);
    } else if (fatal) {
      done_ = is_stream_;
    }
    if (rejected) continue;
    if (damaged && !is_stream_) continue;  // a damaged member's data cannot be trusted: skipped
    if (!checked && !filter(name, std::string_view(text).substr(0, std::min(text.size(), kHeadBytes)))) continue;
    out->name = std::move(name);
    out->damaged = damaged;
    out->data = MakePaddedText(std::move(text));
    return true;
  }
  return false;
}

}  // namespace inari
