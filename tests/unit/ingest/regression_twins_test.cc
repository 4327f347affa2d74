// SigmaHQ's regression data ships each sample twice: the EVTX file and a JSON
// copy (evtx_dump shape). Both must give the same events, field for field.
// The JSON copies keep timestamps to the microsecond, so times are compared at
// that precision; and their exporter (the Rust evtx crate) trims white space
// around text values, which inari keeps (a command line "cmd.exe " really ends
// in a space), so text is compared trimmed. Everything else must be equal as
// canonical text.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ingest/reader.h"

namespace inari {
namespace {

namespace fs = std::filesystem;

struct NoIssues : IssueReporter {
  std::vector<std::string> seen;
  void Report(const ReadIssue& i) override { seen.push_back(i.source + ": " + i.where + ": " + i.status.ToString()); }
};

std::vector<std::vector<std::pair<std::string, std::string>>> ReadAll(const std::string& path, NoIssues* issues) {
  std::vector<std::vector<std::pair<std::string, std::string>>> out;
  auto reader = OpenReader(path, ReaderOptions{}, issues);
  if (!reader.has_value()) {
    issues->seen.push_back(reader.error().ToString());
    return out;
  }
  EventBatch batch;
  bool more = true;
  while (more) {
    batch.Reset();
    more = reader.value()->Next(&batch, 1024);
    for (size_t i = 0; i < batch.size(); ++i) {
      auto& ev = out.emplace_back();
      for (const Field& f : batch[i].fields()) {
        Value v = f.value;
        if (v.type == ValueType::kTime) v.i -= v.i % 1000;  // microseconds
        std::string text = v.ToText();
        size_t b = text.find_first_not_of(" \t\r\n"), e = text.find_last_not_of(" \t\r\n");
        text = b == std::string::npos ? std::string() : text.substr(b, e - b + 1);
        ev.emplace_back(std::string(FieldName(f.id)), text);
      }
    }
  }
  return out;
}

// Pairs whose JSON copy really says something else than the EVTX file (checked
// with python-evtx, an independent parser): the sample's file name and the
// difference inari reports.
struct KnownDifference {
  const char* file;
  const char* difference;
};
const KnownDifference kKnown[] = {
    // python-evtx: <Data Name="ParentCommandLine">C:\Windows\Explorer.EXE</Data>; the
    // JSON copy was edited to ".exe".
    {"ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx",
     "event 0: evtx ParentCommandLine=C:\\Windows\\Explorer.EXE / json ParentCommandLine=C:\\Windows\\Explorer.exe"},
};

TEST(RegressionTwins, JsonCopiesGiveTheSameEventsAsTheirEvtx) {
  const fs::path root = fs::path(INARI_SHARED_DATA) / "sigma" / "regression_data";
  ASSERT_TRUE(fs::exists(root)) << root;
  size_t pairs = 0, events = 0, known_seen = 0;
  std::vector<std::string> differ;
  for (auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".evtx") continue;
    fs::path json = entry.path();
    json.replace_extension(".json");
    if (!fs::exists(json)) continue;
    ++pairs;
    NoIssues issues;
    auto a = ReadAll(entry.path().string(), &issues);
    auto b = ReadAll(json.string(), &issues);
    EXPECT_TRUE(issues.seen.empty()) << issues.seen[0];
    events += a.size();
    if (a.size() != b.size()) {
      differ.push_back(entry.path().string() + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
                       " events");
      continue;
    }
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] == b[i]) continue;
      std::string why;
      for (size_t k = 0; k < std::max(a[i].size(), b[i].size()); ++k) {
        std::string x = k < a[i].size() ? a[i][k].first + "=" + a[i][k].second : "(none)";
        std::string y = k < b[i].size() ? b[i][k].first + "=" + b[i][k].second : "(none)";
        if (x != y) {
          why = "evtx " + x + " / json " + y;
          break;
        }
      }
      std::string diff = "event " + std::to_string(i) + ": " + why;
      bool known = false;
      for (const KnownDifference& k : kKnown)
        known |= entry.path().filename() == k.file && diff == k.difference;
      if (!known) differ.push_back(entry.path().string() + ": " + diff);
      else ++known_seen;
      break;
    }
  }
  EXPECT_GT(pairs, 150u);
  EXPECT_EQ(known_seen, std::size(kKnown)) << "a known difference went away: update kKnown";
  EXPECT_GT(events, pairs);
  for (size_t i = 0; i < differ.size() && i < 20; ++i) ADD_FAILURE() << differ[i];
  EXPECT_TRUE(differ.empty()) << differ.size() << " of " << pairs << " pairs differ";
  std::printf("regression twins: %zu pairs, %zu events, %zu differ\n", pairs, events, differ.size());
}

}  // namespace
}  // namespace inari
