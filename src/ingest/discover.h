// Finding input files: walks the paths a user names (recursively for
// directories) and decides each file's format from its first bytes, not its
// name (EVTX, JSON, PostgreSQL stderr/csvlog/jsonlog, gzip, archives). Files of no supported format found inside a directory are counted and
// skipped; a file named explicitly that is unsupported is reported.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ingest/reader.h"

namespace inari {

enum class FileKind { kEvtx, kJson, kGzip, kArchive, kPgLog, kPgCsv, kPgJson, kUnsupported };
std::string_view FileKindName(FileKind k);

struct InputFile {
  std::string path;
  uint64_t size = 0;
  FileKind kind = FileKind::kUnsupported;
};

struct Discovery {
  std::vector<InputFile> files;    // supported files, in a stable order (sorted per directory)
  uint64_t skipped_unsupported = 0;
};

// Reports missing paths and explicitly named unsupported files to `reporter`.
// Files are sniffed on `threads` threads (a triage folder can hold 100k files).
Discovery DiscoverInputs(const std::vector<std::string>& paths, IssueReporter* reporter, int threads = 1);

// Format of a file from its first bytes (reads at most 4 KiB).
FileKind SniffFile(const std::string& path);
FileKind SniffBytes(const uint8_t* p, size_t n);

}  // namespace inari
