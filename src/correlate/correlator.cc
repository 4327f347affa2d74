#include "correlate/correlator.h"

#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <list>
#include <queue>
#include <unordered_map>

namespace inari::correlate {

CorrelationStats CorrelatorStats::Total() const {
  CorrelationStats t;
  for (const CorrelationStats& s : per_correlation) {
    t.inputs += s.inputs;
    t.matches += s.matches;
    t.groups += s.groups;
    t.peak_groups += s.peak_groups;
    t.evicted += s.evicted;
    t.expired += s.expired;
    t.missing_group_field += s.missing_group_field;
    t.missing_value += s.missing_value;
    t.non_numeric += s.non_numeric;
    t.truncated += s.truncated;
  }
  return t;
}

namespace {

constexpr int64_t kNone = INT64_MIN;
constexpr uint64_t kDerivedBit = uint64_t{1} << 63;

// Order statistics for value_percentile over a sliding window.
using OrderTree =
    __gnu_pbds::tree<std::pair<double, uint64_t>, __gnu_pbds::null_type, std::less<>,
                     __gnu_pbds::rb_tree_tag, __gnu_pbds::tree_order_statistics_node_update>;

// One input in a group's window.
struct Entry {
  int64_t time = 0;
  int64_t first = 0;      // earliest base match it stands for (chained: the inner's first)
  uint64_t seq = 0;       // arrival order, unique
  uint64_t identity = 0;  // the event (base ref) or a unique id for a chained match
  uint64_t ref = 0;       // base: the event reference
  uint64_t weight = 1;    // base matches it stands for
  uint32_t slot = 0;      // input index (the step of temporal_ordered)
  double num = NAN;       // value_sum/avg/percentile
  const std::string* distinct = nullptr;  // value_count: key in Group::distinct
  std::shared_ptr<const std::vector<uint64_t>> refs;  // chained: the inner match's refs
  std::shared_ptr<const std::vector<std::optional<std::string>>> carried;  // CorrelationRule::carried
};

// temporal_ordered: the chain ending with step j that started latest.
struct Chain {
  bool valid = false;
  int64_t start = 0;
  std::vector<Entry> steps;
};

struct Group;
using Lru = std::list<Group*>;

struct Group {
  const std::string* key = nullptr;
  std::vector<std::string> values;
  std::deque<Entry> window;
  std::unordered_map<std::string, uint32_t> distinct;  // value_count: value → entries
  long double sum = 0;
  uint64_t numeric = 0;
  std::unique_ptr<OrderTree> tree;
  std::vector<uint32_t> slot_counts;  // temporal
  uint32_t slots_present = 0;
  std::vector<Chain> cur, prev;  // temporal_ordered (sliding)
  std::vector<uint64_t> cur_identity;
  int64_t anchor = kNone;  // closed windows: start of the open window
  int64_t last_time = kNone;
  Lru::iterator lru;
};

struct CorrState {
  std::unordered_map<std::string, Group> groups;
  Lru lru;
};

struct Timer {
  int64_t close;
  uint64_t seq;
  uint32_t correlation;
  int64_t anchor;
  std::string key;
  bool operator>(const Timer& o) const {
    return close != o.close ? close > o.close : seq > o.seq;
  }
};

// A match waiting in the lateness buffer (owns its values).
struct Pending {
  int64_t time;
  uint64_t seq;
  uint32_t rule;
  uint64_t ref;
  uint64_t event;
  std::vector<std::optional<std::string>> values;
  bool operator>(const Pending& o) const { return time != o.time ? time > o.time : seq > o.seq; }
};

// What a correlation input carries: a base match or a chained correlation match.
struct Item {
  int64_t time = 0;
  int64_t first = 0;
  uint64_t identity = 0;
  uint64_t ref = 0;
  uint64_t weight = 1;
  std::span<const std::optional<std::string>> base_values;
  const CorrelationMatch* match = nullptr;             // chained
  std::shared_ptr<const std::vector<uint64_t>> refs;  // chained

