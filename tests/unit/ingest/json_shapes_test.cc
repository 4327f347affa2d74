// How each JSON shape maps onto inari's (Sigma's Windows) field names and types.
#include <gtest/gtest.h>

#include "base/time.h"
#include "ingest/json/json_reader.h"
#include "json_test_util.h"

namespace inari {
namespace {

using json_test::All;
using json_test::CollectingReporter;
using json_test::Dump;
using json_test::Names;
using json_test::ReadAll;
using json_test::ReaderFor;

// One record through a reader: exactly one event and no issues expected.
class OneEvent {
 public:
  OneEvent(std::string json, JsonShape shape = JsonShape::kAuto) {
    auto reader = ReaderFor(std::move(json), shape, &reporter_);
    ReadAll(reader.get(), &batch_);
  }
  bool ok() const { return batch_.size() == 1 && reporter_.issues.empty(); }
  std::string why() const { return "events: " + std::to_string(batch_.size()) + "\n" + reporter_.Describe(); }
  EventView event() const { return batch_[0]; }

 private:
  CollectingReporter reporter_;
  EventBatch batch_;
};

// ---- evtx_dump / Hayabusa / SigmaHQ regression JSON ---------------------------

constexpr const char* kEvtxDump7045 = R"({
  "Event": {
    "#attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
    "System": {
      "Provider": {"#attributes": {"Name": "Service Control Manager", "Guid": "555908D1-A6D7-4695-8E1E-26931D2012F4", "EventSourceName": "Service Control Manager"}},
      "EventID": {"#attributes": {"Qualifiers": 16384}, "#text": 7045},
      "Version": 0,
      "Level": 4,
      "Task": 0,
      "Opcode": 0,
      "Keywords": "0x8080000000000000",
      "TimeCreated": {"#attributes": {"SystemTime": "2025-11-27T07:40:10.165324Z"}},
      "EventRecordID": 571146,
      "Correlation": {"#attributes": {"ActivityID": "B2C3D4E5-0000-1111-2222-333344445555"}},
      "Execution": {"#attributes": {"ProcessID": 748, "ThreadID": 5512}},
      "Channel": "System",
      "Computer": "ws01.corp.local",
      "Security": {"#attributes": {"UserID": "S-1-5-21-1-2-3-1001"}}
    },
    "EventData": {
      "ServiceName": "evil \"svc\"",
      "ImagePath": "C:\\Windows\\Temp\\x.exe",
      "ServiceType": "user mode service",
      "StartType": "demand start",
      "AccountName": "LocalSystem",
      "Flags": -5,
      "Ratio": 0.5,
      "Enabled": true,
      "Empty": null,
      "ProcessGuid": "0197231E-005A-6928-A50B-000000000D00"
    }
  }
})";

TEST(JsonShapes, EvtxDumpMapsSystemElementsAndAttributes) {
  OneEvent one(kEvtxDump7045);
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "Provider_Name", ValueType::kString, "Service Control Manager");
  EXPECT_FIELD(e, "Provider_Guid", ValueType::kGuid, "{555908D1-A6D7-4695-8E1E-26931D2012F4}");
  EXPECT_FIELD(e, "Provider_EventSourceName", ValueType::kString, "Service Control Manager");
  EXPECT_FIELD(e, "EventID", ValueType::kUInt, "7045");
  EXPECT_FIELD(e, "EventID_Qualifiers", ValueType::kUInt, "16384");
  EXPECT_FIELD(e, "Version", ValueType::kUInt, "0");
  EXPECT_FIELD(e, "Level", ValueType::kUInt, "4");
  EXPECT_FIELD(e, "Task", ValueType::kUInt, "0");
  EXPECT_FIELD(e, "Opcode", ValueType::kUInt, "0");
  EXPECT_FIELD(e, "Keywords", ValueType::kHex, "0x8080000000000000");
  EXPECT_FIELD(e, "TimeCreated_SystemTime", ValueType::kTime, "2025-11-27T07:40:10.1653240Z");
  EXPECT_FIELD(e, "EventRecordID", ValueType::kUInt, "571146");
  EXPECT_FIELD(e, "Correlation_ActivityID", ValueType::kGuid, "{B2C3D4E5-0000-1111-2222-333344445555}");
  EXPECT_FIELD(e, "Execution_ProcessID", ValueType::kUInt, "748");
  EXPECT_FIELD(e, "Execution_ThreadID", ValueType::kUInt, "5512");
  EXPECT_FIELD(e, "Channel", ValueType::kString, "System");
  EXPECT_FIELD(e, "Computer", ValueType::kString, "ws01.corp.local");
  EXPECT_FIELD(e, "Security_UserID", ValueType::kString, "S-1-5-21-1-2-3-1001");
  EXPECT_EQ(e.event_id(), 7045);
  EXPECT_EQ(e.record_id(), 571146u);
  EXPECT_EQ(e.time(), ParseIso8601("2025-11-27T07:40:10.165324Z"));
  // xmlns of <Event> is no field.
  EXPECT_NO_FIELD(e, "Event_xmlns");
  EXPECT_NO_FIELD(e, "xmlns");
}

