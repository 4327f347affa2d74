#include "analytics/lateral.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace inari::analytics {

namespace {

uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

uint64_t HashCode(std::string_view code) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : code) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

std::string Plural(uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string Days(int64_t ns) {
  const double d = static_cast<double>(ns) / kDay;
  if (d < 1) return fmt::format("{:.0f} hours", std::max(1.0, d * 24));
  return fmt::format("{:.0f} days", d);
}

}  // namespace

void LateralAnalytics::Window::Add(int64_t t, NameId v, int64_t span) {
  items.emplace_back(t, v);
  ++counts[v];
  while (!items.empty() && items.front().first <= t - span) {
    auto it = counts.find(items.front().second);
    if (--it->second == 0) counts.erase(it);
    items.pop_front();
  }
}

LateralAnalytics::LateralAnalytics(const LateralConfig& config, NameTable* names) : config_(config), names_(names) {}

bool LateralAnalytics::Touch(EdgeKind k, NameId a, NameId b, int64_t t) {
  auto [it, inserted] = edges_.try_emplace(Key(k, a, b));
  Edge& e = it->second;
  if (inserted) e.first = t;
  e.last = std::max(e.last, t);
  ++e.count;
  return inserted;
}

LateralAnalytics::UserState& LateralAnalytics::UserOf(NameId u, int64_t t) {
  auto [it, inserted] = users_.try_emplace(u);
  if (inserted) it->second.first = t;
  it->second.last = std::max(it->second.last, t);
  return it->second;
}

LateralAnalytics::HostState& LateralAnalytics::HostOf(NameId h, int64_t t) {
  auto [it, inserted] = hosts_.try_emplace(h);
  if (inserted) it->second.first = t;
  it->second.last = std::max(it->second.last, t);
  return it->second;
}

void LateralAnalytics::Emit(const Activity& a, const std::vector<std::string>& sources, std::string code,
                            std::string title, std::string explanation, double points, NameId user, NameId host,
                            NameId src, NameId object, std::vector<Finding>* out, double host_weight) {
  if (learning_at(a.time)) {
    ++stats_.learning_suppressed;
    return;
  }
  const uint64_t key = Mix(Mix(Mix(Mix(HashCode(code), user), host), src), object);
  auto [it, inserted] = last_emitted_.try_emplace(key, a.time);
  if (!inserted) {
    if (a.time - it->second < config_.repeat_window) {
      ++stats_.repeats_suppressed;
      return;
    }
    it->second = a.time;
  }
  Finding f;
  f.time = a.time;
  f.code = std::move(code);
  f.title = std::move(title);
  f.explanation = std::move(explanation);
  f.points = std::round(points * 10) / 10;
  f.host_weight = host_weight;
  if (user) f.user = N(user);
  if (host) f.host = N(host);
  if (src) f.source = N(src);
  f.computer = N(a.host);
  f.event_id = a.event_id;
  f.record_id = a.record_id;
  if (a.source < sources.size()) f.input = sources[a.source];
  ++stats_.findings;
  out->push_back(std::move(f));
}

uint32_t LateralAnalytics::PopulationFanout() {
  // The population's 95th percentile of per-account maximum fan-out, refreshed hourly.
  if (pop_fanout_at_ != INT64_MIN && now_ - pop_fanout_at_ < kHour) return pop_fanout_;
  pop_fanout_at_ = now_;
  pop_fanout_cache_.clear();
  for (auto& [u, s] : users_)
    if (s.max_fanout > 0) pop_fanout_cache_.push_back(s.max_fanout);
  if (pop_fanout_cache_.empty()) return pop_fanout_ = 0;
  size_t k = pop_fanout_cache_.size() * 95 / 100;
  if (k >= pop_fanout_cache_.size()) k = pop_fanout_cache_.size() - 1;
  std::nth_element(pop_fanout_cache_.begin(), pop_fanout_cache_.begin() + static_cast<std::ptrdiff_t>(k),
                   pop_fanout_cache_.end());
  return pop_fanout_ = pop_fanout_cache_[k];
}

