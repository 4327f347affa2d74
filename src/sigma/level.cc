#include "sigma/rule.h"

namespace inari::sigma {

std::string_view LevelName(Level l) {
  switch (l) {
    case Level::kInformational: return "informational";
    case Level::kLow: return "low";
    case Level::kMedium: return "medium";
    case Level::kHigh: return "high";
    case Level::kCritical: return "critical";
  }
  return "?";
}

size_t LoadResult::errors() const {
  size_t n = 0;
  for (const LoadIssue& i : issues) n += i.severity == LoadIssue::Severity::kError;
  return n;
}

}  // namespace inari::sigma
