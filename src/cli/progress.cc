#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace inari::cli {

std::string HumanBytes(double b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1000 && u < 4) {
    b /= 1000;
    ++u;
  }
  return u == 0 ? fmt::format("{:.0f} {}", b, units[u]) : fmt::format("{:.1f} {}", b, units[u]);
}

std::string HumanCount(double n) {
  if (n >= 1e9) return fmt::format("{:.2f}G", n / 1e9);
  if (n >= 1e6) return fmt::format("{:.2f}M", n / 1e6);
  if (n >= 1e4) return fmt::format("{:.1f}k", n / 1e3);
  return fmt::format("{:.0f}", n);
}

ProgressBar::ProgressBar(const ScanProgress* progress, bool enabled) : progress_(progress) {
  if (!enabled || !::isatty(2)) return;
  thread_ = std::jthread([this] {
    const auto t0 = std::chrono::steady_clock::now();
    while (!stop_.load()) {
      for (int i = 0; i < 4 && !stop_.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (secs > 0.5) Draw(secs);
    }
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  });
}

ProgressBar::~ProgressBar() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ProgressBar::Draw(double secs) {
  const double total = static_cast<double>(progress_->bytes_total.load());
  const double done = static_cast<double>(progress_->bytes_done.load());
  const double events = static_cast<double>(progress_->events.load());
  const double frac = total > 0 ? std::min(1.0, done / total) : 0;
  constexpr int kWidth = 24;
  std::string bar(kWidth, ' ');
  int filled = static_cast<int>(frac * kWidth);
  for (int i = 0; i < filled; ++i) bar[i] = '=';
  if (filled < kWidth) bar[filled] = '>';
  std::string eta = "--:--";
  if (frac > 0.01) {
    int left = static_cast<int>(secs / frac - secs);
    eta = fmt::format("{}:{:02d}", left / 60, left % 60);
  }
  std::string line = fmt::format("\r\033[K[{}] {:3.0f}%  {}/{} files  {}/{}  {} events  {} ev/s  ETA {}", bar,
                                 frac * 100, progress_->files_done.load(), progress_->files_total.load(),
                                 HumanBytes(done), HumanBytes(total), HumanCount(events),
                                 HumanCount(events / secs), eta);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace inari::cli
