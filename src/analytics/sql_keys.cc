#include "analytics/sql_keys.h"

#include <algorithm>
#include <cctype>

#include "base/ascii.h"

namespace inari::analytics {

namespace {

enum class Tok { kIdent, kNumber, kString, kParam, kOp, kLParen, kRParen, kComma, kDot, kEnd };

struct Token {
  Tok kind;
  std::string text;  // identifiers lower case and unquoted; strings unescaped
};

std::vector<Token> Lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {  // comment to end of line
      while (i < n && s[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      size_t e = s.find("*/", i + 2);
      i = e == std::string_view::npos ? n : e + 2;
    } else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && s[i + 1] == '\'')) {
      if (c != '\'') ++i;
      std::string v;
      ++i;
      while (i < n) {
        if (s[i] == '\'') {
          if (i + 1 < n && s[i + 1] == '\'') {
            v += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        v += s[i++];
      }
      out.push_back({Tok::kString, std::move(v)});
    } else if (c == '"') {
      std::string v;
      ++i;
      while (i < n && s[i] != '"') v += s[i++];
      ++i;
      out.push_back({Tok::kIdent, AsciiLowerCopy(v)});
    } else if (c == '$' && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      size_t b = ++i;
      while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      out.push_back({Tok::kParam, std::string(s.substr(b, i - b))});
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '-' && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1])) && !out.empty() &&
                (out.back().kind == Tok::kOp || out.back().kind == Tok::kLParen || out.back().kind == Tok::kComma))) {
      size_t b = i++;
      while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      out.push_back({Tok::kNumber, std::string(s.substr(b, i - b))});
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80) {
      size_t b = i++;
      while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '$' ||
                       static_cast<unsigned char>(s[i]) >= 0x80))
        ++i;
      out.push_back({Tok::kIdent, AsciiLowerCopy(s.substr(b, i - b))});
    } else if (c == '(') {
      out.push_back({Tok::kLParen, "("});
      ++i;
    } else if (c == ')') {
      out.push_back({Tok::kRParen, ")"});
      ++i;
    } else if (c == ',') {
      out.push_back({Tok::kComma, ","});
      ++i;
    } else if (c == '.') {
      out.push_back({Tok::kDot, "."});
      ++i;
    } else if (c == ':' && i + 1 < n && s[i + 1] == ':') {  // a cast: skip the type name
      i += 2;
      while (i < n && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
      while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '[' || s[i] == ']')) ++i;
    } else {
      std::string op(1, c);
      ++i;
      while (i < n && std::string_view("=<>!").find(s[i]) != std::string_view::npos && op.size() < 2) op += s[i++];
      out.push_back({Tok::kOp, std::move(op)});
    }
  }
  out.push_back({Tok::kEnd, ""});
  return out;
}

// "{1,2,"x y"}" → values.
void SplitArray(std::string_view a, std::vector<std::string>* out) {
  if (a.size() < 2 || a.front() != '{' || a.back() != '}') {
    out->emplace_back(a);
    return;
  }
  a = a.substr(1, a.size() - 2);
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '\\' && quoted && i + 1 < a.size()) {
      cur += a[++i];
    } else if (c == ',' && !quoted) {
      out->push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty() || !a.empty()) out->push_back(cur);
}

}  // namespace

