// EVTX reader: exact values from real logs, and damage built in memory from
// real files (flipped bytes, cut files, bad signatures) to check that every
// good record is still recovered and each problem is reported with a place.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/time.h"
#include "ingest/evtx/evtx_file.h"
#include "ingest/evtx/evtx_format.h"

namespace inari {
namespace {

const std::string kData = INARI_SHARED_DATA;

struct Collector : IssueReporter {
  std::vector<ReadIssue> issues;
  void Report(const ReadIssue& i) override { issues.push_back(i); }
  size_t Count(Code c) const {
    size_t n = 0;
    for (auto& i : issues) n += i.status.code() == c;
    return n;
  }
};

struct Parsed {
  std::vector<std::string> json;  // one per event, in order
  std::vector<uint64_t> record_ids;
  Collector issues;
  bool opened = false;
};

std::unique_ptr<Parsed> ParseBuffer(std::string bytes, const std::string& name = "mem.evtx") {
  auto out = std::make_unique<Parsed>();
  auto buf = std::make_shared<const std::string>(std::move(bytes));
  auto file = evtx::EvtxFile::FromBuffer(name, buf, &out->issues);
  if (!file.has_value()) {
    out->issues.Report(ReadIssue{file.error(), name, "", true});
    return out;
  }
  out->opened = true;
  auto reader = evtx::NewEvtxReader(std::move(file).value(), &out->issues);
  EventBatch batch;
  bool more = true;
  while (more) {
    batch.Reset();
    more = reader->Next(&batch, 1000);
    for (size_t i = 0; i < batch.size(); ++i) {
      std::string j;
      AppendEventJson(batch[i], &j);
      out->json.push_back(j);
      out->record_ids.push_back(batch[i].record_id());
    }
  }
  return out;
}

std::string Slurp(const std::string& path) {
  auto r = ReadFileToString(path);
  EXPECT_TRUE(r.has_value()) << path;
  return r.has_value() ? r.value() : std::string();
}

// Recomputes a chunk's checksums after an edit, so a test can damage exactly one thing.
void FixChunkCrcs(std::string* f, size_t chunk) {
  auto* c = reinterpret_cast<uint8_t*>(f->data()) + 4096 + chunk * 65536;
  uint32_t free_off = evtx::Le32(c + 48);
  uint32_t dcrc = static_cast<uint32_t>(crc32(0, c + 512, free_off - 512));
  std::memcpy(c + 52, &dcrc, 4);
  uint32_t hcrc = static_cast<uint32_t>(crc32(crc32(0, c, 120), c + 128, 384));
  std::memcpy(c + 124, &hcrc, 4);
}

TEST(EvtxReader, ReadsSecurityEventExactly) {
  auto p = ParseBuffer(Slurp(kData + "/evtx/DeepBlueCLI/evtx/new-user-security.evtx"));
  ASSERT_TRUE(p->opened);
  ASSERT_GE(p->json.size(), 2u);
  EXPECT_EQ(p->json[1],
            "{\"Provider_Name\":\"Microsoft-Windows-Security-Auditing\",\"Provider_Guid\":\"{54849625-5478-4994-"
            "A5BA-3E3B0328C30D}\",\"EventID\":4720,\"Version\":0,\"Level\":0,\"Task\":13824,\"Opcode\":0,"
            "\"Keywords\":\"0x8020000000000000\",\"TimeCreated_SystemTime\":\"2013-10-23T16:22:39.9735000Z\","
            "\"EventRecordID\":112,\"Execution_ProcessID\":508,\"Execution_ThreadID\":1032,\"Channel\":\"Security\","
            "\"Computer\":\"IE8Win7\",\"TargetUserName\":\"IEUser\",\"TargetDomainName\":\"IE8Win7\",\"TargetSid\":"
            "\"S-1-5-21-3463664321-2923530833-3546627382-1000\",\"SubjectUserSid\":\"S-1-5-18\",\"SubjectUserName\":"
            "\"WIN-QALA5Q3KJ43$\",\"SubjectDomainName\":\"WORKGROUP\",\"SubjectLogonId\":\"0x3e7\",\"PrivilegeList\":"
            "\"-\",\"SamAccountName\":\"IEUser\",\"DisplayName\":\"%%1793\",\"UserPrincipalName\":\"-\","
            "\"HomeDirectory\":\"%%1793\",\"HomePath\":\"%%1793\",\"ScriptPath\":\"%%1793\",\"ProfilePath\":\"%%1793\","
            "\"UserWorkstations\":\"%%1793\",\"PasswordLastSet\":\"%%1794\",\"AccountExpires\":\"%%1794\","
            "\"PrimaryGroupId\":\"513\",\"AllowedToDelegateTo\":\"-\",\"OldUacValue\":\"0x0\",\"NewUacValue\":\"0x15\","
            "\"UserAccountControl\":\"\\r\\n\\t\\t%%2080\\r\\n\\t\\t%%2082\\r\\n\\t\\t%%2084\",\"UserParameters\":"
            "\"%%1793\",\"SidHistory\":\"-\",\"LogonHours\":\"%%1797\"}");
  EXPECT_TRUE(p->issues.issues.empty());
}

TEST(EvtxReader, UserDataLeavesAreNamedByElement) {
  // TerminalServices 1149 keeps its fields in <UserData><EventXML>.
  auto p = ParseBuffer(Slurp(kData + "/evtx/EVTX-to-MITRE-Attack/TA0001-Initial access/T1078-Valid accounts/"
                                     "ID1149-RDP success logins to multiple hosts.evtx"));
  ASSERT_FALSE(p->json.empty());
  size_t with_param = 0;
  for (auto& j : p->json) with_param += j.find("\"Param1\":") != std::string::npos && j.find("\"EventID\":1149") != std::string::npos;
  EXPECT_EQ(with_param, p->json.size());
  EXPECT_EQ(p->issues.Count(Code::kCorruption), 0u);
}

TEST(EvtxReader, RecordsComeInOrderWithIds) {
  auto p = ParseBuffer(Slurp(kData + "/evtx/python-evtx-samples/tests/data/system.evtx"));
  ASSERT_GT(p->record_ids.size(), 100u);
  for (size_t i = 1; i < p->record_ids.size(); ++i) EXPECT_LT(p->record_ids[i - 1], p->record_ids[i]) << i;
}

TEST(EvtxReader, RejectsNonEvtxBuffer) {
  auto p = ParseBuffer(std::string(8192, 'x'));
  EXPECT_FALSE(p->opened);
  ASSERT_EQ(p->issues.issues.size(), 1u);
  EXPECT_EQ(p->issues.issues[0].status.code(), Code::kNotSupported);
}

TEST(EvtxReader, HeaderOnlyFileHasNoEvents) {
  std::string f = Slurp(kData + "/evtx/DeepBlueCLI/evtx/new-user-security.evtx").substr(0, 4096);
  auto p = ParseBuffer(f);
  EXPECT_TRUE(p->opened);
  EXPECT_TRUE(p->json.empty());
}

void SetFileFlags(std::string* f, uint32_t flags) {
  std::memcpy(f->data() + 120, &flags, 4);
  uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const uint8_t*>(f->data()), 120));
  std::memcpy(f->data() + 124, &crc, 4);
}

