#include "engine/scan.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "ingest/evtx/evtx_file.h"

namespace inari {

namespace {

struct FileState {
  std::once_flag once;
  std::shared_ptr<evtx::EvtxFile> evtx;
  bool failed = false;
  std::atomic<int> units_left{0};
};

struct Unit {
  size_t file;
  bool evtx = false;     // a chunk range of an EVTX file; else a whole file through OpenReader
  size_t first_chunk = 0;
  size_t end_chunk = 0;  // EVTX only
  uint64_t bytes = 0;
};

}  // namespace

int Scanner::threads() const {
  if (options_.threads > 0) return options_.threads;
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

ScanSummary Scanner::Run(const std::vector<std::string>& paths, const BatchConsumer& consume,
                         const OutputWriter& write) {
  const auto t0 = std::chrono::steady_clock::now();
  ScanSummary summary;
  summary.threads = threads();
  Discovery d = DiscoverInputs(paths, issues_, summary.threads);
  summary.files = d.files.size();
  summary.skipped_unsupported = d.skipped_unsupported;

  // Units: EVTX files split by chunk ranges (chunk count follows from the size).
  std::vector<Unit> units;
  std::vector<FileState> files(d.files.size());
  uint64_t total_bytes = 0;
  for (size_t i = 0; i < d.files.size(); ++i) {
    const InputFile& f = d.files[i];
    total_bytes += f.size;
    const bool is_evtx = f.kind == FileKind::kEvtx && options_.reader.format != InputFormat::kJson;
    if (is_evtx) {
      size_t chunks = f.size > 4096 ? (f.size - 4096) / 65536 : 0;
      size_t per = std::max<size_t>(1, options_.evtx_chunks_per_unit);
      size_t n = 0;
      for (size_t c = 0; c < chunks || (chunks == 0 && c == 0); c += per) {
        Unit u{i, true, c, std::min(chunks, c + per), 0};
        u.bytes = (u.end_chunk - u.first_chunk) * 65536 + (c == 0 ? f.size - chunks * 65536 : 0);
        units.push_back(u);
        ++n;
        if (chunks == 0) break;
      }
      files[i].units_left = static_cast<int>(n);
    } else {
      units.push_back(Unit{i, false, 0, 0, f.size});
      files[i].units_left = 1;
    }
  }
  progress_.files_total = d.files.size();
  progress_.bytes_total = total_bytes;

  const int nthreads = std::max(1, std::min<int>(summary.threads, static_cast<int>(std::max<size_t>(1, units.size()))));
  const size_t window = 4 * static_cast<size_t>(nthreads);
  const bool ordered = static_cast<bool>(write);
  std::vector<std::optional<std::string>> outputs(ordered ? units.size() : 0);
  std::mutex mu;
  std::condition_variable cv_ready, cv_room;
  size_t next_write = 0;
  std::atomic<size_t> next_unit{0};
  std::atomic<uint64_t> failed_files{0};

  auto finish_file = [&](size_t fi) {
    if (files[fi].units_left.fetch_sub(1) == 1) {
      files[fi].evtx.reset();  // unmap once the last unit is done (batches keep their own reference)
      progress_.files_done.fetch_add(1, std::memory_order_relaxed);
    }
  };

  auto worker = [&](int w) {
    EventBatch batch;
    evtx::ChunkParser parser;
    for (;;) {
      const size_t ui = next_unit.fetch_add(1);
      if (ui >= units.size()) return;
      if (ordered) {
        std::unique_lock lock(mu);
        cv_room.wait(lock, [&] { return ui < next_write + window; });
      }
      const Unit& u = units[ui];
      const InputFile& f = d.files[u.file];
      FileState& fs = files[u.file];
      std::string out;
      auto flush = [&] {
        if (batch.empty()) return;
        progress_.events.fetch_add(batch.size(), std::memory_order_relaxed);
        consume(w, batch, &out);
        batch.Reset();
      };
      if (u.evtx) {
        std::call_once(fs.once, [&] {
          auto opened = evtx::EvtxFile::Open(f.path, issues_);
          if (opened.has_value()) {
            fs.evtx = std::shared_ptr<evtx::EvtxFile>(std::move(opened).value());
          } else {
            fs.failed = true;
            failed_files.fetch_add(1);
            issues_->Report(ReadIssue{opened.error(), f.path, "", true});
          }
        });
        if (!fs.failed) {
          std::shared_ptr<evtx::EvtxFile> file = fs.evtx;  // keep alive while reading
          batch.Reset();
          uint32_t src = batch.AddSource(f.path);
          for (size_t c = u.first_chunk; c < u.end_chunk; ++c) {
            file->ReadChunk(c, &parser, &batch, src, issues_);
            if (batch.size() >= options_.batch_events) {
              flush();
              src = batch.AddSource(f.path);
            }
          }
          flush();
          file->ReleaseChunks(u.first_chunk, u.end_chunk);  // keeps memory flat on huge files
        }
      } else {
        auto reader = OpenReader(f.path, options_.reader, issues_);
        if (!reader.has_value()) {
          failed_files.fetch_add(1);
          issues_->Report(ReadIssue{reader.error(), f.path, "", true});
        } else {
          uint64_t last = 0;
          for (;;) {
            batch.Reset();
            bool more = reader.value()->Next(&batch, options_.batch_events);
            uint64_t done = reader.value()->bytes_done();
            if (done > last && done <= f.size) {
              progress_.bytes_done.fetch_add(done - last, std::memory_order_relaxed);
              last = done;
            }
            flush();
            if (!more) break;
          }
          if (f.size > last) progress_.bytes_done.fetch_add(f.size - last, std::memory_order_relaxed);
        }
      }
      if (u.evtx) progress_.bytes_done.fetch_add(u.bytes, std::memory_order_relaxed);
      batch.Reset();
      finish_file(u.file);
      if (ordered) {
        {
          std::lock_guard lock(mu);
          outputs[ui] = std::move(out);
        }
        cv_ready.notify_all();
      }
    }
  };

  std::vector<std::jthread> pool;
  for (int w = 0; w < nthreads; ++w) pool.emplace_back(worker, w);
  // This thread writes outputs in unit order (without a writer there is
  // nothing to hand over: no wake-up per unit).
  while (ordered && next_write < units.size()) {
    std::string text;
    {
      std::unique_lock lock(mu);
      cv_ready.wait(lock, [&] { return outputs[next_write].has_value(); });
      text = std::move(*outputs[next_write]);
      outputs[next_write].reset();
      ++next_write;
    }
    cv_room.notify_all();
    if (!text.empty() && write) write(text);
  }
  pool.clear();

  summary.files_failed = failed_files.load();
  summary.events = progress_.events.load();
  summary.bytes = total_bytes;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return summary;
}

}  // namespace inari
