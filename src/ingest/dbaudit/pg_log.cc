#include "ingest/dbaudit/pg_log.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "ingest/dbaudit/pg_parser.h"

namespace inari {

std::string_view PgLogFormatName(PgLogFormat f) {
  switch (f) {
    case PgLogFormat::kStderr: return "pglog";
    case PgLogFormat::kCsv: return "pgcsv";
    case PgLogFormat::kJson: return "pgjson";
  }
  return "?";
}

std::optional<PgLogFormat> SniffPgLog(std::string_view head) {
  if (head.size() >= 3 && head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  if (head.empty()) return std::nullopt;
  const std::string_view first = head.substr(0, head.find('\n'));
  if (head[0] == '{') {
    if (first.substr(0, 14) == "{\"timestamp\":\"" && first.find("\"error_severity\":\"") != std::string_view::npos)
      return PgLogFormat::kJson;
    return std::nullopt;
  }
  {
    int64_t ns;
    std::string_view zone;
    const char* q = pg::ParsePgTime(head.data(), head.data() + head.size(), true, &ns, &zone);
    if (q && q < head.data() + head.size() && *q == ',') {
      static const char* const kSev[] = {",LOG,", ",ERROR,", ",FATAL,", ",WARNING,", ",NOTICE,",
                                         ",INFO,", ",DEBUG,", ",PANIC,"};
      for (const char* s : kSev)
        if (head.find(s) != std::string_view::npos) return PgLogFormat::kCsv;
    }
  }
  // stderr: most lines carry a severity word; continuation lines start with a tab.
  size_t lines = 0, hits = 0, pos = 0;
  while (pos < head.size() && lines < 40) {
    size_t nl = head.find('\n', pos);
    std::string_view line = head.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    const bool complete = nl != std::string_view::npos;
    pos = complete ? nl + 1 : head.size();
    if (line.empty() || line[0] == '\t' || line == "\r") continue;
    pg::PrefixFields f;
    const char* sev;
    const bool hit = pg::MatchLoose(line, &f, &sev);
    if (!complete && !hit && lines > 0) break;  // a line cut by the end of the head
    ++lines;
    hits += hit;
  }
  if (hits > 0 && hits * 2 >= lines) return PgLogFormat::kStderr;
  return std::nullopt;
}

namespace {

// Decompresses up to `max` bytes from the start of a gzip stream (for sniffing).
std::string GunzipHead(std::string_view gz, size_t max) {
  std::string out(max, '\0');
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return {};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(max);
  int rc = Z_OK;
  while (zs.avail_out > 0 && rc == Z_OK) rc = inflate(&zs, Z_NO_FLUSH);
  out.resize(max - zs.avail_out);
  inflateEnd(&zs);
  return out;
}

Result<std::string> ReadHead(const std::string& path, size_t max) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(path, std::strerror(errno));
  std::string head(max, '\0');
  size_t n = 0;
  while (n < max) {
    ssize_t r = ::read(fd, head.data() + n, max - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += static_cast<size_t>(r);
  }
  ::close(fd);
  head.resize(n);
  return head;
}

bool IsGzip(std::string_view s) { return s.size() >= 2 && s[0] == '\x1f' && s[1] == '\x8b'; }

class PgFileReader final : public Reader {
 public:
  PgFileReader(std::string source, PaddedText text, PgLogFormat format, const PgLogOptions& options,
               IssueReporter* reporter, uint64_t shown_total)
      : source_(source),
        text_(std::move(text)),
        parser_(format, options, std::move(source), reporter),
        reporter_(reporter),
        shown_total_(shown_total) {
    begin_ = text_.data;
    end_ = text_.data + text_.size;
    pos_ = released_ = begin_;
    if (text_.size >= 3 && std::memcmp(begin_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
  }

  bool Next(EventBatch* batch, size_t max_events) noexcept override {
    try {
      if (pos_ >= end_) {
        parser_.Finish();
        return false;
      }
      if (text_.release && pos_ - released_ >= kReleaseStep) {
        text_.release(released_, pos_);
        released_ = pos_;
      }
      const auto& sources = batch->sources();
      if (source_batch_ != batch || source_index_ >= sources.size() || sources[source_index_] != source_) {
        source_index_ = batch->AddSource(source_);
        source_batch_ = batch;
        batch->Retain(text_.owner);
      }
      pos_ = parser_.Parse(pos_, end_, end_ + kInputPadding, true, batch, source_index_, max_events);
      if (pos_ >= end_) {
        parser_.Finish();
        return false;
      }
      return true;
    } catch (const std::exception& e) {  // out of memory: give up on this source
      if (reporter_)
        reporter_->Report(ReadIssue{Status::IOError("PostgreSQL log reader", e.what()), source_,
                                    "line " + std::to_string(parser_.line()), true});
      pos_ = end_;
      return false;
    }
  }

  uint64_t bytes_done() const override {
    const uint64_t done = static_cast<uint64_t>(pos_ - begin_);
    if (!shown_total_ || text_.size == 0) return done;
    return pos_ >= end_ ? shown_total_
                        : static_cast<uint64_t>(static_cast<double>(shown_total_) * static_cast<double>(done) /
                                                static_cast<double>(text_.size));
  }
  uint64_t bytes_total() const override { return shown_total_ ? shown_total_ : text_.size; }

 private:
  static constexpr ptrdiff_t kReleaseStep = 8 << 20;
  std::string source_;
  PaddedText text_;
  pg::Parser parser_;
  IssueReporter* reporter_;
  uint64_t shown_total_;
  const char* begin_;
  const char* end_;
  const char* pos_;
  const char* released_;
  const EventBatch* source_batch_ = nullptr;
  uint32_t source_index_ = 0;
};

}  // namespace

std::unique_ptr<Reader> NewPgLogReader(std::string source, PaddedText text, PgLogFormat format,
                                       const PgLogOptions& options, IssueReporter* reporter) {
  return std::make_unique<PgFileReader>(std::move(source), std::move(text), format, options, reporter, 0);
}

std::optional<PgLogFormat> SniffPgLogFile(const std::string& path) {
  auto head = ReadHead(path, 4096);
  if (!head.has_value()) return std::nullopt;
  if (IsGzip(head.value())) {
    auto whole = ReadHead(path, 64 << 10);  // enough compressed input for 4 KiB of text
    if (!whole.has_value()) return std::nullopt;
    return SniffPgLog(GunzipHead(whole.value(), 4096));
  }
  return SniffPgLog(head.value());
}

Result<std::unique_ptr<Reader>> OpenPgLogReader(const std::string& path, std::optional<PgLogFormat> format,
                                                const PgLogOptions& options, IssueReporter* reporter) {
  auto head = ReadHead(path, 2);
  if (!head.has_value()) return head.error();
  PaddedText text;
  uint64_t shown_total = 0;
  if (IsGzip(head.value())) {
    auto file = ReadFilePadded(path);
    if (!file.has_value()) return file.error();
    Gunzipped g = Gunzip(file.value().view(), path);
    if (!g.status.ok() && reporter) reporter->Report(ReadIssue{g.status, path, "", false});
    text = std::move(g.text);
    shown_total = file.value().size;
  } else {
    auto file = ReadFilePadded(path);
    if (!file.has_value()) return file.error();
    text = std::move(file).value();
  }
  if (!format) {
    format = SniffPgLog(text.view().substr(0, 4096));
    if (!format) return Status::NotSupported(path, "not a PostgreSQL log (stderr, csvlog or jsonlog)");
  }
  return std::unique_ptr<Reader>(
      std::make_unique<PgFileReader>(path, std::move(text), *format, options, reporter, shown_total));
}

}  // namespace inari