TEST(JsonShapes, EvtxDumpEventDataKeepsDataNamesAndJsonTypes) {
  OneEvent one(kEvtxDump7045);
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "ServiceName", ValueType::kString, "evil \"svc\"");  // unescaped
  EXPECT_FIELD(e, "ImagePath", ValueType::kString, "C:\\Windows\\Temp\\x.exe");
  EXPECT_FIELD(e, "ServiceType", ValueType::kString, "user mode service");
  EXPECT_FIELD(e, "StartType", ValueType::kString, "demand start");
  EXPECT_FIELD(e, "AccountName", ValueType::kString, "LocalSystem");
  EXPECT_FIELD(e, "Flags", ValueType::kInt, "-5");
  EXPECT_FIELD(e, "Ratio", ValueType::kDouble, "0.5");
  EXPECT_FIELD(e, "Enabled", ValueType::kBool, "true");
  EXPECT_FIELD(e, "Empty", ValueType::kNull, "");
  // evtx_dump prints GUID-typed data without braces; the EVTX reader's Guid type has them.
  EXPECT_FIELD(e, "ProcessGuid", ValueType::kGuid, "{0197231E-005A-6928-A50B-000000000D00}");
  // 18 System fields + 10 EventData fields, nothing else.
  EXPECT_EQ(e.fields().size(), 28u) << Dump(e);
}

TEST(JsonShapes, EvtxDumpNullElementsGiveNoSystemField) {
  OneEvent one(
      R"({"Event":{"System":{"EventID":4624,"Channel":"Security","Correlation":null,"Security":null},"EventData":null}})");
  ASSERT_TRUE(one.ok()) << one.why();
  EXPECT_EQ(Names(one.event()), (std::vector<std::string>{"EventID", "Channel"}));
}

TEST(JsonShapes, EvtxDumpUnnamedDataBecomesRepeatedDataField) {
  for (const char* event_data : {R"({"Data": ["a", "b", 3]})", R"({"Data": {"#text": ["a", "b", 3]}})",
                                 R"({"Data": [{"#text": "a"}, {"#text": "b"}, {"#text": 3}]})"}) {
    OneEvent one(std::string(R"({"Event":{"System":{"EventID":1,"Channel":"Application"},"EventData":)") + event_data +
                 "}}");
    ASSERT_TRUE(one.ok()) << one.why();
    EXPECT_EQ(All(one.event(), "Data"), (std::vector<std::string>{"a", "b", "3"})) << event_data;
  }
}

TEST(JsonShapes, EvtxDumpNamedDataInElementFormUsesItsName) {
  OneEvent one(R"({"Event":{"System":{"EventID":1},"EventData":{"Data":[
      {"#attributes":{"Name":"TargetUserName"},"#text":"alice"},
      {"#text":"bob","#attributes":{"Name":"SubjectUserName"}},
      {"#attributes":{"Name":"Empty"}}],
      "Binary":"0A0B0C"}}})");
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "TargetUserName", ValueType::kString, "alice");
  EXPECT_FIELD(e, "SubjectUserName", ValueType::kString, "bob");
  EXPECT_FIELD(e, "Empty", ValueType::kNull, "");
  EXPECT_FIELD(e, "Binary", ValueType::kString, "0A0B0C");
  EXPECT_NO_FIELD(e, "Data");
  EXPECT_NO_FIELD(e, "Data_Name");
}

TEST(JsonShapes, EvtxDumpUserDataLeavesKeepLeafNamesAndAttributes) {
  OneEvent one(R"({"Event":{"System":{"EventID":1102,"Channel":"Security"},
    "UserData":{"LogFileCleared":{"#attributes":{"xmlns":"http://manifests.microsoft.com/win/2004/08/windows/eventlog"},
      "SubjectUserSid":"S-1-5-21-1","SubjectUserName":"admin",
      "Client":{"#attributes":{"Address":"10.1.2.3","Port":445},"#text":"ws02"},
      "Nested":{"Inner":{"Leaf":"deep"}}}}}})");
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "SubjectUserSid", ValueType::kString, "S-1-5-21-1");
  EXPECT_FIELD(e, "SubjectUserName", ValueType::kString, "admin");
  EXPECT_FIELD(e, "Client", ValueType::kString, "ws02");
  EXPECT_FIELD(e, "Client_Address", ValueType::kString, "10.1.2.3");
  EXPECT_FIELD(e, "Client_Port", ValueType::kUInt, "445");
  EXPECT_FIELD(e, "Leaf", ValueType::kString, "deep");
  EXPECT_NO_FIELD(e, "LogFileCleared_xmlns");
  EXPECT_EQ(e.fields().size(), 8u) << Dump(e);
}

