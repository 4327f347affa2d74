// Windows events as JSON Lines, and the per-pass sink that orders and writes them.
//
// A Sink belongs to one simulation pass and owns some output groups (files).
// Generators call the event functions below for every event of the simulated
// enterprise; events on hosts of groups the pass does not own cost one branch
// and are dropped. Events are buffered per group until FlushDay(), which sorts
// them by time, assigns EventRecordIDs (increasing per host and channel) and
// writes OUT/events/DAY/GROUP.jsonl[.gz]; events later than the day carry
// over. Per-event noise (thread ids, GUIDs, ports) comes from a hash of the
// event's sequence number, never from the generators' random streams, so
// dropping an event changes nothing else.
// Thread-safety: a Sink is used by one thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "inari/status.h"
#include "simulate/inventory.h"
#include "simulate/rng.h"

namespace inari::sim {

enum class Channel : uint8_t { kSecurity, kSystem, kSysmon, kLsm, kRcm };
inline constexpr int kNumChannels = 5;
std::string_view ChannelName(Channel ch);

// Which campaign step an event belongs to (-1: ordinary business).
struct EventTag {
  int16_t campaign = -1;
  int16_t step = -1;
};

// One injected event as written: where to find it.
struct WrittenEvent {
  int16_t campaign, step;
  uint32_t host;
  Channel channel;
  uint16_t event_id;
  uint64_t record_id;
  int64_t time;
};

class Sink;

// Appends one event's fields; finishes the event when destroyed. An empty Line
// (host not owned) ignores every call.
class Line {
 public:
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;
  ~Line();
  explicit operator bool() const { return buf_ != nullptr; }
  Line& S(std::string_view key, std::string_view value);  // string
  Line& U(std::string_view key, uint64_t value);          // JSON number
  Line& X(std::string_view key, uint64_t value);          // "0x..." text
  Line& B(std::string_view key, bool value);
  uint64_t Noise();  // per-event random word

 private:
  friend class Sink;
  Line(Sink* sink, std::string* buf, uint64_t noise) : sink_(sink), buf_(buf), noise_(noise) {}
  void Key(std::string_view key);
  Sink* sink_;
  std::string* buf_;
  uint64_t noise_;
  uint32_t n_ = 0;
};

class Sink {
 public:
  // `owned[g]` tells whether this pass writes group g.
  Sink(const Inventory& inv, const SimulateOptions& o, std::vector<bool> owned);
  bool Owns(uint32_t host) const { return slot_[inv_.hosts[host].group] >= 0; }
  void SetTag(EventTag tag) { tag_ = tag; }
  // Starts a new noise stream: call at the start of every activity, so that
  // activities a pass skips (hosts it does not own) change no other event.
  void Stream(uint64_t key) {
    stream_ = key;
    counter_ = 0;
  }
  EventTag tag() const { return tag_; }
  // Events of day `day` are generated now: none may be earlier than its start.
  void BeginDay(uint32_t day) { floor_ns_ = inv_.DayStart(day); }
  // Starts an event. `user_sid` (Security_UserID) and `activity` are optional.
  Line Begin(int64_t t, uint32_t host, Channel ch, uint16_t eid, std::string_view user_sid = {},
             bool activity = false, bool failure = false);
  // Writes every buffered event before the end of `day`; later ones carry over.
  Status FlushDay(uint32_t day);
  // Drops what is left after the last day (events past the simulated period).
  void Finish();

  uint64_t events() const { return events_; }
  uint64_t bytes() const { return bytes_; }
  uint64_t files() const { return files_; }
  std::vector<WrittenEvent>& written() { return written_; }
  const Inventory& inv() const { return inv_; }
  uint64_t seed() const { return seed_; }

 private:
  friend class Line;
  struct Rec {
    int64_t t;
    uint64_t seq;
    uint64_t off;
    uint32_t len;
    uint32_t rid_pos;
    uint32_t host;
    Channel ch;
    uint16_t eid;
    EventTag tag;
  };
  struct Group {
    std::string text;
    std::vector<Rec> recs;
  };
  void EndLine(std::string* buf);

