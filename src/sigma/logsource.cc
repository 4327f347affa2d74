// Logsource mapping: Sigma (product, category, service) → Windows event log
// targets. The built-in facts come from two public sources, cited per table:
//
//  [T] Sigma taxonomy appendix v2.1.0, "Windows Folder" (category and service
//      tables): reference/sigma-specification/specification/sigma-appendix-taxonomy.md
//  [H] SigmaHQ's tests/thor.yml (the logsource configuration their CI uses):
//      `conditions`, `rewrite`, `sources` and `fieldmappings` per logsource.
//  [P] pySigma's windows_audit_pipeline (LogonId → SubjectLogonId for 4688)
//      and windows_logsource_mapping (old service names `ldap_debug`,
//      `microsoft-servicebus-client`).
//
// docs/sigma.md ("Logsource mapping") explains each decision that goes beyond
// those sources.

#include "sigma/logsource.h"
#include "base/ascii.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

namespace inari::sigma {

namespace {

constexpr std::string_view kProductWindows = "windows";
constexpr const char* kSysmonChannel = "Microsoft-Windows-Sysmon/Operational";

// ---------------------------------------------------------------------------
// Services → channels. [T] service table; [H] "target system configurations";
// aliases from [P] and from the comment in SigmaHQ's HybridConnectionManager
// rule ("Change to servicebus-client once validators are up to date").
struct ServiceDef {
  const char* service;
  std::vector<const char*> channels;
};

const std::vector<ServiceDef>& Services() {
  static const std::vector<ServiceDef> kServices = {
      {"application", {"Application"}},
      {"application-experience",
       {"Microsoft-Windows-Application-Experience/Program-Telemetry",
        "Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant"}},
      {"applocker",
       {"Microsoft-Windows-AppLocker/MSI and Script", "Microsoft-Windows-AppLocker/EXE and DLL",
        "Microsoft-Windows-AppLocker/Packaged app-Deployment", "Microsoft-Windows-AppLocker/Packaged app-Execution"}},
      {"appmodel-runtime", {"Microsoft-Windows-AppModel-Runtime/Admin"}},
      {"appxdeployment-server", {"Microsoft-Windows-AppXDeploymentServer/Operational"}},
      {"appxpackaging-om", {"Microsoft-Windows-AppxPackaging/Operational"}},
      {"bitlocker", {"Microsoft-Windows-BitLocker/BitLocker Management"}},
      {"bits-client", {"Microsoft-Windows-Bits-Client/Operational"}},
      {"capi2", {"Microsoft-Windows-CAPI2/Operational"}},
      {"certificateservicesclient-lifecycle-system",
       {"Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational"}},
      {"codeintegrity-operational", {"Microsoft-Windows-CodeIntegrity/Operational"}},
      {"dhcp", {"Microsoft-Windows-DHCP-Server/Operational"}},
      {"diagnosis-scripted", {"Microsoft-Windows-Diagnosis-Scripted/Operational"}},
      {"dns-client", {"Microsoft-Windows-DNS Client Events/Operational"}},
      {"dns-server", {"DNS Server"}},
      {"dns-server-analytic", {"Microsoft-Windows-DNS-Server/Analytical"}},
      {"dns-server-audit", {"Microsoft-Windows-DNS-Server/Audit"}},
      {"driver-framework", {"Microsoft-Windows-DriverFrameworks-UserMode/Operational"}},
      {"firewall-as", {"Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"}},
      {"hyper-v-worker", {"Microsoft-Windows-Hyper-V-Worker"}},
      {"iis-configuration", {"Microsoft-IIS-Configuration/Operational"}},
      {"kernel-event-tracing", {"Microsoft-Windows-Kernel-EventTracing"}},
      {"kernel-shimengine",
       {"Microsoft-Windows-Kernel-ShimEngine/Operational", "Microsoft-Windows-Kernel-ShimEngine/Diagnostic"}},
      {"ldap", {"Microsoft-Windows-LDAP-Client/Debug"}},
      {"ldap_debug", {"Microsoft-Windows-LDAP-Client/Debug"}},  // taxonomy < 2.0 name [P]
      {"lsa-server", {"Microsoft-Windows-LSA/Operational"}},
      {"msexchange-management", {"MSExchange Management"}},
      {"ntfs", {"Microsoft-Windows-Ntfs/Operational"}},
      {"ntlm", {"Microsoft-Windows-NTLM/Operational"}},
      {"openssh", {"OpenSSH/Operational"}},
      {"powershell", {"Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"}},
      {"powershell-classic", {"Windows PowerShell"}},
      {"printservice-admin", {"Microsoft-Windows-PrintService/Admin"}},
      {"printservice-operational", {"Microsoft-Windows-PrintService/Operational"}},
      {"security", {"Security"}},
      {"security-mitigations",
       {"Microsoft-Windows-Security-Mitigations/Kernel Mode", "Microsoft-Windows-Security-Mitigations/User Mode"}},
      {"sense", {"Microsoft-Windows-SENSE/Operational"}},
      {"servicebus-client", {"Microsoft-ServiceBus-Client/Operational", "Microsoft-ServiceBus-Client/Admin"}},
      {"microsoft-servicebus-client",  // old name still used by SigmaHQ rules
       {"Microsoft-ServiceBus-Client/Operational", "Microsoft-ServiceBus-Client/Admin"}},
      {"shell-core", {"Microsoft-Windows-Shell-Core/Operational"}},
      {"smbclient-connectivity", {"Microsoft-Windows-SmbClient/Connectivity"}},  // [H]
      {"smbclient-security", {"Microsoft-Windows-SmbClient/Security"}},
      {"smbserver-connectivity", {"Microsoft-Windows-SMBServer/Connectivity"}},  // [H]
      {"sysmon", {kSysmonChannel}},
      {"system", {"System"}},
      {"taskscheduler", {"Microsoft-Windows-TaskScheduler/Operational"}},
      {"terminalservices-localsessionmanager",
       {"Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"}},
      {"vhdmp", {"Microsoft-Windows-VHDMP/Operational"}},
      {"windefend", {"Microsoft-Windows-Windows Defender/Operational"}},
      {"wmi", {"Microsoft-Windows-WMI-Activity/Operational"}},
  };
  return kServices;
}

// ---------------------------------------------------------------------------
// Sysmon-backed categories: [T] category table, [H] per-category EventIDs.
// file_delete also takes Sysmon 26 (FileDeleteDetected: the same deletion,
// logged without archiving the file; same fields) — see docs/sigma.md.
// clipboard_change is [H]'s name for [T]'s clipboard_capture.
struct SysmonCategory {
  const char* category;
  std::vector<int64_t> event_ids;
};

const std::vector<SysmonCategory>& SysmonCategories() {
  static const std::vector<SysmonCategory> kCategories = {
      {"process_creation", {1}},
      {"file_change", {2}},
      {"network_connection", {3}},
      {"sysmon_status", {4, 16}},
      {"process_termination", {5}},
      {"driver_load", {6}},
      {"image_load", {7}},
      {"create_remote_thread", {8}},
      {"raw_access_thread", {9}},
      {"process_access", {10}},
      {"file_event", {11}},
      {"registry_event", {12, 13, 14}},
      {"registry_add", {12}},
      {"registry_delete", {12}},
      {"registry_set", {13}},
      {"registry_rename", {14}},
      {"create_stream_hash", {15}},
      {"pipe_created", {17, 18}},
      {"wmi_event", {19, 20, 21}},
      {"dns_query", {22}},
      {"file_delete", {23, 26}},
      {"clipboard_capture", {24}},
      {"clipboard_change", {24}},
      {"process_tampering", {25}},
      {"file_delete_detected", {26}},
      {"file_block_executable", {27}},
      {"file_block_shredding", {28}},
      {"file_executable_detected", {29}},
      {"sysmon_error", {255}},
  };
  return kCategories;
}

// Sysmon EventID 1 field → Security 4688 field. Image and ParentImage are [H];
// LogonId is [P]. ProcessId/ParentProcessId: 4688 names the new process
// NewProcessId and its creator ProcessId, both HexInt64 ("0x1f4"), where Sysmon
// has decimal numbers; a rule's number compares by value only where the
// matcher compares numbers (docs/sigma.md). Without the renames a rule on
// ProcessId would test the creator's id: worse than no match.
// Not renamed, because 4688 has no field with the same values: User (4688
// splits name and domain, and its Subject is the creator), IntegrityLevel
// (4688 MandatoryLabel holds a SID such as S-1-16-12288, not "High"),
// OriginalFileName, Product, Company, Description, FileVersion, Hashes,
// ParentCommandLine, ParentUser, CurrentDirectory, ProcessGuid, LogonGuid,
// TerminalSessionId. CommandLine has the same name in both.
const std::map<std::string, std::string>& Security4688Renames() {
  static const std::map<std::string, std::string> kRenames = {
      {"Image", "NewProcessName"},
      {"ParentImage", "ParentProcessName"},
      {"ProcessId", "NewProcessId"},
      {"ParentProcessId", "ProcessId"},
      {"LogonId", "SubjectLogonId"},
  };
  return kRenames;
}

// Microsoft Defender's EventData names contain spaces ("Threat Name",
// "New Value"), kept as-is by inari's readers (docs/event-model.md). SigmaHQ
// rules write them without spaces (NewValue, ProcessName, SourceName) or with
// underscores (Feature_Name). Both spellings are renamed to the real name.
// Names seen in SigmaHQ's regression EVTX files and in Microsoft's
// "Microsoft Defender Antivirus event IDs" page (1116/1117, 1121/1122 ASR,
// 5001/5007/5013).
const std::vector<const char*>& DefenderSpacedNames() {
  static const std::vector<const char*> kNames = {
      "Action ID", "Action Name", "Additional Actions ID", "Additional Actions String", "Category ID",
      "Category Name", "Detection ID", "Detection Time", "Detection User", "Engine Version", "Error Code",
      "Error Description", "Execution ID", "Execution Name", "Feature ID", "Feature Name", "Origin ID",
      "Origin Name", "Post Clean Status", "Pre Execution Status", "Process Name", "Product Name",
      "Product Version", "Remediation User", "Security intelligence Version", "Severity ID", "Severity Name",
      "Source ID", "Source Name", "Status Code", "Status Description", "Threat ID", "Threat Name", "Type ID",
      "Type Name", "Old Value", "New Value", "Target Commandline", "Parent Commandline", "Involved File",
      "Inherit from parent"};
  return kNames;
}

std::map<std::string, std::string> DefenderRenames() {
  std::map<std::string, std::string> out;
  for (const char* spaced : DefenderSpacedNames()) {
    std::string joined, underscored;
    for (const char* p = spaced; *p; ++p) {
      if (*p != ' ') joined += *p;
      underscored += *p == ' ' ? '_' : *p;
    }
    out[joined] = spaced;
    out[underscored] = spaced;
  }
  return out;
}

std::vector<std::string> ToStrings(const std::vector<const char*>& v) { return {v.begin(), v.end()}; }

LogsourceTarget Target(std::string name, std::vector<std::string> channels, std::vector<int64_t> event_ids = {},
                       std::vector<std::string> providers = {}, std::map<std::string, std::string> renames = {}) {
  LogsourceTarget t;
  t.channels = std::move(channels);
  t.event_ids = std::move(event_ids);
  t.providers = std::move(providers);
  t.field_renames = std::move(renames);
  t.name = std::move(name);
  return t;
}

// ---------------------------------------------------------------------------
// Pipeline YAML helpers.

std::string Where(const std::string& path, const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  return m.is_null() ? path : fmt::format("{}:{}", path, m.line + 1);
}

bool ScalarList(const YAML::Node& n, std::vector<std::string>* out) {
  if (n.IsScalar()) {
    out->push_back(n.Scalar());
    return true;
  }
  if (!n.IsSequence()) return false;
  for (const YAML::Node& x : n) {
    if (!x.IsScalar()) return false;
    out->push_back(x.Scalar());
  }
  return true;
}

bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size() || s.size() - i > 18) return false;
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = s[0] == '-' ? -v : v;
  return true;
}

