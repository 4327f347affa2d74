#include "simulate/actions.h"

#include <fmt/format.h>

namespace inari::sim {

namespace {
uint32_t HostPid(uint32_t host, uint32_t k, uint32_t lo, uint32_t span) {
  return lo + 4 * uint32_t(Mix(host, k, Tag("pid")) % span);
}
}  // namespace

Proc ServicesExe(const Env& e, uint32_t host) {
  return SystemProc(e.inv, host, "C:\\Windows\\System32\\services.exe",
                    "C:\\Windows\\system32\\services.exe", e.inv.hosts[host].services_pid);
}
Proc SchedulerSvchost(const Env& e, uint32_t host) {
  return SystemProc(e.inv, host, "C:\\Windows\\System32\\svchost.exe",
                    "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
                    HostPid(host, 1, 1400, 100));
}
Proc WinlogonExe(const Env& e, uint32_t host) {
  return SystemProc(e.inv, host, "C:\\Windows\\System32\\winlogon.exe", "winlogon.exe",
                    HostPid(host, 2, 500, 40));
}
Proc WmiHost(const Env& e, uint32_t host) {
  return SystemProc(e.inv, host, "C:\\Windows\\System32\\svchost.exe",
                    "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p", HostPid(host, 3, 800, 40));
}
Proc TeamViewerService(const Env& e, uint32_t host) {
  return SystemProc(e.inv, host, "C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe",
                    "\"C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe\"",
                    HostPid(host, 4, 3000, 400));
}

Proc Spawn(const Env& e, Rng& r, int64_t t, const Proc& parent, std::string image,
           std::string cmdline) {
  Proc p;
  p.host = parent.host;
  p.pid = 1000 + 4 * uint32_t(r.Below(7000));
  p.guid_bits = r.Next();
  p.start = t;
  p.image = std::move(image);
  p.cmdline = std::move(cmdline);
  p.user = parent.user;
  p.logon_id = parent.logon_id;
  p.integrity = parent.integrity;
  p.session = parent.session;
  Sysmon1(e.s, t, p, &parent);
  return p;
}

Proc SpawnAs(const Env& e, Rng& r, int64_t t, const Proc& parent, std::string image,
             std::string cmdline, uint32_t account, uint64_t lid, const char* integrity,
             uint32_t session) {
  Proc p;
  p.host = parent.host;
  p.pid = 1000 + 4 * uint32_t(r.Below(7000));
  p.guid_bits = r.Next();
  p.start = t;
  p.image = std::move(image);
  p.cmdline = std::move(cmdline);
  p.user = UserText(e.inv, account);
  p.logon_id = lid;
  p.integrity = integrity;
  p.session = session;
  Sysmon1(e.s, t, p, &parent);
  return p;
}

uint64_t NetLogon(const Env& e, Rng& r, int64_t t, uint32_t account, std::string_view src_ip,
                  uint32_t src_dc, uint32_t target, std::string_view spn, bool ntlm,
                  std::string_view workstation) {
  const Inventory& inv = e.inv;
  const Principal who = Who(inv, account);
  const Host& th = inv.hosts[target];
  if (ntlm) {
    Ev4776(e.s, t, th.dc, who.name, workstation);
  } else if (spn == "MSSQLSvc") {
    const Account& sql = inv.accounts[inv.svc_sql];
    Ev4769(e.s, t, src_dc, who, sql.sam, sql.sid, src_ip);
  } else {
    Ev4769(e.s, t, src_dc, who, th.account, th.machine_sid, src_ip);
  }
  const uint64_t lid = NewLogonId(r);
  t += Dur(r, 20 * kMs, 200 * kMs);
  LogonArgs a;
  a.type = 3;
  a.ip = src_ip;
  a.package = ntlm ? "NTLM" : "Kerberos";
  a.workstation = ntlm ? workstation : std::string_view("-");
  Ev4624(e.s, t, target, who, lid, a);
  if (who.privileged) Ev4672(e.s, t + 100, target, who, lid);
  return lid;
}

int64_t ShareVisit(const Env& e, Rng& r, int64_t t, uint32_t account, uint64_t lid,
                   std::string_view src_ip, uint32_t target, std::string_view share,
                   std::string_view local_path, const std::vector<std::string>& files,
                   bool write) {
  const Principal who = Who(e.inv, account);
  Ev5140(e.s, t, target, who, lid, src_ip, share, local_path);
  for (const auto& f : files) {
    t += Dur(r, 10 * kMs, 3 * kSec);
    Ev5145(e.s, t, target, who, lid, src_ip, share, local_path, f, write);
  }
  return t;
}

RdpSession RdpLogon(const Env& e, Rng& r, int64_t t, uint32_t target, uint32_t account,
                    std::string_view src_ip, std::string_view client, bool kerberos) {
  const Inventory& inv = e.inv;
  const Host& th = inv.hosts[target];
  const Principal who = Who(inv, account);
  RdpSession s;
  s.host = target;
  s.account = account;
  s.src_ip = std::string(src_ip);
  s.client = std::string(client);
  s.session = 2 + uint32_t(r.Below(6));
  if (!kerberos) Ev4776(e.s, t - 150 * kMs, th.dc, who.name, client);
  const uint64_t nla = NewLogonId(r);
  LogonArgs a;
  a.type = 3;
  a.ip = src_ip;
  a.package = kerberos ? "Kerberos" : "NTLM";
  a.workstation = kerberos ? std::string_view("-") : client;
  Ev4624(e.s, t, target, who, nla, a);
  if (who.privileged) Ev4672(e.s, t + 100, target, who, nla);
  t += Dur(r, 50 * kMs, 300 * kMs);
  Rcm1149(e.s, t, target, who.name, inv.domain, src_ip);
  Ev4634(e.s, t + Dur(r, 200 * kMs, kSec), target, who, nla, 3);
  t += Dur(r, 500 * kMs, 2 * kSec);
  s.lid = NewLogonId(r);
  LogonArgs b;
  b.type = 10;
  b.ip = src_ip;
  b.workstation = th.name;
  b.package = "Negotiate";
  b.process = "C:\\Windows\\System32\\svchost.exe";
  b.process_id = th.lsm_pid;
  b.subject_system = true;
  Ev4624(e.s, t, target, who, s.lid, b);
  if (who.privileged) Ev4672(e.s, t + 100, target, who, s.lid);
  const std::string user = UserText(inv, account);
  t += Dur(r, 300 * kMs, 1500 * kMs);
  Lsm(e.s, t, target, 21, user, s.session, src_ip);
  t += Dur(r, 300 * kMs, 1500 * kMs);
  Lsm(e.s, t, target, 22, user, s.session, src_ip);
  const char* integrity = who.privileged ? "High" : "Medium";
  Proc winlogon = WinlogonExe(e, target);
  t += Dur(r, 200 * kMs, 600 * kMs);
  Proc userinit = SpawnAs(e, r, t, winlogon, "C:\\Windows\\System32\\userinit.exe",
                          "C:\\Windows\\system32\\userinit.exe", account, s.lid, integrity, s.session);
  t += Dur(r, 500 * kMs, 1500 * kMs);
  s.explorer = Spawn(e, r, t, userinit, "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE");
  s.t = t + Dur(r, 2 * kSec, 4 * kSec);
  return s;
}

void RdpLogoff(const Env& e, Rng& r, int64_t t, const RdpSession& s) {
  const Principal who = Who(e.inv, s.account);
  Lsm(e.s, t, s.host, 23, UserText(e.inv, s.account), s.session, {});
  t += Dur(r, 100 * kMs, kSec);
  Ev4647(e.s, t, s.host, who, s.lid);
  Ev4634(e.s, t + Dur(r, 500 * kMs, 3 * kSec), s.host, who, s.lid, 10);
}

void RdpDisconnect(const Env& e, Rng& r, int64_t t, const RdpSession& s) {
  Lsm(e.s, t, s.host, 24, UserText(e.inv, s.account), s.session, s.src_ip);
  Ev4778(e.s, t + Dur(r, 0, 200 * kMs), s.host, Who(e.inv, s.account), s.lid, s.client, s.src_ip,
         false);
}

int64_t RdpReconnect(const Env& e, Rng& r, int64_t t, RdpSession* s, std::string_view src_ip) {
  const Inventory& inv = e.inv;
  const Principal who = Who(inv, s->account);
  const uint64_t nla = NewLogonId(r);
  LogonArgs a;
  a.type = 3;
  a.ip = src_ip;
  Ev4624(e.s, t, s->host, who, nla, a);
  Rcm1149(e.s, t + Dur(r, 50 * kMs, 200 * kMs), s->host, who.name, inv.domain, src_ip);
  Ev4634(e.s, t + Dur(r, 300 * kMs, kSec), s->host, who, nla, 3);
  t += Dur(r, 500 * kMs, 2 * kSec);
  LogonArgs b;
  b.type = 7;
  b.ip = src_ip;
  b.workstation = inv.hosts[s->host].name;
  b.package = "Negotiate";
  b.process = "C:\\Windows\\System32\\svchost.exe";
  b.process_id = inv.hosts[s->host].lsm_pid;
  b.subject_system = true;
  Ev4624(e.s, t, s->host, who, NewLogonId(r), b);
  t += Dur(r, 200 * kMs, kSec);
  Lsm(e.s, t, s->host, 25, UserText(inv, s->account), s->session, src_ip);
  Ev4778(e.s, t + Dur(r, 0, 200 * kMs), s->host, who, s->lid, s->client, src_ip, true);
  s->src_ip = std::string(src_ip);
  return t + Dur(r, kSec, 3 * kSec);
}

RdpSession RdpHop(const Env& e, Rng& r, int64_t t, const Proc& from, uint32_t from_account,
                  uint32_t target, uint32_t account) {
  const Inventory& inv = e.inv;
  const Host& src = inv.hosts[from.host];
  const Host& th = inv.hosts[target];
  Proc mstsc = Spawn(e, r, t, from, "C:\\Windows\\System32\\mstsc.exe",
                     "\"C:\\Windows\\system32\\mstsc.exe\" /v:" + th.name);
  t += Dur(r, 2 * kSec, 8 * kSec);
  if (account != from_account)
    Ev4648(e.s, t, from.host, Who(inv, from_account), from.logon_id, Who(inv, account), th.fqdn,
           th.fqdn, "C:\\Windows\\System32\\mstsc.exe", mstsc.pid, th.ip, 3389);
  t += Dur(r, 100 * kMs, 500 * kMs);
  const Principal who = Who(inv, account);
  if (account != from_account) Ev4768(e.s, t, src.dc, who, src.ip);
  Ev4769(e.s, t + 50 * kMs, src.dc, who, th.account, th.machine_sid, src.ip);
  t += Dur(r, 200 * kMs, 600 * kMs);
  Sysmon3(e.s, t, mstsc, th.ip, 3389, th.fqdn);
  return RdpLogon(e, r, t + Dur(r, 100 * kMs, 500 * kMs), target, account, src.ip, src.name, true);
}

ConsoleSession ConsoleLogon(const Env& e, Rng& r, int64_t t, uint32_t host, uint32_t account,
                            uint32_t type) {
  const Inventory& inv = e.inv;
  const Host& h = inv.hosts[host];
  const Principal who = Who(inv, account);
  ConsoleSession cs;
  if (type != 11) {
    Ev4768(e.s, t, h.dc, who, h.ip);
    Ev4769(e.s, t + Dur(r, 50 * kMs, 300 * kMs), h.dc, who, h.account, h.machine_sid, h.ip);
  }
  t += Dur(r, 400 * kMs, kSec);
  cs.lid = NewLogonId(r);
  LogonArgs a;
  a.type = type;
  a.ip = "127.0.0.1";
  a.workstation = h.name;
  a.package = "Negotiate";
  a.process = "C:\\Windows\\System32\\svchost.exe";
  a.process_id = h.lsm_pid;
  a.subject_system = true;
  Ev4624(e.s, t, host, who, cs.lid, a);
  if (who.privileged) Ev4672(e.s, t + 100, host, who, cs.lid);
  Proc winlogon = WinlogonExe(e, host);
  t += Dur(r, kSec, 2 * kSec);
  Proc userinit = SpawnAs(e, r, t, winlogon, "C:\\Windows\\System32\\userinit.exe",
                          "C:\\Windows\\system32\\userinit.exe", account, cs.lid,
                          who.privileged ? "High" : "Medium", 1);
  t += Dur(r, kSec, 2 * kSec);
  cs.explorer = Spawn(e, r, t, userinit, "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE");
  cs.t = t + Dur(r, 5 * kSec, 30 * kSec);
  return cs;
}

void Connect(const Env& e, Rng& r, int64_t t, const Proc& p, std::string_view name,
             std::string_view ip, uint32_t port) {
  Sysmon22(e.s, t, p, name, std::string("::ffff:") + std::string(ip) + ";");
  Sysmon3(e.s, t + Dur(r, 5 * kMs, 80 * kMs), p, ip, port, name);
}

}  // namespace inari::sim
