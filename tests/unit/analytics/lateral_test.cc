// Behavioural analytics: extraction from Windows events, each reason code on a
// small story, warm-up, repeat suppression, state persistence, risk decay.
#include <gtest/gtest.h>

#include <cmath>

#include <map>
#include <string>
#include <vector>

#include "analytics/activity.h"
#include "analytics/lateral.h"
#include "analytics/risk.h"
#include "base/time.h"
#include "store/state_db.h"

namespace inari::analytics {
namespace {

int64_t T(const char* iso) { return ParseIso8601(iso); }

// Builds one event in a batch from name/value pairs.
struct EventMaker {
  EventBatch batch;
  EventView Make(int64_t time, std::vector<std::pair<std::string, std::string>> fields) {
    batch.Reset();
    batch.BeginEvent();
    for (auto& [k, v] : fields) {
      FieldId id = InternField(k);
      if (k == "EventID" || k == "LogonType") batch.Add(id, Value::UInt(std::stoull(v)));
      else batch.Add(id, Value::String(batch.CopyString(v)));
    }
    batch.EndEvent(time, 1, EventOrigin{});
    batch.AddSource("test.jsonl");
    return batch[0];
  }
};

std::vector<std::pair<std::string, std::string>> Logon(const std::string& computer, const std::string& user,
                                                        const std::string& type, const std::string& ip,
                                                        const std::string& ws) {
  return {{"EventID", "4624"},         {"Channel", "Security"},   {"Computer", computer},
          {"TargetUserName", user},     {"TargetDomainName", "CORP"}, {"LogonType", type},
          {"IpAddress", ip},            {"WorkstationName", ws}};
}

TEST(ActivityExtractor, NormalisesNamesAndKeepsOnlyWhatAnalyticsUse) {
  ActivityExtractor x;
  EventMaker m;
  std::vector<Activity> out;
  x.Extract(m.Make(T("2025-03-11T09:00:00Z"), Logon("SRV01.corp.local", "Alice", "3", "::ffff:10.0.0.5", "WS05")),
            "a", &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, ActKind::kRemoteLogon);
  EXPECT_EQ(x.names().Name(out[0].user), "u:alice");
  EXPECT_EQ(x.names().Name(out[0].host), "h:srv01");
  EXPECT_EQ(x.names().Name(out[0].src_ip), "i:10.0.0.5");
  EXPECT_EQ(x.names().Name(out[0].src_host), "h:ws05");
  // Machine accounts, local network logons without a source, and other events are skipped.
  x.Extract(m.Make(T("2025-03-11T09:00:01Z"), Logon("SRV01", "WS05$", "3", "10.0.0.5", "WS05")), "a", &out);
  x.Extract(m.Make(T("2025-03-11T09:00:02Z"), Logon("SRV01", "bob", "3", "-", "")), "a", &out);
  x.Extract(m.Make(T("2025-03-11T09:00:03Z"), {{"EventID", "4634"}, {"Computer", "SRV01"}, {"TargetUserName", "bob"}}),
            "a", &out);
  EXPECT_EQ(out.size(), 1u);
  // RDP: 1149 on its channel; LSM 21 with a remote address.
  x.Extract(m.Make(T("2025-03-11T09:01:00Z"),
                   {{"EventID", "1149"},
                    {"Channel", "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"},
                    {"Computer", "SRV02"}, {"Param1", "carol"}, {"Param2", "CORP"}, {"Param3", "203.0.113.7"}}),
            "a", &out);
  x.Extract(m.Make(T("2025-03-11T09:01:01Z"),
                   {{"EventID", "21"},
                    {"Channel", "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"},
                    {"Computer", "SRV02"}, {"User", "CORP\\carol"}, {"Address", "LOCAL"}}),
            "a", &out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].logon_type, 10);
  EXPECT_EQ(x.names().Name(out[1].src_ip), "i:203.0.113.7");
  // Remote-access tools: service install, Sysmon DNS, process; admin share.
  x.Extract(m.Make(T("2025-03-11T09:02:00Z"), {{"EventID", "7045"}, {"Channel", "System"}, {"Computer", "WS07"},
                                                {"ServiceName", "AnyDesk Service"},
                                                {"ImagePath", "\"C:\\ProgramData\\AnyDesk.exe\" --service"}}),
            "a", &out);
  x.Extract(m.Make(T("2025-03-11T09:02:01Z"), {{"EventID", "22"}, {"Channel", "Microsoft-Windows-Sysmon/Operational"},
                                                {"Computer", "WS07"}, {"QueryName", "router15.teamviewer.com"},
                                                {"User", "CORP\\dave"}}),
            "a", &out);
  x.Extract(m.Make(T("2025-03-11T09:02:02Z"), {{"EventID", "22"}, {"Channel", "Microsoft-Windows-Sysmon/Operational"},
                                                {"Computer", "WS07"}, {"QueryName", "notteamviewer.com"}}),
            "a", &out);
  x.Extract(m.Make(T("2025-03-11T09:03:00Z"), {{"EventID", "5140"}, {"Channel", "Security"}, {"Computer", "SRV03"},
                                                {"SubjectUserName", "eve"}, {"ShareName", "\\\\*\\C$"},
                                                {"IpAddress", "10.0.0.9"}}),
            "a", &out);
  x.Extract(m.Make(T("2025-03-11T09:03:01Z"), {{"EventID", "5140"}, {"Channel", "Security"}, {"Computer", "SRV03"},
                                                {"SubjectUserName", "eve"}, {"ShareName", "\\\\*\\Finance"},
                                                {"IpAddress", "10.0.0.9"}}),
            "a", &out);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[2].kind, ActKind::kToolService);
  EXPECT_EQ(x.names().Name(out[2].target), "t:anydesk");
  EXPECT_EQ(out[3].kind, ActKind::kToolNetwork);
  EXPECT_EQ(x.names().Name(out[3].target), "t:teamviewer");
  EXPECT_EQ(x.names().Name(out[3].user), "u:dave");
  EXPECT_EQ(out[4].kind, ActKind::kAdminShare);
}

