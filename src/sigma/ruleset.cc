#include "sigma/ruleset.h"
#include "base/ascii.h"
#include "sigma/literal_scan.h"

#include <fmt/format.h>
#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace inari::sigma {

namespace {

struct Node {
  enum class Kind : uint8_t { kAnd, kOr, kNot, kTest, kFalse };
  Kind kind = Kind::kFalse;
  uint32_t first = 0, count = 0;  // children in Variant::kids[first, first + count)
  const FieldTest* test = nullptr;
};

struct Variant {
  uint32_t rule = 0;
  std::vector<Node> nodes;
  std::vector<uint32_t> kids;
  uint32_t root = 0;
  std::vector<std::string> channels;  // lower case; empty: any
  std::vector<int64_t> event_ids;     // empty: any
  std::vector<std::string> providers; // lower case; empty: any
  std::vector<std::unique_ptr<FieldTest>> tests;
  std::optional<std::vector<std::string>> literals;  // required literals (none: unfiltered)
};

// The variants an event of one (Channel, EventID) key can meet, with the
// literal database of the filtered ones. Each bucket has its own database:
// most events meet a few dozen literals (a Security 4624 logon: ~80), only
// process creation meets thousands; one database over every rule's literals
// made every event pay for the largest bucket (decisions.md #33).
struct Bucket {
  std::vector<uint32_t> all;         // every variant (no prefilter)
  std::vector<uint32_t> unfiltered;  // variants the prefilter cannot reject
  std::vector<uint32_t> filtered;    // variants reached through literals
  hs_database_t* db = nullptr;       // literals of `filtered` (null: none)
  std::vector<std::vector<uint32_t>> literal_variants;  // literal id → variants
  // Fields whose literals are looked for (bit per FieldId): only their
  // non-string values need rendering for the scan (keyword tests read kString
  // values only; EVTX events carry many integers, GUIDs, SIDs and times).
  std::vector<uint64_t> scanned_fields;
  bool Scans(FieldId f) const { return f / 64 < scanned_fields.size() && (scanned_fields[f / 64] >> (f % 64)) & 1; }
  Bucket() = default;
  Bucket(const Bucket&) = delete;
  Bucket& operator=(const Bucket&) = delete;
  ~Bucket() {
    if (db) hs_free_database(db);
  }
};

struct ChannelIndex {
  std::unordered_map<int64_t, Bucket> by_eid;
  Bucket any;
};

bool Eval(const Variant& v, uint32_t n, const EventView& e, MatchScratch* ms) {
  const Node& node = v.nodes[n];
  switch (node.kind) {
    case Node::Kind::kTest:
      return node.test->Match(e, ms);
    case Node::Kind::kAnd:
      for (uint32_t k = 0; k < node.count; ++k)
        if (!Eval(v, v.kids[node.first + k], e, ms)) return false;
      return true;
    case Node::Kind::kOr:
      for (uint32_t k = 0; k < node.count; ++k)
        if (Eval(v, v.kids[node.first + k], e, ms)) return true;
      return false;
    case Node::Kind::kNot:
      return !Eval(v, v.kids[node.first], e, ms);
    case Node::Kind::kFalse:
      return false;
  }
  return false;
}

// Literals one of which must appear for node n to be true; nullopt if none
// can be derived.
std::optional<std::vector<std::string>> Required(const Variant& v, uint32_t n) {
  const Node& node = v.nodes[n];
  switch (node.kind) {
    case Node::Kind::kTest: {
      const auto& lits = node.test->required_literals();
      if (lits.empty()) return std::nullopt;
      return lits;
    }
    case Node::Kind::kAnd: {
      // Any one child's literals are necessary; take the most selective set:
      // the longest shortest literal, then the fewest literals.
      std::optional<std::vector<std::string>> best;
      size_t best_min = 0;
      for (uint32_t k = 0; k < node.count; ++k) {
        auto r = Required(v, v.kids[node.first + k]);
        if (!r) continue;
        size_t mn = SIZE_MAX;
        for (auto& s : *r) mn = std::min(mn, s.size());
        if (!best || mn > best_min || (mn == best_min && r->size() < best->size())) {
          best = std::move(r);
          best_min = mn;
        }
      }
      return best;
    }
    case Node::Kind::kOr: {
      std::vector<std::string> all;
      for (uint32_t k = 0; k < node.count; ++k) {
        auto r = Required(v, v.kids[node.first + k]);
        if (!r) return std::nullopt;
        all.insert(all.end(), r->begin(), r->end());
      }
      if (all.empty()) return std::nullopt;
      return all;
    }
    default:
      return std::nullopt;
  }
}

// EventIDs node n is limited to (through EventID tests ANDed at its top).
std::vector<int64_t> EventIds(const Variant& v, uint32_t n) {
  const Node& node = v.nodes[n];
  switch (node.kind) {
    case Node::Kind::kTest:
      return node.test->event_ids();
    case Node::Kind::kAnd:
      for (uint32_t k = 0; k < node.count; ++k) {
        auto ids = EventIds(v, v.kids[node.first + k]);
        if (!ids.empty()) return ids;
      }
      return {};
    case Node::Kind::kOr: {
      std::vector<int64_t> all;
      for (uint32_t k = 0; k < node.count; ++k) {
        auto ids = EventIds(v, v.kids[node.first + k]);
        if (ids.empty()) return {};
        all.insert(all.end(), ids.begin(), ids.end());
      }
      std::sort(all.begin(), all.end());
      all.erase(std::unique(all.begin(), all.end()), all.end());
      return all;
    }
    default:
      return {};
  }
}

// Builds a variant's expression tree from conditions and search identifiers.
class VariantCompiler {
 public:
  VariantCompiler(Variant* v, const LogsourceTarget& target, const BuildOptions& options)
      : v_(v), target_(target) {
    ctx_.placeholders = options.placeholders;
    ctx_.map_field = [this](std::string_view f) -> std::string {
      auto it = target_.field_renames.find(std::string(f));
      return it == target_.field_renames.end() ? std::string(f) : it->second;
    };
  }

