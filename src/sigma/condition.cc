// Sigma condition parser: a hand-written recursive-descent parser over the
// grammar in condition.h. Quantifiers ("1 of sel*", "all of them") are
// resolved against the detection's identifiers while parsing, so the tree
// holds only and/or/not/identifier nodes.
#include "sigma/condition.h"
#include "base/ascii.h"

#include <fmt/format.h>

#include <cstddef>
#include <string>
#include <utility>

namespace inari::sigma {
namespace {

enum class Tok { kWord, kLParen, kRParen, kAnd, kOr, kNot, kOf, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string_view text;
  size_t column = 0;  // 1-based
};

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '*';
}

// '*' matches any run of characters (also none); everything else literally.
bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string Describe(const Token& t) {
  if (t.kind == Tok::kEnd) return "the end of the condition";
  return fmt::format("'{}'", t.text);
}

class Parser {
 public:
  Parser(std::string_view text, const std::vector<std::string>& identifiers)
      : text_(text), identifiers_(identifiers) {}

  Result<std::unique_ptr<CondNode>> Parse() {
    // The deprecated aggregation syntax is reported before anything else so
    // that "sel | count() by x > 5" names the pipe, not the '>' after it.
    if (size_t bar = text_.find('|'); bar != std::string_view::npos) {
      return Status::NotSupported(fmt::format(
          "column {}: '|' starts an aggregation expression (e.g. '| count() > 5'), deprecated "
          "Sigma "
          "syntax: write a correlation rule (Sigma correlation rules specification) instead",
          bar + 1));
    }
    if (Status s = Tokenize(); !s.ok()) return s;
    if (tokens_.size() == 1) return Error(tokens_[0], "empty condition");
    auto node = ParseOr();
    if (!node.has_value()) return node;
    const Token& t = Peek();
    if (t.kind == Tok::kRParen) return Error(t, "')' has no matching '('");
    if (t.kind != Tok::kEnd) {
      return Error(t, fmt::format("unexpected {} after a complete expression (missing 'and'/'or'?)",
                                  Describe(t)));
    }
    return node;
  }

 private:
  [[gnu::noinline]] Status Error(const Token& t, std::string_view what) const {
    return Status::ParseError(fmt::format("column {}: {}", t.column, what));
  }

