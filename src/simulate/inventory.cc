#include "simulate/inventory.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <unordered_set>

#include "base/time.h"
#include "simulate/json_text.h"
#include "simulate/rng.h"

namespace inari::sim {

namespace {

struct SiteDef {
  const char* code;
  const char* city;
  int offset_min;
};
constexpr SiteDef kSites[] = {
    {"FRA", "Frankfurt", 60}, {"HAM", "Hamburg", 60}, {"LON", "London", 0},
    {"MUC", "Munich", 60},    {"VIE", "Vienna", 60},  {"HEL", "Helsinki", 120},
    {"AMS", "Amsterdam", 60}, {"NYC", "New York", -300},
};

constexpr const char* kFirst[] = {
    "anna",   "ben",    "clara",  "david",  "elena",  "felix",  "greta",  "hannes", "ines",
    "jonas",  "katrin", "lukas",  "maria",  "niklas", "olga",   "paul",   "queenie", "rafael",
    "sara",   "tobias", "ursula", "viktor", "wiebke", "xaver",  "yasmin", "zoe",    "ahmed",
    "bianca", "carlos", "dana",   "emil",   "fatima", "georg",  "hanna",  "ivan",   "julia",
    "karim",  "lea",    "marco",  "nina",   "oskar",  "petra",  "rami",   "sofia",  "timo",
    "uwe",    "vera",   "walter", "yusuf",  "aylin",  "bruno",  "chiara", "dmitri", "eva",
    "finn",   "gina",   "henrik", "ida",    "jan",    "kerem",  "laura",  "mats",   "noah",
    "pia",    "quentin", "rosa",  "sven",   "tanja",  "ugo",    "valentina", "wim", "lina"};
constexpr const char* kLast[] = {
    "mueller", "schmidt", "schneider", "fischer", "weber",   "meyer",   "wagner",  "becker",
    "schulz",  "hoffmann", "koch",     "richter", "klein",   "wolf",    "neumann", "schwarz",
    "zimmermann", "braun", "krueger",  "hofmann", "hartmann", "lange",  "schmitt", "werner",
    "krause",  "meier",   "lehmann",   "huber",   "kaiser",  "fuchs",   "peters",  "lang",
    "scholz",  "moeller", "weiss",     "jung",    "hahn",    "vogel",   "friedrich", "keller",
    "guenther", "frank",  "berger",    "winkler", "roth",    "beck",    "lorenz",  "baumann",
    "franke",  "albrecht", "schuster", "simon",   "ludwig",  "boehm",   "winter",  "kraus",
    "martin",  "schumacher", "okafor", "rossi",   "novak",   "yilmaz",  "larsen",  "dubois",
    "haddad",  "kowalski", "nguyen",   "garcia",  "silva",   "jansen",  "smith",   "brown",
    "taylor",  "evans",   "murphy",    "kelly",   "oconnor", "costa",   "popescu", "horvat"};

struct DeptDef {
  const char* name;
  uint32_t weight;
};
constexpr DeptDef kDepts[] = {{"Finance", 8},   {"Sales", 15},      {"HR", 4},
                              {"Marketing", 7}, {"Support", 10},    {"Legal", 2},
                              {"Operations", 14}, {"Management", 3}, {"Engineering", 13},
                              {"Procurement", 4}, {"Logistics", 8}, {"Research", 6}};

std::string ResidentialIp(Rng& r) {
  static constexpr int kFirstOctet[] = {84, 91, 93, 176, 178, 188, 217, 79, 87, 95};
  return fmt::format("{}.{}.{}.{}", kFirstOctet[r.Below(10)], r.Range(1, 254), r.Range(0, 255),
                     r.Range(1, 254));
}

}  // namespace

const char* HostRoleName(HostRole r) {
  switch (r) {
    case HostRole::kDc: return "domain_controller";
    case HostRole::kFile: return "file_server";
    case HostRole::kSql: return "sql_server";
    case HostRole::kApp: return "app_server";
    case HostRole::kJump: return "jump_host";
    case HostRole::kBackup: return "backup_server";
    case HostRole::kSccm: return "sccm_server";
    case HostRole::kMonitor: return "monitoring_server";
    case HostRole::kAdminWs: return "admin_workstation";
    case HostRole::kWorkstation: return "workstation";
  }
  return "?";
}

const char* AccountKindName(AccountKind k) {
  switch (k) {
    case AccountKind::kPerson: return "user";
    case AccountKind::kAdmin: return "admin";
    case AccountKind::kDomainAdmin: return "domain_admin";
    case AccountKind::kShared: return "shared_admin";
    case AccountKind::kService: return "service";
  }
  return "?";
}

const char* PersonRoleName(PersonRole r) {
  switch (r) {
    case PersonRole::kStaff: return "staff";
    case PersonRole::kDeveloper: return "developer";
    case PersonRole::kHelpdesk: return "helpdesk";
    case PersonRole::kServerAdmin: return "server_admin";
    case PersonRole::kDomainAdmin: return "domain_admin";
  }
  return "?";
}

bool ParseStartDate(const std::string& text, int64_t* ns) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return false;
  int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2)),
      d = std::stoi(text.substr(8, 2));
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1971 || y > 2200) return false;
  *ns = DaysFromCivil(y, m, d) * 86'400'000'000'000LL;
  return true;
}