void LateralAnalytics::Observe(const Activity& a, const std::vector<std::string>& sources,
                               std::vector<Finding>* out) {
  ++stats_.activities;
  if (start_ == INT64_MIN) start_ = a.time;
  now_ = std::max(now_, a.time);
  switch (a.kind) {
    case ActKind::kRemoteLogon:
      Hours(a, sources, out);
      RemoteLogon(a, sources, out);
      break;
    case ActKind::kLocalLogon:
      Hours(a, sources, out);
      break;
    case ActKind::kExplicitCreds:
      ExplicitCreds(a, sources, out);
      break;
    case ActKind::kAdminShare:
    case ActKind::kAdminShareFile:
      AdminShare(a, sources, out);
      break;
    case ActKind::kToolProcess:
    case ActKind::kToolService:
    case ActKind::kToolNetwork:
      Tool(a, sources, out);
      break;
  }
  if ((stats_.activities & 0xFFFF) == 0) EvictIfNeeded(a.time);
}

void LateralAnalytics::Hours(const Activity& a, const std::vector<std::string>& sources, std::vector<Finding>* out) {
  UserState& u = UserOf(a.user, a.time);
  const int hour = static_cast<int>(((a.time % kDay) + kDay) % kDay / kHour);
  if (u.samples >= static_cast<uint32_t>(config_.hour_min_samples)) {
    const uint32_t near = u.hours[(hour + 23) % 24] + u.hours[hour] + u.hours[(hour + 1) % 24];
    const double share = static_cast<double>(near) / u.samples;
    if (share < config_.hour_rare) {
      // Once per account and day; the object is the day.
      Emit(a, sources, "UB-UNUSUAL-HOUR", "Activity at an unusual hour for the account",
           fmt::format("{} logged on {} at {:02d}:xx UTC; only {:.1f}% of the account's {} logons in {} of history "
                       "fall within an hour of that time.",
                       N(a.user), a.kind == ActKind::kRemoteLogon ? fmt::format("to {} remotely", N(a.host))
                                                                  : fmt::format("at {}", N(a.host)),
                       hour, share * 100, u.samples, Days(a.time - u.first)),
           10, a.user, a.host, 0, static_cast<NameId>(a.time / kDay), out);
    }
  }
  ++u.hours[hour];
  ++u.samples;
}

