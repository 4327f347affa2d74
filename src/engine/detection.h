// A detection: a rule that matched an event, with what a report needs from
// the event copied out (batches are reused, so nothing may point into them).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace inari {

struct Detection {
  int64_t time = 0;             // UTC ns (INT64_MIN if the event had none)
  std::string computer;
  std::string channel;
  int64_t event_id = -1;
  uint64_t record_id = 0;
  uint32_t rule = 0;            // index into the RuleSet
  std::string source;           // file (or archive member) the event came from
  uint64_t order = 0;           // position in the input, for a stable sort
  std::vector<std::pair<std::string, std::string>> details;  // key fields, in display order
  std::string event_json;       // the whole event, as `inari dump` prints it
};

}  // namespace inari
