// inari::Result<T> — a value or an error Status (g++ 12 has no std::expected).
//
// Member names follow std::expected: has_value(), value(), error(). Accessing
// value() of an error result is a programming error (asserted in debug builds).
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "inari/status.h"

namespace inari {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result from OK status");
  }
  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  T& value() & { assert(has_value()); return std::get<0>(v_); }
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const Status& error() const { assert(!has_value()); return std::get<1>(v_); }
  Status status() const { return has_value() ? Status::OK() : std::get<1>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace inari
