// The simulated enterprise: sites, hosts, accounts (docs/simulate.md).
//
// BuildInventory() derives everything from the options and the seed alone;
// the result is immutable afterwards and shared read-only by all simulation
// passes (safe to read from many threads).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "simulate/simulate.h"

namespace inari::sim {

enum class HostRole : uint8_t {
  kDc,
  kFile,
  kSql,
  kApp,
  kJump,
  kBackup,
  kSccm,
  kMonitor,
  kAdminWs,  // privileged access workstation, shared by admins
  kWorkstation,
};
const char* HostRoleName(HostRole r);
inline bool IsServer(HostRole r) { return r != HostRole::kAdminWs && r != HostRole::kWorkstation; }

struct Site {
  std::string code;   // "FRA"
  std::string city;
  int utc_offset_min = 0;  // fixed offset (no daylight saving)
  std::vector<uint32_t> dcs;
  std::vector<uint32_t> file_servers;
};

struct Host {
  std::string name;  // FRA-WS0042
  std::string fqdn;  // FRA-WS0042.corp.local
  std::string ip;
  std::string machine_sid;
  std::string account;  // machine account, "FRA-WS0042$"
  HostRole role = HostRole::kWorkstation;
  uint16_t site = 0;
  uint32_t group = 0;          // output file group
  int32_t primary_user = -1;   // account index (workstations)
  uint32_t lsass_pid = 0, sysmon_pid = 0, services_pid = 0, lsm_pid = 0, ts_pid = 0;
  uint32_t guid_prefix = 0;    // Sysmon ProcessGuid prefix
  uint32_t dc = 0;             // the DC this host authenticates against
};

enum class AccountKind : uint8_t { kPerson, kAdmin, kDomainAdmin, kShared, kService };
enum class PersonRole : uint8_t { kStaff, kDeveloper, kHelpdesk, kServerAdmin, kDomainAdmin };
const char* AccountKindName(AccountKind k);
const char* PersonRoleName(PersonRole r);

struct Account {
  std::string sam;        // j.doe, adm.jdoe, da.jdoe, srvadmin, svc_backup
  std::string full_name;
  std::string sid;
  AccountKind kind = AccountKind::kPerson;
  PersonRole role = PersonRole::kStaff;
  std::string peer_group;         // department or team
  bool privileged = false;        // gets 4672 on logon
  int32_t workstation = -1;       // primary workstation (persons)
  int32_t owner = -1;             // person behind an admin account
  int32_t admin_account = -1;     // a person's adm./da. account
  uint16_t site = 0;
  bool remote_worker = false;     // connects by VPN and RDPs to the workstation
  std::string home_ip;
  std::vector<std::string> vpn_ips;  // usual VPN addresses
  uint32_t first_day = 0;         // new hires: first working day (0: employed already)
  std::vector<uint32_t> servers;  // server admins: servers they manage
};

struct Inventory {
  std::string domain = "CORP";
  std::string dns_domain = "corp.local";
  std::string realm = "CORP.LOCAL";
  std::string domain_sid;
  int64_t start_ns = 0;  // first day 00:00 UTC
  uint32_t days = 0;
  std::vector<Site> sites;
  std::vector<Host> hosts;
  std::vector<Account> accounts;
  std::vector<std::string> groups;  // output file group names, by Host::group

  std::vector<uint32_t> dcs, servers, file_servers, sql_servers, app_servers, jump_hosts,
      admin_ws, workstations;
  uint32_t backup_server = 0, sccm_server = 0, monitor_server = 0;
  std::vector<uint32_t> persons, helpdesk, server_admins, domain_admins, developers,
      remote_workers;
  uint32_t svc_backup = 0, svc_sccm = 0, svc_monitor = 0, svc_sql = 0, svc_scan = 0,
           svc_web = 0, shared_admin = 0;
  std::vector<uint32_t> service_accounts;
  std::vector<std::string> printers;  // scanner names, one per site ("FRA-MFP01")

  int64_t DayStart(uint32_t day) const { return start_ns + int64_t(day) * 86'400'000'000'000LL; }
  // UTC ns of local time `minutes` after local midnight of `day` at `site`.
  int64_t Local(uint32_t day, uint16_t site, int64_t minutes) const {
    return DayStart(day) + (minutes - sites[site].utc_offset_min) * 60'000'000'000LL;
  }
  std::string Upn(const Account& a) const { return a.sam + "@" + dns_domain; }
};

// Parses "YYYY-MM-DD" into UTC ns at 00:00; false if malformed.
bool ParseStartDate(const std::string& text, int64_t* ns);

Inventory BuildInventory(const SimulateOptions& options, int64_t start_ns);

// inventory.json (hosts, users, service accounts, sites).
std::string InventoryJson(const Inventory& inv);

}  // namespace inari::sim
