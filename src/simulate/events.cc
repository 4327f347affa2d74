#include "simulate/events.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include "base/time.h"
#include "simulate/json_text.h"

namespace inari::sim {

namespace {

constexpr std::string_view kChannelNames[kNumChannels] = {
    "Security", "System", "Microsoft-Windows-Sysmon/Operational",
    "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational",
    "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"};
constexpr uint64_t kRidBase[kNumChannels] = {150000, 20000, 800000, 300, 200};

struct SecMeta {
  uint16_t eid, task, version;
};
constexpr SecMeta kSecMeta[] = {
    {4624, 12544, 2}, {4625, 12544, 0}, {4634, 12545, 0}, {4647, 12545, 0}, {4648, 12544, 0},
    {4672, 12548, 0}, {4768, 14339, 0}, {4769, 14337, 0}, {4776, 14336, 0}, {4778, 12551, 0},
    {4779, 12551, 0}, {5140, 12808, 1}, {5145, 12811, 0}};

void AppendUInt(uint64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}
void AppendHex(uint64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
  out->append("0x");
  out->append(buf, r.ptr);
}

std::string UpperHex(uint64_t v, int digits) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string s(size_t(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    s[size_t(i)] = kHex[v & 15];
    v >>= 4;
  }
  return s;
}

std::string Guid(uint64_t a, uint64_t b) {
  return fmt::format("{{{}-{}-{}-{}-{}}}", UpperHex(a >> 32, 8), UpperHex(a >> 16, 4),
                     UpperHex((a & 0x0FFF) | 0x4000, 4), UpperHex((b >> 48 & 0x3FFF) | 0x8000, 4),
                     UpperHex(b, 12));
}

std::string SysmonTime(int64_t t) {
  std::string iso;
  AppendIso8601(t, &iso);
  iso[10] = ' ';
  iso.resize(23);
  return iso;
}

struct ImageMeta {
  std::string_view base, description, product, company, version;
};
constexpr ImageMeta kKnownImages[] = {
    {"AnyDesk.exe", "AnyDesk", "AnyDesk", "AnyDesk Software GmbH", "8.0.8"},
    {"TeamViewer.exe", "TeamViewer", "TeamViewer", "TeamViewer Germany GmbH", "15.51.5"},
    {"TeamViewer_Service.exe", "TeamViewer", "TeamViewer", "TeamViewer Germany GmbH", "15.51.5"},
    {"TeamViewer_Setup.exe", "TeamViewer", "TeamViewer", "TeamViewer Germany GmbH", "15.51.5"},
    {"rclone.exe", "Rsync for cloud storage", "Rclone", "https://rclone.org", "1.65.2"},
    {"7z.exe", "7-Zip Console", "7-Zip", "Igor Pavlov", "23.01"},
    {"7zr.exe", "7-Zip Reduced Standalone Console", "7-Zip", "Igor Pavlov", "23.01"},
    {"Rar.exe", "Command line RAR", "WinRAR", "Alexander Roshal", "6.24.0"},
    {"chrome.exe", "Google Chrome", "Google Chrome", "Google LLC", "122.0.6261.112"},
    {"curl.exe", "The curl executable", "The curl executable", "curl, https://curl.se/", "8.4.0"},
    {"MEGAsync.exe", "MEGAsync", "MEGAsync", "Mega Limited", "4.12.2.0"},
    {"Code.exe", "Visual Studio Code", "Visual Studio Code", "Microsoft Corporation", "1.87.2"},
    {"git.exe", "Git for Windows", "Git", "The Git Development Community", "2.44.0.1"},
    {"Veeam.Backup.Manager.exe", "Veeam Backup Manager", "Veeam Backup & Replication",
     "Veeam Software Group GmbH", "12.1.1.56"},
    {"PRTG Probe.exe", "PRTG Probe", "PRTG Network Monitor", "Paessler AG", "24.1.90.1306"},
    {"CorpCRM.exe", "CorpCRM client", "CorpCRM", "CORP", "4.2.1.0"},
};

ImageMeta MetaOf(std::string_view image, std::string_view* base_out) {
  size_t slash = image.rfind('\\');
  std::string_view base = slash == std::string_view::npos ? image : image.substr(slash + 1);
  *base_out = base;
  for (const auto& m : kKnownImages)
    if (m.base == base) return m;
  const bool ms = image.size() > 11 && (image.substr(0, 11) == "C:\\Windows\\" ||
                                        image.find("\\Microsoft") != std::string_view::npos);
  if (ms)
    return {base, "", "Microsoft\xC2\xAE Windows\xC2\xAE Operating System", "Microsoft Corporation",
            "10.0.20348.2340 (WinBuild.160101.0800)"};
  return {base, "", "-", "-", "-"};
}

}  // namespace

std::string_view ChannelName(Channel ch) { return kChannelNames[int(ch)]; }

// ---- Line ---------------------------------------------------------------

void Line::Key(std::string_view key) {
  buf_->append(",\"");
  buf_->append(key);
  buf_->append("\":");
}
Line& Line::S(std::string_view key, std::string_view value) {
  if (!buf_) return *this;
  Key(key);
  AppendJsonString(value, buf_);
  return *this;
}
Line& Line::U(std::string_view key, uint64_t value) {
  if (!buf_) return *this;
  Key(key);
  AppendUInt(value, buf_);
  return *this;
}
Line& Line::X(std::string_view key, uint64_t value) {
  if (!buf_) return *this;
  Key(key);
  buf_->push_back('"');
  AppendHex(value, buf_);
  buf_->push_back('"');
  return *this;
}
Line& Line::B(std::string_view key, bool value) {
  if (!buf_) return *this;
  Key(key);
  buf_->append(value ? "true" : "false");
  return *this;
}
uint64_t Line::Noise() { return Mix(noise_, ++n_); }
Line::~Line() {
  if (buf_) sink_->EndLine(buf_);
}

// ---- Sink ---------------------------------------------------------------

Sink::Sink(const Inventory& inv, const SimulateOptions& o, std::vector<bool> owned)
    : inv_(inv), seed_(o.seed), out_dir_(o.out_dir), gzip_(o.gzip) {
  slot_.assign(inv.groups.size(), -1);
  for (size_t g = 0; g < owned.size(); ++g) {
    if (!owned[g]) continue;
    slot_[g] = int32_t(slot_group_.size());
    slot_group_.push_back(uint32_t(g));
  }
  groups_.resize(slot_group_.size());
  rid_.resize(inv.hosts.size() * kNumChannels);
  for (uint32_t h = 0; h < inv.hosts.size(); ++h)
    for (int c = 0; c < kNumChannels; ++c)
      rid_[h * kNumChannels + c] = kRidBase[c] + Mix(seed_, Tag("rid"), h, c) % (kRidBase[c] * 4);
}

Line Sink::Begin(int64_t t, uint32_t host, Channel ch, uint16_t eid, std::string_view user_sid,
                 bool activity, bool failure) {
  const uint64_t seq = ++seq_;
  const int32_t slot = slot_[inv_.hosts[host].group];
  if (slot < 0) {
    ++counter_;
    return Line(this, nullptr, 0);
  }
  if (t < floor_ns_) t = floor_ns_;
  t -= t % 100;
  Group& g = groups_[size_t(slot)];
  cur_ = &g;
  std::string& b = g.text;
  const uint64_t noise = Mix(seed_, Tag("event"), stream_, ++counter_);
  Rec rec{t, seq, b.size(), 0, 0, host, ch, eid, tag_};
  const Host& h = inv_.hosts[host];
  uint32_t pid = h.lsass_pid, tid = 100 + 4 * uint32_t(noise % 2200);
  b.append("{\"Provider_Name\":");
  switch (ch) {
    case Channel::kSecurity: {
      uint16_t task = 0, version = 0;
      for (const auto& m : kSecMeta)
        if (m.eid == eid) task = m.task, version = m.version;
      b.append("\"Microsoft-Windows-Security-Auditing\",\"Provider_Guid\":\"{54849625-5478-4994-A5BA-3E3B0328C30D}\",\"EventID\":");
      AppendUInt(eid, &b);
      b.append(",\"Version\":");
      AppendUInt(version, &b);
      b.append(",\"Level\":0,\"Task\":");
      AppendUInt(task, &b);
      b.append(failure ? ",\"Opcode\":0,\"Keywords\":\"0x8010000000000000\""
                       : ",\"Opcode\":0,\"Keywords\":\"0x8020000000000000\"");
      break;
    }
    case Channel::kSystem:
      b.append("\"Service Control Manager\",\"Provider_Guid\":\"{555908D1-A6D7-4695-8E1E-26931D2012F4}\","
               "\"Provider_EventSourceName\":\"Service Control Manager\",\"EventID\":");
      AppendUInt(eid, &b);
      b.append(",\"EventID_Qualifiers\":16384,\"Version\":0,\"Level\":4,\"Task\":0,\"Opcode\":0,"
               "\"Keywords\":\"0x8080000000000000\"");
      pid = h.services_pid;
      break;
    case Channel::kSysmon:
      b.append("\"Microsoft-Windows-Sysmon\",\"Provider_Guid\":\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\",\"EventID\":");
      AppendUInt(eid, &b);
      b.append(eid == 11 ? ",\"Version\":2" : ",\"Version\":5");
      b.append(",\"Level\":4,\"Task\":");
      AppendUInt(eid, &b);
      b.append(",\"Opcode\":0,\"Keywords\":\"0x8000000000000000\"");
      pid = h.sysmon_pid;
      break;
    case Channel::kLsm:
      b.append("\"Microsoft-Windows-TerminalServices-LocalSessionManager\",\"Provider_Guid\":\"{5D896912-022D-40AA-A3A8-4FA5515C76D7}\",\"EventID\":");
      AppendUInt(eid, &b);
      b.append(",\"Version\":0,\"Level\":4,\"Task\":0,\"Opcode\":0,\"Keywords\":\"0x1000000000000000\"");
      pid = h.lsm_pid;
      break;
    case Channel::kRcm:
      b.append("\"Microsoft-Windows-TerminalServices-RemoteConnectionManager\",\"Provider_Guid\":\"{C76BAA63-AE81-421C-B425-340B4B24157F}\",\"EventID\":");
      AppendUInt(eid, &b);
      b.append(",\"Version\":0,\"Level\":4,\"Task\":0,\"Opcode\":0,\"Keywords\":\"0x4000000000000000\"");
      pid = h.ts_pid;
      break;
  }
  b.append(",\"TimeCreated_SystemTime\":\"");
  AppendIso8601(t, &b);
  b.append("\",\"EventRecordID\":");
  rec.rid_pos = uint32_t(b.size() - rec.off);
  if (activity) {
    b.append(",\"Correlation_ActivityID\":\"");
    b.append(Guid(Mix(noise, 1), Mix(noise, 2)));
    b.push_back('"');
  }
  b.append(",\"Execution_ProcessID\":");
  AppendUInt(pid, &b);
  b.append(",\"Execution_ThreadID\":");
  AppendUInt(tid, &b);
  b.append(",\"Channel\":\"");
  b.append(kChannelNames[int(ch)]);
  b.append("\",\"Computer\":\"");
  b.append(h.fqdn);
  b.push_back('"');
  if (!user_sid.empty()) {
    b.append(",\"Security_UserID\":\"");
    b.append(user_sid);
    b.push_back('"');
  }
  g.recs.push_back(rec);
  return Line(this, &b, noise);
}

void Sink::EndLine(std::string* buf) {
  buf->push_back('}');
  Rec& r = cur_->recs.back();
  r.len = uint32_t(buf->size() - r.off);
}

namespace {

class OutFile {
 public:
  ~OutFile() { (void)Close(); }
  Status Open(const std::string& path, bool gzip) {
    path_ = path;
    if (gzip) {
      gz_ = gzopen(path.c_str(), "wb1");
      if (!gz_) return Status::IOError(path, std::strerror(errno));
      gzbuffer(gz_, 1 << 20);
    } else {
      f_ = std::fopen(path.c_str(), "wb");
      if (!f_) return Status::IOError(path, std::strerror(errno));
    }
    return Status::OK();
  }
  Status Write(std::string_view data) {
    if (data.empty()) return Status::OK();
    if (gz_) {
      if (gzwrite(gz_, data.data(), unsigned(data.size())) != int(data.size()))
        return Status::IOError(path_, "gzwrite failed");
    } else if (std::fwrite(data.data(), 1, data.size(), f_) != data.size()) {
      return Status::IOError(path_, std::strerror(errno));
    }
    return Status::OK();
  }
  Status Close() {
    Status st;
    if (gz_ && gzclose(gz_) != Z_OK) st = Status::IOError(path_, "gzclose failed");
    if (f_ && std::fclose(f_) != 0) st = Status::IOError(path_, std::strerror(errno));
    gz_ = nullptr;
    f_ = nullptr;
    return st;
  }

