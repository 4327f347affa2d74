// PostgreSQL log readers: stderr, csvlog and jsonlog text → events, damage
// reported with its line and skipped, the shared samples read whole.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/time.h"
#include "dbaudit_test_util.h"
#include "ingest/dbaudit/pg_record.h"
#include "ingest/discover.h"

namespace inari {
namespace {

using pg_test::Ev;
using pg_test::Issues;
using pg_test::ReadText;

namespace fs = std::filesystem;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string TempPath(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("inari_dbaudit_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}

// ---- stderr ------------------------------------------------------------------

const char* kDebianLog =
    "2024-05-02 09:00:00.001 UTC [100] LOG:  database system is ready to accept connections\n"
    "2024-05-02 09:00:01.000 UTC [200] [unknown]@[unknown] LOG:  connection received: host=10.0.0.7 port=51000\n"
    "2024-05-02 09:00:01.010 UTC [200] support1@crm LOG:  connection authorized: user=support1 database=crm "
    "application_name=DBeaver 23.1.0 - Main\n"
    "2024-05-02 09:00:02.000 UTC [200] support1@crm LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.customers,"
    "\"SELECT id, name, email\n"
    "\t  FROM customers\n"
    "\t WHERE id > $1\",\"100,\"\"x, y\"\"\",68000\n"
    "2024-05-02 09:00:03.000 UTC [200] support1@crm ERROR:  relation \"secrets\" does not exist at character 15\n"
    "2024-05-02 09:00:03.000 UTC [200] support1@crm STATEMENT:  SELECT * FROM secrets\n"
    "\t;\n"
    "2024-05-02 09:00:04.500 UTC [200] support1@crm LOG:  duration: 12.500 ms  execute <unnamed>: SELECT 1\n"
    "2024-05-02 09:00:04.500 UTC [200] support1@crm DETAIL:  parameters: $1 = '5'\n"
    "2024-05-02 09:00:05.000 UTC [200] support1@crm LOG:  disconnection: session time: 0:00:04.000 user=support1 "
    "database=crm host=10.0.0.7 port=51000\n"
    "2024-05-02 09:00:06.000 UTC [300] [unknown]@[unknown] LOG:  connection received: host=10.0.0.9 port=40000\n"
    "2024-05-02 09:00:06.100 UTC [300] mallory@crm FATAL:  password authentication failed for user \"mallory\"\n"
    "2024-05-02 09:00:06.100 UTC [300] mallory@crm DETAIL:  Connection matched pg_hba.conf line 95: \"host all all "
    "all md5\"\n"
    "2024-05-02 09:00:07.000 UTC [301] [unknown]@[unknown] FATAL:  no pg_hba.conf entry for host \"10.9.9.9\", user "
    "\"eve\", database \"crm\", no encryption\n";

TEST(DbauditStderr, DebianPrefixDetectedAndEverythingClassified) {
  Issues issues;
  std::vector<Ev> ev = ReadText(kDebianLog, PgLogFormat::kStderr, &issues);
  ASSERT_EQ(issues.size(), 0u) << issues.Describe();
  ASSERT_EQ(ev.size(), 10u);
  for (const Ev& e : ev) {
    EXPECT_EQ(e["Channel"], "PostgreSQL");
    EXPECT_EQ(e["Provider_Name"], "postgresql");
  }
  EXPECT_EQ(ev[0]["EventType"], "log");
  EXPECT_EQ(ev[0]["ProcessId"], "100");
  EXPECT_EQ(ev[0].time, ParseIso8601("2024-05-02T09:00:00.001Z"));
  EXPECT_EQ(ev[0]["TimeCreated_SystemTime"], "2024-05-02T09:00:00.0010000Z");
  EXPECT_FALSE(ev[0].has("User"));

  EXPECT_EQ(ev[1]["EventType"], "connect");
  EXPECT_EQ(ev[1]["Client"], "10.0.0.7");
  EXPECT_EQ(ev[1]["ClientPort"], "51000");
  EXPECT_EQ(ev[1].type.at("ClientPort"), ValueType::kUInt);
  EXPECT_FALSE(ev[1].has("User"));

  EXPECT_EQ(ev[2]["EventType"], "authorized");
  EXPECT_EQ(ev[2]["User"], "support1");
  EXPECT_EQ(ev[2]["Database"], "crm");
  EXPECT_EQ(ev[2]["Application"], "DBeaver 23.1.0 - Main");

  const Ev& a = ev[3];
  EXPECT_EQ(a["EventType"], "audit");
  EXPECT_EQ(a.line, 4u);
  EXPECT_EQ(a["AuditType"], "SESSION");
  EXPECT_EQ(a["StatementId"], "1");
  EXPECT_EQ(a["SubstatementId"], "1");
  EXPECT_EQ(a["Class"], "READ");
  EXPECT_EQ(a["Command"], "SELECT");
  EXPECT_EQ(a["ObjectType"], "TABLE");
  EXPECT_EQ(a["Table"], "public.customers");
  EXPECT_EQ(a["Statement"], "SELECT id, name, email\n  FROM customers\n WHERE id > $1");  // one tab removed per line
  EXPECT_EQ(a["Parameters"], "100,\"x, y\"");
  EXPECT_EQ(a["Rows"], "68000");
  EXPECT_EQ(a.type.at("Rows"), ValueType::kUInt);
  // Client and application come from the session's connection lines (the prefix has neither).
  EXPECT_EQ(a["Client"], "10.0.0.7");
  EXPECT_EQ(a["ClientPort"], "51000");
  EXPECT_EQ(a["Application"], "DBeaver 23.1.0 - Main");
  EXPECT_EQ(a["User"], "support1");

  EXPECT_EQ(ev[4]["EventType"], "error");
  EXPECT_EQ(ev[4]["Severity"], "ERROR");
  EXPECT_EQ(ev[4]["Statement"], "SELECT * FROM secrets\n;");
  EXPECT_EQ(ev[4].line, 7u);

  EXPECT_EQ(ev[5]["EventType"], "statement");
  EXPECT_EQ(ev[5]["Duration"], "12.5");
  EXPECT_EQ(ev[5]["Statement"], "SELECT 1");
  EXPECT_EQ(ev[5]["Parameters"], "$1 = '5'");
  EXPECT_EQ(ev[5]["Detail"], "parameters: $1 = '5'");

  EXPECT_EQ(ev[6]["EventType"], "disconnect");
  EXPECT_EQ(ev[6]["SessionDuration"], "4");
  EXPECT_EQ(ev[6].type.at("SessionDuration"), ValueType::kDouble);

  EXPECT_EQ(ev[8]["EventType"], "auth_failed");
  EXPECT_EQ(ev[8]["User"], "mallory");
  EXPECT_EQ(ev[8]["Severity"], "FATAL");
  EXPECT_EQ(ev[8]["Client"], "10.0.0.9");
  EXPECT_EQ(ev[8]["Detail"], "Connection matched pg_hba.conf line 95: \"host all all all md5\"");

  EXPECT_EQ(ev[9]["EventType"], "auth_failed");
  EXPECT_EQ(ev[9]["User"], "eve");
  EXPECT_EQ(ev[9]["Database"], "crm");
  EXPECT_EQ(ev[9]["Client"], "10.9.9.9");
  EXPECT_EQ(ev[9].line, 16u);
}

TEST(DbauditStderr, SmallBatchesGiveTheSameEvents) {
  Issues issues;
  std::vector<Ev> all = ReadText(kDebianLog, PgLogFormat::kStderr, &issues);
  std::vector<Ev> ones = ReadText(kDebianLog, PgLogFormat::kStderr, &issues, std::nullopt, 1);
  ASSERT_EQ(all.size(), ones.size());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].f, ones[i].f) << i;
}

TEST(DbauditStderr, PrefixVariants) {
  struct Case {
    const char* prefix;  // nullptr: detect
    std::string line;
    const char* user;
    const char* pid;
  };
  const Case cases[] = {
      {nullptr, "2024-05-02 09:00:02 CEST [4242]: [7-1] user=bob,db=crm,app=psql,client=10.1.2.3 LOG:  AUDIT: "
                "SESSION,1,1,READ,SELECT,,,SELECT 1,<not logged>\n",
       "bob", "4242"},
      {nullptr, "2024-05-02 07:00:02 UTC:10.1.2.3(5555):bob@crm:[4242]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,"
                "SELECT 1,<not logged>\n",
       "bob", "4242"},
      {nullptr, "2024-05-02 07:00:02.000 UTC bob crm [4242]: LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,SELECT 1,"
                "<not logged>\n",
       "bob", "4242"},
      {"%m|%u|%d|%p|", "2024-05-02 07:00:02.000 UTC|bob|crm|4242|LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,SELECT 1,"
                       "<not logged>\n",
       "bob", "4242"},
      {"", "LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,SELECT 1,<not logged>\n", nullptr, nullptr},
  };
  for (const Case& c : cases) {
    Issues issues;
    std::optional<std::string> prefix;
    if (c.prefix) prefix = c.prefix;
    std::vector<Ev> ev = ReadText(c.line, PgLogFormat::kStderr, &issues, prefix);
    ASSERT_EQ(ev.size(), 1u) << c.line;
    EXPECT_EQ(issues.size(), 0u) << issues.Describe();
    EXPECT_EQ(ev[0]["EventType"], "audit") << c.line;
    EXPECT_EQ(ev[0]["Statement"], "SELECT 1");
    if (c.user) {
      EXPECT_EQ(ev[0]["User"], c.user) << c.line;
    }
    if (c.pid) {
      EXPECT_EQ(ev[0]["ProcessId"], c.pid) << c.line;
    }
    if (c.user) {
      EXPECT_EQ(ev[0].time, ParseIso8601("2024-05-02T07:00:02Z")) << c.line;
    }
  }
}

TEST(DbauditStderr, VerboseSqlStateAndLocation) {
  Issues issues;
  std::vector<Ev> ev = ReadText(
      "2024-05-02 09:00:03.000 UTC [200] a@b ERROR:  42P01: relation \"x\" does not exist at character 15\n"
      "2024-05-02 09:00:03.000 UTC [200] a@b LOCATION:  parserOpenTable, parse_relation.c:1384\n"
      "2024-05-02 09:00:03.000 UTC [200] a@b STATEMENT:  select * from x;\n"
      "2024-05-02 09:00:04.000 UTC [200] a@b LOG:  00000: AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<none>\n",
      PgLogFormat::kStderr, &issues);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0]["SqlState"], "42P01");
  EXPECT_EQ(ev[0]["Message"], "relation \"x\" does not exist at character 15");
  EXPECT_EQ(ev[0]["Location"], "parserOpenTable, parse_relation.c:1384");
  EXPECT_EQ(ev[0]["Statement"], "select * from x;");
  EXPECT_EQ(ev[1]["EventType"], "audit");
  EXPECT_EQ(ev[1]["Parameters"], "<none>");
}

