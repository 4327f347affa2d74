#include "ingest/evtx/binxml.h"

#include <fmt/format.h>

#include <cstring>

#include "base/time.h"
#include "base/utf.h"
#include "event/normalize.h"
#include "ingest/evtx/evtx_format.h"

namespace inari::evtx {

namespace {

constexpr int kMaxNesting = 8;      // BinXML values inside BinXML values
constexpr size_t kMaxElementDepth = 64;

Status Bad(std::string_view what, size_t pos) {
  return Status::Corruption(fmt::format("binxml at chunk offset 0x{:x}", pos), what);
}

// Bounded little-endian reader over [p, end).
struct Cursor {
  const uint8_t* p;
  const uint8_t* end;
  bool Has(size_t n) const { return static_cast<size_t>(end - p) >= n; }
};

void AppendUtf8Codepoint(uint32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

void AppendUtf16(const uint8_t* p, size_t units, std::string* out) {
  size_t old = out->size();
  out->resize(old + Utf8BoundForUtf16(units));
  size_t n = Utf16LeToUtf8(p, units, out->data() + old, /*stop_at_nul=*/false);
  out->resize(old + n);
  while (out->size() > old && out->back() == '\0') out->pop_back();
}

size_t FixedElementSize(uint8_t t) {
  switch (t) {
    case kInt8: case kUInt8: return 1;
    case kInt16: case kUInt16: return 2;
    case kInt32: case kUInt32: case kReal32: case kBoolType: case kHexInt32: return 4;
    case kInt64: case kUInt64: case kReal64: case kFileTime: case kHexInt64: case kSizeT: return 8;
    case kGuidType: case kSystemTime: return 16;
    default: return 0;
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Compiler: one pass over a template body (or a template-less fragment).

// An open element while compiling. Kept in ChunkParser's scratch and reused,
// so a warm compiler allocates nothing per element.
struct CompileElem {
  std::string_view name;  // points into ChunkParser::names_ (stable for the chunk)
  Section section = Section::kRoot;
  uint8_t depth = 0;
  std::vector<Piece> content;
  std::vector<Piece> name_pieces;  // <Data Name="...">
  bool has_name_attr = false;
  bool has_children = false;
  bool emitted_attr = false;
};

struct ChunkParser::CompileScratch {
  std::vector<CompileElem> elems;  // elems[0 .. depth) are open
  std::vector<Piece> attr_pieces;
  std::string attr_name;
  std::string tmp;
};

class ChunkParser::Compiler {
 public:
  Compiler(ChunkParser* parser, Program* prog, Context ctx)
      : cp_(parser), prog_(prog), ctx_(ctx), sc_(*parser->scratch_) {}

  Status Compile(const uint8_t* p, size_t n, size_t* consumed) {
    Cursor c{p, p + n};
    while (c.p < c.end) {
      const size_t pos = static_cast<size_t>(c.p - cp_->chunk_);
      const uint8_t tok = *c.p;
      if (tok & 0xB0) return Bad(fmt::format("unknown token 0x{:02x}", tok), pos);
      const uint8_t base = tok & 0x0F;
      const bool more = (tok & 0x40) != 0;
      switch (base) {
        case kEndOfFragment:
          ++c.p;
          *consumed = static_cast<size_t>(c.p - p);
          return depth_ == 0 ? Status::OK() : Bad("fragment ends inside an element", pos);
        case kFragmentHeader:
          if (!c.Has(4)) return Bad("truncated fragment header", pos);
          c.p += 4;
          break;
        case kOpenStartElement: {
          // token (1), [dependency id (2)], data size (4), name offset (4). Template
          // definitions carry the dependency id; record-level fragments written by
          // some tools do not. Decide once per fragment from where the name is.
          if (!c.Has(9)) return Bad("truncated element", pos);
          if (has_dependency_id_ < 0) has_dependency_id_ = GuessDependencyId(c, pos);
          const size_t header = has_dependency_id_ ? 11 : 9;
          if (!c.Has(header)) return Bad("truncated element", pos);
          uint32_t name_off = Le32(c.p + header - 4);
          c.p += header;
          std::string_view name;
          if (Status s = Name(name_off, &c, &name); !s.ok()) return s;
          if (more) {
            if (!c.Has(4)) return Bad("truncated attribute list", pos);
            c.p += 4;
          }
          if (depth_ >= kMaxElementDepth) return Bad("elements nested too deep", pos);
          OpenElement(name);
          break;
        }
        case kCloseStartElement:
          FlushAttribute();
          ++c.p;
          break;
        case kCloseEmptyElement:
        case kEndElement:
          FlushAttribute();
          ++c.p;
          if (depth_ == 0) return Bad("end of element without start", pos);
          CloseElement();
          break;
        case kAttribute: {
          FlushAttribute();
          if (!c.Has(5)) return Bad("truncated attribute", pos);
          uint32_t name_off = Le32(c.p + 1);
          c.p += 5;
          std::string_view name;
          if (Status s = Name(name_off, &c, &name); !s.ok()) return s;
          attr_open_ = true;
          sc_.attr_name.assign(name);
          sc_.attr_pieces.clear();
          break;
        }
        case kValueText: {
          if (!c.Has(4)) return Bad("truncated value", pos);
          uint8_t vt = c.p[1];
          uint16_t units = Le16(c.p + 2);
          c.p += 4;
          if (vt != kWString && vt != kAnsiString) return Bad(fmt::format("value token of type 0x{:02x}", vt), pos);
          size_t bytes = vt == kWString ? 2 * size_t{units} : units;
          if (!c.Has(bytes)) return Bad("truncated value text", pos);
          std::string text;
          if (vt == kWString) AppendUtf16(c.p, units, &text);
          else AppendLegacyText(std::string_view(reinterpret_cast<const char*>(c.p), bytes), &text);
          c.p += bytes;
          AddLiteral(text);
          break;
        }
        case kCDataSection: {
          if (!c.Has(3)) return Bad("truncated CDATA", pos);
          uint16_t units = Le16(c.p + 1);
          c.p += 3;
          if (!c.Has(2 * size_t{units})) return Bad("truncated CDATA text", pos);
          std::string text;
          AppendUtf16(c.p, units, &text);
          c.p += 2 * size_t{units};
          AddLiteral(text);
          break;
        }
        case kCharRef: {
          if (!c.Has(3)) return Bad("truncated character reference", pos);
          std::string text;
          AppendUtf8Codepoint(Le16(c.p + 1), &text);
          c.p += 3;
          AddLiteral(text);
          break;
        }
        case kEntityRef: {
          if (!c.Has(5)) return Bad("truncated entity reference", pos);
          uint32_t name_off = Le32(c.p + 1);
          c.p += 5;
          std::string_view name;
          if (Status s = Name(name_off, &c, &name); !s.ok()) return s;
          std::string_view text = name == "amp" ? "&" : name == "lt" ? "<" : name == "gt" ? ">"
                                : name == "quot" ? "\"" : name == "apos" ? "'" : std::string_view();
          if (text.empty()) AddLiteral(fmt::format("&{};", name));
          else AddLiteral(text);
          break;
        }
        case kPITarget: {
          if (!c.Has(5)) return Bad("truncated processing instruction", pos);
          uint32_t name_off = Le32(c.p + 1);
          c.p += 5;
          std::string_view name;
          if (Status s = Name(name_off, &c, &name); !s.ok()) return s;
          break;
        }
        case kPIData: {
          if (!c.Has(3)) return Bad("truncated processing instruction data", pos);
          size_t bytes = 2 * size_t{Le16(c.p + 1)};
          c.p += 3;
          if (!c.Has(bytes)) return Bad("truncated processing instruction data", pos);
          c.p += bytes;
          break;
        }
        case kNormalSubstitution:
        case kOptionalSubstitution: {
          if (!c.Has(4)) return Bad("truncated substitution", pos);
          Piece pc;
          pc.is_subst = true;
          pc.optional = base == kOptionalSubstitution;
          pc.index = Le16(c.p + 1);
          c.p += 4;
          AddPiece(pc);
          break;
        }
        case kTemplateInstance:
          return Status::NotSupported(fmt::format("binxml at chunk offset 0x{:x}", pos),
                                      "template instance inside a template");
        default:
          return Bad(fmt::format("unknown token 0x{:02x}", tok), pos);
      }
    }
    *consumed = n;
    return depth_ == 0 ? Status::OK() : Bad("fragment ends inside an element", static_cast<size_t>(c.p - cp_->chunk_));
  }

 private:
  // 1 if the element at `pos` has the 2-byte dependency id, 0 if not.
  int GuessDependencyId(const Cursor& c, size_t pos) const {
    auto plausible = [&](size_t header) {
      if (!c.Has(header)) return false;
      const size_t name_off = Le32(c.p + header - 4);
      if (name_off == pos + header) return true;  // name defined in place
      return name_off >= 128 && name_off < pos && name_off + 8 <= cp_->size_;  // defined earlier
    };
    if (plausible(11)) return 1;
    if (plausible(9)) return 0;
    return 1;
  }

  Status Name(uint32_t name_off, Cursor* c, std::string_view* out) {
    if (Status s = cp_->ReadName(name_off, out); !s.ok()) return s;
    // A name defined in place follows the token; skip it.
    size_t here = static_cast<size_t>(c->p - cp_->chunk_);
    if (name_off == here) {
      size_t len = 8 + 2 * size_t{Le16(cp_->chunk_ + name_off + 6)} + 2;
      if (!c->Has(len)) return Bad("truncated name", here);
      c->p += len;
    }
    return Status::OK();
  }

  CompileElem& Top() { return sc_.elems[depth_ - 1]; }

  void OpenElement(std::string_view name) {
    if (sc_.elems.size() <= depth_) sc_.elems.emplace_back();
    CompileElem& e = sc_.elems[depth_];
    e.name = name;
    e.content.clear();
    e.name_pieces.clear();
    e.has_name_attr = e.has_children = e.emitted_attr = false;
    if (depth_ == 0) {
      e.depth = ctx_.depth;
      e.section = ctx_.section;
    } else {
      CompileElem& parent = sc_.elems[depth_ - 1];
      parent.has_children = true;
      e.depth = static_cast<uint8_t>(parent.depth + 1);
      e.section = parent.section;
    }
    if (e.depth == 0) {
      e.section = Section::kRoot;
    } else if (e.depth == 1) {
      e.section = name == "System" ? Section::kSystem
                : name == "EventData" ? Section::kEventData
                : name == "UserData" ? Section::kUserData : Section::kOther;
    }
    ++depth_;
  }

  void AddLiteral(std::string_view text) {
    Piece pc;
    pc.lit_off = static_cast<uint32_t>(prog_->text.size());
    pc.lit_len = static_cast<uint32_t>(text.size());
    prog_->text.append(text);
    AddPiece(pc);
  }

  void AddPiece(const Piece& pc) {
    if (attr_open_) sc_.attr_pieces.push_back(pc);
    else if (depth_ > 0) Top().content.push_back(pc);
  }

  Context ChildContext(const CompileElem& e) const {
    Context c;
    c.depth = static_cast<uint8_t>(e.depth + 1);
    c.section = e.section;
    return c;
  }

  void FlushAttribute() {
    if (!attr_open_) return;
    attr_open_ = false;
    if (depth_ == 0) return;
    CompileElem& e = Top();
    const std::string& attr = sc_.attr_name;
    if (attr.rfind("xmlns", 0) == 0) return;
    if (e.name == "Data" && attr == "Name" && e.section != Section::kSystem) {
      e.has_name_attr = true;
      e.name_pieces = sc_.attr_pieces;
      return;
    }
    Op op;
    sc_.tmp.assign(e.name);
    sc_.tmp.push_back('_');
    sc_.tmp.append(attr);
    op.id = cp_->Intern(sc_.tmp);
    op.is_attribute = true;
    op.nested = ChildContext(e);
    op.first_piece = static_cast<uint32_t>(prog_->pieces.size());
    op.num_pieces = static_cast<uint32_t>(sc_.attr_pieces.size());
    prog_->pieces.insert(prog_->pieces.end(), sc_.attr_pieces.begin(), sc_.attr_pieces.end());
    if (op.id != kNoField) prog_->ops.push_back(op);
    e.emitted_attr = true;
  }

  void CloseElement() {
    CompileElem& e = Top();
    --depth_;  // e stays valid: elements are reused, not destroyed
    const bool has_content = !e.content.empty();
    // Empty leaves exist as null fields (an empty <Data Name="X"/> is a field X
    // that is present but empty); containers with only children do not.
    const bool empty_leaf = !has_content && !e.has_children && !e.emitted_attr && e.depth >= 2;
    if (!has_content && !empty_leaf) return;
    Op op;
    op.nested = ChildContext(e);
    op.first_piece = static_cast<uint32_t>(prog_->pieces.size());
    op.num_pieces = static_cast<uint32_t>(e.content.size());
    prog_->pieces.insert(prog_->pieces.end(), e.content.begin(), e.content.end());
    if (e.has_name_attr) {
      const bool literal_name = e.name_pieces.size() == 1 && !e.name_pieces[0].is_subst;
      if (literal_name) {
        op.id = cp_->Intern(std::string_view(prog_->text).substr(e.name_pieces[0].lit_off, e.name_pieces[0].lit_len));
      } else if (e.name_pieces.empty()) {
        op.id = field::kData;
      } else {
        op.id = kNoField;
        op.first_name_piece = static_cast<uint32_t>(prog_->pieces.size());
        op.num_name_pieces = static_cast<uint32_t>(e.name_pieces.size());
        prog_->pieces.insert(prog_->pieces.end(), e.name_pieces.begin(), e.name_pieces.end());
      }
    } else {
      op.id = cp_->Intern(e.name);
    }
    if (op.id == kNoField && op.num_name_pieces == 0) return;
    prog_->ops.push_back(op);
  }

  ChunkParser* cp_;
  Program* prog_;
  Context ctx_;
  CompileScratch& sc_;
  size_t depth_ = 0;
  bool attr_open_ = false;
  int has_dependency_id_ = -1;  // unknown until the first element
};

// ---------------------------------------------------------------------------

ChunkParser::ChunkParser() : scratch_(std::make_unique<CompileScratch>()) {}
ChunkParser::~ChunkParser() = default;

FieldId ChunkParser::Intern(std::string_view name) {
  auto it = field_cache_.find(name);
  if (it != field_cache_.end()) return it->second;
  FieldId id = InternField(name);
  field_cache_.emplace(std::string(name), id);
  return id;
}

void ChunkParser::Reset(const uint8_t* chunk, size_t size) {
  chunk_ = chunk;
  size_ = size;
  for (auto& [key, prog] : programs_) {
    prog->Clear();
    spare_programs_.push_back(std::move(prog));
  }
  programs_.clear();
  names_.clear();
  values_.clear();
}

Status ChunkParser::ReadName(uint32_t offset, std::string_view* out) {
  auto it = names_.find(offset);
  if (it != names_.end()) {
    *out = it->second;
    return Status::OK();
  }
  if (offset < 128 || size_t{offset} + 8 > size_) return Bad(fmt::format("name offset 0x{:x} outside the chunk", offset), offset);
  size_t units = Le16(chunk_ + offset + 6);
  if (size_t{offset} + 8 + 2 * units > size_) return Bad("name runs past the chunk", offset);
  std::string name;
  AppendUtf16(chunk_ + offset + 8, units, &name);
  auto [pos, inserted] = names_.emplace(offset, std::move(name));
  *out = pos->second;
  return Status::OK();
}

Status ChunkParser::GetTemplate(uint32_t def_offset, Context ctx, const Program** out) {
  const uint64_t key = uint64_t{def_offset} | (uint64_t{static_cast<uint8_t>(ctx.section)} << 32) |
                       (uint64_t{ctx.depth} << 40);
  auto it = programs_.find(key);
  if (it != programs_.end()) {
    *out = it->second.get();
    return Status::OK();
  }
  if (def_offset < kChunkHeaderSize || size_t{def_offset} + 24 > size_)
    return Bad(fmt::format("template definition offset 0x{:x} outside the chunk", def_offset), def_offset);
  uint32_t data_size = Le32(chunk_ + def_offset + 20);
  if (size_t{def_offset} + 24 + data_size > size_) return Bad("template definition runs past the chunk", def_offset);
  std::unique_ptr<Program> prog;
  if (!spare_programs_.empty()) {
    prog = std::move(spare_programs_.back());
    spare_programs_.pop_back();
  } else {
    prog = std::make_unique<Program>();
  }
  Compiler compiler(this, prog.get(), ctx);
  size_t consumed = 0;
  if (Status s = compiler.Compile(chunk_ + def_offset + 24, data_size, &consumed); !s.ok()) {
    prog->Clear();
    spare_programs_.push_back(std::move(prog));
    return s;
  }
  ++templates_compiled_;
  *out = prog.get();
  programs_.emplace(key, std::move(prog));
  return Status::OK();
}

Status ChunkParser::ParseRecord(const uint8_t* p, size_t n, EventBatch* batch) {
  size_t consumed = 0;
  values_.clear();
  Context ctx;
  return ExecuteFragment(p, n, ctx, batch, 0, &consumed);
}

Status ChunkParser::ExecuteFragment(const uint8_t* p, size_t n, Context ctx, EventBatch* b, int nesting,
                                    size_t* consumed) {
  if (nesting > kMaxNesting) return Bad("binxml values nested too deep", static_cast<size_t>(p - chunk_));
  Cursor c{p, p + n};
  while (c.p < c.end) {
    const size_t pos = static_cast<size_t>(c.p - chunk_);
    const uint8_t tok = *c.p;
    if (tok == kFragmentHeader) {
      if (!c.Has(4)) return Bad("truncated fragment header", pos);
      c.p += 4;
      continue;
    }
    if (tok == kEndOfFragment) {
      ++c.p;
      break;
    }
    if (tok != kTemplateInstance) {
      // Elements without a template: compile in place (not cached).
      Program local;
      Compiler compiler(this, &local, ctx);
      size_t used = 0;
      if (Status s = compiler.Compile(c.p, static_cast<size_t>(c.end - c.p), &used); !s.ok()) return s;
      c.p += used;
      if (Status s = Run(local, values_.size(), 0, b, nesting); !s.ok()) return s;
      break;
    }
    // Template instance: token, unknown (1), template id (4), definition offset (4).
    if (!c.Has(10)) return Bad("truncated template instance", pos);
    uint32_t def_offset = Le32(c.p + 6);
    c.p += 10;
    size_t here = static_cast<size_t>(c.p - chunk_);
    if (def_offset >= here && def_offset < here + static_cast<size_t>(c.end - c.p)) {
      // The definition is stored in place: next offset (4), GUID (16), size (4), body.
      size_t skip_to = def_offset - here;
      if (!c.Has(skip_to + 24)) return Bad("truncated template definition", here);
      uint32_t data_size = Le32(c.p + skip_to + 20);
      if (!c.Has(skip_to + 24 + size_t{data_size})) return Bad("truncated template definition", here);
      c.p += skip_to + 24 + data_size;
    }
    const Program* prog = nullptr;
    if (Status s = GetTemplate(def_offset, ctx, &prog); !s.ok()) return s;
    // Substitution values: count (4), descriptors (size 2, type 1, pad 1), data.
    const size_t vpos = static_cast<size_t>(c.p - chunk_);
    if (!c.Has(4)) return Bad("truncated substitution array", vpos);
    uint32_t count = Le32(c.p);
    c.p += 4;
    if (size_t{count} * 4 > static_cast<size_t>(c.end - c.p)) return Bad("substitution count exceeds record", vpos);
    const uint8_t* desc = c.p;
    c.p += size_t{count} * 4;
    const size_t vbase = values_.size();
    for (uint32_t i = 0; i < count; ++i) {
      uint16_t size = Le16(desc + 4 * i);
      uint8_t type = desc[4 * i + 2];
      if (!c.Has(size)) {
        values_.resize(vbase);
        return Bad(fmt::format("substitution {} runs past the record", i), vpos);
      }
      values_.push_back(ValueRef{c.p, size, type});
      c.p += size;
    }
    Status s = Run(*prog, vbase, count, b, nesting);
    values_.resize(vbase);
    if (!s.ok()) return s;
  }
  *consumed = static_cast<size_t>(c.p - p);
  return Status::OK();
}

FieldId ChunkParser::DynamicName(const Program& prog, const Op& op, size_t vbase, size_t vcount) {
  text_.clear();
  for (uint32_t k = 0; k < op.num_name_pieces; ++k) {
    const Piece& pc = prog.pieces[op.first_name_piece + k];
    if (!pc.is_subst) {
      text_.append(prog.text, pc.lit_off, pc.lit_len);
    } else if (pc.index < vcount) {
      ValueRef v = values_[vbase + pc.index];
      if (v.type != kBinXml) AppendValueText(v, &text_);
    }
  }
  return text_.empty() ? field::kData : InternField(text_);
}

Status ChunkParser::Run(const Program& prog, size_t vbase, size_t vcount, EventBatch* b, int nesting) {
  for (const Op& op : prog.ops) {
    FieldId id = op.id;
    if (id == kNoField) {
      id = DynamicName(prog, op, vbase, vcount);
      if (id == kNoField) continue;
    }
    if (op.num_pieces == 1) {
      const Piece& pc = prog.pieces[op.first_piece];
      if (!pc.is_subst) {
        Value lit = Value::String(b->CopyString(std::string_view(prog.text).substr(pc.lit_off, pc.lit_len)));
        b->Add(id, id < field::kNumWellKnown ? NormalizeWellKnown(id, lit) : lit);
        continue;
      }
      if (pc.index >= vcount) {
        if (!op.is_attribute) b->Add(id, Value::Null());
        continue;
      }
      const ValueRef& v = values_[vbase + pc.index];
      if (v.type == kBinXml) {
        size_t used = 0;
        ValueRef copy = v;  // values_ may grow during the nested run
        if (Status s = ExecuteFragment(copy.data, copy.size, op.nested, b, nesting + 1, &used); !s.ok()) return s;
        continue;
      }
      AddValue(id, v, op.is_attribute, b);
      continue;
    }
    if (op.num_pieces == 0) {
      if (!op.is_attribute) b->Add(id, Value::Null());
      continue;
    }
    // Mixed content: concatenate the text of every piece.
    std::string text;
    bool had_nested = false;
    for (uint32_t k = 0; k < op.num_pieces; ++k) {
      const Piece& pc = prog.pieces[op.first_piece + k];
      if (!pc.is_subst) {
        text.append(prog.text, pc.lit_off, pc.lit_len);
        continue;
      }
      if (pc.index >= vcount) continue;
      ValueRef v = values_[vbase + pc.index];
      if (v.type == kBinXml) {
        had_nested = true;
        size_t used = 0;
        if (Status s = ExecuteFragment(v.data, v.size, op.nested, b, nesting + 1, &used); !s.ok()) return s;
        continue;
      }
      AppendValueText(v, &text);
    }
    if (!text.empty()) {
      Value v = Value::String(b->CopyString(text));
      b->Add(id, id < field::kNumWellKnown ? NormalizeWellKnown(id, v) : v);
    }
    else if (!op.is_attribute && !had_nested) b->Add(id, Value::Null());
  }
  return Status::OK();
}

namespace {

// Converts one scalar substitution value. Returns false for a null value.
bool ConvertScalar(uint8_t type, const uint8_t* d, size_t n, EventBatch* b, Value* out) {
  switch (type) {
    case kNullType:
      return false;
    case kWString: {
      size_t units = n / 2;
      while (units > 0 && d[2 * units - 2] == 0 && d[2 * units - 1] == 0) --units;
      if (units == 0) {
        *out = Value::String({});
        return true;
      }
      char* dst = b->arena()->Allocate(Utf8BoundForUtf16(units));
      size_t len = Utf16LeToUtf8(d, units, dst, /*stop_at_nul=*/false);
      b->arena()->Shrink(dst, Utf8BoundForUtf16(units), len);
      *out = Value::String({dst, len});
      return true;
    }
    case kAnsiString: {
      while (n > 0 && d[n - 1] == 0) --n;
      std::string_view raw(reinterpret_cast<const char*>(d), n);
      if (IsValidUtf8(raw)) {
        *out = Value::String(raw);
      } else {
        std::string tmp;
        AppendLegacyText(raw, &tmp);
        *out = Value::String(b->CopyString(tmp));
      }
      return true;
    }
    case kInt8: if (n < 1) return false; *out = Value::Int(static_cast<int8_t>(d[0])); return true;
    case kUInt8: if (n < 1) return false; *out = Value::UInt(d[0]); return true;
    case kInt16: if (n < 2) return false; *out = Value::Int(static_cast<int16_t>(Le16(d))); return true;
    case kUInt16: if (n < 2) return false; *out = Value::UInt(Le16(d)); return true;
    case kInt32: if (n < 4) return false; *out = Value::Int(static_cast<int32_t>(Le32(d))); return true;
    case kUInt32: if (n < 4) return false; *out = Value::UInt(Le32(d)); return true;
    case kInt64: if (n < 8) return false; *out = Value::Int(static_cast<int64_t>(Le64(d))); return true;
    case kUInt64: if (n < 8) return false; *out = Value::UInt(Le64(d)); return true;
    case kReal32: {
      if (n < 4) return false;
      float f;
      std::memcpy(&f, d, 4);
      *out = Value::Double(f);
      return true;
    }
    case kReal64: {
      if (n < 8) return false;
      double f;
      std::memcpy(&f, d, 8);
      *out = Value::Double(f);
      return true;
    }
    case kBoolType:
      if (n < 1) return false;
      *out = Value::Bool(n >= 4 ? Le32(d) != 0 : d[0] != 0);
      return true;
    case kBinaryType:
      *out = Value::Bytes(ValueType::kBinary, d, n);
      return true;
    case kGuidType:
      if (n < 16) return false;
      *out = Value::Bytes(ValueType::kGuid, d, 16);
      return true;
    case kSizeT:
    case kEvtHandle:
      if (n >= 8) *out = Value::Hex(Le64(d));
      else if (n >= 4) *out = Value::Hex(Le32(d));
      else return false;
      return true;
    case kFileTime: {
      if (n < 8) return false;
      const uint64_t ft = Le64(d);
      if (FileTimeInNanosRange(ft)) {
        *out = Value::Time(FileTimeToUnixNanos(ft));
      } else {  // e.g. 0 = 1601-01-01, Windows' "never": exact text instead
        std::string text;
        AppendFileTimeIso8601(ft, &text);
        *out = Value::String(b->CopyString(text));
      }
      return true;
    }
    case kSystemTime: {
      if (n < 16) return false;
      int64_t t = SystemTimeToUnixNanos(Le16(d), Le16(d + 2), Le16(d + 6), Le16(d + 8), Le16(d + 10),
                                        Le16(d + 12), Le16(d + 14));
      if (t != kNoTime) {
        *out = Value::Time(t);
      } else if (Le16(d + 2) >= 1 && Le16(d + 2) <= 12 && Le16(d + 6) >= 1 && Le16(d + 6) <= 31) {
        // A valid date outside the ns range (year < 1678): exact text.
        *out = Value::String(b->CopyString(fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}0000Z", Le16(d),
                                                       Le16(d + 2), Le16(d + 6), Le16(d + 8), Le16(d + 10),
                                                       Le16(d + 12), Le16(d + 14))));
      } else {
        *out = Value::Bytes(ValueType::kBinary, d, n);
      }
      return true;
    }
    case kSidType:
      if (n < 8) return false;
      *out = Value::Bytes(ValueType::kSid, d, n);
      return true;
    case kHexInt32: if (n < 4) return false; *out = Value::Hex(Le32(d)); return true;
    case kHexInt64: if (n < 8) return false; *out = Value::Hex(Le64(d)); return true;
    case kEvtXml: {
      size_t units = n / 2;
      char* dst = b->arena()->Allocate(Utf8BoundForUtf16(units) + 1);
      size_t len = Utf16LeToUtf8(d, units, dst, true);
      *out = Value::String({dst, len});
      return true;
    }
    default:
      *out = Value::Bytes(ValueType::kBinary, d, n);
      return true;
  }
}

// Splits an array value into its elements and calls fn(Value) for each.
template <typename Fn>
void ForEachArrayElement(uint8_t type, const uint8_t* d, size_t n, EventBatch* b, Fn fn) {
  const uint8_t base = type & 0x7F;
  if (base == kWString) {
    size_t units = n / 2, start = 0;
    for (size_t i = 0; i <= units; ++i) {
      if (i == units || (d[2 * i] == 0 && d[2 * i + 1] == 0)) {
        if (i > start || i < units) {
          Value v;
          if (ConvertScalar(kWString, d + 2 * start, 2 * (i - start), b, &v)) fn(v);
        }
        start = i + 1;
      }
    }
    return;
  }
  if (base == kAnsiString) {
    size_t start = 0;
    for (size_t i = 0; i <= n; ++i) {
      if (i == n || d[i] == 0) {
        if (i > start) {
          Value v;
          if (ConvertScalar(kAnsiString, d + start, i - start, b, &v)) fn(v);
        }
        start = i + 1;
      }
    }
    return;
  }
  if (base == kSidType) {
    // SIDs are variable length: 8 + 4 * sub-authority count.
    size_t off = 0;
    while (off + 8 <= n) {
      size_t len = 8 + 4 * size_t{d[off + 1]};
      if (off + len > n) break;
      fn(Value::Bytes(ValueType::kSid, d + off, len));
      off += len;
    }
    return;
  }
  size_t el = FixedElementSize(base);
  if (el == 0) {
    fn(Value::Bytes(ValueType::kBinary, d, n));
    return;
  }
  for (size_t off = 0; off + el <= n; off += el) {
    Value v;
    if (ConvertScalar(base, d + off, el, b, &v)) fn(v);
  }
}

}  // namespace

void ChunkParser::AddValue(FieldId id, const ValueRef& v, bool is_attribute, EventBatch* b) {
  if (v.type & kArrayFlag) {
    bool any = false;
    ForEachArrayElement(v.type, v.data, v.size, b, [&](const Value& x) {
      b->Add(id, x);
      any = true;
    });
    if (!any && !is_attribute) b->Add(id, Value::Null());
    return;
  }
  Value x;
  if (v.size > 0 && ConvertScalar(v.type, v.data, v.size, b, &x)) {
    b->Add(id, x);
  } else if (!is_attribute) {
    b->Add(id, Value::Null());
  }
}

void ChunkParser::AppendValueText(const ValueRef& v, std::string* out) {
  if (v.type == kWString) {
    AppendUtf16(v.data, v.size / 2, out);
    return;
  }
  if (v.type == kAnsiString) {
    size_t n = v.size;
    while (n > 0 && v.data[n - 1] == 0) --n;
    AppendLegacyText(std::string_view(reinterpret_cast<const char*>(v.data), n), out);
    return;
  }
  if (v.type & kArrayFlag) {
    // Rare: arrays inside mixed content render as comma-separated text.
    EventBatch tmp;
    bool first = true;
    ForEachArrayElement(v.type, v.data, v.size, &tmp, [&](const Value& x) {
      if (!first) out->push_back(',');
      first = false;
      x.AppendText(out);
    });
    return;
  }
  EventBatch tmp;
  Value x;
  if (v.size > 0 && ConvertScalar(v.type, v.data, v.size, &tmp, &x)) x.AppendText(out);
}

}  // namespace inari::evtx