void LateralAnalytics::RemoteLogon(const Activity& a, const std::vector<std::string>& sources,
                                   std::vector<Finding>* out) {
  // The source as a host where possible: learn IP → workstation from logons that log both.
  NameId src = a.src_host;
  if (a.src_host && a.src_ip) ip_host_[a.src_ip] = a.src_host;
  if (!src && a.src_ip) {
    auto it = ip_host_.find(a.src_ip);
    src = it != ip_host_.end() ? it->second : a.src_ip;
  }
  if (src == a.host) return;
  UserState& u = UserOf(a.user, a.time);
  HostState& h = HostOf(a.host, a.time);
  const bool rdp = a.logon_type == 10;
  const std::string how = rdp ? "over RDP" : "over the network";

  bool reported = false;
  // First remote logon of the account to this host.
  const bool new_host = Touch(kUserHost, a.user, a.host, a.time);
  if (new_host) ++h.remote_users;
  const double popularity = std::min(1.0, h.remote_users / config_.popular_host_users);
  // A first logon to a host many accounts use (domain controllers, file servers) says little.
  if (new_host && popularity < 1.0) {
    const double pts = (rdp ? 15.0 : 8.0) * (1.0 - popularity);
    Emit(a, sources, "LM-NEW-HOST", "First remote logon of the account to this host",
         fmt::format("{} logged on to {} {} from {} for the first time; {} other accounts have logged on to it "
                     "remotely, and {} has {} of remote-logon history.",
                     N(a.user), N(a.host), how, src ? N(src) : "an unknown source", h.remote_users - 1, N(a.user),
                     Days(a.time - u.first)),
         pts, a.user, a.host, src, 0, out);
    reported = true;
  }
  // A source the account never authenticated from: stolen credentials used elsewhere.
  if (src && Touch(kUserSource, a.user, src, a.time)) {
    ++u.sources;
    const bool src_new_everywhere = Touch(kPair, src, src, a.time);  // marks the source as seen at all
    const double habit = u.sources <= 3 ? 1.0 : u.sources <= 10 ? 0.6 : 0.3;
    double pts = 20.0 * habit * (src_new_everywhere ? 1.5 : 1.0);
    Emit(a, sources, "LM-NEW-SOURCE", "Account used from a source it never used",
         fmt::format("{} authenticated to {} {} from {}, a source it never used before (it had used {} in {}){}.",
                     N(a.user), N(a.host), how, N(src), Plural(u.sources - 1, "other source", "other sources"),
                     Days(a.time - u.first), src_new_everywhere ? "; no account was ever seen coming from it" : ""),
         pts, a.user, a.host, src, 0, out, 1.0 - popularity);
    reported = true;
  } else if (src) {
    Touch(kPair, src, src, a.time);
  }
  // First use of the source → destination pair (by anyone).
  const bool new_pair = src && Touch(kPair, src, a.host, a.time);
  if (new_pair && !reported && popularity < 1.0) {
    Emit(a, sources, "LM-NEW-PAIR", "First connection between these two hosts",
         fmt::format("{} connected to {} {} for the first time ({} used the connection).", N(src), N(a.host), how,
                     N(a.user)),
         5.0 * (1.0 - popularity), a.user, a.host, src, 0, out);
  }
  // Logon paths: W → src (earlier, within the window) then src → host now.
  if (src) {
    auto hs = hosts_.find(src);
    if (hs != hosts_.end()) {
      for (auto it = hs->second.inbound.rbegin(); it != hs->second.inbound.rend(); ++it) {
        if (a.time - it->time > config_.path_window) break;
        if (it->src == a.host || it->src == src) continue;
        if (!(it->novel || new_host || new_pair)) continue;  // a well-trodden path (jump hosts)
        const bool switched = it->user != a.user;
        Emit(a, sources, "LM-PATH", switched ? "Logon path with a change of account" : "Logon path across hosts",
             fmt::format("{} → {} → {}: {} reached {} from {}, then {} {} went on from {} to {} {} later.{}",
                         N(it->src), N(src), N(a.host), N(it->user), N(src), N(it->src), switched ? "the account" : "",
                         N(a.user), N(src), N(a.host),
                         fmt::format("{} min", (a.time - it->time) / (60 * kSecond)),
                         switched ? " Switching accounts mid-path is how stolen credentials are chained." : ""),
             switched ? 40.0 : 25.0, a.user, a.host, src, it->user, out);
        break;
      }
    }
  }
  h.inbound.push_back(Inbound{a.time, a.user, src, new_host || new_pair});
  while (!h.inbound.empty() && a.time - h.inbound.front().time > config_.path_window) h.inbound.pop_front();
  if (h.inbound.size() > 64) h.inbound.pop_front();

  // Fan-out per source machine, whatever the accounts: an intruder's foothold
  // reaching many hosts, also when it switches accounts between them.
  if (src) {
    SourceState& ss = sources_[src];
    ss.last = a.time;
    ss.fanout.Add(a.time, a.host, config_.fanout_window);
    ss.accounts.Add(a.time, a.user, config_.fanout_window);
    const uint32_t n = static_cast<uint32_t>(ss.fanout.distinct());
    const uint32_t lim = std::max<uint32_t>(config_.fanout_min,
                                            static_cast<uint32_t>(std::ceil(ss.max_fanout * config_.fanout_factor)));
    if (n > lim && n > ss.alerted) {
      Emit(a, sources, "LM-SOURCE-FANOUT", "One machine reached many hosts",
           fmt::format("{} connected to {} distinct hosts within {} using {} (latest {} to {}); its busiest window so "
                       "far had {}.",
                       N(src), n, Days(config_.fanout_window),
                       ss.accounts.distinct() == 1 ? fmt::format("the account {}", N(a.user))
                                                   : fmt::format("{} accounts", ss.accounts.distinct()),
                       N(a.user), N(a.host), ss.max_fanout),
           35, a.user, src, src, 0, out);
      ss.alerted = n * 2;
    }
    if (learning_at(a.time)) ss.max_fanout = std::max(ss.max_fanout, n);
    ss.burst = std::max(ss.burst, n);
    if (n <= 1) {
      if (ss.alerted == 0) ss.max_fanout = std::max(ss.max_fanout, ss.burst);
      ss.burst = n;
      ss.alerted = 0;
    }
  }

  // Fan-out: distinct destinations per account in the window.
  u.fanout.Add(a.time, a.host, config_.fanout_window);
  const uint32_t distinct = static_cast<uint32_t>(u.fanout.distinct());
  const bool established = a.time - u.first >= config_.warmup;
  const uint32_t own = established ? u.max_fanout : std::max(u.max_fanout, PopulationFanout());
  const uint32_t limit = std::max<uint32_t>(config_.fanout_min,
                                            static_cast<uint32_t>(std::ceil(own * config_.fanout_factor)));
  if (distinct > limit && distinct > u.alerted_fanout) {
    Emit(a, sources, "LM-FANOUT", "Account fanned out to many hosts",
         fmt::format("{} logged on remotely to {} distinct hosts within {} (latest {}); its own busiest window so far "
                     "had {} and 95% of accounts stay at or below {}.",
                     N(a.user), distinct, Days(config_.fanout_window), N(a.host), u.max_fanout, PopulationFanout()),
         40, a.user, 0, 0, 0, out);
    u.alerted_fanout = distinct * 2;  // next report only if it doubles
  }
  // The baseline learns a burst's peak when the burst is over (the window
  // drained), unless the burst was reported; while learning, at once.
  if (learning_at(a.time)) u.max_fanout = std::max(u.max_fanout, distinct);
  u.burst_fanout = std::max(u.burst_fanout, distinct);
  if (distinct <= 1) {
    if (u.alerted_fanout == 0) u.max_fanout = std::max(u.max_fanout, u.burst_fanout);
    u.burst_fanout = distinct;
    u.alerted_fanout = 0;
  }
}