TEST(DbauditStderr, DamageIsReportedWithItsLineAndSkipped) {
  Issues issues;
  std::vector<Ev> ev = ReadText(
      "2024-05-02 09:00:00.000 UTC [1] LOG:  first\n"
      "this line is not from postgres\n"                                   // line 2
      "\tand its continuation\n"                                           // skipped with it
      "2024-05-02 09:00:01.000 UTC [2] a@b LOG:  AUDIT: SESSION,x,1,READ\n"  // line 4: bad pgaudit
      "\x01\x02\xff binary\n"                                              // line 5
      "2024-05-02 09:00:02.000 UTC [1] LOG:  last\n"
      "2024-05-02 09:00:03.000 UTC [1] LOG:  no newline at the end",
      PgLogFormat::kStderr, &issues);
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0]["Message"], "first");
  EXPECT_EQ(ev[1]["EventType"], "log");  // kept, with its text
  EXPECT_EQ(ev[1]["Message"], "AUDIT: SESSION,x,1,READ");
  EXPECT_EQ(ev[2]["Message"], "last");
  EXPECT_EQ(ev[2].line, 6u);
  EXPECT_EQ(ev[3]["Message"], "no newline at the end");
  ASSERT_EQ(issues.size(), 3u) << issues.Describe();
  EXPECT_EQ(issues.list[0].where, "line 2");
  EXPECT_EQ(issues.list[0].source, "test.log");
  EXPECT_EQ(issues.list[1].where, "line 4");
  EXPECT_EQ(issues.list[2].where, "line 5");
  for (const ReadIssue& i : issues.list) EXPECT_EQ(i.status.code(), Code::kParseError);
}

