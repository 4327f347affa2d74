// LogsourceMap: the built-in Windows mapping (Sigma taxonomy appendix and
// SigmaHQ's tests/thor.yml), resolution rules, and user pipelines.
#include "sigma/logsource.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace inari::sigma {
namespace {

namespace fs = std::filesystem;

const fs::path kShared = INARI_SHARED_DATA;
const fs::path kTaxonomy =
    kShared / ".." / "reference" / "sigma-specification" / "specification" / "sigma-appendix-taxonomy.md";
const fs::path kThor = kShared / "sigma" / "tests" / "thor.yml";

constexpr const char* kSysmon = "Microsoft-Windows-Sysmon/Operational";

Logsource LS(std::string product, std::string category, std::string service = "") {
  return Logsource{std::move(product), std::move(category), std::move(service)};
}

const LogsourceTarget* Named(const std::vector<LogsourceTarget>& ts, const std::string& name) {
  for (const LogsourceTarget& t : ts)
    if (t.name == name) return &t;
  return nullptr;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A temporary pipeline file, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    path_ = fs::temp_directory_path() /
            ("inari-logsource-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".yml");
    std::ofstream(path_) << text;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

// ---------------------------------------------------------------------------
// The big ones.

TEST(LogsourceBuiltIn, ProcessCreationIsSysmon1AndSecurity4688) {
  const LogsourceMap m = LogsourceMap::BuiltIn();
  const std::vector<LogsourceTarget> ts = m.Resolve(LS("windows", "process_creation"));
  ASSERT_EQ(ts.size(), 2u);

  const LogsourceTarget* sysmon = Named(ts, "process_creation/sysmon");
  ASSERT_NE(sysmon, nullptr);
  EXPECT_EQ(sysmon->channels, std::vector<std::string>{kSysmon});
  EXPECT_EQ(sysmon->event_ids, std::vector<int64_t>{1});
  EXPECT_TRUE(sysmon->field_renames.empty());

  const LogsourceTarget* security = Named(ts, "process_creation/security");
  ASSERT_NE(security, nullptr);
  EXPECT_EQ(security->channels, std::vector<std::string>{"Security"});
  EXPECT_EQ(security->event_ids, std::vector<int64_t>{4688});
  const std::map<std::string, std::string> want = {
      {"Image", "NewProcessName"},       // thor.yml
      {"ParentImage", "ParentProcessName"},  // thor.yml
      {"ProcessId", "NewProcessId"},     // 4688's ProcessId is the creator
      {"ParentProcessId", "ProcessId"},
      {"LogonId", "SubjectLogonId"},     // pySigma windows_audit_pipeline
  };
  EXPECT_EQ(security->field_renames, want);
  // Fields without a same-valued 4688 equivalent stay unrenamed.
  for (const char* f : {"User", "IntegrityLevel", "OriginalFileName", "ParentCommandLine", "CommandLine"})
    EXPECT_EQ(security->field_renames.count(f), 0u) << f;
}

TEST(LogsourceBuiltIn, SysmonCategories) {
  const LogsourceMap m = LogsourceMap::BuiltIn();
  const std::vector<std::pair<std::string, std::vector<int64_t>>> cases = {
      {"file_change", {2}},           {"network_connection", {3}},   {"sysmon_status", {4, 16}},
      {"process_termination", {5}},   {"driver_load", {6}},          {"image_load", {7}},
      {"create_remote_thread", {8}},  {"raw_access_thread", {9}},    {"process_access", {10}},
      {"file_event", {11}},           {"registry_add", {12}},        {"registry_delete", {12}},
      {"registry_set", {13}},         {"registry_rename", {14}},     {"registry_event", {12, 13, 14}},
      {"create_stream_hash", {15}},   {"pipe_created", {17, 18}},    {"wmi_event", {19, 20, 21}},
      {"dns_query", {22}},            {"file_delete", {23, 26}},     {"clipboard_capture", {24}},
      {"clipboard_change", {24}},     {"process_tampering", {25}},   {"file_delete_detected", {26}},
      {"file_block_executable", {27}}, {"file_block_shredding", {28}}, {"file_executable_detected", {29}},
      {"sysmon_error", {255}},
  };
  for (const auto& [category, ids] : cases) {
    const std::vector<LogsourceTarget> ts = m.Resolve(LS("windows", category));
    ASSERT_EQ(ts.size(), 1u) << category;
    EXPECT_EQ(ts[0].channels, std::vector<std::string>{kSysmon}) << category;
    EXPECT_EQ(ts[0].event_ids, ids) << category;
    EXPECT_TRUE(ts[0].field_renames.empty()) << category;
  }
}

TEST(LogsourceBuiltIn, PowerShellCategories) {
  const LogsourceMap m = LogsourceMap::BuiltIn();
  const std::vector<std::string> ps = {"Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"};
  struct Case {
    const char* category;
    std::vector<std::string> channels;
    int64_t id;
  };
  for (const Case& c : {Case{"ps_module", ps, 4103}, Case{"ps_script", ps, 4104},
                        Case{"ps_classic_start", {"Windows PowerShell"}, 400},
                        Case{"ps_classic_provider_start", {"Windows PowerShell"}, 600},
                        Case{"ps_classic_script", {"Windows PowerShell"}, 800}}) {
    const std::vector<LogsourceTarget> ts = m.Resolve(LS("windows", c.category));
    ASSERT_EQ(ts.size(), 1u) << c.category;
    EXPECT_EQ(ts[0].channels, c.channels) << c.category;
    EXPECT_EQ(ts[0].event_ids, std::vector<int64_t>{c.id}) << c.category;
  }
}

TEST(LogsourceBuiltIn, Services) {
  const LogsourceMap m = LogsourceMap::BuiltIn();
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"security", {"Security"}},
      {"system", {"System"}},
      {"application", {"Application"}},
      {"sysmon", {kSysmon}},
      {"powershell", {"Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"}},
      {"powershell-classic", {"Windows PowerShell"}},
      {"taskscheduler", {"Microsoft-Windows-TaskScheduler/Operational"}},
      {"wmi", {"Microsoft-Windows-WMI-Activity/Operational"}},
      {"dns-server", {"DNS Server"}},
      {"driver-framework", {"Microsoft-Windows-DriverFrameworks-UserMode/Operational"}},
      {"terminalservices-localsessionmanager", {"Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"}},
      {"applocker",
       {"Microsoft-Windows-AppLocker/MSI and Script", "Microsoft-Windows-AppLocker/EXE and DLL",
        "Microsoft-Windows-AppLocker/Packaged app-Deployment", "Microsoft-Windows-AppLocker/Packaged app-Execution"}},
      {"ldap", {"Microsoft-Windows-LDAP-Client/Debug"}},
      {"ldap_debug", {"Microsoft-Windows-LDAP-Client/Debug"}},
      {"microsoft-servicebus-client", {"Microsoft-ServiceBus-Client/Operational", "Microsoft-ServiceBus-Client/Admin"}},
  };
  for (const auto& [service, channels] : cases) {
    const std::vector<LogsourceTarget> ts = m.Resolve(LS("windows", "", service));
    ASSERT_EQ(ts.size(), 1u) << service;
    EXPECT_EQ(ts[0].channels, channels) << service;
    EXPECT_TRUE(ts[0].event_ids.empty()) << service;
  }
}

TEST(LogsourceBuiltIn, ProductAloneCoversEveryWindowsEvent) {
  const std::vector<LogsourceTarget> ts = LogsourceMap::BuiltIn().Resolve(LS("windows", ""));
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_TRUE(ts[0].channels.empty());
  EXPECT_TRUE(ts[0].event_ids.empty());
  EXPECT_TRUE(ts[0].providers.empty());
  EXPECT_TRUE(ts[0].field_renames.empty());
}

TEST(LogsourceBuiltIn, NotWindowsOrUnknownIsEmpty) {
  const LogsourceMap m = LogsourceMap::BuiltIn();
  for (const Logsource& ls :
       {LS("linux", "process_creation"), LS("macos", "file_event"), LS("aws", "", "cloudtrail"),
        LS("azure", "", "signinlogs"), LS("linux", "", "auth"), LS("", "proxy"), LS("", "webserver"),
        LS("", "dns"),  // the generic DNS category is not the Windows DNS client log
        LS("", "firewall"), LS("windows", "no_such_category"), LS("windows", "", "no-such-service"),
        LS("windows", "process_creation", "no-such-service"), LS("", "")}) {
    EXPECT_TRUE(m.Resolve(ls).empty()) << ls.product << "/" << ls.category << "/" << ls.service;
  }
}

TEST(LogsourceBuiltIn, CategoryWithoutProductIsGeneric) {
  const LogsourceMap m = LogsourceMap::BuiltIn();
  EXPECT_EQ(m.Resolve(LS("", "process_creation")).size(), 2u);
  EXPECT_EQ(m.Resolve(LS("", "dns_query")).size(), 1u);
}

TEST(LogsourceBuiltIn, MatchingIgnoresCase) {
  const LogsourceMap m = LogsourceMap::BuiltIn();
  EXPECT_EQ(m.Resolve(LS("Windows", "Process_Creation")).size(), 2u);
  EXPECT_EQ(m.Resolve(LS("WINDOWS", "", "Security")).size(), 1u);
}

TEST(LogsourceBuiltIn, CategoryAndServiceNarrowToTheServicesChannels) {
  const LogsourceMap m = LogsourceMap::BuiltIn();
  std::vector<LogsourceTarget> ts = m.Resolve(LS("windows", "process_creation", "sysmon"));
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].name, "process_creation/sysmon");
  ts = m.Resolve(LS("windows", "process_creation", "security"));
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].name, "process_creation/security");
  EXPECT_EQ(m.Resolve(LS("windows", "ps_script", "powershell")).size(), 1u);
  EXPECT_TRUE(m.Resolve(LS("windows", "process_creation", "system")).empty());
}

