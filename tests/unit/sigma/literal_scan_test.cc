// Regression test for the vectorscan 5.4.9 block-mode miss worked around in
// src/sigma/literal_scan.h: with the literal set of inari's admin-share rule,
// a literal starting 64+ bytes into the buffer and ending near its end was not
// reported for most buffer alignments. Every length, position and alignment
// below must be found through ScanPadded (and the rule must match, whatever
// the heap hands out).
#include "sigma/literal_scan.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace inari::sigma {
namespace {

struct Db {
  hs_database_t* db = nullptr;
  hs_scratch_t* scratch = nullptr;
  ~Db() {
    if (scratch) hs_free_scratch(scratch);
    if (db) hs_free_database(db);
  }
};

void Compile(const std::vector<std::string>& lits, Db* out) {
  std::vector<const char*> exprs;
  std::vector<size_t> lens;
  std::vector<unsigned> flags, ids;
  for (unsigned i = 0; i < lits.size(); ++i) {
    exprs.push_back(lits[i].data());
    lens.push_back(lits[i].size());
    flags.push_back(HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH);
    ids.push_back(i);
  }
  hs_compile_error_t* err = nullptr;
  ASSERT_EQ(hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                                 static_cast<unsigned>(lits.size()), HS_MODE_BLOCK, nullptr, &out->db, &err),
            HS_SUCCESS);
  ASSERT_EQ(hs_alloc_scratch(out->db, &out->scratch), HS_SUCCESS);
}

int OnMatch(unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
  *static_cast<bool*>(ctx) = true;
  return 0;
}

TEST(LiteralScan, FindsLiteralsNearTheEndAtEveryAlignment) {
  Db db;
  Compile({"\\admin$", "\\c$", "\\d$", "\\e$", "\\f$"}, &db);
  // The text is placed at each of 64 offsets of an aligned block, as the heap might place it.
  std::unique_ptr<char, decltype(&std::free)> block(static_cast<char*>(std::aligned_alloc(64, 512)), &std::free);
  std::string buf;
  size_t missed = 0, scans = 0;
  for (size_t len = 3; len < 160; ++len) {
    for (size_t pos = 0; pos + 3 <= len; ++pos) {
      std::string text(len, 'x');
      std::memcpy(&text[pos], "\\C$", 3);
      for (size_t off = 0; off < 64; ++off) {
        std::memcpy(block.get() + off, text.data(), len);
        bool hit = false;
        // ScanPadded copies into `buf`; re-seat it so the copy lands at varying alignments too.
        buf.reserve(off + len + kScanPadding);
        ASSERT_EQ(ScanPadded(db.db, db.scratch, std::string_view(block.get() + off, len), &buf, OnMatch, &hit),
                  HS_SUCCESS);
        ++scans;
        missed += !hit;
      }
    }
  }
  EXPECT_EQ(missed, 0u) << "of " << scans << " scans";
}

TEST(LiteralScan, PaddingNeverCreatesAMatch) {
  Db db;
  Compile({"\\admin$", "\\c$", "abc"}, &db);
  std::string buf;
  for (const char* text : {"", "\\c", "ab", "\\admin", "xx\\", "a"}) {
    bool hit = false;
    ASSERT_EQ(ScanPadded(db.db, db.scratch, text, &buf, OnMatch, &hit), HS_SUCCESS);
    EXPECT_FALSE(hit) << text;
  }
}

}  // namespace
}  // namespace inari::sigma
