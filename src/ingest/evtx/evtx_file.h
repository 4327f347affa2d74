// EvtxFile — a Windows XML Event Log (.evtx) file, read in place (mmap).
//
// Open() checks the file header; ReadChunk() parses one 64 KiB chunk into a
// batch. Chunks are independent, so distinct chunks may be read by distinct
// threads at once (each with its own ChunkParser). Damage is reported, never
// fatal past the header: a chunk with a bad signature is skipped, a checksum
// mismatch is reported and the chunk's records are still read one by one,
// each checked on its own (size, copy of size, BinXML structure).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/file.h"
#include "ingest/evtx/binxml.h"
#include "ingest/reader.h"

namespace inari::evtx {

struct ChunkStats {
  uint64_t records = 0;     // records turned into events
  uint64_t bad_records = 0; // records reported and skipped
  bool skipped = false;     // chunk unreadable (bad signature) or unused (all zero)
};

class EvtxFile {
 public:
  // Maps and checks `path`. Fails (NotSupported) if it is no EVTX file;
  // reports a dirty flag or header checksum mismatch and goes on.
  static Result<std::unique_ptr<EvtxFile>> Open(const std::string& path, IssueReporter* reporter);
  // Same over a buffer already in memory (fuzzing, archives).
  static Result<std::unique_ptr<EvtxFile>> FromBuffer(std::string name, std::shared_ptr<const std::string> data,
                                                      IssueReporter* reporter);

  const std::string& path() const { return path_; }
  size_t num_chunks() const { return num_chunks_; }
  uint64_t size() const { return size_; }
  uint64_t chunk_offset(size_t i) const { return kHeaderBlock + i * kChunk; }

  // Lets the OS drop chunks [first, end) from memory (mapped files only).
  void ReleaseChunks(size_t first, size_t end) const;

  // Appends the events of chunk `i` to `batch`. Thread-safe (const).
  ChunkStats ReadChunk(size_t i, ChunkParser* parser, EventBatch* batch, uint32_t source_index,
                       IssueReporter* reporter) const;

 private:
  static constexpr size_t kHeaderBlock = 4096;
  static constexpr uint64_t kReadWholeBelow = 4 << 20;  // read, not mapped, below this size
  static constexpr size_t kChunk = 65536;
  EvtxFile() = default;
  Status Init(IssueReporter* reporter);
  void Report(IssueReporter* r, Status s, std::string where, bool fatal = false) const;

  std::string path_;
  std::shared_ptr<const void> keepalive_;
  std::shared_ptr<const MappedFile> mapped_;  // null for in-memory buffers
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  size_t num_chunks_ = 0;
};

// A Reader over one EVTX file, chunk after chunk.
std::unique_ptr<Reader> NewEvtxReader(std::unique_ptr<EvtxFile> file, IssueReporter* reporter);

}  // namespace inari::evtx