TEST(JsonShapes, EvtxDumpEventDataAttributesBecomeEventDataFields) {
  OneEvent one(
      R"({"Event":{"System":{"EventID":142},"EventData":{"#attributes":{"Name":"TaskDisabled"},"TaskName":"\\SR"}}})");
  ASSERT_TRUE(one.ok()) << one.why();
  EXPECT_FIELD(one.event(), "EventData_Name", ValueType::kString, "TaskDisabled");
  EXPECT_FIELD(one.event(), "TaskName", ValueType::kString, "\\SR");
}

TEST(JsonShapes, EvtxDumpSeparateAttributesModeGivesSameNames) {
  // rust evtx_dump --separate-json-attributes
  OneEvent one(R"({"Event":{"System":{"Provider_attributes":{"Name":"Microsoft-Windows-Security-Auditing"},
    "EventID":4625,"EventID_attributes":{"Qualifiers":0},
    "TimeCreated_attributes":{"SystemTime":"2020-01-02T03:04:05.123Z"},
    "Execution_attributes":{"ProcessID":4,"ThreadID":8},"Channel":"Security"},
    "EventData":{"Status":"0xc000006d"}},"Event_attributes":{"xmlns":"x"}})");
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "Provider_Name", ValueType::kString, "Microsoft-Windows-Security-Auditing");
  EXPECT_FIELD(e, "EventID", ValueType::kUInt, "4625");
  EXPECT_FIELD(e, "EventID_Qualifiers", ValueType::kUInt, "0");
  EXPECT_FIELD(e, "TimeCreated_SystemTime", ValueType::kTime, "2020-01-02T03:04:05.1230000Z");
  EXPECT_FIELD(e, "Execution_ProcessID", ValueType::kUInt, "4");
  EXPECT_FIELD(e, "Execution_ThreadID", ValueType::kUInt, "8");
  EXPECT_FIELD(e, "Status", ValueType::kString, "0xc000006d");
  EXPECT_EQ(e.fields().size(), 8u) << Dump(e);
}

TEST(JsonShapes, EvtxDumpRenderingInfoIsPrefixedSoItCannotShadowSystemFields) {
  OneEvent one(R"({"Event":{"System":{"EventID":4624,"Level":0,"Channel":"Security"},
    "RenderingInfo":{"#attributes":{"Culture":"en-US"},"Message":"An account was logged on.","Level":"Information",
    "Keywords":{"Keyword":["Audit Success"]}}}})");
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_EQ(All(e, "Level"), std::vector<std::string>{"0"});
  EXPECT_FIELD(e, "RenderingInfo_Culture", ValueType::kString, "en-US");
  EXPECT_FIELD(e, "RenderingInfo_Message", ValueType::kString, "An account was logged on.");
  EXPECT_FIELD(e, "RenderingInfo_Level", ValueType::kString, "Information");
  EXPECT_FIELD(e, "RenderingInfo_Keyword", ValueType::kString, "Audit Success");
}

TEST(JsonShapes, SystemFieldsGivenAsTextAreTyped) {
  OneEvent one(R"({"Event":{"System":{"EventID":"4688","Version":"2","Level":"0","Task":"13312","Opcode":"0",
    "Keywords":"0x8020000000000000","EventRecordID":"99","Execution":{"#attributes":{"ProcessID":"4","ThreadID":"96"}},
    "TimeCreated":{"#attributes":{"SystemTime":"not a time"}}}}})");
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "EventID", ValueType::kUInt, "4688");
  EXPECT_FIELD(e, "Version", ValueType::kUInt, "2");
  EXPECT_FIELD(e, "Level", ValueType::kUInt, "0");
  EXPECT_FIELD(e, "Task", ValueType::kUInt, "13312");
  EXPECT_FIELD(e, "Opcode", ValueType::kUInt, "0");
  EXPECT_FIELD(e, "Keywords", ValueType::kHex, "0x8020000000000000");
  EXPECT_FIELD(e, "EventRecordID", ValueType::kUInt, "99");
  EXPECT_FIELD(e, "Execution_ProcessID", ValueType::kUInt, "4");
  EXPECT_FIELD(e, "Execution_ThreadID", ValueType::kUInt, "96");
  // An unparsable time stays text, and the event has no time.
  EXPECT_FIELD(e, "TimeCreated_SystemTime", ValueType::kString, "not a time");
  EXPECT_EQ(e.time(), kNoTime);
}

// ---- ECS: Winlogbeat / Elastic Agent ------------------------------------------------