void LateralAnalytics::ExplicitCreds(const Activity& a, const std::vector<std::string>& sources,
                                     std::vector<Finding>* out) {
  UserOf(a.user, a.time);
  if (!Touch(kUserTarget, a.user, a.target, a.time)) return;
  const bool other = a.other_user && a.other_user != a.user;
  Emit(a, sources, "LM-EXPLICIT-CRED-NEW-TARGET", "Explicit credentials towards a new target",
       fmt::format("{} on {} supplied explicit credentials{} to reach {}, a target it never addressed this way.",
                   N(a.user), N(a.host), other ? fmt::format(" of {}", N(a.other_user)) : std::string(),
                   N(a.target)),
       other ? 20.0 : 10.0, a.user, a.host, 0, a.target, out);
}

void LateralAnalytics::AdminShare(const Activity& a, const std::vector<std::string>& sources,
                                  std::vector<Finding>* out) {
  UserState& u = UserOf(a.user, a.time);
  HostOf(a.host, a.time);
  if (a.kind == ActKind::kAdminShareFile) {
    u.bulk.push_back(a.time);
    while (!u.bulk.empty() && a.time - u.bulk.front() > config_.bulk_window) u.bulk.pop_front();
    const uint32_t n = static_cast<uint32_t>(u.bulk.size());
    const uint32_t limit = std::max<uint32_t>(config_.bulk_min, u.max_bulk * 2);
    if (n > limit) {
      Emit(a, sources, "LM-ADMIN-SHARE-BULK", "Bulk file access through administrative shares",
           fmt::format("{} touched {} files through administrative shares within {} (latest on {} {}); its busiest "
                       "hour so far had {}.",
                       N(a.user), n, Days(config_.bulk_window), N(a.host), N(a.target), u.max_bulk),
           25, a.user, a.host, 0, 0, out);
      u.bulk_alerted = true;
    }
    if (learning_at(a.time)) u.max_bulk = std::max(u.max_bulk, n);
    u.burst_bulk = std::max(u.burst_bulk, n);
    if (n <= 1) {
      if (!u.bulk_alerted) u.max_bulk = std::max(u.max_bulk, u.burst_bulk);
      u.burst_bulk = n;
      u.bulk_alerted = false;
    }
    return;
  }
  const bool first = Touch(kUserShareHost, a.user, a.host, a.time);
  u.share_fanout.Add(a.time, a.host, config_.fanout_window);
  const uint32_t distinct = static_cast<uint32_t>(u.share_fanout.distinct());
  const uint32_t limit = std::max<uint32_t>(config_.fanout_min / 2 + 1,
                                            static_cast<uint32_t>(std::ceil(u.max_share_fanout * config_.fanout_factor)));
  if (distinct > limit && distinct > u.alerted_share_fanout) {
    Emit(a, sources, "LM-ADMIN-SHARE-FANOUT", "Administrative shares opened on many hosts",
         fmt::format("{} opened administrative shares ({}) on {} distinct hosts within {} (latest {}); its busiest "
                     "window so far had {}.",
                     N(a.user), N(a.target), distinct, Days(config_.fanout_window), N(a.host), u.max_share_fanout),
         40, a.user, 0, 0, 0, out);
    u.alerted_share_fanout = distinct * 2;
  }
  if (learning_at(a.time)) u.max_share_fanout = std::max(u.max_share_fanout, distinct);
  u.burst_share_fanout = std::max(u.burst_share_fanout, distinct);
  if (distinct <= 1) {
    if (u.alerted_share_fanout == 0) u.max_share_fanout = std::max(u.max_share_fanout, u.burst_share_fanout);
    u.burst_share_fanout = distinct;
    u.alerted_share_fanout = 0;
  }
  (void)first;
}

