// The building blocks of the PostgreSQL log reader: log_line_prefix matching
// and detection, PostgreSQL timestamps, the CSV splitter and pgaudit records.
#include <gtest/gtest.h>

#include "base/arena.h"
#include "base/time.h"
#include "ingest/dbaudit/pg_prefix.h"
#include "ingest/dbaudit/pg_record.h"

namespace inari::pg {
namespace {

int64_t Utc(std::string_view iso) { return ParseIso8601(iso); }

struct M {
  bool ok;
  PrefixFields f;
  std::string rest;  // from the severity word on
};

M Match(std::string_view prefix, std::string_view line) {
  M m;
  const char* sev = nullptr;
  m.ok = LinePrefix::Compile(prefix).Match(line, &m.f, &sev);
  if (m.ok) m.rest = std::string(sev, line.data() + line.size() - sev);
  return m;
}

TEST(DbauditPrefix, DebianDefaultSessionAndBackground) {
  M m = Match("%m [%p] %q%u@%d ", "2021-01-04 00:05:06.086 UTC [34] postgres@shop LOG:  connection authorized");
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.f.time, Utc("2021-01-04T00:05:06.086Z"));
  EXPECT_EQ(m.f.pid, 34);
  EXPECT_EQ(m.f.user, "postgres");
  EXPECT_EQ(m.f.database, "shop");
  EXPECT_EQ(m.rest, "LOG:  connection authorized");
  // %q: a background process prints nothing after it.
  m = Match("%m [%p] %q%u@%d ", "2021-01-04 00:04:50.568 UTC [1] LOG:  database system is ready");
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.f.pid, 1);
  EXPECT_TRUE(m.f.user.empty());
  // Before authentication PostgreSQL prints [unknown]: no user.
  m = Match("%m [%p] %q%u@%d ", "2021-01-04 00:05:06.011 UTC [34] [unknown]@[unknown] LOG:  connection received");
  ASSERT_TRUE(m.ok);
  EXPECT_TRUE(m.f.user.empty());
  EXPECT_TRUE(m.f.database.empty());
}

TEST(DbauditPrefix, FreeTextWithTheSeparatorInside) {
  // The user name contains '@', the separator: the match backtracks to the next '@'.
  M m = Match("%m [%p] %q%u@%d ", "2021-01-04 00:05:06.086 UTC [34] ann@corp@crm LOG:  x");
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.f.user, "ann");
  EXPECT_EQ(m.f.database, "corp@crm");  // ambiguous in the log itself: first split that matches
  // An application name with spaces and commas.
  m = Match("%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
            "2024-03-01 10:00:00 CET [4242]: [7-1] user=bob,db=crm,app=pgAdmin 4 - DB:crm, x,client=10.1.2.3 "
            "LOG:  statement: SELECT 1");
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.f.time, Utc("2024-03-01T09:00:00Z"));
  EXPECT_EQ(m.f.session_line, 7);
  EXPECT_EQ(m.f.application, "pgAdmin 4 - DB:crm, x");
  EXPECT_EQ(m.f.client, "10.1.2.3");
}

TEST(DbauditPrefix, EveryEscape) {
  M m = Match("%n|%p|%u|%d|%r|%a|%c|%l|%s|%v|%x|%e|%i|%b|%Q|%P|%% ",
              "1609718706.086|34|alice|crm|10.0.0.7(52834)|psql|5ff25bb2.22|3|2021-01-04 00:05:06 UTC|3/7|0|"
              "28P01|SELECT|client backend|-6461937263462733421||% ERROR:  boom");
  ASSERT_TRUE(m.ok) << "no match";
  EXPECT_EQ(m.f.time, Utc("2021-01-04T00:05:06.086Z"));
  EXPECT_EQ(m.f.pid, 34);
  EXPECT_EQ(m.f.user, "alice");
  EXPECT_EQ(m.f.database, "crm");
  EXPECT_EQ(m.f.client, "10.0.0.7");
  EXPECT_EQ(m.f.client_port, "52834");
  EXPECT_EQ(m.f.application, "psql");
  EXPECT_EQ(m.f.session_id, "5ff25bb2.22");
  EXPECT_EQ(m.f.session_line, 3);
  EXPECT_EQ(m.f.session_start, Utc("2021-01-04T00:05:06Z"));
  EXPECT_EQ(m.f.vxid, "3/7");
  EXPECT_EQ(m.f.txid, 0);
  EXPECT_EQ(m.f.sqlstate, "28P01");
  EXPECT_EQ(m.f.command_tag, "SELECT");
  EXPECT_EQ(m.f.backend_type, "client backend");
  EXPECT_EQ(m.f.query_id, "-6461937263462733421");
  EXPECT_EQ(m.f.leader_pid, -1);
  EXPECT_EQ(m.rest, "ERROR:  boom");
}