constexpr const char* kWinlogbeat4624 =
    R"({"@timestamp":"2024-03-05T10:11:12.345Z","agent":{"type":"winlogbeat","version":"8.12.0"},)"
    R"("ecs":{"version":"8.0.0"},"event":{"code":"4624","kind":"event","provider":"Microsoft-Windows-Security-Auditing",)"
    R"("action":"logged-in","outcome":"success","created":"2024-03-05T10:11:13.000Z"},)"
    R"("host":{"name":"dc01","hostname":"dc01","os":{"family":"windows"}},"log":{"level":"information"},)"
    R"("message":"An account was successfully logged on.",)"
    R"("winlog":{"api":"wineventlog","channel":"Security","computer_name":"DC01.corp.local",)"
    R"("event_data":{"LogonType":"3","TargetUserName":"alice","TargetDomainName":"CORP","IpAddress":"10.0.0.5",)"
    R"("LogonProcessName":"NtLmSsp ","TargetLogonId":"0x8dcdc"},)"
    R"("event_id":"4624","keywords":["Audit Success"],"opcode":"Info","process":{"pid":640,"thread":{"id":7720}},)"
    R"("provider_guid":"{54849625-5478-4994-a5ba-3e3b0328c30d}","provider_name":"Microsoft-Windows-Security-Auditing",)"
    R"("record_id":123456,"task":"Logon","version":2,"activity_id":"{d0c3fd2a-6f4b-0001-51fe-c3d04b6fda01}",)"
    R"("user":{"identifier":"S-1-5-18","name":"SYSTEM","domain":"NT AUTHORITY","type":"Well Known Group"}}})";

TEST(JsonShapes, EcsMapsWinlogOntoWindowsNames) {
  OneEvent one(kWinlogbeat4624);
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "EventID", ValueType::kUInt, "4624");
  EXPECT_FIELD(e, "Channel", ValueType::kString, "Security");
  EXPECT_FIELD(e, "Computer", ValueType::kString, "DC01.corp.local");
  EXPECT_FIELD(e, "Provider_Name", ValueType::kString, "Microsoft-Windows-Security-Auditing");
  EXPECT_FIELD(e, "Provider_Guid", ValueType::kGuid, "{54849625-5478-4994-A5BA-3E3B0328C30D}");
  EXPECT_FIELD(e, "EventRecordID", ValueType::kUInt, "123456");
  EXPECT_FIELD(e, "Execution_ProcessID", ValueType::kUInt, "640");
  EXPECT_FIELD(e, "Execution_ThreadID", ValueType::kUInt, "7720");
  EXPECT_FIELD(e, "Security_UserID", ValueType::kString, "S-1-5-18");
  EXPECT_FIELD(e, "Version", ValueType::kUInt, "2");
  EXPECT_FIELD(e, "Opcode", ValueType::kString, "Info");  // Winlogbeat sends the rendered name
  EXPECT_FIELD(e, "Task", ValueType::kString, "Logon");
  EXPECT_FIELD(e, "Keywords", ValueType::kString, "Audit Success");
  EXPECT_FIELD(e, "Correlation_ActivityID", ValueType::kGuid, "{D0C3FD2A-6F4B-0001-51FE-C3D04B6FDA01}");
  EXPECT_FIELD(e, "TimeCreated_SystemTime", ValueType::kTime, "2024-03-05T10:11:12.3450000Z");
  EXPECT_FIELD(e, "LogonType", ValueType::kString, "3");
  EXPECT_FIELD(e, "TargetUserName", ValueType::kString, "alice");
  EXPECT_FIELD(e, "TargetDomainName", ValueType::kString, "CORP");
  EXPECT_FIELD(e, "IpAddress", ValueType::kString, "10.0.0.5");
  EXPECT_FIELD(e, "LogonProcessName", ValueType::kString, "NtLmSsp ");
  EXPECT_FIELD(e, "TargetLogonId", ValueType::kString, "0x8dcdc");
  EXPECT_EQ(e.time(), ParseIso8601("2024-03-05T10:11:12.345Z"));
  EXPECT_EQ(e.record_id(), 123456u);
}

TEST(JsonShapes, EcsDropsOtherEcsFields) {
  OneEvent one(kWinlogbeat4624);
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  for (const char* name : {"message", "agent.type", "host.name", "event.code", "log.level", "@timestamp", "winlog.api",
                           "api", "user.name", "name", "xml_name"})
    EXPECT_NO_FIELD(e, name);
  EXPECT_EQ(e.fields().size(), 21u) << Dump(e);
}

TEST(JsonShapes, EcsFallsBackToEventCodeAndHostName) {
  OneEvent one(R"({"@timestamp":"2024-03-05T10:00:00Z","event":{"code":7045},"host":{"name":"srv9"},)"
               R"("winlog":{"channel":"System","record_id":"77","user_data":{"xml_name":"EventXML","Param1":"x",)"
               R"("Sub":{"Param2":"y"}}}})");
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "EventID", ValueType::kUInt, "7045");
  EXPECT_FIELD(e, "Computer", ValueType::kString, "srv9");
  EXPECT_FIELD(e, "EventRecordID", ValueType::kUInt, "77");
  EXPECT_FIELD(e, "Param1", ValueType::kString, "x");
  EXPECT_FIELD(e, "Param2", ValueType::kString, "y");
  EXPECT_FIELD(e, "TimeCreated_SystemTime", ValueType::kTime, "2024-03-05T10:00:00.0000000Z");
  EXPECT_EQ(e.fields().size(), 7u) << Dump(e);
}

