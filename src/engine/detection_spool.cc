#include "engine/detection_spool.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace inari {

bool TimelineLess(const Detection& a, const Detection& b) {
  if (a.time != b.time) return a.time < b.time;
  if (a.source != b.source) return a.source < b.source;
  if (a.order != b.order) return a.order < b.order;
  return a.rule < b.rule;
}

namespace {

// ---- Record encoding --------------------------------------------------------------
// A record is: u32 length of the rest, then the common part
//   i64 time, i64 event_id, u64 record_id, u64 order, u32 rule,
//   str computer, str channel, str source,
//   u32 n, n × (str key, str value)            details
//   u32 n, n × (u8 present, [str])             captured
//   str correlation_json
// and the event text: in a writer's buffer `u64 at, u64 length` (length 0:
// none), in a run file `u8 mode` (0 none, 1 inline: str follows, 2 the
// previous record's). str = u32 length + bytes, host byte order (a run never
// leaves the process that wrote it).
constexpr uint8_t kNoText = 0, kInlineText = 1, kSameText = 2;

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

void PutStr(std::string* out, std::string_view s) {
  Put<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}

void EncodeCommon(const Detection& d, std::string* out) {
  Put<int64_t>(out, d.time);
  Put<int64_t>(out, d.event_id);
  Put<uint64_t>(out, d.record_id);
  Put<uint64_t>(out, d.order);
  Put<uint32_t>(out, d.rule);
  PutStr(out, d.computer);
  PutStr(out, d.channel);
  PutStr(out, d.source);
  Put<uint32_t>(out, static_cast<uint32_t>(d.details.size()));
  for (const auto& [k, v] : d.details) {
    PutStr(out, k);
    PutStr(out, v);
  }
  Put<uint32_t>(out, static_cast<uint32_t>(d.captured.size()));
  for (const auto& c : d.captured) {
    Put<uint8_t>(out, c.has_value());
    if (c) PutStr(out, *c);
  }
  PutStr(out, d.correlation_json);
}

class Decoder {
 public:
  Decoder(const char* p, const char* end) : p_(p), end_(end) {}
  template <typename T>
  bool Get(T* v) {
    if (static_cast<size_t>(end_ - p_) < sizeof(T)) return false;
    std::memcpy(v, p_, sizeof(T));
    p_ += sizeof(T);
    return true;
  }
  bool GetStr(std::string_view* s) {
    uint32_t n;
    if (!Get(&n) || static_cast<size_t>(end_ - p_) < n) return false;
    *s = std::string_view(p_, n);
    p_ += n;
    return true;
  }
  bool GetStr(std::string* s) {
    std::string_view v;
    if (!GetStr(&v)) return false;
    s->assign(v);
    return true;
  }
  const char* at() const { return p_; }

 private:
  const char* p_;
  const char* end_;
};

// The common part into `d` (strings assigned: their memory is reused).
bool DecodeCommon(Decoder* in, Detection* d) {
  uint32_t n = 0;
  if (!in->Get(&d->time) || !in->Get(&d->event_id) || !in->Get(&d->record_id) || !in->Get(&d->order) ||
      !in->Get(&d->rule) || !in->GetStr(&d->computer) || !in->GetStr(&d->channel) ||
      !in->GetStr(&d->source) || !in->Get(&n))
    return false;
  d->details.resize(n);
  for (auto& [k, v] : d->details)
    if (!in->GetStr(&k) || !in->GetStr(&v)) return false;
  if (!in->Get(&n)) return false;
  d->captured.resize(n);
  for (auto& c : d->captured) {
    uint8_t present = 0;
    if (!in->Get(&present)) return false;
    if (!present) {
      c.reset();
      continue;
    }
    if (!c) c.emplace();
    if (!in->GetStr(&*c)) return false;
  }
  return in->GetStr(&d->correlation_json);
}

// "" or why the write failed.
std::string WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return {};
}

}  // namespace

// ---- Runs -----------------------------------------------------------------------

// A run: a range of its writer's temporary file (one file per writer, so the
// open files do not grow with the runs).
struct DetectionSpool::Run {
  int fd = -1;  // the writer's, not owned
  uint64_t offset = 0, bytes = 0;
  uint64_t count = 0;
};

DetectionSpool::Writer::~Writer() {
  if (fd >= 0) ::close(fd);
}

