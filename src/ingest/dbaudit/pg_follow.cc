// FollowReader: a PostgreSQL log that keeps growing (pg_log.h).
//
// Text is read with read(2) in pieces of up to 1 MiB into a fresh buffer that
// starts with the unread tail of the previous one (an unfinished line or
// entry), so events of earlier batches keep pointing into buffers that never
// change; each batch Retain()s the buffers it points into.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>

#include "ingest/dbaudit/pg_log.h"
#include "ingest/dbaudit/pg_parser.h"

namespace inari {

namespace {

constexpr size_t kReadSize = 1 << 20;

class PgFollowReader final : public FollowReader {
 public:
  PgFollowReader(std::string path, std::optional<PgLogFormat> format, const PgLogOptions& options,
                 const FollowOptions& follow, IssueReporter* reporter)
      : path_(std::move(path)), format_(format), options_(options), follow_(follow), reporter_(reporter) {}

  ~PgFollowReader() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Open() {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return Status::IOError(path_, std::strerror(errno));
    files_opened_ = 1;
    if (follow_.from_end) {
      off_t end = ::lseek(fd_, 0, SEEK_END);
      if (end > 0) {
        offset_ = static_cast<uint64_t>(end);
        // Mid-line (the last line is still being written): start at the next line.
        char last = '\n';
        skip_to_line_start_ = ::pread(fd_, &last, 1, end - 1) == 1 && last != '\n';
      }
    }
    scratch_.resize(kReadSize);
    return Status::OK();
  }

  void Stop() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
  }
  uint64_t files_opened() const override { return files_opened_; }
  uint64_t bytes_done() const override { return done_; }
  uint64_t bytes_total() const override { return 0; }

  bool Next(EventBatch* batch, size_t max_events) noexcept override {
    try {
      if (failed_) return false;
      const size_t start = batch->size();
      for (;;) {
        if (stop_.load()) {
          Flush(batch, /*whole=*/true);
          if (parser_) parser_->Finish();
          return false;
        }
        // 1. What is buffered.
        if (parser_ && pos_ < end_) {
          ParseInto(batch, false, end_, max_events - std::min(max_events, batch->size() - start));
          if (batch->size() - start >= max_events) return true;
        }
        if (batch->size() > start) return true;  // hand out before waiting for more
        // 2. More text. After a wait, first make sure the path still names
        // the same, untruncated file: its new text must not be read at the old offset.
        if (idle_polls_ > 0 && CheckRotation(batch)) {
          idle_polls_ = 0;
          continue;
        }
        if (ReadMore()) {
          idle_polls_ = 0;
          if (!parser_ && !StartParser()) return false;
          continue;
        }
        // 3. At the end of the file: rotated or truncated?
        if (idle_polls_ == 0 && CheckRotation(batch)) continue;
        // 4. Idle: an entry that waited for DETAIL lines is complete now.
        if (idle_polls_ >= 1 && parser_ && pos_ < end_) {
          Flush(batch, /*whole=*/false);
          if (batch->size() > start) return true;
        }
        if (!parser_ && idle_polls_ >= 1 && end_ > pos_ && !StartParser(/*idle=*/true)) return false;
        // 5. Wait.
        ++idle_polls_;
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, std::chrono::milliseconds(follow_.poll_ms), [&] { return stop_.load(); });
        return true;
      }
    } catch (const std::exception& e) {
      Fatal(Status::IOError("PostgreSQL log follower", e.what()));
      return false;
    }
  }

 private:
  void Fatal(Status s) {
    failed_ = true;
    if (reporter_) reporter_->Report(ReadIssue{std::move(s), path_, "", true});
  }

  // Detects the format from the buffered text once a line is complete (or
  // the file went idle with a partial line).
  bool StartParser(bool idle = false) {
    std::string_view text(pos_, static_cast<size_t>(end_ - pos_));
    if (!format_) {
      if (text.find('\n') == std::string_view::npos && !idle) return true;  // wait for a whole line
      format_ = SniffPgLog(text.substr(0, 64 << 10));
      if (!format_) {
        Fatal(Status::NotSupported(path_, "not a PostgreSQL log (stderr, csvlog or jsonlog)"));
        return false;
      }
    }
    parser_ = std::make_unique<pg::Parser>(*format_, options_, path_, reporter_);
    return true;
  }

  void ParseInto(EventBatch* batch, bool final, const char* end, size_t max) {
    const auto& sources = batch->sources();
    if (source_batch_ != batch || source_index_ >= sources.size() || sources[source_index_] != path_) {
      source_index_ = batch->AddSource(path_);
      source_batch_ = batch;
      retained_ = nullptr;
    }
    if (retained_ != buf_.get()) {
      batch->Retain(buf_);
      retained_ = buf_.get();
    }
    pos_ = parser_->Parse(pos_, end, end + kInputPadding, final, batch, source_index_, max);
  }