TEST(JsonShapes, Winlogbeat6TopLevelFieldsMapLikeWinlog) {
  OneEvent one(
      R"({"@timestamp":"2019-05-18T20:36:46.254Z","@metadata":{"beat":"winlogbeat","version":"6.7.0"},)"
      R"("version":5,"thread_id":2660,"user":{"name":"SYSTEM","identifier":"S-1-5-18"},)"
      R"("beat":{"name":"WECserver"},"record_number":"5402080","opcode":"Info","process_id":1368,)"
      R"("source_name":"Microsoft-Windows-Sysmon","log_name":"Microsoft-Windows-Sysmon/Operational",)"
      R"("event_data":{"ProcessId":"292","Image":"C:\\Windows\\System32\\svchost.exe"},"host":{"name":"WECserver"},)"
      R"("level":"Information","provider_guid":"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}","event_id":3,)"
      R"("computer_name":"HFDC01.shire.com","task":"Network connection detected","type":"wineventlog"})");
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "EventID", ValueType::kUInt, "3");
  EXPECT_FIELD(e, "Channel", ValueType::kString, "Microsoft-Windows-Sysmon/Operational");
  EXPECT_FIELD(e, "Computer", ValueType::kString, "HFDC01.shire.com");
  EXPECT_FIELD(e, "Provider_Name", ValueType::kString, "Microsoft-Windows-Sysmon");
  EXPECT_FIELD(e, "Provider_Guid", ValueType::kGuid, "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}");
  EXPECT_FIELD(e, "EventRecordID", ValueType::kUInt, "5402080");
  EXPECT_FIELD(e, "Execution_ProcessID", ValueType::kUInt, "1368");
  EXPECT_FIELD(e, "Execution_ThreadID", ValueType::kUInt, "2660");
  EXPECT_FIELD(e, "Security_UserID", ValueType::kString, "S-1-5-18");
  EXPECT_FIELD(e, "Version", ValueType::kUInt, "5");
  EXPECT_FIELD(e, "Opcode", ValueType::kString, "Info");
  EXPECT_FIELD(e, "Task", ValueType::kString, "Network connection detected");
  EXPECT_FIELD(e, "TimeCreated_SystemTime", ValueType::kTime, "2019-05-18T20:36:46.2540000Z");
  EXPECT_FIELD(e, "ProcessId", ValueType::kString, "292");
  EXPECT_FIELD(e, "Image", ValueType::kString, "C:\\Windows\\System32\\svchost.exe");
  EXPECT_EQ(e.fields().size(), 15u) << Dump(e);
}

TEST(JsonShapes, EcsForcedShapeStillMapsWinlog) {
  OneEvent one(kWinlogbeat4624, JsonShape::kEcs);
  ASSERT_TRUE(one.ok()) << one.why();
  EXPECT_FIELD(one.event(), "EventID", ValueType::kUInt, "4624");
}

// ---- flat: OTRF Security-Datasets (nxlog → Logstash) and inari's dump -----------------

// An OTRF line as shipped by nxlog and Logstash (Sysmon 13; nxlog kept its own EventType as
// EventTypeOrignal [sic], so EventType is Sysmon's).
constexpr const char* kOtrfSysmon13 =
    R"j({"Keywords":-9223372036854775808,"SeverityValue":2,"TargetObject":"HKLM\\System\\x","EventTypeOrignal":"INFO",)j"
    R"j("EventID":13,"ProviderGuid":"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}","ExecutionProcessID":3172,)j"
    R"j("host":"wec.internal.cloudapp.net","Channel":"Microsoft-Windows-Sysmon/Operational","UserID":"S-1-5-18",)j"
    R"j("AccountType":"User","ThreadID":4048,"ProcessGuid":"{b34bc01c-2f95-5f69-5f01-000000000900}",)j"
    R"j("EventReceivedTime":"2020-09-21 19:26:07","Opcode":"Info","EventTime":"2020-09-21 19:26:05",)j"
    R"j("@timestamp":"2020-09-21T23:26:07.434Z","SourceModuleType":"im_msvistalog","port":64545,"AccountName":"SYSTEM",)j"
    R"j("RecordNumber":3227583,"Task":13,"Domain":"NT AUTHORITY","@version":"1","OpcodeValue":0,"EventType":"SetValue",)j"
    R"j("SourceModuleName":"eventlog","Severity":"INFO","SourceName":"Microsoft-Windows-Sysmon","Version":2,)j"
    R"j("ActivityID":"{3AF69DEC-79B4-0000-BBEB-0E856290D601}","ERROR_EVT_UNRESOLVED":true,)j"
    R"j("Details":"DWORD (0x00000001)","Hostname":"WORKSTATION5.theshire.local","RuleName":"-","tags":["mordorDataset"]})j";

