// How the JSON reader finds records in a text (JSON Lines, arrays, concatenated and
// pretty-printed documents), reports damage with line numbers and fills batches.
#include "ingest/json/json_reader.h"

#include <gtest/gtest.h>

#include "json_test_util.h"

namespace inari {
namespace {

using json_test::CollectingReporter;
using json_test::ReadAll;
using json_test::ReaderFor;
using json_test::TempDir;

struct Read {
  CollectingReporter reporter;
  EventBatch batch;
  std::vector<int64_t> ids() const {
    std::vector<int64_t> v;
    for (size_t i = 0; i < batch.size(); ++i) v.push_back(batch[i].event_id());
    return v;
  }
  std::vector<uint64_t> lines() const {
    std::vector<uint64_t> v;
    for (size_t i = 0; i < batch.size(); ++i) v.push_back(batch[i].origin().offset);
    return v;
  }
  std::vector<std::string> issue_lines() const {
    std::vector<std::string> v;
    for (const ReadIssue& i : reporter.issues) v.push_back(i.where);
    return v;
  }
};

std::unique_ptr<Read> ReadText(std::string text, size_t per_call = 1000) {
  auto r = std::make_unique<Read>();
  auto reader = ReaderFor(std::move(text), JsonShape::kAuto, &r->reporter);
  ReadAll(reader.get(), &r->batch, per_call);
  EXPECT_EQ(reader->bytes_done(), reader->bytes_total());
  return r;
}

using Ids = std::vector<int64_t>;
using Lines = std::vector<uint64_t>;
using Wheres = std::vector<std::string>;

TEST(JsonReader, ReadsJsonLinesWithCrLfAndBlankLines) {
  auto r = ReadText("{\"EventID\":1}\r\n\r\n{\"EventID\":2}\r\n   {\"EventID\":3}\n\n");
  EXPECT_TRUE(r->reporter.issues.empty()) << r->reporter.Describe();
  EXPECT_EQ(r->ids(), (Ids{1, 2, 3}));
  EXPECT_EQ(r->lines(), (Lines{1, 3, 4}));
  EXPECT_EQ(r->batch.source(r->batch[0].origin().source), "test.json");
}

TEST(JsonReader, ReadsLastLineWithoutNewline) {
  auto r = ReadText("{\"EventID\":1}\n{\"EventID\":2}");
  EXPECT_EQ(r->ids(), (Ids{1, 2}));
}

TEST(JsonReader, ReadsPrettyPrintedArrayWithStartLines) {
  auto r = ReadText("[\n  {\n    \"EventID\": 1,\n    \"Channel\": \"a\"\n  },\n  {\n    \"EventID\": 2\n  }\n]\n");
  EXPECT_TRUE(r->reporter.issues.empty()) << r->reporter.Describe();
  EXPECT_EQ(r->ids(), (Ids{1, 2}));
  EXPECT_EQ(r->lines(), (Lines{2, 6}));
}

TEST(JsonReader, ReadsArrayOnOneLine) {
  auto r = ReadText(R"([{"EventID":1},{"EventID":2,"x":[1,{"y":"]}"}]},{"EventID":3}])");
  EXPECT_TRUE(r->reporter.issues.empty()) << r->reporter.Describe();
  EXPECT_EQ(r->ids(), (Ids{1, 2, 3}));
}

TEST(JsonReader, ReadsConcatenatedPrettyPrintedDocuments) {
  auto r = ReadText("{\n  \"EventID\": 1,\n  \"s\": \"{ not a brace }\"\n}\n{\n  \"EventID\": 2\n}{\"EventID\": 3}\n");
  EXPECT_TRUE(r->reporter.issues.empty()) << r->reporter.Describe();
  EXPECT_EQ(r->ids(), (Ids{1, 2, 3}));
  EXPECT_EQ(r->lines(), (Lines{1, 5, 7}));
}

TEST(JsonReader, ReadsSeveralDocumentsOnOneLine) {
  auto r = ReadText(R"({"EventID":1}{"EventID":2} {"EventID":3})");
  EXPECT_TRUE(r->reporter.issues.empty()) << r->reporter.Describe();
  EXPECT_EQ(r->ids(), (Ids{1, 2, 3}));
}

TEST(JsonReader, SkipsByteOrderMark) {
  auto r = ReadText("\xEF\xBB\xBF{\"EventID\":1}\n");
  EXPECT_TRUE(r->reporter.issues.empty()) << r->reporter.Describe();
  EXPECT_EQ(r->ids(), (Ids{1}));
}

