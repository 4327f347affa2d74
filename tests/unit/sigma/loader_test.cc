// Rule loading (reader → collector): detection shapes, typed scalars,
// modifiers, collections, multi-document files, filters, correlations,
// duplicate ids and error reporting. Each test writes its rule files into a
// fresh temporary directory.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sigma/loader_collector.h"
#include "sigma/rule.h"

namespace inari::sigma {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "inari_loader_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    fs::path p = fs::path(path_) / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Loads one rule text from a temporary file.
struct Loaded {
  TempDir dir;
  std::string file;
  LoadResult result;
};

std::unique_ptr<Loaded> LoadText(const std::string& text, const LoadOptions& options = {}) {
  auto l = std::make_unique<Loaded>();
  l->file = l->dir.Write("rule.yml", text);
  l->result = LoadRules({l->file}, options);
  return l;
}

std::string Issues(const LoadResult& r) {
  std::string out;
  for (const LoadIssue& i : r.issues) {
    out += (i.severity == LoadIssue::Severity::kError ? "E " : "W ") + i.code + " @" +
           std::to_string(i.line) + ": " + i.message + "\n";
  }
  return out;
}

const LoadIssue* FindIssue(const LoadResult& r, std::string_view code) {
  for (const LoadIssue& i : r.issues) {
    if (i.code == code) return &i;
  }
  return nullptr;
}

size_t CountIssues(const LoadResult& r, std::string_view code) {
  size_t n = 0;
  for (const LoadIssue& i : r.issues) n += i.code == code;
  return n;
}

// A minimal valid rule around a detection body (indented 4 spaces). The rule
// has 6 lines before the body, so the body's first line is line 7.
std::string Rule(const std::string& detection,
                 const std::string& id = "11111111-1111-4111-8111-111111111111") {
  std::string text = "title: Test rule\n";
  text += "id: " + id + "\n";
  text += "logsource:\n    product: windows\n    category: process_creation\n";
  text += "detection:\n" + detection;
  return text;
}

const FieldTestSpec& OnlySpec(const LoadedRule& rule, const std::string& identifier) {
  const SearchIdentifier& si = rule.detection.at(identifier);
  EXPECT_EQ(si.groups.size(), 1u);
  EXPECT_EQ(si.groups.at(0).size(), 1u);
  return si.groups.at(0).at(0);
}

// ---- detection shapes ----

TEST(LoaderDetection, MapIsOneAndGroupOfFieldTests) {
  auto l =
      LoadText(Rule("    selection:\n"
                    "        Image|endswith: '\\whoami.exe'\n"
                    "        User: admin\n"
                    "    condition: selection\n"));
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  EXPECT_EQ(l->result.issues.size(), 0u) << Issues(l->result);
  const SearchIdentifier& si = l->result.rules[0].detection.at("selection");
  EXPECT_EQ(si.line, 7);
  ASSERT_EQ(si.groups.size(), 1u);
  ASSERT_EQ(si.groups[0].size(), 2u);
  EXPECT_EQ(si.groups[0][0].field, "Image");
  EXPECT_EQ(si.groups[0][0].modifiers, std::vector<std::string>{"endswith"});
  EXPECT_EQ(si.groups[0][0].values.at(0).text, "\\whoami.exe");
  EXPECT_EQ(si.groups[0][0].line, 8);
  EXPECT_EQ(si.groups[0][1].field, "User");
  EXPECT_TRUE(si.groups[0][1].modifiers.empty());
  EXPECT_EQ(si.groups[0][1].line, 9);
}

TEST(LoaderDetection, ListOfMapsIsAnOrOfGroups) {
  auto l =
      LoadText(Rule("    selection:\n"
                    "        - Image|endswith: '\\example.exe'\n"
                    "        - Description|contains: 'Test executable'\n"
                    "          Company: ACME\n"
                    "    condition: selection\n"));
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  const SearchIdentifier& si = l->result.rules[0].detection.at("selection");
  ASSERT_EQ(si.groups.size(), 2u);
  EXPECT_EQ(si.groups[0].size(), 1u);
  EXPECT_EQ(si.groups[0][0].field, "Image");
  ASSERT_EQ(si.groups[1].size(), 2u);
  EXPECT_EQ(si.groups[1][0].field, "Description");
  EXPECT_EQ(si.groups[1][1].field, "Company");
}

TEST(LoaderDetection, ListOfPlainValuesIsOneKeywordTest) {
  auto l =
      LoadText(Rule("    keywords:\n"
                    "        - 'event::clear'\n"
                    "        - 'event::drop'\n"
                    "    condition: keywords\n"));
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  const FieldTestSpec& spec = OnlySpec(l->result.rules[0], "keywords");
  EXPECT_EQ(spec.field, "");
  EXPECT_TRUE(spec.modifiers.empty());
  ASSERT_EQ(spec.values.size(), 2u);
  EXPECT_EQ(spec.values[0].text, "event::clear");
  EXPECT_EQ(spec.values[1].text, "event::drop");
  EXPECT_EQ(spec.values[1].line, 9);
}

TEST(LoaderDetection, ScalarIsOneKeyword) {
  auto l =
      LoadText(Rule("    keyword: 'mimikatz'\n"
                    "    condition: keyword\n"));
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  const FieldTestSpec& spec = OnlySpec(l->result.rules[0], "keyword");
  EXPECT_EQ(spec.field, "");
  ASSERT_EQ(spec.values.size(), 1u);
  EXPECT_EQ(spec.values[0].text, "mimikatz");
}

TEST(LoaderDetection, PipeKeyIsAKeywordWithModifiers) {
  auto l =
      LoadText(Rule("    keywords_cmdlet:\n"
                    "        '|all':\n"
                    "            - 'OabVirtualDirectory'\n"
                    "            - ' -ExternalUrl '\n"
                    "    condition: keywords_cmdlet\n"));
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  const FieldTestSpec& spec = OnlySpec(l->result.rules[0], "keywords_cmdlet");
  EXPECT_EQ(spec.field, "");
  EXPECT_EQ(spec.modifiers, std::vector<std::string>{"all"});
  ASSERT_EQ(spec.values.size(), 2u);
  EXPECT_EQ(spec.values[1].text, " -ExternalUrl ");
}

TEST(LoaderDetection, MixedListKeepsKeywordsAndMapsAsAlternatives) {
  auto l =
      LoadText(Rule("    sel:\n"
                    "        - 'alpha'\n"
                    "        - 'beta'\n"
                    "        - Image: x.exe\n"
                    "        - 'gamma'\n"
                    "    condition: sel\n"));
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  const SearchIdentifier& si = l->result.rules[0].detection.at("sel");
  ASSERT_EQ(si.groups.size(), 3u);
  EXPECT_EQ(si.groups[0][0].field, "");
  EXPECT_EQ(si.groups[0][0].values.size(), 2u);
  EXPECT_EQ(si.groups[1][0].field, "Image");
  EXPECT_EQ(si.groups[2][0].values.at(0).text, "gamma");
}

TEST(LoaderDetection, ListValueIsSeveralValues) {
  auto l =
      LoadText(Rule("    selection:\n"
                    "        EventID:\n"
                    "            - 517\n"
                    "            - 1102\n"
                    "    condition: selection\n"));
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  const FieldTestSpec& spec = OnlySpec(l->result.rules[0], "selection");
  ASSERT_EQ(spec.values.size(), 2u);
  EXPECT_EQ(spec.values[0].kind, SigmaValue::Kind::kInt);
  EXPECT_EQ(spec.values[0].i, 517);
  EXPECT_EQ(spec.values[1].i, 1102);
  EXPECT_EQ(spec.values[1].line, 10);
}

TEST(LoaderDetection, ModifiersAreKeptInRuleOrder) {
  auto l =
      LoadText(Rule("    selection:\n"
                    "        CommandLine|base64offset|contains|all:\n"
                    "            - 'a'\n"
                    "            - 'b'\n"
                    "        Hash|re|i|m|s: '^[a-f0-9]+$'\n"
                    "        IP|cidr: 10.0.0.0/8\n"
                    "    condition: selection\n"));
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  const auto& g = l->result.rules[0].detection.at("selection").groups.at(0);
  EXPECT_EQ(g[0].modifiers, (std::vector<std::string>{"base64offset", "contains", "all"}));
  EXPECT_EQ(g[1].modifiers, (std::vector<std::string>{"re", "i", "m", "s"}));
  EXPECT_EQ(g[2].field, "IP");
  EXPECT_EQ(g[2].values.at(0).kind, SigmaValue::Kind::kString);
}

TEST(LoaderDetection, EveryV21ModifierIsKnown) {
  for (const char* m : {"contains", "startswith", "endswith", "all",  "base64",  "base64offset",
                        "utf16le",  "utf16be",    "utf16",    "wide", "windash", "re",
                        "i",        "m",          "s",        "cidr", "exists",  "cased",
                        "gt",       "gte",        "lt",       "lte",  "neq",     "fieldref",
                        "expand",   "minute",     "hour",     "day",  "week",    "month",
                        "year"}) {
    EXPECT_TRUE(internal::IsKnownModifier(m)) << m;
  }
  EXPECT_FALSE(internal::IsKnownModifier("Contains"));
  EXPECT_FALSE(internal::IsKnownModifier("ignorecase"));
  EXPECT_FALSE(internal::IsKnownModifier(""));
}

TEST(LoaderDetection, UnknownModifierIsAnErrorWithItsLine) {
  auto l =
      LoadText(Rule("    selection:\n"
                    "        Image|endswith: x\n"
                    "        CommandLine|contians: y\n"
                    "    condition: selection\n"));
  EXPECT_TRUE(l->result.rules.empty());
  const LoadIssue* i = FindIssue(l->result, "unknown-modifier");
  ASSERT_NE(i, nullptr) << Issues(l->result);
  EXPECT_EQ(i->severity, LoadIssue::Severity::kError);
  EXPECT_EQ(i->line, 9);
  EXPECT_EQ(i->file, l->file);
  EXPECT_EQ(i->rule_id, "11111111-1111-4111-8111-111111111111");
  EXPECT_NE(i->message.find("'contians'"), std::string::npos) << i->message;
}

TEST(LoaderDetection, EmptyModifierIsAnError) {
  auto l =
      LoadText(Rule("    selection:\n"
                    "        Image||endswith: x\n"
                    "    condition: selection\n"));
  EXPECT_TRUE(l->result.rules.empty());
  EXPECT_NE(FindIssue(l->result, "unknown-modifier"), nullptr) << Issues(l->result);
}

TEST(LoaderDetection, MalformedShapesAreErrors) {
  struct Case {
    const char* body;
    const char* code;
  } cases[] = {
      {"    selection:\n        Image:\n            nested: map\n    condition: selection\n",
       "bad-detection"},
      {"    selection: []\n    condition: selection\n", "bad-detection"},
      {"    selection:\n        Image: []\n    condition: selection\n", "bad-detection"},
      {"    selection: {}\n    condition: selection\n", "bad-detection"},
      {"    selection:\n    condition: selection\n", "bad-detection"},
      {"    selection:\n        - - nested\n    condition: selection\n", "bad-detection"},
      {"    selection:\n        Field:\n            - 'x'\n            - null\n    condition: "
       "selection\n",
       "bad-detection"},
      {"    selection:\n        Image: x\n        Image: y\n    condition: selection\n",
       "duplicate-key"},
      {"    selection:\n        Image: x\n    selection:\n        User: y\n    condition: "
       "selection\n",
       "duplicate-key"},
      {"    condition: selection\n", "missing-field"},
      {"    selection:\n        Image: x\n", "missing-field"},
      {"    selection:\n        Image: x\n    condition:\n        a: b\n", "bad-condition"},
  };
  for (const Case& c : cases) {
    auto l = LoadText(Rule(c.body));
    EXPECT_TRUE(l->result.rules.empty()) << c.body;
    const LoadIssue* i = FindIssue(l->result, c.code);
    ASSERT_NE(i, nullptr) << c.body << "\n" << Issues(l->result);
    EXPECT_EQ(i->severity, LoadIssue::Severity::kError);
    EXPECT_GE(i->line, 6) << c.body;
  }
}

TEST(LoaderDetection, NullAloneIsAValue) {
  auto l =
      LoadText(Rule("    selection:\n"
                    "        EventID: 4738\n"
                    "    filter:\n"
                    "        PasswordLastSet: null\n"
                    "    condition: selection and not filter\n"));
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  EXPECT_EQ(OnlySpec(l->result.rules[0], "filter").values.at(0).kind, SigmaValue::Kind::kNull);
}

TEST(LoaderDetection, UnusedIdentifierIsAWarning) {
  auto l =
      LoadText(Rule("    selection:\n        Image: x\n    spare:\n        Image: y\n    "
                    "condition: selection\n"));
  ASSERT_EQ(l->result.rules.size(), 1u);
  const LoadIssue* i = FindIssue(l->result, "unused-identifier");
  ASSERT_NE(i, nullptr) << Issues(l->result);
  EXPECT_EQ(i->severity, LoadIssue::Severity::kWarning);
  EXPECT_EQ(i->line, 9);
}

TEST(LoaderDetection, TimeframeIsIgnoredWithAWarning) {
  auto l = LoadText(
      Rule("    selection:\n        Image: x\n    timeframe: 5m\n    condition: selection\n"));
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  EXPECT_EQ(l->result.rules[0].detection.count("timeframe"), 0u);
  EXPECT_NE(FindIssue(l->result, "ignored-field"), nullptr);
}

// ---- typed scalars ----

SigmaValue ValueOf(const std::string& yaml_scalar) {
  auto l = LoadText(
      Rule("    selection:\n        Field: " + yaml_scalar + "\n    condition: selection\n"));
  EXPECT_EQ(l->result.rules.size(), 1u) << yaml_scalar << "\n" << Issues(l->result);
  if (l->result.rules.empty()) return {};
  return OnlySpec(l->result.rules[0], "selection").values.at(0);
}

TEST(LoaderScalars, PlainNumberIsAnIntegerQuotedIsAString) {
  SigmaValue plain = ValueOf("4688");
  EXPECT_EQ(plain.kind, SigmaValue::Kind::kInt);
  EXPECT_EQ(plain.i, 4688);
  EXPECT_EQ(plain.text, "4688");
  EXPECT_EQ(plain.line, 8);
  SigmaValue single = ValueOf("'4688'");
  EXPECT_EQ(single.kind, SigmaValue::Kind::kString);
  EXPECT_EQ(single.text, "4688");
  EXPECT_EQ(ValueOf("\"4688\"").kind, SigmaValue::Kind::kString);
}

TEST(LoaderScalars, IntegerForms) {
  EXPECT_EQ(ValueOf("-5").i, -5);
  EXPECT_EQ(ValueOf("+5").i, 5);
  SigmaValue hex = ValueOf("0x1F");
  EXPECT_EQ(hex.kind, SigmaValue::Kind::kInt);
  EXPECT_EQ(hex.i, 31);
  EXPECT_EQ(hex.text, "0x1F");
  EXPECT_EQ(ValueOf("0o17").i, 15);
  SigmaValue leading_zero = ValueOf("0777");  // YAML 1.2: decimal, not octal
  EXPECT_EQ(leading_zero.i, 777);
  EXPECT_EQ(leading_zero.text, "0777");
  EXPECT_EQ(ValueOf("9223372036854775807").i, INT64_MAX);
  EXPECT_EQ(ValueOf("-9223372036854775808").i, INT64_MIN);
  SigmaValue huge = ValueOf("99999999999999999999");
  EXPECT_EQ(huge.kind, SigmaValue::Kind::kString);
  EXPECT_EQ(huge.text, "99999999999999999999");
}

TEST(LoaderScalars, FloatForms) {
  SigmaValue f = ValueOf("1.5");
  EXPECT_EQ(f.kind, SigmaValue::Kind::kFloat);
  EXPECT_DOUBLE_EQ(f.d, 1.5);
  EXPECT_EQ(f.text, "1.5");
  EXPECT_DOUBLE_EQ(ValueOf("1e3").d, 1000);
  EXPECT_DOUBLE_EQ(ValueOf("-.5").d, -0.5);
  EXPECT_DOUBLE_EQ(ValueOf("2.").d, 2);
  EXPECT_TRUE(std::isinf(ValueOf(".inf").d));
  EXPECT_LT(ValueOf("-.Inf").d, 0);
  EXPECT_TRUE(std::isnan(ValueOf(".nan").d));
  EXPECT_EQ(ValueOf("1.2.3").kind, SigmaValue::Kind::kString);  // a version, not a number
  EXPECT_EQ(ValueOf("'1.5'").kind, SigmaValue::Kind::kString);
}

TEST(LoaderScalars, BooleansAndNulls) {
  EXPECT_EQ(ValueOf("true").kind, SigmaValue::Kind::kBool);
  EXPECT_TRUE(ValueOf("True").b);
  EXPECT_FALSE(ValueOf("FALSE").b);
  EXPECT_EQ(ValueOf("'true'").kind, SigmaValue::Kind::kString);
  EXPECT_EQ(ValueOf("yes").kind, SigmaValue::Kind::kString);  // YAML 1.1 only
  EXPECT_EQ(ValueOf("null").kind, SigmaValue::Kind::kNull);
  EXPECT_EQ(ValueOf("~").kind, SigmaValue::Kind::kNull);
  EXPECT_EQ(ValueOf("").kind, SigmaValue::Kind::kNull);
  EXPECT_EQ(ValueOf("'null'").kind, SigmaValue::Kind::kString);
  EXPECT_EQ(ValueOf("''").kind, SigmaValue::Kind::kString);
  EXPECT_EQ(ValueOf("''").text, "");
}

TEST(LoaderScalars, TagsAndBlockScalars) {
  EXPECT_EQ(ValueOf("!!str 12").kind, SigmaValue::Kind::kString);
  EXPECT_EQ(ValueOf("!!int 12").i, 12);
  EXPECT_EQ(ValueOf("!!float 12").kind, SigmaValue::Kind::kFloat);
  SigmaValue block = ValueOf("|\n            line one\n");
  EXPECT_EQ(block.kind, SigmaValue::Kind::kString);
  EXPECT_EQ(block.text, "line one\n");
}

TEST(LoaderScalars, StringsKeepBackslashesAndWildcardsAsWritten) {
  EXPECT_EQ(ValueOf("'C:\\Windows\\*\\cmd.exe'").text, "C:\\Windows\\*\\cmd.exe");
  EXPECT_EQ(ValueOf("C:\\Temp\\\\\\*").text, "C:\\Temp\\\\\\*");
  EXPECT_EQ(ValueOf("\"tab\\there\"").text, "tab\there");  // double quotes: YAML escapes apply
}

// ---- metadata ----

TEST(LoaderMetadata, FieldsAreRead) {
  auto l = LoadText(
      "title: Whoami Execution\n"
      "id: 22222222-2222-4222-8222-222222222222\n"
      "name: whoami_exec\n"
      "related:\n"
      "    - id: 33333333-3333-4333-8333-333333333333\n"
      "      type: derived\n"
      "status: test\n"
      "description: Detects whoami\n"
      "references:\n"
      "    - https://example.com/a\n"
      "author: Florian Roth\n"
      "date: 2019-10-23\n"
      "modified: 2023-02-01\n"
      "tags:\n"
      "    - attack.discovery\n"
      "    - attack.t1033\n"
      "logsource:\n"
      "    category: process_creation\n"
      "    product: windows\n"
      "detection:\n"
      "    selection:\n"
      "        Image: 'C:\\Windows\\System32\\whoami.exe'\n"
      "    condition: selection\n"
      "fields:\n"
      "    - CommandLine\n"
      "falsepositives:\n"
      "    - Admins\n"
      "level: high\n");
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  EXPECT_TRUE(l->result.issues.empty()) << Issues(l->result);
  const RuleInfo& info = l->result.rules[0].info;
  EXPECT_EQ(info.title, "Whoami Execution");
  EXPECT_EQ(info.id, "22222222-2222-4222-8222-222222222222");
  EXPECT_EQ(info.name, "whoami_exec");
  EXPECT_EQ(info.related_ids, std::vector<std::string>{"33333333-3333-4333-8333-333333333333"});
  EXPECT_EQ(info.status, "test");
  EXPECT_EQ(info.description, "Detects whoami");
  EXPECT_EQ(info.references, std::vector<std::string>{"https://example.com/a"});
  EXPECT_EQ(info.author, "Florian Roth");
  EXPECT_EQ(info.date, "2019-10-23");
  EXPECT_EQ(info.modified, "2023-02-01");
  EXPECT_EQ(info.tags, (std::vector<std::string>{"attack.discovery", "attack.t1033"}));
  EXPECT_EQ(info.logsource.category, "process_creation");
  EXPECT_EQ(info.logsource.product, "windows");
  EXPECT_EQ(info.logsource.service, "");
  EXPECT_EQ(info.fields, std::vector<std::string>{"CommandLine"});
  EXPECT_EQ(info.falsepositives, std::vector<std::string>{"Admins"});
  EXPECT_EQ(info.level, Level::kHigh);
  EXPECT_EQ(info.file, l->file);
  EXPECT_EQ(info.line, 1);
  EXPECT_EQ(ToString(*l->result.rules[0].condition), "selection");
}

TEST(LoaderMetadata, EveryLevelName) {
  for (Level want :
       {Level::kInformational, Level::kLow, Level::kMedium, Level::kHigh, Level::kCritical}) {
    auto l = LoadText(Rule("    sel: x\n    condition: sel\n") +
                      "level: " + std::string(LevelName(want)) + "\n");
    ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
    EXPECT_EQ(l->result.rules[0].info.level, want);
  }
}

TEST(LoaderMetadata, MissingLevelIsMedium) {
  auto l = LoadText(Rule("    sel: x\n    condition: sel\n"));
  ASSERT_EQ(l->result.rules.size(), 1u);
  EXPECT_EQ(l->result.rules[0].info.level, Level::kMedium);
}

TEST(LoaderMetadata, UnknownLevelIsAnError) {
  auto l = LoadText(Rule("    sel: x\n    condition: sel\n") + "level: severe\n");
  EXPECT_TRUE(l->result.rules.empty());
  const LoadIssue* i = FindIssue(l->result, "unknown-level");
  ASSERT_NE(i, nullptr) << Issues(l->result);
  EXPECT_EQ(i->line, 9);
  EXPECT_NE(i->message.find("severe"), std::string::npos);
}

TEST(LoaderMetadata, UnknownStatusIsAWarning) {
  auto l = LoadText(Rule("    sel: x\n    condition: sel\n") + "status: beta\n");
  ASSERT_EQ(l->result.rules.size(), 1u);
  ASSERT_NE(FindIssue(l->result, "unknown-status"), nullptr);
  EXPECT_EQ(FindIssue(l->result, "unknown-status")->severity, LoadIssue::Severity::kWarning);
}

TEST(LoaderMetadata, MissingMandatoryFieldsAreErrors) {
  const std::string detection = "detection:\n    sel: x\n    condition: sel\n";
  const std::string logsource = "logsource:\n    product: windows\n";
  struct Case {
    std::string text;
    std::string_view mentions;
  } cases[] = {
      {"id: 1\n" + logsource + detection, "title"},
      {"title: t\nid: 1\n" + detection, "logsource"},
      {"title: t\nid: 1\n" + logsource, "detection"},
      {"title: t\nid: 1\n" + logsource + "detection:\n    sel: x\n", "condition"},
      {"title:\nid: 1\n" + logsource + detection, "title"},
      {"title: ''\nid: 1\n" + logsource + detection, "title"},
  };
  for (const Case& c : cases) {
    auto l = LoadText(c.text);
    EXPECT_TRUE(l->result.rules.empty()) << c.text;
    const LoadIssue* i = FindIssue(l->result, "missing-field");
    ASSERT_NE(i, nullptr) << c.text << Issues(l->result);
    EXPECT_NE(i->message.find(c.mentions), std::string::npos) << i->message;
    EXPECT_EQ(i->file, l->file);
    EXPECT_GE(i->line, 1);
  }
}

TEST(LoaderMetadata, EmptyLogsourceIsAnError) {
  auto l = LoadText(
      "title: t\nid: 1\nlogsource:\n    definition: nothing useful\ndetection:\n    sel: x\n    "
      "condition: sel\n");
  EXPECT_TRUE(l->result.rules.empty());
  EXPECT_NE(FindIssue(l->result, "bad-field"), nullptr) << Issues(l->result);
}

TEST(LoaderMetadata, MissingIdIsAWarningAndTheRuleLoads) {
  auto l = LoadText(
      "title: t\nlogsource:\n    product: windows\ndetection:\n    sel: x\n    condition: sel\n");
  ASSERT_EQ(l->result.rules.size(), 1u);
  const LoadIssue* i = FindIssue(l->result, "missing-id");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->severity, LoadIssue::Severity::kWarning);
  EXPECT_EQ(l->result.errors(), 0u);
}

