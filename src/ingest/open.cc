#include "ingest/dbaudit/pg_log.h"
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
    else if (k == FileKind::kPgLog) format = InputFormat::kPgLog;
    else if (k == FileKind::kPgCsv) format = InputFormat::kPgCsv;
    else if (k == FileKind::kPgJson) format = InputFormat::kPgJson;
    else if (k == FileKind::kGzip) {
      // logrotate compresses PostgreSQL logs: look inside before taking it for JSON.
      auto pg = SniffPgLogFile(path);
      if (pg) return OpenPgLogReader(path, pg, PgLogOptions{options.pg_line_prefix}, reporter);
      format = InputFormat::kJson;
    } else if (k != FileKind::kUnsupported) format = InputFormat::kJson;
    else return Status::NotSupported(path, "not an EVTX, JSON, PostgreSQL log, gzip or archive file");
  }
  switch (format) {
    case InputFormat::kEvtx: {
      auto file = evtx::EvtxFile::Open(path, reporter);
      if (!file.has_value()) return file.error();
      return evtx::NewEvtxReader(std::move(file).value(), reporter);
    }
    case InputFormat::kPgLog:
      return OpenPgLogReader(path, PgLogFormat::kStderr, PgLogOptions{options.pg_line_prefix}, reporter);
    case InputFormat::kPgCsv:
      return OpenPgLogReader(path, PgLogFormat::kCsv, PgLogOptions{options.pg_line_prefix}, reporter);
    case InputFormat::kPgJson:
      return OpenPgLogReader(path, PgLogFormat::kJson, PgLogOptions{options.pg_line_prefix}, reporter);
    default:
      return OpenJsonReader(path, options.json_shape, reporter);
  }
}

}  // namespace inari
