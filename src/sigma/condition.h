// Sigma condition expressions (rules specification, "Condition").
//
// Grammar (least to most binding: or, and, not, "x of", parentheses):
//
//   condition  := or_expr
//   or_expr    := and_expr ( "or" and_expr )*
//   and_expr   := not_expr ( "and" not_expr )*
//   not_expr   := "not" not_expr | primary
//   primary    := "(" or_expr ")"
//              |  quantifier "of" ( "them" | PATTERN )
//              |  IDENTIFIER
//   quantifier := "1" | "any" | "all"
//   IDENTIFIER := [A-Za-z0-9_.-]+        (a search identifier of the detection)
//   PATTERN    := IDENTIFIER with "*" wildcards
//
// Keywords are case-insensitive ("AND", "Not"); identifiers are not. "them"
// means every search identifier not starting with "_". A rule's condition may
// be a list of such strings, linked by OR (the loader joins them).
//
// ParseCondition checks the text against the detection's identifiers: an
// unknown identifier, a pattern that matches none, an empty expression,
// unbalanced parentheses or a dangling operator are errors whose message
// names the position (column) in the condition text.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "inari/result.h"

namespace inari::sigma {

struct CondNode {
  enum class Kind { kAnd, kOr, kNot, kIdentifier };
  Kind kind = Kind::kIdentifier;
  std::string identifier;                        // kIdentifier
  std::vector<std::unique_ptr<CondNode>> children;  // kAnd/kOr: 2+, kNot: 1
};

// "1 of sel*" becomes an OR of the matching identifiers, "all of them" an AND
// of all non-underscore identifiers, so the tree holds only and/or/not/ident.
Result<std::unique_ptr<CondNode>> ParseCondition(std::string_view text,
                                                 const std::vector<std::string>& identifiers);

// For messages and tests: "(a and (not b))".
std::string ToString(const CondNode& node);

// The loader's issue code for a ParseCondition error: "unsupported-aggregation"
// for the deprecated pipe syntax ("sel | count() > 5", a NotSupported status),
// "bad-condition" for everything else.
std::string_view ConditionErrorCode(const Status& error);

}  // namespace inari::sigma