void LateralAnalytics::Tool(const Activity& a, const std::vector<std::string>& sources, std::vector<Finding>* out) {
  HostState& h = HostOf(a.host, a.time);
  const bool new_on_host = Touch(kHostTool, a.host, a.target, a.time);
  if (new_on_host) ++h.tools;
  const char* how = a.kind == ActKind::kToolService   ? "installed as a service"
                    : a.kind == ActKind::kToolProcess ? "started"
                                                      : "contacted its relay";
  if (new_on_host) {
    Emit(a, sources, "RA-NEW-ON-HOST", "Remote-access tool new on this host",
         fmt::format("{} was {} on {}, where it had never been seen{}.", N(a.target), how, N(a.host),
                     a.user ? fmt::format(" (account {})", N(a.user)) : std::string()),
         15, a.user, a.host, 0, a.target, out);
  }
  if (a.user) {
    UserOf(a.user, a.time);
    if (Touch(kUserTool, a.user, a.target, a.time)) {
      Emit(a, sources, "RA-NEW-FOR-USER", "Remote-access tool used by an account that never used it",
           fmt::format("{} ran {} on {} ({}); the account had never used it before{}.", N(a.user), N(a.target),
                       N(a.host), how, new_on_host ? ", and the tool had never been seen on that host" : ""),
           new_on_host ? 30.0 : 12.0, a.user, a.host, 0, a.target, out);
    }
  }
}

