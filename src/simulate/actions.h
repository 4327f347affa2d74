// Composite actions built from single events: a Kerberos network logon with
// its ticket on the DC, a share visit, an RDP session (NLA, 1149, LSM, 4624
// type 10), a process start. Benign business and campaigns use the same
// actions, so an attack looks like what it is: ordinary events in an unusual
// combination. Times are UTC ns; each action returns when it ends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "simulate/events.h"

namespace inari::sim {

constexpr int64_t kSec = 1'000'000'000LL;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kMs = 1'000'000LL;

// A random duration in [lo, hi] (ns).
inline int64_t Dur(Rng& r, int64_t lo, int64_t hi) { return r.Range(lo, hi); }

struct Env {
  const Inventory& inv;
  Sink& s;
};

// Long-running processes every host has (started before the logs begin).
Proc ServicesExe(const Env& e, uint32_t host);
Proc SchedulerSvchost(const Env& e, uint32_t host);
Proc WinlogonExe(const Env& e, uint32_t host);
Proc WmiHost(const Env& e, uint32_t host);
Proc TeamViewerService(const Env& e, uint32_t host);

// Starts a process: Sysmon 1 on the host. The child inherits user, logon id,
// session and integrity from `parent` unless given.
Proc Spawn(const Env& e, Rng& r, int64_t t, const Proc& parent, std::string image,
           std::string cmdline);
Proc SpawnAs(const Env& e, Rng& r, int64_t t, const Proc& parent, std::string image,
             std::string cmdline, uint32_t account, uint64_t lid, const char* integrity,
             uint32_t session);

// A Kerberos (or NTLM) network logon of `account` on `target` from `src_ip`:
// 4769 on the DC for `spn` (Kerberos) or 4776 (NTLM), 4624 type 3 (+4672).
uint64_t NetLogon(const Env& e, Rng& r, int64_t t, uint32_t account, std::string_view src_ip,
                  uint32_t src_dc, uint32_t target, std::string_view spn = "cifs",
                  bool ntlm = false, std::string_view workstation = "-");
// 5140 for the share, 5145 for each file.
int64_t ShareVisit(const Env& e, Rng& r, int64_t t, uint32_t account, uint64_t lid,
                   std::string_view src_ip, uint32_t target, std::string_view share,
                   std::string_view local_path, const std::vector<std::string>& files,
                   bool write = false);

struct RdpSession {
  uint32_t host = 0;
  uint32_t account = 0;
  std::string src_ip, client;
  uint32_t session = 2;
  uint64_t lid = 0;
  Proc explorer;
  int64_t t = 0;  // when the desktop is ready
};
// Incoming RDP with NLA: 4624 type 3, 1149, 4634, 4624 type 10 (+4672), LSM 21/22,
// userinit and explorer. `kerberos` false: NTLM (from outside the domain).
RdpSession RdpLogon(const Env& e, Rng& r, int64_t t, uint32_t target, uint32_t account,
                    std::string_view src_ip, std::string_view client, bool kerberos);
void RdpLogoff(const Env& e, Rng& r, int64_t t, const RdpSession& s);
void RdpDisconnect(const Env& e, Rng& r, int64_t t, const RdpSession& s);
int64_t RdpReconnect(const Env& e, Rng& r, int64_t t, RdpSession* s, std::string_view src_ip);
// mstsc.exe from `from` (a process of a session on the source host) to
// `target` as `account`: Sysmon 1 mstsc, 4648 when the account differs from
// the session's (explicit credentials), TGT/TGS on the DC, Sysmon 3 to :3389,
// then the RDP logon on the target.
RdpSession RdpHop(const Env& e, Rng& r, int64_t t, const Proc& from, uint32_t from_account,
                  uint32_t target, uint32_t account);

// Interactive console logon (type 2, or 11 cached) with userinit/explorer.
struct ConsoleSession {
  uint64_t lid = 0;
  Proc explorer;
  int64_t t = 0;
};
ConsoleSession ConsoleLogon(const Env& e, Rng& r, int64_t t, uint32_t host, uint32_t account,
                            uint32_t type = 2);

// Process connects out, with the DNS query first (Sysmon 22 + 3).
void Connect(const Env& e, Rng& r, int64_t t, const Proc& p, std::string_view name,
             std::string_view ip, uint32_t port);

}  // namespace inari::sim
