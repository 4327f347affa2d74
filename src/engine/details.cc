#include "engine/details.h"
#include "base/ascii.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace inari {

namespace {

// ---- Channels -------------------------------------------------------------

enum class Channel {
  kOther,
  kSecurity,
  kSystem,
  kSysmon,
  kPowerShell,
  kRdpRcm,
  kRdpLsm,
  kDefender,
  kTaskScheduler,
  kBits,
  kWmi,
};

struct ChannelName {
  std::string_view full;        // compared ASCII case-insensitively
  std::string_view short_name;  // at most 11 characters
  Channel kind;
  bool prefix = false;  // `full` is a prefix ("…/AppLocker/" covers its four logs)
};

// Short names follow Hayabusa's channel_abbreviations where they are clear,
// except the three classic logs, which are short already.
constexpr ChannelName kChannels[] = {
    {"Security", "Security", Channel::kSecurity},
    {"System", "System", Channel::kSystem},
    {"Application", "App", Channel::kOther},
    {"Microsoft-Windows-Sysmon/Operational", "Sysmon", Channel::kSysmon},
    {"Linux-Sysmon/Operational", "Sysmon", Channel::kSysmon},
    {"Microsoft-Windows-PowerShell/Operational", "PwSh", Channel::kPowerShell},
    {"PowerShellCore/Operational", "PwShCore", Channel::kPowerShell},
    {"Windows PowerShell", "PwShClassic", Channel::kOther},
    {"Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational", "RDP-RCM",
     Channel::kRdpRcm},
    {"Microsoft-Windows-TerminalServices-LocalSessionManager/Operational", "RDP-LSM",
     Channel::kRdpLsm},
    {"Microsoft-Windows-TerminalServices-RDPClient/Operational", "RDP-Client", Channel::kOther},
    {"Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational", "RDP-CoreTS",
     Channel::kOther},
    {"Microsoft-Windows-Windows Defender/Operational", "Defender", Channel::kDefender},
    {"Microsoft-Windows-TaskScheduler/Operational", "TaskSch", Channel::kTaskScheduler},
    {"Microsoft-Windows-Bits-Client/Operational", "BitsCli", Channel::kBits},
    {"Microsoft-Windows-WMI-Activity/Operational", "WMI", Channel::kWmi},
    {"Microsoft-Windows-WinRM/Operational", "WinRM", Channel::kOther},
    {"Microsoft-Windows-Windows Firewall With Advanced Security/Firewall", "Firewall",
     Channel::kOther},
    {"Microsoft-Windows-CodeIntegrity/Operational", "CodeInteg", Channel::kOther},
    {"Microsoft-Windows-NTLM/Operational", "NTLM", Channel::kOther},
    {"Microsoft-Windows-SmbClient/Security", "SmbCliSec", Channel::kOther},
    {"Microsoft-Windows-SMBServer/Security", "SmbSrvSec", Channel::kOther},
    {"Microsoft-Windows-DNS-Client/Operational", "DNS-Cli", Channel::kOther},
    {"DNS Server", "DNS-Svr", Channel::kOther},
    {"Microsoft-Windows-DriverFrameworks-UserMode/Operational", "DvrFmwk", Channel::kOther},
    {"Microsoft-Windows-PrintService/Operational", "PrintOp", Channel::kOther},
    {"Microsoft-Windows-PrintService/Admin", "PrintAdm", Channel::kOther},
    {"OpenSSH/Operational", "OpenSSH", Channel::kOther},
    {"MSExchange Management", "Exchange", Channel::kOther},
    {"Microsoft-Windows-AppLocker/", "AppLocker", Channel::kOther, true},
    {"Microsoft-Windows-Security-Mitigations/", "SecMitig", Channel::kOther, true},
    {"Microsoft-Windows-BitLocker/", "BitLocker", Channel::kOther, true},
};

const ChannelName* FindChannel(std::string_view channel) {
  for (const ChannelName& c : kChannels) {
    if (c.prefix ? channel.size() > c.full.size() &&
                       EqualsIgnoreAsciiCase(channel.substr(0, c.full.size()), c.full)
                 : EqualsIgnoreAsciiCase(channel, c.full))
      return &c;
  }
  return nullptr;
}

// ---- Built-in key fields per (channel, EventID) ---------------------------
//
// `fields`: comma-separated groups shown in this order; "A|B" shows the first
// of A, B the event has; ":N" caps the value at N code points.

struct DetailSpec {
  Channel channel;
  std::string_view event_ids;  // comma-separated
  std::string_view fields;
};

constexpr DetailSpec kSpecs[] = {
    // Security
    {Channel::kSecurity, "4688", "CommandLine,NewProcessName,ParentProcessName,SubjectUserName"},
    {Channel::kSecurity, "4624",
     "TargetUserName,TargetDomainName,LogonType,IpAddress,WorkstationName"},
    {Channel::kSecurity, "4625",
     "TargetUserName,TargetDomainName,LogonType,IpAddress,WorkstationName,SubStatus"},
    {Channel::kSecurity, "4634,4647", "TargetUserName,TargetDomainName,LogonType"},
    {Channel::kSecurity, "4648",
     "SubjectUserName,TargetUserName,TargetServerName,IpAddress,ProcessName"},
    {Channel::kSecurity, "4672", "SubjectUserName,SubjectDomainName,PrivilegeList:256"},
    {Channel::kSecurity, "4697", "ServiceName,ServiceFileName,ServiceAccount,SubjectUserName"},
    {Channel::kSecurity, "4698,4699,4700,4701,4702", "TaskName,SubjectUserName"},
    {Channel::kSecurity, "4720,4722,4723,4724,4725,4726,4738,4740,4767,4781",
     "TargetUserName,TargetDomainName,SubjectUserName"},
    {Channel::kSecurity,
     "4727,4728,4729,4730,4731,4732,4733,4734,4735,4737,4754,4755,4756,4757,4758",
     "MemberName,MemberSid,TargetUserName,SubjectUserName"},
    {Channel::kSecurity, "4798,4799", "TargetUserName,SubjectUserName,CallerProcessName"},
    {Channel::kSecurity, "4768,4769,4770,4771,4772,4773",
     "TargetUserName,ServiceName,IpAddress,TicketEncryptionType,Status"},
    {Channel::kSecurity, "4776", "TargetUserName,Workstation,Status"},
    {Channel::kSecurity, "4662", "SubjectUserName,ObjectName,Properties:256,AccessMask"},
    {Channel::kSecurity, "4656,4658,4660,4663",
     "ObjectName,ProcessName,SubjectUserName,AccessMask"},
    {Channel::kSecurity, "4657", "ObjectName,ObjectValueName,NewValue,ProcessName,SubjectUserName"},
    {Channel::kSecurity, "4719", "SubjectUserName,CategoryId,SubcategoryGuid,AuditPolicyChanges"},
    {Channel::kSecurity, "5136",
     "ObjectDN,AttributeLDAPDisplayName,AttributeValue,SubjectUserName"},
    {Channel::kSecurity, "5140,5145", "ShareName,RelativeTargetName,IpAddress,SubjectUserName"},
    {Channel::kSecurity, "5156,5157",
     "Application,SourceAddress,SourcePort,DestAddress,DestPort,Protocol"},
    {Channel::kSecurity, "1102", "SubjectUserName,SubjectDomainName"},
    // System
    {Channel::kSystem, "7045", "ServiceName,ImagePath,AccountName,StartType,ServiceType"},
    {Channel::kSystem, "7036", "param1,param2"},
    {Channel::kSystem, "7040", "param1,param2,param3"},
    {Channel::kSystem, "104", "SubjectUserName,SubjectDomainName"},
    // Sysmon
    {Channel::kSysmon, "1", "CommandLine,Image,ParentImage,User"},
    {Channel::kSysmon, "2", "TargetFilename,Image,CreationUtcTime,PreviousCreationUtcTime"},
    {Channel::kSysmon, "3", "Image,DestinationIp,DestinationPort,DestinationHostname,User"},
    {Channel::kSysmon, "5", "Image,ProcessId,User"},
    {Channel::kSysmon, "6", "ImageLoaded,Signature,Signed"},
    {Channel::kSysmon, "7", "ImageLoaded,Image,Signature,Signed"},
    {Channel::kSysmon, "8", "SourceImage,TargetImage,StartFunction,StartModule"},
    {Channel::kSysmon, "9", "Image,Device"},
    {Channel::kSysmon, "10", "SourceImage,TargetImage,GrantedAccess"},
    {Channel::kSysmon, "11", "TargetFilename,Image"},
    {Channel::kSysmon, "12", "TargetObject,EventType,Image"},
    {Channel::kSysmon, "13", "TargetObject,Details,Image"},
    {Channel::kSysmon, "14", "TargetObject,NewName,Image"},
    {Channel::kSysmon, "15", "TargetFilename,Image"},
    {Channel::kSysmon, "17,18", "PipeName,Image"},
    {Channel::kSysmon, "19", "Operation,Name,Query:256,User"},
    {Channel::kSysmon, "20", "Name,Type,Destination:256,User"},
    {Channel::kSysmon, "21", "Consumer,Filter,User"},
    {Channel::kSysmon, "22", "QueryName,Image"},
    {Channel::kSysmon, "23,26,27,28,29", "TargetFilename,Image,User"},
    {Channel::kSysmon, "24", "Image,User"},
    {Channel::kSysmon, "25", "Image,Type"},
    // PowerShell
    {Channel::kPowerShell, "4104", "ScriptBlockText:256,Path"},
    {Channel::kPowerShell, "4103", "Payload:256,ContextInfo:256"},
    // Remote Desktop (UserData fields: Param1..3 in 1149, User/Address in LocalSessionManager)
    {Channel::kRdpRcm, "1149", "User|Param1,Domain|Param2,Address|Param3"},
    {Channel::kRdpLsm, "21,22,23,24,25,39,40", "User|Param1,Address|Param3,SessionID"},
    // Defender
    {Channel::kDefender, "1006,1007,1008,1015,1116,1117,1118,1119",
     "Threat Name,Severity Name,Path,Process Name,Detection User,Action Name"},
    // Task Scheduler, BITS, WMI
    {Channel::kTaskScheduler, "106,140,141,200,201", "TaskName,UserContext|UserName,ActionName"},
    {Channel::kBits, "3,59,60", "jobTitle|name,url,jobOwner"},
    {Channel::kWmi, "5861", "Namespace,ESS,CONSUMER,PossibleCause:256"},
};

struct Group {
  std::vector<FieldId> alternatives;
  size_t cap = kMaxDetailValueChars;
};

struct CompiledSpec {
  Channel channel;
  std::vector<int64_t> event_ids;
  std::vector<Group> groups;
};

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    parts.push_back(
        s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

const std::vector<CompiledSpec>& Specs() {
  static const std::vector<CompiledSpec> specs = [] {
    std::vector<CompiledSpec> v;
    for (const DetailSpec& d : kSpecs) {
      CompiledSpec c;
      c.channel = d.channel;
      for (std::string_view id : Split(d.event_ids, ','))
        c.event_ids.push_back(std::stoll(std::string(id)));
      for (std::string_view g : Split(d.fields, ',')) {
        Group group;
        size_t colon = g.find(':');
        if (colon != std::string_view::npos) {
          group.cap = std::stoul(std::string(g.substr(colon + 1)));
          g = g.substr(0, colon);
        }
        for (std::string_view name : Split(g, '|')) group.alternatives.push_back(InternField(name));
        c.groups.push_back(std::move(group));
      }
      v.push_back(std::move(c));
    }
    return v;
  }();
  return specs;
}

// The first `n` pairs of `v` are the details so far; pairs beyond are
// reused (their strings keep their memory), so a detection built into the
// same vector again allocates nothing.
struct DetailOut {
  std::vector<std::pair<std::string, std::string>>* v;
  size_t n = 0;
};

// Adds (name, text) for `id` unless already present or empty.
void AddField(const EventView& e, FieldId id, size_t cap, DetailOut* out) {
  std::string_view name = FieldName(id);
  for (size_t i = 0; i < out->n; ++i)
    if ((*out->v)[i].first == name) return;
  thread_local std::string raw;
  raw.clear();
  bool first = true;
  for (const Field& f : e.fields()) {
    if (f.id != id) continue;
    if (!first) raw += ", ";
    first = false;
    f.value.AppendText(&raw);
  }
  if (raw.empty()) return;
  if (out->n == out->v->size()) out->v->emplace_back();
  auto& [k, text] = (*out->v)[out->n++];
  k.assign(name);
  text.clear();
  AppendDisplayText(raw, &text);
  TruncateUtf8(&text, cap);
}

void AppendHexEscape(const char* prefix, unsigned v, int digits, std::string* out) {
  char buf[16];
  int n = std::snprintf(buf, sizeof buf, "%s%0*X", prefix, digits, v);
  out->append(buf, static_cast<size_t>(n));
}

}  // namespace

// ---- Text helpers -----------------------------------------------------------

void AppendDisplayText(std::string_view s, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned char b = p[i];
    if (b < 0x80) {
      if (b >= 0x20 && b != 0x7f) {
        // Fast path: copy a run of printable ASCII.
        size_t j = i + 1;
        while (j < n && p[j] >= 0x20 && p[j] < 0x7f) ++j;
        out->append(s.data() + i, j - i);
        i = j;
        continue;
      }
      if (b == '\n')
        out->append("\\n");
      else if (b == '\r')
        out->append("\\r");
      else if (b == '\t')
        out->append("\\t");
      else
        AppendHexEscape("\\x", b, 2, out);
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    size_t len = 0;
    uint32_t cp = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      cp = b & 0x0F;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      cp = b & 0x07;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    }
    bool ok = len > 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char c = p[i + k];
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) ok = false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (!ok) {
      AppendHexEscape("\\x", b, 2, out);
      ++i;
      continue;
    }
    bool hidden = (cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
                  (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    if (hidden)
      AppendHexEscape("\\u", cp, 4, out);
    else
      out->append(s.data() + i, len);
    i += len;
  }
}

std::string DisplayText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  AppendDisplayText(s, &out);
  return out;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool TruncateUtf8(std::string* s, size_t max_chars) {
  if (max_chars == 0 || s->size() <= max_chars || Utf8Length(*s) <= max_chars) return false;
  // Keep max_chars - 1 code points, then "…".
  size_t keep = max_chars - 1, count = 0, pos = 0;
  for (; pos < s->size(); ++pos) {
    if ((static_cast<unsigned char>((*s)[pos]) & 0xC0) != 0x80) {
      if (count == keep) break;
      ++count;
    }
  }
  s->resize(pos);
  s->append("\xE2\x80\xA6");  // …
  return true;
}

std::string_view ChannelShortName(std::string_view channel) {
  if (const ChannelName* c = FindChannel(channel)) return c->short_name;
  constexpr std::string_view kPrefix = "Microsoft-Windows-", kSuffix = "/Operational";
  if (channel.size() > kPrefix.size() &&
      EqualsIgnoreAsciiCase(channel.substr(0, kPrefix.size()), kPrefix))
    channel.remove_prefix(kPrefix.size());
  if (channel.size() > kSuffix.size() &&
      EqualsIgnoreAsciiCase(channel.substr(channel.size() - kSuffix.size()), kSuffix))
    channel.remove_suffix(kSuffix.size());
  return channel;
}

// ---- PickDetails ------------------------------------------------------------

namespace {

void PickInto(const EventView& e, const sigma::RuleInfo& rule, size_t max_fields, DetailOut* out) {
  if (max_fields == 0) return;
  // 1. The rule's own choice.
  for (const std::string& name : rule.fields) {
    if (out->n >= max_fields) break;
    FieldId id = FindField(name);
    if (id != kNoField && e.Get(id)) AddField(e, id, kMaxDetailValueChars, out);
  }
  if (out->n > 0) return;

  // 2. Built-in choice for the channel and EventID (the spec of the last
  // (Channel, EventID) is remembered per thread: detections come in runs).
  struct LastSpec {
    bool valid = false;
    std::string channel;
    int64_t event_id = 0;
    const CompiledSpec* spec = nullptr;
  };
  thread_local LastSpec last;
  const Value* ch = e.Get(field::kChannel);
  std::string_view raw = ch && ch->is_string() ? ch->str() : std::string_view();
  const int64_t event_id = e.event_id();
  const CompiledSpec* found = nullptr;
  // (An absent channel and an empty one give the same choice.)
  if (last.valid && (!ch || ch->is_string()) && last.channel == raw && last.event_id == event_id) {
    found = last.spec;
  } else {
    std::string channel_text = ch ? ch->ToText() : std::string();
    const ChannelName* known = FindChannel(channel_text);
    const Channel channel = known ? known->kind : Channel::kOther;
    if (channel != Channel::kOther) {
      for (const CompiledSpec& spec : Specs()) {
        if (spec.channel == channel &&
            std::find(spec.event_ids.begin(), spec.event_ids.end(), event_id) != spec.event_ids.end()) {
          found = &spec;
          break;
        }
      }
    }
    last.valid = !ch || ch->is_string();
    last.channel = channel_text;
    last.event_id = event_id;
    last.spec = found;
  }
  if (found) {
    for (const Group& g : found->groups) {
      if (out->n >= max_fields) break;
      for (FieldId id : g.alternatives) {
        size_t before = out->n;
        if (e.Get(id)) AddField(e, id, g.cap, out);
        if (out->n > before) break;
      }
    }
  }
  if (out->n > 0) return;

  // 3. The first fields after the header (EventData/UserData order).
  for (const Field& f : e.fields()) {
    if (out->n >= max_fields) break;
    if (IsHeaderField(f.id) || f.id == field::kBinary) continue;
    AddField(e, f.id, kMaxDetailValueChars, out);
  }
}

}  // namespace

void PickDetails(const EventView& e, const sigma::RuleInfo& rule,
                 std::vector<std::pair<std::string, std::string>>* details, size_t max_fields) {
  DetailOut out{details, 0};
  PickInto(e, rule, max_fields, &out);
  details->resize(out.n);
}

std::vector<std::pair<std::string, std::string>> PickDetails(const EventView& e,
                                                             const sigma::RuleInfo& rule,
                                                             size_t max_fields) {
  std::vector<std::pair<std::string, std::string>> v;
  PickDetails(e, rule, &v, max_fields);
  return v;
}



}  // namespace inari