TEST(JsonReader, EmptyInputYieldsNothing) {
  for (const char* text : {"", "   \n\t\r\n  ", "[]", "[ ]\n"}) {
    auto r = ReadText(text);
    EXPECT_EQ(r->batch.size(), 0u) << text;
    EXPECT_TRUE(r->reporter.issues.empty()) << text << r->reporter.Describe();
  }
}

TEST(JsonReader, MalformedLineIsReportedWithItsLineNumberAndSkipped) {
  auto r = ReadText("{\"EventID\":1}\n{\"EventID\":2,}\n{\"EventID\":3}\n");
  EXPECT_EQ(r->ids(), (Ids{1, 3}));
  EXPECT_EQ(r->lines(), (Lines{1, 3}));
  ASSERT_EQ(r->issue_lines(), (Wheres{"line 2"}));
  const ReadIssue& issue = r->reporter.issues[0];
  EXPECT_EQ(issue.status.code(), Code::kParseError);
  EXPECT_EQ(issue.source, "test.json");
  EXPECT_FALSE(issue.fatal);
}

TEST(JsonReader, LineCutShortInsideAStringDoesNotSwallowTheNextLine) {
  auto r = ReadText("{\"EventID\":1}\n{\"EventID\":2,\"Cmd\":\"powershell -e\n{\"EventID\":3}\n");
  EXPECT_EQ(r->ids(), (Ids{1, 3}));
  EXPECT_EQ(r->issue_lines(), (Wheres{"line 2"}));
}

TEST(JsonReader, LineCutShortOutsideAStringDoesNotSwallowTheNextLine) {
  auto r = ReadText("{\"EventID\":1}\n{\"EventID\":2,\"x\":{\"y\":1\n{\"EventID\":3}\n{\"EventID\":4}\n");
  EXPECT_EQ(r->ids(), (Ids{1, 3, 4}));
  EXPECT_EQ(r->issue_lines(), (Wheres{"line 2"}));
}

TEST(JsonReader, TextThatIsNoJsonIsReportedOncePerRun) {
  auto r = ReadText("{\"EventID\":1}\nhello world\n  and more\n{\"EventID\":2}\n42\n");
  EXPECT_EQ(r->ids(), (Ids{1, 2}));
  EXPECT_EQ(r->issue_lines(), (Wheres{"line 2", "line 5"}));
}

TEST(JsonReader, DamagedPrettyPrintedDocumentIsReportedAtItsFirstLine) {
  // The second document is cut off; the third starts at column 0 and is read.
  auto r =
      ReadText("{\n  \"EventID\": 1\n}\n{\n  \"EventID\": 2,\n  \"Data\": {\n    \"a\": 1\n{\n  \"EventID\": 3\n}\n");
  EXPECT_EQ(r->ids(), (Ids{1, 3}));
  EXPECT_EQ(r->issue_lines(), (Wheres{"line 4"}));
}

TEST(JsonReader, BalancedButInvalidPrettyDocumentIsSkippedWhole) {
  auto r = ReadText("{\n  \"EventID\": 1\n  \"Channel\": \"x\"\n}\n{\n  \"EventID\": 2\n}\n");
  EXPECT_EQ(r->ids(), (Ids{2}));
  EXPECT_EQ(r->issue_lines(), (Wheres{"line 1"}));
}

TEST(JsonReader, ArrayElementsThatAreNoObjectsAreReported) {
  auto r = ReadText("[\n  {\"EventID\": 1},\n  \"text\",\n  {\"EventID\": 2}\n]\n");
  EXPECT_EQ(r->ids(), (Ids{1, 2}));
  EXPECT_EQ(r->issue_lines(), (Wheres{"line 3"}));
}

TEST(JsonReader, UnclosedArrayKeepsItsElementsAndIsReported) {
  auto r = ReadText("[\n  {\"EventID\": 1},\n  {\"EventID\": 2}\n");
  EXPECT_EQ(r->ids(), (Ids{1, 2}));
  ASSERT_EQ(r->issue_lines(), (Wheres{"line 1"}));
  EXPECT_EQ(r->reporter.issues[0].status.code(), Code::kTruncated);
}

TEST(JsonReader, Latin1TextIsReadAndReportedOnce) {
  auto r = ReadText("{\"EventID\":1,\"User\":\"J\xF6rg\"}\n{\"EventID\":2,\"User\":\"Ren\xE9\"}\n");
  ASSERT_EQ(r->ids(), (Ids{1, 2}));
  EXPECT_EQ(json_test::Get(r->batch[0], "User")->ToText(), "J\xC3\xB6rg");
  EXPECT_EQ(json_test::Get(r->batch[1], "User")->ToText(), "Ren\xC3\xA9");
  EXPECT_EQ(r->issue_lines(), (Wheres{"line 1"}));
}

