// The JSON readers against real exports in ../shared/data: SigmaHQ's regression
// JSON (evtx_dump output, the twins of its .evtx files) and OTRF Security-Datasets
// (nxlog/Logstash and Azure Sentinel exports in zip and tar.gz).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "base/time.h"
#include "ingest/json/json_reader.h"
#include "json_test_util.h"

namespace inari {
namespace {

namespace fs = std::filesystem;
using json_test::CollectingReporter;
using json_test::Dump;
using json_test::ReadAll;

const fs::path kShared = INARI_SHARED_DATA;

std::vector<std::string> FilesUnder(const fs::path& dir, bool (*want)(const fs::path&)) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec) && want(it->path())) out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Documents in a pretty-printed evtx_dump file, counted independently of the reader:
// each starts with '{' in column 0.
size_t CountTopLevelDocuments(const std::string& path) {
  std::ifstream in(path);
  size_t n = 0;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] == '{') ++n;
  return n;
}

// ---- SigmaHQ regression JSON -----------------------------------------------------------

TEST(JsonSharedData, SigmaRegressionJsonParsesWithoutIssuesIntoWindowsEvents) {
  const auto files =
      FilesUnder(kShared / "sigma" / "regression_data", [](const fs::path& p) { return p.extension() == ".json"; });
  if (files.empty()) GTEST_SKIP() << "no shared data at " << kShared;
  EXPECT_GE(files.size(), 100u);
  size_t total = 0;
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    CollectingReporter reporter;
    auto reader = OpenJsonReader(path, JsonShape::kAuto, &reporter);
    ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
    EventBatch batch;
    ReadAll(reader.value().get(), &batch);
    EXPECT_TRUE(reporter.issues.empty()) << reporter.Describe();
    ASSERT_GE(batch.size(), 1u);
    EXPECT_EQ(batch.size(), CountTopLevelDocuments(path));
    total += batch.size();
    for (size_t i = 0; i < batch.size(); ++i) {
      EventView e = batch[i];
      const Value* id = json_test::Get(e, "EventID");
      ASSERT_NE(id, nullptr) << Dump(e);
      EXPECT_EQ(id->type, ValueType::kUInt);
      const Value* channel = json_test::Get(e, "Channel");
      ASSERT_NE(channel, nullptr) << Dump(e);
      EXPECT_FALSE(channel->str().empty());
      EXPECT_NE(json_test::Get(e, "Computer"), nullptr);
      EXPECT_NE(json_test::Get(e, "Provider_Name"), nullptr);
      EXPECT_NE(e.time(), kNoTime) << "no TimeCreated_SystemTime\n" << Dump(e);
      EXPECT_NE(e.record_id(), 0u);
      // Nothing of evtx_dump's JSON structure leaks into field names.
      for (const Field& f : e.fields()) {
        std::string_view name = FieldName(f.id);
        EXPECT_TRUE(name.find('#') == std::string_view::npos && name.find("attributes") == std::string_view::npos &&
                    name.find("xmlns") == std::string_view::npos && name != "Event" && name != "System" &&
                    name != "EventData" && name != "UserData")
            << name;
      }
    }
  }
  EXPECT_GT(total, files.size());  // some files hold several events
}

// ---- OTRF Security-Datasets ---------------------------------------------------------------

bool IsArchive(const fs::path& p) {
  const std::string name = Lower(p.filename().string());
  return name.ends_with(".zip") || name.ends_with(".tar.gz") || name.ends_with(".tgz");
}

// Datasets of Windows events (as opposed to AWS, Linux auditd, Azure AD, M365).
bool IsWindowsDataset(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  return path.find("/atomic/windows/") != std::string::npos || path.find("/LSASS_campaign") != std::string::npos ||
         name.starts_with("sysmon_") || name.starts_with("securityauditing_");
}

std::vector<std::string> OtrfArchives() { return FilesUnder(kShared / "json" / "otrf" / "datasets", IsArchive); }

class OtrfArchive : public ::testing::TestWithParam<std::string> {};

