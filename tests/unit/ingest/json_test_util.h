// Helpers for the JSON reader tests: read everything a reader yields, collect
// the issues it reports, look fields up by name.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ingest/json/json_reader.h"
#include "ingest/reader.h"

namespace inari::json_test {

class CollectingReporter final : public IssueReporter {
 public:
  void Report(const ReadIssue& issue) override {
    std::lock_guard lock(mu_);
    issues.push_back(issue);
  }
  std::string Describe() const {
    std::string s;
    for (const ReadIssue& i : issues) s += i.source + " | " + i.where + " | " + i.status.ToString() + "\n";
    return s;
  }
  std::vector<ReadIssue> issues;

 private:
  std::mutex mu_;
};

// Reads the whole input into one batch (never Reset, so every event stays valid).
inline void ReadAll(Reader* reader, EventBatch* batch, size_t per_call = 1000) {
  for (int guard = 0; guard < 1000000; ++guard) {
    if (!reader->Next(batch, per_call)) return;
  }
  FAIL() << "reader never finished";
}

inline std::unique_ptr<Reader> ReaderFor(std::string text, JsonShape shape, IssueReporter* reporter,
                                         std::string name = "test.json") {
  return NewJsonReader(std::move(name), std::make_shared<const std::string>(std::move(text)), shape, reporter);
}

// First value of `name` in `e`, or nullptr.
inline const Value* Get(const EventView& e, std::string_view name) {
  FieldId id = FindField(name);
  return id == kNoField ? nullptr : e.Get(id);
}

// All values of `name` in `e`, as text.
inline std::vector<std::string> All(const EventView& e, std::string_view name) {
  std::vector<std::string> out;
  FieldId id = FindField(name);
  for (const Field& f : e.fields())
    if (f.id == id) out.push_back(f.value.ToText());
  return out;
}

inline std::vector<std::string> Names(const EventView& e) {
  std::vector<std::string> out;
  for (const Field& f : e.fields()) out.emplace_back(FieldName(f.id));
  return out;
}

// One line per field, "Name [type] text", for readable failures.
inline std::string Dump(const EventView& e) {
  std::string s;
  for (const Field& f : e.fields()) {
    s +=
        std::string(FieldName(f.id)) + " [" + std::string(ValueTypeName(f.value.type)) + "] " + f.value.ToText() + "\n";
  }
  return s;
}

// The first value of field `name` has type `want_type` and canonical text `want_text`.
#define EXPECT_FIELD(event, name, want_type, want_text)                                                   \
  do {                                                                                                    \
    const ::inari::Value* v_ = ::inari::json_test::Get((event), (name));                                  \
    ASSERT_NE(v_, nullptr) << "missing field " << (name) << "\n" << ::inari::json_test::Dump(event);      \
    EXPECT_EQ(v_->type, (want_type)) << "field " << (name) << " is " << ::inari::ValueTypeName(v_->type); \
    EXPECT_EQ(v_->ToText(), (want_text)) << "field " << (name);                                           \
  } while (0)

#define EXPECT_NO_FIELD(event, name) \
  EXPECT_EQ(::inari::json_test::Get((event), (name)), nullptr) << "unexpected field " << (name)

// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "inari-json-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  std::string Path(std::string_view name) const { return path_ + "/" + std::string(name); }
  std::string Write(std::string_view name, std::string_view content) const {
    std::string p = Path(name);
    FILE* f = std::fopen(p.c_str(), "wb");
    if (f) {
      std::fwrite(content.data(), 1, content.size(), f);
      std::fclose(f);
    }
    return p;
  }

 private:
  std::string path_;
};

}  // namespace inari::json_test
