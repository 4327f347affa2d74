// Breach-notification jurisdictions for `inari scope`: which law a customer's
// country brings in, whom to notify and by when — as far as a fixed table can
// say it. Sources are cited in docs/scope.md; the table states deadlines only
// where the law fixes them (GDPR/UK GDPR 72 hours) and otherwise says what the
// law says ("as soon as feasible", "per state law"). It is a pointer for the
// privacy officer, not legal advice.
//
// Countries are ISO 3166-1 alpha-2 codes (case-insensitive; "UK" and "EL" are
// taken for GB and GR); regions ISO 3166-2 ("US-CA", "DE-BY").
// Thread-safety: read-only static data.
#pragma once

#include <string_view>

namespace inari::scope {

struct Jurisdiction {
  std::string_view id;         // stable: "GDPR", "UK-GDPR", "CH-FADP", "US-STATE", "CA-PIPEDA", "AU-NDB"
  std::string_view name;       // "EU/EEA: GDPR"
  std::string_view law;        // the provisions
  std::string_view authority;  // whom to notify
  std::string_view deadline;   // in words
  int deadline_hours;          // fixed deadline after awareness, 0 = none fixed by the law
  std::string_view individuals;  // what the law says about telling the customers
  bool by_region;              // notification follows the region (US states), list regions
};

// The jurisdiction of a country, or nullptr when the table has none.
const Jurisdiction* JurisdictionOf(std::string_view country);
// All entries, in report order.
const Jurisdiction* Jurisdictions(size_t* count);

// "DE" → "Germany"; "" when not known.
std::string_view CountryName(std::string_view country);
// EU member state / EEA (EU + IS, LI, NO).
bool IsEuMember(std::string_view country);
bool IsEea(std::string_view country);
// The national data-protection authority of an EU/EEA state ("FR" → "CNIL"), "" if none listed.
std::string_view SupervisoryAuthority(std::string_view country);
// "US-CA" → "California", "CA-QC" → "Quebec", "AU-NSW" → "New South Wales"; "" when not known.
std::string_view RegionName(std::string_view region);
// Canonical upper-case alpha-2 ("uk" → "GB", "el" → "GR"); other text upper-cased and trimmed.
std::string CanonicalCountry(std::string_view country);

}  // namespace inari::scope
