// libFuzzer target: the EVTX reader on arbitrary bytes.
#include <cstdint>
#include <memory>
#include <string>

#include "common.h"
#include "ingest/evtx/evtx_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  inari::fuzz::NullReporter reporter;
  auto buf = std::make_shared<const std::string>(reinterpret_cast<const char*>(data), size);
  auto file = inari::evtx::EvtxFile::FromBuffer("fuzz.evtx", buf, &reporter);
  if (!file.has_value()) return 0;
  auto reader = inari::evtx::NewEvtxReader(std::move(file).value(), &reporter);
  inari::fuzz::Drain(reader.get());
  return 0;
}
