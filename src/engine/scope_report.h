// Renderings of a ScopeResult (scope.h): a short text summary for the
// terminal, JSON (schema "inari.scope/1", docs/scope.md) and a self-contained
// HTML report for a privacy officer (inline CSS, no scripts, no external
// assets), and the affected customers as CSV.
//
// Every rendering holds customer keys, countries and regions only — never
// names, e-mail addresses or other customer data: statements appear as shapes
// with literals replaced, parameters never. Text from the logs (user names,
// application names, statement shapes) is escaped for its format.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "engine/scope.h"

namespace inari::scope {

struct ScopeReportOptions {
  size_t evidence = 50;       // statements listed in time order (plus every flagged one, up to flagged_cap)
  size_t flagged_cap = 500;   // unresolved / differing / unconfirmed reads listed besides
  bool with_keys = false;     // JSON: the customer keys with country, region, first and last access
};

std::string ScopeText(const ScopeResult& r);
std::string ScopeJson(const ScopeResult& r, const ScopeReportOptions& o);
std::string ScopeHtml(const ScopeResult& r, const ScopeReportOptions& o);
// key,country,region,first_access,last_access,reads,confirmed
std::string ScopeCustomersCsv(const ScopeResult& r);

// "2024-05-02 09:00:02 UTC" ("-" for kNoTime).
std::string HumanTime(int64_t t);

}  // namespace inari::scope