TEST_P(OtrfArchive, OpensWithoutIssuesAndWindowsEventsCarryIdChannelAndComputer) {
  const std::string& path = GetParam();
  CollectingReporter reporter;
  auto reader = OpenJsonReader(path, JsonShape::kAuto, &reporter);
  ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
  EventBatch batch;
  size_t events = 0;
  bool more = true;
  while (more) {
    batch.Reset();
    more = reader.value()->Next(&batch, 4096);
    events += batch.size();
    if (!IsWindowsDataset(path)) continue;
    for (size_t i = 0; i < batch.size(); ++i) {
      EventView e = batch[i];
      ASSERT_GE(e.event_id(), 0) << Dump(e);
      ASSERT_NE(json_test::Get(e, "Channel"), nullptr) << Dump(e);
      ASSERT_NE(json_test::Get(e, "Computer"), nullptr) << Dump(e);
      ASSERT_TRUE(batch.source(e.origin().source).starts_with(path + ":"));
    }
  }
  EXPECT_TRUE(reporter.issues.empty()) << reporter.Describe();
  EXPECT_EQ(reader.value()->bytes_done(), reader.value()->bytes_total());
  // Linux auditd logs and CSV inside the zips are no JSON: skipped, no events, no issues.
  const bool json_inside = path.find("/linux/") == std::string::npos && path.find("honeybucket") == std::string::npos;
  if (json_inside)
    EXPECT_GT(events, 0u);
  else
    EXPECT_EQ(events, 0u);
}

std::string ParamName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).filename().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(JsonSharedData, OtrfArchive, ::testing::ValuesIn(OtrfArchives()), ParamName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(OtrfArchive);

struct OtrfRead {
  CollectingReporter reporter;
  EventBatch batch;
};

std::unique_ptr<OtrfRead> ReadOtrf(const std::string& relative) {
  auto r = std::make_unique<OtrfRead>();
  auto reader =
      OpenJsonReader((kShared / "json" / "otrf" / "datasets" / relative).string(), JsonShape::kAuto, &r->reporter);
  if (reader.has_value()) ReadAll(reader.value().get(), &r->batch);
  return r;
}

TEST(JsonSharedData, OtrfEventCountsMatchTheirLines) {
  const fs::path root = kShared / "json" / "otrf" / "datasets";
  if (!fs::exists(root)) GTEST_SKIP() << "no shared data";
  // Non-empty lines of each archive's JSON member, counted with Python's zipfile/tarfile.
  EXPECT_EQ(ReadOtrf("atomic/windows/discovery/host/empire_shell_net_local_users.zip")->batch.size(), 1907u);
  EXPECT_EQ(ReadOtrf("atomic/windows/defense_evasion/host/empire_enable_rdp.tar.gz")->batch.size(), 2668u);
  EXPECT_EQ(ReadOtrf("compound/GoldenSAMLADFSMailAccess/WindowsEvents.Zip")->batch.size(), 38u);
}

TEST(JsonSharedData, OtrfNxlogRecordsLoseTransportFieldsAndKeepWindowsNames) {
  if (!fs::exists(kShared / "json" / "otrf")) GTEST_SKIP() << "no shared data";
  auto r = ReadOtrf("atomic/windows/discovery/host/empire_shell_net_local_users.zip");
  ASSERT_EQ(r->batch.size(), 1907u) << r->reporter.Describe();
  for (size_t i = 0; i < r->batch.size(); ++i) {
    EventView e = r->batch[i];
    for (const char* gone : {"host", "port", "@version", "tags", "EventReceivedTime", "SourceModuleType", "Hostname",
                             "SourceName", "RecordNumber", "EventType", "Severity", "@timestamp"})
      ASSERT_EQ(json_test::Get(e, gone), nullptr) << gone << "\n" << Dump(e);
    ASSERT_NE(json_test::Get(e, "Provider_Name"), nullptr) << Dump(e);
    ASSERT_NE(e.time(), kNoTime) << Dump(e);
    ASSERT_NE(e.record_id(), 0u) << Dump(e);
  }
}

TEST(JsonSharedData, OtrfSysmonEventTypeSurvivesWhereNxlogDidNotShipTheRecord) {
  if (!fs::exists(kShared / "json" / "otrf")) GTEST_SKIP() << "no shared data";
  auto r = ReadOtrf("atomic/windows/discovery/host/cmd_discover_iexplorer_version_registry.zip");
  ASSERT_EQ(r->batch.size(), 68u) << r->reporter.Describe();
  std::vector<std::string> types;
  for (size_t i = 0; i < r->batch.size(); ++i)
    if (const Value* v = json_test::Get(r->batch[i], "EventType")) types.push_back(v->ToText());
  EXPECT_EQ(std::count(types.begin(), types.end(), "SetValue"), 9);
  EXPECT_EQ(std::count(types.begin(), types.end(), "CreateKey"), 1);
  EXPECT_EQ(types.size(), 10u);
}

}  // namespace
}  // namespace inari
