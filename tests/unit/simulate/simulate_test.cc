// inari simulate: the generated enterprise is reproducible, reads back through
// inari's own reader unchanged, its ground truth points at real events with
// the right fields, and the benign noise has the rhythm and the look-alikes it
// claims (docs/simulate.md).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/time.h"
#include "ingest/reader.h"
#include "simulate/simulate.h"

namespace inari {
namespace {

namespace fs = std::filesystem;

struct Issues : IssueReporter {
  std::vector<std::string> seen;
  void Report(const ReadIssue& i) override { seen.push_back(i.source + ": " + i.where + ": " + i.status.ToString()); }
};

// One event as text fields, plus where it came from.
struct Ev {
  std::map<std::string, std::string> f;
  std::string file;
  const std::string& operator[](const std::string& k) const {
    static const std::string kEmpty;
    auto it = f.find(k);
    return it == f.end() ? kEmpty : it->second;
  }
};

std::string Str(simdjson::dom::element e) { return std::string(std::string_view(e)); }

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> EventFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir / "events"))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

sim::SimulateOptions SmallOptions(const fs::path& out) {
  sim::SimulateOptions o;
  o.hosts = 150;
  o.days = 10;
  o.start = "2025-03-03";  // a Monday; the 12th is patch night
  o.seed = 42;
  o.campaigns = 4;
  o.warmup_days = 3;
  o.out_dir = out.string();
  return o;
}

class SimulateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("inari-sim-test-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    summary_ = new sim::SimulateSummary();
    ASSERT_TRUE(sim::Simulate(SmallOptions(*dir_), summary_).ok());
    events_ = new std::vector<Ev>();
    issues_ = new Issues();
    for (const auto& p : EventFiles(*dir_)) {
      auto reader = OpenReader(p.string(), ReaderOptions{}, issues_);
      ASSERT_TRUE(reader.has_value()) << p;
      EventBatch batch;
      bool more = true;
      while (more) {
        batch.Reset();
        more = reader.value()->Next(&batch, 4096);
        for (size_t i = 0; i < batch.size(); ++i) {
          Ev& ev = events_->emplace_back();
          ev.file = p.string();
          for (const Field& f : batch[i].fields()) {
            ev.f[std::string(FieldName(f.id))] = f.value.ToText();
            if (f.id == field::kTimeCreatedSystemTime) { ASSERT_EQ(f.value.type, ValueType::kTime); }
            if (f.id == field::kEventRecordID || f.id == field::kEventID) { ASSERT_EQ(f.value.type, ValueType::kUInt); }
          }
        }
      }
    }
    gt_text_ = new std::string(ReadFile(*dir_ / "ground_truth.json"));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete summary_;
    delete events_;
    delete issues_;
    delete gt_text_;
  }
  static std::string Key(const std::string& computer, const std::string& channel, const std::string& rid) {
    return computer + "|" + channel + "|" + rid;
  }
  static std::map<std::string, const Ev*> Index() {
    std::map<std::string, const Ev*> idx;
    for (const Ev& e : *events_) idx[Key(e["Computer"], e["Channel"], e["EventRecordID"])] = &e;
    return idx;
  }

  static fs::path* dir_;
  static sim::SimulateSummary* summary_;
  static std::vector<Ev>* events_;
  static Issues* issues_;
  static std::string* gt_text_;
};
fs::path* SimulateTest::dir_ = nullptr;
sim::SimulateSummary* SimulateTest::summary_ = nullptr;
std::vector<Ev>* SimulateTest::events_ = nullptr;
Issues* SimulateTest::issues_ = nullptr;
std::string* SimulateTest::gt_text_ = nullptr;

TEST_F(SimulateTest, SameSeedSameBytesWhateverThreadsAndPasses) {
  const fs::path other = *dir_ / "../" / (dir_->filename().string() + "-b");
  fs::remove_all(other);
  sim::SimulateOptions o = SmallOptions(other);
  o.threads = 2;
  o.hosts_per_pass = 40;  // several passes, each writing some groups
  sim::SimulateSummary s;
  ASSERT_TRUE(sim::Simulate(o, &s).ok());
  EXPECT_EQ(s.events, summary_->events);
  std::vector<fs::path> a = EventFiles(*dir_), b = EventFiles(other);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(fs::relative(a[i], *dir_), fs::relative(b[i], other));
    EXPECT_TRUE(ReadFile(a[i]) == ReadFile(b[i])) << a[i];
  }
  for (const char* name : {"ground_truth.json", "inventory.json", "GROUND_TRUTH.md"})
    EXPECT_TRUE(ReadFile(*dir_ / name) == ReadFile(other / name)) << name;
  // Another seed tells another story.
  fs::remove_all(other);
  o.seed = 43;
  ASSERT_TRUE(sim::Simulate(o, &s).ok());
  EXPECT_FALSE(ReadFile(*dir_ / "inventory.json") == ReadFile(other / "inventory.json"));
  fs::remove_all(other);
}