TEST(DbauditPrefix, RdsPaddingAndNoSeparator) {
  M m = Match("%t:%r:%u@%d:[%p]:", "2019-03-10 03:54:59 UTC:10.0.0.123(52834):postgres@tstdb:[20175]:ERROR:  x");
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.f.client, "10.0.0.123");
  EXPECT_EQ(m.f.pid, 20175);
  EXPECT_EQ(m.f.database, "tstdb");
  m = Match("%t:%r:%u@%d:[%p]:", "2019-03-10 03:54:59 UTC:[local]:postgres@tstdb:[20175]:LOG:  x");
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.f.client, "[local]");
  // Padding: %-8u pads the user with blanks, which are trimmed.
  m = Match("%m [%6p] %-8u ", "2021-01-04 00:05:06.086 UTC [    34] bob      LOG:  x");
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.f.pid, 34);
  EXPECT_EQ(m.f.user, "bob");
  // The prefix ends with an escape: the user runs up to the severity word.
  m = Match("%m %u", "2021-01-04 00:05:06.086 UTC bobLOG:  x");
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.f.user, "bob");
  // Not this prefix.
  EXPECT_FALSE(Match("%m [%p] ", "2021-01-04 00:05:06.086 UTC [34] bob@db LOG:  x").ok);
  EXPECT_FALSE(Match("%m [%p] ", "garbage LOG:  x").ok);
  EXPECT_FALSE(Match("%m [%p] ", "2021-01-04 00:05:06.086 UTC [34] LOG: one space").ok);
}

TEST(DbauditPrefix, Timestamps) {
  int64_t ns = 0;
  std::string_view unknown;
  auto parse = [&](std::string_view s, bool need_zone = true) {
    ns = 0;
    unknown = {};
    return ParsePgTime(s.data(), s.data() + s.size(), need_zone, &ns, &unknown) != nullptr;
  };
  ASSERT_TRUE(parse("2024-07-01 12:00:00.123456 CEST"));
  EXPECT_EQ(ns, Utc("2024-07-01T10:00:00.123456Z"));
  ASSERT_TRUE(parse("2024-07-01 12:00:00 +0530"));
  EXPECT_EQ(ns, Utc("2024-07-01T06:30:00Z"));
  ASSERT_TRUE(parse("2024-07-01 12:00:00 -03"));
  EXPECT_EQ(ns, Utc("2024-07-01T15:00:00Z"));
  ASSERT_TRUE(parse("2024-01-01 00:00:00 EST"));
  EXPECT_EQ(ns, Utc("2024-01-01T05:00:00Z"));
  ASSERT_TRUE(parse("2024-01-01 00:00:00 IST"));  // ambiguous: UTC, and said so
  EXPECT_EQ(ns, Utc("2024-01-01T00:00:00Z"));
  EXPECT_EQ(unknown, "IST");
  EXPECT_FALSE(parse("2024-01-01 00:00:00"));  // %m and %t always print a zone
  EXPECT_TRUE(parse("2024-01-01 00:00:00", false));
  EXPECT_FALSE(parse("2024-13-01 00:00:00 UTC"));
  EXPECT_FALSE(parse("2024-01-01 0:00:00 UTC"));
}