  // Compiles `cond` over `detection`. On error returns the message.
  std::optional<std::string> Compile(const CondNode& cond, const std::map<std::string, SearchIdentifier>& detection,
                                     uint32_t* out, int* line) {
    detection_ = &detection;
    cache_.clear();
    error_.reset();
    *out = CompileCond(cond);
    *line = error_line_;
    return error_;
  }

  int64_t Cost(uint32_t i) const {
    const Node& n = v_->nodes[i];
    if (n.kind == Node::Kind::kTest) return n.test->cost();
    int64_t c = 0;
    for (uint32_t k = 0; k < n.count; ++k) c += Cost(v_->kids[n.first + k]);
    return c;
  }

  uint32_t AddNode(Node n) {
    v_->nodes.push_back(n);
    return static_cast<uint32_t>(v_->nodes.size() - 1);
  }
  uint32_t Combine(Node::Kind kind, std::vector<uint32_t> children) {
    if (children.size() == 1 && kind != Node::Kind::kNot) return children[0];
    if (kind == Node::Kind::kAnd || kind == Node::Kind::kOr) {
      // Cheap children first: and/or short-circuit, and there are no side effects.
      std::stable_sort(children.begin(), children.end(),
                       [this](uint32_t a, uint32_t b) { return Cost(a) < Cost(b); });
    }
    Node n;
    n.kind = kind;
    n.first = static_cast<uint32_t>(v_->kids.size());
    n.count = static_cast<uint32_t>(children.size());
    v_->kids.insert(v_->kids.end(), children.begin(), children.end());
    return AddNode(n);
  }

 private:
  uint32_t CompileCond(const CondNode& c) {
    switch (c.kind) {
      case CondNode::Kind::kIdentifier:
        return CompileIdentifier(c.identifier);
      case CondNode::Kind::kNot:
        return Combine(Node::Kind::kNot, {CompileCond(*c.children[0])});
      case CondNode::Kind::kAnd:
      case CondNode::Kind::kOr: {
        std::vector<uint32_t> kids;
        for (auto& ch : c.children) kids.push_back(CompileCond(*ch));
        return Combine(c.kind == CondNode::Kind::kAnd ? Node::Kind::kAnd : Node::Kind::kOr, kids);
      }
    }
    return AddNode(Node{});
  }

