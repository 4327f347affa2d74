// Activity — the compact, typed record the behavioural analytics work on,
// extracted from Windows events (logons, explicit credentials, share access,
// RDP, service installs, processes, network and DNS of remote-access tools).
//
// Extraction runs on the scanning threads: each worker owns an
// ActivityExtractor with its own name table (no locks); after the scan the
// tables are merged into one NameTable and the records' ids remapped
// (Merge). Names are normalised once: accounts lower-case without domain
// ("CORP\Alice" and "alice@corp.local" are "alice"), hosts lower-case without
// DNS suffix, IPv4-mapped IPv6 addresses as IPv4. A record is 48 bytes.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "inari/event.h"

namespace inari::analytics {

enum class ActKind : uint8_t {
  kRemoteLogon,     // 4624 type 3/10 from elsewhere, RDP 1149, LSM 21/25
  kLocalLogon,      // 4624 type 2/11 (console) — for hours-of-activity
  kExplicitCreds,   // 4648
  kAdminShare,      // 5140 on ADMIN$ / C$ / D$ …
  kAdminShareFile,  // 5145 on ADMIN$ / C$ …
  kToolProcess,     // process of a remote-access tool (Sysmon 1, 4688)
  kToolService,     // service install of a remote-access tool (7045, 4697)
  kToolNetwork,     // DNS query / connection to a tool's relay (Sysmon 22, 3)
};
std::string_view ActKindName(ActKind k);

// Names are ids into a NameTable; 0 means "none". Namespaces keep users,
// hosts, IPs and other strings apart ("u:", "h:", "i:", "t:", "x:").
using NameId = uint32_t;

struct Activity {
  int64_t time = 0;          // UTC ns
  uint64_t record_id = 0;    // EventRecordID (evidence)
  NameId user = 0;           // the acting account
  NameId host = 0;           // where it was logged (the destination of a logon)
  NameId src_host = 0;       // source workstation name, if logged
  NameId src_ip = 0;         // source address, if logged
  NameId target = 0;         // 4648 target server (a host); tool id; share name
  NameId other_user = 0;     // 4648: the account whose credentials were used
  uint32_t source = 0;       // input file (extractor/merged source table)
  uint16_t event_id = 0;
  ActKind kind = ActKind::kRemoteLogon;
  uint8_t logon_type = 0;
};
static_assert(sizeof(Activity) == 56 || sizeof(Activity) == 48, "keep Activity compact");

class NameTable {
 public:
  NameTable() { names_.emplace_back(); }
  NameId Intern(std::string_view name);
  NameId Find(std::string_view name) const;
  std::string_view Name(NameId id) const { return names_[id]; }
  // Without the namespace prefix ("u:alice" → "alice").
  std::string_view Display(NameId id) const {
    std::string_view n = names_[id];
    return n.size() > 2 ? n.substr(2) : n;
  }
  char Kind(NameId id) const { return names_[id].empty() ? 0 : names_[id][0]; }
  size_t size() const { return names_.size(); }
  size_t memory_bytes() const;

 private:
  std::deque<std::string> names_;                     // a deque: the strings never move
  std::unordered_map<std::string_view, NameId> ids_;  // views into names_
};

// Remote-access tools inari knows (process image names, service names, relay
// domains). Returns a stable tool name ("anydesk") or empty.
std::string_view ToolOfImage(std::string_view image_path);
std::string_view ToolOfService(std::string_view service_name, std::string_view image_path);
std::string_view ToolOfDomain(std::string_view dns_name);

// Normalisation helpers (exposed for tests and other analytics). The Append
// forms add the normalised name to `out` and return false (adding nothing) for
// names that are no entity; the per-event path uses them to reuse a buffer.
bool AppendNormalizedAccount(std::string_view raw, std::string* out);
bool AppendNormalizedHost(std::string_view raw, std::string* out);
bool AppendNormalizedIp(std::string_view raw, std::string* out);
std::string NormalizeAccount(std::string_view raw);  // "" for machine / system / anonymous accounts
std::string NormalizeHost(std::string_view raw);     // "" for empty, "-", localhost
std::string NormalizeIp(std::string_view raw);       // "" for empty, "-", loopback

class ActivityExtractor {
 public:
  // Appends 0..2 activities for the event. Cheap for events of no interest
  // (an EventID switch). `source_name` is the event's input, registered once.
  void Extract(const EventView& e, std::string_view source_name, std::vector<Activity>* out);

  NameTable& names() { return names_; }
  const std::vector<std::string>& sources() const { return sources_; }

 private:
  NameId User(std::string_view raw);
  NameId Host(std::string_view raw);
  NameId Ip(std::string_view raw);
  NameId Other(char kind, std::string_view s);
  uint32_t Source(std::string_view name);
  std::string_view Text(const EventView& e, FieldId id);
  NameTable names_;
  std::vector<std::string> sources_;
  std::string_view last_source_;
  uint32_t last_source_id_ = 0;
  std::string tmp_;
  std::string text_;
};

// Merging per-worker tables: the global id of each local name id (0 stays 0),
// and the global index of each local source name (appended when new).
std::vector<NameId> RemapNames(const NameTable& local, NameTable* global);
std::vector<uint32_t> RemapSources(const std::vector<std::string>& local, std::vector<std::string>* global);

// Merges the extractors' tables: remaps every activity's ids into `names`
// and `sources`, then sorts all activities by time (stable by input order).
std::vector<Activity> MergeActivities(std::vector<ActivityExtractor>* extractors,
                                      std::vector<std::vector<Activity>>* per_worker, NameTable* names,
                                      std::vector<std::string>* sources);

}  // namespace inari::analytics