TEST(JsonShapes, FlatOtrfRenamesNxlogFieldsToWindowsNames) {
  OneEvent one(kOtrfSysmon13);
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "EventID", ValueType::kUInt, "13");
  EXPECT_FIELD(e, "Channel", ValueType::kString, "Microsoft-Windows-Sysmon/Operational");
  EXPECT_FIELD(e, "Computer", ValueType::kString, "WORKSTATION5.theshire.local");
  EXPECT_FIELD(e, "Provider_Name", ValueType::kString, "Microsoft-Windows-Sysmon");
  EXPECT_FIELD(e, "Provider_Guid", ValueType::kGuid, "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}");
  EXPECT_FIELD(e, "EventRecordID", ValueType::kUInt, "3227583");
  EXPECT_FIELD(e, "Execution_ProcessID", ValueType::kUInt, "3172");
  EXPECT_FIELD(e, "Execution_ThreadID", ValueType::kUInt, "4048");
  EXPECT_FIELD(e, "Security_UserID", ValueType::kString, "S-1-5-18");
  EXPECT_FIELD(e, "Correlation_ActivityID", ValueType::kGuid, "{3AF69DEC-79B4-0000-BBEB-0E856290D601}");
  EXPECT_FIELD(e, "TimeCreated_SystemTime", ValueType::kTime, "2020-09-21T23:26:07.4340000Z");
  EXPECT_FIELD(e, "Keywords", ValueType::kHex, "0x8000000000000000");  // int64 min: the bit pattern
  EXPECT_FIELD(e, "Task", ValueType::kUInt, "13");
  EXPECT_FIELD(e, "Version", ValueType::kUInt, "2");
  EXPECT_FIELD(e, "Opcode", ValueType::kString, "Info");
  // Everything else keeps its name.
  EXPECT_FIELD(e, "TargetObject", ValueType::kString, "HKLM\\System\\x");
  EXPECT_FIELD(e, "ProcessGuid", ValueType::kString, "{b34bc01c-2f95-5f69-5f01-000000000900}");
  EXPECT_FIELD(e, "AccountName", ValueType::kString, "SYSTEM");
  EXPECT_FIELD(e, "AccountType", ValueType::kString, "User");
  EXPECT_FIELD(e, "Domain", ValueType::kString, "NT AUTHORITY");
  EXPECT_FIELD(e, "Details", ValueType::kString, "DWORD (0x00000001)");
  EXPECT_FIELD(e, "RuleName", ValueType::kString, "-");
}

TEST(JsonShapes, FlatOtrfDropsTransportMetadataButKeepsSysmonEventType) {
  OneEvent one(kOtrfSysmon13);
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  for (const char* name : {"@version", "port", "host", "tags", "EventReceivedTime", "SourceModuleName",
                           "SourceModuleType", "EventTypeOrignal", "SeverityValue", "Severity", "EventTime",
                           "OpcodeValue", "ERROR_EVT_UNRESOLVED", "@timestamp", "Hostname", "SourceName", "UserID"})
    EXPECT_NO_FIELD(e, name);
  EXPECT_FIELD(e, "EventType", ValueType::kString, "SetValue");
  EXPECT_EQ(e.fields().size(), 23u) << Dump(e);
}

TEST(JsonShapes, FlatOtrfDropsNxlogsOwnEventType) {
  OneEvent one(R"({"EventID":4624,"Channel":"Security","EventType":"AUDIT_SUCCESS","SourceModuleType":"im_msvistalog",)"
               R"("Hostname":"dc1"})");
  ASSERT_TRUE(one.ok()) << one.why();
  EXPECT_EQ(Names(one.event()), (std::vector<std::string>{"EventID", "Channel", "Computer"}));
}

TEST(JsonShapes, FlatWithoutNxlogMarkersKeepsEveryKey) {
  // OTRF's later datasets (no nxlog transport) and inari's dump: "host", "Severity", "EventType"
  // may be event data there.
  OneEvent one(R"({"SourceName":"NTDS ISAM","Level":"4","Keywords":"0x80000000000000","Channel":"Directory Service",)"
               R"("Hostname":"DC01.pandalab.com","TimeCreated":"2023-07-19T09:03:40.710Z",)"
               R"("@timestamp":"2023-07-19T09:03:40.999Z","EventID":102,"Task":"1","EventType":"CreateKey",)"
               R"("Severity":"high","host":"h"})");
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "Level", ValueType::kUInt, "4");
  EXPECT_FIELD(e, "Task", ValueType::kUInt, "1");
  EXPECT_FIELD(e, "Keywords", ValueType::kHex, "0x80000000000000");
  EXPECT_FIELD(e, "EventType", ValueType::kString, "CreateKey");
  EXPECT_FIELD(e, "Severity", ValueType::kString, "high");
  EXPECT_FIELD(e, "host", ValueType::kString, "h");
  // TimeCreated outranks @timestamp (Logstash's time); only one time field is kept.
  EXPECT_EQ(All(e, "TimeCreated_SystemTime"), std::vector<std::string>{"2023-07-19T09:03:40.7100000Z"});
}

