#include "simulate/simulate.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "base/time.h"
#include "simulate/generate.h"
#include "simulate/json_text.h"

namespace inari::sim {

namespace {

struct PassResult {
  Status status;
  uint64_t events = 0, bytes = 0, files = 0;
  std::vector<WrittenEvent> written;
  std::vector<Confounder> confounders;
};

// Splits output groups over passes, balancing the expected volume.
std::vector<std::vector<bool>> PlanPasses(const Inventory& inv, uint32_t passes) {
  std::vector<double> weight(inv.groups.size(), 0);
  for (const Host& h : inv.hosts) weight[h.group] += h.role == HostRole::kDc ? 0 : 1;
  weight[0] += double(inv.hosts.size()) * 0.4;  // DCs see every logon
  std::vector<uint32_t> order(inv.groups.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return weight[a] > weight[b]; });
  passes = std::max<uint32_t>(1, std::min<uint32_t>(passes, uint32_t(inv.groups.size())));
  std::vector<std::vector<bool>> owned(passes, std::vector<bool>(inv.groups.size(), false));
  std::vector<double> load(passes, 0);
  for (uint32_t g : order) {
    const size_t p = size_t(std::min_element(load.begin(), load.end()) - load.begin());
    owned[p][g] = true;
    load[p] += weight[g];
  }
  return owned;
}

std::string Iso(int64_t ns) { return FormatIso8601(ns); }

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  if (!f) return Status::IOError(path, "cannot create");
  f << text;
  f.close();
  if (!f) return Status::IOError(path, "write failed");
  return Status::OK();
}

std::string GroundTruthJson(const Inventory& inv, const SimulateOptions& o, const std::vector<Campaign>& cs,
                            const std::vector<std::vector<WrittenEvent>>& events,
                            const std::vector<Confounder>& conf) {
  std::string j;
  j += "{\n";
  j += fmt::format("  \"generator\": \"inari simulate\",\n  \"seed\": {},\n  \"hosts\": {},\n  \"days\": {},\n",
                   o.seed, inv.hosts.size(), o.days);
  j += fmt::format("  \"start\": \"{}\",\n  \"end\": \"{}\",\n  \"warmup_days\": {},\n", Iso(inv.DayStart(0)),
                   Iso(inv.DayStart(o.days)), o.warmup_days);
  j += "  \"campaigns\": [\n";
  for (size_t c = 0; c < cs.size(); ++c) {
    const Campaign& k = cs[c];
    std::set<std::string> hosts;
    std::set<std::string> accounts;
    for (const auto& s : k.steps) accounts.insert(inv.accounts[s.account].sam);
    for (const auto& w : events[c]) hosts.insert(inv.hosts[w.host].name);
    j += fmt::format("    {{\n      \"id\": {},\n      \"variant\": {},\n      \"speed\": \"{}\",\n", k.id,
                     JsonString(k.variant), k.fast ? "fast" : "slow");
    j += fmt::format("      \"stolen_user\": {},\n      \"privileged_account\": {},\n      \"second_account\": {},\n",
                     JsonString(inv.accounts[k.user].sam), JsonString(inv.accounts[k.privileged].sam),
                     JsonString(inv.accounts[k.second].sam));
    j += "      \"attacker_accounts\": [";
    bool first = true;
    for (const auto& a : accounts) {
      j += (first ? "" : ", ") + JsonString(a);
      first = false;
    }
    j += fmt::format("],\n      \"entry_host\": {},\n      \"entry_ip\": {},\n      \"client_name\": {},\n",
                     JsonString(inv.hosts[k.entry_host].name), JsonString(k.entry_ip), JsonString(k.client_name));
    j += fmt::format("      \"remote_access_tool\": {},\n      \"archiver\": {},\n      \"exfil_tool\": {},\n",
                     JsonString(k.rat), JsonString(k.archiver), JsonString(k.exfil_tool));
    j += "      \"external_ips\": [";
    for (size_t i = 0; i < k.external_ips.size(); ++i) j += (i ? ", " : "") + JsonString(k.external_ips[i]);
    j += "],\n      \"hosts_touched\": [";
    first = true;
    for (const auto& h : hosts) {
      j += (first ? "" : ", ") + JsonString(h);
      first = false;
    }
    int64_t first_t = k.start, last_t = k.end;
    if (!events[c].empty()) {
      first_t = events[c].front().time;
      last_t = events[c].back().time;
    }
    j += fmt::format("],\n      \"start\": \"{}\",\n      \"end\": \"{}\",\n      \"event_count\": {},\n", Iso(first_t),
                     Iso(last_t), events[c].size());
    j += "      \"steps\": [\n";
    for (size_t i = 0; i < k.steps.size(); ++i) {
      const CampaignStep& s = k.steps[i];
      j += fmt::format("        {{\"index\": {}, \"kind\": \"{}\", \"time\": \"{}\", \"host\": {}, \"account\": {}, "
                       "\"technique\": {}, \"what\": {}",
                       i, s.kind, Iso(s.time), JsonString(inv.hosts[s.host].name), JsonString(inv.accounts[s.account].sam),
                       JsonString(s.technique), JsonString(s.what));
      if (!s.targets.empty()) {
        j += ", \"targets\": [";
        for (size_t t = 0; t < s.targets.size(); ++t) j += (t ? ", " : "") + JsonString(inv.hosts[s.targets[t]].name);
        j += "]";
      }
      j += ",\n         \"events\": [";
      bool fe = true;
      for (const auto& w : events[c]) {
        if (size_t(w.step) != i) continue;
        j += fmt::format("{}\n          {{\"Computer\": {}, \"Channel\": {}, \"EventRecordID\": {}, \"EventID\": {}, "
                         "\"time\": \"{}\"}}",
                         fe ? "" : ",", JsonString(inv.hosts[w.host].fqdn), JsonString(ChannelName(w.channel)),
                         w.record_id, w.event_id, Iso(w.time));
        fe = false;
      }
      j += fe ? "]}" : "\n         ]}";
      j += i + 1 < k.steps.size() ? ",\n" : "\n";
    }
    j += "      ]\n    }";
    j += c + 1 < cs.size() ? ",\n" : "\n";
  }
  j += "  ],\n  \"confounders\": {\n    \"counts\": {";
  std::map<std::string, size_t> counts;
  for (const auto& f : conf) ++counts[f.kind];
  bool first = true;
  for (const auto& [kind, n] : counts) {
    j += fmt::format("{}\"{}\": {}", first ? "" : ", ", kind, n);
    first = false;
  }
  j += "},\n    \"instances\": [\n";
  for (size_t i = 0; i < conf.size(); ++i) {
    const Confounder& f = conf[i];
    j += fmt::format("      {{\"kind\": \"{}\", \"time\": \"{}\", \"host\": {}, \"account\": {}, \"detail\": {}}}{}\n",
                     f.kind, Iso(f.time), JsonString(f.host), JsonString(f.account), JsonString(f.detail),
                     i + 1 < conf.size() ? "," : "");
  }
  j += "    ]\n  }\n}\n";
  return j;
}