  // Base: the captured values; chained: group-by values, then carried ones.
  const std::string* Value(uint32_t slot) const {
    if (match) {
      if (slot < match->group.size()) return &match->group[slot];
      slot -= static_cast<uint32_t>(match->group.size());
      if (slot >= match->carried.size() || !match->carried[slot]) return nullptr;
      return &*match->carried[slot];
    }
    if (slot >= base_values.size() || !base_values[slot]) return nullptr;
    return &*base_values[slot];
  }
};

bool ParseNumber(const std::string& s, double* out) {
  const char* b = s.data();
  const char* e = s.data() + s.size();
  while (b < e && (*b == ' ' || *b == '\t')) ++b;
  while (e > b && (e[-1] == ' ' || e[-1] == '\t')) --e;
  if (b == e) return false;
  if (e - b > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')) {
    uint64_t u = 0;
    auto [p, ec] = std::from_chars(b + 2, e, u, 16);
    if (ec != std::errc() || p != e) return false;
    *out = static_cast<double>(u);
    return true;
  }
  if (*b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, *out);
  return ec == std::errc() && p == e && std::isfinite(*out);
}

void AppendKeyPart(std::string_view v, std::string* key) {
  const uint32_t n = static_cast<uint32_t>(v.size());
  key->append(reinterpret_cast<const char*>(&n), sizeof n);
  key->append(v);
}

}  // namespace

struct Correlator::Impl {
  const CorrelationSet& set;
  CorrelatorOptions options;
  CorrelatorStats stats;
  std::vector<CorrState> state;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> buffer;
  int64_t max_seen = kNone;
  int64_t last_processed = kNone;
  uint64_t seq = 0;
  std::string key_scratch;
  std::string value_scratch;

  Impl(const CorrelationSet& s, const CorrelatorOptions& o) : set(s), options(o) {
    options.max_groups = std::max<size_t>(options.max_groups, 1);
    options.max_window_events = std::max<size_t>(options.max_window_events, 1);
    state.resize(set.size());
    stats.per_correlation.resize(set.size());
  }

  // ---- entry points ----

  void Add(const RuleMatch& m, std::vector<CorrelationMatch>* out) {
    ++stats.added;
    if (!set.referenced(m.rule)) {
      ++stats.unused;
      return;
    }
    if (m.time == kNone) {
      ++stats.no_time;
      return;
    }
    const uint64_t event = m.event == UINT64_MAX ? m.ref : m.event;
    if (last_processed != kNone && m.time < last_processed) {
      ++stats.late_dropped;
      return;
    }
    if (options.lateness_ns <= 0) {
      max_seen = std::max(max_seen, m.time);
      ProcessBase(m.time, m.rule, m.values, m.ref, event, out);
      return;
    }
    buffer.push(Pending{m.time, seq++, m.rule, m.ref, event, {m.values.begin(), m.values.end()}});
    stats.peak_buffered = std::max<uint64_t>(stats.peak_buffered, buffer.size());
    max_seen = std::max(max_seen, m.time);
    const int64_t watermark =
        max_seen < INT64_MIN + options.lateness_ns ? INT64_MIN : max_seen - options.lateness_ns;
    Release(watermark, out);
  }

  void Flush(std::vector<CorrelationMatch>* out) {
    Release(INT64_MAX, out);
    while (!timers.empty()) {
      Timer t = timers.top();
      timers.pop();
      FireTimer(t, /*partial=*/max_seen == kNone || t.close > max_seen, out);
    }
  }

  void Release(int64_t watermark, std::vector<CorrelationMatch>* out) {
    while (!buffer.empty() && buffer.top().time <= watermark) {
      // Moved out before pop: the values must outlive ProcessBase.
      Pending p = std::move(const_cast<Pending&>(buffer.top()));
      buffer.pop();
      ProcessBase(p.time, p.rule, p.values, p.ref, p.event, out);
    }
  }

  // ---- routing ----

  void ProcessBase(int64_t time, uint32_t rule, std::span<const std::optional<std::string>> values,
                   uint64_t ref, uint64_t event, std::vector<CorrelationMatch>* out) {
    last_processed = time;
    FireTimers(time, out);
    Item item;
    item.time = time;
    item.first = time;
    item.identity = event & ~kDerivedBit;
    item.ref = ref;
    item.base_values = values;
    for (auto [c, k] : set.consumers_of_base(rule)) Feed(c, k, item, out);
  }

  void FireTimers(int64_t now, std::vector<CorrelationMatch>* out) {
    while (!timers.empty() && timers.top().close < now) {
      Timer t = timers.top();
      timers.pop();
      FireTimer(t, false, out);
    }
  }