  uint32_t CompileIdentifier(const std::string& name) {
    auto cached = cache_.find(name);
    if (cached != cache_.end()) return cached->second;
    auto it = detection_->find(name);
    uint32_t result;
    if (it == detection_->end()) {
      Fail(fmt::format("condition names unknown search identifier '{}'", name), 0);
      result = AddNode(Node{});
    } else {
      std::vector<uint32_t> groups;
      for (const auto& group : it->second.groups) {
        std::vector<uint32_t> tests;
        for (const FieldTestSpec& spec : group) {
          auto t = FieldTest::Compile(spec, ctx_);
          if (!t.has_value()) {
            Fail(std::string(t.error().message()), spec.line ? spec.line : it->second.line);
            tests.push_back(AddNode(Node{}));
            continue;
          }
          Node n;
          n.kind = Node::Kind::kTest;
          n.test = t.value().get();
          v_->tests.push_back(std::move(t).value());
          tests.push_back(AddNode(n));
        }
        if (tests.empty()) continue;  // an empty map: matches nothing on its own
        groups.push_back(Combine(Node::Kind::kAnd, tests));
      }
      result = groups.empty() ? AddNode(Node{}) : Combine(Node::Kind::kOr, groups);
    }
    cache_[name] = result;
    return result;
  }

  void Fail(std::string msg, int line) {
    if (!error_) {
      error_ = std::move(msg);
      error_line_ = line;
    }
  }

  Variant* v_;
  const LogsourceTarget& target_;
  CompileContext ctx_;
  const std::map<std::string, SearchIdentifier>* detection_ = nullptr;
  std::unordered_map<std::string, uint32_t> cache_;
  std::optional<std::string> error_;
  int error_line_ = 0;
};

bool LogsourceCovers(const Logsource& filter, const Logsource& rule) {
  return (filter.product.empty() || filter.product == rule.product) &&
         (filter.category.empty() || filter.category == rule.category) &&
         (filter.service.empty() || filter.service == rule.service);
}

}  // namespace

// ---------------------------------------------------------------------------

struct RuleSet::Impl {
  std::vector<Variant> variants;
  std::unordered_map<std::string, ChannelIndex> channels;
  std::unordered_map<int64_t, Bucket> any_channel_by_eid;
  Bucket catch_all;
  bool use_prefilter = true;
  size_t num_rules = 0;

  // Calls f on every bucket (Self: Impl or const Impl).
  template <typename Self, typename F>
  static void ForEachBucket(Self& impl, F&& f) {
    for (auto& [name, ci] : impl.channels) {
      for (auto& [id, b] : ci.by_eid) f(b);
      f(ci.any);
    }
    for (auto& [id, b] : impl.any_channel_by_eid) f(b);
    f(impl.catch_all);
  }

  void Place(uint32_t vi, bool use_index) {
    Variant& v = variants[vi];
    auto add = [&](Bucket& b) {
      b.all.push_back(vi);
      if (!v.literals) b.unfiltered.push_back(vi);
      else b.filtered.push_back(vi);
    };
    if (!use_index) {
      add(catch_all);
      return;
    }
    if (!v.channels.empty()) {
      for (const std::string& ch : v.channels) {
        ChannelIndex& ci = channels[ch];
        if (v.event_ids.empty()) add(ci.any);
        else
          for (int64_t id : v.event_ids) add(ci.by_eid[id]);
      }
    } else if (!v.event_ids.empty()) {
      for (int64_t id : v.event_ids) add(any_channel_by_eid[id]);
    } else {
      add(catch_all);
    }
  }
};

class RuleSet::Scratch {
 public:
  hs_scratch_t* hs = nullptr;
  MatchScratch ms;
  std::string lower_channel;
  std::string buf;
  std::vector<uint32_t> stamp;       // per variant: generation it was last queued in
  std::vector<uint32_t> rule_stamp;  // per rule: generation it last matched in
  uint32_t gen = 0;
  std::vector<uint32_t> candidates;
  const Impl* impl = nullptr;
  // The previous event's (Channel, EventID) and buckets (lower_channel stays its).
  bool memo_valid = false, memo_have_channel = false;
  int64_t memo_eid = 0;
  std::string memo_channel;
  const Bucket* memo_buckets[4] = {};
  int memo_nb = 0;
  ~Scratch() {
    if (hs) hs_free_scratch(hs);
  }
};

RuleSet::RuleSet() = default;
RuleSet::~RuleSet() = default;