TEST(JsonShapes, FlatSentinelExportGetsOneTimeFromTimeGenerated) {
  OneEvent one(
      R"({"TimeGenerated":"2022-05-13T08:54:06.347Z","@timestamp":"2022-05-13T09:00:00Z","Computer":"WS5",)"
      R"("Channel":"Microsoft-Windows-Sysmon/Operational","EventID":3,"Provider":"Microsoft-Windows-Sysmon"})");
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_EQ(All(e, "TimeCreated_SystemTime"), std::vector<std::string>{"2022-05-13T08:54:06.3470000Z"});
  EXPECT_FIELD(e, "Computer", ValueType::kString, "WS5");
  EXPECT_FIELD(e, "Provider", ValueType::kString, "Microsoft-Windows-Sysmon");  // not mapped (yet)
}

TEST(JsonShapes, FlatReadsInarisOwnDumpBack) {
  EventBatch original;
  original.BeginEvent();
  original.Add(field::kEventID, Value::UInt(4688));
  original.Add(field::kKeywords, Value::Hex(0x8020000000000000ULL));
  const int64_t t = ParseIso8601("2024-01-02T03:04:05.1234567Z");
  original.Add(field::kTimeCreatedSystemTime, Value::Time(t));
  static const uint8_t guid[16] = {0x5F, 0x38, 0x70, 0x57, 0x2A, 0xC2, 0xE0, 0x43,
                                   0xBF, 0x4C, 0x06, 0xF5, 0x69, 0x8F, 0xFB, 0xD9};
  original.Add(field::kProviderGuid, Value::Bytes(ValueType::kGuid, guid, 16));
  original.AddString(field::kChannel, "Security");
  original.AddString(field::kComputer, "ws1");
  original.AddString(InternField("CommandLine"), "cmd.exe /c \"echo\"");
  original.AddString(InternField("EventType"), "SetValue");
  original.Add(InternField("Severity"), Value::Int(-3));
  original.AddString(field::kData, "one");
  original.AddString(field::kData, "two");
  original.EndEvent(kNoTime, 0, EventOrigin{});
  std::string json;
  AppendEventJson(original[0], &json);

  OneEvent one(json);
  ASSERT_TRUE(one.ok()) << one.why() << json;
  EventView e = one.event();
  EXPECT_FIELD(e, "EventID", ValueType::kUInt, "4688");
  EXPECT_FIELD(e, "Keywords", ValueType::kHex, "0x8020000000000000");
  EXPECT_FIELD(e, "TimeCreated_SystemTime", ValueType::kTime, "2024-01-02T03:04:05.1234567Z");
  EXPECT_FIELD(e, "Provider_Guid", ValueType::kGuid, "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}");
  EXPECT_FIELD(e, "Channel", ValueType::kString, "Security");
  EXPECT_FIELD(e, "Computer", ValueType::kString, "ws1");
  EXPECT_FIELD(e, "CommandLine", ValueType::kString, "cmd.exe /c \"echo\"");
  EXPECT_FIELD(e, "EventType", ValueType::kString, "SetValue");
  EXPECT_FIELD(e, "Severity", ValueType::kInt, "-3");
  EXPECT_EQ(All(e, "Data"), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(e.time(), t);
  EXPECT_EQ(e.fields().size(), original[0].fields().size()) << Dump(e);
}

TEST(JsonShapes, ForcedFlatShapeFlattensEventObjectsWithDots) {
  OneEvent one(R"({"Event":{"System":{"EventID":1}}})", JsonShape::kFlat);
  ASSERT_TRUE(one.ok()) << one.why();
  EXPECT_EQ(Names(one.event()), std::vector<std::string>{"Event.System.EventID"});
}

// ---- records of no known shape -----------------------------------------------------

TEST(JsonShapes, UnknownShapeKeepsEveryKeyWithDottedPaths) {
  OneEvent one(
      R"({"eventName":"GetObject","@timestamp":"2020-09-14T00:44:23.000Z",)"
      R"("userIdentity":{"type":"IAMUser","sessionContext":{"attributes":{"mfaAuthenticated":"true"}}},)"
      R"("resources":[{"ARN":"arn:a"},{"ARN":"arn:b"}],"tags":["x","y"],"responseElements":null,"n":12345678901234567890123})");
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "eventName", ValueType::kString, "GetObject");
  EXPECT_FIELD(e, "@timestamp", ValueType::kString, "2020-09-14T00:44:23.000Z");
  EXPECT_FIELD(e, "userIdentity.type", ValueType::kString, "IAMUser");
  EXPECT_FIELD(e, "userIdentity.sessionContext.attributes.mfaAuthenticated", ValueType::kString, "true");
  EXPECT_EQ(All(e, "resources.ARN"), (std::vector<std::string>{"arn:a", "arn:b"}));
  EXPECT_EQ(All(e, "tags"), (std::vector<std::string>{"x", "y"}));
  EXPECT_FIELD(e, "responseElements", ValueType::kNull, "");
  EXPECT_FIELD(e, "n", ValueType::kString, "12345678901234567890123");  // beyond 64 bits: kept as text
  // The event still gets a time for timelines.
  EXPECT_EQ(e.time(), ParseIso8601("2020-09-14T00:44:23Z"));
}

