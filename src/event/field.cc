// Process-wide field name registry. Names are interned once and never freed;
// ids are dense. Lookup by id is lock-free (blocks are never moved); interning
// takes a shared lock on the hit path and an exclusive lock to insert.
#include <array>
#include <atomic>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "inari/event.h"

namespace inari {
namespace {

constexpr size_t kBlockBits = 12;
constexpr size_t kBlockSize = size_t{1} << kBlockBits;
constexpr size_t kMaxBlocks = 1024;  // 4M distinct names

struct Hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

class Registry {
 public:
  Registry() {
    static constexpr std::string_view kWellKnown[] = {
        "EventID", "EventID_Qualifiers", "Version", "Level", "Task", "Opcode", "Keywords",
        "TimeCreated_SystemTime", "EventRecordID", "Correlation_ActivityID",
        "Correlation_RelatedActivityID", "Execution_ProcessID", "Execution_ThreadID", "Channel",
        "Computer", "Security_UserID", "Provider_Name", "Provider_Guid",
        "Provider_EventSourceName", "Data", "Binary"};
    static_assert(std::size(kWellKnown) == field::kNumWellKnown);
    for (auto n : kWellKnown) Intern(n);
  }

  FieldId Find(std::string_view name) {
    std::shared_lock lock(mu_);
    auto it = map_.find(name);
    return it == map_.end() ? kNoField : it->second;
  }

  FieldId Intern(std::string_view name) {
    {
      std::shared_lock lock(mu_);
      auto it = map_.find(name);
      if (it != map_.end()) return it->second;
    }
    std::unique_lock lock(mu_);
    auto it = map_.find(name);
    if (it != map_.end()) return it->second;
    FieldId id = count_.load(std::memory_order_relaxed);
    size_t block = id >> kBlockBits;
    if (block >= kMaxBlocks) return kNoField;  // absurd input; caller drops the field
    if (!blocks_[block].load(std::memory_order_relaxed))
      blocks_[block].store(new std::string_view[kBlockSize], std::memory_order_release);
    const std::string& stored = storage_.emplace_back(name);
    blocks_[block].load(std::memory_order_relaxed)[id & (kBlockSize - 1)] = stored;
    map_.emplace(std::string_view(stored), id);
    count_.store(id + 1, std::memory_order_release);
    return id;
  }

  std::string_view Name(FieldId id) const {
    if (id >= count_.load(std::memory_order_acquire)) return {};
    return blocks_[id >> kBlockBits].load(std::memory_order_acquire)[id & (kBlockSize - 1)];
  }

 private:
  std::shared_mutex mu_;
  std::deque<std::string> storage_;
  std::unordered_map<std::string_view, FieldId, Hash, std::equal_to<>> map_;
  std::array<std::atomic<std::string_view*>, kMaxBlocks> blocks_{};
  std::atomic<uint32_t> count_{0};
};

Registry& Global() {
  static Registry* r = new Registry();  // never destroyed: ids outlive static teardown
  return *r;
}

}  // namespace

FieldId InternField(std::string_view name) { return Global().Intern(name); }
FieldId FindField(std::string_view name) { return Global().Find(name); }
std::string_view FieldName(FieldId id) { return Global().Name(id); }

}  // namespace inari