std::unique_ptr<RuleSet> RuleSet::Build(LoadResult loaded, const LogsourceMap& logsources,
                                        const BuildOptions& options, std::vector<LoadIssue>* issues) {
  std::unique_ptr<RuleSet> rs(new RuleSet());
  rs->impl_ = std::make_unique<Impl>();
  Impl& impl = *rs->impl_;
  impl.use_prefilter = options.use_prefilter;

  // Filters by the rule ids/names they name.
  std::unordered_map<std::string, std::vector<const LoadedFilter*>> filters_for;
  for (const LoadedFilter& f : loaded.filters)
    for (const std::string& r : f.rules) filters_for[r].push_back(&f);

  for (LoadedRule& lr : loaded.rules) {
    const std::vector<LogsourceTarget> targets = logsources.Resolve(lr.info.logsource);
    if (targets.empty()) {
      ++rs->stats_.not_applicable;
      continue;
    }
    if (!lr.condition) continue;  // the loader reported it
    std::vector<const LoadedFilter*> filters;
    for (const std::string* key : {&lr.info.id, &lr.info.name}) {
      if (key->empty()) continue;
      auto it = filters_for.find(*key);
      if (it == filters_for.end()) continue;
      for (const LoadedFilter* f : it->second)
        if (f->condition && LogsourceCovers(f->info.logsource, lr.info.logsource)) filters.push_back(f);
    }
    const uint32_t rule_index = static_cast<uint32_t>(rs->rules_.size());
    size_t compiled = 0;
    std::set<std::string> errors;
    for (const LogsourceTarget& target : targets) {
      Variant v;
      v.rule = rule_index;
      VariantCompiler vc(&v, target, options);
      uint32_t root = 0;
      int line = 0;
      auto err = vc.Compile(*lr.condition, lr.detection, &root, &line);
      std::vector<uint32_t> parts = {root};
      for (const LoadedFilter* f : filters) {
        if (err) break;
        uint32_t froot = 0;
        err = vc.Compile(*f->condition, f->detection, &froot, &line);
        if (err) *err = fmt::format("filter '{}' ({}): {}", f->info.title, f->info.file, *err);
        parts.push_back(froot);
      }
      if (err) {
        if (errors.insert(*err).second) {
          LoadIssue issue;
          issue.code = "compile";
          issue.file = lr.info.file;
          issue.line = line ? line : lr.info.line;
          issue.rule_id = lr.info.id;
          issue.message = *err;
          issues->push_back(std::move(issue));
        }
        continue;
      }
      v.root = vc.Combine(Node::Kind::kAnd, parts);
      for (const std::string& ch : target.channels) v.channels.push_back(AsciiLowerCopy(ch));
      for (const std::string& p : target.providers) v.providers.push_back(AsciiLowerCopy(p));
      std::vector<int64_t> cond_ids = EventIds(v, v.root);
      if (target.event_ids.empty()) {
        v.event_ids = cond_ids;
      } else if (cond_ids.empty()) {
        v.event_ids = target.event_ids;
      } else {
        for (int64_t id : target.event_ids)
          if (std::find(cond_ids.begin(), cond_ids.end(), id) != cond_ids.end()) v.event_ids.push_back(id);
        if (v.event_ids.empty()) continue;  // the rule can never match this target
      }
      if (options.use_prefilter) v.literals = Required(v, v.root);
      impl.variants.push_back(std::move(v));
      ++compiled;
    }
    if (compiled == 0) continue;
    rs->rules_.push_back(Rule{std::move(lr.info)});
  }

  for (uint32_t vi = 0; vi < impl.variants.size(); ++vi) impl.Place(vi, options.use_index);

  // Prefilter: one literal database per bucket, compiled on all cores (the
  // buckets are independent; vectorscan's compiler is thread-safe).
  std::vector<Bucket*> todo;
  Impl::ForEachBucket(impl, [&](Bucket& b) {
    if (!b.filtered.empty()) todo.push_back(&b);
  });
  struct Compiled {
    std::vector<std::string> literals;
    std::string error;  // non-empty: vectorscan refused the bucket's literals
  };
  std::vector<Compiled> compiled(todo.size());
  auto compile = [&](size_t i) {
    Bucket& b = *todo[i];
    for (uint32_t vi : b.filtered) {
      for (const auto& t : impl.variants[vi].tests) {
        const FieldId f = t->field();
        if (t->required_literals().empty() || f == kNoField) continue;
        if (f / 64 >= b.scanned_fields.size()) b.scanned_fields.resize(f / 64 + 1, 0);
        b.scanned_fields[f / 64] |= uint64_t{1} << (f % 64);
      }
    }
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<std::string>& lits = compiled[i].literals;
    for (uint32_t vi : b.filtered) {
      std::unordered_set<uint32_t> mine;
      for (const std::string& lit : *impl.variants[vi].literals) {
        std::string key = AsciiLowerCopy(lit);
        auto [it, inserted] = ids.emplace(key, static_cast<uint32_t>(lits.size()));
        if (inserted) {
          lits.push_back(key);
          b.literal_variants.emplace_back();
        }
        if (mine.insert(it->second).second) b.literal_variants[it->second].push_back(vi);
      }
    }
    std::vector<const char*> exprs;
    std::vector<size_t> lens;
    std::vector<unsigned> flags, lit_ids;
    for (uint32_t k = 0; k < lits.size(); ++k) {
      exprs.push_back(lits[k].data());
      lens.push_back(lits[k].size());
      flags.push_back(HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH);
      lit_ids.push_back(k);
    }
    hs_compile_error_t* cerr = nullptr;
    if (hs_compile_lit_multi(exprs.data(), flags.data(), lit_ids.data(), lens.data(),
                             static_cast<unsigned>(lits.size()), HS_MODE_BLOCK, nullptr, &b.db,
                             &cerr) != HS_SUCCESS) {
      compiled[i].error = cerr && cerr->message ? cerr->message : "unknown error";
      if (cerr) hs_free_compile_error(cerr);
      b.db = nullptr;
      b.literal_variants.clear();
    }
  };
  {
    size_t threads = options.threads > 0 ? static_cast<size_t>(options.threads)
                                         : std::max(1u, std::thread::hardware_concurrency());
    threads = std::min(threads, (todo.size() + 15) / 16);  // not worth a thread below ~16 buckets
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next.fetch_add(1)) < todo.size();) compile(i);
    };
    std::vector<std::jthread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }  // pool joins here
  std::unordered_set<std::string> distinct;
  bool failed = false;
  for (size_t i = 0; i < todo.size(); ++i) {
    distinct.insert(compiled[i].literals.begin(), compiled[i].literals.end());
    if (compiled[i].error.empty()) continue;
    // Without its database the bucket's variants are all evaluated: slower, still exact.
    if (!failed) {
      LoadIssue issue;
      issue.severity = LoadIssue::Severity::kWarning;
      issue.code = "prefilter";
      issue.message = "literal prefilter disabled for some rules: " + compiled[i].error;
      issues->push_back(std::move(issue));
    }
    failed = true;
    Bucket& b = *todo[i];
    for (uint32_t vi : b.filtered) impl.variants[vi].literals.reset();
    b.unfiltered.insert(b.unfiltered.end(), b.filtered.begin(), b.filtered.end());
    b.filtered.clear();
  }

  impl.num_rules = rs->rules_.size();
  rs->stats_.rules = rs->rules_.size();
  rs->stats_.variants = impl.variants.size();
  rs->stats_.literals = distinct.size();
  for (const Variant& v : impl.variants) rs->stats_.unfiltered_variants += !v.literals;
  return rs;
}