std::string GroundTruthMd(const Inventory& inv, const SimulateOptions& o, const std::vector<Campaign>& cs,
                          const std::vector<std::vector<WrittenEvent>>& events, const std::vector<Confounder>& conf,
                          const SimulateSummary& sum) {
  std::string m;
  m += "# Simulated enterprise: ground truth\n\n";
  m += fmt::format("Generated by `inari simulate --hosts {} --days {} --start {} --seed {} --campaigns {} "
                   "--warmup-days {}`. Machine-readable: `ground_truth.json`, `inventory.json`.\n\n",
                   o.hosts, o.days, o.start, o.seed, cs.size(), o.warmup_days);
  m += fmt::format("Domain {} (`{}`, SID `{}`), {} sites, {} hosts ({} DCs, {} servers, {} workstations, {} admin "
                   "workstations), {} people, {} service accounts. {} .. {} UTC. {} events, {} of them injected.\n\n",
                   inv.domain, inv.dns_domain, inv.domain_sid, inv.sites.size(), inv.hosts.size(), inv.dcs.size(),
                   inv.servers.size(), inv.workstations.size(), inv.admin_ws.size(), inv.persons.size(),
                   inv.service_accounts.size(), Iso(inv.DayStart(0)), Iso(inv.DayStart(o.days)), sum.events,
                   sum.campaign_events);
  for (size_t c = 0; c < cs.size(); ++c) {
    const Campaign& k = cs[c];
    m += fmt::format("## Campaign {} — {}\n\n", k.id, k.variant);
    m += fmt::format("Stolen user `{}`, privileged account `{}`{}; entry {} from `{}` (client `{}`); "
                     "attacker addresses {}. {} events.\n\n",
                     inv.accounts[k.user].sam, inv.accounts[k.privileged].sam,
                     k.second != k.privileged ? fmt::format(", second account `{}`", inv.accounts[k.second].sam) : "",
                     inv.hosts[k.entry_host].name, k.entry_ip, k.client_name,
                     [&] {
                       std::string s;
                       for (const auto& ip : k.external_ips) s += (s.empty() ? "`" : ", `") + ip + "`";
                       return s;
                     }(),
                     events[c].size());
    m += "| time (UTC) | host | account | step | technique | events |\n|---|---|---|---|---|---:|\n";
    for (size_t i = 0; i < k.steps.size(); ++i) {
      const CampaignStep& s = k.steps[i];
      size_t n = 0;
      for (const auto& w : events[c]) n += size_t(w.step) == i;
      std::string what = s.what;
      std::replace(what.begin(), what.end(), '|', '/');
      m += fmt::format("| {} | {} | {} | {} | {} | {} |\n", Iso(s.time).substr(0, 19), inv.hosts[s.host].name,
                       inv.accounts[s.account].sam, what, s.technique, n);
    }
    m += "\n";
  }
  m += "## Confounders (benign look-alikes)\n\n| kind | instances | example |\n|---|---:|---|\n";
  std::map<std::string, std::pair<size_t, const Confounder*>> counts;
  for (const auto& f : conf) {
    auto& e = counts[f.kind];
    if (!e.second) e.second = &f;
    ++e.first;
  }
  for (const auto& [kind, e] : counts)
    m += fmt::format("| {} | {} | {} {} `{}`: {} |\n", kind, e.first, Iso(e.second->time).substr(0, 16),
                     e.second->host, e.second->account, e.second->detail);
  return m;
}

}  // namespace