TEST(LoaderMetadata, CustomTopLevelFieldsAreAllowed) {
  auto l = LoadText(Rule("    sel: x\n    condition: sel\n") +
                    "simulation:\n    - type: atomic-red-team\nlicense: DRL-1.1\n");
  ASSERT_EQ(l->result.rules.size(), 1u);
  EXPECT_TRUE(l->result.issues.empty()) << Issues(l->result);
}

// ---- conditions ----

TEST(LoaderCondition, ConditionListIsOred_R689) {
  auto l = LoadText(
      Rule("    a: x\n    b: y\n    c: z\n    condition:\n        - a and b\n        - c\n"));
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  EXPECT_EQ(ToString(*l->result.rules[0].condition), "((a and b) or c)");
}

TEST(LoaderCondition, BadConditionNamesRuleLineAndColumn) {
  auto l = LoadText(Rule("    selection: x\n    condition: selection and filtr\n"));
  EXPECT_TRUE(l->result.rules.empty());
  const LoadIssue* i = FindIssue(l->result, "bad-condition");
  ASSERT_NE(i, nullptr) << Issues(l->result);
  EXPECT_EQ(i->line, 8);
  EXPECT_EQ(i->rule_id, "11111111-1111-4111-8111-111111111111");
  EXPECT_NE(i->message.find("column 15"), std::string::npos) << i->message;
  EXPECT_NE(i->message.find("'filtr'"), std::string::npos) << i->message;
}