  const Inventory& inv_;
  uint64_t seed_;
  std::string out_dir_;
  bool gzip_;
  std::vector<int32_t> slot_;
  std::vector<uint32_t> slot_group_;
  std::vector<Group> groups_;
  std::vector<uint64_t> rid_;  // per host * kNumChannels
  uint64_t seq_ = 0;
  uint64_t stream_ = 0, counter_ = 0;
  int64_t floor_ns_ = 0;
  EventTag tag_;
  Group* cur_ = nullptr;
  uint64_t events_ = 0, bytes_ = 0, files_ = 0;
  std::vector<WrittenEvent> written_;
  std::string out_buf_;
};

// ---- identities ---------------------------------------------------------

struct Principal {
  std::string_view name;    // sam or HOST$
  std::string_view sid;
  std::string_view domain;  // CORP / NT AUTHORITY
  bool privileged = false;
};
Principal Who(const Inventory& inv, uint32_t account);
Principal MachineWho(const Inventory& inv, uint32_t host);
Principal SystemWho();

// ---- processes ----------------------------------------------------------

struct Proc {
  uint32_t host = 0;
  uint32_t pid = 0;
  uint64_t guid_bits = 0;
  int64_t start = 0;
  std::string image;
  std::string cmdline;
  std::string user;  // "CORP\\j.doe", "NT AUTHORITY\\SYSTEM"
  uint64_t logon_id = 0x3e7;
  const char* integrity = "Medium";
  uint32_t session = 1;
};
std::string ProcGuid(const Inventory& inv, const Proc& p);
// A long-running process that was started before the logs begin (services.exe, svchost …).
Proc SystemProc(const Inventory& inv, uint32_t host, std::string image, std::string cmdline,
                uint32_t pid, std::string user = "NT AUTHORITY\\SYSTEM");
std::string UserText(const Inventory& inv, uint32_t account);  // CORP\name

// ---- event kinds (field sets as Windows writes them) --------------------

uint64_t NewLogonId(Rng& r);

struct LogonArgs {
  uint32_t type = 3;
  std::string_view ip = "-";
  std::string_view workstation = "-";
  std::string_view package = "Kerberos";  // Kerberos, NTLM, Negotiate
  std::string_view process = "-";
  uint32_t process_id = 0;
  bool subject_system = false;  // interactive logons are reported by SYSTEM
  uint32_t ip_port = 0;
};
void Ev4624(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid, const LogonArgs& a);
void Ev4672(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid);
void Ev4625(Sink& s, int64_t t, uint32_t host, std::string_view name, uint32_t type,
            std::string_view ip, std::string_view workstation, std::string_view sub_status);
void Ev4634(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid, uint32_t type);
void Ev4647(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid);
void Ev4648(Sink& s, int64_t t, uint32_t host, const Principal& subject, uint64_t subject_lid,
            const Principal& target, std::string_view server, std::string_view info,
            std::string_view process, uint32_t pid, std::string_view ip, uint32_t port);
void Ev4768(Sink& s, int64_t t, uint32_t dc, const Principal& who, std::string_view client_ip,
            std::string_view status = "0x0");
void Ev4769(Sink& s, int64_t t, uint32_t dc, const Principal& who, std::string_view service,
            std::string_view service_sid, std::string_view client_ip);
void Ev4776(Sink& s, int64_t t, uint32_t dc, std::string_view name, std::string_view workstation,
            std::string_view status = "0x0");
void Ev5140(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid,
            std::string_view ip, std::string_view share, std::string_view local_path);
void Ev5145(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid,
            std::string_view ip, std::string_view share, std::string_view local_path,
            std::string_view relative, bool write);
void Ev4778(Sink& s, int64_t t, uint32_t host, const Principal& who, uint64_t lid,
            std::string_view client, std::string_view address, bool reconnect);
void Ev7045(Sink& s, int64_t t, uint32_t host, std::string_view name, std::string_view image,
            std::string_view start_type, std::string_view account, std::string_view installer_sid);
void Sysmon1(Sink& s, int64_t t, const Proc& p, const Proc* parent, std::string_view hashes_seed = {});
void Sysmon3(Sink& s, int64_t t, const Proc& p, std::string_view dst_ip, uint32_t dst_port,
             std::string_view dst_host, bool initiated = true, std::string_view src_ip = {});
void Sysmon11(Sink& s, int64_t t, const Proc& p, std::string_view path);
void Sysmon22(Sink& s, int64_t t, const Proc& p, std::string_view query, std::string_view results);
void Lsm(Sink& s, int64_t t, uint32_t host, uint16_t eid, std::string_view user, uint32_t session,
         std::string_view address);
void Rcm1149(Sink& s, int64_t t, uint32_t host, std::string_view user, std::string_view domain,
             std::string_view address);

}  // namespace inari::sim