TEST(LogsourceBuiltIn, AntivirusIsDefenderWithThorsFieldMapping) {
  const LogsourceMap m = LogsourceMap::BuiltIn();
  for (const Logsource& ls : {LS("", "antivirus"), LS("windows", "antivirus")}) {
    const std::vector<LogsourceTarget> ts = m.Resolve(ls);
    ASSERT_EQ(ts.size(), 1u);
    EXPECT_EQ(ts[0].channels, std::vector<std::string>{"Microsoft-Windows-Windows Defender/Operational"});
    EXPECT_EQ(ts[0].event_ids.size(), 12u);
    EXPECT_NE(std::find(ts[0].event_ids.begin(), ts[0].event_ids.end(), 1116), ts[0].event_ids.end());
    EXPECT_EQ(ts[0].field_renames.at("Signature"), "Threat Name");
    EXPECT_EQ(ts[0].field_renames.at("Filename"), "Path");
  }
}

TEST(LogsourceBuiltIn, DefenderFieldsWithSpaces) {
  // SigmaHQ writes NewValue / Feature_Name; the events say "New Value" / "Feature Name".
  const std::vector<LogsourceTarget> ts = LogsourceMap::BuiltIn().Resolve(LS("windows", "", "windefend"));
  ASSERT_EQ(ts.size(), 1u);
  const auto& r = ts[0].field_renames;
  EXPECT_EQ(r.at("NewValue"), "New Value");
  EXPECT_EQ(r.at("OldValue"), "Old Value");
  EXPECT_EQ(r.at("ProcessName"), "Process Name");
  EXPECT_EQ(r.at("Feature_Name"), "Feature Name");
  EXPECT_EQ(r.at("ThreatName"), "Threat Name");
  EXPECT_EQ(r.count("Path"), 0u);
}