TEST(LoaderCondition, ErrorInAConditionListNamesTheItem) {
  auto l = LoadText(Rule("    a: x\n    condition:\n        - a\n        - a or\n"));
  const LoadIssue* i = FindIssue(l->result, "bad-condition");
  ASSERT_NE(i, nullptr) << Issues(l->result);
  EXPECT_EQ(i->line, 10);
  EXPECT_EQ(i->message.rfind("condition[2] 'a or': column 5", 0), 0u) << i->message;
}

TEST(LoaderCondition, AggregationIsUnsupported) {
  auto l =
      LoadText(Rule("    selection: x\n    condition: selection | count(User) by Computer > 10\n"));
  EXPECT_TRUE(l->result.rules.empty());
  const LoadIssue* i = FindIssue(l->result, "unsupported-aggregation");
  ASSERT_NE(i, nullptr) << Issues(l->result);
  EXPECT_NE(i->message.find("correlation"), std::string::npos);
}

// ---- multi-document files and collections ----

TEST(LoaderDocuments, MultiDocumentFileLoadsEachWithItsLines) {
  auto l = LoadText(
      "title: one\nid: a1\nlogsource:\n    product: windows\ndetection:\n    s: x\n    condition: "
      "s\n"
      "---\n"
      "title: two\nid: a2\nlogsource:\n    product: windows\ndetection:\n    s:\n        F|bogus: "
      "x\n    condition: s\n"
      "---\n"
      "# a comment\n"
      "title: three\nid: a3\nlogsource:\n    product: linux\ndetection:\n    s: y\n    condition: "
      "s\n");
  EXPECT_EQ(l->result.documents, 3u);
  ASSERT_EQ(l->result.rules.size(), 2u) << Issues(l->result);
  EXPECT_EQ(l->result.rules[0].info.title, "one");
  EXPECT_EQ(l->result.rules[0].info.line, 1);
  EXPECT_EQ(l->result.rules[1].info.title, "three");
  EXPECT_EQ(l->result.rules[1].info.line, 19);
  EXPECT_EQ(l->result.rules[1].detection.at("s").line, 24);
  const LoadIssue* i = FindIssue(l->result, "unknown-modifier");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->line, 15);
  EXPECT_EQ(i->rule_id, "a2");
}