 private:
  std::string path_;
  gzFile gz_ = nullptr;
  FILE* f_ = nullptr;
};

}  // namespace

Status Sink::FlushDay(uint32_t day) {
  const int64_t end = inv_.DayStart(day + 1);
  std::string day_name = FormatIso8601(inv_.DayStart(day)).substr(0, 10);
  const std::string dir = out_dir_ + "/events/" + day_name;
  for (size_t slot = 0; slot < groups_.size(); ++slot) {
    Group& g = groups_[slot];
    std::vector<uint32_t> now, later;
    now.reserve(g.recs.size());
    for (uint32_t i = 0; i < g.recs.size(); ++i) (g.recs[i].t < end ? now : later).push_back(i);
    std::sort(now.begin(), now.end(), [&](uint32_t a, uint32_t b) {
      const Rec& x = g.recs[a];
      const Rec& y = g.recs[b];
      return x.t != y.t ? x.t < y.t : x.seq < y.seq;
    });
    if (!now.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      const std::string path =
          dir + "/" + inv_.groups[slot_group_[slot]] + (gzip_ ? ".jsonl.gz" : ".jsonl");
      OutFile f;
      if (Status st = f.Open(path, gzip_); !st.ok()) return st;
      out_buf_.clear();
      for (uint32_t i : now) {
        const Rec& r = g.recs[i];
        const uint64_t rid = ++rid_[r.host * kNumChannels + int(r.ch)];
        const char* p = g.text.data() + r.off;
        out_buf_.append(p, r.rid_pos);
        AppendUInt(rid, &out_buf_);
        out_buf_.append(p + r.rid_pos, r.len - r.rid_pos);
        out_buf_.push_back('\n');
        if (r.tag.campaign >= 0)
          written_.push_back({r.tag.campaign, r.tag.step, r.host, r.ch, r.eid, rid, r.t});
        if (out_buf_.size() > (4u << 20)) {
          if (Status st = f.Write(out_buf_); !st.ok()) return st;
          out_buf_.clear();
        }
      }
      if (Status st = f.Write(out_buf_); !st.ok()) return st;
      if (Status st = f.Close(); !st.ok()) return st;
      bytes_ += std::filesystem::file_size(path, ec);  // on disk (compressed with --gzip)
      events_ += now.size();
      ++files_;
    }
    // Keep the events that belong to later days: compact them to the front of
    // the same buffers (offsets only decrease, so the moves never overlap
    // forwards), keeping the memory for the next day.
    std::sort(later.begin(), later.end(), [&](uint32_t a, uint32_t b) { return g.recs[a].off < g.recs[b].off; });
    uint64_t pos = 0;
    std::vector<Rec> recs;
    recs.reserve(later.size());
    for (uint32_t i : later) {
      Rec r = g.recs[i];
      if (r.off != pos) std::memmove(g.text.data() + pos, g.text.data() + r.off, r.len);
      r.off = pos;
      pos += r.len;
      recs.push_back(r);
    }
    g.text.resize(pos);
    g.recs.clear();
    g.recs.insert(g.recs.end(), recs.begin(), recs.end());
  }
  return Status::OK();
}

void Sink::Finish() {
  for (Group& g : groups_) {
    g.text = std::string();
    g.recs = {};
  }
}

// ---- identities ---------------------------------------------------------

Principal Who(const Inventory& inv, uint32_t account) {
  const Account& a = inv.accounts[account];
  return {a.sam, a.sid, inv.domain, a.privileged};
}
Principal MachineWho(const Inventory& inv, uint32_t host) {
  const Host& h = inv.hosts[host];
  return {h.account, h.machine_sid, inv.domain, false};
}
Principal SystemWho() { return {"SYSTEM", "S-1-5-18", "NT AUTHORITY", true}; }

std::string UserText(const Inventory& inv, uint32_t account) {
  return inv.domain + "\\" + inv.accounts[account].sam;
}

std::string ProcGuid(const Inventory& inv, const Proc& p) {
  const uint64_t secs = uint64_t(p.start / 1'000'000'000);
  return fmt::format("{{{}-{}-{}-{}-{}}}", UpperHex(inv.hosts[p.host].guid_prefix, 8),
                     UpperHex(secs & 0xFFFF, 4), UpperHex((secs >> 16) & 0xFFFF, 4),
                     UpperHex(p.guid_bits >> 48, 4), UpperHex(p.guid_bits & 0xFFFFF00ULL, 12));
}

Proc SystemProc(const Inventory& inv, uint32_t host, std::string image, std::string cmdline,
                uint32_t pid, std::string user) {
  Proc p;
  p.host = host;
  p.pid = pid;
  p.guid_bits = Mix(host, pid, Tag("sysproc"));
  p.start = inv.start_ns - 3 * 86'400'000'000'000LL + int64_t(Mix(host, 7) % 86'400'000'000'000ULL);
  p.image = std::move(image);
  p.cmdline = std::move(cmdline);
  p.user = std::move(user);
  p.integrity = "System";
  p.session = 0;
  return p;
}

uint64_t NewLogonId(Rng& r) { return 0x100000 + r.Below(0x7FF00000); }

// ---- Security -----------------------------------------------------------

void Ev4624(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid,
            const LogonArgs& a) {
  Line l = s.Begin(t, host, Channel::kSecurity, 4624);
  if (!l) return;
  const Host& h = s.inv().hosts[host];
  if (a.subject_system)
    l.S("SubjectUserSid", "S-1-5-18").S("SubjectUserName", h.account).S("SubjectDomainName", s.inv().domain)
        .S("SubjectLogonId", "0x3e7");
  else
    l.S("SubjectUserSid", "S-1-0-0").S("SubjectUserName", "-").S("SubjectDomainName", "-")
        .S("SubjectLogonId", "0x0");
  std::string_view lproc = a.package, auth = a.package;
  std::string guid = "{00000000-0000-0000-0000-000000000000}";
  if (a.package == "Kerberos") {
    guid = Guid(l.Noise(), l.Noise());
  } else if (a.package == "NTLM") {
    lproc = "NtLmSsp ";
  } else {  // interactive logons: User32 / Advapi with Negotiate
    lproc = a.type == 5 ? "Advapi  " : (a.type == 9 ? "seclogo" : "User32 ");
    auth = "Negotiate";
    guid = Guid(l.Noise(), l.Noise());
  }
  l.S("TargetUserSid", who.sid).S("TargetUserName", who.name).S("TargetDomainName", who.domain)
      .X("TargetLogonId", lid).U("LogonType", a.type).S("LogonProcessName", lproc)
      .S("AuthenticationPackageName", auth).S("WorkstationName", a.workstation).S("LogonGuid", guid)
      .S("TransmittedServices", "-").S("LmPackageName", a.package == "NTLM" ? "NTLM V2" : "-")
      .U("KeyLength", a.package == "NTLM" ? 128 : 0).X("ProcessId", a.process_id)
      .S("ProcessName", a.process).S("IpAddress", a.ip);
  if (a.ip == "-" || a.ip == "127.0.0.1" || a.ip == "::1")
    l.S("IpPort", a.ip == "-" ? "-" : "0");
  else
    l.S("IpPort", std::to_string(a.ip_port ? a.ip_port : 49152 + l.Noise() % 16000));
  l.S("ImpersonationLevel", "%%1833").S("RestrictedAdminMode", a.type == 10 ? "%%1843" : "-")
      .S("TargetOutboundUserName", "-").S("TargetOutboundDomainName", "-").S("VirtualAccount", "%%1843")
      .S("TargetLinkedLogonId", "0x0")
      .S("ElevatedToken", who.privileged || a.type == 5 ? "%%1842" : "%%1843");
}

void Ev4672(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid) {
  Line l = s.Begin(t, host, Channel::kSecurity, 4672);
  if (!l) return;
  l.S("SubjectUserSid", who.sid).S("SubjectUserName", who.name).S("SubjectDomainName", who.domain)
      .X("SubjectLogonId", lid)
      .S("PrivilegeList",
         "SeSecurityPrivilege\r\n\t\t\tSeBackupPrivilege\r\n\t\t\tSeRestorePrivilege\r\n\t\t\t"
         "SeTakeOwnershipPrivilege\r\n\t\t\tSeDebugPrivilege\r\n\t\t\tSeSystemEnvironmentPrivilege\r\n\t\t\t"
         "SeLoadDriverPrivilege\r\n\t\t\tSeImpersonatePrivilege\r\n\t\t\tSeDelegateSessionUserImpersonatePrivilege");
}

void Ev4625(Sink& s, int64_t t, uint32_t host, std::string_view name, uint32_t type,
            std::string_view ip, std::string_view workstation, std::string_view sub_status) {
  Line l = s.Begin(t, host, Channel::kSecurity, 4625, {}, false, true);
  if (!l) return;
  const bool net = type == 3;
  l.S("SubjectUserSid", net ? "S-1-0-0" : "S-1-5-18")
      .S("SubjectUserName", net ? std::string_view("-") : std::string_view(s.inv().hosts[host].account))
      .S("SubjectDomainName", net ? std::string_view("-") : std::string_view(s.inv().domain))
      .S("SubjectLogonId", net ? "0x0" : "0x3e7").S("TargetUserSid", "S-1-0-0").S("TargetUserName", name)
      .S("TargetDomainName", s.inv().domain).S("Status", "0xc000006d").S("FailureReason", "%%2313")
      .S("SubStatus", sub_status).U("LogonType", type)
      .S("LogonProcessName", net ? "NtLmSsp " : "User32 ")
      .S("AuthenticationPackageName", net ? "NTLM" : "Negotiate").S("WorkstationName", workstation)
      .S("TransmittedServices", "-").S("LmPackageName", "-").U("KeyLength", 0)
      .X("ProcessId", net ? 0 : s.inv().hosts[host].lsm_pid)
      .S("ProcessName", net ? "-" : "C:\\Windows\\System32\\svchost.exe").S("IpAddress", ip)
      .S("IpPort", net ? std::to_string(49152 + l.Noise() % 16000) : std::string("0"));
}

void Ev4634(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid, uint32_t type) {
  Line l = s.Begin(t, host, Channel::kSecurity, 4634);
  if (!l) return;
  l.S("TargetUserSid", who.sid).S("TargetUserName", who.name).S("TargetDomainName", who.domain)
      .X("TargetLogonId", lid).U("LogonType", type);
}

void Ev4647(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid) {
  Line l = s.Begin(t, host, Channel::kSecurity, 4647);
  if (!l) return;
  l.S("TargetUserSid", who.sid).S("TargetUserName", who.name).S("TargetDomainName", who.domain)
      .X("TargetLogonId", lid);
}

void Ev4648(Sink& s, int64_t t, uint32_t host, const Principal& subject, uint64_t subject_lid,
            const Principal& target, std::string_view server, std::string_view info,
            std::string_view process, uint32_t pid, std::string_view ip, uint32_t port) {
  Line l = s.Begin(t, host, Channel::kSecurity, 4648);
  if (!l) return;
  l.S("SubjectUserSid", subject.sid).S("SubjectUserName", subject.name)
      .S("SubjectDomainName", subject.domain).X("SubjectLogonId", subject_lid)
      .S("LogonGuid", "{00000000-0000-0000-0000-000000000000}").S("TargetUserName", target.name)
      .S("TargetDomainName", target.domain).S("TargetLogonGuid", Guid(l.Noise(), l.Noise()))
      .S("TargetServerName", server).S("TargetInfo", info).X("ProcessId", pid).S("ProcessName", process)
      .S("IpAddress", ip).S("IpPort", port ? std::to_string(port) : std::string("-"));
}

namespace {
std::string DcIp(std::string_view ip) {
  if (ip == "-" || ip == "::1") return std::string(ip);
  return "::ffff:" + std::string(ip);
}
}  // namespace

void Ev4768(Sink& s, int64_t t, uint32_t dc, const Principal& who, std::string_view client_ip,
            std::string_view status) {
  Line l = s.Begin(t, dc, Channel::kSecurity, 4768, {}, false, status != "0x0");
  if (!l) return;
  const Inventory& inv = s.inv();
  l.S("TargetUserName", who.name).S("TargetDomainName", inv.realm).S("TargetSid", who.sid)
      .S("ServiceName", "krbtgt").S("ServiceSid", inv.domain_sid + "-502").S("TicketOptions", "0x40810010")
      .S("Status", status).S("TicketEncryptionType", "0x12").S("PreAuthType", "2")
      .S("IpAddress", DcIp(client_ip)).S("IpPort", std::to_string(49152 + l.Noise() % 16000))
      .S("CertIssuerName", "").S("CertSerialNumber", "").S("CertThumbprint", "");
}

void Ev4769(Sink& s, int64_t t, uint32_t dc, const Principal& who, std::string_view service,
            std::string_view service_sid, std::string_view client_ip) {
  Line l = s.Begin(t, dc, Channel::kSecurity, 4769);
  if (!l) return;
  const Inventory& inv = s.inv();
  l.S("TargetUserName", std::string(who.name) + "@" + inv.realm).S("TargetDomainName", inv.realm)
      .S("ServiceName", service).S("ServiceSid", service_sid).S("TicketOptions", "0x40810000")
      .S("TicketEncryptionType", "0x12").S("IpAddress", DcIp(client_ip))
      .S("IpPort", std::to_string(49152 + l.Noise() % 16000)).S("Status", "0x0")
      .S("LogonGuid", Guid(l.Noise(), l.Noise())).S("TransmittedServices", "-");
}

void Ev4776(Sink& s, int64_t t, uint32_t dc, std::string_view name, std::string_view workstation,
            std::string_view status) {
  Line l = s.Begin(t, dc, Channel::kSecurity, 4776, {}, false, status != "0x0");
  if (!l) return;
  l.S("PackageName", "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0").S("TargetUserName", name)
      .S("Workstation", workstation).S("Status", status);
}

void Ev5140(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid,
            std::string_view ip, std::string_view share, std::string_view local_path) {
  Line l = s.Begin(t, host, Channel::kSecurity, 5140);
  if (!l) return;
  l.S("SubjectUserSid", who.sid).S("SubjectUserName", who.name).S("SubjectDomainName", who.domain)
      .X("SubjectLogonId", lid).S("ObjectType", "File").S("IpAddress", ip)
      .S("IpPort", std::to_string(49152 + l.Noise() % 16000)).S("ShareName", std::string("\\\\*\\") + std::string(share))
      .S("ShareLocalPath", local_path).S("AccessMask", "0x1").S("AccessList", "%%4416\r\n\t\t\t\t");
}

void Ev5145(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid,
            std::string_view ip, std::string_view share, std::string_view local_path,
            std::string_view relative, bool write) {
  Line l = s.Begin(t, host, Channel::kSecurity, 5145);
  if (!l) return;
  l.S("SubjectUserSid", who.sid).S("SubjectUserName", who.name).S("SubjectDomainName", who.domain)
      .X("SubjectLogonId", lid).S("ObjectType", "File").S("IpAddress", ip)
      .S("IpPort", std::to_string(49152 + l.Noise() % 16000)).S("ShareName", std::string("\\\\*\\") + std::string(share))
      .S("ShareLocalPath", local_path).S("RelativeTargetName", relative)
      .S("AccessMask", write ? "0x2" : "0x1")
      .S("AccessList", write ? "%%4417\r\n\t\t\t\t" : "%%4416\r\n\t\t\t\t")
      .S("AccessReason", "-");
}

void Ev4778(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid,
            std::string_view client, std::string_view address, bool reconnect) {
  Line l = s.Begin(t, host, Channel::kSecurity, reconnect ? 4778 : 4779);
  if (!l) return;
  l.S("AccountName", who.name).S("AccountDomain", who.domain).X("LogonID", lid)
      .S("SessionName", "RDP-Tcp#" + std::to_string(1 + l.Noise() % 40)).S("ClientName", client)
      .S("ClientAddress", address);
}

void Ev7045(Sink& s, int64_t t, uint32_t host, std::string_view name, std::string_view image,
            std::string_view start_type, std::string_view account, std::string_view installer_sid) {
  Line l = s.Begin(t, host, Channel::kSystem, 7045, installer_sid);
  if (!l) return;
  l.S("ServiceName", name).S("ImagePath", image).S("ServiceType", "user mode service")
      .S("StartType", start_type).S("AccountName", account);
}

// ---- Sysmon -------------------------------------------------------------

void Sysmon1(Sink& s, int64_t t, const Proc& p, const Proc* parent, std::string_view) {
  Line l = s.Begin(t, p.host, Channel::kSysmon, 1, "S-1-5-18");
  if (!l) return;
  const Inventory& inv = s.inv();
  std::string_view base;
  ImageMeta m = MetaOf(p.image, &base);
  std::string upper_base(base);
  for (char& c : upper_base) c = char(std::toupper(static_cast<unsigned char>(c)));
  const uint64_t h = Mix(s.seed(), Tag("image"), Tag(p.image));
  std::string hashes = "SHA1=" + UpperHex(Mix(h, 1), 16) + UpperHex(Mix(h, 2), 16) +
                       UpperHex(Mix(h, 3), 8) + ",MD5=" + UpperHex(Mix(h, 4), 16) +
                       UpperHex(Mix(h, 5), 16) + ",SHA256=" + UpperHex(Mix(h, 6), 16) +
                       UpperHex(Mix(h, 7), 16) + UpperHex(Mix(h, 8), 16) + UpperHex(Mix(h, 9), 16) +
                       ",IMPHASH=" + UpperHex(Mix(h, 10), 16) + UpperHex(Mix(h, 11), 16);
  std::string_view desc = m.description.empty() ? base.substr(0, base.rfind('.')) : m.description;
  std::string cwd = p.session == 0 || p.user.find('\\') == std::string::npos
                        ? std::string("C:\\Windows\\system32\\")
                        : "C:\\Users\\" + p.user.substr(p.user.find('\\') + 1) + "\\";
  l.S("RuleName", "-").S("UtcTime", SysmonTime(t)).S("ProcessGuid", ProcGuid(inv, p))
      .U("ProcessId", p.pid).S("Image", p.image).S("FileVersion", m.version).S("Description", desc)
      .S("Product", m.product).S("Company", m.company)
      .S("OriginalFileName", m.company == "Microsoft Corporation" ? std::string_view(upper_base) : base)
      .S("CommandLine", p.cmdline).S("CurrentDirectory", cwd).S("User", p.user)
      .S("LogonGuid", fmt::format("{{{}-{}-{}-{}-000000000000}}", UpperHex(inv.hosts[p.host].guid_prefix, 8),
                                  UpperHex(p.logon_id >> 16, 4), UpperHex(p.logon_id, 4),
                                  UpperHex(p.logon_id >> 32, 4)))
      .X("LogonId", p.logon_id).U("TerminalSessionId", p.session).S("IntegrityLevel", p.integrity)
      .S("Hashes", hashes);
  if (parent) {
    l.S("ParentProcessGuid", ProcGuid(inv, *parent)).U("ParentProcessId", parent->pid)
        .S("ParentImage", parent->image).S("ParentCommandLine", parent->cmdline)
        .S("ParentUser", parent->user);
  } else {
    l.S("ParentProcessGuid", "{00000000-0000-0000-0000-000000000000}").U("ParentProcessId", 0)
        .S("ParentImage", "-").S("ParentCommandLine", "-").S("ParentUser", "-");
  }
}

void Sysmon3(Sink& s, int64_t t, const Proc& p, std::string_view dst_ip, uint32_t dst_port,
             std::string_view dst_host, bool initiated, std::string_view src_ip) {
  Line l = s.Begin(t, p.host, Channel::kSysmon, 3, "S-1-5-18");
  if (!l) return;
  const Host& h = s.inv().hosts[p.host];
  const char* port_name = "-";
  switch (dst_port) {
    case 443: port_name = "https"; break;
    case 80: port_name = "http"; break;
    case 445: port_name = "microsoft-ds"; break;
    case 3389: port_name = "ms-wbt-server"; break;
    case 1433: port_name = "ms-sql-s"; break;
    case 135: port_name = "epmap"; break;
  }
  l.S("RuleName", "-").S("UtcTime", SysmonTime(t)).S("ProcessGuid", ProcGuid(s.inv(), p))
      .U("ProcessId", p.pid).S("Image", p.image).S("User", p.user).S("Protocol", "tcp")
      .B("Initiated", initiated).B("SourceIsIpv6", false)
      .S("SourceIp", src_ip.empty() ? std::string_view(h.ip) : src_ip)
      .S("SourceHostname", initiated ? std::string_view(h.fqdn) : std::string_view("-"))
      .U("SourcePort", 49152 + l.Noise() % 16000).S("SourcePortName", "-").B("DestinationIsIpv6", false)
      .S("DestinationIp", initiated ? dst_ip : std::string_view(h.ip))
      .S("DestinationHostname", dst_host.empty() ? std::string_view("-") : dst_host)
      .U("DestinationPort", dst_port).S("DestinationPortName", port_name);
}

void Sysmon11(Sink& s, int64_t t, const Proc& p, std::string_view path) {
  Line l = s.Begin(t, p.host, Channel::kSysmon, 11, "S-1-5-18");
  if (!l) return;
  const std::string ut = SysmonTime(t);
  l.S("RuleName", "-").S("UtcTime", ut).S("ProcessGuid", ProcGuid(s.inv(), p)).U("ProcessId", p.pid)
      .S("Image", p.image).S("TargetFilename", path).S("CreationUtcTime", ut).S("User", p.user);
}

void Sysmon22(Sink& s, int64_t t, const Proc& p, std::string_view query, std::string_view results) {
  Line l = s.Begin(t, p.host, Channel::kSysmon, 22, "S-1-5-18");
  if (!l) return;
  l.S("RuleName", "-").S("UtcTime", SysmonTime(t)).S("ProcessGuid", ProcGuid(s.inv(), p))
      .U("ProcessId", p.pid).S("QueryName", query).S("QueryStatus", "0").S("QueryResults", results)
      .S("Image", p.image).S("User", p.user);
}

// ---- TerminalServices ---------------------------------------------------

void Lsm(Sink& s, int64_t t, uint32_t host, uint16_t eid, std::string_view user, uint32_t session,
         std::string_view address) {
  Line l = s.Begin(t, host, Channel::kLsm, eid, "S-1-5-18", true);
  if (!l) return;
  l.S("User", user).U("SessionID", session);
  if (!address.empty()) l.S("Address", address);
}

void Rcm1149(Sink& s, int64_t t, uint32_t host, std::string_view user, std::string_view domain,
             std::string_view address) {
  Line l = s.Begin(t, host, Channel::kRcm, 1149, "S-1-5-20", true);
  if (!l) return;
  l.S("Param1", user).S("Param2", domain).S("Param3", address);
}

}  // namespace inari::sim