std::vector<std::string> SplitParameters(std::string_view p) {
  std::vector<std::string> out;
  if (p.empty() || p == "<none>" || p == "<not logged>") return out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < p.size() && p[i + 1] == '"') {
          cur += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

SqlFacts ExtractKeys(std::string_view statement, std::string_view parameters, std::string_view key_column) {
  SqlFacts f;
  const std::vector<Token> t = Lex(statement);
  const std::string key = AsciiLowerCopy(key_column);
  std::vector<std::string> params;
  bool params_split = false;
  auto param = [&](const std::string& index, std::vector<std::string>* out, bool array) {
    if (!params_split) {
      params = SplitParameters(parameters);
      params_split = true;
    }
    size_t k = static_cast<size_t>(std::strtoul(index.c_str(), nullptr, 10));
    if (k == 0 || k > params.size()) return;
    if (array) SplitArray(params[k - 1], out);
    else out->push_back(params[k - 1]);
  };
  auto value = [&](const Token& v, std::vector<std::string>* out) {
    if (v.kind == Tok::kNumber || v.kind == Tok::kString) out->push_back(v.text);
    else if (v.kind == Tok::kParam) param(v.text, out, false);
  };
  // Statement kind.
  size_t first = 0;
  while (first < t.size() && t[first].kind == Tok::kLParen) ++first;
  if (first < t.size() && t[first].kind == Tok::kIdent) {
    const std::string& w = t[first].text;
    f.reads = w == "select" || w == "with" || w == "table" || w == "values";
    if (w == "copy") {
      for (size_t i = first; i < t.size(); ++i)
        if (t[i].kind == Tok::kIdent && t[i].text == "to") {
          f.exports = f.reads = true;
          break;
        }
    }
    if (w == "declare") f.reads = true;  // DECLARE c CURSOR FOR SELECT…
  }
  std::vector<std::string> keys;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (t[i].kind == Tok::kIdent && t[i].text == "or") f.has_or = true;
    if (t[i].kind == Tok::kIdent && t[i].text == "offset") f.pages = true;
    if (t[i].kind != Tok::kIdent || t[i].text != key) continue;
    // Not a qualified name's qualifier (key.something), not a column alias target.
    if (t[i + 1].kind == Tok::kDot) continue;
    size_t j = i + 1;
    if (t[j].kind == Tok::kOp && t[j].text == "=") {
      const Token& v = t[j + 1];
      if (v.kind == Tok::kIdent && (v.text == "any" || v.text == "some") && t[j + 2].kind == Tok::kLParen) {
        f.has_key_predicate = true;
        if (t[j + 3].kind == Tok::kParam) param(t[j + 3].text, &keys, true);
        else if (t[j + 3].kind == Tok::kString) SplitArray(t[j + 3].text, &keys);
        else if (t[j + 3].kind == Tok::kIdent && t[j + 3].text == "array" && t[j + 4].kind == Tok::kOp) {
          for (size_t k = j + 5; k < t.size() && t[k].kind != Tok::kOp && t[k].kind != Tok::kEnd; ++k)
            value(t[k], &keys);
        }
      } else if (v.kind == Tok::kNumber || v.kind == Tok::kString || v.kind == Tok::kParam) {
        f.has_key_predicate = true;
        value(v, &keys);
      }
    } else if (t[j].kind == Tok::kIdent && t[j].text == "in" && t[j + 1].kind == Tok::kLParen) {
      // IN (v, v, …) — not IN (SELECT …).
      if (t[j + 2].kind == Tok::kIdent && t[j + 2].text == "select") continue;
      f.has_key_predicate = true;
      for (size_t k = j + 2; k < t.size() && t[k].kind != Tok::kRParen && t[k].kind != Tok::kEnd; ++k) value(t[k], &keys);
    } else if (t[j].kind == Tok::kIdent && t[j].text == "between") {
      f.has_key_predicate = true;  // a range: values unknown without the database
    }
  }
  // Reversed comparisons: 42 = key / $1 = key.
  for (size_t i = 2; i < t.size(); ++i) {
    if (t[i].kind == Tok::kIdent && t[i].text == key && t[i - 1].kind == Tok::kOp && t[i - 1].text == "=" &&
        (i < 3 || t[i - 3].kind != Tok::kDot) &&
        (t[i - 2].kind == Tok::kNumber || t[i - 2].kind == Tok::kString || t[i - 2].kind == Tok::kParam)) {
      if (t[i + 1].kind == Tok::kDot) continue;
      f.has_key_predicate = true;
      value(t[i - 2], &keys);
    }
  }
  for (std::string& k : keys)
    if (std::find(f.keys.begin(), f.keys.end(), k) == f.keys.end()) f.keys.push_back(std::move(k));
  return f;
}

}  // namespace inari::analytics
