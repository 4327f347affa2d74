#include "ingest/json/json_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "ingest/archive.h"
#include "ingest/json/json_record.h"

namespace inari {

namespace {

// Reports per source before the rest are only counted.
constexpr uint64_t kMaxReportsPerSource = 100;

inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t CountNewlines(const char* p, const char* end) {
  size_t n = 0;
  while (p < end) {
    const void* q = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (!q) break;
    ++n;
    p = static_cast<const char*>(q) + 1;
  }
  return n;
}

std::string_view SkipBom(std::string_view s) {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

// True if the text's first non-blank character opens a JSON object or array.
bool LooksLikeJson(std::string_view head) {
  head = SkipBom(head);
  size_t i = 0;
  while (i < head.size() && IsSpace(head[i])) ++i;
  return i < head.size() && (head[i] == '{' || head[i] == '[');
}

bool HasJsonExtension(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string ext(name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == "json" || ext == "jsonl" || ext == "ndjson";
}

// Archive members worth reading as JSON.
bool IsJsonMember(std::string_view name, std::string_view head) {
  std::string_view base = name.substr(name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1);
  if (name.find("__MACOSX/") != std::string_view::npos || base.substr(0, 2) == "._") return false;
  return HasJsonExtension(name) || LooksLikeJson(head);
}

// ---- finding where a record ends (slow path) ----------------------------------

enum class ScanEnd {
  kComplete,         // brackets balanced: [start, end) is the record
  kEof,              // input ends inside the record
  kNewlineInString,  // a string runs past the end of its line: the record was cut short
  kNextRecord,       // a new record starts (see ScanValue) before this one is closed
};

struct Scan {
  const char* end;
  ScanEnd how;
};

// From `p` (at '{' or '['), finds the end of the JSON value by counting
// brackets outside strings. With stop_indent ≥ 0, a line indented by at most
// stop_indent whose first character is '{' starts the next record: the record
// was cut short (end = that line).
Scan ScanValue(const char* p, const char* end, int stop_indent) {
  int64_t depth = 0;
  while (p < end) {
    const char c = *p;
    if (c == '"') {
      const char* q = p + 1;
      for (;;) {
        const char* r = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
        const char* limit = r ? r : end;
        if (const void* nl = std::memchr(q, '\n', static_cast<size_t>(limit - q)))
          return {static_cast<const char*>(nl), ScanEnd::kNewlineInString};
        if (!r) return {end, ScanEnd::kEof};
        const char* b = r;
        while (b > q && b[-1] == '\\') --b;
        if (((r - b) & 1) == 0) {
          p = r + 1;
          break;
        }
        q = r + 1;  // an escaped quote
      }
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth <= 0) return {p + 1, ScanEnd::kComplete};
    } else if (c == '\n' && stop_indent >= 0) {
      const char* l = p + 1;
      int indent = 0;
      while (l < end && (*l == ' ' || *l == '\t') && indent <= stop_indent) {
        ++l;
        ++indent;
      }
      if (indent <= stop_indent && l < end && *l == '{') return {p + 1, ScanEnd::kNextRecord};
    }
    ++p;
  }
  return {end, ScanEnd::kEof};
}

// ---- reading one text ------------------------------------------------------------

class JsonTextReader final : public Reader {
 public:
  // `shown_total`: the size progress is reported against (the compressed size of
  // a .gz), 0 for the text's own size.
  JsonTextReader(std::string source, PaddedText text, json::RecordParser* parser,
                 std::unique_ptr<json::RecordParser> owned, IssueReporter* reporter, uint64_t shown_total = 0)
      : source_(std::move(source)),
        text_(std::move(text)),
        owned_(std::move(owned)),
        parser_(parser ? parser : owned_.get()),
        reporter_(reporter),
        shown_total_(shown_total) {
    begin_ = text_.data;
    end_ = text_.data + text_.size;
    readable_end_ = end_ + kInputPadding;
    pos_ = start_ = begin_ + (SkipBom(text_.view()).data() - text_.data);
    released_ = begin_;
  }

  bool Next(EventBatch* batch, size_t max_events) noexcept override {
    try {
      batch_ = batch;
      source_ready_ = false;
      // Batches before this one are consumed: let their input pages go.
      if (text_.release && pos_ - released_ >= kReleaseStep) {
        text_.release(released_, pos_);
        released_ = pos_;
      }
      const size_t start = batch->size();
      while (batch->size() - start < max_events) {
        if (!Step()) {
          Finish();
          return false;
        }
      }
      return true;
    } catch (const std::exception& e) {  // out of memory: give up on this source
      Report(Status::IOError("JSON reader", e.what()), "line " + std::to_string(line_), true);
      pos_ = end_;
      return false;
    }
  }

  uint64_t bytes_done() const override {
    const uint64_t done = static_cast<uint64_t>(pos_ - begin_);
    if (!shown_total_ || text_.size == 0) return shown_total_ && pos_ >= end_ ? shown_total_ : done;
    return pos_ >= end_ ? shown_total_
                        : static_cast<uint64_t>(static_cast<double>(shown_total_) * static_cast<double>(done) /
                                                static_cast<double>(text_.size));
  }
  uint64_t bytes_total() const override { return shown_total_ ? shown_total_ : text_.size; }
  const std::string& source() const { return source_; }

 private:
  // Handles the next unit (a record, an array bracket, a stray token); false at the end.
  bool Step() {
    SkipSpace();
    if (pos_ >= end_) {
      if (in_array_) {
        Report(Status::Truncated("JSON array", "input ends before its closing ']'"),
               "line " + std::to_string(array_line_));
        in_array_ = false;
      }
      return false;
    }
    const char c = *pos_;
    if (in_array_) {
      if (c == ']') {
        in_array_ = false;
        ++pos_;
      } else if (c == ',') {
        ++pos_;
      } else if (c == '{') {
        // Fast path, one element per line: "{...}" or "{...},".
        const char* eol = static_cast<const char*>(std::memchr(pos_, '\n', static_cast<size_t>(end_ - pos_)));
        const char* last = eol ? eol : end_;
        while (last > pos_ && (IsSpace(last[-1]) || last[-1] == ',')) --last;
        if (last > pos_ && last[-1] == '}' &&
            parser_
                ->Parse(pos_, static_cast<size_t>(last - pos_), static_cast<size_t>(readable_end_ - pos_), batch_,
                        Origin(), &repaired_)
                .ok()) {
          AfterParse(line_);
          pos_ = last;
          return true;
        }
        SlowRecord();
      } else {
        Malformed(Status::ParseError("JSON array element", "not a JSON object"));
      }
      return true;
    }
    if (c == '[') {
      in_array_ = true;
      array_line_ = line_;
      ++pos_;
      return true;
    }
    if (c != '{') {
      Malformed(Status::ParseError("JSON record", "expected '{' or '['"));
      return true;
    }
    // Fast path, JSON Lines: the rest of the line is the record.
    const char* eol = static_cast<const char*>(std::memchr(pos_, '\n', static_cast<size_t>(end_ - pos_)));
    if (!eol) eol = end_;
    if (parser_
            ->Parse(pos_, static_cast<size_t>(eol - pos_), static_cast<size_t>(readable_end_ - pos_), batch_, Origin(),
                    &repaired_)
            .ok()) {
      AfterParse(line_);
      pos_ = eol;
      return true;
    }
    SlowRecord();
    return true;
  }

  // A record that is not alone on its line: pretty-printed, in an array, or bad.
  void SlowRecord() {
    const char* start = pos_;
    const uint64_t start_line = line_;
    const int indent = Indent(start);
    const Scan scan = ScanValue(start, end_, indent);
    if (scan.how == ScanEnd::kComplete) {
      Status s = parser_->Parse(start, static_cast<size_t>(scan.end - start),
                                static_cast<size_t>(readable_end_ - start), batch_, Origin(), &repaired_);
      if (s.ok())
        AfterParse(start_line);
      else
        Report(std::move(s), "line " + std::to_string(start_line));
      Advance(scan.end);
      return;
    }
    const char* why = scan.how == ScanEnd::kEof               ? "input ends inside the record"
                      : scan.how == ScanEnd::kNewlineInString ? "a string is not closed on its line"
                                                              : "record not closed before the next one starts";
    Report(Status::ParseError("JSON record", why), "line " + std::to_string(start_line));
    if (scan.how == ScanEnd::kNextRecord)
      Advance(scan.end);
    else
      Resync(indent);
  }

  // Reports a stray token at pos_ and skips to the next record.
  void Malformed(Status s) {
    Report(std::move(s), "line " + std::to_string(line_));
    Resync(Indent(pos_));
  }

  // Columns of blank before `p` when only blanks precede it on its line, else -1.
  int Indent(const char* p) const {
    const char* l = p;
    while (l > start_ && (l[-1] == ' ' || l[-1] == '\t')) --l;
    if (l > start_ && l[-1] != '\n') return -1;
    return static_cast<int>(std::min<ptrdiff_t>(p - l, 1 << 20));
  }

  // Moves to the start of the next line (after the current one) that starts a
  // record: its first non-blank character is '{', '[' or ']', indented by at most
  // `indent` (any indentation when indent < 0).
  void Resync(int indent) {
    const char* p = pos_;
    for (;;) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end_ - p)));
      if (!nl) {
        Advance(end_);
        return;
      }
      const char* l = nl + 1;
      const char* q = l;
      while (q < end_ && (*q == ' ' || *q == '\t')) ++q;
      if (q < end_ && (*q == '{' || *q == '[' || *q == ']') && (indent < 0 || q - l <= indent)) {
        Advance(l);
        return;
      }
      p = l;
    }
  }

  void SkipSpace() {
    while (pos_ < end_ && IsSpace(*pos_)) {
      if (*pos_ == '\n') ++line_;
      ++pos_;
    }
  }

  void Advance(const char* to) {
    line_ += CountNewlines(pos_, to);
    pos_ = to;
  }

  EventOrigin Origin() {
    if (!source_ready_) {
      // Batches are Reset between calls; register (again) in every batch this reader fills.
      const auto& sources = batch_->sources();
      if (source_batch_ != batch_ || source_index_ >= sources.size() || sources[source_index_] != source_) {
        source_index_ = batch_->AddSource(source_);
        source_batch_ = batch_;
      }
      batch_->Retain(text_.owner);
      source_ready_ = true;
    }
    return EventOrigin{source_index_, 0, line_};
  }

  void AfterParse(uint64_t line) {
    if (repaired_ && !utf8_reported_) {
      utf8_reported_ = true;
      Report(Status::ParseError("JSON record", "text is not valid UTF-8; read as Latin-1 (first such record)"),
             "line " + std::to_string(line));
    }
  }

  void Report(Status s, std::string where, bool fatal = false) {
    if (!reporter_) return;
    if (++reports_ > kMaxReportsPerSource && !fatal) return;
    ReadIssue issue;
    issue.status = std::move(s);
    issue.source = source_;
    issue.where = std::move(where);
    issue.fatal = fatal;
    reporter_->Report(issue);
  }

  void Finish() {
    if (reports_ > kMaxReportsPerSource && reporter_ && !finished_) {
      ReadIssue issue;
      issue.status = Status::ParseError("JSON records", std::to_string(reports_ - kMaxReportsPerSource) +
                                                            " further problems not reported one by one");
      issue.source = source_;
      reporter_->Report(issue);
    }
    finished_ = true;
  }

  std::string source_;
  PaddedText text_;
  std::unique_ptr<json::RecordParser> owned_;
  json::RecordParser* parser_;
  IssueReporter* reporter_;
  uint64_t shown_total_;
  const char* begin_;
  const char* start_;  // after a byte order mark
  const char* end_;
  const char* readable_end_;
  const char* pos_;
  const char* released_;  // input before this was handed back to the OS (mapped files)
  static constexpr ptrdiff_t kReleaseStep = 8 << 20;
  uint64_t line_ = 1;
  bool in_array_ = false;
  uint64_t array_line_ = 0;
  EventBatch* batch_ = nullptr;
  const EventBatch* source_batch_ = nullptr;
  uint32_t source_index_ = 0;
  bool source_ready_ = false;
  bool repaired_ = false;
  bool utf8_reported_ = false;
  uint64_t reports_ = 0;
  bool finished_ = false;
};