TEST(ToolCatalogue, MatchesImagesServicesAndDomainsExactly) {
  EXPECT_EQ(ToolOfImage("C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe"), "anydesk");
  EXPECT_EQ(ToolOfImage("C:\\tools\\notanydesk.exe"), "");
  EXPECT_EQ(ToolOfService("TeamViewer", ""), "teamviewer");
  EXPECT_EQ(ToolOfService("svc123", "C:\\Users\\x\\AppData\\rustdesk.exe --service"), "rustdesk");
  EXPECT_EQ(ToolOfDomain("relay-1a2b.net.anydesk.com."), "anydesk");
  EXPECT_EQ(ToolOfDomain("anydesk.com.evil.example"), "");
}

// A test fixture that interns names and feeds activities in order.
class LateralTest : public ::testing::Test {
 protected:
  LateralTest() { config_.warmup = 2 * kDay; }
  void Make() { la_ = std::make_unique<LateralAnalytics>(config_, &names_); }
  NameId U(const std::string& n) { return names_.Intern("u:" + n); }
  NameId H(const std::string& n) { return names_.Intern("h:" + n); }
  Activity Remote(int64_t t, const std::string& user, const std::string& dst, const std::string& src,
                  uint8_t type = 3) {
    Activity a;
    a.time = t;
    a.kind = ActKind::kRemoteLogon;
    a.user = U(user);
    a.host = H(dst);
    a.src_host = H(src);
    a.logon_type = type;
    a.event_id = 4624;
    return a;
  }
  std::vector<Finding> Feed(const std::vector<Activity>& acts) {
    std::vector<Finding> out;
    for (const Activity& a : acts) la_->Observe(a, sources_, &out);
    return out;
  }
  static std::map<std::string, int> Codes(const std::vector<Finding>& f) {
    std::map<std::string, int> m;
    for (auto& x : f) ++m[x.code];
    return m;
  }
  // Two days of habit: alice works from ws01 on fs01 and app01 every hour of the workday.
  std::vector<Activity> Habit(int64_t start) {
    std::vector<Activity> v;
    for (int d = 0; d < 2; ++d)
      for (int h = 8; h < 18; ++h) {
        const int64_t t = start + d * kDay + h * kHour;
        v.push_back(Remote(t, "alice", "fs01", "ws01"));
        v.push_back(Remote(t + 60 * kSecond, "alice", "app01", "ws01"));
        v.push_back(Remote(t + 120 * kSecond, "bob", "fs01", "ws02"));
      }
    return v;
  }
  LateralConfig config_;
  NameTable names_;
  std::vector<std::string> sources_ = {"test"};
  std::unique_ptr<LateralAnalytics> la_;
};

TEST_F(LateralTest, NothingIsReportedWhileLearning) {
  Make();
  const int64_t t0 = T("2025-03-03T00:00:00Z");
  auto f = Feed(Habit(t0));
  // Within the warm-up even a brand-new source and host are only learnt.
  auto g = Feed({Remote(t0 + kDay + 20 * kHour, "alice", "db01", "kiosk9")});
  EXPECT_TRUE(f.empty());
  EXPECT_TRUE(g.empty());
  EXPECT_GT(la_->stats().learning_suppressed, 0u);
}

