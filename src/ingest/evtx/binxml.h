// BinXML → flat fields, for one EVTX chunk at a time.
//
// EVTX records are BinXML: usually a template instance (a reference to a
// template definition stored once per chunk, plus the record's substitution
// values). ChunkParser compiles each template once per chunk into a Program —
// the list of fields the template produces and, for each, which literal text
// or substitution value makes its value — and then runs the program for every
// record that uses it. Naming follows docs/event-model.md.
//
// Lifetime: values added to the batch point into the chunk (binary, GUID, SID)
// or into the batch arena (text); the caller keeps the file mapping alive with
// EventBatch::Retain. Not thread-safe: one ChunkParser per thread; distinct
// chunks of one file may be parsed by distinct threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "inari/event.h"
#include "inari/status.h"

namespace inari::evtx {

enum class Section : uint8_t { kRoot, kSystem, kEventData, kUserData, kOther };

// Where in the Event tree a fragment's top elements sit.
struct Context {
  Section section = Section::kRoot;
  uint8_t depth = 0;  // depth of the fragment's top-level elements (Event = 0)
};

struct Piece {
  bool is_subst = false;
  bool optional = false;
  uint16_t index = 0;     // substitution index
  uint32_t lit_off = 0;   // literal: UTF-8 text in Program::text
  uint32_t lit_len = 0;
};

struct Op {
  FieldId id = kNoField;  // kNoField: the name is the text of the name pieces (a <Data Name=%n>)
  uint32_t first_piece = 0, num_pieces = 0;
  uint32_t first_name_piece = 0, num_name_pieces = 0;
  Context nested;         // context for BinXML substitution values among the pieces
  bool is_attribute = false;
};

struct Program {
  std::vector<Op> ops;
  std::vector<Piece> pieces;
  std::string text;
  void Clear() { ops.clear(); pieces.clear(); text.clear(); }
};

class ChunkParser {
 public:
  ChunkParser();
  ~ChunkParser();
  ChunkParser(const ChunkParser&) = delete;
  ChunkParser& operator=(const ChunkParser&) = delete;
  // Starts a chunk: `chunk` points at its first byte, `size` is its length.
  void Reset(const uint8_t* chunk, size_t size);
  // Parses the BinXML of one record (`p`, `n` inside the chunk) and adds its
  // fields to the current event of `batch`.
  Status ParseRecord(const uint8_t* p, size_t n, EventBatch* batch);

  size_t templates_compiled() const { return templates_compiled_; }

 private:
  struct ValueRef {
    const uint8_t* data;
    uint16_t size;
    uint8_t type;
  };
  class Compiler;
  struct CompileScratch;
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // Field ids by name, kept across chunks (the registry takes a lock).
  FieldId Intern(std::string_view name);

  Status ExecuteFragment(const uint8_t* p, size_t n, Context ctx, EventBatch* b, int nesting,
                         size_t* consumed);
  Status GetTemplate(uint32_t def_offset, Context ctx, const Program** out);
  Status Run(const Program& prog, size_t vbase, size_t vcount, EventBatch* b, int nesting);
  void AddValue(FieldId id, const ValueRef& v, bool is_attribute, EventBatch* b);
  void AppendValueText(const ValueRef& v, std::string* out);
  FieldId DynamicName(const Program& prog, const Op& op, size_t vbase, size_t vcount);
  Status ReadName(uint32_t offset, std::string_view* out);

  const uint8_t* chunk_ = nullptr;
  size_t size_ = 0;
  std::unordered_map<uint64_t, std::unique_ptr<Program>> programs_;
  std::vector<std::unique_ptr<Program>> spare_programs_;
  std::unordered_map<uint32_t, std::string> names_;
  std::vector<ValueRef> values_;  // substitution values of the templates being run (a stack)
  std::unique_ptr<CompileScratch> scratch_;
  std::unordered_map<std::string, FieldId, NameHash, std::equal_to<>> field_cache_;
  std::string text_;
  size_t templates_compiled_ = 0;
};

}  // namespace inari::evtx