// ---- archives and compressed streams -------------------------------------------

class ArchiveJsonReader final : public Reader {
 public:
  ArchiveJsonReader(std::unique_ptr<ArchiveInput> archive, JsonShape shape, IssueReporter* reporter)
      : archive_(std::move(archive)), parser_(shape), reporter_(reporter) {}

  bool Next(EventBatch* batch, size_t max_events) noexcept override {
    try {
      const size_t start = batch->size();
      for (;;) {
        if (!current_ && !OpenNextMember()) return false;
        const size_t room = max_events - (batch->size() - start);
        if (room == 0) return true;
        if (!current_->Next(batch, room)) {
          current_.reset();
          done_before_ = member_end_;
        }
        if (batch->size() - start >= max_events) return true;
      }
    } catch (const std::exception& e) {
      if (reporter_) reporter_->Report(ReadIssue{Status::IOError("archive", e.what()), archive_->name(), "", true});
      return false;
    }
  }

  uint64_t bytes_done() const override {
    uint64_t done = done_before_;
    if (current_ && current_->bytes_total() > 0 && member_end_ > member_start_) {
      done = member_start_ + static_cast<uint64_t>(static_cast<double>(member_end_ - member_start_) *
                                                   static_cast<double>(current_->bytes_done()) /
                                                   static_cast<double>(current_->bytes_total()));
    }
    return std::min(done, archive_->size());
  }
  uint64_t bytes_total() const override { return archive_->size(); }

