#include "sigma/literal_scan.h"

namespace inari::sigma {

hs_error_t ScanPadded(const hs_database_t* db, hs_scratch_t* scratch, std::string_view text, std::string* buf,
                      match_event_handler on_match, void* context) {
  buf->assign(text);
  PadForScan(buf);
  return hs_scan(db, buf->data(), static_cast<unsigned>(buf->size()), 0, scratch, on_match, context);
}

}  // namespace inari::sigma
