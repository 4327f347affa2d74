// FollowReader: a writer thread appends to a PostgreSQL log, rotates it
// (rename + new file) and truncates it; the follower must hand out every
// entry exactly once, in order.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "dbaudit_test_util.h"

namespace inari {
namespace {

using pg_test::Ev;
using pg_test::Issues;
namespace fs = std::filesystem;

std::string Entry(int i) {
  // Every third entry is multi-line with a DETAIL line: it must stay whole.
  std::string ts = "2024-05-02 09:00:00.000 UTC [" + std::to_string(100 + i % 7) + "] app@crm ";
  std::string s = ts + "LOG:  AUDIT: SESSION," + std::to_string(i) + ",1,READ,SELECT,TABLE,public.customers,";
  if (i % 3 == 0)
    s += "\"SELECT *\n\t  FROM customers\",<none>," + std::to_string(i) + "\n" + ts + "DETAIL:  d" + std::to_string(i) +
         "\n";
  else
    s += "SELECT " + std::to_string(i) + ",<none>," + std::to_string(i) + "\n";
  return s;
}

void Append(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "ab");
  ASSERT_NE(f, nullptr);
  // Write in two pieces so the follower may see a line without its end (cut
  // inside the first line: PostgreSQL writes an entry at once, and an entry
  // whose DETAIL line is late by more than a poll interval is handed out without it).
  const size_t half = std::min<size_t>(20, text.size());
  std::fwrite(text.data(), 1, half, f);
  std::fflush(f);
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::fwrite(text.data() + half, 1, text.size() - half, f);
  std::fclose(f);
}

TEST(DbauditFollow, AppendRotateTruncate) {
  const fs::path dir = fs::temp_directory_path() / ("inari_follow_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "postgresql.log").string();
  constexpr int kEntries = 600;
  Append(path, Entry(0));

  Issues issues;
  FollowOptions fo;
  fo.poll_ms = 5;
  auto opened = OpenPgFollowReader(path, std::nullopt, PgLogOptions{}, fo, &issues);
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  FollowReader* reader = opened.value().get();

  std::atomic<bool> written{false};
  std::thread writer([&] {
    for (int i = 1; i < kEntries; ++i) {
      if (i == 200) {  // logrotate "create": rename, new file
        fs::rename(path, path + ".1");
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
      }
      if (i == 400) {  // logrotate "copytruncate": wait until the follower had it all, then truncate in place
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ::truncate(path.c_str(), 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
      }
      Append(path, Entry(i));
      if (i % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    written = true;
  });

  std::vector<Ev> got;
  EventBatch batch;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    batch.Reset();
    const bool more = reader->Next(&batch, 64);
    for (size_t i = 0; i < batch.size(); ++i) got.push_back(pg_test::ToEv(batch[i]));
    if (written && got.size() >= static_cast<size_t>(kEntries)) reader->Stop();
    if (!more) break;
  }
  writer.join();
  EXPECT_EQ(issues.size(), 0u) << issues.Describe();
  ASSERT_EQ(got.size(), static_cast<size_t>(kEntries));
  for (int i = 0; i < kEntries; ++i) {
    const Ev& e = got[static_cast<size_t>(i)];
    ASSERT_EQ(e["EventType"], "audit") << i;
    ASSERT_EQ(e["StatementId"], std::to_string(i));
    ASSERT_EQ(e["Rows"], std::to_string(i));
    if (i % 3 == 0) {
      EXPECT_EQ(e["Statement"], "SELECT *\n  FROM customers") << i;
      EXPECT_EQ(e["Detail"], "d" + std::to_string(i)) << i;
    }
  }
  EXPECT_EQ(reader->files_opened(), 3u);  // the first, the new one after the rename, the truncated one
  // Line numbers start again in each file.
  EXPECT_EQ(got[200].line, 1u);
  EXPECT_EQ(got[400].line, 1u);
  fs::remove_all(dir);
}

TEST(DbauditFollow, CsvFromEndAndStop) {
  const fs::path dir = fs::temp_directory_path() / ("inari_follow_csv_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "postgresql.csv").string();
  auto row = [](int i) {
    return "2024-05-02 09:00:00.000 UTC,\"u\",\"crm\",42,,6633a2c1.c8," + std::to_string(i) +
           ",,2024-05-02 09:00:00 UTC,,0,LOG,00000,\"AUDIT: SESSION," + std::to_string(i) +
           ",1,READ,SELECT,,,\"\"SELECT\n1\"\",<none>\",,,,,,,,,\"psql\",client backend,,0\n";
  };
  Append(path, row(1) + row(2));
  Issues issues;
  FollowOptions fo;
  fo.poll_ms = 5;
  fo.from_end = true;  // rows 1 and 2 are not wanted
  auto opened = OpenPgFollowReader(path, std::nullopt, PgLogOptions{}, fo, &issues);
  ASSERT_TRUE(opened.has_value());
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int i = 3; i <= 10; ++i) Append(path, row(i));
  });
  std::vector<Ev> got;
  EventBatch batch;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    batch.Reset();
    const bool more = opened.value()->Next(&batch, 3);
    for (size_t i = 0; i < batch.size(); ++i) got.push_back(pg_test::ToEv(batch[i]));
    if (got.size() >= 8) opened.value()->Stop();
    if (!more) break;
  }
  writer.join();
  EXPECT_EQ(issues.size(), 0u) << issues.Describe();
  ASSERT_EQ(got.size(), 8u);
  EXPECT_EQ(got[0]["StatementId"], "3");
  EXPECT_EQ(got[7]["StatementId"], "10");
  EXPECT_EQ(got[7]["Statement"], "SELECT\n1");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace inari