TEST(DbauditStderr, ExplicitPrefixThatDoesNotFitFallsBackToLoose) {
  Issues issues;
  std::vector<Ev> ev = ReadText("2024-05-02 09:00:00.000 UTC [7] LOG:  a\n2024-05-02 09:00:00.000 UTC [7] LOG:  b\n",
                                PgLogFormat::kStderr, &issues, std::string("%t <%u> "));
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[1]["ProcessId"], "7");
  EXPECT_EQ(ev[1].time, ParseIso8601("2024-05-02T09:00:00Z"));
  ASSERT_EQ(issues.size(), 1u);  // said once
  EXPECT_EQ(issues.list[0].where, "line 1");
}

// ---- csvlog --------------------------------------------------------------------

TEST(DbauditCsv, Pg15RowsWithQuotingAndNewlines) {
  const std::string text =
      "2024-05-02 09:00:02.000 UTC,\"support1\",\"crm\",200,\"10.0.0.7:51000\",6633a2c1.c8,3,\"SELECT\","
      "2024-05-02 09:00:01 UTC,3/12,0,LOG,00000,\"AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.customers,\"\"SELECT "
      "id, \"\"\"\"na,me\"\"\"\"\n  FROM customers\"\",<none>,68000\",,,,,,,,,\"DBeaver, 23\",client backend,,"
      "-6461937263462733421\n"
      "2024-05-02 09:00:03.000 UTC,\"support1\",\"crm\",200,\"10.0.0.7:51000\",6633a2c1.c8,4,\"SELECT\","
      "2024-05-02 09:00:01 UTC,3/13,0,ERROR,42P01,\"relation \"\"secrets\"\" does not exist\",,,,,,\"SELECT * FROM "
      "secrets;\",15,,\"psql\",client backend,,0\n";
  Issues issues;
  std::vector<Ev> ev = ReadText(text, PgLogFormat::kCsv, &issues);
  ASSERT_EQ(issues.size(), 0u) << issues.Describe();
  ASSERT_EQ(ev.size(), 2u);
  const Ev& a = ev[0];
  EXPECT_EQ(a["EventType"], "audit");
  EXPECT_EQ(a["User"], "support1");
  EXPECT_EQ(a["Database"], "crm");
  EXPECT_EQ(a["Client"], "10.0.0.7");
  EXPECT_EQ(a["ClientPort"], "51000");
  EXPECT_EQ(a["SessionId"], "6633a2c1.c8");
  EXPECT_EQ(a["SessionLine"], "3");
  EXPECT_EQ(a["CommandTag"], "SELECT");
  EXPECT_EQ(a["VirtualTransactionId"], "3/12");
  EXPECT_FALSE(a.has("TransactionId"));  // 0: none
  EXPECT_EQ(a["SqlState"], "00000");
  EXPECT_EQ(a["Application"], "DBeaver, 23");
  EXPECT_EQ(a["BackendType"], "client backend");
  EXPECT_EQ(a["QueryId"], "-6461937263462733421");
  EXPECT_EQ(a["Statement"], "SELECT id, \"na,me\"\n  FROM customers");  // CSV inside CSV, unquoted twice
  EXPECT_EQ(a["Rows"], "68000");
  EXPECT_EQ(a["Table"], "public.customers");
  EXPECT_EQ(ev[1].line, 3u);  // the first row spans two lines
  EXPECT_EQ(ev[1]["EventType"], "error");
  EXPECT_EQ(ev[1]["Message"], "relation \"secrets\" does not exist");
  EXPECT_EQ(ev[1]["Statement"], "SELECT * FROM secrets;");
  EXPECT_FALSE(ev[1].has("QueryId"));  // 0: not computed
}

