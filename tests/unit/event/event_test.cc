#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "base/time.h"
#include "inari/event.h"

namespace inari {
namespace {

TEST(FieldRegistry, WellKnownIdsAreFixed) {
  EXPECT_EQ(InternField("EventID"), field::kEventID);
  EXPECT_EQ(InternField("TimeCreated_SystemTime"), field::kTimeCreatedSystemTime);
  EXPECT_EQ(FieldName(field::kProviderGuid), "Provider_Guid");
  EXPECT_EQ(FindField("NoSuchFieldEverInterned_x9"), kNoField);
}

TEST(FieldRegistry, ConcurrentInterningGivesOneIdPerName) {
  std::vector<std::vector<FieldId>> ids(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &ids] {
      for (int i = 0; i < 2000; ++i) ids[t].push_back(InternField("concurrent_" + std::to_string(i)));
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 1; t < 4; ++t) EXPECT_EQ(ids[t], ids[0]);
  EXPECT_EQ(FieldName(ids[0][1234]), "concurrent_1234");
}

TEST(Value, CanonicalText) {
  const uint8_t guid[16] = {0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49, 0xa5, 0xba, 0x3e, 0x3b, 0x03, 0x28, 0xc3, 0x0d};
  EXPECT_EQ(Value::Bytes(ValueType::kGuid, guid, 16).ToText(), "{54849625-5478-4994-A5BA-3E3B0328C30D}");
  const uint8_t sid[] = {1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xe8, 0x03, 0, 0};
  EXPECT_EQ(Value::Bytes(ValueType::kSid, sid, sizeof sid).ToText(), "S-1-5-21-1-2-3-1000");
  const uint8_t system_sid[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
  EXPECT_EQ(Value::Bytes(ValueType::kSid, system_sid, sizeof system_sid).ToText(), "S-1-5-18");
  EXPECT_EQ(Value::Hex(0x8020000000000000ULL).ToText(), "0x8020000000000000");
  EXPECT_EQ(Value::Hex(0).ToText(), "0x0");
  EXPECT_EQ(Value::Int(-5).ToText(), "-5");
  EXPECT_EQ(Value::UInt(4624).ToText(), "4624");
  EXPECT_EQ(Value::Bool(true).ToText(), "true");
  const uint8_t bin[] = {0x00, 0xAB, 0x7f};
  EXPECT_EQ(Value::Bytes(ValueType::kBinary, bin, 3).ToText(), "00AB7F");
  EXPECT_EQ(Value::Time(0).ToText(), "1970-01-01T00:00:00.0000000Z");
  EXPECT_EQ(Value::Null().ToText(), "");
  EXPECT_EQ(Value::Double(0.5).ToText(), "0.5");
}

TEST(Value, AsInt64AcceptsIntegersAndIntegerText) {
  int64_t v = 0;
  EXPECT_TRUE(Value::String("4624").AsInt64(&v));
  EXPECT_EQ(v, 4624);
  EXPECT_TRUE(Value::String("0x3e7").AsInt64(&v));
  EXPECT_EQ(v, 999);
  EXPECT_TRUE(Value::String("-12").AsInt64(&v));
  EXPECT_EQ(v, -12);
  EXPECT_FALSE(Value::String("12a").AsInt64(&v));
  EXPECT_FALSE(Value::String("").AsInt64(&v));
  EXPECT_FALSE(Value::Null().AsInt64(&v));
  EXPECT_TRUE(Value::Hex(16).AsInt64(&v));
  EXPECT_EQ(v, 16);
}

TEST(EventBatch, BuildsViewsAndTakesTimeFromSystemTime) {
  EventBatch b;
  uint32_t src = b.AddSource("file.json");
  b.BeginEvent();
  b.Add(field::kEventID, Value::UInt(4624));
  b.Add(field::kTimeCreatedSystemTime, Value::Time(ParseIso8601("2024-01-02T03:04:05Z")));
  b.AddString(InternField("TargetUserName"), b.CopyString("alice"));
  b.EndEvent(kNoTime, 0, EventOrigin{src, 0, 7});
  b.BeginEvent();
  b.Add(field::kEventID, Value::String("4625"));
  b.Add(field::kEventRecordID, Value::UInt(99));
  b.EndEvent(kNoTime, 0, EventOrigin{src, 0, 8});
  ASSERT_EQ(b.size(), 2u);
  EventView e0 = b[0];
  EXPECT_EQ(e0.event_id(), 4624);
  EXPECT_EQ(FormatIso8601(e0.time()), "2024-01-02T03:04:05.0000000Z");
  EXPECT_EQ(e0.Get(InternField("TargetUserName"))->str(), "alice");
  EXPECT_EQ(e0.Get(InternField("Nope")), nullptr);
  EXPECT_EQ(e0.origin().offset, 7u);
  EXPECT_EQ(b.source(e0.origin().source), "file.json");
  EventView e1 = b[1];
  EXPECT_EQ(e1.event_id(), 4625);
  EXPECT_EQ(e1.time(), kNoTime);
  EXPECT_EQ(e1.record_id(), 99u);
}

TEST(EventBatch, AbandonEventDropsPartialFields) {
  EventBatch b;
  b.BeginEvent();
  b.Add(field::kEventID, Value::UInt(1));
  b.EndEvent(0, 1, {});
  b.BeginEvent();
  b.Add(field::kEventID, Value::UInt(2));
  b.AbandonEvent();
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(b.field_count(), 1u);
}

TEST(EventJson, RepeatedNamesBecomeArraysAndTypesAreKept) {
  EventBatch b;
  b.BeginEvent();
  b.Add(field::kEventID, Value::UInt(7045));
  b.Add(field::kData, Value::String("a"));
  b.Add(InternField("Quote"), Value::String("say \"hi\"\n"));
  b.Add(field::kData, Value::String("b"));
  b.Add(InternField("Empty"), Value::Null());
  b.Add(field::kKeywords, Value::Hex(0x80));
  b.Add(InternField("Flag"), Value::Bool(false));
  b.EndEvent(0, 0, {});
  std::string json;
  AppendEventJson(b[0], &json);
  EXPECT_EQ(json,
            "{\"EventID\":7045,\"Data\":[\"a\",\"b\"],\"Quote\":\"say \\\"hi\\\"\\n\",\"Empty\":null,"
            "\"Keywords\":\"0x80\",\"Flag\":false}");
}

}  // namespace
}  // namespace inari