TEST_F(LateralTest, NewSourceAndNewHostAfterWarmup) {
  Make();
  const int64_t t0 = T("2025-03-03T00:00:00Z");
  Feed(Habit(t0));
  const int64_t t = t0 + 2 * kDay + 10 * kHour;
  auto f = Feed({Remote(t, "alice", "fs01", "ws01")});  // habit: nothing
  EXPECT_TRUE(f.empty()) << f[0].code;
  f = Feed({Remote(t + kHour, "alice", "db01", "ws77", 10)});
  auto codes = Codes(f);
  EXPECT_EQ(codes["LM-NEW-SOURCE"], 1);
  EXPECT_EQ(codes["LM-NEW-HOST"], 1);
  for (auto& x : f) {
    EXPECT_EQ(x.user, "alice");
    EXPECT_EQ(x.host, "db01");
    EXPECT_FALSE(x.explanation.empty());
    EXPECT_GT(x.points, 0);
  }
  // The same again is known now.
  EXPECT_TRUE(Feed({Remote(t + 2 * kHour, "alice", "db01", "ws77", 10)}).empty());
}

TEST_F(LateralTest, PathWithChangeOfAccount) {
  Make();
  const int64_t t0 = T("2025-03-03T00:00:00Z");
  Feed(Habit(t0));
  const int64_t t = t0 + 3 * kDay + 11 * kHour;
  Feed({Remote(t, "alice", "jump01", "ws01", 10)});
  auto f = Feed({Remote(t + 20 * 60 * kSecond, "svc_backup", "sql01", "jump01", 10)});
  auto codes = Codes(f);
  ASSERT_EQ(codes["LM-PATH"], 1);
  for (auto& x : f)
    if (x.code == "LM-PATH") {
      EXPECT_EQ(x.title, "Logon path with a change of account");
      EXPECT_NE(x.explanation.find("ws01 → jump01 → sql01"), std::string::npos) << x.explanation;
      EXPECT_EQ(x.points, 40);
    }
  // Outside the window there is no path.
  Make();
  Feed(Habit(t0));
  Feed({Remote(t, "alice", "jump01", "ws01", 10)});
  f = Feed({Remote(t + 3 * kHour, "svc_backup", "sql01", "jump01", 10)});
  EXPECT_EQ(Codes(f)["LM-PATH"], 0);
}

TEST_F(LateralTest, FanOutAgainstOwnBaseline) {
  Make();
  const int64_t t0 = T("2025-03-03T00:00:00Z");
  std::vector<Activity> warm = Habit(t0);
  // svc_patch touches 40 servers every night during warm-up: its own normal.
  for (int d = 0; d < 2; ++d)
    for (int i = 0; i < 40; ++i)
      warm.push_back(Remote(t0 + d * kDay + 2 * kHour + i * 30 * kSecond, "svc_patch", "srv" + std::to_string(i),
                            "sccm01"));
  std::sort(warm.begin(), warm.end(), [](auto& a, auto& b) { return a.time < b.time; });
  Feed(warm);
  const int64_t night = t0 + 2 * kDay + 2 * kHour;
  std::vector<Activity> v;
  for (int i = 0; i < 40; ++i) v.push_back(Remote(night + i * 30 * kSecond, "svc_patch", "srv" + std::to_string(i), "sccm01"));
  EXPECT_EQ(Codes(Feed(v))["LM-FANOUT"], 0);
  // alice (two hosts an hour, past her own warm-up) suddenly reaches 12 servers.
  v.clear();
  for (int i = 0; i < 12; ++i) v.push_back(Remote(night + kDay + i * 60 * kSecond, "alice", "srv" + std::to_string(i), "ws01"));
  auto f = Feed(v);
  EXPECT_EQ(Codes(f)["LM-FANOUT"], 1);
}

