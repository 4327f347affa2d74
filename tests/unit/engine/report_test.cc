// The hunt report: key-field choice (PickDetails), the table, CSV and JSON
// Lines timelines, and the detection summary (docs/cli.md, "Hunt output").
#include "engine/report.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "base/time.h"
#include "engine/details.h"
#include "inari/event.h"

namespace inari {
namespace {

using Details = std::vector<std::pair<std::string, std::string>>;

// Runs WriteTimeline into a temporary file and returns what it wrote.
std::string Render(const std::vector<Detection>& ds, const std::vector<sigma::RuleInfo>& rules,
                   const ReportOptions& o) {
  FILE* f = std::tmpfile();
  EXPECT_NE(f, nullptr);
  WriteTimeline(
      ds, [&](uint32_t i) -> const sigma::RuleInfo& { return rules.at(i); }, o, f);
  std::fflush(f);
  std::rewind(f);
  std::string s;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  std::fclose(f);
  return s;
}

std::string Summary(const std::vector<Detection>& ds, const std::vector<sigma::RuleInfo>& rules,
                    bool color) {
  return DetectionSummary(
      ds, [&](uint32_t i) -> const sigma::RuleInfo& { return rules.at(i); }, color);
}

sigma::RuleInfo Rule(std::string title, sigma::Level level, std::vector<std::string> tags = {}) {
  sigma::RuleInfo r;
  r.id = "0a1b2c3d-0000-4000-8000-000000000001";
  r.title = std::move(title);
  r.status = "test";
  r.level = level;
  r.tags = std::move(tags);
  r.author = "Analyst";
  r.falsepositives = {"Admins"};
  r.file = "/rules/windows/proc_creation_win_cmd.yml";
  return r;
}

Detection Det(int64_t time, std::string computer, std::string channel, int64_t event_id,
              uint32_t rule, Details details = {}) {
  Detection d;
  d.time = time;
  d.computer = std::move(computer);
  d.channel = std::move(channel);
  d.event_id = event_id;
  d.record_id = 42;
  d.rule = rule;
  d.source = "logs/Sysmon.evtx";
  d.details = std::move(details);
  return d;
}

const int64_t kT1 = ParseIso8601("2019-03-19T15:42:13.1239999Z");
const std::string kSysmon = "Microsoft-Windows-Sysmon/Operational";

// ---- PickDetails --------------------------------------------------------------

class PickDetailsTest : public ::testing::Test {
 protected:
  EventView Event(std::string_view channel, uint64_t event_id,
                  const std::vector<std::pair<std::string, std::string>>& data) {
    batch_.BeginEvent();
    batch_.Add(field::kEventID, Value::UInt(event_id));
    batch_.AddString(field::kChannel, batch_.CopyString(channel));
    batch_.AddString(field::kComputer, "WS01");
    for (auto& [k, v] : data) batch_.AddString(InternField(k), batch_.CopyString(v));
    batch_.EndEvent(kNoTime, 1, EventOrigin{});
    return batch_[batch_.size() - 1];
  }
  EventBatch batch_;
  sigma::RuleInfo no_fields_;
};

TEST_F(PickDetailsTest, SysmonProcessCreationUsesBuiltInChoiceInDisplayOrder) {
  EventView e = Event(kSysmon, 1,
                      {{"RuleName", "-"},
                       {"User", "CORP\\bob"},
                       {"Image", "C:\\Windows\\System32\\cmd.exe"},
                       {"ParentImage", "C:\\Windows\\explorer.exe"},
                       {"CommandLine", "cmd.exe /c whoami"}});
  EXPECT_EQ(PickDetails(e, no_fields_), (Details{{"CommandLine", "cmd.exe /c whoami"},
                                                 {"Image", "C:\\Windows\\System32\\cmd.exe"},
                                                 {"ParentImage", "C:\\Windows\\explorer.exe"},
                                                 {"User", "CORP\\bob"}}));
}

TEST_F(PickDetailsTest, RuleFieldsWinAndOnlyNamesInTheEventCount) {
  EventView e =
      Event(kSysmon, 1, {{"Image", "a.exe"}, {"CommandLine", "a -x"}, {"Hashes", "MD5=00"}});
  sigma::RuleInfo r;
  r.fields = {"Hashes", "NoSuchFieldInThisEvent", "Image"};
  EXPECT_EQ(PickDetails(e, r), (Details{{"Hashes", "MD5=00"}, {"Image", "a.exe"}}));
  // None of the rule's fields present: the built-in choice.
  r.fields = {"NoSuchFieldInThisEvent"};
  EXPECT_EQ(PickDetails(e, r), (Details{{"CommandLine", "a -x"}, {"Image", "a.exe"}}));
}

TEST_F(PickDetailsTest, SecurityLogonSkipsEmptyAndAbsentFields) {
  EventView e = Event("Security", 4624,
                      {{"SubjectUserName", "-"},
                       {"TargetUserName", "admin"},
                       {"TargetDomainName", "CORP"},
                       {"LogonType", "3"},
                       {"WorkstationName", ""},
                       {"IpAddress", "10.0.0.5"}});
  EXPECT_EQ(PickDetails(e, no_fields_), (Details{{"TargetUserName", "admin"},
                                                 {"TargetDomainName", "CORP"},
                                                 {"LogonType", "3"},
                                                 {"IpAddress", "10.0.0.5"}}));
}

TEST_F(PickDetailsTest, ChannelMatchIgnoresCaseAndAlternativesPickThePresentName) {
  EventView e = Event("microsoft-windows-terminalservices-remoteconnectionmanager/operational",
                      1149, {{"Param1", "bob"}, {"Param2", "CORP"}, {"Param3", "192.168.1.9"}});
  EXPECT_EQ(PickDetails(e, no_fields_),
            (Details{{"Param1", "bob"}, {"Param2", "CORP"}, {"Param3", "192.168.1.9"}}));
  EventView lsm = Event("Microsoft-Windows-TerminalServices-LocalSessionManager/Operational", 21,
                        {{"User", "CORP\\bob"}, {"SessionID", "2"}, {"Address", "192.168.1.9"}});
  EXPECT_EQ(PickDetails(lsm, no_fields_),
            (Details{{"User", "CORP\\bob"}, {"Address", "192.168.1.9"}, {"SessionID", "2"}}));
}

TEST_F(PickDetailsTest, ScriptBlockTextIsTruncatedAndControlCharsEscaped) {
  std::string script = "Write-Host 'x'\r\n\t" + std::string(400, 'A');
  EventView e =
      Event("Microsoft-Windows-PowerShell/Operational", 4104,
            {{"MessageNumber", "1"}, {"ScriptBlockText", script}, {"Path", "C:\\t\x1b[31m.ps1"}});
  Details d = PickDetails(e, no_fields_);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].first, "ScriptBlockText");
  EXPECT_EQ(Utf8Length(d[0].second), 256u);
  EXPECT_EQ(d[0].second.substr(0, 20), "Write-Host 'x'\\r\\n\\t");
  EXPECT_EQ(d[0].second.substr(d[0].second.size() - 4), "A\xE2\x80\xA6");
  EXPECT_EQ(d[1], (std::pair<std::string, std::string>{"Path", "C:\\t\\x1B[31m.ps1"}));
}

