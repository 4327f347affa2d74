// LateralAnalytics — stateful behavioural analytics for roaming inside a
// Windows network: first-seen logons, sources and source→destination pairs,
// fan-out against the account's own and the population's baseline, admin-share
// fan-out and bulk reads, explicit credentials towards new targets, logon
// paths (A→B→C, with or without a change of account), remote-access tools new
// on a host or for an account, and activity at hours unusual for the account.
//
// Input: Activity records in event-time order (Observe). Output: Findings,
// each with a stable reason code (docs/analytics.md). Baselines learn during a
// warm-up period that starts with the first event the state ever saw; while
// learning nothing is reported. State is bounded (max edges / entities;
// evictions counted) and can be saved to and loaded from a StateDb so
// consecutive runs continue learning. Single-threaded; not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "analytics/activity.h"
#include "analytics/finding.h"
#include "inari/result.h"
#include "store/state_db.h"

namespace inari::analytics {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kHour = 3600 * kSecond;
constexpr int64_t kDay = 24 * kHour;

struct LateralConfig {
  int64_t warmup = 7 * kDay;          // learn only, from the first event ever seen
  int64_t fanout_window = kHour;      // distinct destination hosts per account
  int fanout_min = 6;                 // never alert below this many hosts in a window
  double fanout_factor = 2.0;         // … nor below factor × the account's own maximum
  int64_t path_window = 2 * kHour;    // A→B then B→C within this
  int64_t bulk_window = kHour;        // admin-share file reads per account and host
  int bulk_min = 200;
  int64_t repeat_window = kDay;       // the same finding for the same entities at most once per this
  int hour_min_samples = 40;          // activity samples before hours are judged
  double hour_rare = 0.02;            // share of the account's activity in hour±1 below which it is unusual
  double popular_host_users = 25;     // hosts with this many distinct remote users count as "everyone's"
  size_t max_edges = 20'000'000;      // first-seen memory bound
  size_t max_entities = 2'000'000;    // accounts + hosts bound
};

struct LateralStats {
  uint64_t activities = 0, findings = 0, learning_suppressed = 0, repeats_suppressed = 0;
  uint64_t edges = 0, users = 0, hosts = 0, evicted_edges = 0, evicted_entities = 0;
  size_t memory_bytes = 0;            // estimate of the state's memory
  size_t bytes_per_edge = 0, bytes_per_user = 0, bytes_per_host = 0;
};

class LateralAnalytics {
 public:
  explicit LateralAnalytics(const LateralConfig& config, NameTable* names);

  // `a` must not be earlier than the previous activity by more than the
  // caller's reordering allows; windows use event time only.
  void Observe(const Activity& a, const std::vector<std::string>& sources, std::vector<Finding>* out);

  LateralStats stats() const;
  int64_t start_time() const { return start_; }
  bool learning_at(int64_t t) const { return start_ == INT64_MIN || t < start_ + config_.warmup; }

  // Persistence: tables la_meta, la_edges, la_users, la_hosts (replaced on save).
  [[nodiscard]] Status Save(StateDb* db) const;
  [[nodiscard]] Status Load(StateDb* db);

 private:
  enum EdgeKind : uint8_t {
    kUserHost = 1,   // account logged on remotely to host
    kUserSource,     // account authenticated from source
    kPair,           // source → destination host
    kUserTarget,     // 4648 account → target server
    kHostTool,       // tool seen on host
    kUserTool,       // account used tool
    kUserShareHost,  // account opened an admin share of host
  };
  struct Edge {
    int64_t first = 0, last = 0;
    uint32_t count = 0;
  };
  struct Window {  // distinct values within a sliding event-time window
    std::deque<std::pair<int64_t, NameId>> items;
    std::unordered_map<NameId, uint32_t> counts;
    void Add(int64_t t, NameId v, int64_t span);
    size_t distinct() const { return counts.size(); }
  };
  struct UserState {
    int64_t first = 0, last = 0;
    uint32_t hours[24] = {};
    uint32_t samples = 0;
    uint32_t sources = 0;          // distinct sources seen
    uint32_t max_fanout = 0, max_share_fanout = 0, max_bulk = 0;
    uint32_t alerted_fanout = 0, alerted_share_fanout = 0;
    uint32_t burst_fanout = 0, burst_share_fanout = 0, burst_bulk = 0;  // peak of the ongoing burst
    bool bulk_alerted = false;
    Window fanout, share_fanout;
    std::deque<int64_t> bulk;      // 5145 times (one host at a time is enough: per-account bulk)
  };
  struct SourceState {  // a machine (or address) other hosts are reached from
    int64_t last = 0;
    Window fanout;                  // distinct destinations in the window
    Window accounts;                // distinct accounts used from it in the window
    uint32_t max_fanout = 0, burst = 0, alerted = 0;
  };
  struct Inbound {
    int64_t time;
    NameId user, src;
    bool novel;
  };
  struct HostState {
    int64_t first = 0, last = 0;
    uint32_t remote_users = 0;     // distinct accounts that logged on remotely
    uint32_t tools = 0;
    std::deque<Inbound> inbound;   // recent remote logons (paths)
  };

  static uint64_t Key(EdgeKind k, NameId a, NameId b) {
    return (uint64_t{k} << 56) | (uint64_t{a} << 28) | uint64_t{b};
  }
  // Records the edge; true if it was never seen before.
  bool Touch(EdgeKind k, NameId a, NameId b, int64_t t);
  bool Known(EdgeKind k, NameId a, NameId b) const { return edges_.count(Key(k, a, b)) != 0; }
  UserState& UserOf(NameId u, int64_t t);
  HostState& HostOf(NameId h, int64_t t);
  void Emit(const Activity& a, const std::vector<std::string>& sources, std::string code, std::string title,
            std::string explanation, double points, NameId user, NameId host, NameId src, NameId object,
            std::vector<Finding>* out, double host_weight = 1);
  void EvictIfNeeded(int64_t now);
  uint32_t PopulationFanout();
  std::string_view N(NameId id) const { return names_->Display(id); }

  void RemoteLogon(const Activity& a, const std::vector<std::string>& sources, std::vector<Finding>* out);
  void Hours(const Activity& a, const std::vector<std::string>& sources, std::vector<Finding>* out);
  void ExplicitCreds(const Activity& a, const std::vector<std::string>& sources, std::vector<Finding>* out);
  void AdminShare(const Activity& a, const std::vector<std::string>& sources, std::vector<Finding>* out);
  void Tool(const Activity& a, const std::vector<std::string>& sources, std::vector<Finding>* out);

  LateralConfig config_;
  NameTable* names_;
  int64_t start_ = INT64_MIN;
  int64_t now_ = INT64_MIN;
  std::unordered_map<uint64_t, Edge> edges_;
  std::unordered_map<NameId, UserState> users_;
  std::unordered_map<NameId, HostState> hosts_;
  std::unordered_map<NameId, SourceState> sources_;
  std::unordered_map<NameId, NameId> ip_host_;
  std::unordered_map<uint64_t, int64_t> last_emitted_;  // (code, entities) → time
  std::vector<uint32_t> pop_fanout_cache_;
  int64_t pop_fanout_at_ = INT64_MIN;
  uint32_t pop_fanout_ = 0;
  LateralStats stats_;
};

}  // namespace inari::analytics