TEST(DbauditCsv, DamagedRowsAreSkippedAndReadingResumes) {
  const std::string good =
      "2024-05-02 09:00:00.000 UTC,,,27,,5ff25ba2.1b,1,,2024-05-02 09:00:00 UTC,,0,LOG,00000,\"ok\",,,,,,,,,\"\"\n";
  const std::string text = good +
                           "2024-05-02 09:00:00.000 UTC,,,27,,5ff25ba2.1b,2,,\"unclosed quote,LOG,00000,\"x\n" +  // 2
                           good +                                                                      // 3
                           "2024-05-02 09:00:00.000 UTC,too,few,columns\n" +                           // 4
                           "not a row at all\n" +                                                      // 5 (skipped)
                           good;                                                                       // 6
  Issues issues;
  std::vector<Ev> ev = ReadText(text, PgLogFormat::kCsv, &issues);
  ASSERT_EQ(ev.size(), 3u) << issues.Describe();
  EXPECT_EQ(ev[0].line, 1u);
  EXPECT_EQ(ev[1].line, 3u);
  EXPECT_EQ(ev[2].line, 6u);
  ASSERT_EQ(issues.size(), 2u) << issues.Describe();
  EXPECT_EQ(issues.list[0].where, "line 2");
  EXPECT_EQ(issues.list[1].where, "line 4");
}

