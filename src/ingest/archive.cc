#include "ingest/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

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

Result<PaddedText> ReadFilePadded(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(path, std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    int e = errno;
    ::close(fd);
    return e ? Status::IOError(path, std::strerror(e)) : Status::InvalidArgument(path, "not a regular file");
  }
  std::string text;
  size_t expect = static_cast<size_t>(st.st_size);
  text.resize(expect + kInputPadding);
  size_t got = 0;
  for (;;) {
    if (text.size() - got < 65536) text.resize(text.size() * 2 + 65536);  // file grew while reading
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      return Status::IOError(path, std::strerror(e));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
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
  if (starts("BZh", 3) || starts("\xfd" "7zXZ\x00", 6) || starts("\x28\xb5\x2f\xfd", 4) ||
      starts("7z\xbc\xaf\x27\x1c", 6))
    return ContainerKind::kOther;
  return ContainerKind::kNone;
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
  a_ = archive_read_new();
  if (!a_) return Status::IOError(name_, "out of memory");
  archive_read_support_filter_all(a_);
  archive_read_support_format_all(a_);
  archive_read_support_format_raw(a_);  // lone .gz/.bz2/.xz: one member, the stream itself
  int r = from_memory ? archive_read_open_memory(a_, memory_.data, memory_.size)
                      : archive_read_open_filename(a_, name_.c_str(), 1 << 16);
  if (r != ARCHIVE_OK) return Status::IOError(name_, ArchiveError(a_, "cannot open archive"));
  return Status::OK();
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
      Report(reporter, Status::Corruption(name_, ArchiveError(a_, "unreadable archive")), "", true);
      return false;
    }
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
    bool checked = false;   // filter consulted
    bool rejected = false;
    bool damaged = false;
    char buf[1 << 16];
    for (;;) {
      la_ssize_t n = archive_read_data(a_, buf, sizeof buf);
      if (n == 0) break;
      if (n < 0) {
        if (n == ARCHIVE_RETRY) continue;
        damaged = true;
        Status s = is_stream_ ? Status::Truncated(name_, ArchiveError(a_, "compressed stream is damaged"))
                              : Status::Corruption("archive member", ArchiveError(a_, "damaged data"));
        Report(reporter, std::move(s), name, false);
        if (n == ARCHIVE_FATAL) done_ = true;
        break;
      }
      text.append(buf, static_cast<size_t>(n));
      if (!checked && text.size() >= kHeadBytes) {
        checked = true;
        rejected = !filter(name, std::string_view(text).substr(0, kHeadBytes));
        if (rejected) break;  // libarchive skips the rest at the next header
      }
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