TEST_F(LateralTest, SourceFanOutAcrossAccounts) {
  Make();
  const int64_t t0 = T("2025-03-03T00:00:00Z");
  Feed(Habit(t0));
  // From one foothold, three different accounts reach 9 servers within the hour: no single
  // account fans out beyond 6, the machine does.
  std::vector<Activity> v;
  const int64_t t = t0 + 3 * kDay + 22 * kHour;
  const char* accounts[] = {"alice", "svc_backup", "adm.x"};
  for (int i = 0; i < 9; ++i)
    v.push_back(Remote(t + i * 2 * 60 * kSecond, accounts[i % 3], "srv" + std::to_string(i), "ws99"));
  auto f = Feed(v);
  auto codes = Codes(f);
  EXPECT_EQ(codes["LM-FANOUT"], 0);
  ASSERT_EQ(codes["LM-SOURCE-FANOUT"], 1);
  for (auto& x : f)
    if (x.code == "LM-SOURCE-FANOUT") {
      EXPECT_EQ(x.host, "ws99");
      EXPECT_NE(x.explanation.find("3 accounts"), std::string::npos) << x.explanation;
    }
  // A jump host that reaches 12 servers every night during warm-up is its own normal.
  Make();
  std::vector<Activity> warm = Habit(t0);
  for (int d = 0; d < 2; ++d)
    for (int i = 0; i < 12; ++i)
      warm.push_back(Remote(t0 + d * kDay + 3 * kHour + i * 60 * kSecond, "adm.y", "srv" + std::to_string(i), "jump01"));
  std::sort(warm.begin(), warm.end(), [](auto& a, auto& b) { return a.time < b.time; });
  Feed(warm);
  v.clear();
  for (int i = 0; i < 12; ++i)
    v.push_back(Remote(t0 + 3 * kDay + 3 * kHour + i * 60 * kSecond, "adm.y", "srv" + std::to_string(i), "jump01"));
  EXPECT_EQ(Codes(Feed(v))["LM-SOURCE-FANOUT"], 0);
}

TEST_F(LateralTest, RemoteAccessToolNewOnHostAndForUser) {
  Make();
  const int64_t t0 = T("2025-03-03T00:00:00Z");
  Feed(Habit(t0));
  Activity a;
  a.time = t0 + 2 * kDay + 10 * kHour;
  a.kind = ActKind::kToolProcess;
  a.host = H("ws01");
  a.user = U("alice");
  a.target = names_.Intern("t:anydesk");
  auto codes = Codes(Feed({a}));
  EXPECT_EQ(codes["RA-NEW-ON-HOST"], 1);
  EXPECT_EQ(codes["RA-NEW-FOR-USER"], 1);
  a.time += kHour;
  EXPECT_TRUE(Feed({a}).empty());
}

TEST_F(LateralTest, StateSurvivesSaveAndLoad) {
  Make();
  const int64_t t0 = T("2025-03-03T00:00:00Z");
  Feed(Habit(t0));
  auto db = StateDb::Open(":memory:");
  ASSERT_TRUE(db.has_value());
  ASSERT_TRUE(la_->Save(db->get()).ok());
  // A new process: fresh name table and analytics, state loaded.
  NameTable names2;
  LateralAnalytics la2(config_, &names2);
  ASSERT_TRUE(la2.Load(db->get()).ok());
  EXPECT_EQ(la2.start_time(), t0 + 8 * kHour);
  EXPECT_EQ(la2.stats().edges, la_->stats().edges);
  std::vector<Finding> out;
  Activity known = Remote(t0 + 3 * kDay + 9 * kHour, "alice", "fs01", "ws01");
  known.user = names2.Intern("u:alice");
  known.host = names2.Intern("h:fs01");
  known.src_host = names2.Intern("h:ws01");
  la2.Observe(known, sources_, &out);
  EXPECT_TRUE(out.empty());  // learnt in the previous run, after its warm-up
  Activity fresh = known;
  fresh.host = names2.Intern("h:db09");
  la2.Observe(fresh, sources_, &out);
  EXPECT_EQ(Codes(out)["LM-NEW-HOST"], 1);
}

TEST(RiskBoard, DecaysByHalfLifeSuppressesRepeatsAndAlertsOnce) {
  RiskConfig c;
  c.half_life = kDay;
  c.alert_threshold = 100;
  RiskBoard b(c);
  const int64_t t0 = T("2025-03-03T00:00:00Z");
  Contribution x;
  x.time = t0;
  x.points = 80;
  x.code = "A";
  EXPECT_TRUE(b.Add(EntityKind::kUser, "alice", x));
  const EntityRisk* e = b.Find(EntityKind::kUser, "alice");
  ASSERT_NE(e, nullptr);
  EXPECT_NEAR(e->ScoreAt(t0 + kDay, c.half_life), 40, 1e-9);
  EXPECT_NEAR(e->ScoreAt(t0 + 2 * kDay, c.half_life), 20, 1e-9);
  // The same code within the repeat window does not count.
  x.time = t0 + kHour;
  EXPECT_FALSE(b.Add(EntityKind::kUser, "alice", x));
  EXPECT_TRUE(b.alerts().empty());
  x.code = "B";
  x.points = 30;
  EXPECT_TRUE(b.Add(EntityKind::kUser, "alice", x));  // 80·2^(-1/24) + 30 > 100
  ASSERT_EQ(b.alerts().size(), 1u);
  EXPECT_EQ(b.alerts()[0].entity, "alice");
  x.code = "C";
  x.time = t0 + 2 * kHour;
  b.Add(EntityKind::kUser, "alice", x);
  EXPECT_EQ(b.alerts().size(), 1u);  // still above, not doubled: no second alert
  x.code = "D";
  x.points = 150;
  b.Add(EntityKind::kUser, "alice", x);  // more than twice the alert's score: escalation
  ASSERT_EQ(b.alerts().size(), 2u);
  EXPECT_TRUE(b.alerts()[1].escalation);
  EXPECT_EQ(e->contributions.size(), 4u);
  auto top = b.Top(EntityKind::kUser, 5, t0 + 3 * kHour);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0]->name, "alice");
}

