// Condition parsing (R = sigma-rules-specification.md, "Condition" lines 641-690). The match
// semantics of each form, with events that must and must not match: tests/logic/sigma/cond_*.test.
#include "sigma/condition.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace inari::sigma {
namespace {

const std::vector<std::string> kIds = {"a",       "b",       "c",           "selection",
                                       "sel_img", "sel_cli", "filter_main", "filter_opt",
                                       "_helper", "keywords"};

// The parsed tree as text, or "error: <message>".
std::string Parse(std::string_view text, const std::vector<std::string>& ids = kIds) {
  auto r = ParseCondition(text, ids);
  if (!r.has_value()) return "error: " + std::string(r.error().message());
  return ToString(**r);
}

Status ErrorOf(std::string_view text, const std::vector<std::string>& ids = kIds) {
  auto r = ParseCondition(text, ids);
  EXPECT_FALSE(r.has_value()) << text;
  return r.has_value() ? Status::OK() : r.error();
}

TEST(Condition, SingleIdentifier_R353) { EXPECT_EQ(Parse("selection"), "selection"); }

TEST(Condition, OrBindsLeastThenAndThenNot_R681) {
  EXPECT_EQ(Parse("a or b and not c"), "(a or (b and (not c)))");
  EXPECT_EQ(Parse("not a and b or c"), "(((not a) and b) or c)");
  EXPECT_EQ(Parse("a and b or c and not a"), "((a and b) or (c and (not a)))");
}

TEST(Condition, ChainsOfOneOperatorAreOneNode_R649) {
  EXPECT_EQ(Parse("a or b or c"), "(a or b or c)");
  EXPECT_EQ(Parse("a and b and c"), "(a and b and c)");
}

TEST(Condition, ParenthesesOverridePrecedence_R677_R687) {
  EXPECT_EQ(Parse("(a or b) and not c"), "((a or b) and (not c))");
  EXPECT_EQ(Parse("not (a or b)"), "(not (a or b))");
  EXPECT_EQ(Parse("((a))"), "a");
  EXPECT_EQ(Parse("a and (b or (c and not a))"), "(a and (b or (c and (not a))))");
}

TEST(Condition, DoubleNegation_R673) { EXPECT_EQ(Parse("not not a"), "(not (not a))"); }

TEST(Condition, KeywordsAreCaseInsensitiveIdentifiersAreNot) {
  EXPECT_EQ(Parse("a AND NOT b Or c"), "((a and (not b)) or c)");
  EXPECT_EQ(Parse("1 OF sel_* And ALL Of filter_*"),
            "((sel_img or sel_cli) and (filter_main and filter_opt))");
  EXPECT_EQ(Parse("Selection"),
            "error: column 1: unknown search identifier 'Selection' (defined: a, b, c, selection, "
            "sel_img, sel_cli, filter_main, filter_opt, _helper, keywords)");
}

TEST(Condition, WhiteSpaceAndNewlinesSeparateTokens) {
  EXPECT_EQ(Parse("  a\n  and\tb  "), "(a and b)");
  EXPECT_EQ(Parse("(a)and(b)"), "(a and b)");
}

TEST(Condition, OneOfPatternIsAnOrOfTheMatchingIdentifiersInDetectionOrder_R663) {
  EXPECT_EQ(Parse("1 of sel_*"), "(sel_img or sel_cli)");
  EXPECT_EQ(Parse("any of sel_*"), "(sel_img or sel_cli)");
}

TEST(Condition, AllOfPatternIsAnAnd_R663_R669) {
  EXPECT_EQ(Parse("all of filter_*"), "(filter_main and filter_opt)");
}

TEST(Condition, PatternWithOneMatchIsThatIdentifier_R663) {
  EXPECT_EQ(Parse("1 of key*"), "keywords");
  EXPECT_EQ(Parse("all of selection"), "selection");
}

TEST(Condition, PatternWildcardsAnywhere_R665) {
  EXPECT_EQ(Parse("1 of *_main"), "filter_main");
  EXPECT_EQ(Parse("1 of s*l_*i*"), "(sel_img or sel_cli)");
  EXPECT_EQ(Parse("1 of *elect*"), "selection");
}

TEST(Condition, ThemIsEveryIdentifierNotStartingWithUnderscore_R655) {
  const std::vector<std::string> ids = {"sel", "_hidden", "kw"};
  EXPECT_EQ(Parse("1 of them", ids), "(sel or kw)");
  EXPECT_EQ(Parse("all of them", ids), "(sel and kw)");
  EXPECT_EQ(Parse("any of them", ids), "(sel or kw)");
  EXPECT_EQ(Parse("all of them and not _hidden", ids), "((sel and kw) and (not _hidden))");
}

TEST(Condition, ExplicitPatternsMayNameUnderscoreIdentifiers) {
  const std::vector<std::string> ids = {"sel", "_f1", "_f2"};
  EXPECT_EQ(Parse("sel and not 1 of _f*", ids), "(sel and (not (_f1 or _f2)))");
}

TEST(Condition, QuantifierBindsTighterThanNot_R686) {
  EXPECT_EQ(Parse("selection and not 1 of filter_*"),
            "(selection and (not (filter_main or filter_opt)))");
  EXPECT_EQ(Parse("1 of sel_* and keywords"), "((sel_img or sel_cli) and keywords)");
}

TEST(Condition, IdentifiersMayHoldDotsDashesAndDigits) {
  const std::vector<std::string> ids = {"sel.1", "sel-2", "3"};
  EXPECT_EQ(Parse("sel.1 or sel-2 or 3", ids), "(sel.1 or sel-2 or 3)");
}

TEST(Condition, QuantifierWordsAreIdentifiersWhenNotFollowedByOf) {
  const std::vector<std::string> ids = {"all", "any", "1"};
  EXPECT_EQ(Parse("all and any and 1", ids), "(all and any and 1)");
}

TEST(Condition, EmptyIsAnError) {
  EXPECT_EQ(Parse(""), "error: column 1: empty condition");
  EXPECT_EQ(Parse("   "), "error: column 4: empty condition");
}

TEST(Condition, UnknownIdentifierNamesItsColumn) {
  EXPECT_EQ(Parse("a and nope", {"a"}),
            "error: column 7: unknown search identifier 'nope' (defined: a)");
}

TEST(Condition, PatternMatchingNothingNamesItsColumn) {
  EXPECT_EQ(Parse("a and 1 of zz*", {"a"}),
            "error: column 12: pattern 'zz*' matches no search identifier (defined: a)");
  EXPECT_EQ(Parse("1 of them", {"_only"}),
            "error: column 6: 'them' matches no search identifier (identifiers starting with '_' "
            "are excluded)");
}

TEST(Condition, UnbalancedParentheses) {
  EXPECT_EQ(Parse("a and (b or c"), "error: column 7: '(' is never closed");
  EXPECT_EQ(Parse("a and b)"), "error: column 8: ')' has no matching '('");
  EXPECT_EQ(Parse("()"), "error: column 2: empty parentheses");
  EXPECT_EQ(Parse("(a b)"), "error: column 4: expected ')' or an operator, found 'b'");
}

TEST(Condition, DanglingOperators) {
  EXPECT_EQ(
      Parse("a and"),
      "error: column 6: expected a search identifier after 'and', found the end of the condition");
  EXPECT_EQ(Parse("or a"), "error: column 1: expected a search identifier, found operator 'or'");
  EXPECT_EQ(Parse("a and or b"),
            "error: column 7: expected a search identifier after 'and', found operator 'or'");
  EXPECT_EQ(
      Parse("not"),
      "error: column 4: expected a search identifier after 'not', found the end of the condition");
  EXPECT_EQ(Parse("(a and)"),
            "error: column 7: expected a search identifier after 'and', found ')'");
}

TEST(Condition, TrailingTokens) {
  EXPECT_EQ(Parse("a b"),
            "error: column 3: unexpected 'b' after a complete expression (missing 'and'/'or'?)");
  EXPECT_EQ(Parse("a not b"),
            "error: column 3: unexpected 'not' after a complete expression (missing 'and'/'or'?)");
}

TEST(Condition, QuantifierErrors) {
  EXPECT_EQ(Parse("2 of sel_*"),
            "error: column 1: unsupported quantifier '2': use '1 of', 'any of' or 'all of'");
  EXPECT_EQ(Parse("1 of"),
            "error: column 5: expected 'them' or a search identifier pattern after '1 of', found "
            "the end of the condition");
  EXPECT_EQ(
      Parse("1 of (a)"),
      "error: column 6: expected 'them' or a search identifier pattern after '1 of', found '('");
  EXPECT_EQ(Parse("a of b"),
            "error: column 1: unsupported quantifier 'a': use '1 of', 'any of' or 'all of'");
  EXPECT_EQ(Parse("of a"),
            "error: column 1: 'of' needs a quantifier before it ('1 of', 'any of', 'all of')");
}

TEST(Condition, WildcardOutsideQuantifierIsAnError) {
  EXPECT_EQ(Parse("sel_*"),
            "error: column 1: wildcard identifier 'sel_*' is only allowed after '1 of', 'any of' "
            "or 'all of'");
}

TEST(Condition, UnexpectedCharacters) {
  EXPECT_EQ(
      Parse("a && b"),
      "error: column 3: unexpected character '&' (identifiers are letters, digits, '_', '.', '-')");
  EXPECT_EQ(
      Parse("a and é"),
      "error: column 7: unexpected character 'é' (identifiers are letters, digits, '_', '.', '-')");
}

TEST(Condition, PipeAggregationIsUnsupportedAndPointsToCorrelationRules) {
  Status s = ErrorOf("selection | count() by User > 5");
  EXPECT_EQ(s.code(), Code::kNotSupported);
  EXPECT_EQ(ConditionErrorCode(s), "unsupported-aggregation");
  EXPECT_NE(s.message().find("column 11"), std::string_view::npos) << s.message();
  EXPECT_NE(s.message().find("correlation rule"), std::string_view::npos) << s.message();
  // The pipe is named even when the text before it would also be wrong.
  EXPECT_EQ(ConditionErrorCode(ErrorOf("nope | near other")), "unsupported-aggregation");
}

TEST(Condition, OtherErrorsAreBadCondition) {
  Status s = ErrorOf("a and");
  EXPECT_EQ(s.code(), Code::kParseError);
  EXPECT_EQ(ConditionErrorCode(s), "bad-condition");
}

TEST(Condition, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '(');
  deep += "a";
  deep += std::string(100000, ')');
  EXPECT_EQ(Parse(deep).rfind("error: column 201: the condition is nested too deeply", 0), 0u)
      << Parse(deep).substr(0, 100);
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  nots += "a";
  EXPECT_EQ(Parse(nots).rfind("error: ", 0), 0u);
}

TEST(Condition, ModerateNestingIsFine) {
  std::string text(150, '(');
  text += "a";
  text += std::string(150, ')');
  EXPECT_EQ(Parse(text), "a");
}

}  // namespace
}  // namespace inari::sigma