Inventory BuildInventory(const SimulateOptions& o, int64_t start_ns) {
  Inventory inv;
  inv.start_ns = start_ns;
  inv.days = o.days;
  Rng r = Rng::For(o.seed, Tag("inventory"));
  inv.domain_sid = fmt::format("S-1-5-21-{}-{}-{}", r.Range(1'000'000'000, 4'000'000'000),
                               r.Range(1'000'000'000, 4'000'000'000),
                               r.Range(100'000'000, 999'999'999));
  const uint32_t n = std::max<uint32_t>(o.hosts, 20);
  const uint32_t nsites = std::clamp<uint32_t>(1 + n / 800, 1, 8);
  for (uint32_t s = 0; s < nsites; ++s)
    inv.sites.push_back(Site{kSites[s].code, kSites[s].city, kSites[s].offset_min, {}, {}});

  uint32_t next_rid = 1000;
  std::vector<uint32_t> per_site_count(nsites, 0);
  auto add_host = [&](HostRole role, uint16_t site, const std::string& name, std::string ip) {
    Host h;
    h.name = name;
    h.fqdn = name + "." + inv.dns_domain;
    h.ip = std::move(ip);
    h.role = role;
    h.site = site;
    h.machine_sid = fmt::format("{}-{}", inv.domain_sid, next_rid++);
    h.account = name + "$";
    h.lsass_pid = 600 + 4 * uint32_t(r.Below(80));
    h.services_pid = h.lsass_pid - 4 * uint32_t(r.Range(2, 10));
    h.sysmon_pid = 2400 + 4 * uint32_t(r.Below(450));
    h.lsm_pid = 900 + 4 * uint32_t(r.Below(25));
    h.ts_pid = 1000 + 4 * uint32_t(r.Below(100));
    h.guid_prefix = uint32_t(r.Next());
    inv.hosts.push_back(std::move(h));
    return uint32_t(inv.hosts.size() - 1);
  };
  // Counts per role.
  const uint32_t ndc = std::max<uint32_t>(2, nsites) + n / 2500;
  const uint32_t nfile = nsites + n / 2000;
  const uint32_t nsql = 1 + n / 1000;
  const uint32_t napp = std::max<uint32_t>(1, n * 6 / 100);
  const uint32_t njump = nsites;
  const uint32_t npaw = std::max<uint32_t>(2, n / 500);
  const uint32_t fixed = ndc + nfile + nsql + napp + njump + 3 + npaw;
  const uint32_t nws = n > fixed + 5 ? n - fixed : 5;

  std::vector<uint32_t> role_counter(10, 0);
  auto site_ip = [&](uint16_t site, uint32_t base_octet, uint32_t k) {
    return fmt::format("10.{}.{}.{}", 10 + site, base_octet + k / 250, 10 + k % 250);
  };
  std::vector<uint32_t> server_k(nsites, 0);
  auto server = [&](HostRole role, const char* prefix, uint16_t site) {
    uint32_t num = ++role_counter[int(role)];
    uint32_t k = server_k[site]++;
    return add_host(role, site, fmt::format("{}-{}{:02}", inv.sites[site].code, prefix, num),
                    site_ip(site, 10, k));
  };
  for (uint32_t i = 0; i < ndc; ++i) {
    uint16_t site = uint16_t(i % nsites);
    uint32_t num = ++role_counter[int(HostRole::kDc)];
    uint32_t id = add_host(HostRole::kDc, site, fmt::format("{}-DC{:02}", inv.sites[site].code, num),
                           fmt::format("10.{}.1.{}", 10 + site, 10 + num));
    inv.dcs.push_back(id);
    inv.sites[site].dcs.push_back(id);
  }
  for (uint32_t i = 0; i < nfile; ++i) {
    uint16_t site = uint16_t(i % nsites);
    uint32_t id = server(HostRole::kFile, "FS", site);
    inv.file_servers.push_back(id);
    inv.sites[site].file_servers.push_back(id);
  }
  for (uint32_t i = 0; i < nsql; ++i) inv.sql_servers.push_back(server(HostRole::kSql, "SQL", 0));
  for (uint32_t i = 0; i < napp; ++i)
    inv.app_servers.push_back(server(HostRole::kApp, "APP", uint16_t(i % nsites)));
  for (uint32_t i = 0; i < njump; ++i)
    inv.jump_hosts.push_back(server(HostRole::kJump, "JMP", uint16_t(i)));
  inv.backup_server = server(HostRole::kBackup, "BKP", 0);
  inv.sccm_server = server(HostRole::kSccm, "SCCM", 0);
  inv.monitor_server = server(HostRole::kMonitor, "MON", 0);
  for (uint32_t i = 0; i < npaw; ++i) {
    uint16_t site = uint16_t(i % nsites);
    uint32_t num = ++role_counter[int(HostRole::kAdminWs)];
    inv.admin_ws.push_back(add_host(HostRole::kAdminWs, site,
                                    fmt::format("{}-PAW{:02}", inv.sites[site].code, num),
                                    fmt::format("10.{}.5.{}", 10 + site, 10 + num)));
  }
  // Workstations: site 0 (headquarters) gets a larger share.
  std::vector<uint32_t> ws_k(nsites, 0);
  for (uint32_t i = 0; i < nws; ++i) {
    uint16_t site = (nsites == 1 || r.Percent(30)) ? 0 : uint16_t(r.Below(nsites));
    uint32_t k = ws_k[site]++;
    inv.workstations.push_back(add_host(HostRole::kWorkstation, site,
                                        fmt::format("{}-WS{:04}", inv.sites[site].code, k + 1),
                                        site_ip(site, 32, k)));
  }
  for (uint32_t i = 0; i < inv.hosts.size(); ++i) {
    Host& h = inv.hosts[i];
    if (h.role != HostRole::kDc && h.role != HostRole::kWorkstation && h.role != HostRole::kAdminWs)
      inv.servers.push_back(i);
    const auto& dcs = inv.sites[h.site].dcs;
    h.dc = dcs[i % dcs.size()];
  }
  for (uint16_t s = 0; s < nsites; ++s)
    inv.printers.push_back(fmt::format("{}-MFP01", inv.sites[s].code));

  // Output groups: all DCs; servers and admin workstations by 250; workstations by 500.
  inv.groups.push_back("dc");
  for (uint32_t id : inv.dcs) inv.hosts[id].group = 0;
  {
    std::vector<uint32_t> srv = inv.servers;
    srv.insert(srv.end(), inv.admin_ws.begin(), inv.admin_ws.end());
    for (size_t i = 0; i < srv.size(); ++i) {
      if (i % 250 == 0) inv.groups.push_back(fmt::format("servers-{:02}", i / 250));
      inv.hosts[srv[i]].group = uint32_t(inv.groups.size() - 1);
    }
    for (size_t i = 0; i < inv.workstations.size(); ++i) {
      if (i % 500 == 0) inv.groups.push_back(fmt::format("workstations-{:02}", i / 500));
      inv.hosts[inv.workstations[i]].group = uint32_t(inv.groups.size() - 1);
    }
  }

  // People: one per workstation.
  std::unordered_set<std::string> used;
  auto unique_sam = [&](std::string base) {
    std::string sam = base;
    for (int k = 2; used.count(sam); ++k) sam = fmt::format("{}{}", base, k);
    used.insert(sam);
    return sam;
  };
  auto add_account = [&](Account a) {
    a.sid = fmt::format("{}-{}", inv.domain_sid, next_rid++);
    inv.accounts.push_back(std::move(a));
    return uint32_t(inv.accounts.size() - 1);
  };
  uint32_t dept_total = 0;
  for (const auto& d : kDepts) dept_total += d.weight;
  const uint32_t nhelp = std::max<uint32_t>(2, n / 300);
  const uint32_t nsrvadm = std::max<uint32_t>(2, n / 400);
  const uint32_t nda = 2 + n / 5000;
  for (size_t i = 0; i < inv.workstations.size(); ++i) {
    uint32_t ws = inv.workstations[i];
    const char* first = kFirst[r.Below(std::size(kFirst))];
    const char* last = kLast[r.Below(std::size(kLast))];
    Account a;
    a.kind = AccountKind::kPerson;
    a.sam = unique_sam(fmt::format("{}.{}", first, last));
    std::string f = first, l = last;
    f[0] = char(f[0] - 32);
    l[0] = char(l[0] - 32);
    a.full_name = f + " " + l;
    a.workstation = int32_t(ws);
    a.site = inv.hosts[ws].site;
    if (i < nhelp) {
      a.role = PersonRole::kHelpdesk;
      a.peer_group = "IT Helpdesk";
    } else if (i < nhelp + nsrvadm) {
      a.role = PersonRole::kServerAdmin;
      a.peer_group = "IT Server Operations";
    } else if (i < nhelp + nsrvadm + nda) {
      a.role = PersonRole::kDomainAdmin;
      a.peer_group = "IT Identity";
    } else {
      uint32_t pick = uint32_t(r.Below(dept_total));
      for (const auto& d : kDepts) {
        if (pick < d.weight) {
          a.peer_group = d.name;
          break;
        }
        pick -= d.weight;
      }
      a.role = a.peer_group == "Engineering" ? PersonRole::kDeveloper : PersonRole::kStaff;
      if (a.role == PersonRole::kStaff && r.Percent(7)) {
        a.remote_worker = true;
        a.home_ip = ResidentialIp(r);
        for (int k = 0; k < 3; ++k)
          a.vpn_ips.push_back(fmt::format("10.250.{}.{}", r.Range(0, 63), r.Range(2, 254)));
      }
      if (o.days > 2 && r.Permille(12)) a.first_day = uint32_t(r.Range(1, o.days - 1));
    }
    uint32_t id = add_account(std::move(a));
    inv.hosts[ws].primary_user = int32_t(id);
    inv.persons.push_back(id);
    switch (inv.accounts[id].role) {
      case PersonRole::kHelpdesk: inv.helpdesk.push_back(id); break;
      case PersonRole::kServerAdmin: inv.server_admins.push_back(id); break;
      case PersonRole::kDomainAdmin: inv.domain_admins.push_back(id); break;
      case PersonRole::kDeveloper: inv.developers.push_back(id); break;
      default: break;
    }
    if (inv.accounts[id].remote_worker) inv.remote_workers.push_back(id);
  }
  // Admin accounts of IT staff.
  auto admin_for = [&](uint32_t person, AccountKind kind, const char* prefix) {
    const Account& p = inv.accounts[person];
    Account a;
    a.kind = kind;
    std::string compact = p.sam;
    compact.erase(std::remove(compact.begin(), compact.end(), '.'), compact.end());
    a.sam = unique_sam(fmt::format("{}{}", prefix, compact));
    a.full_name = p.full_name + " (admin)";
    a.peer_group = p.peer_group;
    a.role = p.role;
    a.privileged = true;
    a.owner = int32_t(person);
    a.site = p.site;
    uint32_t id = add_account(std::move(a));
    inv.accounts[person].admin_account = int32_t(id);
    return id;
  };
  for (uint32_t p : inv.helpdesk) admin_for(p, AccountKind::kAdmin, "adm.");
  for (uint32_t p : inv.server_admins) {
    admin_for(p, AccountKind::kAdmin, "adm.");
    // The servers this admin looks after: a team share of app/sql/file servers.
    std::vector<uint32_t> pool = inv.app_servers;
    pool.insert(pool.end(), inv.sql_servers.begin(), inv.sql_servers.end());
    pool.insert(pool.end(), inv.file_servers.begin(), inv.file_servers.end());
    uint32_t k = uint32_t(std::min<size_t>(pool.size(), r.Range(4, 12)));
    for (uint32_t j = 0; j < k; ++j) {
      uint32_t s = pool[r.Below(pool.size())];
      if (std::find(inv.accounts[p].servers.begin(), inv.accounts[p].servers.end(), s) ==
          inv.accounts[p].servers.end())
        inv.accounts[p].servers.push_back(s);
    }
  }
  for (uint32_t p : inv.domain_admins) admin_for(p, AccountKind::kDomainAdmin, "da.");
  {
    Account a;
    a.kind = AccountKind::kShared;
    a.sam = unique_sam("srvadmin");
    a.full_name = "Shared server administration account";
    a.peer_group = "IT Server Operations";
    a.privileged = true;
    inv.shared_admin = add_account(std::move(a));
  }
  auto svc = [&](const char* sam, const char* name, bool privileged) {
    Account a;
    a.kind = AccountKind::kService;
    a.sam = unique_sam(sam);
    a.full_name = name;
    a.peer_group = "Service accounts";
    a.privileged = privileged;
    uint32_t id = add_account(std::move(a));
    inv.service_accounts.push_back(id);
    return id;
  };
  inv.svc_backup = svc("svc_backup", "Backup service (Veeam)", true);
  inv.svc_sccm = svc("svc_sccm", "Configuration Manager client push / patching", true);
  inv.svc_monitor = svc("svc_monitor", "Monitoring (PRTG WMI sensors)", true);
  inv.svc_sql = svc("svc_sql", "SQL Server service", false);
  inv.svc_scan = svc("svc_scan", "Scanner (MFP scan to folder)", false);
  inv.svc_web = svc("svc_web", "Intranet application pool", false);
  return inv;
}