  Status Tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      char c = text_[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
        continue;
      }
      Token t;
      t.column = i + 1;
      if (c == '(' || c == ')') {
        t.kind = c == '(' ? Tok::kLParen : Tok::kRParen;
        t.text = text_.substr(i, 1);
        ++i;
      } else if (IsWordChar(c)) {
        size_t start = i;
        while (i < text_.size() && IsWordChar(text_[i])) ++i;
        t.text = text_.substr(start, i - start);
        t.kind = EqualsIgnoreAsciiCase(t.text, "and")   ? Tok::kAnd
                 : EqualsIgnoreAsciiCase(t.text, "or")  ? Tok::kOr
                 : EqualsIgnoreAsciiCase(t.text, "not") ? Tok::kNot
                 : EqualsIgnoreAsciiCase(t.text, "of")  ? Tok::kOf
                                                   : Tok::kWord;
      } else {
        size_t len = 1;
        // Name the whole UTF-8 character, not one byte of it.
        if (static_cast<unsigned char>(c) >= 0xC0) {
          while (i + len < text_.size() &&
                 (static_cast<unsigned char>(text_[i + len]) & 0xC0) == 0x80)
            ++len;
        }
        return Status::ParseError(fmt::format(
            "column {}: unexpected character '{}' (identifiers are letters, digits, '_', '.', '-')",
            i + 1, text_.substr(i, len)));
      }
      tokens_.push_back(t);
    }
    Token end;
    end.kind = Tok::kEnd;
    end.column = text_.size() + 1;
    tokens_.push_back(end);
    return Status::OK();
  }

  const Token& Peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return tokens_[i < tokens_.size() ? i : tokens_.size() - 1];
  }
  const Token& Next() {
    const Token& t = Peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return t;
  }

  using NodeResult = Result<std::unique_ptr<CondNode>>;

  NodeResult ParseBinary(Tok op, CondNode::Kind kind, NodeResult (Parser::*operand)()) {
    NodeResult first = (this->*operand)();
    if (!first.has_value()) return first;
    if (Peek().kind != op) return first;
    auto node = std::make_unique<CondNode>();
    node->kind = kind;
    node->children.push_back(std::move(first).value());
    while (Peek().kind == op) {
      Next();
      NodeResult rhs = (this->*operand)();
      if (!rhs.has_value()) return rhs;
      node->children.push_back(std::move(rhs).value());
    }
    return node;
  }

  NodeResult ParseOr() { return ParseBinary(Tok::kOr, CondNode::Kind::kOr, &Parser::ParseAnd); }
  NodeResult ParseAnd() { return ParseBinary(Tok::kAnd, CondNode::Kind::kAnd, &Parser::ParseNot); }

  // Nesting ("((((" or "not not not") is bounded so that a hostile
  // condition cannot exhaust the stack.
  static constexpr int kMaxDepth = 200;  // SigmaHQ's deepest parentheses nest 2
  [[gnu::noinline]] Status TooDeep(const Token& t) const {
    return Error(
        t, fmt::format("the condition is nested too deeply (more than {} levels)", kMaxDepth));
  }

  NodeResult ParseNot() {
    if (Peek().kind != Tok::kNot) return ParsePrimary();
    if (++depth_ > kMaxDepth) return TooDeep(Peek());
    Next();
    NodeResult child = ParseNot();
    --depth_;
    if (!child.has_value()) return child;
    auto node = std::make_unique<CondNode>();
    node->kind = CondNode::Kind::kNot;
    node->children.push_back(std::move(child).value());
    return node;
  }

  // What an operand was expected after, for "dangling operator" messages.
  std::string After() const {
    if (pos_ == 0) return "";
    return fmt::format(" after '{}'", tokens_[pos_ - 1].text);
  }

  // ParsePrimary recurses (through ParseOr) for every '(' so its frame stays
  // small: the leaves and the error messages live in functions of their own.
  NodeResult ParsePrimary() {
    const Token& t = Peek();
    if (t.kind == Tok::kLParen) {
      if (++depth_ > kMaxDepth) return TooDeep(t);
      Next();
      if (Peek().kind == Tok::kRParen) return Error(Peek(), "empty parentheses");
      NodeResult inner = ParseOr();
      if (!inner.has_value()) return inner;
      if (Peek().kind != Tok::kRParen) return UnclosedError(t);
      Next();
      --depth_;
      return inner;
    }
    if (t.kind == Tok::kWord) {
      if (Peek(1).kind == Tok::kOf) return ParseQuantifier();
      return ParseIdentifier();
    }
    return PrimaryError(t);
  }

  [[gnu::noinline]] Status UnclosedError(const Token& open) const {
    if (Peek().kind == Tok::kEnd) return Error(open, "'(' is never closed");
    return Error(Peek(), fmt::format("expected ')' or an operator, found {}", Describe(Peek())));
  }

  [[gnu::noinline]] Status PrimaryError(const Token& t) const {
    switch (t.kind) {
      case Tok::kOf:
        return Error(t, "'of' needs a quantifier before it ('1 of', 'any of', 'all of')");
      case Tok::kEnd:
        return Error(
            t,
            fmt::format("expected a search identifier{}, found the end of the condition", After()));
      case Tok::kRParen:
        return Error(t, fmt::format("expected a search identifier{}, found ')'", After()));
      case Tok::kAnd:
      case Tok::kOr:
        return Error(
            t, fmt::format("expected a search identifier{}, found operator '{}'", After(), t.text));
      default:
        return Error(t, "unexpected token");
    }
  }

  [[gnu::noinline]] NodeResult ParseIdentifier() {
    const Token& t = Next();
    if (t.text.find('*') != std::string_view::npos) {
      return Error(
          t,
          fmt::format("wildcard identifier '{}' is only allowed after '1 of', 'any of' or 'all of'",
                      t.text));
    }
    for (const std::string& id : identifiers_) {
      if (id == t.text) {
        auto node = std::make_unique<CondNode>();
        node->identifier = id;
        return node;
      }
    }
    return Error(t, fmt::format("unknown search identifier '{}'{}", t.text, KnownList()));
  }

  [[gnu::noinline]] NodeResult ParseQuantifier() {
    const Token& q = Next();
    bool all;
    if (q.text == "1" || EqualsIgnoreAsciiCase(q.text, "any")) {
      all = false;
    } else if (EqualsIgnoreAsciiCase(q.text, "all")) {
      all = true;
    } else {
      return Error(
          q, fmt::format("unsupported quantifier '{}': use '1 of', 'any of' or 'all of'", q.text));
    }
    Next();  // "of"
    const Token& target = Next();
    if (target.kind != Tok::kWord) {
      return Error(
          target,
          fmt::format("expected 'them' or a search identifier pattern after '{} of', found {}",
                      q.text, Describe(target)));
    }
    std::vector<const std::string*> matched;
    bool them = EqualsIgnoreAsciiCase(target.text, "them");
    for (const std::string& id : identifiers_) {
      bool hit = them ? !id.starts_with('_') : GlobMatch(target.text, id);
      if (hit) matched.push_back(&id);
    }
    if (matched.empty()) {
      if (them)
        return Error(
            target,
            "'them' matches no search identifier (identifiers starting with '_' are excluded)");
      return Error(target, fmt::format("pattern '{}' matches no search identifier{}", target.text,
                                       KnownList()));
    }
    if (matched.size() == 1) {
      auto node = std::make_unique<CondNode>();
      node->identifier = *matched[0];
      return node;
    }
    auto node = std::make_unique<CondNode>();
    node->kind = all ? CondNode::Kind::kAnd : CondNode::Kind::kOr;
    for (const std::string* id : matched) {
      auto leaf = std::make_unique<CondNode>();
      leaf->identifier = *id;
      node->children.push_back(std::move(leaf));
    }
    return node;
  }

  std::string KnownList() const {
    if (identifiers_.empty()) return " (the detection defines none)";
    std::string out = " (defined: ";
    size_t shown = 0;
    for (const std::string& id : identifiers_) {
      if (shown == 12) {
        out += fmt::format(", … {} more", identifiers_.size() - shown);
        break;
      }
      if (shown++) out += ", ";
      out += id;
    }
    out += ")";
    return out;
  }

  std::string_view text_;
  const std::vector<std::string>& identifiers_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
};

void AppendString(const CondNode& node, std::string* out) {
  switch (node.kind) {
    case CondNode::Kind::kIdentifier:
      out->append(node.identifier);
      return;
    case CondNode::Kind::kNot:
      out->append("(not ");
      if (!node.children.empty()) AppendString(*node.children[0], out);
      out->push_back(')');
      return;
    case CondNode::Kind::kAnd:
    case CondNode::Kind::kOr: {
      std::string_view op = node.kind == CondNode::Kind::kAnd ? " and " : " or ";
      out->push_back('(');
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (i) out->append(op);
        AppendString(*node.children[i], out);
      }
      out->push_back(')');
      return;
    }
  }
}

}  // namespace

Result<std::unique_ptr<CondNode>> ParseCondition(std::string_view text,
                                                 const std::vector<std::string>& identifiers) {
  return Parser(text, identifiers).Parse();
}

std::string ToString(const CondNode& node) {
  std::string out;
  AppendString(node, &out);
  return out;
}

std::string_view ConditionErrorCode(const Status& error) {
  return error.code() == Code::kNotSupported ? "unsupported-aggregation" : "bad-condition";
}

}  // namespace inari::sigma