 private:
  bool OpenNextMember() {
    for (;;) {
      ArchiveMember m;
      member_start_ = std::max(done_before_, archive_->bytes_read());
      if (!archive_->NextMember(IsJsonMember, &m, reporter_)) {
        done_before_ = archive_->size();
        return false;
      }
      member_end_ = std::max(member_start_, archive_->bytes_read());
      std::string source = archive_->is_stream() ? archive_->name() : archive_->name() + ":" + m.name;
      if (archive_->is_stream() && !LooksLikeJson(m.data.view()) &&
          m.data.view().find_first_not_of(" \t\r\n") != std::string_view::npos) {
        if (reporter_)
          reporter_->Report(
              ReadIssue{Status::NotSupported(source, "decompressed content is not JSON"), source, "", true});
        done_before_ = member_end_;
        continue;
      }
      current_ = std::make_unique<JsonTextReader>(std::move(source), std::move(m.data), &parser_, nullptr, reporter_);
      return true;
    }
  }

  std::unique_ptr<ArchiveInput> archive_;
  json::RecordParser parser_;  // shared by all members: one simdjson parser, one set of name caches
  IssueReporter* reporter_;
  std::unique_ptr<JsonTextReader> current_;
  uint64_t member_start_ = 0, member_end_ = 0, done_before_ = 0;
};