TEST_F(PickDetailsTest, UnknownEventFallsBackToFirstDataFieldsAndHonoursMaxFields) {
  EventView e = Event("Application", 1000, {{"A", "1"}, {"B", "2"}, {"C", "3"}, {"D", "4"}});
  EXPECT_EQ(PickDetails(e, no_fields_, 3), (Details{{"A", "1"}, {"B", "2"}, {"C", "3"}}));
  // A repeated name (unnamed <Data>) is one pair.
  batch_.BeginEvent();
  batch_.Add(field::kEventID, Value::UInt(400));
  batch_.AddString(field::kChannel, "Windows PowerShell");
  batch_.AddString(field::kData, "Available");
  batch_.AddString(field::kData, "None");
  batch_.EndEvent(kNoTime, 2, EventOrigin{});
  EXPECT_EQ(PickDetails(batch_[batch_.size() - 1], no_fields_),
            (Details{{"Data", "Available, None"}}));
}

// The hunt refills one vector per worker: what it held before (more pairs,
// longer texts, a name that is also the next event's) must not show through.
TEST_F(PickDetailsTest, AReusedVectorGivesWhatAFreshOneGives) {
  Event("Application", 1000, {{"A", std::string(300, 'x')}, {"B", "2"}, {"C", "3"}, {"D", "4"}});
  Event("Application", 1000, {{"B", "y"}});
  EventView big = batch_[batch_.size() - 2];  // views taken once the batch is complete
  EventView small = batch_[batch_.size() - 1];
  Details reused;
  PickDetails(big, no_fields_, &reused);
  ASSERT_EQ(reused, (Details{{"A", std::string(300, 'x')}, {"B", "2"}, {"C", "3"}, {"D", "4"}}));
  PickDetails(small, no_fields_, &reused);
  EXPECT_EQ(reused, (Details{{"B", "y"}}));
  PickDetails(big, no_fields_, &reused);
  EXPECT_EQ(reused, PickDetails(big, no_fields_));
}