namespace {

// Reads one spilled run from the start with pread (several cursors may read
// the same run at once).
class RunReader {
 public:
  RunReader(int fd, uint64_t offset, uint64_t size, size_t buffer) : fd_(fd), offset_(offset), size_(size) {
    buf_.resize(buffer);
  }
  // The next record into `d`; false at the end. A short or damaged run ends
  // early and sets failed().
  bool Next(Detection* d) {
    if (consumed_ == size_) return false;
    uint32_t len = 0;
    if (!Ensure(sizeof len)) return Fail();
    std::memcpy(&len, buf_.data() + pos_, sizeof len);
    if (!Ensure(sizeof len + len)) return Fail();
    const char* p = buf_.data() + pos_ + sizeof len;
    Decoder in(p, p + len);
    uint8_t mode = 0;
    if (!DecodeCommon(&in, d) || !in.Get(&mode)) return Fail();
    if (mode == kInlineText) {
      if (!in.GetStr(&text_)) return Fail();  // a view into the buffer (see Ensure)
      d->event_json = text_;
    } else if (mode == kSameText) {
      d->event_json = text_;  // the previous record's
    } else {
      d->event_json = {};
    }
    pos_ += sizeof len + len;
    consumed_ += sizeof len + len;
    return true;
  }
  bool failed() const { return failed_; }

 private:
  bool Fail() {
    failed_ = true;
    consumed_ = size_;
    return false;
  }
  // At least `n` bytes from pos_ in the buffer. The previous record's text,
  // which the next may share, moves to json_ first if it is in the buffer.
  bool Ensure(size_t n) {
    if (end_ - pos_ >= n) return true;
    if (consumed_ + n > size_) return false;
    if (!text_.empty() && text_.data() >= buf_.data() && text_.data() < buf_.data() + buf_.size()) {
      json_.assign(text_);
      text_ = json_;
    }
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
    if (buf_.size() < n) buf_.resize(n);
    while (end_ < n) {
      const uint64_t at = consumed_ + end_;
      const size_t want = static_cast<size_t>(std::min<uint64_t>(buf_.size() - end_, size_ - at));
      const ssize_t r = ::pread(fd_, buf_.data() + end_, want, static_cast<off_t>(offset_ + at));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      end_ += static_cast<size_t>(r);
    }
    return true;
  }
  int fd_;
  uint64_t offset_, size_;  // the run's range in the file
  uint64_t consumed_ = 0;   // run offset of buf_[pos_]
  std::string buf_;
  size_t pos_ = 0, end_ = 0;
  std::string_view text_;  // the latest event text: in buf_ or in json_
  std::string json_;
  bool failed_ = false;
};

}  // namespace

// K-way merge of sorted sources: spilled runs and writers' parts in memory.
class DetectionSpool::MergeCursor : public DetectionCursor {
 public:
  void AddRun(int fd, uint64_t offset, uint64_t bytes, size_t buffer) {
    Push().reader = std::make_unique<RunReader>(fd, offset, bytes, buffer);
  }
  void AddPart(const Writer* w) {
    if (!w->keys.empty()) Push().part = w;
  }
  void Start() {
    for (size_t i = 0; i < sources_.size(); ++i)
      if (Advance(&sources_[i])) heap_.push_back(i);
    std::make_heap(heap_.begin(), heap_.end(), Greater{this});
  }
  const Detection* Next() override {
    if (pending_ != SIZE_MAX) {  // the source of the row returned last moves on
      Source& s = sources_[pending_];
      std::pop_heap(heap_.begin(), heap_.end(), Greater{this});
      if (Advance(&s)) {
        heap_.back() = pending_;
        std::push_heap(heap_.begin(), heap_.end(), Greater{this});
      } else {
        heap_.pop_back();
      }
      pending_ = SIZE_MAX;
    }
    if (heap_.empty()) {
      for (const Source& s : sources_)
        if (s.failed || (s.reader && s.reader->failed())) failed_ = true;
      return nullptr;
    }
    pending_ = heap_.front();
    return sources_[pending_].current;
  }
  std::string error() const override {
    return failed_ ? "a temporary file of sorted detections could not be read back whole" : std::string();
  }

 private:
  struct Source {
    std::unique_ptr<RunReader> reader;
    const Writer* part = nullptr;
    size_t i = 0;
    Detection decoded;
    const Detection* current = nullptr;
    bool failed = false;
  };
  struct Greater {
    const MergeCursor* m;
    bool operator()(size_t a, size_t b) const {
      return TimelineLess(*m->sources_[b].current, *m->sources_[a].current);
    }
  };
  Source& Push() {
    sources_.emplace_back();
    return sources_.back();
  }
  bool Advance(Source* s) {
    if (s->part) {
      if (s->i >= s->part->keys.size()) return false;
      if (!DecodeMemoryRecord(*s->part, s->part->keys[s->i++].at, &s->decoded)) {
        s->failed = true;
        return false;
      }
      s->current = &s->decoded;
      return true;
    }
    if (!s->reader->Next(&s->decoded)) return false;
    s->current = &s->decoded;
    return true;
  }
  std::vector<Source> sources_;
  std::vector<size_t> heap_;
  size_t pending_ = SIZE_MAX;
  bool failed_ = false;
};

