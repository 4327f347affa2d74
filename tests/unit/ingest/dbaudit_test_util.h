// Helpers for the PostgreSQL log reader tests: read everything into plain
// maps (field name → canonical text) so expectations read like the log.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ingest/archive.h"
#include "ingest/dbaudit/pg_log.h"

namespace inari::pg_test {

class Issues final : public IssueReporter {
 public:
  void Report(const ReadIssue& issue) override {
    std::lock_guard lock(mu_);
    list.push_back(issue);
  }
  std::string Describe() const {
    std::string s;
    for (const ReadIssue& i : list) s += i.source + " | " + i.where + " | " + i.status.ToString() + "\n";
    return s;
  }
  size_t size() const { return list.size(); }
  std::vector<ReadIssue> list;

 private:
  std::mutex mu_;
};

struct Ev {
  std::map<std::string, std::string> f;    // name → text (last value of a repeated name)
  std::map<std::string, ValueType> type;   // name → value type
  uint64_t line = 0;                        // EventOrigin offset: the entry's first line
  int64_t time = 0;
  bool has(const std::string& k) const { return f.count(k) > 0; }
  std::string operator[](const std::string& k) const {
    auto it = f.find(k);
    return it == f.end() ? std::string("<absent>") : it->second;
  }
};

inline Ev ToEv(const EventView& e) {
  Ev ev;
  for (const Field& fl : e.fields()) {
    ev.f[std::string(FieldName(fl.id))] = fl.value.ToText();
    ev.type[std::string(FieldName(fl.id))] = fl.value.type;
  }
  ev.line = e.origin().offset;
  ev.time = e.time();
  return ev;
}

// Reads a reader to its end, `per_call` events at a time, resetting the batch between calls.
inline std::vector<Ev> Drain(Reader* r, size_t per_call = 1000) {
  std::vector<Ev> out;
  EventBatch batch;
  for (int guard = 0; guard < 10000000; ++guard) {
    batch.Reset();
    const bool more = r->Next(&batch, per_call);
    for (size_t i = 0; i < batch.size(); ++i) out.push_back(ToEv(batch[i]));
    if (!more) return out;
  }
  ADD_FAILURE() << "reader never finished";
  return out;
}

inline std::vector<Ev> ReadText(const std::string& text, PgLogFormat format, Issues* issues,
                                std::optional<std::string> prefix = std::nullopt, size_t per_call = 1000) {
  PgLogOptions o;
  o.line_prefix = std::move(prefix);
  auto reader = NewPgLogReader("test.log", MakePaddedText(std::string(text)), format, o, issues);
  return Drain(reader.get(), per_call);
}

}  // namespace inari::pg_test
