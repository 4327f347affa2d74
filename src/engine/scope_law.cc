#include "engine/scope_law.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace inari::scope {

namespace {

// Report order: GDPR, UK, Switzerland, US, Canada, Australia. Sources: docs/scope.md.
constexpr Jurisdiction kTable[] = {
    {"GDPR", "EU/EEA: GDPR",
     "Regulation (EU) 2016/679 (GDPR) Art. 33, 34 (EEA states IS, LI, NO through the EEA Agreement)",
     "the lead supervisory authority (Art. 55, 56: where the controller has its main establishment in the EU)",
     "without undue delay and, where feasible, not later than 72 hours after becoming aware of the breach (Art. 33(1))",
     72, "without undue delay when the breach is likely to result in a high risk to them (Art. 34)", false},
    {"UK-GDPR", "United Kingdom: UK GDPR",
     "UK GDPR Art. 33, 34 with the Data Protection Act 2018",
     "the Information Commissioner's Office (ICO)",
     "without undue delay and, where feasible, not later than 72 hours after becoming aware of the breach (Art. 33(1))",
     72, "without undue delay when the breach is likely to result in a high risk to them (Art. 34)", false},
    {"CH-FADP", "Switzerland: FADP",
     "Federal Act on Data Protection (FADP, SR 235.1) Art. 24",
     "the Federal Data Protection and Information Commissioner (FDPIC)",
     "as soon as possible, when the breach is likely to result in a high risk (Art. 24(1))", 0,
     "when necessary for their protection or when the FDPIC requires it (Art. 24(4))", false},
    {"US-STATE", "United States: state breach-notification laws",
     "the breach-notification law of each state whose residents are affected (all 50 states, DC, Guam, Puerto Rico "
     "and the U.S. Virgin Islands have one)",
     "per state law (several states require notice to their Attorney General or another regulator)",
     "per state law", 0, "per state law", true},
    {"CA-PIPEDA", "Canada: PIPEDA",
     "Personal Information Protection and Electronic Documents Act (PIPEDA) s. 10.1 - 10.3; provincial laws (Alberta "
     "PIPA, Quebec's private-sector act) may add their own duties",
     "the Office of the Privacy Commissioner of Canada (OPC)",
     "as soon as feasible after determining that the breach creates a real risk of significant harm (s. 10.1(2))", 0,
     "as soon as feasible when there is a real risk of significant harm (s. 10.1(3), (6))", true},
    {"AU-NDB", "Australia: Notifiable Data Breaches scheme",
     "Privacy Act 1988 Part IIIC (Notifiable Data Breaches scheme) s. 26WH, 26WK, 26WL",
     "the Office of the Australian Information Commissioner (OAIC)",
     "assess a suspected eligible data breach within 30 days (s. 26WH); notify the OAIC as soon as practicable "
     "after becoming aware of an eligible breach (s. 26WK)",
     0, "as soon as practicable (s. 26WL)", true},
};

constexpr std::string_view kEu[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
                                    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"};
constexpr std::string_view kEeaOnly[] = {"IS", "LI", "NO"};

constexpr std::pair<std::string_view, std::string_view> kAuthorities[] = {
    {"AT", "Datenschutzbehörde (DSB)"},
    {"BE", "Autorité de protection des données / Gegevensbeschermingsautoriteit (APD/GBA)"},
    {"BG", "Commission for Personal Data Protection (CPDP)"},
    {"HR", "Agencija za zaštitu osobnih podataka (AZOP)"},
    {"CY", "Commissioner for Personal Data Protection"},
    {"CZ", "Úřad pro ochranu osobních údajů (ÚOOÚ)"},
    {"DK", "Datatilsynet"},
    {"EE", "Andmekaitse Inspektsioon (AKI)"},
    {"FI", "Office of the Data Protection Ombudsman"},
    {"FR", "Commission nationale de l'informatique et des libertés (CNIL)"},
    {"DE", "the data protection authority of the Land (BfDI for federal bodies and telecoms)"},
    {"GR", "Hellenic Data Protection Authority (HDPA)"},
    {"HU", "Nemzeti Adatvédelmi és Információszabadság Hatóság (NAIH)"},
    {"IE", "Data Protection Commission (DPC)"},
    {"IT", "Garante per la protezione dei dati personali"},
    {"LV", "Datu valsts inspekcija (DVI)"},
    {"LT", "Valstybinė duomenų apsaugos inspekcija (VDAI)"},
    {"LU", "Commission nationale pour la protection des données (CNPD)"},
    {"MT", "Information and Data Protection Commissioner (IDPC)"},
    {"NL", "Autoriteit Persoonsgegevens (AP)"},
    {"PL", "Urząd Ochrony Danych Osobowych (UODO)"},
    {"PT", "Comissão Nacional de Proteção de Dados (CNPD)"},
    {"RO", "Autoritatea Națională de Supraveghere a Prelucrării Datelor cu Caracter Personal (ANSPDCP)"},
    {"SK", "Úrad na ochranu osobných údajov Slovenskej republiky"},
    {"SI", "Informacijski pooblaščenec (IP)"},
    {"ES", "Agencia Española de Protección de Datos (AEPD)"},
    {"SE", "Integritetsskyddsmyndigheten (IMY)"},
    {"IS", "Persónuvernd"},
    {"LI", "Datenschutzstelle"},
    {"NO", "Datatilsynet"},
};

constexpr std::pair<std::string_view, std::string_view> kCountries[] = {
    {"AT", "Austria"}, {"BE", "Belgium"}, {"BG", "Bulgaria"}, {"HR", "Croatia"}, {"CY", "Cyprus"},
    {"CZ", "Czechia"}, {"DK", "Denmark"}, {"EE", "Estonia"}, {"FI", "Finland"}, {"FR", "France"},
    {"DE", "Germany"}, {"GR", "Greece"}, {"HU", "Hungary"}, {"IE", "Ireland"}, {"IT", "Italy"},
    {"LV", "Latvia"}, {"LT", "Lithuania"}, {"LU", "Luxembourg"}, {"MT", "Malta"}, {"NL", "Netherlands"},
    {"PL", "Poland"}, {"PT", "Portugal"}, {"RO", "Romania"}, {"SK", "Slovakia"}, {"SI", "Slovenia"},
    {"ES", "Spain"}, {"SE", "Sweden"}, {"IS", "Iceland"}, {"LI", "Liechtenstein"}, {"NO", "Norway"},
    {"GB", "United Kingdom"}, {"CH", "Switzerland"}, {"US", "United States"}, {"CA", "Canada"},
    {"AU", "Australia"}, {"NZ", "New Zealand"}, {"JP", "Japan"}, {"KR", "South Korea"}, {"CN", "China"},
    {"HK", "Hong Kong"}, {"SG", "Singapore"}, {"IN", "India"}, {"BR", "Brazil"}, {"MX", "Mexico"},
    {"AR", "Argentina"}, {"ZA", "South Africa"}, {"IL", "Israel"}, {"TR", "Türkiye"}, {"UA", "Ukraine"},
    {"AE", "United Arab Emirates"}, {"SA", "Saudi Arabia"}, {"RU", "Russia"}, {"NG", "Nigeria"},
    {"KE", "Kenya"}, {"EG", "Egypt"}, {"CL", "Chile"}, {"CO", "Colombia"}, {"PH", "Philippines"},
    {"TH", "Thailand"}, {"MY", "Malaysia"}, {"ID", "Indonesia"}, {"VN", "Vietnam"}, {"TW", "Taiwan"},
};

constexpr std::pair<std::string_view, std::string_view> kRegions[] = {
    // United States (ISO 3166-2:US)
    {"US-AL", "Alabama"}, {"US-AK", "Alaska"}, {"US-AZ", "Arizona"}, {"US-AR", "Arkansas"},
    {"US-CA", "California"}, {"US-CO", "Colorado"}, {"US-CT", "Connecticut"}, {"US-DE", "Delaware"},
    {"US-FL", "Florida"}, {"US-GA", "Georgia"}, {"US-HI", "Hawaii"}, {"US-ID", "Idaho"}, {"US-IL", "Illinois"},
    {"US-IN", "Indiana"}, {"US-IA", "Iowa"}, {"US-KS", "Kansas"}, {"US-KY", "Kentucky"}, {"US-LA", "Louisiana"},
    {"US-ME", "Maine"}, {"US-MD", "Maryland"}, {"US-MA", "Massachusetts"}, {"US-MI", "Michigan"},
    {"US-MN", "Minnesota"}, {"US-MS", "Mississippi"}, {"US-MO", "Missouri"}, {"US-MT", "Montana"},
    {"US-NE", "Nebraska"}, {"US-NV", "Nevada"}, {"US-NH", "New Hampshire"}, {"US-NJ", "New Jersey"},
    {"US-NM", "New Mexico"}, {"US-NY", "New York"}, {"US-NC", "North Carolina"}, {"US-ND", "North Dakota"},
    {"US-OH", "Ohio"}, {"US-OK", "Oklahoma"}, {"US-OR", "Oregon"}, {"US-PA", "Pennsylvania"},
    {"US-RI", "Rhode Island"}, {"US-SC", "South Carolina"}, {"US-SD", "South Dakota"}, {"US-TN", "Tennessee"},
    {"US-TX", "Texas"}, {"US-UT", "Utah"}, {"US-VT", "Vermont"}, {"US-VA", "Virginia"}, {"US-WA", "Washington"},
    {"US-WV", "West Virginia"}, {"US-WI", "Wisconsin"}, {"US-WY", "Wyoming"}, {"US-DC", "District of Columbia"},
    {"US-PR", "Puerto Rico"}, {"US-GU", "Guam"}, {"US-VI", "U.S. Virgin Islands"}, {"US-AS", "American Samoa"},
    {"US-MP", "Northern Mariana Islands"},
    // Canada
    {"CA-AB", "Alberta"}, {"CA-BC", "British Columbia"}, {"CA-MB", "Manitoba"}, {"CA-NB", "New Brunswick"},
    {"CA-NL", "Newfoundland and Labrador"}, {"CA-NS", "Nova Scotia"}, {"CA-NT", "Northwest Territories"},
    {"CA-NU", "Nunavut"}, {"CA-ON", "Ontario"}, {"CA-PE", "Prince Edward Island"}, {"CA-QC", "Quebec"},
    {"CA-SK", "Saskatchewan"}, {"CA-YT", "Yukon"},
    // Australia
    {"AU-NSW", "New South Wales"}, {"AU-QLD", "Queensland"}, {"AU-SA", "South Australia"}, {"AU-TAS", "Tasmania"},
    {"AU-VIC", "Victoria"}, {"AU-WA", "Western Australia"}, {"AU-ACT", "Australian Capital Territory"},
    {"AU-NT", "Northern Territory"},
};

template <size_t N>
bool Contains(const std::string_view (&set)[N], std::string_view v) {
  return std::find(std::begin(set), std::end(set), v) != std::end(set);
}

template <size_t N>
std::string_view Lookup(const std::pair<std::string_view, std::string_view> (&table)[N], std::string_view key) {
  for (const auto& [k, v] : table)
    if (k == key) return v;
  return {};
}

}  // namespace

std::string CanonicalCountry(std::string_view c) {
  while (!c.empty() && std::isspace(static_cast<unsigned char>(c.front()))) c.remove_prefix(1);
  while (!c.empty() && std::isspace(static_cast<unsigned char>(c.back()))) c.remove_suffix(1);
  std::string out(c);
  for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (out == "UK") return "GB";
  if (out == "EL") return "GR";
  return out;
}

bool IsEuMember(std::string_view c) { return Contains(kEu, CanonicalCountry(c)); }
bool IsEea(std::string_view c) {
  const std::string x = CanonicalCountry(c);
  return Contains(kEu, x) || Contains(kEeaOnly, x);
}

const Jurisdiction* JurisdictionOf(std::string_view country) {
  const std::string c = CanonicalCountry(country);
  if (IsEea(c)) return &kTable[0];
  if (c == "GB") return &kTable[1];
  if (c == "CH") return &kTable[2];
  if (c == "US") return &kTable[3];
  if (c == "CA") return &kTable[4];
  if (c == "AU") return &kTable[5];
  return nullptr;
}

const Jurisdiction* Jurisdictions(size_t* count) {
  *count = std::size(kTable);
  return kTable;
}

std::string_view CountryName(std::string_view country) { return Lookup(kCountries, CanonicalCountry(country)); }
std::string_view SupervisoryAuthority(std::string_view country) {
  return Lookup(kAuthorities, CanonicalCountry(country));
}
std::string_view RegionName(std::string_view region) {
  std::string r(region);
  for (char& ch : r) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return Lookup(kRegions, r);
}

}  // namespace inari::scope
