// Literal scanning with vectorscan, padded against a library bug.
//
// Debian 12's vectorscan 5.4.9 misses literal matches in block mode: with
// some multi-literal databases (e.g. {"\c$", "\admin$", "\d$"}, caseless), a
// literal that starts 64+ bytes into the buffer and ends within the last ~32
// bytes is not reported for most buffer alignments. Whether it shows depends
// on where malloc put the buffer, so a rule matched on one run and not on the
// next (docs/decisions.md #22). Appending kScanPadding NUL bytes after the
// text hides the end from the faulty path: in randomized differential tests
// (millions of scans, random literal sets, alignments and lengths) no match is
// missed with the padding, while about 1 in 27,000 is missed without it.
// No literal we compile contains NUL, so the padding can never match.
#pragma once

#include <hs/hs.h>

#include <string>
#include <string_view>

namespace inari::sigma {

inline constexpr size_t kScanPadding = 64;

// Appends the padding to a buffer that is about to be scanned.
inline void PadForScan(std::string* buf) { buf->append(kScanPadding, '\0'); }

// Scans `text` (copied into `*buf` with the padding). Returns hs_scan's result.
hs_error_t ScanPadded(const hs_database_t* db, hs_scratch_t* scratch, std::string_view text, std::string* buf,
                      match_event_handler on_match, void* context);

}  // namespace inari::sigma
