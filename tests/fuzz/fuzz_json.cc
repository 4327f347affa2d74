// libFuzzer target: the JSON reader on arbitrary bytes, every shape (the first
// byte picks the shape so the fuzzer explores all of them).
#include <cstdint>
#include <memory>
#include <string>

#include "common.h"
#include "ingest/json/json_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const inari::JsonShape kShapes[] = {inari::JsonShape::kAuto, inari::JsonShape::kEvtxDump,
                                             inari::JsonShape::kEcs, inari::JsonShape::kFlat};
  inari::JsonShape shape = kShapes[data[0] % 4];
  inari::fuzz::NullReporter reporter;
  auto buf = std::make_shared<const std::string>(reinterpret_cast<const char*>(data + 1), size - 1);
  auto reader = inari::NewJsonReader("fuzz.json", buf, shape, &reporter);
  inari::fuzz::Drain(reader.get());
  return 0;
}
