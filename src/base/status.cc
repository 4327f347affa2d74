#include "inari/status.h"

#include <string>

namespace inari {

std::string_view CodeName(Code code) {
  switch (code) {
#define INARI_ERROR(name, number, text) \
  case Code::name:                      \
    return std::string_view(#name).substr(1);
#include "inari/error_codes.def"
#undef INARI_ERROR
  }
  return "Unknown";
}

Status::Status(Code code, std::string_view what, std::string_view why) {
  state_ = std::make_unique<State>();
  state_->code = code;
  state_->message.assign(what);
  if (!why.empty()) {
    state_->message.append(": ");
    state_->message.append(why);
  }
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(CodeName(code()));
  out.append(": ");
  out.append(state_->message);
  return out;
}

}  // namespace inari
