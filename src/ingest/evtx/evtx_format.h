// Constants and little-endian readers for the EVTX file format
// (docs/evtx.md has the layout with sources).
#pragma once

#include <cstdint>
#include <cstring>

namespace inari::evtx {

inline constexpr size_t kFileHeaderSize = 4096;  // the header block
inline constexpr size_t kChunkSize = 65536;
inline constexpr size_t kChunkHeaderSize = 512;  // header + string and template offset tables
inline constexpr size_t kRecordHeaderSize = 24;
inline constexpr uint32_t kRecordMagic = 0x00002a2a;
inline constexpr char kFileMagic[8] = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};
inline constexpr char kChunkMagic[8] = {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};
inline constexpr uint32_t kFileFlagDirty = 0x1;
inline constexpr uint32_t kFileFlagFull = 0x2;

// BinXML tokens (low nibble; 0x40 marks "more" / attributes present).
enum Token : uint8_t {
  kEndOfFragment = 0x00,
  kOpenStartElement = 0x01,
  kCloseStartElement = 0x02,
  kCloseEmptyElement = 0x03,
  kEndElement = 0x04,
  kValueText = 0x05,
  kAttribute = 0x06,
  kCDataSection = 0x07,
  kCharRef = 0x08,
  kEntityRef = 0x09,
  kPITarget = 0x0a,
  kPIData = 0x0b,
  kTemplateInstance = 0x0c,
  kNormalSubstitution = 0x0d,
  kOptionalSubstitution = 0x0e,
  kFragmentHeader = 0x0f,
};

// Substitution value types.
enum ValueKind : uint8_t {
  kNullType = 0x00,
  kWString = 0x01,
  kAnsiString = 0x02,
  kInt8 = 0x03,
  kUInt8 = 0x04,
  kInt16 = 0x05,
  kUInt16 = 0x06,
  kInt32 = 0x07,
  kUInt32 = 0x08,
  kInt64 = 0x09,
  kUInt64 = 0x0a,
  kReal32 = 0x0b,
  kReal64 = 0x0c,
  kBoolType = 0x0d,
  kBinaryType = 0x0e,
  kGuidType = 0x0f,
  kSizeT = 0x10,
  kFileTime = 0x11,
  kSystemTime = 0x12,
  kSidType = 0x13,
  kHexInt32 = 0x14,
  kHexInt64 = 0x15,
  kEvtHandle = 0x20,
  kBinXml = 0x21,
  kEvtXml = 0x23,
  kArrayFlag = 0x80,
};

inline uint16_t Le16(const uint8_t* p) { uint16_t v; std::memcpy(&v, p, 2); return v; }
inline uint32_t Le32(const uint8_t* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }
inline uint64_t Le64(const uint8_t* p) { uint64_t v; std::memcpy(&v, p, 8); return v; }

}  // namespace inari::evtx