TEST(LoaderDocuments, LeadingMarkerAndEmptyDocumentsAreNotDocuments) {
  auto l = LoadText("---\n# nothing\n---\n" + Rule("    s: x\n    condition: s\n") + "---\n...\n");
  EXPECT_EQ(l->result.documents, 1u);
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  EXPECT_EQ(l->result.rules[0].info.line, 4);
  EXPECT_TRUE(l->result.issues.empty()) << Issues(l->result);
}

TEST(LoaderDocuments, BadYamlInOneDocumentKeepsTheOthers) {
  auto l =
      LoadText(Rule("    s: x\n    condition: s\n", "b1") + "---\n" + "title: [unclosed\nid: b2\n" +
               "---\n" + Rule("    s: x\n    condition: s\n", "b3"));
  EXPECT_EQ(l->result.documents, 3u);
  ASSERT_EQ(l->result.rules.size(), 2u) << Issues(l->result);
  EXPECT_EQ(l->result.rules[0].info.id, "b1");
  EXPECT_EQ(l->result.rules[1].info.id, "b3");
  EXPECT_EQ(l->result.rules[1].info.line, 13);
  const LoadIssue* i = FindIssue(l->result, "yaml");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->file, l->file);
  EXPECT_GE(i->line, 10);
  EXPECT_LE(i->line, 11);
}

