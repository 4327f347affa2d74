// inari scope, jurisdictions: which law a customer's country brings in.
#include "engine/scope_law.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace inari::scope {
namespace {

TEST(ScopeLaw, EveryEuAndEeaStateIsGdprWith72Hours) {
  const char* eu[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
                      "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"};
  for (const char* c : eu) {
    SCOPED_TRACE(c);
    EXPECT_TRUE(IsEuMember(c));
    const Jurisdiction* j = JurisdictionOf(c);
    ASSERT_NE(j, nullptr);
    EXPECT_EQ(j->id, "GDPR");
    EXPECT_EQ(j->deadline_hours, 72);
    EXPECT_FALSE(CountryName(c).empty());
    EXPECT_FALSE(SupervisoryAuthority(c).empty());
  }
  for (const char* c : {"IS", "LI", "NO"}) {
    EXPECT_FALSE(IsEuMember(c));
    EXPECT_TRUE(IsEea(c));
    EXPECT_EQ(JurisdictionOf(c)->id, "GDPR");
  }
  EXPECT_EQ(JurisdictionOf("el")->id, "GDPR");  // Greece as the EU writes it
  EXPECT_EQ(CountryName("de"), "Germany");
}

TEST(ScopeLaw, OthersInTheTable) {
  EXPECT_EQ(JurisdictionOf("GB")->id, "UK-GDPR");
  EXPECT_EQ(JurisdictionOf("uk")->id, "UK-GDPR");
  EXPECT_EQ(JurisdictionOf("GB")->deadline_hours, 72);
  EXPECT_NE(std::string(JurisdictionOf("GB")->authority).find("ICO"), std::string::npos);
  const Jurisdiction* us = JurisdictionOf("US");
  EXPECT_EQ(us->id, "US-STATE");
  EXPECT_EQ(us->deadline_hours, 0);  // no invented deadline
  EXPECT_EQ(us->deadline, "per state law");
  EXPECT_TRUE(us->by_region);
  const Jurisdiction* ca = JurisdictionOf("CA");
  EXPECT_EQ(ca->id, "CA-PIPEDA");
  EXPECT_NE(std::string(ca->deadline).find("as soon as feasible"), std::string::npos);
  const Jurisdiction* au = JurisdictionOf("AU");
  EXPECT_EQ(au->id, "AU-NDB");
  EXPECT_NE(std::string(au->deadline).find("30 days"), std::string::npos);
  EXPECT_EQ(JurisdictionOf("CH")->id, "CH-FADP");
  EXPECT_EQ(JurisdictionOf("JP"), nullptr);  // listed as unknown, not guessed
  EXPECT_EQ(JurisdictionOf(""), nullptr);
  size_t n = 0;
  const Jurisdiction* all = Jurisdictions(&n);
  std::set<std::string_view> ids;
  for (size_t i = 0; i < n; ++i) ids.insert(all[i].id);
  EXPECT_EQ(ids.size(), n);  // ids are unique
}

TEST(ScopeLaw, RegionNames) {
  EXPECT_EQ(RegionName("US-CA"), "California");
  EXPECT_EQ(RegionName("us-ny"), "New York");
  EXPECT_EQ(RegionName("US-DC"), "District of Columbia");
  EXPECT_EQ(RegionName("CA-QC"), "Quebec");
  EXPECT_EQ(RegionName("AU-NSW"), "New South Wales");
  EXPECT_EQ(RegionName("DE-BY"), "");
  EXPECT_EQ(CanonicalCountry(" uk "), "GB");
}

}  // namespace
}  // namespace inari::scope
