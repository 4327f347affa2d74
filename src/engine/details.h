// Key fields of an event for a report's Details column, and the text helpers
// the report formats share (escaping, UTF-8 truncation, channel short names).
//
// PickDetails chooses, in order: the rule's `fields:` list (the names present
// in the event), else a built-in choice per (channel, EventID) listed in
// details.cc and docs/cli.md ("Hunt output"), else the event's first
// non-header fields. Values are rendered with Value::AppendText, made safe for
// a terminal and a spreadsheet cell (DisplayText) and capped in length.
//
// Ownership: everything returned is an owned copy; nothing points into the
// event's batch. Thread-safety: all functions may be called from many threads
// at once (the built-in table is built once, on first use).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inari/event.h"
#include "sigma/rule.h"

namespace inari {

// Longest value (in code points) PickDetails keeps; longer ones end in "…".
// ScriptBlockText and other script/payload fields are cut shorter (256).
inline constexpr size_t kMaxDetailValueChars = 1024;

// The key fields of `e` as (field name, display text) pairs, in display
// order, at most `max_fields`. Fields whose text is empty are left out; a
// repeated name gives one pair, its values joined with ", ".
std::vector<std::pair<std::string, std::string>> PickDetails(const EventView& e,
                                                             const sigma::RuleInfo& rule,
                                                             size_t max_fields = 6);
// The same into `details`, whose strings are reused (no allocation once warm).
void PickDetails(const EventView& e, const sigma::RuleInfo& rule,
                 std::vector<std::pair<std::string, std::string>>* details, size_t max_fields = 6);

// Appends `s` with everything that could mislead or drive a terminal written
// as visible escapes: \n \r \t; other C0 controls and DEL as \xHH; C1
// controls and bidirectional overrides (U+200E/F, U+202A-E, U+2066-9, as used
// to disguise "invoice\u202Efdp.exe") as \uHHHH; bytes that are not UTF-8 as
// \xHH. Backslashes are left alone (Windows paths stay readable), so the
// escaping is for display only, not reversible.
void AppendDisplayText(std::string_view s, std::string* out);
std::string DisplayText(std::string_view s);

// Number of code points of valid UTF-8 text (the display width the table
// assumes: one column per code point).
size_t Utf8Length(std::string_view s);
// Cuts `s` to at most `max_chars` code points, the last being "…", never
// inside a UTF-8 sequence. Returns true if it cut. max_chars 0 = no limit.
bool TruncateUtf8(std::string* s, size_t max_chars);

// Short name of a channel for the terminal table ("Sysmon", "Security",
// "PwSh", "RDP-RCM", ...; table in details.cc and docs/cli.md). Unknown
// channels lose a "Microsoft-Windows-" prefix and an "/Operational" suffix.
// The result views a static string or part of `channel`.
std::string_view ChannelShortName(std::string_view channel);

// True for the <System> header fields (EventID … Provider_EventSourceName):
// they have their own report columns, so Details and ExtraFieldInfo skip them.
inline bool IsHeaderField(FieldId id) { return id < field::kData; }

}  // namespace inari
