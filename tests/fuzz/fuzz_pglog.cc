// libFuzzer target: the PostgreSQL log readers on arbitrary bytes. The first
// byte picks the format (stderr, csvlog, jsonlog) and the log_line_prefix
// (detected, or one of a few explicit ones); the pgaudit parser is also fed
// the input directly.
#include <cstdint>
#include <memory>
#include <string>

#include "base/arena.h"
#include "common.h"
#include "ingest/archive.h"
#include "ingest/dbaudit/pg_log.h"
#include "ingest/dbaudit/pg_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const inari::PgLogFormat kFormats[] = {inari::PgLogFormat::kStderr, inari::PgLogFormat::kCsv,
                                                inari::PgLogFormat::kJson};
  static const char* const kPrefixes[] = {nullptr, "%m [%p] %q%u@%d ", "%t:%r:%u@%d:[%p]:", "%a%u%d%h ",
                                          "%-10u|%5p|%c|%l|%s|%v|%x|%e|%i|%b|%Q|%n|%P|%%|%r "};
  const inari::PgLogFormat format = kFormats[data[0] % 3];
  inari::PgLogOptions options;
  if (const char* p = kPrefixes[(data[0] / 3) % 5]) options.line_prefix = p;
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);

  inari::Arena arena;
  inari::pg::AuditFields audit;
  const char* why = nullptr;
  (void)inari::pg::ParseAudit(text, &arena, &audit, &why);
  (void)inari::SniffPgLog(text);

  inari::fuzz::NullReporter reporter;
  auto reader = inari::NewPgLogReader("fuzz.log", inari::MakePaddedText(std::move(text)), format, options, &reporter);
  inari::fuzz::Drain(reader.get());
  return 0;
}