void RuleSet::ScratchDeleter::operator()(Scratch* s) const { delete s; }

RuleSet::ScratchPtr RuleSet::NewScratch() const {
  ScratchPtr s(new Scratch());
  s->impl = impl_.get();
  s->stamp.assign(impl_->variants.size(), 0);
  s->rule_stamp.assign(rules_.size(), 0);
  // One scratch, grown to fit every bucket's database.
  Impl::ForEachBucket(*impl_, [&](const Bucket& b) {
    if (b.db) hs_alloc_scratch(b.db, &s->hs);
  });
  return s;
}

namespace {

struct ScanContext {
  const std::vector<std::vector<uint32_t>>* literal_variants;
  RuleSet::Scratch* scratch;
};

}  // namespace

void RuleSet::Match(const EventView& event, Scratch* s, std::vector<uint32_t>* out) const {
  const Impl& impl = *impl_;
  if (++s->gen == 0) {  // wrapped: clear stamps
    std::fill(s->stamp.begin(), s->stamp.end(), 0);
    std::fill(s->rule_stamp.begin(), s->rule_stamp.end(), 0);
    s->gen = 1;
  }
  const uint32_t gen = s->gen;
  s->candidates.clear();

  // Buckets this event falls into.
  const Bucket* buckets[4];
  int nb = 0;
  const Value* ch = event.Get(field::kChannel);
  const int64_t eid = event.event_id();
  // Events come in runs of one channel and EventID: the previous event's
  // buckets are reused when both are the same (no lower-casing, no lookups).
  const bool string_channel = ch && ch->is_string();
  if (s->memo_valid && eid == s->memo_eid && (ch != nullptr) == s->memo_have_channel &&
      (!ch || (string_channel && ch->str() == s->memo_channel))) {
    nb = s->memo_nb;
    std::copy(s->memo_buckets, s->memo_buckets + nb, buckets);
  } else {
    s->lower_channel.clear();
    if (ch) {
      ch->AppendText(&s->lower_channel);
      for (char& c : s->lower_channel) c = AsciiLower(c);
      auto it = impl.channels.find(s->lower_channel);
      if (it != impl.channels.end()) {
        auto e = it->second.by_eid.find(eid);
        if (e != it->second.by_eid.end()) buckets[nb++] = &e->second;
        buckets[nb++] = &it->second.any;
      }
    }
    auto e = impl.any_channel_by_eid.find(eid);
    if (e != impl.any_channel_by_eid.end()) buckets[nb++] = &e->second;
    buckets[nb++] = &impl.catch_all;
    s->memo_valid = !ch || string_channel;
    s->memo_eid = eid;
    s->memo_have_channel = ch != nullptr;
    if (string_channel) s->memo_channel.assign(ch->str());
    s->memo_nb = nb;
    std::copy(buckets, buckets + nb, s->memo_buckets);
  }

  auto queue = [&](uint32_t vi) {
    if (s->stamp[vi] == gen) return;
    s->stamp[vi] = gen;
    s->candidates.push_back(vi);
  };
  if (impl.use_prefilter) {
    bool built = false;
    for (int b = 0; b < nb; ++b) {
      const Bucket& bucket = *buckets[b];
      for (uint32_t vi : bucket.unfiltered) queue(vi);
      if (!bucket.db) continue;
      if (!built) {
        // Every value of the event, separated by NUL (no literal contains
        // one), scanned once per bucket database.
        s->buf.clear();
        for (const Field& f : event.fields()) {
          if (f.value.type == ValueType::kString) {
            s->buf.append(f.value.s, f.value.size);
          } else {
            bool scanned = false;
            for (int k = 0; k < nb && !scanned; ++k) scanned = buckets[k]->db && buckets[k]->Scans(f.id);
            if (scanned) f.value.AppendText(&s->buf);
          }
          s->buf.push_back('\0');
        }
        PadForScan(&s->buf);  // literal_scan.h: vectorscan 5.4.9 misses matches near the end
        built = true;
      }
      ScanContext ctx{&bucket.literal_variants, s};
      hs_scan(
          bucket.db, s->buf.data(), static_cast<unsigned>(s->buf.size()), 0, s->hs,
          [](unsigned id, unsigned long long, unsigned long long, unsigned, void* p) -> int {
            auto* c = static_cast<ScanContext*>(p);
            RuleSet::Scratch* sc = c->scratch;
            for (uint32_t vi : (*c->literal_variants)[id]) {
              if (sc->stamp[vi] == sc->gen) continue;
              sc->stamp[vi] = sc->gen;
              sc->candidates.push_back(vi);
            }
            return 0;
          },
          &ctx);
    }
  } else {
    for (int b = 0; b < nb; ++b)
      for (uint32_t vi : buckets[b]->all) queue(vi);
  }

  const size_t first_out = out->size();
  if (!s->candidates.empty()) s->ms.index.Build(event.fields());
  for (uint32_t vi : s->candidates) {
    const Variant& v = impl.variants[vi];
    if (s->rule_stamp[v.rule] == gen) continue;  // already matched through another variant
    // Variants reached through a literal may belong to other logsources.
    if (!v.channels.empty() && std::find(v.channels.begin(), v.channels.end(), s->lower_channel) == v.channels.end())
      continue;
    if (!v.event_ids.empty() && std::find(v.event_ids.begin(), v.event_ids.end(), eid) == v.event_ids.end()) continue;
    if (!v.providers.empty()) {
      const Value* pv = event.Get(field::kProviderName);
      if (!pv || !pv->is_string()) continue;
      bool known = false;
      for (const std::string& p : v.providers) known |= EqualsIgnoreAsciiCase(pv->str(), p);
      if (!known) continue;
    }
    if (!Eval(v, v.root, event, &s->ms)) continue;
    s->rule_stamp[v.rule] = gen;
    out->push_back(v.rule);
  }
  s->ms.index.Clear();  // the batch's memory may hold another event next time
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first_out), out->end());
}

}  // namespace inari::sigma