TEST(LogsourceBuiltIn, KernelFileCategoriesUseTheEtwProvider) {
  const LogsourceMap m = LogsourceMap::BuiltIn();
  for (const char* category : {"file_access", "file_rename"}) {
    const std::vector<LogsourceTarget> ts = m.Resolve(LS("windows", category));
    ASSERT_EQ(ts.size(), 1u) << category;
    EXPECT_TRUE(ts[0].channels.empty());
    EXPECT_EQ(ts[0].providers, std::vector<std::string>{"Microsoft-Windows-Kernel-File"});
  }
}

// ---------------------------------------------------------------------------
// Against the sources the mapping is built from.

// Every Windows category and service row of the taxonomy appendix resolves;
// where the row names channels, the target has exactly those.
TEST(LogsourceSources, EveryTaxonomyWindowsRowResolves) {
  std::ifstream in(kTaxonomy);
  if (!in) GTEST_SKIP() << "no " << kTaxonomy;
  const LogsourceMap m = LogsourceMap::BuiltIn();
  const std::regex row(R"(^\|\s*windows\s*\|\s*product: windows<br>(category|service): ([a-z0-9_\-]+)\s*\|(.*)\|\s*$)");
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    std::smatch mt;
    if (!std::regex_match(line, mt, row)) continue;
    ++rows;
    const bool is_service = mt[1] == "service";
    const std::string name = mt[2];
    const std::string desc = mt[3];
    const std::vector<LogsourceTarget> ts =
        m.Resolve(is_service ? LS("windows", "", name) : LS("windows", name));
    ASSERT_FALSE(ts.empty()) << line;
    // Channels named in the description ("Channel: X" or "<br> - X").
    std::set<std::string> want;
    const std::regex ch(R"((?:Channel:\s*|<br>\s*-\s*)(?:WinEventLog:)?([A-Za-z][A-Za-z0-9 \-/]+?)\s*(?=<br>|$))");
    for (auto it = std::sregex_iterator(desc.begin(), desc.end(), ch); it != std::sregex_iterator(); ++it) {
      const std::string c = (*it)[1];
      if (c.find('/') != std::string::npos || c.find(' ') != std::string::npos || c == "Security" ||
          c == "System" || c == "Application" || c.rfind("Microsoft-", 0) == 0)
        want.insert(Lower(c));
    }
    if (want.empty()) continue;  // "ETW Provider: ..." rows
    std::set<std::string> got;
    for (const LogsourceTarget& t : ts)
      for (const std::string& c : t.channels) got.insert(Lower(c));
    // process_creation has the Security alternative besides the taxonomy's Sysmon.
    for (const std::string& w : want) EXPECT_TRUE(got.count(w)) << name << ": missing channel " << w;
  }
  EXPECT_GT(rows, 70) << "taxonomy table format changed?";
}

