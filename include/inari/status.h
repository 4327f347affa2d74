// inari::Status — the outcome of a fallible call.
//
// A Status is either OK (cheap: no allocation) or carries an error code from
// error_codes.def and a message. Status is a value type; copying an error
// copies its message. It never holds secrets: callers must not put keys,
// plaintext customer data or detokenized values into a message.
// Thread-safety: distinct objects may be used from distinct threads freely.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace inari {

enum class Code : int {
#define INARI_ERROR(name, number, text) name = number,
#include "inari/error_codes.def"
#undef INARI_ERROR
};

// Short stable name of a code ("Corruption"), as used in summaries and JSON.
std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(const Status& other) : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}
  Status& operator=(const Status& other) {
    if (this != &other) state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status NotFound(std::string_view what, std::string_view why = {}) { return Status(Code::kNotFound, what, why); }
  static Status Corruption(std::string_view what, std::string_view why = {}) { return Status(Code::kCorruption, what, why); }
  static Status NotSupported(std::string_view what, std::string_view why = {}) { return Status(Code::kNotSupported, what, why); }
  static Status InvalidArgument(std::string_view what, std::string_view why = {}) { return Status(Code::kInvalidArgument, what, why); }
  static Status IOError(std::string_view what, std::string_view why = {}) { return Status(Code::kIOError, what, why); }
  static Status Truncated(std::string_view what, std::string_view why = {}) { return Status(Code::kTruncated, what, why); }
  static Status ParseError(std::string_view what, std::string_view why = {}) { return Status(Code::kParseError, what, why); }
  static Status Dirty(std::string_view what, std::string_view why = {}) { return Status(Code::kDirty, what, why); }
  static Status Checksum(std::string_view what, std::string_view why = {}) { return Status(Code::kChecksum, what, why); }

  bool ok() const noexcept { return state_ == nullptr; }
  Code code() const noexcept { return state_ ? state_->code : Code::kOk; }
  // The message without the code name ("" when OK).
  std::string_view message() const noexcept { return state_ ? std::string_view(state_->message) : std::string_view(); }
  // "Corruption: evtx chunk 12: bad CRC".
  std::string ToString() const;

 private:
  Status(Code code, std::string_view what, std::string_view why);
  struct State {
    Code code;
    std::string message;
  };
  std::unique_ptr<State> state_;
};

}  // namespace inari