namespace {

std::string TempDir(const SpoolOptions& o) {
  if (!o.dir.empty()) return o.dir;
  const char* env = std::getenv("TMPDIR");
  return env && *env ? env : "/tmp";
}

}  // namespace

// ---- DetectionSpool -------------------------------------------------------------

bool DetectionSpool::DecodeMemoryRecord(const Writer& w, uint64_t at, Detection* d) {
  uint32_t len = 0;
  std::memcpy(&len, w.data.data() + at, sizeof len);
  const char* p = w.data.data() + at + sizeof len;
  Decoder in(p, p + len);
  uint64_t text_at = 0, text_len = 0;
  if (!DecodeCommon(&in, d) || !in.Get(&text_at) || !in.Get(&text_len)) return false;
  d->event_json = text_len ? std::string_view(w.data.data() + text_at, text_len) : std::string_view();
  return true;
}

DetectionSpool::DetectionSpool(const SpoolOptions& options, int writers)
    : options_(options),
      budget_per_writer_(std::max<size_t>(1, options.memory_bytes / static_cast<size_t>(std::max(1, writers)))),
      writers_(static_cast<size_t>(std::max(1, writers))) {}

DetectionSpool::~DetectionSpool() = default;

void DetectionSpool::SetEventText(int w, std::string_view text) {
  BeginEventText(w)->append(text);
  EndEventText(w);
}

std::string* DetectionSpool::BeginEventText(int w) {
  Writer& wr = writers_[static_cast<size_t>(w)];
  if (wr.data.capacity() == 0) wr.data.reserve(std::min(budget_per_writer_, size_t{1} << 30) + (1 << 16));
  wr.text_at = wr.data.size();
  return &wr.data;
}

void DetectionSpool::EndEventText(int w) {
  Writer& wr = writers_[static_cast<size_t>(w)];
  wr.text_len = wr.data.size() - wr.text_at;
}

void DetectionSpool::Add(int w, const Detection& d, bool with_text) {
  Writer& wr = writers_[static_cast<size_t>(w)];
  if (wr.data.capacity() == 0) wr.data.reserve(std::min(budget_per_writer_, size_t{1} << 30) + (1 << 16));
  // Source id: detections come in runs of one source (a batch's).
  if (wr.last_source >= wr.sources.size() || wr.sources[wr.last_source] != d.source) {
    auto it = std::find(wr.sources.begin(), wr.sources.end(), d.source);
    wr.last_source = static_cast<uint32_t>(it - wr.sources.begin());
    if (it == wr.sources.end()) wr.sources.push_back(d.source);
  }
  const uint32_t source = wr.last_source;
  const uint64_t at = wr.data.size();
  Put<uint32_t>(&wr.data, 0);
  EncodeCommon(d, &wr.data);
  Put<uint64_t>(&wr.data, with_text ? wr.text_at : 0);
  Put<uint64_t>(&wr.data, with_text ? wr.text_len : 0);
  const uint32_t len = static_cast<uint32_t>(wr.data.size() - at - sizeof(uint32_t));
  std::memcpy(wr.data.data() + at, &len, sizeof len);
  wr.keys.push_back(Key{d.time, d.order, source, d.rule, at});
}

void DetectionSpool::EndEvent(int w) {
  Writer& wr = writers_[static_cast<size_t>(w)];
  if (Bytes(wr) > budget_per_writer_ && spilling_.load(std::memory_order_relaxed)) Spill(&wr);
}

void DetectionSpool::SortKeys(Writer* w) {
  // Sources ranked by name, then the keys in timeline order.
  std::vector<uint32_t> by_name(w->sources.size());
  for (uint32_t i = 0; i < by_name.size(); ++i) by_name[i] = i;
  std::sort(by_name.begin(), by_name.end(), [&](uint32_t a, uint32_t b) { return w->sources[a] < w->sources[b]; });
  std::vector<uint32_t> rank(w->sources.size());
  for (uint32_t r = 0; r < by_name.size(); ++r) rank[by_name[r]] = r;
  for (Key& k : w->keys) k.source = rank[k.source];
  // Ids become ranks: after a failed spill the writer goes on adding, so its
  // names must follow.
  std::vector<std::string> sorted_sources(w->sources.size());
  for (uint32_t i = 0; i < by_name.size(); ++i) sorted_sources[i] = std::move(w->sources[by_name[i]]);
  w->sources = std::move(sorted_sources);
  w->last_source = UINT32_MAX;
  std::sort(w->keys.begin(), w->keys.end(), [](const Key& a, const Key& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.source != b.source) return a.source < b.source;
    if (a.order != b.order) return a.order < b.order;
    if (a.rule != b.rule) return a.rule < b.rule;
    return a.at < b.at;
  });
}