  void FireTimer(const Timer& t, bool partial, std::vector<CorrelationMatch>* out) {
    CorrState& cs = state[t.correlation];
    auto it = cs.groups.find(t.key);
    if (it == cs.groups.end() || it->second.anchor != t.anchor) return;  // evicted or reset
    CloseWindow(t.correlation, &it->second, partial, out);
  }

  // ---- groups ----

  Group* GetGroup(uint32_t c, const CorrelationRule& r, const Item& item) {
    CorrState& cs = state[c];
    CorrelationStats& st = stats.per_correlation[c];
    auto it = cs.groups.find(key_scratch);
    if (it != cs.groups.end()) {
      cs.lru.splice(cs.lru.end(), cs.lru, it->second.lru);
      return &it->second;
    }
    if (cs.groups.size() >= options.max_groups) {
      Group* victim = cs.lru.front();
      (Idle(r, *victim, item.time) ? st.expired : st.evicted)++;
      cs.lru.pop_front();
      cs.groups.erase(cs.groups.find(*victim->key));
    }
    if (cs.groups.empty()) cs.groups.reserve(std::min<size_t>(options.max_groups, 4096));
    auto [pos, inserted] = cs.groups.try_emplace(key_scratch);
    Group& g = pos->second;
    g.key = &pos->first;
    g.values.reserve(r.def.group_by.size());  // filled by Feed from the first item
    g.lru = cs.lru.insert(cs.lru.end(), &g);
    st.groups = cs.groups.size();
    st.peak_groups = std::max<uint64_t>(st.peak_groups, st.groups);
    if (r.def.type == CorrelationType::kTemporal) g.slot_counts.assign(r.inputs.size(), 0);
    if (r.def.type == CorrelationType::kTemporalOrdered) {
      g.cur.assign(r.inputs.size(), Chain{});
      g.prev.assign(r.inputs.size(), Chain{});
      g.cur_identity.assign(r.inputs.size(), 0);
    }
    if (r.def.type == CorrelationType::kValuePercentile && !r.closed_windows)
      g.tree = std::make_unique<OrderTree>();
    return &g;
  }

  // True when a group holds nothing that could still contribute to a match.
  static bool Idle(const CorrelationRule& r, const Group& g, int64_t now) {
    const int64_t span = r.def.timespan_ns;
    if (r.closed_windows) return g.anchor == kNone;
    if (r.def.type == CorrelationType::kTemporalOrdered) {
      for (const Chain& ch : g.cur)
        if (ch.valid && ch.start >= now - span) return false;
      return true;
    }
    return g.window.empty() || g.window.back().time < now - span;
  }

  void ResetGroup(const CorrelationRule& r, Group* g) {
    g->window.clear();
    if (!g->distinct.empty()) g->distinct.clear();
    g->sum = 0;
    g->numeric = 0;
    if (g->tree) g->tree->clear();
    std::fill(g->slot_counts.begin(), g->slot_counts.end(), 0);
    g->slots_present = 0;
    for (Chain& ch : g->cur) ch = Chain{};
    for (Chain& ch : g->prev) ch = Chain{};
    std::fill(g->cur_identity.begin(), g->cur_identity.end(), 0);
    g->anchor = kNone;
    (void)r;
  }

  // ---- feeding ----

