// DetectionSpool: detections spilled as sorted runs to temporary files and
// merged back give the same timeline, field for field, as sorting them in
// memory; a spool that cannot write keeps everything in memory
// (docs/decisions.md #35).
#include "engine/detection_spool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/report.h"

namespace inari {
namespace {

// Events with 1-3 detections each (sharing the event's JSON), spread over
// writers; times collide often so that source, position and rule decide.
struct Generated {
  std::vector<std::vector<Detection>> events;  // detections of each event, event JSON owned by `json`
  std::vector<std::string> json;
};

Generated Generate(size_t n_events, uint32_t seed) {
  std::mt19937 rng(seed);
  Generated g;
  g.json.reserve(n_events);
  const char* sources[] = {"b.evtx", "a.evtx", "c/Security.evtx", "archive.zip:x.json"};
  for (size_t i = 0; i < n_events; ++i) {
    std::vector<Detection> ds;
    Detection base;
    base.time = rng() % 50 == 0 ? INT64_MIN : static_cast<int64_t>(rng() % 200) * 1'000'000'000;
    base.computer = "host-" + std::to_string(rng() % 7);
    base.channel = rng() % 2 ? "Security" : "Microsoft-Windows-Sysmon/Operational";
    base.event_id = static_cast<int64_t>(rng() % 5000);
    base.record_id = rng();
    base.source = sources[rng() % 4];
    base.order = i;  // unique per event within a source
    std::string json = "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(rng() % 300, 'x') + "\"}";
    g.json.push_back(json);
    const uint32_t first_rule = rng() % 40;
    const int k = 1 + static_cast<int>(rng() % 3);
    for (int r = 0; r < k; ++r) {
      Detection d = base;
      d.rule = first_rule + static_cast<uint32_t>(r) * 3;
      d.details = {{"Image", "C:\\Windows\\cmd.exe"}, {"N", std::to_string(rng() % 1000)}};
      if (rng() % 4 == 0) d.captured = {std::string("user") + std::to_string(rng() % 3), std::nullopt};
      if (rng() % 10 == 0) d.correlation_json = "{\"type\":\"event_count\"}";
      if (r == 2) d.details.clear();  // and no JSON: a hidden detection
      ds.push_back(std::move(d));
    }
    g.events.push_back(std::move(ds));
  }
  return g;
}

// Fills a spool the way the Hunter does; returns every detection (with its
// JSON) sorted in memory, the expected merge.
std::vector<Detection> Fill(DetectionSpool* spool, const Generated& g, int writers) {
  std::vector<Detection> expected;
  for (size_t i = 0; i < g.events.size(); ++i) {
    const int w = static_cast<int>(i % static_cast<size_t>(writers));
    spool->SetEventText(w, g.json[i]);
    for (const Detection& d : g.events[i]) {
      const bool with_text = !d.details.empty();
      Detection e = d;
      if (with_text) e.event_json = g.json[i];
      expected.push_back(std::move(e));
      spool->Add(w, d, with_text);
    }
    spool->EndEvent(w);
  }
  spool->Finish();
  std::stable_sort(expected.begin(), expected.end(), TimelineLess);
  return expected;
}

void ExpectSame(const Detection& a, const Detection& b, size_t i) {
  ASSERT_EQ(a.time, b.time) << i;
  ASSERT_EQ(a.source, b.source) << i;
  ASSERT_EQ(a.order, b.order) << i;
  ASSERT_EQ(a.rule, b.rule) << i;
  EXPECT_EQ(a.computer, b.computer) << i;
  EXPECT_EQ(a.channel, b.channel) << i;
  EXPECT_EQ(a.event_id, b.event_id) << i;
  EXPECT_EQ(a.record_id, b.record_id) << i;
  EXPECT_EQ(a.details, b.details) << i;
  EXPECT_EQ(a.captured, b.captured) << i;
  EXPECT_EQ(a.correlation_json, b.correlation_json) << i;
  EXPECT_EQ(a.event_json, b.event_json) << i;
}

void ExpectMergeEquals(const DetectionSpool& spool, const std::vector<Detection>& expected) {
  std::unique_ptr<DetectionCursor> c = spool.Merge();
  size_t i = 0;
  for (const Detection* d; (d = c->Next()) != nullptr; ++i) {
    ASSERT_LT(i, expected.size());
    ExpectSame(*d, expected[i], i);
    if (i > 0) {
      EXPECT_FALSE(TimelineLess(*d, expected[i - 1])) << i;
    }
  }
  EXPECT_EQ(i, expected.size());
  EXPECT_EQ(c->error(), "");
}

TEST(DetectionSpool, SpilledRunsMergeToTheSortedTimeline) {
  const Generated g = Generate(3000, 1);
  SpoolOptions o;
  o.memory_bytes = 48 << 10;  // a run every ~50 events per writer
  DetectionSpool spool(o, 3);
  const std::vector<Detection> expected = Fill(&spool, g, 3);
  const SpoolStats st = spool.stats();
  EXPECT_GT(st.runs, 20u);
  EXPECT_GT(st.spilled_bytes, 0u);
  EXPECT_EQ(st.detections, expected.size());
  EXPECT_EQ(spool.spill_error(), "");
  ExpectMergeEquals(spool, expected);
  // Correlation reads the detections before the timeline does: a second
  // merge gives them again.
  ExpectMergeEquals(spool, expected);
}

TEST(DetectionSpool, InMemoryWhenWithinBudget) {
  const Generated g = Generate(500, 2);
  DetectionSpool spool(SpoolOptions{}, 2);
  const std::vector<Detection> expected = Fill(&spool, g, 2);
  EXPECT_EQ(spool.stats().runs, 0u);
  ExpectMergeEquals(spool, expected);
}

TEST(DetectionSpool, OneWriterOneDetectionPerRun) {
  const Generated g = Generate(200, 3);
  SpoolOptions o;
  o.memory_bytes = 1;  // spills after every event
  DetectionSpool spool(o, 1);
  const std::vector<Detection> expected = Fill(&spool, g, 1);
  EXPECT_EQ(spool.stats().runs, 200u);
  ExpectMergeEquals(spool, expected);
}

TEST(DetectionSpool, UnwritableDirectoryKeepsEverythingInMemory) {
  const Generated g = Generate(1000, 4);
  SpoolOptions o;
  o.memory_bytes = 16 << 10;
  o.dir = "/nonexistent/inari-spool-test";
  DetectionSpool spool(o, 2);
  const std::vector<Detection> expected = Fill(&spool, g, 2);
  EXPECT_EQ(spool.stats().runs, 0u);
  EXPECT_NE(spool.spill_error().find("/nonexistent/inari-spool-test"), std::string::npos)
      << spool.spill_error();
  ExpectMergeEquals(spool, expected);
}

TEST(DetectionSpool, TimelineOrderIsTimeSourcePositionRule) {
  std::vector<Detection> v(5);
  v[0].time = 2, v[0].source = "a", v[0].order = 1, v[0].rule = 1;
  v[1].time = 1, v[1].source = "b", v[1].order = 0, v[1].rule = 0;
  v[2].time = 1, v[2].source = "a", v[2].order = 9, v[2].rule = 0;
  v[3].time = 1, v[3].source = "a", v[3].order = 2, v[3].rule = 7;
  v[4].time = 1, v[4].source = "a", v[4].order = 2, v[4].rule = 3;
  std::sort(v.begin(), v.end(), TimelineLess);
  const std::vector<std::tuple<int64_t, std::string, uint64_t, uint32_t>> want = {
      {1, "a", 2, 3}, {1, "a", 2, 7}, {1, "a", 9, 0}, {1, "b", 0, 0}, {2, "a", 1, 1}};
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_EQ(std::make_tuple(v[i].time, v[i].source, v[i].order, v[i].rule), want[i]) << i;
}

// ---- The table written as it streams --------------------------------------------

std::string RenderStreamed(size_t rows, const sigma::RuleInfo& rule) {
  FILE* f = std::tmpfile();
  EXPECT_NE(f, nullptr);
  {
    ReportOptions o;
    TimelineWriter w([&](uint32_t) -> const sigma::RuleInfo& { return rule; }, o, f);
    for (size_t i = 0; i < rows; ++i) {
      Detection d;
      d.time = static_cast<int64_t>(i) * 1'000'000'000;
      d.computer = "ws01";
      d.channel = "Security";
      d.event_id = 4624;
      d.details = {{"User", "alice"}};
      w.Add(d);
    }
  }
  std::fflush(f);
  std::rewind(f);
  std::string s;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  std::fclose(f);
  return s;
}

TEST(TimelineWriter, TableBeyondItsWindowUsesColumnCaps) {
  sigma::RuleInfo rule;
  rule.title = "Logon";
  rule.level = sigma::Level::kLow;
  // Short: columns as wide as their content ("ws01" → "Computer", 8).
  const std::string small = RenderStreamed(3, rule);
  EXPECT_EQ(small.substr(0, small.find('\n')).find("Computer  Channel"), 25u) << small;
  // Long: every row in one header's columns at their caps (Computer 32).
  const std::string big = RenderStreamed(10050, rule);
  size_t lines = 0, headers = 0;
  for (size_t at = 0, nl; (nl = big.find('\n', at)) != std::string::npos; at = nl + 1) {
    const std::string_view line(big.data() + at, nl - at);
    ++lines;
    headers += line.starts_with("Timestamp");
    if (lines == 2) {
      EXPECT_EQ(line.substr(25, 34), std::string("ws01") + std::string(30, ' ')) << line;
    }
  }
  EXPECT_EQ(lines, 10051u);
  EXPECT_EQ(headers, 1u);
  const std::string first_row = big.substr(big.find('\n') + 1, big.find('\n', big.find('\n') + 1) - big.find('\n') - 1);
  const std::string last_row = big.substr(big.rfind('\n', big.size() - 2) + 1);
  EXPECT_EQ(first_row.find("alice"), last_row.find("alice"));
}

}  // namespace
}  // namespace inari
