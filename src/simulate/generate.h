// The day generators: ordinary business (benign.cc) and campaigns (campaign.cc).
//
// A Generator is owned by one pass and runs every day of the simulation in
// order; it keeps the little state benign business needs across days (on
// which workstations helpdesk has installed AnyDesk). Every random draw comes
// from a stream keyed by (seed, activity, entity, day), so each pass draws
// exactly the same story and only the sink decides what is written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "simulate/actions.h"

namespace inari::sim {

// A benign situation that looks like an attack (a false-positive trap).
struct Confounder {
  std::string kind;     // "helpdesk_anydesk", "patch_night_fanout", …
  int64_t time = 0;
  std::string host;     // where it shows
  std::string account;
  std::string detail;
};

// ---- campaigns ----------------------------------------------------------

struct CampaignStep {
  int64_t time = 0;
  uint32_t host = 0;
  uint32_t account = 0;
  std::string technique;  // "T1078 Valid Accounts" …
  std::string what;       // one line for GROUND_TRUTH.md
  std::string kind;       // entry, discovery, explicit_credentials, remote_access_tool, …
  std::vector<uint32_t> targets;  // fan-out targets, RDP hop target
  std::string detail;     // tool name, share, external IP …
};

struct Campaign {
  int id = 0;
  std::string variant;    // "fast/anydesk/rclone/service-account" …
  bool fast = true;
  uint32_t user = 0;        // stolen user credentials (entry)
  uint32_t privileged = 0;  // stolen privileged account (service or admin)
  uint32_t second = 0;      // account on the last RDP hop (may equal privileged)
  uint32_t entry_host = 0;
  std::string entry_ip;     // attacker's source address (external or VPN)
  std::string client_name;  // attacker's machine name (DESKTOP-XXXXXXX)
  std::string rat;          // "AnyDesk", "TeamViewer" or ""
  std::string exfil_tool;   // "rclone", "curl", "MEGAsync" or ""
  std::string archiver;     // "7z", "rar" or ""
  std::vector<std::string> external_ips;  // attacker infrastructure
  std::vector<CampaignStep> steps;
  int64_t start = 0, end = 0;
};

std::vector<Campaign> PlanCampaigns(const Inventory& inv, const SimulateOptions& o);

// Plays the planned campaigns into a pass, day by day: Day(d) emits every step
// that starts on day d (its events may run on into the next day). Keeps the
// attacker's sessions between steps.
class CampaignRunner {
 public:
  CampaignRunner(const Env& e, uint64_t seed, const std::vector<Campaign>& campaigns);
  ~CampaignRunner();
  void Day(uint32_t day);

 private:
  struct State;
  void Step(const Campaign& c, size_t index, State& st);
  Env e_;
  uint64_t seed_;
  const std::vector<Campaign>& campaigns_;
  std::vector<State*> states_;
};

// ---- benign -------------------------------------------------------------

class BenignGenerator {
 public:
  BenignGenerator(const Env& e, uint64_t seed, std::vector<Confounder>* confounders);
  void Day(uint32_t day);

 private:
  void UserDay(uint32_t day, uint32_t user);
  void HelpdeskTickets(uint32_t day, uint32_t user, const Proc& explorer, uint64_t lid);
  void ServerAdminWork(uint32_t day, uint32_t user, const Proc& explorer);
  void DomainAdminWork(uint32_t day, uint32_t user, const Proc& explorer);
  void HostBackground(uint32_t day, uint32_t host);
  void MachineAccounts(uint32_t day);
  void BackupNight(uint32_t day);
  void PatchNight(uint32_t day);
  void Monitoring(uint32_t day);
  void SqlBackups(uint32_t day);
  void Scanners(uint32_t day);
  void StaleCredentials(uint32_t day);
  void Note(std::string kind, int64_t t, uint32_t host, uint32_t account, std::string detail);

  Env e_;
  uint64_t seed_;
  std::vector<Confounder>* confounders_;
  std::vector<uint8_t> anydesk_installed_;
};

// Weekday of a day number since 1970-01-01 (0 = Monday … 6 = Sunday).
inline int Weekday(int64_t unix_day) { return int((unix_day + 3) % 7); }

}  // namespace inari::sim