TEST(DbauditCsv, SharedSamplePostgres11EveryRow) {
  const std::string path = std::string(INARI_SHARED_DATA) +
                           "/logs/elastic-beats/filebeat/module/postgresql/log/test/"
                           "postgresql-11-connection-disconnection.csv.log";
  Issues issues;
  // Through OpenReader: the format is detected from the content.
  auto reader = OpenReader(path, ReaderOptions{}, &issues);
  ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
  std::vector<Ev> ev = pg_test::Drain(reader.value().get());
  EXPECT_EQ(issues.size(), 0u) << issues.Describe();
  // Every row of the file: rows start with the year, continuation lines do not.
  const std::string text = ReadFile(path);
  size_t rows = 0;
  for (size_t p = 0; p < text.size(); p = text.find('\n', p) + 1) {
    if (text.compare(p, 3, "202") == 0) ++rows;
    if (text.find('\n', p) == std::string::npos) break;
  }
  ASSERT_EQ(rows, 20u);
  ASSERT_EQ(ev.size(), rows);
  std::map<std::string, int> types;
  for (const Ev& e : ev) ++types[e["EventType"]];
  EXPECT_EQ(types["connect"], 5);
  EXPECT_EQ(types["authorized"], 1);
  EXPECT_EQ(types["statement"], 7);
  EXPECT_EQ(types["disconnect"], 1);
  EXPECT_EQ(types["auth_failed"], 4);
  EXPECT_EQ(types["log"], 2);  // "was shut down", "ready to accept connections"
  // Row by row, against the file.
  EXPECT_EQ(ev[0]["Message"], "database system was shut down at 2021-01-03 20:01:08 UTC");
  EXPECT_EQ(ev[0]["ProcessId"], "27");
  EXPECT_EQ(ev[0]["SessionId"], "5ff25ba2.1b");
  EXPECT_EQ(ev[2]["EventType"], "connect");
  EXPECT_EQ(ev[2]["Client"], "172.24.0.1");
  EXPECT_EQ(ev[2]["ClientPort"], "42304");
  EXPECT_EQ(ev[3]["EventType"], "authorized");
  EXPECT_EQ(ev[3]["User"], "postgres");
  EXPECT_EQ(ev[3]["Database"], "postgres");
  EXPECT_EQ(ev[3]["CommandTag"], "authentication");
  EXPECT_EQ(ev[4]["EventType"], "statement");
  EXPECT_EQ(ev[4]["Application"], "psql");
  EXPECT_EQ(ev[4]["Statement"],
            "SELECT name FROM  (SELECT pg_catalog.lower(name) AS name FROM pg_catalog.pg_settings   WHERE context != "
            "'internal'   UNION ALL SELECT 'all') ss  WHERE substring(name,1,10)='log_connec'\nLIMIT 1000");
  EXPECT_EQ(ev[4].line, 5u);
  EXPECT_EQ(ev[5].line, 7u);
  const Ev& d = ev[11];
  EXPECT_EQ(d["EventType"], "disconnect");
  EXPECT_EQ(d["SessionDuration"], "45.407");
  EXPECT_EQ(d["User"], "postgres");
  EXPECT_EQ(d.time, ParseIso8601("2021-01-04T00:05:51.418Z"));
  const Ev& f = ev[13];
  EXPECT_EQ(f["EventType"], "auth_failed");
  EXPECT_EQ(f["User"], "azlev");
  EXPECT_EQ(f["SqlState"], "28P01");
  EXPECT_EQ(f["Severity"], "FATAL");
  EXPECT_EQ(f["Message"], "password authentication failed for user \"azlev\"");
  EXPECT_EQ(f["Detail"], "Role \"azlev\" does not exist.\nConnection matched pg_hba.conf line 95: \"host all all all md5\"");
}