TEST(JsonShapes, EscapedKeysAndValuesAreUnescaped) {
  OneEvent one(R"({"EventID":1,"Na\u006de":"caf\u00e9 \t tab","Path":"C:\\x\\y","Uni":"\ud83d\ude00"})");
  ASSERT_TRUE(one.ok()) << one.why();
  EventView e = one.event();
  EXPECT_FIELD(e, "Name", ValueType::kString, "caf\xC3\xA9 \t tab");
  EXPECT_FIELD(e, "Path", ValueType::kString, "C:\\x\\y");
  EXPECT_FIELD(e, "Uni", ValueType::kString, "\xF0\x9F\x98\x80");
}

TEST(JsonShapes, AutoDetectsTheShapeOfEachRecord) {
  CollectingReporter reporter;
  std::string text = std::string(R"({"Event":{"System":{"EventID":1,"Channel":"A"}}})") + "\n" +
                     R"({"winlog":{"event_id":2,"channel":"B"}})" + "\n" +
                     R"({"EventID":3,"Channel":"C","Hostname":"h"})" + "\n" + R"({"other":4})" + "\n";
  auto reader = ReaderFor(text, JsonShape::kAuto, &reporter);
  EventBatch batch;
  ReadAll(reader.get(), &batch);
  ASSERT_EQ(batch.size(), 4u) << reporter.Describe();
  EXPECT_EQ(batch[0].event_id(), 1);
  EXPECT_EQ(batch[1].event_id(), 2);
  EXPECT_EQ(batch[2].event_id(), 3);
  EXPECT_FIELD(batch[2], "Computer", ValueType::kString, "h");
  EXPECT_EQ(batch[3].event_id(), -1);
  EXPECT_FIELD(batch[3], "other", ValueType::kUInt, "4");
}

// Names are remembered by their position in the record (records of one kind
// repeat them in order): names that move, that differ in one byte at the same
// position, or that come and go must still be told apart.
TEST(JsonShapes, NamesAtTheSamePositionAreComparedNotAssumed) {
  const std::string text =
      "{\"EventID\":1,\"Channel\":\"A\",\"Image\":\"x.exe\",\"ImagE\":\"shadow\"}\n"
      "{\"EventID\":2,\"Channel\":\"B\",\"ImagE\":\"y.exe\",\"Image\":\"z.exe\"}\n"
      "{\"Channel\":\"C\",\"EventID\":3}\n"
      "{\"EventID\":4,\"Channel\":\"D\",\"Image\":\"w.exe\",\"ImagE\":\"v\"}\n"
      "{\"Event\":{\"System\":{\"EventID\":5,\"Channel\":\"E\"},\"EventData\":{\"Image\":\"u.exe\"}}}\n"
      "{\"Event\":{\"System\":{\"Channel\":\"F\",\"EventID\":6},\"EventData\":{\"ImagE\":\"t\"}}}\n";
  for (JsonShape shape : {JsonShape::kAuto, JsonShape::kFlat}) {
    json_test::CollectingReporter rep;
    auto reader = json_test::ReaderFor(text, shape, &rep);
    EventBatch batch;
    json_test::ReadAll(reader.get(), &batch);
    const size_t want = shape == JsonShape::kFlat ? 4 : 6;  // nested records are not flat
    ASSERT_GE(batch.size(), want) << rep.Describe();
    auto text_of = [&](size_t i, std::string_view name) {
      const Value* v = json_test::Get(batch[i], name);
      return v ? v->ToText() : std::string("(absent)");
    };
    EXPECT_EQ(text_of(0, "Image"), "x.exe");
    EXPECT_EQ(text_of(0, "ImagE"), "shadow");
    EXPECT_EQ(text_of(1, "Image"), "z.exe");
    EXPECT_EQ(text_of(1, "ImagE"), "y.exe");
    EXPECT_EQ(text_of(1, "Channel"), "B");
    EXPECT_EQ(text_of(2, "Channel"), "C");
    EXPECT_EQ(text_of(2, "EventID"), "3");
    EXPECT_EQ(text_of(2, "Image"), "(absent)");
    EXPECT_EQ(text_of(3, "Image"), "w.exe");
    EXPECT_EQ(text_of(3, "ImagE"), "v");
    if (shape == JsonShape::kAuto) {
      EXPECT_EQ(text_of(4, "Image"), "u.exe");
      EXPECT_EQ(text_of(4, "Channel"), "E");
      EXPECT_EQ(text_of(5, "ImagE"), "t");
      EXPECT_EQ(text_of(5, "Image"), "(absent)");
      EXPECT_EQ(text_of(5, "EventID"), "6");
    }
  }
}

}  // namespace
}  // namespace inari
