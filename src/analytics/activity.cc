#include "analytics/activity.h"

#include <algorithm>
#include <numeric>

#include "base/ascii.h"

namespace inari::analytics {

std::string_view ActKindName(ActKind k) {
  switch (k) {
    case ActKind::kRemoteLogon: return "remote-logon";
    case ActKind::kLocalLogon: return "local-logon";
    case ActKind::kExplicitCreds: return "explicit-credentials";
    case ActKind::kAdminShare: return "admin-share";
    case ActKind::kAdminShareFile: return "admin-share-file";
    case ActKind::kToolProcess: return "tool-process";
    case ActKind::kToolService: return "tool-service";
    case ActKind::kToolNetwork: return "tool-network";
  }
  return "?";
}

NameId NameTable::Intern(std::string_view name) {
  auto it = ids_.find(name);
  if (it != ids_.end()) return it->second;
  const NameId id = static_cast<NameId>(names_.size());
  names_.emplace_back(name);
  ids_.emplace(std::string_view(names_.back()), id);
  return id;
}

NameId NameTable::Find(std::string_view name) const {
  auto it = ids_.find(name);
  return it == ids_.end() ? 0 : it->second;
}

size_t NameTable::memory_bytes() const {
  size_t n = ids_.bucket_count() * sizeof(void*) + ids_.size() * (sizeof(std::string_view) + sizeof(NameId) + 16);
  for (const std::string& s : names_) n += sizeof(std::string) + (s.size() > 15 ? s.capacity() + 1 : 0);
  return n;
}

namespace {

std::string_view Basename(std::string_view path) {
  size_t p = path.find_last_of("\\/");
  return p == std::string_view::npos ? path : path.substr(p + 1);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct ToolName {
  const char* key;
  const char* tool;
};

// Lower-case image base names.
constexpr ToolName kImages[] = {
    {"anydesk.exe", "anydesk"},
    {"teamviewer.exe", "teamviewer"},
    {"teamviewer_service.exe", "teamviewer"},
    {"tv_w32.exe", "teamviewer"},
    {"tv_x64.exe", "teamviewer"},
    {"screenconnect.clientservice.exe", "screenconnect"},
    {"screenconnect.windowsclient.exe", "screenconnect"},
    {"connectwisecontrol.client.exe", "screenconnect"},
    {"rustdesk.exe", "rustdesk"},
    {"srservice.exe", "splashtop"},
    {"srmanager.exe", "splashtop"},
    {"strwinclt.exe", "splashtop"},
    {"ateraagent.exe", "atera"},
    {"client32.exe", "netsupport"},
    {"logmein.exe", "logmein"},
    {"lmiguardiansvc.exe", "logmein"},
    {"remotepcservice.exe", "remotepc"},
    {"ngrok.exe", "ngrok"},
    {"supremo.exe", "supremo"},
    {"rutserv.exe", "remoteutilities"},
    {"rfusclient.exe", "remoteutilities"},
    {"meshagent.exe", "meshcentral"},
    {"tacticalrmm.exe", "tacticalrmm"},
};
// Service names (lower case, prefix match).
constexpr ToolName kServices[] = {
    {"anydesk", "anydesk"},       {"teamviewer", "teamviewer"}, {"screenconnect", "screenconnect"},
    {"splashtop", "splashtop"},   {"rustdesk", "rustdesk"},     {"ateraagent", "atera"},
    {"logmein", "logmein"},       {"remotepc", "remotepc"},     {"ngrok", "ngrok"},
    {"mesh agent", "meshcentral"}, {"supremo", "supremo"},      {"tacticalrmm", "tacticalrmm"},
};
// Relay and API domains (lower case, the name or a subdomain of it).
constexpr ToolName kDomains[] = {
    {"anydesk.com", "anydesk"},        {"teamviewer.com", "teamviewer"},   {"screenconnect.com", "screenconnect"},
    {"splashtop.com", "splashtop"},    {"rustdesk.com", "rustdesk"},       {"atera.com", "atera"},
    {"logmein.com", "logmein"},        {"logme.in", "logmein"},            {"remotepc.com", "remotepc"},
    {"ngrok.io", "ngrok"},             {"ngrok-free.app", "ngrok"},        {"netsupportsoftware.com", "netsupport"},
    {"supremocontrol.com", "supremo"}, {"remoteutilities.com", "remoteutilities"},
};

}  // namespace

std::string_view ToolOfImage(std::string_view image_path) {
  const std::string_view base = Basename(image_path);
  for (const ToolName& t : kImages)
    if (EqualsIgnoreAsciiCase(base, t.key)) return t.tool;
  return {};
}

std::string_view ToolOfService(std::string_view service_name, std::string_view image_path) {
  std::string name = AsciiLowerCopy(service_name);
  for (const ToolName& t : kServices)
    if (name.compare(0, std::char_traits<char>::length(t.key), t.key) == 0) return t.tool;
  std::string_view image = image_path;
  if (!image.empty() && image.front() == '"') image = image.substr(1, image.find('"', 1) - 1);
  else if (size_t sp = image.find(".exe "); sp != std::string_view::npos) image = image.substr(0, sp + 4);
  return ToolOfImage(image);
}

std::string_view ToolOfDomain(std::string_view dns_name) {
  std::string name = AsciiLowerCopy(dns_name);
  while (!name.empty() && name.back() == '.') name.pop_back();
  for (const ToolName& t : kDomains) {
    std::string_view d = t.key;
    if (name == d || (EndsWith(name, d) && name[name.size() - d.size() - 1] == '.')) return t.tool;
  }
  return {};
}

namespace {

// Appends the lower-case form of `raw` to `out` (capacity reused).
void AppendLower(std::string_view raw, std::string* out) {
  for (char c : raw) out->push_back(AsciiLower(c));
}

}  // namespace

bool AppendNormalizedAccount(std::string_view raw, std::string* out) {
  if (size_t p = raw.find('\\'); p != std::string_view::npos) raw = raw.substr(p + 1);
  if (size_t p = raw.find('@'); p != std::string_view::npos) raw = raw.substr(0, p);
  const size_t start = out->size();
  AppendLower(raw, out);
  const std::string_view s = std::string_view(*out).substr(start);
  static constexpr std::string_view kSystem[] = {"system",        "anonymous logon", "local service", "network service",
                                                 "local system",  "localsystem",     "localservice",  "networkservice",
                                                 "trustedinstaller"};
  bool drop = s.empty() || s == "-" || s.back() == '$' || s.rfind("dwm-", 0) == 0 || s.rfind("umfd-", 0) == 0;
  for (std::string_view x : kSystem) drop |= s == x;
  if (drop) out->resize(start);
  return !drop;
}

bool AppendNormalizedHost(std::string_view raw, std::string* out) {
  while (!raw.empty() && raw.front() == '\\') raw.remove_prefix(1);
  const size_t start = out->size();
  AppendLower(raw, out);
  std::string_view s = std::string_view(*out).substr(start);
  if (s.empty() || s == "-" || s == "localhost" || s == "127.0.0.1" || s == "::1") {
    out->resize(start);
    return false;
  }
  // An IP address stays whole; a DNS name loses its suffix.
  const bool ip = std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) ||
                  s.find(':') != std::string_view::npos;
  if (!ip)
    if (size_t p = s.find('.'); p != std::string_view::npos) out->resize(start + p);
  return true;
}

bool AppendNormalizedIp(std::string_view raw, std::string* out) {
  if (raw.size() >= 7 && EqualsIgnoreAsciiCase(raw.substr(0, 7), "::ffff:")) raw.remove_prefix(7);
  const size_t start = out->size();
  AppendLower(raw, out);
  const std::string_view s = std::string_view(*out).substr(start);
  if (s.empty() || s == "-" || s == "::1" || s == "127.0.0.1" || s == "0.0.0.0" || s == "localhost") {
    out->resize(start);
    return false;
  }
  return true;
}

std::string NormalizeAccount(std::string_view raw) {
  std::string s;
  AppendNormalizedAccount(raw, &s);
  return s;
}

std::string NormalizeHost(std::string_view raw) {
  std::string s;
  AppendNormalizedHost(raw, &s);
  return s;
}

std::string NormalizeIp(std::string_view raw) {
  std::string s;
  AppendNormalizedIp(raw, &s);
  return s;
}

namespace {

struct Fields {
  FieldId target_user, subject_user, logon_type, ip, workstation, target_server, target_info, share, param1, param3,
      user, address, image, service, image_path, query, dest_host, new_process;
  Fields()
      : target_user(InternField("TargetUserName")),
        subject_user(InternField("SubjectUserName")),
        logon_type(InternField("LogonType")),
        ip(InternField("IpAddress")),
        workstation(InternField("WorkstationName")),
        target_server(InternField("TargetServerName")),
        target_info(InternField("TargetInfo")),
        share(InternField("ShareName")),
        param1(InternField("Param1")),
        param3(InternField("Param3")),
        user(InternField("User")),
        address(InternField("Address")),
        image(InternField("Image")),
        service(InternField("ServiceName")),
        image_path(InternField("ImagePath")),
        query(InternField("QueryName")),
        dest_host(InternField("DestinationHostname")),
        new_process(InternField("NewProcessName")) {}
};

const Fields& F() {
  static const Fields f;
  return f;
}

bool IsAdminShare(std::string_view share) {
  std::string_view s = Basename(share);
  if (s.size() == 2 && s[1] == '$' && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return true;
  return EqualsIgnoreAsciiCase(s, "admin$");
}

bool ChannelHas(const EventView& e, std::string_view needle) {
  const Value* ch = e.Get(field::kChannel);
  return ch && ch->is_string() && ch->str().find(needle) != std::string_view::npos;
}

}  // namespace

std::string_view ActivityExtractor::Text(const EventView& e, FieldId id) {
  const Value* v = e.Get(id);
  if (!v) return {};
  if (v->is_string()) return v->str();
  text_.clear();
  v->AppendText(&text_);
  return text_;
}

NameId ActivityExtractor::User(std::string_view raw) {
  tmp_.assign("u:");
  return AppendNormalizedAccount(raw, &tmp_) ? names_.Intern(tmp_) : 0;
}

NameId ActivityExtractor::Host(std::string_view raw) {
  tmp_.assign("h:");
  return AppendNormalizedHost(raw, &tmp_) ? names_.Intern(tmp_) : 0;
}

NameId ActivityExtractor::Ip(std::string_view raw) {
  tmp_.assign("i:");
  return AppendNormalizedIp(raw, &tmp_) ? names_.Intern(tmp_) : 0;
}

NameId ActivityExtractor::Other(char kind, std::string_view s) {
  tmp_.assign(1, kind);
  tmp_ += ':';
  AppendLower(s, &tmp_);
  return names_.Intern(tmp_);
}

uint32_t ActivityExtractor::Source(std::string_view name) {
  if (!sources_.empty() && name == last_source_) return last_source_id_;
  for (uint32_t i = 0; i < sources_.size(); ++i)
    if (sources_[i] == name) {
      last_source_ = sources_[i];
      return last_source_id_ = i;
    }
  sources_.emplace_back(name);
  last_source_ = sources_.back();
  return last_source_id_ = static_cast<uint32_t>(sources_.size() - 1);
}

void ActivityExtractor::Extract(const EventView& e, std::string_view source_name, std::vector<Activity>* out) {
  const int64_t eid = e.event_id();
  if (e.time() == INT64_MIN) return;
  switch (eid) {
    case 4624: case 4648: case 5140: case 5145: case 4688: case 4697: case 7045: case 1: case 3: case 22:
    case 1149: case 21: case 25:
      break;
    default:
      return;
  }
  const Fields& f = F();
  Activity a;
  a.time = e.time();
  a.record_id = e.record_id();
  a.event_id = static_cast<uint16_t>(eid);
  if (const Value* c = e.Get(field::kComputer); c && c->is_string()) a.host = Host(c->str());
  if (!a.host) return;
  auto emit = [&](ActKind k) {
    a.kind = k;
    a.source = Source(source_name);
    out->push_back(a);
  };
  switch (eid) {
    case 4624: {
      int64_t type = 0;
      if (const Value* v = e.Get(f.logon_type)) v->AsInt64(&type);
      a.logon_type = static_cast<uint8_t>(type);
      a.user = User(Text(e, f.target_user));
      if (!a.user) return;
      a.src_ip = Ip(Text(e, f.ip));
      a.src_host = Host(Text(e, f.workstation));
      if (a.src_host == a.host) a.src_host = 0;
      if ((type == 3 || type == 10) && (a.src_ip || a.src_host)) emit(ActKind::kRemoteLogon);
      else if (type == 2 || type == 11 || type == 7) emit(ActKind::kLocalLogon);
      return;
    }
    case 4648: {
      a.user = User(Text(e, f.subject_user));
      if (!a.user) return;
      a.other_user = User(Text(e, f.target_user));
      std::string_view server = Text(e, f.target_server);
      if (server.empty() || server == "localhost") server = Text(e, f.target_info);
      a.target = Host(server);
      if (!a.target || a.target == a.host) return;
      a.src_ip = Ip(Text(e, f.ip));
      emit(ActKind::kExplicitCreds);
      return;
    }
    case 5140:
    case 5145: {
      std::string_view share = Text(e, f.share);
      if (!IsAdminShare(share)) return;
      a.user = User(Text(e, f.subject_user));
      if (!a.user) return;
      a.src_ip = Ip(Text(e, f.ip));
      if (!a.src_ip) return;  // local access
      a.target = Other('x', Basename(share));
      emit(eid == 5140 ? ActKind::kAdminShare : ActKind::kAdminShareFile);
      return;
    }
    case 1:
    case 4688: {
      if (eid == 1 && !ChannelHas(e, "Sysmon")) return;
      std::string_view tool = ToolOfImage(Text(e, eid == 1 ? f.image : f.new_process));
      if (tool.empty()) return;
      a.user = User(Text(e, eid == 1 ? f.user : f.subject_user));
      a.target = Other('t', tool);
      emit(ActKind::kToolProcess);
      return;
    }
    case 7045:
    case 4697: {
      std::string_view tool = ToolOfService(Text(e, f.service), Text(e, f.image_path));
      if (tool.empty()) return;
      if (eid == 4697) a.user = User(Text(e, f.subject_user));
      a.target = Other('t', tool);
      emit(ActKind::kToolService);
      return;
    }
    case 3:
    case 22: {
      if (!ChannelHas(e, "Sysmon")) return;
      std::string_view tool = ToolOfDomain(Text(e, eid == 22 ? f.query : f.dest_host));
      if (tool.empty()) tool = ToolOfImage(Text(e, f.image));
      if (tool.empty()) return;
      a.user = User(Text(e, f.user));
      a.target = Other('t', tool);
      emit(ActKind::kToolNetwork);
      return;
    }
    case 1149: {
      if (!ChannelHas(e, "RemoteConnectionManager")) return;
      a.user = User(Text(e, f.param1));
      a.src_ip = Ip(Text(e, f.param3));
      if (!a.user || !a.src_ip) return;
      a.logon_type = 10;
      emit(ActKind::kRemoteLogon);
      return;
    }
    case 21:
    case 25: {
      if (!ChannelHas(e, "LocalSessionManager")) return;
      a.user = User(Text(e, f.user));
      std::string_view addr = Text(e, f.address);
      a.src_ip = Ip(addr);
      if (!a.user || !a.src_ip || addr == "LOCAL") return;
      a.logon_type = 10;
      emit(ActKind::kRemoteLogon);
      return;
    }
  }
}

std::vector<NameId> RemapNames(const NameTable& local, NameTable* global) {
  std::vector<NameId> map(local.size(), 0);
  for (NameId i = 1; i < map.size(); ++i) map[i] = global->Intern(local.Name(i));
  return map;
}

std::vector<uint32_t> RemapSources(const std::vector<std::string>& local, std::vector<std::string>* global) {
  std::vector<uint32_t> map(local.size());
  for (size_t i = 0; i < map.size(); ++i) {
    auto it = std::find(global->begin(), global->end(), local[i]);
    map[i] = static_cast<uint32_t>(it - global->begin());
    if (it == global->end()) global->push_back(local[i]);
  }
  return map;
}

std::vector<Activity> MergeActivities(std::vector<ActivityExtractor>* extractors,
                                      std::vector<std::vector<Activity>>* per_worker, NameTable* names,
                                      std::vector<std::string>* sources) {
  size_t total = 0;
  for (auto& v : *per_worker) total += v.size();
  std::vector<Activity> all;
  all.reserve(total);
  for (size_t w = 0; w < extractors->size(); ++w) {
    ActivityExtractor& x = (*extractors)[w];
    const std::vector<NameId> map = RemapNames(x.names(), names);
    const std::vector<uint32_t> smap = RemapSources(x.sources(), sources);
    for (Activity a : (*per_worker)[w]) {
      a.user = map[a.user];
      a.host = map[a.host];
      a.src_host = map[a.src_host];
      a.src_ip = map[a.src_ip];
      a.target = map[a.target];
      a.other_user = map[a.other_user];
      a.source = smap[a.source];
      all.push_back(a);
    }
    std::vector<Activity>().swap((*per_worker)[w]);
  }
  // Same time: by source and record so the order does not depend on threads.
  std::stable_sort(all.begin(), all.end(), [&](const Activity& a, const Activity& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.source != b.source) return (*sources)[a.source] < (*sources)[b.source];
    return a.record_id < b.record_id;
  });
  return all;
}

}  // namespace inari::analytics
