// Containers around input files: archives (zip, tar, tar.gz/.tgz, tar.bz2,
// tar.xz, 7z) and lone compressed streams (.gz, .bz2, .xz, .zst), read with
// libarchive. Members come out one after another, each extracted whole into
// memory as a PaddedText (parsers such as simdjson may read a little past the
// end of their input).
//
// Damage: a member whose data cannot be extracted is reported (non-fatal,
// source "archive.zip:member") and skipped, and the next member is read; damage
// that stops libarchive from finding any further member ends the archive,
// reported first. A lone compressed stream that ends early keeps what could be
// decompressed (reported as Truncated): a cut-off .jsonl.gz still yields its
// complete lines.
// Ownership: member buffers are shared_ptr-owned, so events may point into them
// for as long as a batch Retain()s them. Thread-safety: one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "inari/result.h"
#include "ingest/reader.h"

struct archive;  // libarchive

namespace inari {

// Readable bytes guaranteed after the end of every PaddedText (≥ SIMDJSON_PADDING).
inline constexpr size_t kInputPadding = 64;

// `size` bytes of text followed by at least kInputPadding readable bytes.
struct PaddedText {
  std::shared_ptr<const void> owner;  // keeps `data` alive (EventBatch::Retain it)
  const char* data = nullptr;
  size_t size = 0;
  std::string_view view() const { return {data, size}; }
  // For mapped files: lets the OS drop the pages of [from, to) (they stay
  // readable and fault back in from the file). Readers call it behind their
  // position so memory stays flat however large the file. Null for copies.
  std::function<void(const char* from, const char* to)> release;
};

// Wraps a string; copies it (once) when its capacity leaves too little padding.
PaddedText MakePaddedText(std::shared_ptr<const std::string> text);
// Takes ownership of `text` (padding is added in place).
PaddedText MakePaddedText(std::string&& text);
// A whole file in memory, padded: mapped (from 1 MiB on; like MappedFile, a file
// truncated while mapped faults) or read.
Result<PaddedText> ReadFilePadded(const std::string& path);

enum class ContainerKind {
  kNone,  // not a container: plain content
  kGzip,  // may hold a tar, decided by libarchive
  kZip,
  kTar,
  kOther,  // bzip2, xz, zstd, 7z
};
// Kind of container from the first bytes of a file (at least 262 bytes for tar).
ContainerKind SniffContainer(const uint8_t* p, size_t n);

// gzip ------------------------------------------------------------------------

// True if the gzip data holds a tar archive (its first 512 decompressed bytes
// carry the ustar magic).
bool GzipHoldsTar(std::string_view gzip);

struct Gunzipped {
  PaddedText text;  // all that could be decompressed
  Status status;    // OK, or Truncated / Corruption: `text` ends where the damage begins
};
// Decompresses a whole gzip file (concatenated members too), keeping what
// precedes any damage. `name` is used in the status message.
Gunzipped Gunzip(std::string_view gzip, std::string_view name);

// archives ----------------------------------------------------------------------

struct ArchiveMember {
  std::string name;  // path inside the archive; empty for a lone compressed stream
  PaddedText data;
  bool damaged = false;  // extraction stopped early (already reported); `data` holds what was read
};

class ArchiveInput {
 public:
  // Decides from a member's name and first bytes (up to 4 KiB) whether to extract it.
  using Filter = std::function<bool(std::string_view name, std::string_view head)>;

  // Opens an archive or compressed stream on disk. Fails if libarchive
  // recognises no format.
  static Result<std::unique_ptr<ArchiveInput>> Open(const std::string& path);
  // Same over a buffer in memory (kept alive by the input); `name` is used in reports.
  static Result<std::unique_ptr<ArchiveInput>> FromBuffer(std::string name, PaddedText data);
  ~ArchiveInput();
  ArchiveInput(const ArchiveInput&) = delete;
  ArchiveInput& operator=(const ArchiveInput&) = delete;

  // Extracts the next regular-file member accepted by `filter` (directories,
  // links and rejected members are skipped without a report; a lone compressed
  // stream is always extracted). Returns false at the end of the archive.
  // Damage is reported to `reporter` (may be null).
  bool NextMember(const Filter& filter, ArchiveMember* out, IssueReporter* reporter);

  const std::string& name() const { return name_; }
  // True for a lone compressed stream (one unnamed member) rather than an archive.
  bool is_stream() const { return is_stream_; }
  // Input bytes consumed so far (compressed), and the input's size.
  uint64_t bytes_read() const;
  uint64_t size() const { return size_; }

 private:
  ArchiveInput() = default;
  Status Init(bool from_memory);
  // After a fatal error inside a member libarchive cannot go on: opens the
  // archive again and skips `skip_headers` entries (seekable zips skip cheaply).
  bool Reopen(uint64_t skip_headers, IssueReporter* reporter);
  static constexpr int kMaxReopens = 64;
  void Report(IssueReporter* r, Status s, const std::string& member, bool fatal) const;

  std::string name_;
  PaddedText memory_;  // FromBuffer only
  struct archive* a_ = nullptr;
  uint64_t size_ = 0;
  bool is_stream_ = false;
  bool done_ = false;
  bool from_memory_ = false;
  uint64_t headers_ = 0;  // entries read since the archive was (re)opened
  int reopens_ = 0;
};

}  // namespace inari