Status Simulate(const SimulateOptions& o_in, SimulateSummary* summary, const SimulateProgress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  SimulateOptions o = o_in;
  if (o.hosts < 20) return Status::InvalidArgument("--hosts", "at least 20");
  if (o.days < 1 || o.days > 3660) return Status::InvalidArgument("--days", "1..3660");
  int64_t start_ns = 0;
  if (!ParseStartDate(o.start, &start_ns)) return Status::InvalidArgument("--start", "expected YYYY-MM-DD");
  if (o.threads < 1) o.threads = 1;
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) return Status::IOError(o.out_dir, ec.message());
  if (std::filesystem::exists(o.out_dir + "/events", ec))
    return Status::InvalidArgument(o.out_dir, "already holds events/; choose an empty --out directory");

  const Inventory inv = BuildInventory(o, start_ns);
  const std::vector<Campaign> campaigns = PlanCampaigns(inv, o);
  const uint32_t per_pass = o.hosts_per_pass ? o.hosts_per_pass : 2500;
  const uint32_t passes = std::max<uint32_t>(uint32_t(o.threads), (uint32_t(inv.hosts.size()) + per_pass - 1) / per_pass);
  const auto owned = PlanPasses(inv, passes);
  std::vector<PassResult> results(owned.size());
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> done{0};
  std::mutex progress_mu;

  auto worker = [&] {
    for (size_t p; (p = next.fetch_add(1)) < owned.size();) {
      PassResult& res = results[p];
      Sink sink(inv, o, owned[p]);
      Env env{inv, sink};
      BenignGenerator benign(env, o.seed, p == 0 ? &res.confounders : nullptr);
      CampaignRunner runner(env, o.seed, campaigns);
      uint64_t last = 0;
      for (uint32_t d = 0; d < o.days; ++d) {
        sink.BeginDay(d);
        benign.Day(d);
        runner.Day(d);
        res.status = sink.FlushDay(d);
        if (!res.status.ok()) return;
        done += sink.events() - last;
        last = sink.events();
        if (progress) {
          std::lock_guard<std::mutex> lock(progress_mu);
          progress(done.load());
        }
      }
      sink.Finish();
      res.events = sink.events();
      res.bytes = sink.bytes();
      res.files = sink.files();
      res.written = std::move(sink.written());
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < o.threads; ++i) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  SimulateSummary sum;
  std::vector<std::vector<WrittenEvent>> by_campaign(campaigns.size());
  for (PassResult& r : results) {
    if (!r.status.ok()) return r.status;
    sum.events += r.events;
    sum.bytes += r.bytes;
    sum.files += r.files;
    for (const auto& w : r.written) by_campaign[size_t(w.campaign)].push_back(w);
  }
  for (auto& v : by_campaign) {
    std::sort(v.begin(), v.end(), [](const WrittenEvent& a, const WrittenEvent& b) {
      if (a.time != b.time) return a.time < b.time;
      if (a.host != b.host) return a.host < b.host;
      if (a.channel != b.channel) return a.channel < b.channel;
      return a.record_id < b.record_id;
    });
    sum.campaign_events += v.size();
  }
  sum.hosts = uint32_t(inv.hosts.size());
  sum.users = uint32_t(inv.persons.size());
  sum.service_accounts = uint32_t(inv.service_accounts.size());
  sum.campaigns = uint32_t(campaigns.size());
  const std::vector<Confounder>& conf = results[0].confounders;
  const std::string inv_json = InventoryJson(inv);
  const std::string gt_json = GroundTruthJson(inv, o, campaigns, by_campaign, conf);
  if (Status st = WriteText(o.out_dir + "/inventory.json", inv_json); !st.ok()) return st;
  if (Status st = WriteText(o.out_dir + "/ground_truth.json", gt_json); !st.ok()) return st;
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string md = GroundTruthMd(inv, o, campaigns, by_campaign, conf, sum);
  if (Status st = WriteText(o.out_dir + "/GROUND_TRUTH.md", md); !st.ok()) return st;
  sum.files += 3;
  sum.bytes += inv_json.size() + gt_json.size() + md.size();
  *summary = sum;
  return Status::OK();
}

}  // namespace inari::sim
