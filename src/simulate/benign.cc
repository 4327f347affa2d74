// Ordinary business of the simulated enterprise, including the benign
// situations that look like attacks (docs/simulate.md, "Confounders").
#include <fmt/format.h>

#include <algorithm>

#include "base/time.h"
#include "simulate/generate.h"

namespace inari::sim {

namespace {

struct Web {
  const char* name;
  const char* ip;
};
constexpr Web kWeb[] = {
    {"outlook.office365.com", "52.97.146.162"}, {"teams.microsoft.com", "52.113.194.132"},
    {"www.google.com", "142.250.185.78"},       {"login.microsoftonline.com", "20.190.159.2"},
    {"onedrive.live.com", "13.107.42.12"},      {"www.linkedin.com", "13.107.42.14"},
    {"www.bahn.de", "81.200.198.6"},            {"zoom.us", "170.114.52.2"},
    {"www.spiegel.de", "128.65.210.8"},         {"github.com", "140.82.121.4"},
    {"www.heise.de", "193.99.144.85"},          {"acroipm2.adobe.com", "23.45.232.112"},
    {"intranet.corp.local", "10.10.10.40"},     {"www.dhl.de", "23.50.52.122"},
};

struct App {
  const char* image;
  const char* args;
};
constexpr App kOffice[] = {
    {"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE", ""},
    {"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", ""},
    {"C:\\Program Files\\Microsoft Office\\root\\Office16\\POWERPNT.EXE", ""},
    {"C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe", ""},
    {"C:\\Windows\\System32\\notepad.exe", ""},
    {"C:\\Windows\\System32\\SnippingTool.exe", ""},
    {"C:\\Program Files\\7-Zip\\7zFM.exe", ""},
    {"C:\\Windows\\System32\\calc.exe", ""},
};
constexpr const char* kFileNames[] = {
    "Budget_2025.xlsx", "Protokoll_Teammeeting.docx", "Angebot_{}.pdf", "Kundenliste_Q1.xlsx",
    "Praesentation_Vertrieb.pptx", "Reisekosten_{}.xlsx", "Vertrag_{}.docx", "Rechnung_{}.pdf",
    "Projektplan.mpp", "Notizen.txt", "Richtlinie_IT.pdf", "Bestellung_{}.xlsx"};

std::string ShareOf(const std::string& dept) { return dept; }

std::string FileName(Rng& r) {
  std::string f = kFileNames[r.Below(std::size(kFileNames))];
  size_t p = f.find("{}");
  if (p != std::string::npos) f.replace(p, 2, std::to_string(r.Range(1000, 9999)));
  return f;
}

constexpr const char* kTvRouters[] = {"217.146.21.33", "217.146.11.129", "37.252.227.81",
                                      "37.252.230.144"};
constexpr const char* kAnyDeskRelays[] = {"195.181.174.203", "195.181.170.35", "37.61.220.20",
                                          "45.89.243.166"};

}  // namespace

BenignGenerator::BenignGenerator(const Env& e, uint64_t seed, std::vector<Confounder>* confounders)
    : e_(e), seed_(seed), confounders_(confounders), anydesk_installed_(e.inv.hosts.size(), 0) {}

void BenignGenerator::Note(std::string kind, int64_t t, uint32_t host, uint32_t account,
                           std::string detail) {
  if (!confounders_) return;
  confounders_->push_back(Confounder{std::move(kind), t, e_.inv.hosts[host].name,
                                     e_.inv.accounts[account].sam, std::move(detail)});
}

void BenignGenerator::Day(uint32_t day) {
  const Inventory& inv = e_.inv;
  MachineAccounts(day);
  for (uint32_t h = 0; h < inv.hosts.size(); ++h)
    if (e_.s.Owns(h)) HostBackground(day, h);
  for (uint32_t u : inv.persons) UserDay(day, u);
  BackupNight(day);
  PatchNight(day);
  Monitoring(day);
  SqlBackups(day);
  Scanners(day);
  StaleCredentials(day);
}

// Machines talk to their DC every morning: TGT, LDAP ticket, SYSVOL/GPO.
void BenignGenerator::MachineAccounts(uint32_t day) {
  const Inventory& inv = e_.inv;
  for (uint32_t h = 0; h < inv.hosts.size(); ++h) {
    const Host& host = inv.hosts[h];
    if (host.role == HostRole::kDc) continue;
    if (!e_.s.Owns(host.dc)) continue;
    Rng r = Rng::For(seed_, Tag("machine"), h, day);
    e_.s.Stream(r.Next());
    int64_t t = inv.Local(day, host.site, r.Range(5 * 60, 7 * 60 + 30)) + Dur(r, 0, kMin);
    const Principal who = MachineWho(inv, h);
    const Host& dc = inv.hosts[host.dc];
    Ev4768(e_.s, t, host.dc, who, host.ip);
    Ev4769(e_.s, t + Dur(r, 50 * kMs, 400 * kMs), host.dc, who, dc.account, dc.machine_sid, host.ip);
    const uint64_t lid = NewLogonId(r);
    t += Dur(r, 500 * kMs, kSec);
    LogonArgs a;
    a.ip = host.ip;
    Ev4624(e_.s, t, host.dc, who, lid, a);
    t += Dur(r, 200 * kMs, kSec);
    Ev5140(e_.s, t, host.dc, who, lid, host.ip, "SYSVOL", "\\??\\C:\\Windows\\SYSVOL\\sysvol");
    Ev5145(e_.s, t + Dur(r, 10 * kMs, 300 * kMs), host.dc, who, lid, host.ip, "SYSVOL",
           "\\??\\C:\\Windows\\SYSVOL\\sysvol",
           inv.dns_domain + "\\Policies\\{31B2F340-016D-11D2-945F-00C04FB984F9}\\gpt.ini", false);
    Ev4634(e_.s, t + Dur(r, 2 * kSec, 10 * kSec), host.dc, who, lid, 3);
  }
}

// Scheduled tasks, Defender, Windows Update, DNS of the OS: every host, every day.
void BenignGenerator::HostBackground(uint32_t day, uint32_t h) {
  const Inventory& inv = e_.inv;
  const Host& host = inv.hosts[h];
  Rng r = Rng::For(seed_, Tag("background"), h, day);
  e_.s.Stream(r.Next());
  const Proc sched = SchedulerSvchost(e_, h);
  struct Task {
    const char* image;
    const char* cmd;
    bool ws_only;
  };
  static constexpr Task kTasks[] = {
      {"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24020.7-0\\MpCmdRun.exe",
       "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24020.7-0\\MpCmdRun.exe\" -SignatureUpdate -ScheduleJob -RestrictPrivileges",
       false},
      {"C:\\Windows\\System32\\taskhostw.exe", "taskhostw.exe", false},
      {"C:\\Windows\\System32\\sc.exe", "C:\\Windows\\system32\\sc.exe start wuauserv", false},
      {"C:\\Windows\\System32\\CompatTelRunner.exe", "C:\\Windows\\system32\\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun",
       false},
      {"C:\\Program Files (x86)\\Google\\GoogleUpdater\\122.0.6228.0\\updater.exe",
       "\"C:\\Program Files (x86)\\Google\\GoogleUpdater\\122.0.6228.0\\updater.exe\" --wake --system", true},
      {"C:\\Program Files\\Microsoft OneDrive\\OneDriveStandaloneUpdater.exe",
       "\"C:\\Program Files\\Microsoft OneDrive\\OneDriveStandaloneUpdater.exe\" /reporting", true},
  };
  const bool ws = !IsServer(host.role);
  for (const Task& task : kTasks) {
    if (task.ws_only && !ws) continue;
    int64_t t = inv.DayStart(day) + Dur(r, 2 * kHour, 23 * kHour);
    Proc p = Spawn(e_, r, t, sched, task.image, task.cmd);
    if (r.Percent(40))
      Connect(e_, r, t + Dur(r, kSec, 20 * kSec), p, "settings-win.data.microsoft.com", "20.42.73.29", 443);
  }
  const Proc svc = ServicesExe(e_, h);
  Proc wu = SystemProc(inv, h, "C:\\Windows\\System32\\svchost.exe",
                       "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s wuauserv", 1300 + 4 * (h % 50));
  for (int k = 0; k < 3; ++k)
    Connect(e_, r, inv.DayStart(day) + Dur(r, 0, 24 * kHour - kMin), wu,
            k == 0 ? "ctldl.windowsupdate.com" : (k == 1 ? "fe3cr.delivery.mp.microsoft.com" : "slscr.update.microsoft.com"),
            k == 0 ? "93.184.221.240" : "20.54.89.106", k == 0 ? 80 : 443);
  Spawn(e_, r, inv.DayStart(day) + Dur(r, 6 * kHour, 18 * kHour), WmiHost(e_, h),
        "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding");
  if (ws) {
    Proc tv = TeamViewerService(e_, h);
    Connect(e_, r, inv.Local(day, host.site, r.Range(6 * 60, 9 * 60)), tv,
            fmt::format("master{}.teamviewer.com", r.Range(1, 16)), kTvRouters[r.Below(4)], 5938);
  }
  if (host.role == HostRole::kSql) {
    Proc agent = Spawn(e_, r, inv.DayStart(day) + Dur(r, kHour, 3 * kHour), svc,
                       "C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE",
                       "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE\" -i MSSQLSERVER");
    (void)agent;
  }
  if (host.role == HostRole::kApp && r.Percent(50)) {
    Spawn(e_, r, inv.DayStart(day) + Dur(r, 0, 24 * kHour - kMin), svc,
          "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
          "c:\\windows\\system32\\inetsrv\\w3wp.exe -ap \"CorpIntranet\" -v \"v4.0\" -l \"webengine4.dll\" -a \\\\.\\pipe\\iisipm");
  }
  // Now and then a vendor updater installs its service (a benign 7045).
  if (r.Permille(ws ? 3 : 2)) {
    static constexpr const char* kServices[][2] = {
        {"Google Updater Service (GoogleUpdaterService122.0.6228.0)",
         "\"C:\\Program Files (x86)\\Google\\GoogleUpdater\\122.0.6228.0\\updater.exe\" --system --windows-service --service=update"},
        {"Adobe Acrobat Update Service", "\"C:\\Program Files (x86)\\Common Files\\Adobe\\ARM\\1.0\\armsvc.exe\""},
        {"Zoom Sharing Service", "\"C:\\Program Files\\Zoom\\bin\\CptService.exe\" -user_path \"C:\\Users\\Public\""},
        {"Dell SupportAssist Remediation", "\"C:\\Program Files\\Dell\\SARemediation\\agent\\DellSupportAssistRemediationService.exe\""},
        {"Microsoft Edge Elevation Service (MicrosoftEdgeElevationService)",
         "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\123.0.2420.65\\elevation_service.exe\""}};
    const auto& sv = kServices[r.Below(std::size(kServices))];
    int64_t t = inv.DayStart(day) + Dur(r, 0, 24 * kHour - kMin);
    Ev7045(e_.s, t, h, sv[0], sv[1], "auto start", "LocalSystem", "S-1-5-18");
  }
}

void BenignGenerator::UserDay(uint32_t day, uint32_t u) {
  const Inventory& inv = e_.inv;
  const Account& acct = inv.accounts[u];
  if (acct.first_day > day) return;
  Rng r = Rng::For(seed_, Tag("user"), u, day);
  e_.s.Stream(r.Next());
  const int wd = Weekday(inv.DayStart(day) / (86400 * kSec));
  const bool weekend = wd >= 5;
  const bool works = weekend ? r.Permille(35) : r.Percent(92);
  if (!works) return;
  const uint32_t ws = uint32_t(acct.workstation);
  const Host& wsh = inv.hosts[ws];
  const Principal who = Who(inv, u);
  int64_t start_min = weekend ? r.Range(10 * 60, 15 * 60) : r.Range(7 * 60, 9 * 60 + 30);
  int64_t t = inv.Local(day, acct.site, start_min) + Dur(r, 0, kMin);
  const int64_t end = t + (weekend ? Dur(r, kHour, 3 * kHour) : Dur(r, 8 * kHour, 9 * kHour + 30 * kMin));
  const bool remote = acct.remote_worker && r.Percent(70);
  if (acct.first_day == day && acct.first_day > 0)
    Note("new_hire_first_logon", t, ws, u, "first logon of a new employee on a workstation unused before");

  Proc explorer;
  uint64_t lid = 0;
  RdpSession rdp;
  std::string src_ip = wsh.ip;
  if (remote) {
    std::string vpn = acct.vpn_ips[r.Below(acct.vpn_ips.size())];
    if (r.Percent(6)) {
      vpn = fmt::format("10.250.{}.{}", r.Range(64, 255), r.Range(2, 254));
      Note("vpn_new_address", t, ws, u, "remote worker connects from a VPN address never used before: " + vpn);
    }
    const std::string client = "LT-" + wsh.name.substr(wsh.name.size() - 4);
    rdp = RdpLogon(e_, r, t, ws, u, vpn, client, false);
    explorer = rdp.explorer;
    lid = rdp.lid;
    t = rdp.t;
  } else {
    if (r.Percent(1)) {  // password typo first
      Ev4625(e_.s, t - Dur(r, 5 * kSec, 20 * kSec), ws, acct.sam, 2, "127.0.0.1", wsh.name, "0xc000006a");
    }
    ConsoleSession cs = ConsoleLogon(e_, r, t, ws, u, r.Percent(2) ? 11 : 2);
    explorer = cs.explorer;
    lid = cs.lid;
    t = cs.t;
  }
  // Group policy at logon: the user on the DC (SYSVOL).
  {
    const uint64_t glid = NewLogonId(r);
    int64_t g = t + Dur(r, kSec, 10 * kSec);
    LogonArgs a;
    a.ip = wsh.ip;
    Ev4624(e_.s, g, wsh.dc, who, glid, a);
    Ev5140(e_.s, g + Dur(r, 100 * kMs, kSec), wsh.dc, who, glid, wsh.ip, "SYSVOL",
           "\\??\\C:\\Windows\\SYSVOL\\sysvol");
    Ev4634(e_.s, g + Dur(r, 2 * kSec, 8 * kSec), wsh.dc, who, glid, 3);
  }
  // Start-up apps.
  static constexpr App kStartup[] = {
      {"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "outlook.office365.com"},
      {"C:\\Program Files\\WindowsApps\\MSTeams_24033.811.2738.2546_x64__8wekyb3d8bbwe\\ms-teams.exe", "teams.microsoft.com"},
      {"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "www.google.com"},
      {"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe", "onedrive.live.com"}};
  std::vector<Proc> running;
  for (const App& app : kStartup) {
    if (weekend && r.Percent(50)) continue;
    t += Dur(r, 5 * kSec, 90 * kSec);
    std::string cmd = fmt::format("\"{}\"", app.image);
    Proc p = Spawn(e_, r, t, explorer, app.image, cmd);
    std::string_view ip = "52.97.146.162";
    for (const Web& w : kWeb)
      if (std::string_view(w.name) == app.args) ip = w.ip;
    Connect(e_, r, t + Dur(r, kSec, 8 * kSec), p, app.args, ip, 443);
    running.push_back(std::move(p));
  }
  // File server: department share and home drive.
  const auto& fss = inv.sites[acct.site].file_servers;
  const uint32_t fs = fss[u % fss.size()];
  uint64_t fs_lid = 0;
  if (!weekend || r.Percent(40)) {
    int64_t f = t + Dur(r, 30 * kSec, 10 * kMin);
    fs_lid = NetLogon(e_, r, f, u, src_ip, wsh.dc, fs);
    f += Dur(r, 200 * kMs, kSec);
    std::vector<std::string> files;
    const int nfiles = int(r.Range(2, weekend ? 4 : 12));
    for (int k = 0; k < nfiles; ++k) files.push_back(acct.peer_group + "\\" + FileName(r));
    f = ShareVisit(e_, r, f, u, fs_lid, src_ip, fs, ShareOf(acct.peer_group),
                   "\\??\\D:\\Shares\\" + acct.peer_group, files, r.Percent(30));
    if (r.Percent(50))
      ShareVisit(e_, r, f + Dur(r, kMin, 2 * kHour), u, fs_lid, src_ip, fs, "Home$", "\\??\\D:\\Home",
                 {acct.sam + "\\" + FileName(r)}, r.Percent(50));
  }
  // Work through the day: documents, web, department tools.
  const int napps = int(r.Range(weekend ? 1 : 3, weekend ? 3 : 7));
  int64_t w = t;
  for (int k = 0; k < napps; ++k) {
    w += Dur(r, 10 * kMin, 80 * kMin);
    if (w > end - 10 * kMin) break;
    const App& app = kOffice[r.Below(std::size(kOffice))];
    Spawn(e_, r, w, explorer, app.image, fmt::format("\"{}\"", app.image));
  }
  const int nweb = int(r.Range(weekend ? 1 : 4, weekend ? 4 : 14));
  for (int k = 0; k < nweb && !running.empty(); ++k) {
    const Web& site = kWeb[r.Below(std::size(kWeb))];
    Connect(e_, r, t + Dur(r, 0, end - t), running[std::min<size_t>(2, running.size() - 1)], site.name,
            site.ip, 443);
  }
  if (acct.peer_group == "Sales" || acct.peer_group == "Support") {
    const uint32_t sql = inv.sql_servers[u % inv.sql_servers.size()];
    const int n = int(r.Range(1, 3));
    for (int k = 0; k < n; ++k) {
      int64_t c = t + Dur(r, 10 * kMin, std::max<int64_t>(end - t - kHour, 20 * kMin));
      Proc crm = Spawn(e_, r, c, explorer, "C:\\Program Files\\CorpCRM\\CorpCRM.exe",
                       "\"C:\\Program Files\\CorpCRM\\CorpCRM.exe\" /server:" + inv.hosts[sql].name);
      uint64_t slid = NetLogon(e_, r, c + 2 * kSec, u, src_ip, wsh.dc, sql, "MSSQLSvc");
      Sysmon3(e_.s, c + 2 * kSec + 300 * kMs, crm, inv.hosts[sql].ip, 1433, inv.hosts[sql].fqdn);
      Ev4634(e_.s, c + Dur(r, 15 * kMin, 2 * kHour), sql, who, slid, 3);
    }
  }
  if (acct.role == PersonRole::kDeveloper) {
    int64_t d = t + Dur(r, 5 * kMin, 3 * kHour);
    Proc code = Spawn(e_, r, d, explorer,
                      "C:\\Users\\" + acct.sam + "\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe",
                      "\"C:\\Users\\" + acct.sam + "\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe\"");
    Proc git = Spawn(e_, r, d + Dur(r, kMin, 30 * kMin), code, "C:\\Program Files\\Git\\cmd\\git.exe",
                     "git pull --ff-only");
    Connect(e_, r, git.start + Dur(r, 100 * kMs, kSec), git, "github.com", "140.82.121.4", 443);
    if (r.Percent(15)) {  // packs a build and uploads it: archiver + curl from a workstation
      int64_t a = d + Dur(r, kHour, 4 * kHour);
      Proc sh = Spawn(e_, r, a, explorer, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                      "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\"");
      std::string dir = "C:\\Users\\" + acct.sam + "\\source\\repos\\corp-portal\\dist";
      Proc z = Spawn(e_, r, a + Dur(r, 5 * kSec, kMin), sh, "C:\\Program Files\\7-Zip\\7z.exe",
                     "\"C:\\Program Files\\7-Zip\\7z.exe\" a -tzip " + dir + "\\release.zip " + dir + "\\*");
      Sysmon11(e_.s, z.start + Dur(r, kSec, 20 * kSec), z, dir + "\\release.zip");
      Proc c = Spawn(e_, r, z.start + Dur(r, 30 * kSec, 3 * kMin), sh, "C:\\Windows\\System32\\curl.exe",
                     "curl.exe -u ci:*** -T " + dir + "\\release.zip https://artifacts.corp-dev.net/upload/");
      Connect(e_, r, c.start + Dur(r, 50 * kMs, 500 * kMs), c, "artifacts.corp-dev.net", "18.192.44.21", 443);
      Note("developer_archive_upload", a, ws, u, "7z.exe packs a build and curl.exe uploads it to an external artifact store");
    }
    if (r.Percent(4) && !inv.app_servers.empty()) {  // developer RDPs to a test server
      uint32_t srv = inv.app_servers[r.Below(inv.app_servers.size())];
      RdpSession s = RdpHop(e_, r, d + Dur(r, kHour, 5 * kHour), explorer, u, srv, u);
      RdpLogoff(e_, r, s.t + Dur(r, 5 * kMin, 40 * kMin), s);
      Note("developer_rdp_server", s.t, srv, u, "developer RDPs to an application server (test deployment)");
    }
  }
  if (acct.role == PersonRole::kHelpdesk && !weekend) HelpdeskTickets(day, u, explorer, lid);
  if (acct.role == PersonRole::kServerAdmin && !weekend) ServerAdminWork(day, u, explorer);
  if (acct.role == PersonRole::kDomainAdmin && !weekend && r.Percent(60)) DomainAdminWork(day, u, explorer);

  // Lunch: screen locked and unlocked (type 7).
  if (!weekend && !remote) {
    int64_t l = inv.Local(day, acct.site, r.Range(11 * 60 + 30, 13 * 60 + 30));
    if (l > t && l < end) {
      uint64_t ul = NewLogonId(r);
      LogonArgs a;
      a.type = 7;
      a.ip = "127.0.0.1";
      a.workstation = wsh.name;
      a.package = "Negotiate";
      a.process = "C:\\Windows\\System32\\svchost.exe";
      a.process_id = wsh.lsm_pid;
      a.subject_system = true;
      Ev4624(e_.s, l, ws, who, ul, a);
      Ev4634(e_.s, l + Dur(r, kSec, 5 * kSec), ws, who, ul, 7);
    }
  }
  // Evening.
  if (remote) {
    RdpLogoff(e_, r, end, rdp);
  } else {
    Ev4647(e_.s, end, ws, who, lid);
    Ev4634(e_.s, end + Dur(r, kSec, 3 * kSec), ws, who, lid, 2);
  }
  if (fs_lid) Ev4634(e_.s, end + Dur(r, kMin, 30 * kMin), fs, who, fs_lid, 3);
  // Now and then: back late in the evening.
  if (!weekend && r.Permille(15)) {
    int64_t n = inv.Local(day, acct.site, r.Range(20 * 60, 23 * 60 + 30));
    if (acct.remote_worker) {
      RdpSession s = RdpLogon(e_, r, n, ws, u, acct.vpn_ips[0], "LT-" + wsh.name.substr(wsh.name.size() - 4), false);
      Connect(e_, r, s.t + Dur(r, kMin, 10 * kMin), s.explorer, "outlook.office365.com", "52.97.146.162", 443);
      RdpLogoff(e_, r, s.t + Dur(r, 15 * kMin, 90 * kMin), s);
    } else {
      ConsoleSession cs = ConsoleLogon(e_, r, n, ws, u, 2);
      Spawn(e_, r, cs.t + Dur(r, kMin, 5 * kMin), cs.explorer,
            "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
            "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\"");
      int64_t off = cs.t + Dur(r, 15 * kMin, 90 * kMin);
      Ev4647(e_.s, off, ws, who, cs.lid);
      Ev4634(e_.s, off + kSec, ws, who, cs.lid, 2);
    }
    Note("late_night_work", n, ws, u, "user works late in the evening");
  }
}

void BenignGenerator::HelpdeskTickets(uint32_t day, uint32_t u, const Proc& explorer, uint64_t lid) {
  const Inventory& inv = e_.inv;
  const Account& acct = inv.accounts[u];
  const uint32_t adm = uint32_t(acct.admin_account);
  Rng r = Rng::For(seed_, Tag("helpdesk"), u, day);
  e_.s.Stream(r.Next());
  const uint32_t ws = uint32_t(acct.workstation);
  const int tickets = int(r.Range(2, 7));
  for (int k = 0; k < tickets; ++k) {
    int64_t t = inv.Local(day, acct.site, r.Range(8 * 60 + 30, 16 * 60 + 30));
    uint32_t target = inv.workstations[r.Below(inv.workstations.size())];
    if (target == ws) continue;
    const uint32_t tool = uint32_t(r.Below(100));
    if (tool < 45) {  // TeamViewer (installed everywhere)
      Proc tv = Spawn(e_, r, t, explorer, "C:\\Program Files\\TeamViewer\\TeamViewer.exe",
                      "\"C:\\Program Files\\TeamViewer\\TeamViewer.exe\"");
      Connect(e_, r, t + Dur(r, kSec, 3 * kSec), tv, fmt::format("router{}.teamviewer.com", r.Range(1, 20)),
              kTvRouters[r.Below(4)], 5938);
      Proc svc = TeamViewerService(e_, target);
      int64_t t2 = t + Dur(r, 20 * kSec, 90 * kSec);
      Connect(e_, r, t2, svc, fmt::format("router{}.teamviewer.com", r.Range(1, 20)), kTvRouters[r.Below(4)], 5938);
      Proc desk = Spawn(e_, r, t2 + Dur(r, kSec, 2 * kSec), svc,
                        "C:\\Program Files\\TeamViewer\\TeamViewer_Desktop.exe",
                        "\"C:\\Program Files\\TeamViewer\\TeamViewer_Desktop.exe\" --IPCport 5939 --Module 1");
      (void)desk;
      Note("helpdesk_teamviewer", t, target, u, "helpdesk TeamViewer support session from " + inv.hosts[ws].name);
    } else if (tool < 75) {  // AnyDesk, installed on the target the first time
      Proc ad = Spawn(e_, r, t, explorer, "C:\\Users\\" + acct.sam + "\\Downloads\\AnyDesk.exe",
                      "\"C:\\Users\\" + acct.sam + "\\Downloads\\AnyDesk.exe\"");
      Connect(e_, r, t + Dur(r, kSec, 3 * kSec), ad,
              fmt::format("relay-{:08x}.net.anydesk.com", uint32_t(r.Next())), kAnyDeskRelays[r.Below(4)], 443);
      int64_t t2 = t + Dur(r, 30 * kSec, 3 * kMin);
      const Proc services = ServicesExe(e_, target);
      if (!anydesk_installed_[target]) {
        anydesk_installed_[target] = 1;
        uint64_t alid = NetLogon(e_, r, t2, adm, inv.hosts[ws].ip, inv.hosts[ws].dc, target);
        ShareVisit(e_, r, t2 + Dur(r, 100 * kMs, kSec), adm, alid, inv.hosts[ws].ip, target, "C$", "\\??\\C:\\",
                   {"ProgramData\\IT\\AnyDesk_CORP.msi"}, true);
        t2 += Dur(r, 20 * kSec, kMin);
        Proc msi = Spawn(e_, r, t2, services, "C:\\Windows\\System32\\msiexec.exe",
                         "C:\\Windows\\system32\\msiexec.exe /i C:\\ProgramData\\IT\\AnyDesk_CORP.msi /qn");
        Ev7045(e_.s, t2 + Dur(r, 10 * kSec, 40 * kSec), target, "AnyDesk Service",
               "\"C:\\Program Files (x86)\\AnyDesk-ad_corp\\AnyDesk-ad_corp.exe\" --service", "auto start",
               "LocalSystem", "S-1-5-18");
        Ev4634(e_.s, t2 + Dur(r, kMin, 2 * kMin), target, Who(inv, adm), alid, 3);
        t2 += kMin + Dur(r, 0, 30 * kSec);
        Note("helpdesk_anydesk_install", t2, target, adm,
             "helpdesk installs AnyDesk on a workstation for a ticket (C$ copy, msiexec, 7045)");
        (void)msi;
      }
      Proc ads = SystemProc(inv, target, "C:\\Program Files (x86)\\AnyDesk-ad_corp\\AnyDesk-ad_corp.exe",
                            "\"C:\\Program Files (x86)\\AnyDesk-ad_corp\\AnyDesk-ad_corp.exe\" --service",
                            4000 + 4 * (target % 500));
      Connect(e_, r, t2 + Dur(r, kSec, 10 * kSec), ads,
              fmt::format("relay-{:08x}.net.anydesk.com", uint32_t(r.Next())), kAnyDeskRelays[r.Below(4)], 443);
      Spawn(e_, r, t2 + Dur(r, 10 * kSec, 30 * kSec), ads,
            "C:\\Program Files (x86)\\AnyDesk-ad_corp\\AnyDesk-ad_corp.exe",
            "\"C:\\Program Files (x86)\\AnyDesk-ad_corp\\AnyDesk-ad_corp.exe\" --backend");
      Note("helpdesk_anydesk", t, target, u, "helpdesk AnyDesk support session from " + inv.hosts[ws].name);
    } else {  // RDP with the helpdesk admin account
      RdpSession s = RdpHop(e_, r, t, explorer, u, target, adm);
      Spawn(e_, r, s.t + Dur(r, 10 * kSec, 2 * kMin), s.explorer, "C:\\Windows\\System32\\control.exe",
            "\"C:\\Windows\\system32\\control.exe\" printers");
      RdpLogoff(e_, r, s.t + Dur(r, 5 * kMin, 30 * kMin), s);
      Note("helpdesk_rdp", t, target, adm, "helpdesk RDPs to a user's workstation with an admin account (4648)");
    }
  }
  (void)lid;
}

void BenignGenerator::ServerAdminWork(uint32_t day, uint32_t u, const Proc& explorer) {
  const Inventory& inv = e_.inv;
  const Account& acct = inv.accounts[u];
  const uint32_t adm = uint32_t(acct.admin_account);
  Rng r = Rng::For(seed_, Tag("srvadmin"), u, day);
  e_.s.Stream(r.Next());
  const int sessions = int(r.Range(1, 4));
  for (int k = 0; k < sessions; ++k) {
    int64_t t = inv.Local(day, acct.site, r.Range(8 * 60, 17 * 60));
    uint32_t server = acct.servers[r.Below(acct.servers.size())];
    bool fresh = false;
    if (k == 0 && r.Percent(10)) {
      server = inv.servers[r.Below(inv.servers.size())];
      fresh = std::find(acct.servers.begin(), acct.servers.end(), server) == acct.servers.end();
    }
    uint32_t account = adm;
    Proc from = explorer;
    uint32_t from_account = u;
    if (r.Percent(25)) {  // from a shared admin workstation, logged on with the admin account
      uint32_t paw = inv.admin_ws[r.Below(inv.admin_ws.size())];
      ConsoleSession cs = ConsoleLogon(e_, r, t - Dur(r, kMin, 5 * kMin), paw, adm, 2);
      from = cs.explorer;
      from_account = adm;
      if (r.Percent(50)) {
        account = inv.shared_admin;
        Note("shared_admin_account", t, server, account,
             "shared admin account used from admin workstation " + inv.hosts[paw].name + " by " + acct.sam);
      }
      Ev4647(e_.s, t + 2 * kHour, paw, Who(inv, adm), cs.lid);
      Ev4634(e_.s, t + 2 * kHour + kSec, paw, Who(inv, adm), cs.lid, 2);
    } else if (r.Percent(10)) {
      account = inv.shared_admin;
      Note("shared_admin_account", t, server, account,
           "shared admin account used from " + inv.hosts[acct.workstation].name + " by " + acct.sam);
    }
    RdpSession s = RdpHop(e_, r, t, from, from_account, server, account);
    if (fresh)
      Note("admin_new_server", s.t, server, account, "server admin RDPs to a server never administered before");
    static constexpr const char* kTools[][2] = {
        {"C:\\Windows\\System32\\mmc.exe", "\"C:\\Windows\\system32\\mmc.exe\" \"C:\\Windows\\system32\\services.msc\""},
        {"C:\\Windows\\System32\\mmc.exe", "\"C:\\Windows\\system32\\mmc.exe\" \"C:\\Windows\\system32\\eventvwr.msc\" /s"},
        {"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
         "powershell.exe -NoProfile -Command \"Get-Service | Where-Object Status -eq 'Stopped'\""},
        {"C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\""},
        {"C:\\Windows\\System32\\taskmgr.exe", "\"C:\\Windows\\system32\\taskmgr.exe\" /4"}};
    int64_t w = s.t;
    for (int j = int(r.Range(1, 3)); j > 0; --j) {
      w += Dur(r, 20 * kSec, 10 * kMin);
      const auto& tool = kTools[r.Below(std::size(kTools))];
      Spawn(e_, r, w, s.explorer, tool[0], tool[1]);
    }
    if (r.Percent(40)) {  // left disconnected, often picked up again later
      const int64_t d = w + Dur(r, 5 * kMin, 60 * kMin);
      RdpDisconnect(e_, r, d, s);
      if (r.Percent(60)) {
        const int64_t back = RdpReconnect(e_, r, d + Dur(r, 30 * kMin, 3 * kHour), &s, s.src_ip);
        RdpLogoff(e_, r, back + Dur(r, 5 * kMin, 30 * kMin), s);
      }
    } else {
      RdpLogoff(e_, r, w + Dur(r, 5 * kMin, 60 * kMin), s);
    }
    if (r.Percent(10)) {  // copies an installer over the admin share
      uint32_t target = acct.servers[r.Below(acct.servers.size())];
      const Host& src = inv.hosts[acct.workstation];
      int64_t c = w + Dur(r, kMin, 30 * kMin);
      uint64_t lid = NetLogon(e_, r, c, adm, src.ip, src.dc, target);
      ShareVisit(e_, r, c + Dur(r, 100 * kMs, kSec), adm, lid, src.ip, target, "C$", "\\??\\C:\\",
                 {"Temp\\NPP_8.6.4_x64.msi"}, true);
      Ev4634(e_.s, c + Dur(r, kMin, 5 * kMin), target, Who(inv, adm), lid, 3);
      Note("admin_share_copy", c, target, adm, "admin copies an installer to C$ of a server");
    }
  }
}

void BenignGenerator::DomainAdminWork(uint32_t day, uint32_t u, const Proc& explorer) {
  const Inventory& inv = e_.inv;
  const Account& acct = inv.accounts[u];
  const uint32_t da = uint32_t(acct.admin_account);
  Rng r = Rng::For(seed_, Tag("domadmin"), u, day);
  e_.s.Stream(r.Next());
  int64_t t = inv.Local(day, acct.site, r.Range(9 * 60, 16 * 60));
  const uint32_t jump = inv.jump_hosts[acct.site % inv.jump_hosts.size()];
  const uint32_t dc = inv.dcs[r.Below(inv.dcs.size())];
  RdpSession j = RdpHop(e_, r, t, explorer, u, jump, da);
  RdpSession d = RdpHop(e_, r, j.t + Dur(r, 20 * kSec, 3 * kMin), j.explorer, da, dc, da);
  static constexpr const char* kTools[][2] = {
      {"C:\\Windows\\System32\\mmc.exe", "\"C:\\Windows\\system32\\mmc.exe\" \"C:\\Windows\\system32\\dsa.msc\""},
      {"C:\\Windows\\System32\\mmc.exe", "\"C:\\Windows\\system32\\mmc.exe\" \"C:\\Windows\\system32\\gpmc.msc\""},
      {"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
       "powershell.exe -Command \"Get-ADUser -Filter {Enabled -eq $false} | Measure-Object\""},
      {"C:\\Windows\\System32\\repadmin.exe", "repadmin /replsummary"}};
  int64_t w = d.t;
  for (int k = int(r.Range(1, 3)); k > 0; --k) {
    w += Dur(r, 30 * kSec, 10 * kMin);
    const auto& tool = kTools[r.Below(std::size(kTools))];
    Spawn(e_, r, w, d.explorer, tool[0], tool[1]);
  }
  RdpLogoff(e_, r, w + Dur(r, 2 * kMin, 30 * kMin), d);
  RdpLogoff(e_, r, w + Dur(r, 35 * kMin, 60 * kMin), j);
  Note("admin_rdp_chain", t, dc, da, "domain admin RDPs workstation -> " + inv.hosts[jump].name + " -> " +
                                         inv.hosts[dc].name + " (same account)");
}

// svc_backup reads every server over the admin shares at night.
void BenignGenerator::BackupNight(uint32_t day) {
  const Inventory& inv = e_.inv;
  Rng r = Rng::For(seed_, Tag("backup"), day);
  e_.s.Stream(r.Next());
  const uint32_t bkp = inv.backup_server;
  const Host& bh = inv.hosts[bkp];
  int64_t t = inv.Local(day, 0, r.Range(22 * 60, 22 * 60 + 30));
  Proc veeam = Spawn(e_, r, t, ServicesExe(e_, bkp),
                     "C:\\Program Files\\Veeam\\Backup and Replication\\Backup\\Veeam.Backup.Manager.exe",
                     "\"C:\\Program Files\\Veeam\\Backup and Replication\\Backup\\Veeam.Backup.Manager.exe\" -JobId 7c1f3c2e-5a8b-4a38-9a43-3f1d2b0c7e11");
  veeam.user = UserText(inv, inv.svc_backup);
  std::vector<uint32_t> targets = inv.dcs;
  targets.insert(targets.end(), inv.servers.begin(), inv.servers.end());
  for (uint32_t target : targets) {
    if (target == bkp) continue;
    t += Dur(r, 5 * kSec, 40 * kSec);
    Sysmon3(e_.s, t, veeam, inv.hosts[target].ip, 445, inv.hosts[target].fqdn);
    uint64_t lid = NetLogon(e_, r, t + 50 * kMs, inv.svc_backup, bh.ip, bh.dc, target);
    const bool admin = r.Percent(30);
    ShareVisit(e_, r, t + Dur(r, 100 * kMs, kSec), inv.svc_backup, lid, bh.ip, target, admin ? "ADMIN$" : "C$",
               admin ? "\\??\\C:\\Windows" : "\\??\\C:\\",
               {admin ? "Temp\\VeeamGuestHelper.exe" : "ProgramData\\Veeam\\Backup\\VeeamAgent.cfg"}, admin);
    Ev4634(e_.s, t + Dur(r, 2 * kMin, 20 * kMin), target, Who(inv, inv.svc_backup), lid, 3);
  }
  Note("backup_fanout", inv.Local(day, 0, 22 * 60), bkp, inv.svc_backup,
       fmt::format("backup account opens C$/ADMIN$ on {} servers within hours", targets.size() - 1));
}

// Patch night: the Wednesday after Patch Tuesday, SCCM pushes to every server.
void BenignGenerator::PatchNight(uint32_t day) {
  const Inventory& inv = e_.inv;
  int64_t unix_day = inv.DayStart(day) / (86400 * kSec);
  int64_t y;
  unsigned m, d;
  CivilFromDays(unix_day, &y, &m, &d);
  if (Weekday(unix_day) != 2 || d < 9 || d > 15) return;
  Rng r = Rng::For(seed_, Tag("patch"), day);
  e_.s.Stream(r.Next());
  const uint32_t sccm = inv.sccm_server;
  const Host& sh = inv.hosts[sccm];
  int64_t t = inv.Local(day, 0, 20 * 60 + r.Range(0, 30));
  Proc agent = Spawn(e_, r, t, ServicesExe(e_, sccm),
                     "C:\\Program Files\\Microsoft Configuration Manager\\bin\\x64\\smsexec.exe",
                     "\"C:\\Program Files\\Microsoft Configuration Manager\\bin\\x64\\smsexec.exe\"");
  agent.user = UserText(inv, inv.svc_sccm);
  std::vector<uint32_t> targets = inv.servers;
  targets.insert(targets.end(), inv.dcs.begin(), inv.dcs.end());
  for (uint32_t target : targets) {
    if (target == sccm) continue;
    t += Dur(r, 2 * kSec, 20 * kSec);
    const Host& th = inv.hosts[target];
    Sysmon3(e_.s, t, agent, th.ip, 445, th.fqdn);
    uint64_t lid = NetLogon(e_, r, t + 50 * kMs, inv.svc_sccm, sh.ip, sh.dc, target);
    ShareVisit(e_, r, t + Dur(r, 100 * kMs, kSec), inv.svc_sccm, lid, sh.ip, target, "ADMIN$",
               "\\??\\C:\\Windows", {"ccmsetup\\ccmsetup.exe", "ccmsetup\\ccmsetup.cab"}, true);
    int64_t s = t + Dur(r, 5 * kSec, 30 * kSec);
    const Proc services = ServicesExe(e_, target);
    Ev7045(e_.s, s, target, "ccmsetup", "C:\\Windows\\ccmsetup\\ccmsetup.exe /runservice /config:MobileClient.tcf",
           "auto start", "LocalSystem", "S-1-5-18");
    Proc setup = Spawn(e_, r, s + Dur(r, kSec, 5 * kSec), services, "C:\\Windows\\ccmsetup\\ccmsetup.exe",
                       "C:\\Windows\\ccmsetup\\ccmsetup.exe /runservice /config:MobileClient.tcf");
    Spawn(e_, r, s + Dur(r, kMin, 10 * kMin), setup, "C:\\Windows\\System32\\wusa.exe",
          "\"C:\\Windows\\system32\\wusa.exe\" C:\\Windows\\ccmcache\\3f\\windows10.0-kb5035857-x64.msu /quiet /norestart");
    if (r.Percent(4)) {  // an admin finishes a stuck server with PsExec
      Ev7045(e_.s, s + Dur(r, 20 * kMin, 60 * kMin), target, "PSEXESVC", "%SystemRoot%\\PSEXESVC.exe",
             "demand start", "LocalSystem", "S-1-5-18");
      Note("psexec_admin", s, target, inv.svc_sccm, "PsExec service installed while patching a stuck server");
    }
    Ev4634(e_.s, t + Dur(r, kMin, 5 * kMin), target, Who(inv, inv.svc_sccm), lid, 3);
  }
  Note("patch_night_fanout", inv.Local(day, 0, 20 * 60), sccm, inv.svc_sccm,
       fmt::format("patch service account writes ADMIN$ and installs ccmsetup on {} servers", targets.size() - 1));
}

// PRTG probes every server and DC every four hours (WMI: network logon, no share).
void BenignGenerator::Monitoring(uint32_t day) {
  const Inventory& inv = e_.inv;
  const uint32_t mon = inv.monitor_server;
  const Host& mh = inv.hosts[mon];
  std::vector<uint32_t> targets = inv.servers;
  targets.insert(targets.end(), inv.dcs.begin(), inv.dcs.end());
  Proc probe = SystemProc(inv, mon, "C:\\Program Files (x86)\\PRTG Network Monitor\\PRTG Probe.exe",
                          "\"C:\\Program Files (x86)\\PRTG Network Monitor\\PRTG Probe.exe\"", 2200,
                          UserText(inv, inv.svc_monitor));
  for (int round = 0; round < 6; ++round) {
    Rng r = Rng::For(seed_, Tag("monitor"), day, round);
    e_.s.Stream(r.Next());
    int64_t t = inv.DayStart(day) + round * 4 * kHour + Dur(r, 0, 10 * kMin);
    for (uint32_t target : targets) {
      if (target == mon) continue;
      t += Dur(r, 100 * kMs, 2 * kSec);
      const Principal who = Who(inv, inv.svc_monitor);
      if (round == 0) Ev4769(e_.s, t, mh.dc, who, inv.hosts[target].account, inv.hosts[target].machine_sid, mh.ip);
      if (round == 0 || round == 3) Sysmon3(e_.s, t, probe, inv.hosts[target].ip, 135, inv.hosts[target].fqdn);
      const uint64_t lid = NewLogonId(r);
      LogonArgs a;
      a.ip = mh.ip;
      Ev4624(e_.s, t + 30 * kMs, target, who, lid, a);
      Ev4672(e_.s, t + 31 * kMs, target, who, lid);
      Ev4634(e_.s, t + Dur(r, 500 * kMs, 3 * kSec), target, who, lid, 3);
    }
  }
  Note("monitor_fanout", inv.DayStart(day), mon, inv.svc_monitor,
       fmt::format("monitoring account logs on to {} servers every four hours", targets.size() - 1));
}

void BenignGenerator::SqlBackups(uint32_t day) {
  const Inventory& inv = e_.inv;
  for (uint32_t sql : inv.sql_servers) {
    Rng r = Rng::For(seed_, Tag("sqlbackup"), sql, day);
    e_.s.Stream(r.Next());
    const Host& h = inv.hosts[sql];
    const uint32_t fs = inv.file_servers[sql % inv.file_servers.size()];
    int64_t t = inv.Local(day, h.site, r.Range(21 * 60, 22 * 60));
    uint64_t lid = NetLogon(e_, r, t, inv.svc_sql, h.ip, h.dc, fs);
    int64_t y;
    unsigned m, d;
    CivilFromDays(inv.DayStart(day) / (86400 * kSec), &y, &m, &d);
    ShareVisit(e_, r, t + kSec, inv.svc_sql, lid, h.ip, fs, "SQLBackup$", "\\??\\E:\\SQLBackup",
               {fmt::format("{}\\CRM_{:04}{:02}{:02}.bak", h.name, y, m, d)}, true);
    Ev4634(e_.s, t + Dur(r, 10 * kMin, 40 * kMin), fs, Who(inv, inv.svc_sql), lid, 3);
  }
}

void BenignGenerator::Scanners(uint32_t day) {
  const Inventory& inv = e_.inv;
  const int wd = Weekday(inv.DayStart(day) / (86400 * kSec));
  if (wd >= 5) return;
  for (uint16_t s = 0; s < inv.sites.size(); ++s) {
    Rng r = Rng::For(seed_, Tag("scan"), s, day);
    e_.s.Stream(r.Next());
    const uint32_t fs = inv.sites[s].file_servers[0];
    const std::string ip = fmt::format("10.{}.30.15", 10 + s);
    for (int k = int(r.Range(3, 10)); k > 0; --k) {
      int64_t t = inv.Local(day, s, r.Range(8 * 60, 17 * 60));
      const Principal who = Who(inv, inv.svc_scan);
      Ev4776(e_.s, t, inv.hosts[fs].dc, who.name, inv.printers[s]);
      const uint64_t lid = NewLogonId(r);
      LogonArgs a;
      a.ip = ip;
      a.package = "NTLM";
      a.workstation = inv.printers[s];
      Ev4624(e_.s, t + 100 * kMs, fs, who, lid, a);
      ShareVisit(e_, r, t + 300 * kMs, inv.svc_scan, lid, ip, fs, "Scans", "\\??\\D:\\Shares\\Scans",
                 {fmt::format("Scan_{:06}.pdf", r.Below(1000000))}, true);
      Ev4634(e_.s, t + Dur(r, 5 * kSec, 20 * kSec), fs, who, lid, 3);
    }
  }
}

// A scheduled report task on one app server still uses an account whose
// password was changed: a 4625 every 15 minutes, all day, every day.
void BenignGenerator::StaleCredentials(uint32_t day) {
  const Inventory& inv = e_.inv;
  if (inv.app_servers.empty()) return;
  const uint32_t h = inv.app_servers[0];
  if (day == 0 && confounders_)
    confounders_->push_back(Confounder{"stale_credentials_4625", inv.DayStart(0), inv.hosts[h].name,
                                       "svc_report", "scheduled task with an outdated password fails every 15 minutes"});
  if (!e_.s.Owns(h)) return;
  Rng r = Rng::For(seed_, Tag("stale"), day);
  e_.s.Stream(r.Next());
  for (int k = 0; k < 96; ++k) {
    int64_t t = inv.DayStart(day) + k * 15 * kMin + Dur(r, 0, 2 * kSec);
    Line l = e_.s.Begin(t, h, Channel::kSecurity, 4625, {}, false, true);
    if (!l) continue;
    l.S("SubjectUserSid", "S-1-5-18").S("SubjectUserName", inv.hosts[h].account).S("SubjectDomainName", inv.domain)
        .S("SubjectLogonId", "0x3e7").S("TargetUserSid", "S-1-0-0").S("TargetUserName", "svc_report")
        .S("TargetDomainName", inv.domain).S("Status", "0xc000006d").S("FailureReason", "%%2313")
        .S("SubStatus", "0xc000006a").U("LogonType", 4).S("LogonProcessName", "Advapi  ")
        .S("AuthenticationPackageName", "Negotiate").S("WorkstationName", inv.hosts[h].name)
        .S("TransmittedServices", "-").S("LmPackageName", "-").U("KeyLength", 0)
        .X("ProcessId", 0x4a8).S("ProcessName", "C:\\Windows\\System32\\svchost.exe").S("IpAddress", "-")
        .S("IpPort", "-");
  }
}

}  // namespace inari::sim
