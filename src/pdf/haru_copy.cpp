#include "pdf/haru_copy.h"

#include <dlfcn.h>
#include <hpdf_utils.h>  // libharu's declaration, so a change of signature fails to compile

#include <cstring>

// Returns the byte after the last one written, as libharu's does.
extern "C" HPDF_BYTE* HPDF_MemCpy(HPDF_BYTE* out, const HPDF_BYTE* in, HPDF_UINT n) {
  if (n != 0) std::memcpy(out, in, n);
  return out + n;
}

namespace zhiping::pdf {

bool HaruCopiesWithMemcpy() {
  static const bool ours = ::dlsym(RTLD_DEFAULT, "HPDF_MemCpy") == reinterpret_cast<void*>(&HPDF_MemCpy);
  return ours;
}

}  // namespace zhiping::pdf