std::unique_ptr<Reader> NewTextReader(std::string source, PaddedText text, JsonShape shape, IssueReporter* reporter,
                                      uint64_t shown_total = 0) {
  return std::make_unique<JsonTextReader>(std::move(source), std::move(text), nullptr,
                                          std::make_unique<json::RecordParser>(shape), reporter, shown_total);
}

// A lone gzip stream: decompressed whole (zlib), damage reported, the rest read.
std::unique_ptr<Reader> NewGzipReader(std::string source, std::string_view gzip, JsonShape shape,
                                      IssueReporter* reporter) {
  Gunzipped g = Gunzip(gzip, source);
  if (!g.status.ok() && reporter) reporter->Report(ReadIssue{g.status, source, "", false});
  if (!LooksLikeJson(g.text.view()) && g.text.view().find_first_not_of(" \t\r\n") != std::string_view::npos) {
    if (reporter)
      reporter->Report(ReadIssue{Status::NotSupported(source, "decompressed content is not JSON"), source, "", true});
    g.text = MakePaddedText(std::string());
  }
  return NewTextReader(std::move(source), std::move(g.text), shape, reporter, gzip.size());
}

bool IsUtf16(const uint8_t* p, size_t n) {
  return n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF));
}

}  // namespace

std::unique_ptr<Reader> NewJsonReader(std::string source_name, std::shared_ptr<const std::string> data, JsonShape shape,
                                      IssueReporter* reporter) {
  const auto* head = reinterpret_cast<const uint8_t*>(data->data());
  const ContainerKind kind = SniffContainer(head, data->size());
  if (kind == ContainerKind::kGzip && !GzipHoldsTar(*data)) {
    auto reader = NewGzipReader(source_name, *data, shape, reporter);
    return reader;  // the decompressed text owns itself; `data` is no longer needed
  }
  if (kind != ContainerKind::kNone) {
    auto archive = ArchiveInput::FromBuffer(source_name, MakePaddedText(data));
    if (archive.has_value()) return std::make_unique<ArchiveJsonReader>(std::move(archive).value(), shape, reporter);
  }
  return NewTextReader(std::move(source_name), MakePaddedText(std::move(data)), shape, reporter);
}

Result<std::unique_ptr<Reader>> OpenJsonReader(const std::string& path, JsonShape shape, IssueReporter* reporter) {
  uint8_t head[512];
  size_t n = 0;
  {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::IOError(path, std::strerror(errno));
    while (n < sizeof head) {
      ssize_t r = ::read(fd, head + n, sizeof head - n);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      n += static_cast<size_t>(r);
    }
    ::close(fd);
  }
  const ContainerKind kind = SniffContainer(head, n);
  if (kind == ContainerKind::kGzip) {
    auto file = ReadFilePadded(path);
    if (!file.has_value()) return file.error();
    // A .tar.gz streams through libarchive; a lone .gz is decompressed whole.
    if (!GzipHoldsTar(file.value().view())) return NewGzipReader(path, file.value().view(), shape, reporter);
  }
  if (kind != ContainerKind::kNone) {
    auto archive = ArchiveInput::Open(path);
    if (!archive.has_value()) return archive.error();
    return std::unique_ptr<Reader>(std::make_unique<ArchiveJsonReader>(std::move(archive).value(), shape, reporter));
  }
  if (IsUtf16(head, n)) return Status::NotSupported(path, "UTF-16 text; convert the file to UTF-8");
  auto text = ReadFilePadded(path);
  if (!text.has_value()) return text.error();
  return NewTextReader(path, std::move(text).value(), shape, reporter);
}

}  // namespace inari