TEST_F(SimulateTest, ReadsBackThroughInarisReader) {
  EXPECT_TRUE(issues_->seen.empty()) << issues_->seen.front();
  ASSERT_EQ(events_->size(), summary_->events);
  // Record ids increase per host and channel, across files (days) in order;
  // time never goes backwards within a file.
  std::map<std::string, uint64_t> last_rid;
  std::map<std::string, std::string> last_time;
  for (const Ev& e : *events_) {
    for (const char* k : {"EventID", "Channel", "Computer", "Provider_Name", "TimeCreated_SystemTime", "EventRecordID"})
      ASSERT_FALSE(e[k].empty()) << k;
    const std::string& t = e["TimeCreated_SystemTime"];
    ASSERT_EQ(t.size(), 28u) << t;  // 2025-03-03T07:12:45.1234567Z
    ASSERT_EQ(t.back(), 'Z');
    std::string& lt = last_time[e.file];
    ASSERT_LE(lt, t) << e.file;
    lt = t;
    const uint64_t rid = std::stoull(e["EventRecordID"]);
    uint64_t& prev = last_rid[e["Computer"] + "|" + e["Channel"]];
    ASSERT_GT(rid, prev) << e["Computer"] << " " << e["Channel"];
    prev = rid;
  }
  // Every kind of event the brief lists, on the channel Windows writes it to.
  std::set<std::string> seen;
  for (const Ev& e : *events_) seen.insert(e["Channel"] + ":" + e["EventID"]);
  for (const char* k :
       {"Security:4624", "Security:4625", "Security:4634", "Security:4647", "Security:4648", "Security:4672",
        "Security:4768", "Security:4769", "Security:4776", "Security:5140", "Security:5145", "System:7045",
        "Microsoft-Windows-Sysmon/Operational:1", "Microsoft-Windows-Sysmon/Operational:3",
        "Microsoft-Windows-Sysmon/Operational:11", "Microsoft-Windows-Sysmon/Operational:22",
        "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational:1149",
        "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational:21",
        "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational:24",
        "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational:25"})
    EXPECT_TRUE(seen.count(k)) << k;
  // The Windows field sets.
  for (const Ev& e : *events_) {
    const std::string id = e["EventID"];
    if (e["Channel"] == "Security" && id == "4624") {
      for (const char* k : {"LogonType", "IpAddress", "WorkstationName", "TargetUserName", "TargetDomainName",
                            "TargetUserSid", "SubjectUserName", "LogonProcessName", "AuthenticationPackageName",
                            "TargetLogonId"})
        ASSERT_TRUE(e.f.count(k)) << k;
    }
    if (e["Channel"] == "Security" && id == "4648") {
      for (const char* k : {"TargetServerName", "TargetUserName", "SubjectUserName", "IpAddress", "ProcessName"})
        ASSERT_TRUE(e.f.count(k)) << k;
    }
    if (e["Channel"] == "Security" && id == "5145") {
      for (const char* k : {"ShareName", "RelativeTargetName", "IpAddress", "SubjectUserName"}) ASSERT_TRUE(e.f.count(k));
    }
    if (e["Channel"] == "System" && id == "7045") {
      for (const char* k : {"ServiceName", "ImagePath", "ServiceType", "StartType", "AccountName"}) ASSERT_TRUE(e.f.count(k));
    }
    if (e["Channel"] == "Microsoft-Windows-Sysmon/Operational" && id == "1") {
      for (const char* k : {"Image", "CommandLine", "User", "ParentImage", "Hashes"}) ASSERT_TRUE(e.f.count(k));
    }
    if (e["Channel"] == "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational") {
      ASSERT_EQ(e["User"].rfind("CORP\\", 0), 0u) << e["User"];
    }
  }
}