class EvtxDamage : public ::testing::Test {
 protected:
  void SetUp() override {
    clean_ = Slurp(kData + "/evtx/evtx-parser-samples/samples/security.evtx");
    ASSERT_GT(clean_.size(), 4096u + 3 * 65536u);
    // The sample was copied from a live system (dirty flag set); clear it so
    // each test starts from a file with nothing to report.
    SetFileFlags(&clean_, evtx::Le32(reinterpret_cast<const uint8_t*>(clean_.data()) + 120) & ~evtx::kFileFlagDirty);
    baseline_ = ParseBuffer(clean_);
    ASSERT_GT(baseline_->json.size(), 1000u);
    // Records per chunk in the clean file.
    auto* d = reinterpret_cast<const uint8_t*>(clean_.data());
    for (size_t c = 0; 4096 + (c + 1) * 65536 <= clean_.size(); ++c) {
      const uint8_t* ch = d + 4096 + c * 65536;
      if (std::memcmp(ch, "ElfChnk", 7) != 0) break;
      per_chunk_.push_back(evtx::Le64(ch + 8 + 8) - evtx::Le64(ch + 8) + 1);
    }
  }
  std::string clean_;
  std::unique_ptr<Parsed> baseline_;
  std::vector<uint64_t> per_chunk_;
};

TEST_F(EvtxDamage, CleanFileReportsNothing) {
  EXPECT_TRUE(baseline_->issues.issues.empty()) << baseline_->issues.issues[0].status.ToString();
}

TEST_F(EvtxDamage, BadChunkSignatureSkipsOnlyThatChunk) {
  std::string f = clean_;
  f[4096 + 1 * 65536] = 'X';
  auto p = ParseBuffer(f);
  ASSERT_EQ(p->issues.Count(Code::kCorruption), 1u);
  EXPECT_NE(p->issues.issues[0].where.find("chunk 1 "), std::string::npos) << p->issues.issues[0].where;
  EXPECT_EQ(p->json.size(), baseline_->json.size() - per_chunk_[1]);
}