TEST(LoaderDocuments, NonMapDocumentIsAnError) {
  auto l = LoadText("- just\n- a list\n");
  EXPECT_EQ(l->result.documents, 1u);
  EXPECT_NE(FindIssue(l->result, "bad-document"), nullptr) << Issues(l->result);
}

TEST(LoaderDocuments, DocumentWithoutDetectionFilterOrCorrelationIsAnError) {
  auto l = LoadText("title: lonely\nid: c1\nlogsource:\n    product: windows\n");
  const LoadIssue* i = FindIssue(l->result, "missing-field");
  ASSERT_NE(i, nullptr);
  EXPECT_NE(i->message.find("detection"), std::string::npos);
}

TEST(LoaderCollections, GlobalIsMergedIntoEveryFollowingDocument) {
  auto l = LoadText(
      "action: global\n"
      "title: Shared title\n"
      "status: test\n"
      "detection:\n"
      "    selection:\n"
      "        EventID: 1\n"
      "    condition: selection and specific\n"
      "level: high\n"
      "---\n"
      "id: d1\n"
      "logsource:\n"
      "    product: windows\n"
      "    service: sysmon\n"
      "detection:\n"
      "    specific:\n"
      "        Image: a.exe\n"
      "---\n"
      "id: d2\n"
      "logsource:\n"
      "    product: windows\n"
      "    service: security\n"
      "level: low\n"
      "detection:\n"
      "    specific:\n"
      "        NewProcessName: b.exe\n");
  EXPECT_EQ(l->result.documents, 2u);
  ASSERT_EQ(l->result.rules.size(), 2u) << Issues(l->result);
  EXPECT_TRUE(l->result.issues.empty()) << Issues(l->result);
  const LoadedRule& r1 = l->result.rules[0];
  const LoadedRule& r2 = l->result.rules[1];
  EXPECT_EQ(r1.info.title, "Shared title");
  EXPECT_EQ(r1.info.status, "test");
  EXPECT_EQ(r1.info.level, Level::kHigh);
  EXPECT_EQ(r1.info.logsource.service, "sysmon");
  EXPECT_EQ(r1.info.line, 10);
  EXPECT_EQ(ToString(*r1.condition), "(selection and specific)");
  EXPECT_EQ(r1.detection.at("selection").line,
            5);  // lines of merged content point at the global document
  EXPECT_EQ(r1.detection.at("specific").groups[0][0].field, "Image");
  EXPECT_EQ(r1.detection.at("specific").line, 15);
  EXPECT_EQ(r2.info.level, Level::kLow);
  EXPECT_EQ(r2.info.logsource.service, "security");
  EXPECT_EQ(r2.detection.at("specific").groups[0][0].field, "NewProcessName");
  EXPECT_EQ(r2.detection.at("selection").groups[0][0].values[0].i, 1);
}