TEST_F(SimulateTest, GroundTruthEventsExistWithTheirFields) {
  auto idx = Index();
  simdjson::dom::parser parser;
  simdjson::dom::element gt = parser.parse(*gt_text_);
  simdjson::dom::array campaigns = gt["campaigns"].get_array();
  ASSERT_EQ(campaigns.size(), 4u);
  std::set<std::string> kinds;
  size_t total = 0;
  for (simdjson::dom::element c : campaigns) {
    const std::string user = Str(c["stolen_user"]);
    const std::string entry_ip = Str(c["entry_ip"]);
    const std::string entry_host = Str(c["entry_host"]);
    std::set<std::string> attacker;
    for (simdjson::dom::element a : c["attacker_accounts"].get_array()) attacker.insert(Str(a));
    for (simdjson::dom::element s : c["steps"].get_array()) {
      const std::string kind = Str(s["kind"]);
      kinds.insert(kind);
      std::vector<const Ev*> evs;
      for (simdjson::dom::element r : s["events"].get_array()) {
        const std::string key = Key(Str(r["Computer"]), Str(r["Channel"]),
                                    std::to_string(uint64_t(r["EventRecordID"])));
        auto it = idx.find(key);
        ASSERT_NE(it, idx.end()) << key;
        EXPECT_EQ(it->second->f.at("EventID"), std::to_string(uint64_t(r["EventID"])));
        evs.push_back(it->second);
        ++total;
      }
      ASSERT_FALSE(evs.empty()) << kind;
      auto any = [&](auto pred) { return std::any_of(evs.begin(), evs.end(), [&](const Ev* e) { return pred(*e); }); };
      if (kind == "entry") {
        EXPECT_TRUE(any([&](const Ev& e) {
          return e["EventID"] == "4624" && e["LogonType"] == "10" && e["TargetUserName"] == user &&
                 e["IpAddress"] == entry_ip && e["Computer"].rfind(entry_host, 0) == 0;
        }));
        EXPECT_TRUE(any([&](const Ev& e) { return e["EventID"] == "1149" && e["Param3"] == entry_ip && e["Param1"] == user; }));
      } else if (kind == "explicit_credentials") {
        EXPECT_TRUE(any([&](const Ev& e) { return e["EventID"] == "4648" && e["SubjectUserName"] == user; }));
      } else if (kind == "rdp_hop") {
        EXPECT_TRUE(any([&](const Ev& e) { return e["EventID"] == "4624" && e["LogonType"] == "10" && attacker.count(e["TargetUserName"]); }));
        EXPECT_TRUE(any([&](const Ev& e) { return e["EventID"] == "21"; }));
      } else if (kind == "remote_access_tool") {
        EXPECT_TRUE(any([&](const Ev& e) {
          return e["EventID"] == "7045" && (e["ServiceName"] == "AnyDesk Service" || e["ServiceName"] == "TeamViewer");
        }));
        EXPECT_TRUE(any([&](const Ev& e) {
          return e["EventID"] == "22" && (e["QueryName"].find("anydesk.com") != std::string::npos ||
                                          e["QueryName"].find("teamviewer.com") != std::string::npos);
        }));
      } else if (kind == "admin_share_fanout") {
        std::set<std::string> hosts;
        for (const Ev* e : evs)
          if (e->f.at("EventID") == "5140" && ((*e)["ShareName"] == "\\\\*\\C$" || (*e)["ShareName"] == "\\\\*\\ADMIN$"))
            hosts.insert((*e)["Computer"]);
        EXPECT_EQ(hosts.size(), s["targets"].get_array().size());
      } else if (kind == "staging") {
        EXPECT_TRUE(any([&](const Ev& e) {
          return e["EventID"] == "1" && (e["Image"].find("7za.exe") != std::string::npos || e["Image"].find("Rar.exe") != std::string::npos);
        }));
        EXPECT_TRUE(any([&](const Ev& e) { return e["EventID"] == "11"; }));
      } else if (kind == "exfiltration") {
        std::set<std::string> ext;
        for (simdjson::dom::element ip : c["external_ips"].get_array()) ext.insert(Str(ip));
        EXPECT_TRUE(any([&](const Ev& e) { return e["EventID"] == "3" && ext.count(e["DestinationIp"]); }));
      }
    }
  }
  EXPECT_EQ(total, summary_->campaign_events);
  for (const char* k : {"entry", "explicit_credentials", "rdp_hop", "remote_access_tool", "admin_share_fanout",
                        "staging", "exfiltration"})
    EXPECT_TRUE(kinds.count(k)) << "seed 42 should exercise " << k;
}