TEST(RiskBoard, AnAlertedAccountUsedForSomethingNewAlertsAgain) {
  RiskConfig c;
  c.half_life = 3 * kDay;
  RiskBoard b(c);
  const int64_t t0 = T("2025-03-03T00:00:00Z");
  Contribution x;
  x.points = 120;
  x.code = "first";
  x.time = t0;
  b.Add(EntityKind::kUser, "svc_backup", x);
  ASSERT_EQ(b.alerts().size(), 1u);
  // Routine points keep the score up: no new alert.
  for (int d = 1; d < 5; ++d) {
    x.time = t0 + d * kDay;
    x.code = "routine";
    x.points = 20;
    b.Add(EntityKind::kUser, "svc_backup", x);
  }
  EXPECT_EQ(b.alerts().size(), 1u);
  // Five days later, 110 new points within hours: alerted again although the score never fell
  // below the re-arm level and did not double.
  const char* codes[] = {"a", "b", "c", "d", "e"};
  for (int i = 0; i < 5; ++i) {
    x.time = t0 + 5 * kDay + i * kHour;
    x.code = codes[i];
    x.points = 22;
    b.Add(EntityKind::kUser, "svc_backup", x);
  }
  ASSERT_EQ(b.alerts().size(), 2u);
  EXPECT_TRUE(b.alerts()[1].escalation);
  EXPECT_EQ(b.alerts()[1].time, t0 + 5 * kDay + 4 * kHour);
}

TEST(RiskBoard, PointsByLevelAndOverrides) {
  RiskConfig c;
  c.points["LM-NEW-HOST"] = 3;
  c.points["0123"] = 99;
  RiskBoard b(c);
  EXPECT_EQ(b.PointsFor("x", "t", "high"), 40);
  EXPECT_EQ(b.PointsFor("0123", "t", "low"), 99);
  EXPECT_EQ(b.PointsForFinding("LM-NEW-HOST", 10), 3);
  EXPECT_EQ(b.PointsForFinding("LM-PATH", 25), 25);
}

}  // namespace
}  // namespace inari::analytics

namespace inari::analytics {
namespace {

TEST(RiskBoard, RoutineEvidenceIsWorthLessEachTime) {
  RiskConfig c;
  c.half_life = 1000 * kDay;  // no decay: only habituation
  RiskBoard b(c);
  const int64_t t0 = ParseIso8601("2025-03-03T10:00:00Z");
  Contribution x;
  x.code = "helpdesk-rule";
  x.points = 30;
  for (int day = 0; day < 4; ++day) {
    x.time = t0 + day * kDay;
    EXPECT_TRUE(b.Add(EntityKind::kUser, "helpdesk", x));
  }
  const EntityRisk* e = b.Find(EntityKind::kUser, "helpdesk");
  ASSERT_NE(e, nullptr);
  // 30 + 15 + 10 + 7.5, each decayed by its age in days over the half-life.
  double want = 0;
  for (int day = 0; day < 4; ++day) want += 30.0 / (1 + day) * std::exp2(-(4.0 - day) / 1000.0);
  EXPECT_NEAR(e->ScoreAt(t0 + 4 * kDay, c.half_life), want, 1e-6);
  EXPECT_NEAR(e->contributions[3].points, 7.5, 1e-9);
  // A different source on the same entity counts in full.
  x.code = "new-thing";
  x.time = t0 + 4 * kDay;
  b.Add(EntityKind::kUser, "helpdesk", x);
  EXPECT_NEAR(e->contributions[4].points, 30, 1e-9);
}

}  // namespace
}  // namespace inari::analytics