TEST(LoaderCollections, ResetEndsTheGlobalDocument) {
  auto l = LoadText("action: global\nlevel: critical\ntitle: g\n---\n" +
                    Rule("    s: x\n    condition: s\n", "e1") + "---\naction: reset\n---\n" +
                    Rule("    s: x\n    condition: s\n", "e2"));
  ASSERT_EQ(l->result.rules.size(), 2u) << Issues(l->result);
  EXPECT_EQ(l->result.rules[0].info.level, Level::kCritical);
  EXPECT_EQ(l->result.rules[1].info.level, Level::kMedium);
}

TEST(LoaderCollections, RepeatReusesThePreviousDocument) {
  auto l = LoadText(Rule("    s:\n        Image: x.exe\n    condition: s\n", "f1") +
                    "---\n"
                    "action: repeat\n"
                    "id: f2\n"
                    "logsource:\n"
                    "    product: linux\n"
                    "---\n"
                    "action: repeat\n"
                    "id: f3\n"
                    "detection:\n"
                    "    s:\n"
                    "        Image: y.exe\n");
  EXPECT_EQ(l->result.documents, 3u);
  ASSERT_EQ(l->result.rules.size(), 3u) << Issues(l->result);
  EXPECT_EQ(l->result.rules[1].info.id, "f2");
  EXPECT_EQ(l->result.rules[1].info.logsource.product, "linux");
  EXPECT_EQ(l->result.rules[1].info.logsource.category, "process_creation");  // deep merge
  EXPECT_EQ(l->result.rules[1].detection.at("s").groups[0][0].values[0].text, "x.exe");
  EXPECT_EQ(l->result.rules[2].info.logsource.product, "linux");  // repeats the repeated document
  EXPECT_EQ(l->result.rules[2].detection.at("s").groups[0][0].values[0].text, "y.exe");
}

TEST(LoaderCollections, RepeatWithoutPreviousAndUnknownActionsAreErrors) {
  auto l = LoadText("action: repeat\ntitle: t\n---\naction: explode\n");
  EXPECT_EQ(CountIssues(l->result, "bad-collection"), 2u) << Issues(l->result);
  EXPECT_EQ(l->result.documents, 2u);
}

TEST(LoaderCollections, DocumentsSharingTheGlobalIdAreOneRuleWithAWarning) {
  auto l = LoadText(
      "action: global\nid: shared-1\ntitle: t\ndetection:\n    s: x\n    condition: s\n"
      "---\nlogsource:\n    product: windows\n"
      "---\nlogsource:\n    product: linux\n");
  ASSERT_EQ(l->result.rules.size(), 2u) << Issues(l->result);
  EXPECT_EQ(l->result.errors(), 0u) << Issues(l->result);
  EXPECT_EQ(CountIssues(l->result, "shared-id"), 1u);
}

// ---- filters and correlations ----

TEST(LoaderKinds, FilterDocumentIsRecognised) {
  auto l = LoadText(
      "title: Filter Administrator account\n"
      "id: 44444444-4444-4444-8444-444444444444\n"
      "logsource:\n"
      "    category: process_creation\n"
      "    product: windows\n"
      "filter:\n"
      "    rules:\n"
      "        - 6f3e2987-db24-4c78-a860-b4f4095a7095\n"
      "        - some_rule_name\n"
      "    selection:\n"
      "        User|startswith: 'adm_'\n"
      "    condition: not selection\n");
  ASSERT_EQ(l->result.filters.size(), 1u) << Issues(l->result);
  EXPECT_TRUE(l->result.rules.empty());
  const LoadedFilter& f = l->result.filters[0];
  EXPECT_EQ(f.info.title, "Filter Administrator account");
  EXPECT_EQ(f.rules,
            (std::vector<std::string>{"6f3e2987-db24-4c78-a860-b4f4095a7095", "some_rule_name"}));
  EXPECT_EQ(f.detection.count("rules"), 0u);
  EXPECT_EQ(f.detection.at("selection").groups[0][0].modifiers,
            std::vector<std::string>{"startswith"});
  EXPECT_EQ(ToString(*f.condition), "(not selection)");
}