void LateralAnalytics::EvictIfNeeded(int64_t now) {
  // Drop the least recently seen tenth when over a bound; counted.
  if (edges_.size() > config_.max_edges) {
    std::vector<int64_t> lasts;
    lasts.reserve(edges_.size());
    for (auto& [k, e] : edges_) lasts.push_back(e.last);
    const size_t cut = edges_.size() / 10;
    std::nth_element(lasts.begin(), lasts.begin() + static_cast<std::ptrdiff_t>(cut), lasts.end());
    const int64_t limit = lasts[cut];
    for (auto it = edges_.begin(); it != edges_.end();) {
      if (it->second.last < limit) {
        it = edges_.erase(it);
        ++stats_.evicted_edges;
      } else {
        ++it;
      }
    }
  }
  if (users_.size() + hosts_.size() + sources_.size() > config_.max_entities) {
    auto evict = [&](auto& map) {
      std::vector<int64_t> lasts;
      for (auto& [k, s] : map) lasts.push_back(s.last);
      if (lasts.empty()) return;
      const size_t cut = lasts.size() / 10;
      std::nth_element(lasts.begin(), lasts.begin() + static_cast<std::ptrdiff_t>(cut), lasts.end());
      const int64_t limit = lasts[cut];
      for (auto it = map.begin(); it != map.end();) {
        if (it->second.last < limit) {
          it = map.erase(it);
          ++stats_.evicted_entities;
        } else {
          ++it;
        }
      }
    };
    evict(users_);
    evict(hosts_);
    evict(sources_);
  }
  // Repeat suppression older than its window is useless.
  if (last_emitted_.size() > 100000)
    for (auto it = last_emitted_.begin(); it != last_emitted_.end();)
      it = now - it->second > config_.repeat_window ? last_emitted_.erase(it) : std::next(it);
}

LateralStats LateralAnalytics::stats() const {
  LateralStats s = stats_;
  s.edges = edges_.size();
  s.users = users_.size();
  s.hosts = hosts_.size();
  // Node-based hash maps: node (key + value + next pointer + cached hash) plus a bucket pointer.
  s.bytes_per_edge = sizeof(uint64_t) + sizeof(Edge) + 2 * sizeof(void*) + sizeof(void*);
  size_t user_dyn = 0, host_dyn = 0;
  for (auto& [id, u] : users_)
    user_dyn += u.fanout.items.size() * 16 + u.fanout.counts.size() * 32 + u.share_fanout.items.size() * 16 +
                u.share_fanout.counts.size() * 32 + u.bulk.size() * 8;
  for (auto& [id, h] : hosts_) host_dyn += h.inbound.size() * sizeof(Inbound);
  s.bytes_per_user = sizeof(UserState) + 3 * sizeof(void*) + (users_.empty() ? 0 : user_dyn / users_.size());
  s.bytes_per_host = sizeof(HostState) + 3 * sizeof(void*) + (hosts_.empty() ? 0 : host_dyn / hosts_.size());
  s.memory_bytes = s.edges * s.bytes_per_edge + s.users * s.bytes_per_user + s.hosts * s.bytes_per_host +
                   ip_host_.size() * 32 + last_emitted_.size() * 40 + names_->memory_bytes();
  return s;
}

