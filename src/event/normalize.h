// Types the well-known System fields the same way whatever the input: a reader
// that only has text (JSON, EVTX records stored as plain XML) turns
// EventID/Version/Level/Task/Opcode/EventRecordID/Execution_* "4624" into an
// unsigned integer, Keywords "0x8020..." into hex, and TimeCreated_SystemTime
// text into a time. Other fields and values that do not parse are returned
// unchanged, so nothing is lost.
#pragma once

#include "inari/event.h"

namespace inari {

Value NormalizeWellKnown(FieldId id, const Value& v);

}  // namespace inari