struct PendingEntry {
  Logsource match;
  LogsourceTarget target;
  std::string rewrite_service;  // channels come from this service unless conditions give Channel
  std::string where;            // file:line of the entry, for messages
  bool windows = true;          // false: a non-Windows source (File:..., product linux); ignored
};

}  // namespace

// ---------------------------------------------------------------------------

LogsourceMap LogsourceMap::BuiltIn() {
  LogsourceMap m;
  auto add = [&m](std::string product, std::string category, std::string service, LogsourceTarget t) {
    m.entries_.push_back(Entry{Logsource{std::move(product), std::move(category), std::move(service)}, std::move(t)});
  };

  // product: windows alone: every Windows event.
  add(std::string(kProductWindows), "", "", Target("windows", {}));

  for (const ServiceDef& s : Services())
    add(std::string(kProductWindows), "", s.service,
        Target(s.service, ToStrings(s.channels)));

  for (const SysmonCategory& c : SysmonCategories())
    add(std::string(kProductWindows), c.category, "",
        Target(fmt::format("{}/sysmon", c.category), {kSysmonChannel}, c.event_ids));

  // process_creation, second alternative: Security 4688 [H], renames above.
  add(std::string(kProductWindows), "process_creation", "",
      Target("process_creation/security", {"Security"}, {4688}, {}, Security4688Renames()));

  // PowerShell categories [T] [H].
  const std::vector<std::string> ps_channels = {"Microsoft-Windows-PowerShell/Operational",
                                                "PowerShellCore/Operational"};
  add(std::string(kProductWindows), "ps_module", "",
      Target("ps_module/powershell", ps_channels, {4103}));
  add(std::string(kProductWindows), "ps_script", "",
      Target("ps_script/powershell", ps_channels, {4104}));
  const std::pair<const char*, int64_t> classic[] = {
      {"ps_classic_start", 400}, {"ps_classic_provider_start", 600}, {"ps_classic_script", 800}};
  for (const auto& [category, id] : classic)
    add(std::string(kProductWindows), category, "",
        Target(fmt::format("{}/powershell-classic", category), {"Windows PowerShell"}, {id}));

  // file_access and file_rename: [T] names the ETW provider
  // Microsoft-Windows-Kernel-File, not an event log channel. Events from it
  // (collected through ETW, e.g. as JSON) carry that Provider_Name.
  for (const char* category : {"file_access", "file_rename"})
    add(std::string(kProductWindows), category, "",
        Target(fmt::format("{}/kernel-file", category), {}, {}, {"Microsoft-Windows-Kernel-File"}));

  // Defender: the windefend service gets the spelling renames; the generic
  // antivirus category maps onto its detection events with [H]'s field
  // mapping (Signature → ThreatName, Filename → Path), written with the real
  // Data names. [H] gives this entry no product; it matches rules with or
  // without `product: windows`.
  std::map<std::string, std::string> defender = DefenderRenames();
  for (Entry& e : m.entries_)
    if (e.match.service == "windefend") e.target.field_renames = defender;
  std::map<std::string, std::string> av = defender;
  av["Signature"] = "Threat Name";
  av["Filename"] = "Path";
  add("", "antivirus", "",
      Target("antivirus/windefend", {"Microsoft-Windows-Windows Defender/Operational"},
             {1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116}, {}, std::move(av)));
  return m;
}

