// DetectionSpool — the detections of a hunt in timeline order, in bounded
// memory. Each scan worker appends to its own part; when a part holds more
// than its share of the memory budget it is sorted and written to a temporary
// file as one run (the file is unlinked at once, so nothing is left behind).
// Merge() then yields every detection in timeline order — a k-way merge of the
// spilled runs and the sorted parts still in memory — and may be called more
// than once (correlation reads the detections before the timeline is written).
// Without spilling, Merge() walks the in-memory parts: small hunts pay nothing.
// Spill files hold event data as the input logs do; they are created 0600 in
// the temporary directory (docs/decisions.md #35).
//
// If a run cannot be written (disk full, no such directory) the spool keeps
// that part and everything after in memory and reports the first error in
// spill_error(); no detection is lost.
//
// Thread-safety: Add/StoreText/EndEvent of one writer from one thread at a
// time, different writers concurrently; Finish and Merge after the scan.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/detection.h"

namespace inari {

// Timeline order: time, then source file, then position in it, then rule.
bool TimelineLess(const Detection& a, const Detection& b);

// Detections one at a time. The pointer stays valid until the next call.
class DetectionCursor {
 public:
  virtual ~DetectionCursor() = default;
  virtual const Detection* Next() = 0;  // nullptr at the end
  // Why the detections ended early ("" if they did not): a temporary run
  // that could not be read back.
  virtual std::string error() const { return {}; }
};

// A cursor over a vector that outlives it.
class VectorCursor : public DetectionCursor {
 public:
  explicit VectorCursor(const std::vector<Detection>& v) : v_(v) {}
  const Detection* Next() override { return i_ < v_.size() ? &v_[i_++] : nullptr; }

 private:
  const std::vector<Detection>& v_;
  size_t i_ = 0;
};

struct SpoolOptions {
  size_t memory_bytes = size_t{128} << 20;  // for all writers together
  std::string dir;                           // temporary files; "" = $TMPDIR or /tmp
};

struct SpoolStats {
  uint64_t detections = 0;
  uint64_t runs = 0;           // spilled runs
  uint64_t spilled_bytes = 0;  // written to temporary files
};

class DetectionSpool {
 public:
  DetectionSpool(const SpoolOptions& options, int writers);
  ~DetectionSpool();
  DetectionSpool(const DetectionSpool&) = delete;
  DetectionSpool& operator=(const DetectionSpool&) = delete;

  // Writer `w`: the text (an event's JSON) that the following detections
  // added `with_text` share, until the next call. Either given whole, or
  // appended by the caller to the string BeginEventText returns (no copy)
  // and closed with EndEventText.
  void SetEventText(int w, std::string_view text);
  std::string* BeginEventText(int w);
  void EndEventText(int w);
  // Writer `w`: a detection, copied (its event_json is not read: `with_text`
  // gives it the event text).
  void Add(int w, const Detection& d, bool with_text);
  // After all detections of an event: spills writer `w`'s part if it is over
  // its budget (never between the detections of one event, which share text).
  void EndEvent(int w);

  // After the scan: sorts what is still in memory.
  void Finish();
  // Every detection in timeline order. After Finish().
  std::unique_ptr<DetectionCursor> Merge() const;

  SpoolStats stats() const;
  // The first spill failure ("" if none); the detections stayed in memory.
  std::string spill_error() const;
  const SpoolOptions& options() const { return options_; }

 private:
  struct Run;
  // Where a detection is in its writer's buffer, with its sort key.
  struct Key {
    int64_t time;
    uint64_t order;
    uint32_t source;  // writer's source id; its rank in name order once sorted
    uint32_t rule;
    uint64_t at;      // offset of the record in Writer::data
  };
  // A writer keeps its detections encoded (no object, no allocation per
  // detection): records and event texts appended to one buffer that is
  // reused after each spill.
  struct Writer {
    Writer() = default;
    Writer(Writer&& o) noexcept
        : data(std::move(o.data)), keys(std::move(o.keys)), sources(std::move(o.sources)),
          last_source(o.last_source), text_at(o.text_at), text_len(o.text_len), fd(std::exchange(o.fd, -1)), file_size(o.file_size) {}
    ~Writer();
    std::string data;
    std::vector<Key> keys;
    std::vector<std::string> sources;  // by id
    uint32_t last_source = UINT32_MAX;  // id of the latest detection's source
    uint64_t text_at = 0, text_len = 0;  // the current event text in `data`
    int fd = -1;                         // its runs, one after another
    uint64_t file_size = 0;
  };
  size_t Bytes(const Writer& w) const { return w.data.size() + w.keys.size() * sizeof(Key); }
  class MergeCursor;
  static bool DecodeMemoryRecord(const Writer& w, uint64_t at, Detection* d);
  void SortKeys(Writer* w);
  void Spill(Writer* w);

  SpoolOptions options_;
  size_t budget_per_writer_;
  std::vector<Writer> writers_;
  mutable std::mutex mu_;             // guards runs_, error_, stats_
  std::vector<std::unique_ptr<Run>> runs_;  // spilled runs
  std::string error_;
  SpoolStats stats_;
  std::atomic<bool> spilling_{true};  // false after a failure
  bool finished_ = false;
};

}  // namespace inari