TEST(JsonReader, ManyProblemsAreSummedUpAfterTheFirstHundred) {
  std::string text;
  for (int i = 0; i < 250; ++i) text += "{\"EventID\":" + std::to_string(i) + ",}\n";
  text += "{\"EventID\":7}\n";
  auto r = ReadText(text);
  EXPECT_EQ(r->ids(), (Ids{7}));
  ASSERT_EQ(r->reporter.issues.size(), 101u);
  EXPECT_NE(r->reporter.issues.back().status.message().find("150 further"), std::string_view::npos)
      << r->reporter.issues.back().status.ToString();
}

TEST(JsonReader, FillsResetBatchesInPiecesAndRegistersTheSourceInEach) {
  std::string text;
  for (int i = 1; i <= 10; ++i)
    text += "{\"EventID\":" + std::to_string(i) + ",\"s\":\"v" + std::to_string(i) + "\"}\n";
  CollectingReporter reporter;
  auto reader = ReaderFor(text, JsonShape::kAuto, &reporter, "pieces.jsonl");
  EventBatch batch;
  std::vector<int64_t> ids;
  int calls = 0;
  bool more = true;
  while (more) {
    batch.Reset();
    batch.AddSource("someone else's source");
    more = reader->Next(&batch, 3);
    ++calls;
    ASSERT_LE(batch.size(), 3u);
    for (size_t i = 0; i < batch.size(); ++i) {
      EventView e = batch[i];
      EXPECT_EQ(batch.source(e.origin().source), "pieces.jsonl");
      EXPECT_EQ(e.origin().offset, static_cast<uint64_t>(e.event_id()));
      EXPECT_EQ(json_test::Get(e, "s")->ToText(), "v" + std::to_string(e.event_id()));
      ids.push_back(e.event_id());
    }
  }
  EXPECT_EQ(ids, (Ids{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_GE(calls, 4);
  EXPECT_TRUE(reporter.issues.empty());
}

TEST(JsonReader, BatchKeepsTheInputAliveAfterTheReaderIsGone) {
  EventBatch batch;
  {
    auto data = std::make_shared<const std::string>("{\"EventID\":1,\"CommandLine\":\"whoami /all\"}\n");
    auto reader = NewJsonReader("mem", data, JsonShape::kAuto, nullptr);
    ReadAll(reader.get(), &batch);
  }
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(json_test::Get(batch[0], "CommandLine")->ToText(), "whoami /all");
}

TEST(JsonReader, UsesAPaddedInputInPlace) {
  auto text = std::make_shared<std::string>();
  text->reserve(4096);
  *text = "{\"EventID\":5,\"Image\":\"C:\\\\x.exe\",\"User\":\"bob\"}";
  const char* data = text->data();
  EventBatch batch;
  auto reader = NewJsonReader("mem", text, JsonShape::kAuto, nullptr);
  ReadAll(reader.get(), &batch);
  ASSERT_EQ(batch.size(), 1u);
  // A string without escapes is a view into the input; one with escapes is unescaped.
  const Value* user = json_test::Get(batch[0], "User");
  EXPECT_GE(user->s, data);
  EXPECT_LT(user->s, data + text->size());
  EXPECT_EQ(json_test::Get(batch[0], "Image")->ToText(), "C:\\x.exe");
}

TEST(JsonReader, OpensPlainFilesOfAnyName) {
  TempDir dir;
  std::string path = dir.Write("events.log", "{\"EventID\":4624}\n{\"EventID\":4625}\n");
  CollectingReporter reporter;
  auto reader = OpenJsonReader(path, JsonShape::kAuto, &reporter);
  ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
  EventBatch batch;
  ReadAll(reader.value().get(), &batch);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch.source(batch[1].origin().source), path);
  EXPECT_EQ(reader.value()->bytes_total(), 34u);
  EXPECT_TRUE(reporter.issues.empty());
}

TEST(JsonReader, MissingFileFailsToOpen) {
  auto reader = OpenJsonReader("/nonexistent/inari/x.json", JsonShape::kAuto, nullptr);
  ASSERT_FALSE(reader.has_value());
  EXPECT_EQ(reader.error().code(), Code::kIOError);
}

TEST(JsonReader, Utf16FileIsNotSupported) {
  TempDir dir;
  std::string path = dir.Write("u16.json", std::string("\xFF\xFE{\0\"\0", 6));
  auto reader = OpenJsonReader(path, JsonShape::kAuto, nullptr);
  ASSERT_FALSE(reader.has_value());
  EXPECT_EQ(reader.error().code(), Code::kNotSupported);
}

}  // namespace
}  // namespace inari