void DetectionSpool::Spill(Writer* w) {
  SortKeys(w);
  const std::string dir = TempDir(options_);
  std::string error;
  if (w->fd < 0) {
    std::string path = dir + "/inari-spool-XXXXXX";
    w->fd = ::mkostemp(path.data(), O_CLOEXEC);  // mode 0600
    if (w->fd < 0) error = fmt::format("cannot create a temporary file in {}: {}", dir, std::strerror(errno));
    else ::unlink(path.c_str());  // gone when closed, even after a crash
  }
  auto run = std::make_unique<Run>();
  run->fd = w->fd;
  run->offset = w->file_size;
  if (error.empty()) {
    // Records in key order; each text written once for the run of records
    // of its event that follow one another.
    std::string buf;
    buf.reserve(size_t{1} << 20);
    uint64_t prev_text_at = UINT64_MAX;
    for (const Key& k : w->keys) {
      uint32_t len = 0;
      std::memcpy(&len, w->data.data() + k.at, sizeof len);
      const char* body = w->data.data() + k.at + sizeof len;
      const size_t common = len - 2 * sizeof(uint64_t);
      uint64_t text_at = 0, text_len = 0;
      std::memcpy(&text_at, body + common, sizeof text_at);
      std::memcpy(&text_len, body + common + sizeof text_at, sizeof text_len);
      const size_t rec = buf.size();
      Put<uint32_t>(&buf, 0);
      buf.append(body, common);
      if (text_len == 0) {
        Put<uint8_t>(&buf, kNoText);
      } else if (text_at == prev_text_at) {
        Put<uint8_t>(&buf, kSameText);
      } else {
        Put<uint8_t>(&buf, kInlineText);
        PutStr(&buf, std::string_view(w->data.data() + text_at, text_len));
      }
      prev_text_at = text_len ? text_at : UINT64_MAX;
      const uint32_t out_len = static_cast<uint32_t>(buf.size() - rec - sizeof(uint32_t));
      std::memcpy(buf.data() + rec, &out_len, sizeof out_len);
      if (buf.size() >= (size_t{1} << 20)) {
        error = WriteAll(w->fd, buf.data(), buf.size());
        if (!error.empty()) break;
        run->bytes += buf.size();
        buf.clear();
      }
    }
    if (error.empty() && !buf.empty()) {
      error = WriteAll(w->fd, buf.data(), buf.size());
      run->bytes += buf.size();
    }
    if (!error.empty()) error = fmt::format("writing a temporary file in {}: {}", dir, error);
  }
  if (!error.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    if (error_.empty()) error_ = error;
    spilling_ = false;  // keep the rest in memory
    return;
  }
  w->file_size += run->bytes;
  run->count = w->keys.size();
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.runs;
    stats_.spilled_bytes += run->bytes;
    runs_.push_back(std::move(run));
  }
  w->data.clear();  // keeps its memory for the next run
  w->keys.clear();
  w->sources.clear();
  w->last_source = UINT32_MAX;
}

void DetectionSpool::Finish() {
  if (finished_) return;
  finished_ = true;
  for (Writer& w : writers_) SortKeys(&w);
}

std::unique_ptr<DetectionCursor> DetectionSpool::Merge() const {
  auto m = std::make_unique<MergeCursor>();
  size_t buffer = size_t{1} << 20;
  if (!runs_.empty())
    buffer = std::clamp<size_t>(options_.memory_bytes / 4 / runs_.size(), size_t{64} << 10, size_t{4} << 20);
  for (const auto& r : runs_) m->AddRun(r->fd, r->offset, r->bytes, buffer);
  for (const Writer& w : writers_) m->AddPart(&w);
  m->Start();
  return m;
}

SpoolStats DetectionSpool::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  SpoolStats s = stats_;
  for (const auto& r : runs_) s.detections += r->count;
  for (const Writer& w : writers_) s.detections += w.keys.size();
  return s;
}

std::string DetectionSpool::spill_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

}  // namespace inari
