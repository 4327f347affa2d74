// Finding — one behavioural-analytics result: a stable reason code, a
// plain-language explanation, the entities it names and the event that showed
// it. Reason codes are listed (with their default points) in
// docs/analytics.md; they never change meaning once released.
#pragma once

#include <cstdint>
#include <string>

namespace inari::analytics {

struct Finding {
  int64_t time = 0;            // UTC ns of the event that completed it
  std::string code;            // e.g. "LM-NEW-SOURCE"
  std::string title;           // short, for a timeline
  std::string explanation;     // one or two sentences, names and numbers
  double points = 0;           // risk points it adds (already weighted)
  double host_weight = 1;      // share of the points the host gets (a DC that everyone logs on to
                               // learns little from one account's new source)
  std::string user;            // acting account ("" if none)
  std::string host;            // host where it was observed
  std::string source;          // source host or IP, if any
  // Evidence: the event.
  std::string computer;        // as logged (normalised short name)
  int64_t event_id = -1;       // -1: none (database log entries)
  uint64_t record_id = 0;
  std::string input;           // file it was read from
};

}  // namespace inari::analytics