// Every Windows service in thor.yml has the channels of its `sources`, and
// every category has its EventIDs.
TEST(LogsourceSources, AgreesWithThorYml) {
  if (!fs::exists(kThor)) GTEST_SKIP() << "no " << kThor;
  const YAML::Node thor = YAML::LoadFile(kThor.string());
  const LogsourceMap m = LogsourceMap::BuiltIn();
  int checked = 0;
  for (const auto& kv : thor["logsources"]) {
    const YAML::Node& d = kv.second;
    const std::string product = d["product"] ? d["product"].as<std::string>() : "";
    const std::string category = d["category"] ? d["category"].as<std::string>() : "";
    const std::string service = d["service"] ? d["service"].as<std::string>() : "";
    const bool windows_rewrite = d["rewrite"] && d["rewrite"]["product"].as<std::string>() == "windows";
    if (product != "windows" && !windows_rewrite) continue;
    const std::vector<LogsourceTarget> ts = m.Resolve(LS(product, category, service));
    ASSERT_FALSE(ts.empty()) << kv.first.as<std::string>();
    ++checked;
    if (d["sources"]) {
      std::set<std::string> want, got;
      for (const auto& s : d["sources"]) want.insert(Lower(s.as<std::string>().substr(strlen("WinEventLog:"))));
      for (const LogsourceTarget& t : ts)
        for (const std::string& c : t.channels) got.insert(Lower(c));
      EXPECT_EQ(got, want) << kv.first.as<std::string>();
    }
    if (d["conditions"] && d["conditions"]["EventID"]) {
      std::vector<int64_t> want;
      const YAML::Node ids = d["conditions"]["EventID"];
      if (ids.IsSequence())
        for (const auto& x : ids) want.push_back(x.as<int64_t>());
      else
        want.push_back(ids.as<int64_t>());
      bool found = false;
      for (const LogsourceTarget& t : ts)
        found |= std::all_of(want.begin(), want.end(), [&](int64_t id) {
          return std::find(t.event_ids.begin(), t.event_ids.end(), id) != t.event_ids.end();
        });
      EXPECT_TRUE(found) << kv.first.as<std::string>();
    }
    if (d["fieldmappings"]) {
      for (const auto& f : d["fieldmappings"]) {
        bool found = false;
        for (const LogsourceTarget& t : ts) {
          auto it = t.field_renames.find(f.first.as<std::string>());
          // thor writes Defender's "Threat Name" without its space.
          found |= it != t.field_renames.end() &&
                   (it->second == f.second.as<std::string>() || it->second == "Threat Name");
        }
        EXPECT_TRUE(found) << kv.first.as<std::string>() << ": " << f.first.as<std::string>();
      }
    }
  }
  EXPECT_GT(checked, 80);
}