TEST_F(EvtxDamage, FlippedByteInRecordDataIsReportedAndOtherRecordsSurvive) {
  std::string f = clean_;
  // Damage the BinXML of the first record in chunk 2 (template instance token).
  size_t rec = 4096 + 2 * 65536 + 512;
  f[rec + 24] = static_cast<char>(0xEE);
  auto p = ParseBuffer(f);
  EXPECT_EQ(p->issues.Count(Code::kChecksum), 1u);  // the chunk's data CRC
  ASSERT_EQ(p->issues.Count(Code::kCorruption), 1u);
  const ReadIssue* bad = nullptr;
  for (auto& i : p->issues.issues)
    if (i.status.code() == Code::kCorruption) bad = &i;
  EXPECT_NE(bad->where.find("chunk 2 "), std::string::npos);
  EXPECT_NE(bad->where.find("offset 0x21200"), std::string::npos) << bad->where;
  EXPECT_EQ(p->json.size(), baseline_->json.size() - 1);
}

TEST_F(EvtxDamage, ChecksumMismatchAloneLosesNothing) {
  std::string f = clean_;
  f[4096 + 65536 + 60] ^= 0x1;  // inside the chunk header's unused area → header CRC fails
  auto p = ParseBuffer(f);
  EXPECT_EQ(p->issues.Count(Code::kChecksum), 1u);
  EXPECT_EQ(p->json, baseline_->json);
}

TEST_F(EvtxDamage, BrokenRecordSizeResynchronises) {
  std::string f = clean_;
  size_t rec = 4096 + 512;  // first record of chunk 0
  uint32_t size = evtx::Le32(reinterpret_cast<const uint8_t*>(f.data()) + rec + 4);
  uint32_t bogus = 0x00FFFFFF;
  std::memcpy(f.data() + rec + 4, &bogus, 4);
  FixChunkCrcs(&f, 0);
  auto p = ParseBuffer(f);
  ASSERT_GE(p->issues.Count(Code::kCorruption), 1u);
  // The damaged record is read up to the next signature; nothing after it is lost.
  EXPECT_GE(p->json.size(), baseline_->json.size() - 1);
  (void)size;
}

TEST_F(EvtxDamage, TruncatedFileKeepsWholeChunks) {
  std::string f = clean_.substr(0, 4096 + 2 * 65536 + 30000);
  auto p = ParseBuffer(f);
  EXPECT_EQ(p->issues.Count(Code::kTruncated), 1u);
  EXPECT_EQ(p->json.size(), per_chunk_[0] + per_chunk_[1]);
  for (size_t i = 0; i < p->json.size(); ++i) ASSERT_EQ(p->json[i], baseline_->json[i]);
}

TEST_F(EvtxDamage, DirtyFlagIsReportedAndAllChunksRead) {
  std::string f = clean_;
  SetFileFlags(&f, evtx::Le32(reinterpret_cast<const uint8_t*>(f.data()) + 120) | evtx::kFileFlagDirty);
  auto p = ParseBuffer(f);
  EXPECT_EQ(p->issues.Count(Code::kDirty), 1u);
  EXPECT_EQ(p->issues.issues.size(), 1u);
  EXPECT_EQ(p->json, baseline_->json);
}

TEST_F(EvtxDamage, RandomGarbageInEveryChunkNeverCrashes) {
  // Not a fuzzer (that is tests/fuzz); a quick deterministic sweep.
  uint32_t seed = 12345;
  for (int round = 0; round < 40; ++round) {
    std::string f = clean_;
    for (int k = 0; k < 64; ++k) {
      seed = seed * 1103515245 + 12345;
      size_t pos = 4096 + (seed >> 4) % (f.size() - 4096);
      f[pos] = static_cast<char>(seed >> 24);
    }
    auto p = ParseBuffer(f);
    EXPECT_TRUE(p->opened);
    EXPECT_LE(p->json.size(), baseline_->json.size() + 64);
  }
}

TEST(EvtxCorruptSamples, EachIsReadAsFarAsPossible) {
  // The deliberately damaged samples: every one opens, yields records and
  // names what is wrong; none crashes or hangs.
  struct Case {
    const char* file;
    size_t min_events;
    bool expect_issue;
  };
  const Case cases[] = {
      {"evtx-parser-samples/samples/sample_with_a_bad_chunk_magic.evtx", 200, true},
      {"evtx-parser-samples/samples/sample-with-zero-data-size-event.evtx", 100, true},
      {"evtx-parser-samples/samples/Application_no_crc32.evtx", 10, true},
      {"evtx-parser-samples/samples/2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx", 1000, true},
      {"evtx-parser-samples/samples/sysmon.evtx", 100, true},
      {"python-evtx-samples/tests/data/dns_log_malformed.evtx", 1, false},
  };
  for (const Case& c : cases) {
    auto p = ParseBuffer(Slurp(kData + "/evtx/" + c.file), c.file);
    EXPECT_TRUE(p->opened) << c.file;
    EXPECT_GE(p->json.size(), c.min_events) << c.file;
    if (c.expect_issue) {
      EXPECT_FALSE(p->issues.issues.empty()) << c.file;
    }
    for (auto& i : p->issues.issues) EXPECT_FALSE(i.where.empty()) << c.file << ": " << i.status.ToString();
  }
}

}  // namespace
}  // namespace inari