// ---- Text helpers ---------------------------------------------------------------

TEST(DisplayText, EscapesControlsBidiOverridesAndBadBytesButNotBackslashes) {
  EXPECT_EQ(DisplayText("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(DisplayText("\x1b[2J\x7f"), "\\x1B[2J\\x7F");
  EXPECT_EQ(DisplayText("invoice\xE2\x80\xAE"
                        "fdp.exe"),
            "invoice\\u202Efdp.exe");  // U+202E RLO
  EXPECT_EQ(DisplayText("\xC2\x9B"
                        "31m"),
            "\\u009B31m");  // C1 CSI
  EXPECT_EQ(DisplayText("ok \xC3\xA9\xE6\x97\xA5\xF0\x9F\xA6\x85"),
            "ok \xC3\xA9\xE6\x97\xA5\xF0\x9F\xA6\x85");
  EXPECT_EQ(DisplayText("bad \xFF\xC3"), "bad \\xFF\\xC3");
  EXPECT_EQ(DisplayText("\xED\xA0\x80"), "\\xED\\xA0\\x80");  // a UTF-16 surrogate is not UTF-8
  EXPECT_EQ(DisplayText("C:\\Users\\bob"), "C:\\Users\\bob");
}

TEST(TruncateUtf8, CutsOnCodePointsAndEndsWithEllipsis) {
  std::string s = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";  // éééé
  EXPECT_FALSE(TruncateUtf8(&s, 4));
  EXPECT_TRUE(TruncateUtf8(&s, 3));
  EXPECT_EQ(s, "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
  std::string t = "abcdef";
  EXPECT_FALSE(TruncateUtf8(&t, 0));  // 0 = no limit
  EXPECT_TRUE(TruncateUtf8(&t, 1));
  EXPECT_EQ(t, "\xE2\x80\xA6");
}

TEST(ChannelShortName, KnownTableThenGenericShortening) {
  EXPECT_EQ(ChannelShortName("Microsoft-Windows-Sysmon/Operational"), "Sysmon");
  EXPECT_EQ(ChannelShortName("Security"), "Security");
  EXPECT_EQ(ChannelShortName("Microsoft-Windows-PowerShell/Operational"), "PwSh");
  EXPECT_EQ(
      ChannelShortName("Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"),
      "RDP-RCM");
  EXPECT_EQ(ChannelShortName("Microsoft-Windows-AppLocker/EXE and DLL"), "AppLocker");
  EXPECT_EQ(ChannelShortName("Microsoft-Windows-Kernel-General/Operational"), "Kernel-General");
  EXPECT_EQ(ChannelShortName("Custom/Admin"), "Custom/Admin");
}

TEST(SplitTags, MapsTacticsTechniquesAndOthersLikeHayabusa) {
  TagColumns c =
      SplitTags({"attack.execution", "attack.t1059.001", "attack.lateral-movement",
                 "attack.lateral_movement", "attack.g0016", "attack.S0002", "cve.2021-44228",
                 "attack.command-and-control", "attack.stealthy-thing",
                 "detection.emerging-threats", "attack.stealth", "attack.defense_impairment"});
  EXPECT_EQ(c.tactics, "Exec \xC2\xA6 LatMov \xC2\xA6 C2 \xC2\xA6 Stealth \xC2\xA6 DefImpair");
  EXPECT_EQ(c.techniques, "T1059.001 \xC2\xA6 G0016 \xC2\xA6 S0002");
  EXPECT_EQ(c.other,
            "cve.2021-44228 \xC2\xA6 attack.stealthy-thing \xC2\xA6 detection.emerging-threats");
  TagColumns all =
      SplitTags({"attack.reconnaissance", "attack.resource-development", "attack.initial-access",
                 "attack.persistence", "attack.privilege-escalation", "attack.defense-evasion",
                 "attack.credential-access", "attack.discovery", "attack.collection",
                 "attack.exfiltration", "attack.impact"});
  EXPECT_EQ(all.tactics,
            "Recon \xC2\xA6 ResDev \xC2\xA6 InitAccess \xC2\xA6 Persis \xC2\xA6 PrivEsc \xC2\xA6 "
            "Evas \xC2\xA6 "
            "CredAccess \xC2\xA6 Disc \xC2\xA6 Collect \xC2\xA6 Exfil \xC2\xA6 Impact");
  EXPECT_TRUE(all.techniques.empty() && all.other.empty());
}

TEST(FormatTimestampMillis, TruncatesToMilliseconds) {
  EXPECT_EQ(FormatTimestampMillis(kT1), "2019-03-19 15:42:13.123");
  EXPECT_EQ(FormatTimestampMillis(-1), "1969-12-31 23:59:59.999");
  EXPECT_EQ(FormatTimestampMillis(kNoTime), "");
}

TEST(AppendCsvField, QuotesOnlyWhenNeeded) {
  std::string s;
  AppendCsvField("plain text ¦ x", &s);
  s += ',';
  AppendCsvField("a,b", &s);
  s += ',';
  AppendCsvField("say \"hi\"", &s);
  s += ',';
  AppendCsvField("line1\nline2\r", &s);
  s += ',';
  AppendCsvField("", &s);
  EXPECT_EQ(s, "plain text ¦ x,\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\r\",");
}

// ---- Table --------------------------------------------------------------------

TEST(Timeline, TableWithoutColour) {
  std::vector<sigma::RuleInfo> rules = {Rule("Suspicious Cmd", sigma::Level::kHigh),
                                        Rule("Logon", sigma::Level::kCritical)};
  std::vector<Detection> ds = {
      Det(kT1, "WS01", kSysmon, 1, 0, {{"CommandLine", "cmd /c whoami"}, {"Image", "C:\\cmd.exe"}}),
      Det(kNoTime, "DC01.corp.local", "Security", 4624, 1),
      Det(kNoTime, "", "", -1, 0),
  };
  EXPECT_EQ(
      Render(ds, rules, {}),
      "Timestamp                Computer         Channel   EventID  Level  Rule            "
      "Details\n"
      "2019-03-19 15:42:13.123  WS01             Sysmon          1  high   Suspicious Cmd  "
      "CommandLine: cmd /c whoami \xC2\xA6 Image: C:\\cmd.exe\n"
      "-                        DC01.corp.local  Security     4624  crit   Logon           -\n"
      "-                        -                -               -  high   Suspicious Cmd  -\n");
  EXPECT_EQ(Render({}, rules, {}), "");
}

TEST(Timeline, TableColoursRowsByLevelOnlyWhenAsked) {
  std::vector<sigma::RuleInfo> rules = {
      Rule("C", sigma::Level::kCritical), Rule("H", sigma::Level::kHigh),
      Rule("M", sigma::Level::kMedium), Rule("L", sigma::Level::kLow),
      Rule("I", sigma::Level::kInformational)};
  std::vector<Detection> ds;
  for (uint32_t i = 0; i < 5; ++i)
    ds.push_back(Det(kT1, "WS01", "Security", 4688, i, {{"K", "v"}}));
  ReportOptions o;
  o.color = true;
  std::string colored = Render(ds, rules, o);
  std::vector<std::string> lines;
  for (size_t p = 0, q; (q = colored.find('\n', p)) != std::string::npos; p = q + 1)
    lines.push_back(colored.substr(p, q - p));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_TRUE(lines[0].starts_with("\033[1mTimestamp"));
  EXPECT_TRUE(lines[1].starts_with("\033[1;31m2019-") && lines[1].ends_with("K: v\033[0m"))
      << lines[1];
  EXPECT_TRUE(lines[2].starts_with("\033[31m2019-"));
  EXPECT_TRUE(lines[3].starts_with("\033[33m2019-"));
  EXPECT_TRUE(lines[4].starts_with("\033[32m2019-"));
  EXPECT_EQ(lines[5].find('\033'), std::string::npos);  // informational: default colour
  EXPECT_EQ(Render(ds, rules, {}).find('\033'), std::string::npos);
}

TEST(Timeline, TableTruncatesDetailsAndLongCellsAndEscapesThem) {
  std::vector<sigma::RuleInfo> rules = {Rule(std::string(70, 'T'), sigma::Level::kLow)};
  std::vector<Detection> ds = {Det(kT1, "HOST\x1b]0;pwned\x07",
                                   "Microsoft-Windows-Kernel-General/Operational", 12, 0,
                                   {{"CommandLine", std::string(200, 'x')}})};
  ReportOptions o;
  o.max_detail_width = 30;
  std::string out = Render(ds, rules, o);
  std::string row = out.substr(out.find('\n') + 1);
  EXPECT_EQ(
      row,
      "2019-03-19 15:42:13.123  HOST\\x1B]0;pwned\\x07  Kernel-Gene\xE2\x80\xA6       12  low    " +
          std::string(59, 'T') + "\xE2\x80\xA6  CommandLine: " + std::string(16, 'x') +
          "\xE2\x80\xA6\n");
  o.max_detail_width = 0;
  out = Render(ds, rules, o);
  EXPECT_NE(out.find("CommandLine: " + std::string(200, 'x') + "\n"), std::string::npos);
}

// ---- CSV ----------------------------------------------------------------------

TEST(Timeline, CsvMatchesHayabusaVerboseProfile) {
  sigma::RuleInfo r =
      Rule("Cmd, \"quoted\"", sigma::Level::kMedium,
           {"attack.execution", "attack.t1059.003", "attack.persistence", "car.2013-05-002"});
  std::vector<sigma::RuleInfo> rules = {r};
  Detection d = Det(kT1, "WS01", kSysmon, 1, 0,
                    {{"CommandLine", "cmd /c \"a,b\""}, {"Image", "C:\\cmd.exe"}});
  d.source = "case 1/Sysmon,old.evtx";
  d.event_json =
      R"({"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"WS01",)"
      R"("TimeCreated_SystemTime":"2019-03-19T15:42:13.1239999Z","CommandLine":"cmd /c \"a,b\"",)"
      R"("Image":"C:\\cmd.exe","ProcessId":4242,"Note":"two\nlines","Empty":null,"Multi":["x","y"],"Ok":true})";
  Detection bare = Det(kNoTime, "", "Security", -1, 0);
  bare.record_id = 0;
  std::string out = Render({d, bare}, rules, {.format = ReportFormat::kCsv});
  EXPECT_EQ(out,
            "Timestamp,Computer,Channel,EventID,Level,MitreTactics,MitreTags,OtherTags,RecordID,"
            "RuleTitle,Details,"
            "ExtraFieldInfo,RuleFile,EvtxFile\n"
            "2019-03-19 15:42:13.123 +00:00,WS01,Microsoft-Windows-Sysmon/Operational,1,med,"
            "Exec \xC2\xA6 Persis,T1059.003,car.2013-05-002,42,\"Cmd, \"\"quoted\"\"\","
            "\"CommandLine: cmd /c \"\"a,b\"\" \xC2\xA6 Image: C:\\cmd.exe\","
            "\"ProcessId: 4242 \xC2\xA6 Note: two\\nlines \xC2\xA6 Multi: x, y \xC2\xA6 Ok: true\","
            "proc_creation_win_cmd.yml,\"case 1/Sysmon,old.evtx\"\n"
            ",,Security,-,med,Exec \xC2\xA6 Persis,T1059.003,car.2013-05-002,,\"Cmd, "
            "\"\"quoted\"\"\",-,-,"
            "proc_creation_win_cmd.yml,logs/Sysmon.evtx\n");
  EXPECT_EQ(Render({}, rules, {.format = ReportFormat::kCsv}).find('\n'),
            out.find('\n'));  // header only
}

TEST(Timeline, CsvQuotesNewlinesInColumns) {
  std::vector<sigma::RuleInfo> rules = {Rule("two\nline title", sigma::Level::kLow)};
  std::string out =
      Render({Det(kT1, "WS01", "Security", 4688, 0)}, rules, {.format = ReportFormat::kCsv});
  EXPECT_NE(out.find(",42,\"two\nline title\",-,-,"), std::string::npos) << out;
}

// ---- JSON Lines ---------------------------------------------------------------

TEST(Timeline, JsonlOneObjectPerDetectionWithTheEventVerbatim) {
  std::vector<sigma::RuleInfo> rules = {
      Rule("Cmd \"x\"", sigma::Level::kHigh, {"attack.execution"})};
  Detection d = Det(kT1, "WS01", kSysmon, 1, 0, {{"CommandLine", "a\\b"}});
  d.event_json = R"({"EventID":1,"CommandLine":"a\\b"})";
  Detection bare = Det(kNoTime, "", "", -1, 0);
  bare.record_id = 0;
  EXPECT_EQ(
      Render({d, bare}, rules, {.format = ReportFormat::kJsonl}),
      R"({"timestamp":"2019-03-19T15:42:13.1239999Z","computer":"WS01",)"
      R"("channel":"Microsoft-Windows-Sysmon/Operational","event_id":1,"record_id":42,"level":"high",)"
      R"("rule":{"id":"0a1b2c3d-0000-4000-8000-000000000001","title":"Cmd \"x\"","status":"test",)"
      R"("level":"high","tags":["attack.execution"],"file":"/rules/windows/proc_creation_win_cmd.yml",)"
      R"("author":"Analyst","falsepositives":["Admins"]},"details":{"CommandLine":"a\\b"},)"
      R"("source":"logs/Sysmon.evtx","event":{"EventID":1,"CommandLine":"a\\b"}})"
      "\n"
      R"({"timestamp":null,"computer":"","channel":"","event_id":null,"record_id":null,"level":"high",)"
      R"("rule":{"id":"0a1b2c3d-0000-4000-8000-000000000001","title":"Cmd \"x\"","status":"test",)"
      R"("level":"high","tags":["attack.execution"],"file":"/rules/windows/proc_creation_win_cmd.yml",)"
      R"("author":"Analyst","falsepositives":["Admins"]},"details":{},)"
      R"("source":"logs/Sysmon.evtx","event":null})"
      "\n");
}

// ---- Summary ------------------------------------------------------------------

TEST(DetectionSummary, CountsPerLevelTopRulesAndComputersWithTiesByName) {
  std::vector<sigma::RuleInfo> rules = {
      Rule("Zeta", sigma::Level::kLow), Rule("Alpha", sigma::Level::kHigh),
      Rule("Beta", sigma::Level::kCritical), Rule("Info", sigma::Level::kInformational)};
  const int64_t t0 = ParseIso8601("2024-01-02T03:04:05.678Z");
  std::vector<Detection> ds = {
      Det(t0 + 5'000'000'000, "WS02", "Security", 4624, 0),
      Det(t0, "WS01", "Security", 4624, 0),
      Det(t0 + 1'000'000'000, "WS02", "Security", 4624, 1),
      Det(kNoTime, "WS01", "Security", 4624, 1),
      Det(t0 + 2'000'000'000, "DC01", "Security", 4624, 2),
      Det(t0 + 3'000'000'000, "", "Security", 4624, 3),
  };
  EXPECT_EQ(Summary(ds, rules, false),
            "detections: 6 from 4 rules on 4 computers\n"
            "  critical       1\n"
            "  high           2\n"
            "  medium         0\n"
            "  low            2\n"
            "  informational  1\n"
            "first:      2024-01-02 03:04:05.678 UTC\n"
            "last:       2024-01-02 03:04:10.678 UTC\n"
            "top rules:\n"
            "  2  high  Alpha\n"  // 2 = 2: by title
            "  2  low   Zeta\n"
            "  1  crit  Beta\n"
            "  1  info  Info\n"
            "top computers (highest level):\n"
            "  2  high  WS01\n"  // 2 = 2: by name
            "  2  high  WS02\n"
            "  1  info  (none)\n"  // "" sorts first among the 1s
            "  1  crit  DC01\n");
  std::string colored = Summary(ds, rules, true);
  EXPECT_NE(colored.find("  \033[1;31mcritical\033[0m       1\n"), std::string::npos) << colored;
  EXPECT_NE(colored.find("  2  \033[31mhigh\033[0m  Alpha\n"), std::string::npos);
  EXPECT_NE(colored.find("  1  info  Info\n"), std::string::npos);  // informational stays plain
  EXPECT_EQ(Summary({}, rules, false), "detections: none\n");
}

TEST(DetectionSummary, KeepsTenOfEachAndCountsTheRest) {
  std::vector<sigma::RuleInfo> rules;
  std::vector<Detection> ds;
  for (uint32_t i = 0; i < 12; ++i) {
    rules.push_back(
        Rule("Rule " + std::string(1, static_cast<char>('a' + i)), sigma::Level::kMedium));
    for (uint32_t k = 0; k <= i; ++k)
      ds.push_back(Det(kT1, "H" + std::to_string(i), "Security", 1, i));
  }
  std::string s = Summary(ds, rules, false);
  EXPECT_NE(s.find("top rules:\n  12  med   Rule l\n  11  med   Rule k\n"), std::string::npos) << s;
  EXPECT_NE(s.find("   3  med   Rule c\n  (2 more)\ntop computers"), std::string::npos) << s;
  EXPECT_NE(s.find("  12  med   H11\n"), std::string::npos);
  EXPECT_TRUE(s.ends_with("   3  med   H2\n  (2 more)\n")) << s;
}

}  // namespace
}  // namespace inari
