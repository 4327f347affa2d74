#include "ingest/discover.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "ingest/dbaudit/pg_log.h"

namespace inari {

namespace fs = std::filesystem;

std::string_view FileKindName(FileKind k) {
  switch (k) {
    case FileKind::kEvtx: return "evtx";
    case FileKind::kJson: return "json";
    case FileKind::kGzip: return "gzip";
    case FileKind::kArchive: return "archive";
    case FileKind::kPgLog: return "pglog";
    case FileKind::kPgCsv: return "pgcsv";
    case FileKind::kPgJson: return "pgjson";
    case FileKind::kUnsupported: return "unsupported";
  }
  return "?";
}

FileKind SniffBytes(const uint8_t* p, size_t n) {
  if (n >= 8 && std::memcmp(p, "ElfFile\0", 8) == 0) return FileKind::kEvtx;
  if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) return FileKind::kGzip;
  if (n >= 4 && std::memcmp(p, "PK\x03\x04", 4) == 0) return FileKind::kArchive;
  if (n >= 262 && std::memcmp(p + 257, "ustar", 5) == 0) return FileKind::kArchive;
  if (auto pg = SniffPgLog({reinterpret_cast<const char*>(p), n})) {
    switch (*pg) {
      case PgLogFormat::kStderr: return FileKind::kPgLog;
      case PgLogFormat::kCsv: return FileKind::kPgCsv;
      case PgLogFormat::kJson: return FileKind::kPgJson;
    }
  }
  size_t i = 0;
  if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) i = 3;  // UTF-8 BOM
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) ++i;
  if (i < n && (p[i] == '{' || p[i] == '[')) return FileKind::kJson;
  return FileKind::kUnsupported;
}

FileKind SniffFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileKind::kUnsupported;
  uint8_t buf[4096];
  ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return FileKind::kUnsupported;
  return SniffBytes(buf, static_cast<size_t>(n));
}

namespace {

void Report(IssueReporter* r, Status s, const std::string& path) {
  if (!r) return;
  ReadIssue issue;
  issue.status = std::move(s);
  issue.source = path;
  issue.fatal = true;
  r->Report(issue);
}

}  // namespace

Discovery DiscoverInputs(const std::vector<std::string>& paths, IssueReporter* reporter, int threads) {
  // 1. List candidate files in a stable order; remember which were named explicitly.
  struct Candidate {
    std::string path;
    bool explicit_name;
  };
  std::vector<Candidate> candidates;
  for (const std::string& p : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      Report(reporter, Status::NotFound(p, "no such file or directory"), p);
      continue;
    }
    if (!fs::is_directory(st)) {
      candidates.push_back({p, true});
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      Report(reporter, Status::IOError(p, ec.message()), p);
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        Report(reporter, Status::IOError(it->path().string(), ec.message()), it->path().string());
        ec.clear();
        continue;
      }
      std::error_code ec2;
      if (it->is_regular_file(ec2)) found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    for (auto& f : found) candidates.push_back({std::move(f), false});
  }

  // 2. Sniff (open + read 4 KiB) in parallel: on many small files this is the
  // serial part of a scan.
  std::vector<FileKind> kinds(candidates.size(), FileKind::kUnsupported);
  std::vector<uint64_t> sizes(candidates.size(), 0);
  std::atomic<size_t> next{0};
  auto sniff = [&] {
    for (size_t i; (i = next.fetch_add(1)) < candidates.size();) {
      kinds[i] = SniffFile(candidates[i].path);
      std::error_code ec;
      sizes[i] = static_cast<uint64_t>(fs::file_size(candidates[i].path, ec));
    }
  };
  const int n = std::max(1, std::min<int>(threads, static_cast<int>(candidates.size() / 64 + 1)));
  {
    std::vector<std::jthread> pool;
    for (int t = 1; t < n; ++t) pool.emplace_back(sniff);
    sniff();
  }

  // 3. Results in candidate order.
  Discovery d;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (kinds[i] == FileKind::kUnsupported) {
      ++d.skipped_unsupported;
      if (candidates[i].explicit_name)
        Report(reporter, Status::NotSupported(candidates[i].path, "not an EVTX, JSON, PostgreSQL log, gzip or archive file"),
               candidates[i].path);
      continue;
    }
    d.files.push_back(InputFile{std::move(candidates[i].path), sizes[i], kinds[i]});
  }
  return d;
}

}  // namespace inari
