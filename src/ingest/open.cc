#include "ingest/discover.h"
#include "ingest/evtx/evtx_file.h"
#include "ingest/json/json_reader.h"
#include "ingest/reader.h"

namespace inari {

Result<std::unique_ptr<Reader>> OpenReader(const std::string& path, const ReaderOptions& options,
                                           IssueReporter* reporter) {
  InputFormat format = options.format;
  if (format == InputFormat::kAuto) {
    FileKind k = SniffFile(path);
    if (k == FileKind::kEvtx) format = InputFormat::kEvtx;
    else if (k != FileKind::kUnsupported) format = InputFormat::kJson;
    else return Status::NotSupported(path, "not an EVTX, JSON, gzip or archive file");
  }
  if (format == InputFormat::kEvtx) {
    auto file = evtx::EvtxFile::Open(path, reporter);
    if (!file.has_value()) return file.error();
    return evtx::NewEvtxReader(std::move(file).value(), reporter);
  }
  return OpenJsonReader(path, options.json_shape, reporter);
}

}  // namespace inari