  void Feed(uint32_t c, uint32_t k, const Item& item, std::vector<CorrelationMatch>* out) {
    const CorrelationRule& r = set.rule(c);
    const CorrelationInput& in = r.inputs[k];
    CorrelationStats& st = stats.per_correlation[c];
    ++st.inputs;

    key_scratch.clear();
    for (uint32_t slot : in.group_slots) {
      const std::string* v = item.Value(slot);
      if (!v) {
        ++st.missing_group_field;
        return;
      }
      AppendKeyPart(*v, &key_scratch);
    }

    Entry e;
    e.time = item.time;
    e.first = item.first;
    e.seq = seq++;
    e.identity = item.match ? (kDerivedBit | e.seq) : item.identity;
    e.ref = item.ref;
    e.weight = item.weight;
    e.slot = k;
    e.refs = item.refs;
    const CorrelationType type = r.def.type;
    if (type == CorrelationType::kValueCount) {
      value_scratch.clear();
      for (uint32_t slot : in.value_slots) {
        const std::string* v = item.Value(slot);
        if (!v) {
          ++st.missing_value;
          return;
        }
        AppendKeyPart(*v, &value_scratch);
      }
    } else if (type == CorrelationType::kValueSum || type == CorrelationType::kValueAvg ||
               type == CorrelationType::kValuePercentile) {
      const std::string* v = in.value_slots.empty() ? nullptr : item.Value(in.value_slots[0]);
      if (!v) {
        ++st.missing_value;
        return;
      }
      if (!ParseNumber(*v, &e.num)) {
        ++st.non_numeric;
        return;
      }
    }

    if (!r.carried.empty()) {
      auto carried = std::make_shared<std::vector<std::optional<std::string>>>();
      for (uint32_t slot : in.carried_slots) {
        const std::string* v = item.Value(slot);
        carried->push_back(v ? std::optional<std::string>(*v) : std::nullopt);
      }
      e.carried = std::move(carried);
    }

    Group* g = GetGroup(c, r, item);
    if (g->values.empty() && !in.group_slots.empty()) {
      for (uint32_t slot : in.group_slots) g->values.push_back(*item.Value(slot));
    }
    g->last_time = item.time;

    if (type == CorrelationType::kTemporalOrdered && !r.closed_windows) {
      FeedOrdered(c, r, g, std::move(e), out);
      return;
    }
    if (r.closed_windows) {
      if (g->anchor == kNone) {
        g->anchor = item.time;
        const int64_t close = item.time > INT64_MAX - r.def.timespan_ns
                                  ? INT64_MAX
                                  : item.time + r.def.timespan_ns;
        timers.push(Timer{close, seq++, c, g->anchor, *g->key});
      }
      if (type == CorrelationType::kValueCount) {
        auto [it, inserted] = g->distinct.try_emplace(value_scratch, 0);
        ++it->second;
        e.distinct = &it->first;
      }
      g->window.push_back(std::move(e));
      if (g->window.size() > options.max_window_events) {
        PopFront(r, g);
        ++st.truncated;
      }
      return;
    }

    // Sliding window [t - timespan, t].
    const int64_t from = item.time - r.def.timespan_ns;
    while (!g->window.empty() && g->window.front().time < from) PopFront(r, g);
    if (type == CorrelationType::kValueCount) {
      auto [it, inserted] = g->distinct.try_emplace(value_scratch, 0);
      ++it->second;
      e.distinct = &it->first;
    }
    PushBack(r, g, std::move(e));
    if (g->window.size() > options.max_window_events) {
      PopFront(r, g);
      ++st.truncated;
    }
    const double value = SlidingValue(r, *g);
    if (r.effective.Holds(value)) {
      CorrelationMatch m;
      m.correlation = c;
      m.time = item.time;
      m.window_start = from;
      m.window_end = item.time;
      m.value = value;
      m.group = g->values;
      Evidence(g->window.begin(), g->window.end(), &m);
      ResetGroup(r, g);
      Emit(std::move(m), out);
    }
  }

  void PushBack(const CorrelationRule& r, Group* g, Entry e) {
    switch (r.def.type) {
      case CorrelationType::kValueSum:
      case CorrelationType::kValueAvg:
        g->sum += e.num;
        ++g->numeric;
        break;
      case CorrelationType::kValuePercentile:
        g->tree->insert({e.num, e.seq});
        break;
      case CorrelationType::kTemporal:
        if (g->slot_counts[e.slot]++ == 0) ++g->slots_present;
        break;
      default:
        break;
    }
    g->window.push_back(std::move(e));
  }

  void PopFront(const CorrelationRule& r, Group* g) {
    Entry& e = g->window.front();
    if (e.distinct) {
      auto it = g->distinct.find(*e.distinct);
      if (it != g->distinct.end() && --it->second == 0) g->distinct.erase(it);
    }
    if (!r.closed_windows) {
      switch (r.def.type) {
        case CorrelationType::kValueSum:
        case CorrelationType::kValueAvg:
          g->sum -= e.num;
          if (--g->numeric == 0) g->sum = 0;  // no drift once empty
          break;
        case CorrelationType::kValuePercentile:
          g->tree->erase({e.num, e.seq});
          break;
        case CorrelationType::kTemporal:
          if (--g->slot_counts[e.slot] == 0) --g->slots_present;
          break;
        default:
          break;
      }
    }
    g->window.pop_front();
  }