// Every logsource of every SigmaHQ rule for Windows (rules, emerging threats,
// threat hunting, placeholder rules) resolves to at least one target.
TEST(LogsourceSources, EverySigmaHQWindowsRuleResolves) {
  const fs::path sigma = kShared / "sigma";
  if (!fs::is_directory(sigma)) GTEST_SKIP() << "no " << sigma;
  const LogsourceMap m = LogsourceMap::BuiltIn();
  std::set<std::string> seen_services, seen_categories, failures;
  size_t rules = 0;
  for (const auto& top : fs::directory_iterator(sigma)) {
    if (!top.is_directory() || top.path().filename().string().rfind("rules", 0) != 0) continue;
    for (auto it = fs::recursive_directory_iterator(top.path()); it != fs::recursive_directory_iterator(); ++it) {
      if (!it->is_regular_file() || it->path().extension() != ".yml") continue;
      std::vector<YAML::Node> docs;
      try {
        docs = YAML::LoadAllFromFile(it->path().string());
      } catch (const YAML::Exception&) {
        continue;  // the loader's tests cover broken files
      }
      for (const YAML::Node& d : docs) {
        if (!d.IsMap() || !d["logsource"] || !d["logsource"].IsMap()) continue;
        const YAML::Node ls = d["logsource"];
        auto get = [&](const char* k) { return ls[k] ? Lower(ls[k].as<std::string>()) : std::string(); };
        const Logsource l = LS(get("product"), get("category"), get("service"));
        if (l.product != "windows") continue;
        ++rules;
        if (!l.service.empty()) seen_services.insert(l.service);
        if (!l.category.empty()) seen_categories.insert(l.category);
        if (m.Resolve(l).empty())
          failures.insert(l.product + "/" + l.category + "/" + l.service + " (" + it->path().string() + ")");
      }
    }
  }
  if (rules == 0) GTEST_SKIP() << "no SigmaHQ rules under " << sigma;
  EXPECT_TRUE(failures.empty()) << [&] {
    std::string s;
    for (const std::string& f : failures) s += f + "\n";
    return s;
  }();
  // Guard against a scan that silently found nothing.
  EXPECT_GT(rules, 2000u);
  EXPECT_GE(seen_services.size(), 30u);
  EXPECT_GE(seen_categories.size(), 25u);
  for (const char* s : {"security", "system", "application", "windefend", "terminalservices-localsessionmanager"})
    EXPECT_TRUE(seen_services.count(s)) << s;
}

// ---------------------------------------------------------------------------
// Pipelines.