TEST(DbauditPrefix, Detection) {
  std::string prefix;
  ASSERT_TRUE(DetectLinePrefix("2021-01-04 00:04:50.568 UTC [1] LOG:  ready\n"
                               "2021-01-04 00:05:06.011 UTC [34] [unknown]@[unknown] LOG:  connection received\n"
                               "2021-01-04 00:05:06.086 UTC [34] postgres@postgres LOG:  statement: SELECT 1\n"
                               "\tFROM x\n",
                               &prefix));
  EXPECT_EQ(prefix, "%m [%p] %q%u@%d ");
  ASSERT_TRUE(DetectLinePrefix("2024-03-01 10:00:00 UTC [4242]: [7-1] user=bob,db=crm,app=psql,client=10.1.2.3 LOG:  a\n"
                               "2024-03-01 10:00:00 UTC [4242]: [8-1] user=bob,db=crm,app=psql,client=10.1.2.3 LOG:  b\n",
                               &prefix));
  EXPECT_EQ(prefix, "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ");
  ASSERT_TRUE(DetectLinePrefix("2019-03-10 03:54:59 UTC:10.0.0.123(52834):postgres@tstdb:[20175]:LOG:  x\n", &prefix));
  EXPECT_EQ(prefix, "%t:%r:%u@%d:[%p]:");
  // Debian's prefix followed by client, session and an application name with blanks (tools/pgbed):
  // Debian's alone would "match" with the rest swallowed into the database name.
  ASSERT_TRUE(DetectLinePrefix(
      "2026-10-19 07:55:01.123 UTC [8812] support_app@custdb 10.30.1.11(50412) 6b0275bf.226c:3 support-portal/agent=j.doe "
      "LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,crm.customers,\"SELECT 1\",<none>,1\n"
      "2026-10-19 07:55:02.001 UTC [8813] jdoe@custdb 10.20.1.22(50413) 6b0275c0.226d:4 DBeaver 23.2.5 - Main <custdb> "
      "LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,crm.customers,\"SELECT 2\",<none>,1\n",
      &prefix));
  EXPECT_EQ(prefix, "%m [%p] %q%u@%d %r %c:%l %a ");
  ASSERT_TRUE(DetectLinePrefix("LOG:  x\nERROR:  y\n", &prefix));
  EXPECT_EQ(prefix, "");
  EXPECT_FALSE(DetectLinePrefix("hello world\nnothing here\n", &prefix));
}

TEST(DbauditPrefix, Loose) {
  PrefixFields f;
  const char* sev = nullptr;
  std::string_view line = "<2021-01-04 00:05:06.086 UTC> host=x pid [77] something WARNING:  careful";
  ASSERT_TRUE(MatchLoose(line, &f, &sev));
  EXPECT_EQ(std::string_view(sev), "WARNING:  careful");
  EXPECT_EQ(f.time, Utc("2021-01-04T00:05:06.086Z"));
  EXPECT_EQ(f.pid, 77);
  EXPECT_FALSE(MatchLoose("no severity here: at all", &f, &sev));
}

TEST(DbauditCsv, QuotingAndNewlines) {
  Arena arena;
  std::string_view f[8];
  std::string text = "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",,\"\"\nnext";
  CsvSplit s = SplitCsv(text.data(), text.data() + text.size(), true, &arena, f, 8);
  ASSERT_EQ(s.how, CsvSplit::kNewline);
  ASSERT_EQ(s.fields, 6u);
  EXPECT_EQ(f[0], "a");
  EXPECT_EQ(f[1], "b,c");
  EXPECT_EQ(f[2], "say \"hi\"");
  EXPECT_EQ(f[3], "two\nlines");
  EXPECT_EQ(f[4], "");
  EXPECT_EQ(f[5], "");
  EXPECT_EQ(s.newlines, 1u);
  EXPECT_EQ(std::string_view(s.next), "next");
  // Zero copy when no quote is doubled.
  EXPECT_GE(f[1].data(), text.data());
  EXPECT_LT(f[1].data(), text.data() + text.size());
  std::string open = "a,\"never closed\nb";
  EXPECT_EQ(SplitCsv(open.data(), open.data() + open.size(), true, &arena, f, 8).how, CsvSplit::kOpenQuote);
  std::string bad = "a,\"x\"y,b\n";
  EXPECT_EQ(SplitCsv(bad.data(), bad.data() + bad.size(), true, &arena, f, 8).how, CsvSplit::kBadQuote);
}