  double Percentile(double p, size_t n, auto&& nth) const {
    // Nearest rank: the smallest value with at least p % of the values at or below it.
    size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(n)));
    rank = std::clamp<size_t>(rank, 1, n);
    return nth(rank - 1);
  }

  double SlidingValue(const CorrelationRule& r, const Group& g) const {
    switch (r.def.type) {
      case CorrelationType::kEventCount:
        return static_cast<double>(g.window.size());
      case CorrelationType::kValueCount:
        return static_cast<double>(g.distinct.size());
      case CorrelationType::kTemporal:
        return g.slots_present;
      case CorrelationType::kValueSum:
        return static_cast<double>(g.sum);
      case CorrelationType::kValueAvg:
        return g.numeric ? static_cast<double>(g.sum / g.numeric) : NAN;
      case CorrelationType::kValuePercentile:
        if (g.tree->empty()) return NAN;
        return Percentile(r.def.percentile, g.tree->size(),
                          [&](size_t i) { return g.tree->find_by_order(i)->first; });
      case CorrelationType::kTemporalOrdered:
        break;
    }
    return NAN;
  }

  // temporal_ordered over a sliding window: for each step j, the chain
  // rules[0..j] (in order, distinct events) that started latest.
  void FeedOrdered(uint32_t c, const CorrelationRule& r, Group* g, Entry e,
                   std::vector<CorrelationMatch>* out) {
    const uint32_t j = e.slot;
    const int64_t from = e.time - r.def.timespan_ns;
    Chain cand;
    if (j == 0) {
      cand.valid = true;
      cand.start = e.time;
    } else {
      // The previous step must be another event: if this very event just
      // completed step j-1 (it matches both rules), use the chain before it.
      const Chain& src = g->cur_identity[j - 1] == e.identity && g->cur[j - 1].valid
                             ? g->prev[j - 1]
                             : g->cur[j - 1];
      if (src.valid && src.start >= from) cand = src;
    }
    if (cand.valid && (!g->cur[j].valid || cand.start >= g->cur[j].start)) {
      cand.steps.push_back(e);
      if (g->cur_identity[j] != e.identity) g->prev[j] = g->cur[j];
      g->cur[j] = std::move(cand);
      g->cur_identity[j] = e.identity;
    }
    // The aggregate: the longest prefix of the steps seen in order in the window.
    double value = 0;
    int best = -1;
    for (size_t s = 0; s < g->cur.size(); ++s) {
      if (g->cur[s].valid && g->cur[s].start >= from) {
        value = static_cast<double>(s + 1);
        best = static_cast<int>(s);
      }
    }
    if (best < 0 || !r.effective.Holds(value)) return;
    CorrelationMatch m;
    m.correlation = c;
    m.time = e.time;
    m.window_start = from;
    m.window_end = e.time;
    m.value = value;
    m.group = g->values;
    const std::vector<Entry>& steps = g->cur[static_cast<size_t>(best)].steps;
    Evidence(steps.begin(), steps.end(), &m);
    ResetGroup(r, g);
    Emit(std::move(m), out);
  }

  // A complete window [anchor, anchor + timespan] (conditions with an upper bound).
  void CloseWindow(uint32_t c, Group* g, bool partial, std::vector<CorrelationMatch>* out) {
    const CorrelationRule& r = set.rule(c);
    const std::deque<Entry>& w = g->window;
    double value = NAN;
    std::vector<Entry> chosen;  // temporal_ordered: the steps in order
    switch (r.def.type) {
      case CorrelationType::kEventCount:
        value = static_cast<double>(w.size());
        break;
      case CorrelationType::kValueCount:
        value = static_cast<double>(g->distinct.size());
        break;
      case CorrelationType::kTemporal: {
        std::vector<bool> seen(r.inputs.size(), false);
        size_t n = 0;
        for (const Entry& e : w)
          if (!seen[e.slot]) seen[e.slot] = true, ++n;
        value = static_cast<double>(n);
        break;
      }
      case CorrelationType::kTemporalOrdered: {
        // Greedy earliest matching gives the longest in-order prefix.
        for (const Entry& e : w) {
          if (e.slot == chosen.size() &&
              (chosen.empty() || chosen.back().identity != e.identity))
            chosen.push_back(e);
        }
        value = static_cast<double>(chosen.size());
        break;
      }
      case CorrelationType::kValueSum:
      case CorrelationType::kValueAvg: {
        long double sum = 0;
        for (const Entry& e : w) sum += e.num;
        value = r.def.type == CorrelationType::kValueSum ? static_cast<double>(sum)
                : w.empty()                             ? NAN
                                                        : static_cast<double>(sum / w.size());
        break;
      }
      case CorrelationType::kValuePercentile: {
        std::vector<double> v;
        v.reserve(w.size());
        for (const Entry& e : w) v.push_back(e.num);
        if (!v.empty()) {
          value = Percentile(r.def.percentile, v.size(), [&](size_t i) {
            std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(i), v.end());
            return v[i];
          });
        }
        break;
      }
    }
    const int64_t start = g->anchor;
    const int64_t end =
        start > INT64_MAX - r.def.timespan_ns ? INT64_MAX : start + r.def.timespan_ns;
    if (!w.empty() && r.effective.Holds(value)) {
      CorrelationMatch m;
      m.correlation = c;
      m.time = end;
      m.window_start = start;
      m.window_end = end;
      m.value = value;
      m.group = g->values;
      m.partial = partial;
      if (r.def.type == CorrelationType::kTemporalOrdered)
        Evidence(chosen.begin(), chosen.end(), &m);
      else
        Evidence(w.begin(), w.end(), &m);
      ResetGroup(r, g);
      Emit(std::move(m), out);
      return;
    }
    ResetGroup(r, g);
  }

  // Fills events, first/last time and the bounded list of references.
  template <typename It>
  void Evidence(It begin, It end, CorrelationMatch* m) const {
    const size_t n = options.max_refs;
    std::vector<uint64_t> head;
    std::deque<uint64_t> tail;
    uint64_t total_refs = 0;
    m->events = 0;
    m->first_time = begin != end ? begin->first : m->time;
    for (It it = begin; it != end; ++it) {
      m->first_time = std::min(m->first_time, it->first);
      m->events += it->weight;
      m->last_time = it->time;
      auto add = [&](uint64_t ref) {
        ++total_refs;
        if (head.size() < n) {
          head.push_back(ref);
          return;
        }
        tail.push_back(ref);
        if (tail.size() > n) tail.pop_front();
      };
      if (it->refs) {
        for (uint64_t ref : *it->refs) add(ref);
      } else {
        add(it->ref);
      }
    }
    if (begin == end) m->last_time = m->time;
    const size_t n_carried = set.rule(m->correlation).carried.size();
    m->carried.assign(n_carried, std::nullopt);
    for (size_t f = 0; f < n_carried; ++f) {
      bool same = begin != end;
      for (It it = begin; it != end && same; ++it) {
        const auto* v = it->carried && f < it->carried->size() ? &(*it->carried)[f] : nullptr;
        same = v && v->has_value() && (it == begin || *v == m->carried[f]);
        if (same && it == begin) m->carried[f] = *v;
      }
      if (!same) m->carried[f].reset();
    }
    m->refs = std::move(head);
    m->refs.insert(m->refs.end(), tail.begin(), tail.end());
    m->refs_truncated = m->events > m->refs.size() || total_refs > m->refs.size();
  }

  void Emit(CorrelationMatch m, std::vector<CorrelationMatch>* out) {
    ++stats.per_correlation[m.correlation].matches;
    const auto& consumers = set.consumers_of_correlation(m.correlation);
    if (consumers.empty()) {
      out->push_back(std::move(m));
      return;
    }
    // Chaining: the match is an input of the outer correlations, at its time.
    out->push_back(m);
    Item item;
    item.time = m.time;
    item.first = m.first_time;
    item.weight = m.events;
    item.match = &m;
    item.refs = std::make_shared<const std::vector<uint64_t>>(m.refs);
    for (auto [c, k] : consumers) Feed(c, k, item, out);
  }
};

Correlator::Correlator(const CorrelationSet& set, const CorrelatorOptions& options)
    : impl_(std::make_unique<Impl>(set, options)) {}
Correlator::~Correlator() = default;

void Correlator::Add(const RuleMatch& m, std::vector<CorrelationMatch>* out) { impl_->Add(m, out); }
void Correlator::Flush(std::vector<CorrelationMatch>* out) { impl_->Flush(out); }
const CorrelatorStats& Correlator::stats() const { return impl_->stats; }

}  // namespace inari::correlate