TEST(LogsourcePipeline, OverridesOneEntryAndAddsAnother) {
  TempFile f(R"(title: site pipeline
logsources:
  # Process creation here comes only from Security 4688, with more renames.
  proc:
    category: process_creation
    product: windows
    conditions:
      EventID: 4688
      Channel: Security
    fieldmappings:
      Image: NewProcessName
      CommandLine: ProcessCommandLine
  # RDP authentication, a channel the taxonomy has no service for.
  rcm:
    product: windows
    service: terminalservices-remoteconnectionmanager
    sources:
      - 'WinEventLog:Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational'
  # A category on top of an existing service, by rewrite.
  rdp_logon:
    category: rdp_logon
    product: windows
    conditions:
      EventID: [21, 25]
    rewrite:
      product: windows
      service: terminalservices-localsessionmanager
)");
  LogsourceMap m = LogsourceMap::BuiltIn();
  const Status s = m.LoadPipeline(f.path());
  ASSERT_TRUE(s.ok()) << s.ToString();

  std::vector<LogsourceTarget> ts = m.Resolve(LS("windows", "process_creation"));
  ASSERT_EQ(ts.size(), 1u);  // the Sysmon and the built-in 4688 alternatives are replaced
  EXPECT_EQ(ts[0].name, "proc");
  EXPECT_EQ(ts[0].channels, std::vector<std::string>{"Security"});
  EXPECT_EQ(ts[0].event_ids, std::vector<int64_t>{4688});
  EXPECT_EQ(ts[0].field_renames.size(), 2u);
  EXPECT_EQ(ts[0].field_renames.at("CommandLine"), "ProcessCommandLine");

  ts = m.Resolve(LS("windows", "", "terminalservices-remoteconnectionmanager"));
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].channels,
            std::vector<std::string>{"Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"});

  ts = m.Resolve(LS("windows", "rdp_logon"));
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].channels,
            std::vector<std::string>{"Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"});
  EXPECT_EQ(ts[0].event_ids, (std::vector<int64_t>{21, 25}));

  // Untouched entries stay.
  EXPECT_EQ(m.Resolve(LS("windows", "dns_query")).size(), 1u);
  EXPECT_EQ(m.Resolve(LS("windows", "", "security")).size(), 1u);
}

TEST(LogsourcePipeline, SameKeyTwiceInOneFileGivesAlternatives) {
  TempFile f(R"(logsources:
  a:
    category: image_load
    product: windows
    conditions: {EventID: 7, Channel: Microsoft-Windows-Sysmon/Operational}
  b:
    category: image_load
    product: windows
    conditions: {Provider_Name: My-ImageLoad-Sensor}
)");
  LogsourceMap m = LogsourceMap::BuiltIn();
  ASSERT_TRUE(m.LoadPipeline(f.path()).ok());
  const std::vector<LogsourceTarget> ts = m.Resolve(LS("windows", "image_load"));
  ASSERT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts[1].providers, std::vector<std::string>{"My-ImageLoad-Sensor"});
}

TEST(LogsourcePipeline, BadYamlGivesFileAndLine) {
  TempFile f("logsources:\n  a:\n    category: x\n    product: windows\n    conditions: {EventID: [1, 2}\n");
  LogsourceMap m = LogsourceMap::BuiltIn();
  const Status s = m.LoadPipeline(f.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kParseError);
  EXPECT_NE(s.ToString().find(f.path() + ":5"), std::string::npos) << s.ToString();
  // A failed load leaves the map as it was.
  EXPECT_EQ(m.Resolve(LS("windows", "process_creation")).size(), 2u);
}