TEST(DbauditAudit, Formats) {
  Arena arena;
  AuditFields a;
  const char* why = nullptr;
  // pgaudit's README examples (multi-line statements, unquoted as the README prints them).
  ASSERT_TRUE(ParseAudit("SESSION,1,1,DDL,CREATE TABLE,TABLE,public.account,create table account\n(\n    id int\n);,"
                         "<not logged>",
                         &arena, &a, &why))
      << why;
  EXPECT_EQ(a.audit_type, "SESSION");
  EXPECT_EQ(a.statement_id, 1u);
  EXPECT_EQ(a.substatement_id, 1u);
  EXPECT_EQ(a.klass, "DDL");
  EXPECT_EQ(a.command, "CREATE TABLE");
  EXPECT_EQ(a.object_type, "TABLE");
  EXPECT_EQ(a.object_name, "public.account");
  EXPECT_EQ(a.statement, "create table account\n(\n    id int\n);");
  EXPECT_EQ(a.parameters, "<not logged>");
  a = {};
  ASSERT_TRUE(ParseAudit("SESSION,33,1,FUNCTION,DO,,,\"DO $$\nBEGIN\n    EXECUTE 'CREATE TABLE import' || "
                         "'ant_table (id INT)';\nEND $$;\"",
                         &arena, &a, &why));  // the README prints it without the parameter field
  EXPECT_EQ(a.command, "DO");
  EXPECT_EQ(a.statement, "DO $$\nBEGIN\n    EXECUTE 'CREATE TABLE import' || 'ant_table (id INT)';\nEND $$;");
  EXPECT_FALSE(a.has_rows);
  a = {};
  ASSERT_TRUE(ParseAudit("OBJECT,1,1,READ,SELECT,TABLE,public.account,\"select password\n  from account\",<not logged>",
                         &arena, &a, &why));
  EXPECT_EQ(a.audit_type, "OBJECT");
  EXPECT_EQ(a.object_type, "TABLE");
  EXPECT_EQ(a.object_name, "public.account");
  EXPECT_EQ(a.statement, "select password\n  from account");
  EXPECT_EQ(a.parameters, "<not logged>");
  EXPECT_FALSE(a.has_rows);
  // log_parameter + log_rows.
  a = {};
  ASSERT_TRUE(ParseAudit("SESSION,12,1,READ,SELECT,TABLE,public.customers,\"SELECT * FROM customers WHERE id = $1\","
                         "\"42,\"\"it's, quoted\"\"\",68000",
                         &arena, &a, &why));
  EXPECT_EQ(a.parameters, "42,\"it's, quoted\"");
  ASSERT_TRUE(a.has_rows);
  EXPECT_EQ(a.rows, 68000u);
  // log_statement_once.
  a = {};
  ASSERT_TRUE(ParseAudit("OBJECT,1,1,READ,SELECT,TABLE,public.test2,<previously logged>,<previously logged>", &arena,
                         &a, &why));
  EXPECT_EQ(a.statement, "<previously logged>");
  // log_statement off: 7 fields; with rows: 8.
  a = {};
  ASSERT_TRUE(ParseAudit("SESSION,3,1,WRITE,DELETE,TABLE,public.t", &arena, &a, &why));
  EXPECT_FALSE(a.has_statement);
  a = {};
  ASSERT_TRUE(ParseAudit("SESSION,3,1,WRITE,DELETE,TABLE,public.t,17", &arena, &a, &why));
  EXPECT_TRUE(a.has_rows);
  EXPECT_EQ(a.rows, 17u);
  // Not pgaudit.
  EXPECT_FALSE(ParseAudit("SESSION,x,1,READ,SELECT,,,s,p", &arena, &a, &why));
  EXPECT_FALSE(ParseAudit("OTHER,1,1,READ,SELECT,,,s,p", &arena, &a, &why));
  EXPECT_FALSE(ParseAudit("SESSION,1,1,READ", &arena, &a, &why));
  EXPECT_FALSE(ParseAudit("SESSION,1,1,READ,SELECT,,,\"open,p", &arena, &a, &why));
  EXPECT_FALSE(ParseAudit("SESSION,1,1,READ,SELECT,,,s,p,many", &arena, &a, &why));
}

TEST(DbauditAudit, SessionTime) {
  double s = 0;
  ASSERT_TRUE(ParseSessionTime("0:00:45.407", &s));
  EXPECT_DOUBLE_EQ(s, 45.407);
  ASSERT_TRUE(ParseSessionTime("27:01:02.003", &s));
  EXPECT_DOUBLE_EQ(s, 27 * 3600 + 62.003);
  EXPECT_FALSE(ParseSessionTime("45.407", &s));
}

}  // namespace
}  // namespace inari::pg