TEST_F(SimulateTest, BenignNoiseHasTheLookAlikes) {
  auto idx = Index();
  simdjson::dom::parser parser;
  simdjson::dom::element gt = parser.parse(*gt_text_);
  std::set<const Ev*> injected;
  for (simdjson::dom::element c : gt["campaigns"].get_array())
    for (simdjson::dom::element s : c["steps"].get_array())
      for (simdjson::dom::element r : s["events"].get_array())
        injected.insert(idx.at(Key(Str(r["Computer"]), Str(r["Channel"]),
                                   std::to_string(uint64_t(r["EventRecordID"])))));
  size_t helpdesk_anydesk = 0, anydesk_install = 0, sccm_admin_share = 0, backup_c = 0, teamviewer = 0, rdp_4648 = 0,
         archiver = 0;
  for (const Ev& e : *events_) {
    if (injected.count(&e)) continue;
    const std::string& id = e["EventID"];
    if (id == "22" && e["QueryName"].find(".net.anydesk.com") != std::string::npos) ++helpdesk_anydesk;
    if (id == "7045" && e["ServiceName"] == "AnyDesk Service") ++anydesk_install;
    if (id == "5140" && e["SubjectUserName"] == "svc_sccm" && e["ShareName"] == "\\\\*\\ADMIN$") ++sccm_admin_share;
    if (id == "5140" && e["SubjectUserName"] == "svc_backup" && e["ShareName"] == "\\\\*\\C$") ++backup_c;
    if (id == "3" && e["DestinationPort"] == "5938") ++teamviewer;
    if (id == "4648" && e["ProcessName"] == "C:\\Windows\\System32\\mstsc.exe") ++rdp_4648;
    if (id == "1" && e["Image"].find("7z.exe") != std::string::npos) ++archiver;
  }
  EXPECT_GT(helpdesk_anydesk, 5u);
  EXPECT_GT(anydesk_install, 0u);
  EXPECT_GT(sccm_admin_share, 5u);  // patch night: ADMIN$ on every server
  EXPECT_GT(backup_c, 10u);
  EXPECT_GT(teamviewer, 50u);
  EXPECT_GT(rdp_4648, 5u);
  EXPECT_GT(archiver, 0u);  // developers pack builds with 7z too
  simdjson::dom::object counts = gt["confounders"]["counts"].get_object();
  for (const char* k : {"helpdesk_anydesk", "helpdesk_anydesk_install", "patch_night_fanout", "backup_fanout",
                        "monitor_fanout", "admin_rdp_chain", "late_night_work"})
    EXPECT_FALSE(counts[k].error()) << k;
}

TEST_F(SimulateTest, WorkdayRhythm) {
  // User logons (interactive, unlock, remote interactive) per weekday vs weekend day,
  // and events per hour in office hours vs the small hours (UTC; the sites are UTC+1 here).
  std::map<int64_t, size_t> logons_per_day;
  size_t day_hours = 0, night_hours = 0;
  for (const Ev& e : *events_) {
    const int64_t t = ParseIso8601(e["TimeCreated_SystemTime"]);
    const int64_t day = t / 86'400'000'000'000LL;
    const int hour = int(t / 3'600'000'000'000LL % 24);
    if (e["EventID"] == "4624" && (e["LogonType"] == "2" || e["LogonType"] == "7" || e["LogonType"] == "10"))
      ++logons_per_day[day];
    if (hour >= 7 && hour < 16) ++day_hours;  // 9 office hours
    if (hour < 4) ++night_hours;              // 4 small hours
  }
  double weekday = 0, weekend = 0;
  int nwd = 0, nwe = 0;
  for (const auto& [day, n] : logons_per_day) {
    if ((day + 3) % 7 >= 5) weekend += double(n), ++nwe;
    else weekday += double(n), ++nwd;
  }
  ASSERT_GT(nwd, 0);
  ASSERT_GT(nwe, 0);
  EXPECT_GT(weekday / nwd, 5 * (weekend / nwe));
  EXPECT_GT(day_hours / 9.0, 3 * (night_hours / 4.0));
}

TEST_F(SimulateTest, ScaleAndInventorySanity) {
  const double per_host_day = double(summary_->events) / (150.0 * 10.0);
  EXPECT_GT(per_host_day, 20);
  EXPECT_LT(per_host_day, 300);
  EXPECT_EQ(summary_->hosts, 150u);
  simdjson::dom::parser parser;
  std::string inv_text = ReadFile(*dir_ / "inventory.json");
  simdjson::dom::element inv = parser.parse(inv_text);
  std::map<std::string, int> roles;
  for (simdjson::dom::element h : inv["hosts"].get_array()) ++roles[Str(h["role"])];
  EXPECT_EQ(inv["hosts"].get_array().size(), 150u);
  for (const char* r : {"domain_controller", "file_server", "sql_server", "app_server", "jump_host", "backup_server",
                        "sccm_server", "monitoring_server", "admin_workstation", "workstation"})
    EXPECT_GT(roles[r], 0) << r;
  std::map<std::string, int> kinds;
  for (simdjson::dom::element a : inv["accounts"].get_array()) {
    std::string_view kind = a["kind"];
    ++kinds[std::string(kind)];
    if (kind == "user") {
      EXPECT_FALSE(a["primary_workstation"].error());
    }
  }
  for (const char* k : {"user", "admin", "domain_admin", "shared_admin", "service"}) EXPECT_GT(kinds[k], 0) << k;
  EXPECT_TRUE(fs::exists(*dir_ / "GROUND_TRUTH.md"));
  // A second run into the same directory is refused rather than mixed in.
  sim::SimulateSummary s;
  EXPECT_FALSE(sim::Simulate(SmallOptions(*dir_), &s).ok());
}

}  // namespace
}  // namespace inari