// ---- jsonlog -------------------------------------------------------------------

TEST(DbauditJson, Pg15Entries) {
  const std::string text =
      "{\"timestamp\":\"2024-05-02 09:00:02.000 UTC\",\"user\":\"support1\",\"dbname\":\"crm\",\"pid\":200,"
      "\"remote_host\":\"10.0.0.7\",\"remote_port\":51000,\"session_id\":\"6633a2c1.c8\",\"line_num\":3,\"ps\":"
      "\"SELECT\",\"session_start\":\"2024-05-02 09:00:01 UTC\",\"vxid\":\"3/12\",\"txid\":0,\"error_severity\":"
      "\"LOG\",\"message\":\"AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.customers,\\\"SELECT \\\"\\\"a\\\"\\\"\\n "
      "FROM customers\\\",<none>,3\",\"application_name\":\"psql\",\"backend_type\":\"client backend\","
      "\"query_id\":-6461937263462733421}\n"
      "\n"
      "{\"timestamp\":\"2024-05-02 09:00:03.000 UTC\",\"pid\":200,\"error_severity\":\"ERROR\",\"state_code\":"
      "\"42P01\",\"message\":\"relation \\\"x\\\" does not exist\",\"statement\":\"select * from x\","
      "\"func_name\":\"parserOpenTable\",\"file_name\":\"parse_relation.c\",\"file_line_num\":1384}\n"
      "{\"timestamp\":\"2024-05-02 09:00:04.000 UTC\",\"pid\":200,\"error_severity\":\"LOG\",\"message\":\"cut sh\n"
      "{\"timestamp\":\"2024-05-02 09:00:05.000 UTC\",\"pid\":\"200\",\"error_severity\":\"LOG\",\"message\":\"é "
      "\\u00e9\"}\n"
      "{\"no\":\"severity\"}\n"
      "[1,2]\n";
  Issues issues;
  std::vector<Ev> ev = ReadText(text, PgLogFormat::kJson, &issues);
  ASSERT_EQ(ev.size(), 3u) << issues.Describe();
  const Ev& a = ev[0];
  EXPECT_EQ(a["EventType"], "audit");
  EXPECT_EQ(a["Statement"], "SELECT \"a\"\n FROM customers");
  EXPECT_EQ(a["Rows"], "3");
  EXPECT_EQ(a["Client"], "10.0.0.7");
  EXPECT_EQ(a["ClientPort"], "51000");
  EXPECT_EQ(a["SessionStart"], "2024-05-02T09:00:01.0000000Z");
  EXPECT_EQ(a["QueryId"], "-6461937263462733421");
  EXPECT_EQ(a["CommandTag"], "SELECT");
  EXPECT_EQ(ev[1]["EventType"], "error");
  EXPECT_EQ(ev[1]["Location"], "parserOpenTable, parse_relation.c:1384");
  EXPECT_EQ(ev[1]["Statement"], "select * from x");
  EXPECT_EQ(ev[1].line, 3u);
  EXPECT_EQ(ev[2]["Message"], "é é");
  EXPECT_EQ(ev[2].line, 5u);
  ASSERT_EQ(issues.size(), 3u) << issues.Describe();
  EXPECT_EQ(issues.list[0].where, "line 4");
  EXPECT_EQ(issues.list[1].where, "line 6");
  EXPECT_EQ(issues.list[2].where, "line 7");
}

// ---- the same entries in all three formats ----------------------------------------