TEST(LoaderKinds, FilterWithoutRulesIsAnError) {
  auto l = LoadText(
      "title: f\nid: 5\nlogsource:\n    product: windows\nfilter:\n    selection:\n        User: "
      "x\n"
      "    condition: selection\n");
  EXPECT_TRUE(l->result.filters.empty());
  EXPECT_NE(FindIssue(l->result, "missing-field"), nullptr) << Issues(l->result);
}

TEST(LoaderKinds, CorrelationDocumentKeepsItsText) {
  const std::string correlation =
      "title: Many failed logins\n"
      "id: 55555555-5555-4555-8555-555555555555\n"
      "correlation:\n"
      "    type: event_count\n"
      "    rules:\n"
      "        - failed_login\n"
      "    group-by:\n"
      "        - ComputerName\n"
      "    timespan: 1h\n"
      "    condition:\n"
      "        gte: 100\n"
      "level: high\n";
  auto l = LoadText(
      "title: Failed login\nname: failed_login\nid: 66666666-6666-4666-8666-666666666666\n"
      "logsource:\n    product: windows\n    service: security\n"
      "detection:\n    s:\n        EventID: 4625\n    condition: s\n"
      "---\n" +
      correlation);
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  ASSERT_EQ(l->result.correlations.size(), 1u) << Issues(l->result);
  EXPECT_EQ(l->result.rules[0].info.name, "failed_login");
  const LoadedCorrelation& c = l->result.correlations[0];
  EXPECT_EQ(c.info.title, "Many failed logins");
  EXPECT_EQ(c.info.level, Level::kHigh);
  EXPECT_EQ(c.info.line, 12);
  EXPECT_EQ(c.yaml, correlation);
  EXPECT_TRUE(l->result.issues.empty()) << Issues(l->result);
}

TEST(LoaderKinds, DocumentOfTwoKindsIsAnError) {
  auto l = LoadText(Rule("    s: x\n    condition: s\n") + "correlation:\n    type: event_count\n");
  EXPECT_TRUE(l->result.rules.empty());
  EXPECT_TRUE(l->result.correlations.empty());
  EXPECT_NE(FindIssue(l->result, "bad-document"), nullptr);
}

// ---- files, directories, ids ----

TEST(LoaderFiles, DirectoriesAreReadRecursivelyInSortedOrder) {
  TempDir dir;
  dir.Write("b/z.yml", Rule("    s: x\n    condition: s\n", "id-bz"));
  dir.Write("a.yaml", Rule("    s: x\n    condition: s\n", "id-a"));
  dir.Write("b/c/d.yml", Rule("    s: x\n    condition: s\n", "id-bcd"));
  dir.Write("notes.txt", "not: a rule\n");
  dir.Write("README.md", "# rules\n");
  dir.Write(".git/x.yml", "title: [broken\n");
  LoadResult r = LoadRules({dir.path()});
  EXPECT_EQ(r.files, 3u);
  ASSERT_EQ(r.rules.size(), 3u) << Issues(r);
  EXPECT_EQ(r.rules[0].info.id, "id-a");
  EXPECT_EQ(r.rules[1].info.id, "id-bcd");
  EXPECT_EQ(r.rules[2].info.id, "id-bz");
  EXPECT_TRUE(r.issues.empty()) << Issues(r);
}

TEST(LoaderFiles, ExplicitFileLoadsWhateverItsExtension) {
  TempDir dir;
  std::string f = dir.Write("rule.txt", Rule("    s: x\n    condition: s\n"));
  LoadResult r = LoadRules({f});
  EXPECT_EQ(r.rules.size(), 1u) << Issues(r);
}

TEST(LoaderFiles, MissingPathIsAnIoError) {
  TempDir dir;
  dir.Write("ok.yml", Rule("    s: x\n    condition: s\n"));
  LoadResult r = LoadRules({dir.path() + "/nope", dir.path()});
  EXPECT_EQ(r.rules.size(), 1u);
  const LoadIssue* i = FindIssue(r, "io");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->file, dir.path() + "/nope");
}

TEST(LoaderFiles, SameFileNamedTwiceLoadsOnce) {
  TempDir dir;
  std::string f = dir.Write("ok.yml", Rule("    s: x\n    condition: s\n"));
  LoadResult r = LoadRules({f, dir.path()});
  EXPECT_EQ(r.files, 1u);
  EXPECT_EQ(r.rules.size(), 1u);
  EXPECT_TRUE(r.issues.empty()) << Issues(r);
}

TEST(LoaderFiles, BadYamlInOneFileDoesNotStopAnother) {
  TempDir dir;
  std::string bad =
      dir.Write("a_bad.yml", "title: x\ndetection:\n  sel: [1, 2\n  condition: sel\n");
  dir.Write("b_good.yml", Rule("    s: x\n    condition: s\n"));
  LoadResult r = LoadRules({dir.path()});
  EXPECT_EQ(r.files, 2u);
  EXPECT_EQ(r.documents, 2u);
  ASSERT_EQ(r.rules.size(), 1u);
  const LoadIssue* i = FindIssue(r, "yaml");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->file, bad);
  EXPECT_GE(i->line, 3);
  EXPECT_EQ(i->severity, LoadIssue::Severity::kError);
}

TEST(LoaderFiles, DuplicateIdAcrossFilesKeepsTheFirst) {
  TempDir dir;
  dir.Write("a.yml", Rule("    s: first\n    condition: s\n", "dup-id"));
  std::string second =
      dir.Write("b.yml", "# comment\n" + Rule("    s: second\n    condition: s\n", "dup-id"));
  LoadResult r = LoadRules({dir.path()});
  ASSERT_EQ(r.rules.size(), 1u);
  EXPECT_EQ(r.rules[0].detection.at("s").groups[0][0].values[0].text, "first");
  const LoadIssue* i = FindIssue(r, "duplicate-id");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->severity, LoadIssue::Severity::kError);
  EXPECT_EQ(i->file, second);
  EXPECT_EQ(i->line, 2);
  EXPECT_EQ(i->rule_id, "dup-id");
  EXPECT_NE(i->message.find("a.yml:1"), std::string::npos) << i->message;
}