std::vector<LogsourceTarget> LogsourceMap::Resolve(const Logsource& ls) const {
  std::vector<LogsourceTarget> out;
  if (!ls.product.empty() && !EqualsIgnoreAsciiCase(ls.product, kProductWindows)) return out;
  if (ls.product.empty() && ls.category.empty() && ls.service.empty()) return out;

  auto product_ok = [&](const Entry& e) {
    return e.match.product.empty() || ls.product.empty() || EqualsIgnoreAsciiCase(e.match.product, ls.product);
  };
  // Exact: the entry names the rule's category and service (empty = absent).
  for (const Entry& e : entries_)
    if (product_ok(e) && EqualsIgnoreAsciiCase(e.match.category, ls.category) && EqualsIgnoreAsciiCase(e.match.service, ls.service))
      out.push_back(e.target);
  if (!out.empty() || ls.category.empty() || ls.service.empty()) return out;

  // Category and service together with no entry for the pair: the category's
  // targets that lie in the service's channels (process_creation + sysmon →
  // only the Sysmon alternative). A category target without channels is
  // narrowed to the service's channels.
  std::vector<const Entry*> by_category, by_service;
  for (const Entry& e : entries_) {
    if (!product_ok(e)) continue;
    if (EqualsIgnoreAsciiCase(e.match.category, ls.category) && e.match.service.empty()) by_category.push_back(&e);
    if (EqualsIgnoreAsciiCase(e.match.service, ls.service) && e.match.category.empty()) by_service.push_back(&e);
  }
  std::vector<std::string> service_channels;
  for (const Entry* e : by_service) {
    if (e->target.channels.empty()) return {};  // a service entry without channels: cannot narrow
    for (const std::string& ch : e->target.channels) service_channels.push_back(ch);
  }
  if (by_category.empty() || service_channels.empty()) return out;
  auto in_service = [&](const std::string& ch) {
    return std::any_of(service_channels.begin(), service_channels.end(),
                       [&](const std::string& s) { return EqualsIgnoreAsciiCase(s, ch); });
  };
  for (const Entry* e : by_category) {
    LogsourceTarget t = e->target;
    if (t.channels.empty()) {
      t.channels = service_channels;
    } else {
      if (!std::all_of(t.channels.begin(), t.channels.end(), in_service)) continue;
    }
    out.push_back(std::move(t));
  }
  return out;
}