Status LateralAnalytics::Save(StateDb* db) const {
  if (Status s = db->Exec(
          "CREATE TABLE IF NOT EXISTS la_meta(key TEXT PRIMARY KEY, value INTEGER);"
          "CREATE TABLE IF NOT EXISTS la_edges(kind INTEGER, a TEXT, b TEXT, first INTEGER, last INTEGER, "
          "count INTEGER, PRIMARY KEY(kind, a, b)) WITHOUT ROWID;"
          "CREATE TABLE IF NOT EXISTS la_users(name TEXT PRIMARY KEY, first INTEGER, last INTEGER, hours BLOB, "
          "samples INTEGER, sources INTEGER, max_fanout INTEGER, max_share_fanout INTEGER, max_bulk INTEGER);"
          "CREATE TABLE IF NOT EXISTS la_hosts(name TEXT PRIMARY KEY, first INTEGER, last INTEGER, "
          "remote_users INTEGER, tools INTEGER);"
          "CREATE TABLE IF NOT EXISTS la_ip_hosts(ip TEXT PRIMARY KEY, host TEXT);"
          "CREATE TABLE IF NOT EXISTS la_sources(name TEXT PRIMARY KEY, last INTEGER, max_fanout INTEGER);");
      !s.ok())
    return s;
  if (Status s = db->Begin(); !s.ok()) return s;
  auto fail = [&](Status s) {
    db->Rollback();
    return s;
  };
  if (Status s = db->Exec("DELETE FROM la_meta; DELETE FROM la_edges; DELETE FROM la_users; DELETE FROM la_hosts; "
                          "DELETE FROM la_ip_hosts; DELETE FROM la_sources;");
      !s.ok())
    return fail(s);
  {
    auto st = db->Prepare("INSERT INTO la_meta VALUES(?, ?)");
    if (!st.has_value()) return fail(st.error());
    st->Bind(1, std::string_view("start"));
    st->Bind(2, start_);
    st->Step();
    st->Reset();
    st->Bind(1, std::string_view("version"));
    st->Bind(2, int64_t{1});
    st->Step();
    if (!st->status().ok()) return fail(st->status());
  }
  {
    auto st = db->Prepare("INSERT INTO la_edges VALUES(?, ?, ?, ?, ?, ?)");
    if (!st.has_value()) return fail(st.error());
    for (auto& [key, e] : edges_) {
      st->Bind(1, static_cast<int64_t>(key >> 56));
      st->Bind(2, names_->Name(static_cast<NameId>((key >> 28) & 0xFFFFFFF)));
      st->Bind(3, names_->Name(static_cast<NameId>(key & 0xFFFFFFF)));
      st->Bind(4, e.first);
      st->Bind(5, e.last);
      st->Bind(6, static_cast<int64_t>(e.count));
      st->Step();
      st->Reset();
    }
    if (!st->status().ok()) return fail(st->status());
  }
  {
    auto st = db->Prepare("INSERT INTO la_users VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st.has_value()) return fail(st.error());
    for (auto& [id, u] : users_) {
      st->Bind(1, names_->Name(id));
      st->Bind(2, u.first);
      st->Bind(3, u.last);
      st->BindBlob(4, u.hours, sizeof(u.hours));
      st->Bind(5, static_cast<int64_t>(u.samples));
      st->Bind(6, static_cast<int64_t>(u.sources));
      st->Bind(7, static_cast<int64_t>(u.max_fanout));
      st->Bind(8, static_cast<int64_t>(u.max_share_fanout));
      st->Bind(9, static_cast<int64_t>(u.max_bulk));
      st->Step();
      st->Reset();
    }
    if (!st->status().ok()) return fail(st->status());
  }
  {
    auto st = db->Prepare("INSERT INTO la_hosts VALUES(?, ?, ?, ?, ?)");
    if (!st.has_value()) return fail(st.error());
    for (auto& [id, h] : hosts_) {
      st->Bind(1, names_->Name(id));
      st->Bind(2, h.first);
      st->Bind(3, h.last);
      st->Bind(4, static_cast<int64_t>(h.remote_users));
      st->Bind(5, static_cast<int64_t>(h.tools));
      st->Step();
      st->Reset();
    }
    if (!st->status().ok()) return fail(st->status());
  }
  {
    auto st = db->Prepare("INSERT INTO la_ip_hosts VALUES(?, ?)");
    if (!st.has_value()) return fail(st.error());
    for (auto& [ip, host] : ip_host_) {
      st->Bind(1, names_->Name(ip));
      st->Bind(2, names_->Name(host));
      st->Step();
      st->Reset();
    }
    if (!st->status().ok()) return fail(st->status());
  }
  {
    auto st = db->Prepare("INSERT INTO la_sources VALUES(?, ?, ?)");
    if (!st.has_value()) return fail(st.error());
    for (auto& [id, src] : sources_) {
      st->Bind(1, names_->Name(id));
      st->Bind(2, src.last);
      st->Bind(3, static_cast<int64_t>(std::max(src.max_fanout, src.alerted ? 0u : src.burst)));
      st->Step();
      st->Reset();
    }
    if (!st->status().ok()) return fail(st->status());
  }
  return db->Commit();
}

Status LateralAnalytics::Load(StateDb* db) {
  auto exists = db->Prepare("SELECT count(*) FROM sqlite_master WHERE name = 'la_meta'");
  if (!exists.has_value()) return exists.error();
  if (!exists->Step() || exists->Int(0) == 0) return Status::OK();  // a new state file
  {
    auto st = db->Prepare("SELECT key, value FROM la_meta");
    if (!st.has_value()) return st.error();
    while (st->Step())
      if (st->Text(0) == "start") start_ = st->Int(1);
    if (!st->status().ok()) return st->status();
  }
  {
    auto st = db->Prepare("SELECT kind, a, b, first, last, count FROM la_edges");
    if (!st.has_value()) return st.error();
    while (st->Step()) {
      const NameId a = names_->Intern(st->Text(1));
      const NameId b = names_->Intern(st->Text(2));
      Edge& e = edges_[Key(static_cast<EdgeKind>(st->Int(0)), a, b)];
      e.first = st->Int(3);
      e.last = st->Int(4);
      e.count = static_cast<uint32_t>(st->Int(5));
    }
    if (!st->status().ok()) return st->status();
  }
  {
    auto st = db->Prepare("SELECT name, first, last, hours, samples, sources, max_fanout, max_share_fanout, max_bulk "
                          "FROM la_users");
    if (!st.has_value()) return st.error();
    while (st->Step()) {
      UserState& u = users_[names_->Intern(st->Text(0))];
      u.first = st->Int(1);
      u.last = st->Int(2);
      std::string_view hours = st->Blob(3);
      if (hours.size() == sizeof(u.hours)) std::copy(hours.begin(), hours.end(), reinterpret_cast<char*>(u.hours));
      u.samples = static_cast<uint32_t>(st->Int(4));
      u.sources = static_cast<uint32_t>(st->Int(5));
      u.max_fanout = static_cast<uint32_t>(st->Int(6));
      u.max_share_fanout = static_cast<uint32_t>(st->Int(7));
      u.max_bulk = static_cast<uint32_t>(st->Int(8));
    }
    if (!st->status().ok()) return st->status();
  }
  {
    auto st = db->Prepare("SELECT name, first, last, remote_users, tools FROM la_hosts");
    if (!st.has_value()) return st.error();
    while (st->Step()) {
      HostState& h = hosts_[names_->Intern(st->Text(0))];
      h.first = st->Int(1);
      h.last = st->Int(2);
      h.remote_users = static_cast<uint32_t>(st->Int(3));
      h.tools = static_cast<uint32_t>(st->Int(4));
    }
    if (!st->status().ok()) return st->status();
  }
  {
    auto st = db->Prepare("SELECT ip, host FROM la_ip_hosts");
    if (!st.has_value()) return st.error();
    while (st->Step()) {
      const NameId ip = names_->Intern(st->Text(0));
      ip_host_[ip] = names_->Intern(st->Text(1));
    }
    if (!st->status().ok()) return st->status();
  }
  {
    // Older state files have no la_sources: the source baselines start empty.
    auto has = db->Prepare("SELECT count(*) FROM sqlite_master WHERE name = 'la_sources'");
    if (has.has_value() && has->Step() && has->Int(0) > 0) {
      auto st = db->Prepare("SELECT name, last, max_fanout FROM la_sources");
      if (!st.has_value()) return st.error();
      while (st->Step()) {
        SourceState& src = sources_[names_->Intern(st->Text(0))];
        src.last = st->Int(1);
        src.max_fanout = static_cast<uint32_t>(st->Int(2));
      }
      if (!st->status().ok()) return st->status();
    }
  }
  return Status::OK();
}

}  // namespace inari::analytics