  // Parses what is buffered as complete: up to the last newline, or all of it
  // (the file ended: rotated away, truncated, or the reader stops).
  void Flush(EventBatch* batch, bool whole) {
    if (!parser_ || pos_ >= end_) return;
    const char* end = end_;
    if (!whole) {
      const char* nl = static_cast<const char*>(memrchr(pos_, '\n', static_cast<size_t>(end_ - pos_)));
      if (!nl) return;
      end = nl + 1;
    }
    ParseInto(batch, true, end, SIZE_MAX);
  }

  // Reads up to 1 MiB more; false at the end of the file.
  bool ReadMore() {
    ssize_t n;
    do {
      n = ::pread(fd_, scratch_.data(), scratch_.size(), static_cast<off_t>(offset_));
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    offset_ += static_cast<uint64_t>(n);
    done_ += static_cast<uint64_t>(n);
    const char* data = scratch_.data();
    size_t len = static_cast<size_t>(n);
    if (skip_to_line_start_) {  // --from-end: begin with the next whole line
      const char* nl = static_cast<const char*>(std::memchr(data, '\n', len));
      if (!nl) return true;
      len -= static_cast<size_t>(nl + 1 - data);
      data = nl + 1;
      skip_to_line_start_ = false;
    }
    const size_t tail = static_cast<size_t>(end_ - pos_);
    auto buf = std::make_shared<std::string>();
    buf->resize(tail + len + kInputPadding);
    if (tail) std::memcpy(buf->data(), pos_, tail);
    std::memcpy(buf->data() + tail, data, len);
    buf_ = std::move(buf);
    pos_ = buf_->data();
    end_ = pos_ + tail + len;
    return true;
  }

  // At the end of the file: switches to a new file behind the path, or
  // starts again after a truncation. True if it did.
  bool CheckRotation(EventBatch* batch) {
    struct stat by_path, by_fd;
    if (::fstat(fd_, &by_fd) != 0) return false;
    // Truncated in place: shorter than what was read, or (truncated and
    // written again past the old size between two polls) its first bytes changed.
    if (static_cast<uint64_t>(by_fd.st_size) < offset_ || HeadChanged()) {
      Flush(batch, true);
      Reset();
      offset_ = 0;
      ++files_opened_;
      return true;
    }
    if (::stat(path_.c_str(), &by_path) != 0) return false;  // renamed, not recreated yet
    if (by_path.st_ino == by_fd.st_ino && by_path.st_dev == by_fd.st_dev) return false;
    // A new file: finish the old one first (it may have grown since the last read).
    if (ReadMore()) return true;
    Flush(batch, true);
    int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;  // try again at the next poll
    ::close(fd_);
    fd_ = fd;
    Reset();
    offset_ = 0;
    ++files_opened_;
    return true;
  }

  // The first bytes of the file, remembered once read, compared at each idle poll.
  bool HeadChanged() {
    char now[64];
    const size_t want = head_.empty() ? std::min<uint64_t>(sizeof now, offset_) : head_.size();
    if (want == 0) return false;
    ssize_t n = ::pread(fd_, now, want, 0);
    if (n < 0) return false;
    if (head_.empty()) {
      head_.assign(now, static_cast<size_t>(n));
      return false;
    }
    return static_cast<size_t>(n) != head_.size() || std::memcmp(now, head_.data(), head_.size()) != 0;
  }

  void Reset() {
    head_.clear();
    buf_.reset();
    pos_ = end_ = nullptr;
    if (parser_) parser_->RestartLines();
  }

  std::string path_;
  std::optional<PgLogFormat> format_;
  PgLogOptions options_;
  FollowOptions follow_;
  IssueReporter* reporter_;
  std::unique_ptr<pg::Parser> parser_;
  int fd_ = -1;
  uint64_t offset_ = 0;  // read so far from the current file
  uint64_t done_ = 0;    // from all files
  std::atomic<uint64_t> files_opened_{0};
  std::string scratch_;
  std::string head_;  // first bytes of the current file
  std::shared_ptr<std::string> buf_;
  const char* pos_ = nullptr;
  const char* end_ = nullptr;
  const EventBatch* source_batch_ = nullptr;
  uint32_t source_index_ = 0;
  const void* retained_ = nullptr;
  int idle_polls_ = 0;
  bool skip_to_line_start_ = false;
  bool failed_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
};

}  // namespace

Result<std::unique_ptr<FollowReader>> OpenPgFollowReader(const std::string& path, std::optional<PgLogFormat> format,
                                                         const PgLogOptions& options, const FollowOptions& follow,
                                                         IssueReporter* reporter) {
  auto r = std::make_unique<PgFollowReader>(path, format, options, follow, reporter);
  Status s = r->Open();
  if (!s.ok()) return s;
  return std::unique_ptr<FollowReader>(std::move(r));
}

}  // namespace inari