TEST(DbauditFormats, SameEntryThreeWays) {
  Issues issues;
  auto s = ReadText(
      "2024-05-02 09:00:02.000 UTC [200] support1@crm LOG:  AUDIT: OBJECT,7,2,WRITE,UPDATE,TABLE,public.customers,"
      "\"UPDATE customers\n\t   SET email = 'x'\",<not logged>\n",
      PgLogFormat::kStderr, &issues);
  auto c = ReadText(
      "2024-05-02 09:00:02.000 UTC,\"support1\",\"crm\",200,,6633a2c1.c8,3,\"UPDATE\",2024-05-02 09:00:01 UTC,3/12,0,"
      "LOG,00000,\"AUDIT: OBJECT,7,2,WRITE,UPDATE,TABLE,public.customers,\"\"UPDATE customers\n   SET email = "
      "'x'\"\",<not logged>\",,,,,,,,,\"\",client backend,,0\n",
      PgLogFormat::kCsv, &issues);
  auto j = ReadText(
      "{\"timestamp\":\"2024-05-02 09:00:02.000 UTC\",\"user\":\"support1\",\"dbname\":\"crm\",\"pid\":200,"
      "\"error_severity\":\"LOG\",\"message\":\"AUDIT: OBJECT,7,2,WRITE,UPDATE,TABLE,public.customers,\\\"UPDATE "
      "customers\\n   SET email = 'x'\\\",<not logged>\"}\n",
      PgLogFormat::kJson, &issues);
  ASSERT_EQ(issues.size(), 0u) << issues.Describe();
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ(c.size(), 1u);
  ASSERT_EQ(j.size(), 1u);
  for (const char* k : {"EventType", "AuditType", "StatementId", "SubstatementId", "Class", "Command", "ObjectType",
                        "Table", "Statement", "Parameters", "User", "Database", "ProcessId", "Severity",
                        "TimeCreated_SystemTime", "Message"}) {
    EXPECT_EQ(s[0][k], c[0][k]) << k;
    EXPECT_EQ(s[0][k], j[0][k]) << k;
  }
  EXPECT_EQ(s[0]["Statement"], "UPDATE customers\n   SET email = 'x'");
}

// ---- pgaudit's own regression output ------------------------------------------------

// pgaudit's expected regression output (psql's view: "NOTICE:  AUDIT: …" lines
// among the SQL). Every AUDIT message is cut out (a message ends where its CSV
// quotes balance), written as a server log with the Debian prefix and read back.
TEST(DbauditShared, PgauditRegressionOutputEveryRecord) {
  const std::string text = ReadFile(std::string(INARI_SHARED_DATA) + "/logs/pgaudit/expected/pgaudit.out");
  ASSERT_FALSE(text.empty());
  struct Msg {
    std::string severity, body;
  };
  std::vector<Msg> msgs;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t a = line.find(":  AUDIT: ");
    if (a == std::string::npos || a > 8) continue;
    Msg m{line.substr(0, a), line.substr(a + 3)};
    auto quotes = [](const std::string& s) { return std::count(s.begin(), s.end(), '"'); };
    while (quotes(m.body) % 2 != 0 && std::getline(in, line)) m.body += "\n" + line;
    msgs.push_back(std::move(m));
  }
  ASSERT_EQ(msgs.size(), 415u);  // grep -c 'AUDIT: ' pgaudit.out

  std::string log;
  for (size_t i = 0; i < msgs.size(); ++i) {
    std::string body;
    for (char ch : msgs[i].body) {
      body.push_back(ch);
      if (ch == '\n') body.push_back('\t');
    }
    log += "2024-05-02 09:00:00.000 UTC [" + std::to_string(1000 + i) + "] regress_user1@contrib_regression " +
           msgs[i].severity + ":  " + body + "\n";
  }
  Issues issues;
  std::vector<Ev> ev = ReadText(log, PgLogFormat::kStderr, &issues);
  EXPECT_EQ(issues.size(), 0u) << issues.Describe();
  ASSERT_EQ(ev.size(), msgs.size());
  Arena arena;
  size_t with_rows = 0, with_params = 0, once = 0;
  for (size_t i = 0; i < ev.size(); ++i) {
    const Ev& e = ev[i];
    ASSERT_EQ(e["EventType"], "audit") << msgs[i].body;
    // The reader's fields equal a direct parse of the message.
    pg::AuditFields a;
    const char* why = nullptr;
    ASSERT_TRUE(pg::ParseAudit(std::string_view(msgs[i].body).substr(7), &arena, &a, &why)) << msgs[i].body;
    EXPECT_EQ(e["AuditType"], std::string(a.audit_type));
    EXPECT_EQ(e["StatementId"], std::to_string(a.statement_id));
    EXPECT_EQ(e["Command"], std::string(a.command));
    if (!a.object_name.empty()) {
      EXPECT_EQ(e["Table"], std::string(a.object_name));
    }
    EXPECT_EQ(e["Statement"], std::string(a.statement));
    EXPECT_EQ(e["Severity"], msgs[i].severity);
    with_rows += e.has("Rows");
    with_params += e["Parameters"] != "<not logged>" && e["Parameters"] != "<previously logged>";
    once += e["Statement"] == "<previously logged>";
  }
  EXPECT_GT(with_rows, 100u);
  EXPECT_GT(with_params, 100u);
  EXPECT_GT(once, 10u);
  // Spot checks against the file.
  auto find = [&](const std::string& needle) -> const Ev* {
    for (const Ev& e : ev)
      if (e["Message"].find(needle) != std::string::npos) return &e;
    return nullptr;
  };
  const Ev* p = find("\"1,<long param suppressed>\"");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ((*p)["AuditType"], "OBJECT");
  EXPECT_EQ((*p)["Class"], "WRITE");
  EXPECT_EQ((*p)["Command"], "INSERT");
  EXPECT_EQ((*p)["Table"], "public.test4");
  EXPECT_EQ((*p)["Statement"], "PREPARE testinsert(int, text) AS\n    INSERT INTO test4 VALUES($1, $2)");
  EXPECT_EQ((*p)["Parameters"], "1,<long param suppressed>");
  const Ev* r = find("SESSION,27,4,READ,SELECT,,,SELECT test2_change(91),<none>,1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ((*r)["SubstatementId"], "4");
  EXPECT_EQ((*r)["Parameters"], "<none>");
  EXPECT_EQ((*r)["Rows"], "1");
  const Ev* c = find("\"CREATE TABLE public.test\n(\n\tid INT\n)\"");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ((*c)["Statement"], "CREATE TABLE public.test\n(\n\tid INT\n)");  // the SQL's own tab kept
}

