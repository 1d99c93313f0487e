#include "sign/podofo_guard.h"

#include <podofo/podofo.h>

namespace zhiping::sign {

std::unique_lock<std::mutex> LockPoDoFo() {
  static std::mutex mutex;
  static std::once_flag quiet;
  std::call_once(quiet, [] {
    PoDoFo::PdfError::EnableDebug(false);
    PoDoFo::PdfError::EnableLogging(false);
  });
  return std::unique_lock<std::mutex>(mutex);
}

}  // namespace zhiping::sign
