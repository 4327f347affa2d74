#include "engine/issue_log.h"

namespace inari {

void IssueLog::Report(const ReadIssue& issue) {
  std::lock_guard lock(mu_);
  ++counts_[issue.status.code()];
  ++total_;
  if (issue.fatal) ++fatal_;
  if (kept_.size() < keep_) kept_.push_back(issue);
  if (callback_) callback_(issue);
}

std::map<Code, uint64_t> IssueLog::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}
uint64_t IssueLog::total() const {
  std::lock_guard lock(mu_);
  return total_;
}
uint64_t IssueLog::fatal() const {
  std::lock_guard lock(mu_);
  return fatal_;
}
std::vector<ReadIssue> IssueLog::kept() const {
  std::lock_guard lock(mu_);
  return kept_;
}

}  // namespace inari