// ---- detection and opening ------------------------------------------------------------

TEST(DbauditOpen, SniffAndOpenEveryFormatAndGzip) {
  EXPECT_EQ(SniffPgLog(kDebianLog), PgLogFormat::kStderr);
  EXPECT_EQ(SniffPgLog("2021-01-04 00:04:50.554 UTC,,,27,,5ff25ba2.1b,1,,2021-01-04 00:04:50 UTC,,0,LOG,00000,\"x\""),
            PgLogFormat::kCsv);
  EXPECT_EQ(SniffPgLog("{\"timestamp\":\"2024-05-02 09:00:02.000 UTC\",\"pid\":1,\"error_severity\":\"LOG\"}\n"),
            PgLogFormat::kJson);
  EXPECT_FALSE(SniffPgLog("{\"EventID\":4624}\n"));
  EXPECT_FALSE(SniffPgLog("hello\nworld\n"));
  EXPECT_FALSE(SniffPgLog("Nov 22 10:00:01 host sshd[1]: error: x\n"));

  const std::string plain = TempPath("postgresql-15-main.log");
  { std::ofstream(plain, std::ios::binary) << kDebianLog; }
  const std::string gz = TempPath("postgresql-15-main.log.2.gz");
  {
    gzFile f = gzopen(gz.c_str(), "wb");
    gzwrite(f, kDebianLog, static_cast<unsigned>(std::strlen(kDebianLog)));
    gzclose(f);
  }
  EXPECT_EQ(SniffFile(plain), FileKind::kPgLog);
  Issues issues;
  Discovery d = DiscoverInputs({fs::path(plain).parent_path().string()}, &issues);
  EXPECT_EQ(d.files.size(), 2u);
  for (const std::string& path : {plain, gz}) {
    auto reader = OpenReader(path, ReaderOptions{}, &issues);
    ASSERT_TRUE(reader.has_value()) << path << ": " << reader.error().ToString();
    EXPECT_EQ(pg_test::Drain(reader.value().get()).size(), 10u) << path;
  }
  // Forced format and prefix through ReaderOptions.
  ReaderOptions o;
  o.format = InputFormat::kPgLog;
  o.pg_line_prefix = "%m [%p] %q%u@%d ";
  auto reader = OpenReader(plain, o, &issues);
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ(pg_test::Drain(reader.value().get()).size(), 10u);
  EXPECT_EQ(issues.size(), 0u) << issues.Describe();
  fs::remove_all(fs::path(plain).parent_path());
}

}  // namespace
}  // namespace inari
