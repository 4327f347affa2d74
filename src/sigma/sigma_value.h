// A value as written in a Sigma rule (YAML scalar), before compilation.
//
// Sigma YAML scalars are typed by YAML: `4688` is an integer, `'4688'` a
// string, `true` a boolean, `~`/`null` null. The type matters for matching
// (docs/sigma.md, "Type policy"), so the loader keeps it. `line` is the
// 1-based line in the rule file (0 if unknown), for error messages.
#pragma once

#include <cstdint>
#include <string>

namespace inari::sigma {

struct SigmaValue {
  enum class Kind : uint8_t { kString, kInt, kFloat, kBool, kNull };
  Kind kind = Kind::kNull;
  std::string text;  // the scalar as written (for kString: the string itself, escapes not yet interpreted)
  int64_t i = 0;     // kInt
  double d = 0;      // kFloat
  bool b = false;    // kBool
  int line = 0;

  static SigmaValue String(std::string s, int line = 0) { SigmaValue v; v.kind = Kind::kString; v.text = std::move(s); v.line = line; return v; }
  static SigmaValue Int(int64_t x, std::string text, int line = 0) { SigmaValue v; v.kind = Kind::kInt; v.i = x; v.text = std::move(text); v.line = line; return v; }
  static SigmaValue Float(double x, std::string text, int line = 0) { SigmaValue v; v.kind = Kind::kFloat; v.d = x; v.text = std::move(text); v.line = line; return v; }
  static SigmaValue Bool(bool x, int line = 0) { SigmaValue v; v.kind = Kind::kBool; v.b = x; v.text = x ? "true" : "false"; v.line = line; return v; }
  static SigmaValue Null(int line = 0) { SigmaValue v; v.kind = Kind::kNull; v.line = line; return v; }
};

}  // namespace inari::sigma