std::string InventoryJson(const Inventory& inv) {
  std::string o;
  o += "{\n";
  o += fmt::format("  \"domain\": {}, \"dns_domain\": {}, \"domain_sid\": {},\n",
                   JsonString(inv.domain), JsonString(inv.dns_domain), JsonString(inv.domain_sid));
  o += "  \"sites\": [\n";
  for (size_t i = 0; i < inv.sites.size(); ++i) {
    const Site& s = inv.sites[i];
    o += fmt::format("    {{\"code\": {}, \"city\": {}, \"utc_offset_minutes\": {}, "
                     "\"subnet\": \"10.{}.0.0/16\"}}{}\n",
                     JsonString(s.code), JsonString(s.city), s.utc_offset_min, 10 + i,
                     i + 1 < inv.sites.size() ? "," : "");
  }
  o += "  ],\n  \"vpn_pool\": \"10.250.0.0/16\",\n  \"hosts\": [\n";
  for (size_t i = 0; i < inv.hosts.size(); ++i) {
    const Host& h = inv.hosts[i];
    o += fmt::format("    {{\"name\": {}, \"fqdn\": {}, \"ip\": {}, \"role\": \"{}\", \"site\": {}, "
                     "\"sid\": {}, \"file_group\": {}",
                     JsonString(h.name), JsonString(h.fqdn), JsonString(h.ip),
                     HostRoleName(h.role), JsonString(inv.sites[h.site].code),
                     JsonString(h.machine_sid), JsonString(inv.groups[h.group]));
    if (h.primary_user >= 0)
      o += fmt::format(", \"primary_user\": {}", JsonString(inv.accounts[h.primary_user].sam));
    o += i + 1 < inv.hosts.size() ? "},\n" : "}\n";
  }
  o += "  ],\n  \"accounts\": [\n";
  for (size_t i = 0; i < inv.accounts.size(); ++i) {
    const Account& a = inv.accounts[i];
    o += fmt::format("    {{\"sam\": {}, \"name\": {}, \"sid\": {}, \"kind\": \"{}\", "
                     "\"peer_group\": {}, \"privileged\": {}",
                     JsonString(a.sam), JsonString(a.full_name), JsonString(a.sid),
                     AccountKindName(a.kind), JsonString(a.peer_group),
                     a.privileged ? "true" : "false");
    if (a.kind == AccountKind::kPerson || a.kind == AccountKind::kAdmin ||
        a.kind == AccountKind::kDomainAdmin)
      o += fmt::format(", \"role\": \"{}\"", PersonRoleName(a.role));
    if (a.workstation >= 0)
      o += fmt::format(", \"primary_workstation\": {}, \"site\": {}",
                       JsonString(inv.hosts[a.workstation].name), JsonString(inv.sites[a.site].code));
    if (a.owner >= 0) o += fmt::format(", \"owner\": {}", JsonString(inv.accounts[a.owner].sam));
    if (a.admin_account >= 0)
      o += fmt::format(", \"admin_account\": {}", JsonString(inv.accounts[a.admin_account].sam));
    if (a.remote_worker) {
      o += fmt::format(", \"remote_worker\": true, \"home_ip\": {}, \"vpn_ips\": [", JsonString(a.home_ip));
      for (size_t k = 0; k < a.vpn_ips.size(); ++k)
        o += (k ? ", " : "") + JsonString(a.vpn_ips[k]);
      o += "]";
    }
    if (a.first_day > 0) o += fmt::format(", \"new_hire_first_day\": {}", a.first_day);
    if (!a.servers.empty()) {
      o += ", \"manages\": [";
      for (size_t k = 0; k < a.servers.size(); ++k)
        o += (k ? ", " : "") + JsonString(inv.hosts[a.servers[k]].name);
      o += "]";
    }
    o += i + 1 < inv.accounts.size() ? "},\n" : "}\n";
  }
  o += "  ]\n}\n";
  return o;
}

}  // namespace inari::sim
