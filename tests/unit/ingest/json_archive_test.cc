// JSON inside gzip, zip and tar(.gz) files: members read one after another, other
// files skipped, damage reported without losing the rest.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "ingest/archive.h"
#include "ingest/json/json_reader.h"
#include "json_test_util.h"

namespace inari {
namespace {

using json_test::CollectingReporter;
using json_test::ReadAll;
using json_test::TempDir;

std::string JsonLines(int first, int count) {
  std::string s;
  for (int i = first; i < first + count; ++i)
    s += "{\"EventID\":" + std::to_string(i) + ",\"Channel\":\"Security\",\"Pad\":\"" + std::string(i % 40, 'x') +
         "\"}\n";
  return s;
}

void WriteGzip(const std::string& path, const std::string& content, const char* mode = "wb") {
  gzFile f = gzopen(path.c_str(), mode);
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, content.data(), static_cast<unsigned>(content.size())), static_cast<int>(content.size()));
  gzclose(f);
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Member {
  std::string name;
  std::string data;
  bool dir = false;
};

void WriteArchive(const std::string& path, bool zip, bool gzip, const std::vector<Member>& members) {
  struct archive* a = archive_write_new();
  if (zip)
    archive_write_set_format_zip(a);
  else
    archive_write_set_format_pax_restricted(a);
  if (gzip) archive_write_add_filter_gzip(a);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK) << archive_error_string(a);
  for (const Member& m : members) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, m.dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(e, m.dir ? 0755 : 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(m.data.size()));
    ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
    if (!m.data.empty()) archive_write_data(a, m.data.data(), m.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::set<std::string> SourcesOf(const EventBatch& batch) {
  std::set<std::string> s;
  for (size_t i = 0; i < batch.size(); ++i) s.insert(batch.source(batch[i].origin().source));
  return s;
}

std::vector<Member> MixedMembers() {
  return {
      {"logs/", "", true},
      {"logs/security.json", JsonLines(1, 300)},
      {"logs/sysmon.jsonl", "[\n" + std::string("{\"EventID\": 1001},\n{\"EventID\": 1002}\n") + "]\n"},
      {"logs/README.md", "# Dataset\nSome {text}.\n"},
      {"meta.yaml", "title: x\nrefs: [a, b]\n"},
      {"__MACOSX/logs/._security.json", std::string("\x00\x05\x16\x07 Mac OS X", 13)},
      {"export.txt", "{\"EventID\": 2001}\n"},  // any name, JSON content
  };
}

TEST(JsonArchive, GzipIsReadAsOneSourceNamedAfterTheFile) {
  TempDir dir;
  const std::string path = dir.Path("events.jsonl.gz");
  WriteGzip(path, JsonLines(1, 500));
  CollectingReporter reporter;
  auto reader = OpenJsonReader(path, JsonShape::kAuto, &reporter);
  ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
  EventBatch batch;
  ReadAll(reader.value().get(), &batch, 64);
  EXPECT_TRUE(reporter.issues.empty()) << reporter.Describe();
  ASSERT_EQ(batch.size(), 500u);
  EXPECT_EQ(batch[499].event_id(), 500);
  EXPECT_EQ(batch[499].origin().offset, 500u);
  EXPECT_EQ(SourcesOf(batch), std::set<std::string>{path});
  EXPECT_EQ(reader.value()->bytes_done(), reader.value()->bytes_total());
}

TEST(JsonArchive, ConcatenatedGzipMembersAreAllRead) {
  TempDir dir;
  const std::string path = dir.Path("rotated.gz");
  WriteGzip(path, JsonLines(1, 10));
  WriteGzip(path, JsonLines(11, 10), "ab");
  auto reader = OpenJsonReader(path, JsonShape::kAuto, nullptr);
  ASSERT_TRUE(reader.has_value());
  EventBatch batch;
  ReadAll(reader.value().get(), &batch);
  ASSERT_EQ(batch.size(), 20u);
  EXPECT_EQ(batch[19].event_id(), 20);
}

TEST(JsonArchive, TruncatedGzipKeepsItsCompleteLines) {
  TempDir dir;
  const std::string full = dir.Path("full.gz");
  WriteGzip(full, JsonLines(1, 3000));
  std::string bytes = ReadBytes(full);
  const std::string cut = dir.Write("cut.json.gz", bytes.substr(0, bytes.size() / 2));
  CollectingReporter reporter;
  auto reader = OpenJsonReader(cut, JsonShape::kAuto, &reporter);
  ASSERT_TRUE(reader.has_value());
  EventBatch batch;
  ReadAll(reader.value().get(), &batch);
  EXPECT_GT(batch.size(), 100u);
  EXPECT_LT(batch.size(), 3000u);
  for (size_t i = 0; i < batch.size(); ++i) ASSERT_EQ(batch[i].event_id(), static_cast<int64_t>(i + 1));
  bool truncated = false;
  for (const ReadIssue& i : reporter.issues) truncated |= i.status.code() == Code::kTruncated;
  EXPECT_TRUE(truncated) << reporter.Describe();
}

TEST(JsonArchive, ZipMembersAreReadOneAfterAnotherAndOtherFilesSkipped) {
  TempDir dir;
  const std::string path = dir.Path("dataset.zip");
  WriteArchive(path, /*zip=*/true, /*gzip=*/false, MixedMembers());
  CollectingReporter reporter;
  auto reader = OpenJsonReader(path, JsonShape::kAuto, &reporter);
  ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
  EventBatch batch;
  ReadAll(reader.value().get(), &batch, 100);
  EXPECT_TRUE(reporter.issues.empty()) << reporter.Describe();
  ASSERT_EQ(batch.size(), 303u);
  EXPECT_EQ(batch[0].event_id(), 1);
  EXPECT_EQ(batch[300].event_id(), 1001);
  EXPECT_EQ(batch[301].event_id(), 1002);
  EXPECT_EQ(batch[302].event_id(), 2001);
  EXPECT_EQ(batch.source(batch[300].origin().source), path + ":logs/sysmon.jsonl");
  EXPECT_EQ(batch[301].origin().offset, 3u);
  EXPECT_EQ(SourcesOf(batch),
            (std::set<std::string>{path + ":logs/security.json", path + ":logs/sysmon.jsonl", path + ":export.txt"}));
  EXPECT_EQ(reader.value()->bytes_done(), reader.value()->bytes_total());
}

TEST(JsonArchive, TarGzMembersAreReadOneAfterAnother) {
  TempDir dir;
  const std::string path = dir.Path("dataset.tgz");
  WriteArchive(path, /*zip=*/false, /*gzip=*/true, MixedMembers());
  CollectingReporter reporter;
  auto reader = OpenJsonReader(path, JsonShape::kAuto, &reporter);
  ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
  EventBatch batch;
  ReadAll(reader.value().get(), &batch, 7);
  EXPECT_TRUE(reporter.issues.empty()) << reporter.Describe();
  ASSERT_EQ(batch.size(), 303u);
  EXPECT_EQ(batch[302].event_id(), 2001);
  EXPECT_EQ(batch.source(batch[0].origin().source), path + ":logs/security.json");
}

TEST(JsonArchive, PlainTarIsRead) {
  TempDir dir;
  const std::string path = dir.Path("dataset.tar");
  WriteArchive(path, /*zip=*/false, /*gzip=*/false, {{"a.json", JsonLines(1, 5)}});
  auto reader = OpenJsonReader(path, JsonShape::kAuto, nullptr);
  ASSERT_TRUE(reader.has_value());
  EventBatch batch;
  ReadAll(reader.value().get(), &batch);
  EXPECT_EQ(batch.size(), 5u);
}

TEST(JsonArchive, DamagedZipMemberIsReportedAndTheNextMemberStillRead) {
  TempDir dir;
  const std::string good = dir.Path("good.zip");
  WriteArchive(good, /*zip=*/true, /*gzip=*/false, {{"a.json", JsonLines(1, 3000)}, {"b.json", JsonLines(5001, 7)}});
  std::string bytes = ReadBytes(good);
  // Local header of the first member: name and extra lengths at offsets 26 and 28.
  ASSERT_EQ(bytes.compare(0, 4, "PK\x03\x04"), 0);
  const size_t name_len = static_cast<uint8_t>(bytes[26]) | static_cast<uint8_t>(bytes[27]) << 8;
  const size_t extra_len = static_cast<uint8_t>(bytes[28]) | static_cast<uint8_t>(bytes[29]) << 8;
  const size_t data = 30 + name_len + extra_len;
  for (size_t i = data + 100; i < data + 160; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
  const std::string bad = dir.Write("bad.zip", bytes);

  CollectingReporter reporter;
  auto reader = OpenJsonReader(bad, JsonShape::kAuto, &reporter);
  ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
  EventBatch batch;
  ReadAll(reader.value().get(), &batch);
  ASSERT_EQ(batch.size(), 7u) << reporter.Describe();
  EXPECT_EQ(batch[0].event_id(), 5001);
  ASSERT_FALSE(reporter.issues.empty());
  EXPECT_EQ(reporter.issues[0].source, bad + ":a.json");
  EXPECT_EQ(reporter.issues[0].status.code(), Code::kCorruption);
  EXPECT_FALSE(reporter.issues[0].fatal);
}

TEST(JsonArchive, CompressedTextThatIsNoJsonIsReported) {
  TempDir dir;
  const std::string path = dir.Path("notes.gz");
  WriteGzip(path, "type=SYSCALL msg=audit(1604994496.155:92733): arch=c000003e\n");
  CollectingReporter reporter;
  auto reader = OpenJsonReader(path, JsonShape::kAuto, &reporter);
  ASSERT_TRUE(reader.has_value());
  EventBatch batch;
  ReadAll(reader.value().get(), &batch);
  EXPECT_EQ(batch.size(), 0u);
  ASSERT_EQ(reporter.issues.size(), 1u);
  EXPECT_EQ(reporter.issues[0].status.code(), Code::kNotSupported);
}

TEST(JsonArchive, EmptyGzipYieldsNothing) {
  TempDir dir;
  const std::string path = dir.Path("empty.gz");
  WriteGzip(path, "");
  CollectingReporter reporter;
  auto reader = OpenJsonReader(path, JsonShape::kAuto, &reporter);
  ASSERT_TRUE(reader.has_value());
  EventBatch batch;
  ReadAll(reader.value().get(), &batch);
  EXPECT_EQ(batch.size(), 0u);
  EXPECT_TRUE(reporter.issues.empty()) << reporter.Describe();
}

TEST(JsonArchive, InMemoryGzipBufferIsDecompressed) {
  TempDir dir;
  const std::string path = dir.Path("mem.gz");
  WriteGzip(path, JsonLines(1, 3));
  auto reader =
      NewJsonReader("kafka-message", std::make_shared<const std::string>(ReadBytes(path)), JsonShape::kAuto, nullptr);
  EventBatch batch;
  ReadAll(reader.get(), &batch);
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch.source(batch[0].origin().source), "kafka-message");
}

TEST(ArchiveInput, SniffsContainersByMagicBytes) {
  auto kind = [](std::string_view s) { return SniffContainer(reinterpret_cast<const uint8_t*>(s.data()), s.size()); };
  EXPECT_EQ(kind("\x1f\x8b\x08\x00"), ContainerKind::kGzip);
  EXPECT_EQ(kind("PK\x03\x04rest"), ContainerKind::kZip);
  EXPECT_EQ(kind("BZh91AY"), ContainerKind::kOther);
  EXPECT_EQ(kind("{\"EventID\":1}"), ContainerKind::kNone);
  std::string tar(512, '\0');
  std::memcpy(&tar[257], "ustar", 5);
  EXPECT_EQ(kind(tar), ContainerKind::kTar);
}

}  // namespace
}  // namespace inari
