// A progress line on stderr for long scans: files, bytes, events/s, ETA.
// Shown only when stderr is a terminal; redraws at most 5 times a second.
#pragma once

#include <atomic>
#include <thread>

#include "engine/scan.h"

namespace inari::cli {

class ProgressBar {
 public:
  // Starts drawing if `enabled` and stderr is a terminal.
  ProgressBar(const ScanProgress* progress, bool enabled);
  ~ProgressBar();  // stops and clears the line

 private:
  void Draw(double seconds);
  const ScanProgress* progress_;
  std::atomic<bool> stop_{false};
  std::jthread thread_;
};

std::string HumanBytes(double bytes);
std::string HumanCount(double n);

}  // namespace inari::cli