TEST(LoaderFiles, DuplicateIdWithinAFileAndAcrossKinds) {
  auto l = LoadText(Rule("    s: x\n    condition: s\n", "same") + "---\n" +
                    "title: c\nid: same\ncorrelation:\n    type: event_count\n");
  EXPECT_EQ(l->result.rules.size(), 1u);
  EXPECT_TRUE(l->result.correlations.empty());
  EXPECT_EQ(CountIssues(l->result, "duplicate-id"), 1u) << Issues(l->result);
}

TEST(LoaderFiles, DuplicateNameIsAnError) {
  auto l = LoadText(Rule("    s: x\n    condition: s\n", "n1") + "name: twin\n---\n" +
                    Rule("    s: x\n    condition: s\n", "n2") + "name: twin\n");
  EXPECT_EQ(l->result.rules.size(), 1u);
  EXPECT_EQ(CountIssues(l->result, "duplicate-name"), 1u) << Issues(l->result);
}

TEST(LoaderFiles, ThreadCountDoesNotChangeTheResult) {
  TempDir dir;
  for (int i = 0; i < 40; ++i) {
    char name[32];
    snprintf(name, sizeof name, "r%02d.yml", i);
    dir.Write(name,
              Rule("    s: x\n    condition: s\n", i % 7 == 3 ? "dup" : "id-" + std::to_string(i)) +
                  (i % 5 == 0 ? "level: nope\n" : ""));
  }
  auto summary = [](const LoadResult& r) {
    std::string s;
    for (const LoadedRule& rule : r.rules) s += rule.info.id + " ";
    return s + Issues(r);
  };
  LoadOptions one;
  one.threads = 1;
  LoadOptions four;
  four.threads = 4;
  EXPECT_EQ(summary(LoadRules({dir.path()}, one)), summary(LoadRules({dir.path()}, four)));
}

TEST(LoaderFiles, DocumentsAreRulesPlusRejected) {
  auto l = LoadText(Rule("    s: x\n    condition: s\n", "g1") + "---\n" +
                    Rule("    s: x\n    condition: t\n", "g2") + "---\n" + "title: [\n");
  const LoadResult& r = l->result;
  EXPECT_EQ(r.documents, 3u);
  EXPECT_EQ(r.rules.size(), 1u);
  EXPECT_EQ(r.errors(), 2u) << Issues(r);
}

TEST(LoaderFiles, NeverThrowsOnHostileInput) {
  std::string deep(20000, '[');
  std::string binary("\x00\x01\xff\xfe title: \x80\x81\n", 16);
  for (const std::string& text :
       {deep, binary, std::string("\t\tbad: indentation\n  - x\n"), std::string("a: *nope\n"),
        std::string("{\"title\": 1, \"detection\": {\"s\": 1, \"condition\": \"s\"}}"),
        std::string("!!binary x: y\n"), std::string("? [a, b]\n: c\n")}) {
    std::unique_ptr<Loaded> l;
    ASSERT_NO_THROW(l = LoadText(text));
    EXPECT_GT(l->result.errors(), 0u) << text.substr(0, 40);
  }
}

TEST(LoaderFiles, ByteOrderMarkAndCrLfAreAccepted) {
  std::string text = "\xEF\xBB\xBF" + Rule("    s: x\n    condition: s\n");
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  auto l = LoadText(crlf);
  ASSERT_EQ(l->result.rules.size(), 1u) << Issues(l->result);
  EXPECT_EQ(l->result.rules[0].info.title, "Test rule");
  EXPECT_EQ(l->result.rules[0].detection.at("s").line, 7);
}

// ---- placeholders ----

TEST(LoaderPlaceholders, FileIsAMapOfLists) {
  TempDir dir;
  std::string f = dir.Write(
      "p.yml", "Workstations:\n    - 'WKS-*'\n    - 'PC-*'\n'%Servers%': srv01\nEmpty:\n");
  auto p = LoadPlaceholders(f);
  ASSERT_TRUE(p.has_value()) << p.error().ToString();
  EXPECT_EQ(p->at("Workstations"), (std::vector<std::string>{"WKS-*", "PC-*"}));
  EXPECT_EQ(p->at("Servers"), std::vector<std::string>{"srv01"});
  EXPECT_TRUE(p->at("Empty").empty());
}

TEST(LoaderPlaceholders, BadFilesAreErrorsWithLines) {
  TempDir dir;
  auto p = LoadPlaceholders(dir.Write("p.yml", "a:\n    - x\nb:\n    nested: map\n"));
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(std::string(p.error().message()).find(":3"), std::string::npos) << p.error().ToString();
  EXPECT_FALSE(LoadPlaceholders(dir.Write("q.yml", "- a\n")).has_value());
  EXPECT_FALSE(LoadPlaceholders(dir.Write("r.yml", "a: [\n")).has_value());
  EXPECT_FALSE(LoadPlaceholders(dir.path() + "/missing.yml").has_value());
}

TEST(LoaderPlaceholders, ExpandValuesAreCheckedWhenATableIsGiven) {
  const std::string rule = Rule(
      "    s:\n        ComputerName|expand: '%Workstations%'\n"
      "        User|expand: '\\%literal% and %Admins%'\n"
      "        Plain: '%NotAPlaceholder%'\n"
      "        Host|expand: '%has-hyphens%'\n"  // not \\w+: literal text for pySigma
      "    condition: s\n");
  std::map<std::string, std::vector<std::string>> table = {{"Workstations", {"WKS-*"}}};
  LoadOptions options;
  options.placeholders = &table;
  auto l = LoadText(rule, options);
  EXPECT_TRUE(l->result.rules.empty());
  ASSERT_EQ(CountIssues(l->result, "unresolved-placeholder"), 1u) << Issues(l->result);
  EXPECT_NE(FindIssue(l->result, "unresolved-placeholder")->message.find("%Admins%"),
            std::string::npos);
  EXPECT_EQ(FindIssue(l->result, "unresolved-placeholder")->line, 9);
  table["Admins"] = {"adm_*"};
  auto ok = LoadText(rule, options);
  EXPECT_EQ(ok->result.rules.size(), 1u) << Issues(ok->result);
  // Without a table the loader does not judge placeholders (the compiler does).
  EXPECT_EQ(LoadText(rule)->result.rules.size(), 1u);
}

}  // namespace
}  // namespace inari::sigma