Status LogsourceMap::LoadPipeline(const std::string& path) {
  YAML::Node root;
  try {
    if (!std::filesystem::exists(path)) return Status::NotFound(path, "no such file");
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile& e) {
    return Status::IOError(path, "cannot open");
  } catch (const YAML::Exception& e) {
    const std::string where = e.mark.is_null() ? path : fmt::format("{}:{}", path, e.mark.line + 1);
    return Status::ParseError(where, e.msg);
  } catch (const std::exception& e) {
    return Status::IOError(path, e.what());
  }

  if (!root.IsMap()) return Status::ParseError(Where(path, root), "a pipeline is a YAML map with a `logsources:` map");
  if (root["fieldmappings"])
    return Status::NotSupported(Where(path, root["fieldmappings"]),
                                "top-level fieldmappings: put field mappings under each logsource");
  const YAML::Node sources = root["logsources"];
  if (!sources || !sources.IsMap())
    return Status::ParseError(Where(path, sources ? sources : root), "`logsources:` must be a map of named logsources");

  std::vector<PendingEntry> pending;
  try {
    for (const auto& kv : sources) {
      const std::string name = kv.first.Scalar();
      const YAML::Node& def = kv.second;
      const std::string where = Where(path, kv.first);
      if (!def.IsMap()) return Status::ParseError(where, fmt::format("logsource '{}' must be a map", name));
      PendingEntry pe;
      pe.where = where;
      pe.target.name = name;
      for (const auto& field : def) {
        const std::string key = field.first.Scalar();
        const YAML::Node& val = field.second;
        const std::string at = Where(path, field.first);
        if (key == "product" || key == "category" || key == "service") {
          if (!val.IsScalar()) return Status::ParseError(at, fmt::format("'{}' must be a single value", key));
          std::string v = AsciiLowerCopy(val.Scalar());
          (key == "product" ? pe.match.product : key == "category" ? pe.match.category : pe.match.service) = v;
        } else if (key == "conditions") {
          if (!val.IsMap()) return Status::ParseError(at, "'conditions' must be a map");
          for (const auto& c : val) {
            const std::string cname = c.first.Scalar();
            const std::string cat = Where(path, c.first);
            std::vector<std::string> values;
            if (!ScalarList(c.second, &values) || values.empty())
              return Status::ParseError(cat, fmt::format("condition '{}' must be a value or a list of values", cname));
            if (cname == "EventID") {
              for (const std::string& s : values) {
                int64_t id;
                if (!ParseInt(s, &id))
                  return Status::ParseError(cat, fmt::format("EventID '{}' is not an integer", s));
                pe.target.event_ids.push_back(id);
              }
            } else if (cname == "Channel") {
              for (std::string& s : values) pe.target.channels.push_back(std::move(s));
            } else if (cname == "Provider_Name") {
              for (std::string& s : values) pe.target.providers.push_back(std::move(s));
            } else {
              return Status::NotSupported(
                  cat, fmt::format("condition on '{}': a logsource condition may test EventID, Channel and "
                                   "Provider_Name only; test other fields in the rule",
                                   cname));
            }
          }
        } else if (key == "sources") {
          std::vector<std::string> values;
          if (!ScalarList(val, &values)) return Status::ParseError(at, "'sources' must be a list of names");
          bool any_windows = false, any_other = false;
          for (const std::string& s : values) {
            constexpr std::string_view kPrefix = "WinEventLog:";
            if (s.size() > kPrefix.size() && EqualsIgnoreAsciiCase(std::string_view(s).substr(0, kPrefix.size()), kPrefix)) {
              pe.target.channels.push_back(s.substr(kPrefix.size()));
              any_windows = true;
            } else {
              any_other = true;
            }
          }
          if (any_other && !any_windows) pe.windows = false;
          if (any_other && any_windows)
            return Status::NotSupported(at, "sources mix Windows event logs (WinEventLog:) with other sources");
        } else if (key == "rewrite") {
          if (!val.IsMap()) return Status::ParseError(at, "'rewrite' must be a map");
          for (const auto& r : val) {
            const std::string rkey = r.first.Scalar();
            if (!r.second.IsScalar())
              return Status::ParseError(Where(path, r.first), "rewrite values are single values");
            if (rkey == "product") {
              if (!EqualsIgnoreAsciiCase(r.second.Scalar(), kProductWindows)) pe.windows = false;
            } else if (rkey == "service") {
              pe.rewrite_service = AsciiLowerCopy(r.second.Scalar());
            } else if (rkey != "category") {
              return Status::ParseError(Where(path, r.first), fmt::format("unknown rewrite key '{}'", rkey));
            }
          }
        } else if (key == "fieldmappings") {
          if (!val.IsMap()) return Status::ParseError(at, "'fieldmappings' must be a map: rule field → event field");
          for (const auto& f : val) {
            std::vector<std::string> to;
            if (!ScalarList(f.second, &to) || to.empty())
              return Status::ParseError(Where(path, f.first), "a field mapping names one event field");
            if (to.size() > 1)
              return Status::NotSupported(Where(path, f.first),
                                          fmt::format("field '{}' maps to {} fields; inari maps a field to one field",
                                                      f.first.Scalar(), to.size()));
            pe.target.field_renames[f.first.Scalar()] = to[0];
          }
        } else if (key == "description" || key == "title") {
          // documentation only
        } else {
          return Status::ParseError(at, fmt::format("unknown key '{}' in logsource '{}' (known: product, category, "
                                                    "service, conditions, sources, rewrite, fieldmappings)",
                                                    key, name));
        }
      }
      if (!pe.match.product.empty() && !EqualsIgnoreAsciiCase(pe.match.product, kProductWindows)) pe.windows = false;
      if (pe.match.product.empty() && pe.match.category.empty() && pe.match.service.empty())
        return Status::ParseError(where, fmt::format("logsource '{}' names no product, category or service", name));
      pending.push_back(std::move(pe));
    }
  } catch (const YAML::Exception& e) {
    const std::string where = e.mark.is_null() ? path : fmt::format("{}:{}", path, e.mark.line + 1);
    return Status::ParseError(where, e.msg);
  }

  // Rewrites take the channels of the named service: from this file first
  // (thor.yml defines process_creation before windows-sysmon), else from the
  // map as it is.
  for (PendingEntry& pe : pending) {
    if (!pe.windows || pe.rewrite_service.empty() || !pe.target.channels.empty()) continue;
    std::vector<std::string> channels;
    bool found = false;
    for (const PendingEntry& other : pending) {
      if (other.windows && other.match.category.empty() && other.match.service == pe.rewrite_service &&
          other.rewrite_service.empty()) {
        channels.insert(channels.end(), other.target.channels.begin(), other.target.channels.end());
        found = true;
      }
    }
    if (!found) {
      for (const Entry& e : entries_) {
        if (e.match.category.empty() && EqualsIgnoreAsciiCase(e.match.service, pe.rewrite_service)) {
          channels.insert(channels.end(), e.target.channels.begin(), e.target.channels.end());
          found = true;
        }
      }
    }
    if (!found)
      return Status::InvalidArgument(
          pe.where, fmt::format("rewrite to service '{}', which no logsource defines", pe.rewrite_service));
    pe.target.channels = std::move(channels);
  }
  for (const PendingEntry& pe : pending) {
    if (!pe.windows) continue;
    if (pe.target.channels.empty() && pe.target.event_ids.empty() && pe.target.providers.empty())
      return Status::InvalidArgument(
          pe.where, fmt::format("logsource '{}' selects no events: give conditions (EventID, Channel, Provider_Name), "
                                "sources (WinEventLog:<channel>) or a rewrite to a service",
                                pe.target.name));
  }

  // Replace: every (product, category, service) this file defines drops the
  // entries the map had for it; several entries of the file with the same
  // key are alternatives (thor.yml's process_creation_1 and _2).
  // Every entry is a Windows one, so an absent product counts as `windows`.
  auto key = [](const Logsource& ls) {
    return std::make_tuple(ls.product.empty() ? std::string(kProductWindows) : AsciiLowerCopy(ls.product), AsciiLowerCopy(ls.category),
                           AsciiLowerCopy(ls.service));
  };
  std::set<std::tuple<std::string, std::string, std::string>> keys;
  for (const PendingEntry& pe : pending)
    if (pe.windows) keys.insert(key(pe.match));
  std::erase_if(entries_, [&](const Entry& e) { return keys.count(key(e.match)) > 0; });
  for (PendingEntry& pe : pending)
    if (pe.windows) entries_.push_back(Entry{std::move(pe.match), std::move(pe.target)});
  return Status::OK();
}

}  // namespace inari::sigma