TEST(LogsourcePipeline, SemanticErrorsGiveTheLine) {
  LogsourceMap m = LogsourceMap::BuiltIn();
  struct Case {
    const char* text;
    int line;
    Code code;
  };
  const Case cases[] = {
      {"logsources:\n  a:\n    product: windows\n    category: c\n    conditions:\n      EventID: one\n", 6,
       Code::kParseError},
      {"logsources:\n  a:\n    product: windows\n    category: c\n    conditions:\n      EventType: CreateKey\n", 6,
       Code::kNotSupported},
      {"logsources:\n  a:\n    product: windows\n    categroy: c\n", 4, Code::kParseError},
      {"logsources:\n  a:\n    product: windows\n    category: c\n    rewrite:\n      service: nope\n", 2,
       Code::kInvalidArgument},
      {"logsources:\n  a:\n    product: windows\n    service: s\n", 2, Code::kInvalidArgument},
      {"logsources:\n  a:\n    product: windows\n    category: c\n    conditions: {EventID: 1}\n    fieldmappings:\n"
       "      Image: [A, B]\n",
       7, Code::kNotSupported},
      {"logsources: [a, b]\n", 1, Code::kParseError},
  };
  for (const Case& c : cases) {
    TempFile f(c.text);
    const Status s = m.LoadPipeline(f.path());
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_EQ(s.code(), c.code) << s.ToString();
    EXPECT_NE(s.ToString().find(f.path() + ":" + std::to_string(c.line)), std::string::npos) << s.ToString();
  }
  EXPECT_EQ(m.LoadPipeline("/nonexistent/inari/pipeline.yml").code(), Code::kNotFound);
}

TEST(LogsourcePipeline, NonWindowsEntriesAreIgnored) {
  TempFile f(R"(logsources:
  linux-auth:
    product: linux
    service: auth
    sources: ["File:/var/log/auth.log"]
  apache:
    category: webserver
    sources: ["File:/var/log/apache/*.log"]
)");
  LogsourceMap m = LogsourceMap::BuiltIn();
  ASSERT_TRUE(m.LoadPipeline(f.path()).ok());
  EXPECT_TRUE(m.Resolve(LS("linux", "", "auth")).empty());
  EXPECT_TRUE(m.Resolve(LS("", "webserver")).empty());
}

// thor.yml itself: its registry_add/registry_delete entries test EventType,
// which a logsource target cannot express, so the load stops there and names
// the line. Without those three entries the file loads and gives the same
// answers as the built-in mapping.
TEST(LogsourcePipeline, ThorYml) {
  std::ifstream in(kThor);
  if (!in) GTEST_SKIP() << "no " << kThor;
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);

  LogsourceMap m = LogsourceMap::BuiltIn();
  const Status s = m.LoadPipeline(kThor.string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kNotSupported);
  int event_type_line = 0;
  for (size_t i = 0; i < lines.size() && !event_type_line; ++i)
    if (lines[i].find("EventType:") != std::string::npos) event_type_line = static_cast<int>(i) + 1;
  EXPECT_NE(s.ToString().find(kThor.string() + ":" + std::to_string(event_type_line)), std::string::npos)
      << s.ToString();

  // Drop the blocks that use EventType.
  std::ostringstream kept;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l == "    registry_add:" || l == "    registry_delete_key:" || l == "    registry_delete_value:") {
      while (i + 1 < lines.size() && lines[i + 1].rfind("        ", 0) == 0) ++i;
      continue;
    }
    kept << l << "\n";
  }
  TempFile f(kept.str());
  LogsourceMap t = LogsourceMap::BuiltIn();
  const Status ok = t.LoadPipeline(f.path());
  ASSERT_TRUE(ok.ok()) << ok.ToString();
  std::vector<LogsourceTarget> ts = t.Resolve(LS("windows", "process_creation"));
  ASSERT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts[0].channels, std::vector<std::string>{kSysmon});
  EXPECT_EQ(ts[0].event_ids, std::vector<int64_t>{1});
  EXPECT_EQ(ts[1].channels, std::vector<std::string>{"Security"});
  EXPECT_EQ(ts[1].event_ids, std::vector<int64_t>{4688});
  EXPECT_EQ(ts[1].field_renames.size(), 2u);  // thor's own mapping replaced ours
  ts = t.Resolve(LS("", "antivirus"));
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].channels, std::vector<std::string>{"Microsoft-Windows-Windows Defender/Operational"});
  EXPECT_EQ(ts[0].field_renames.at("Signature"), "ThreatName");  // as thor writes it
  ts = t.Resolve(LS("windows", "", "powershell"));
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].channels.size(), 2u);
  EXPECT_TRUE(t.Resolve(LS("linux", "", "auth")).empty());
}

}  // namespace
}  // namespace inari::sigma
