#include "common/deflate_level.h"

#include <dlfcn.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>

namespace zhiping {
namespace {
thread_local int g_level = 0;  // 0: leave the caller's level alone
std::atomic<unsigned long> g_interposed_calls{0};  // relaxed: a count, ordering nothing
}

DeflateLevelScope::DeflateLevelScope(int level) : previous_(g_level) { g_level = std::max(1, std::min(9, level)); }
DeflateLevelScope::~DeflateLevelScope() { g_level = previous_; }
int DeflateLevelScope::Current() { return g_level; }
unsigned long DeflateLevelScope::InterposedCalls() { return g_interposed_calls.load(std::memory_order_relaxed); }

}  // namespace zhiping

namespace {
using DeflateInit2Fn = int (*)(z_streamp, int, int, int, int, int, const char*, int);

// zlib's own deflateInit2_, found past this executable's definition.
DeflateInit2Fn ZlibDeflateInit2() {
  static DeflateInit2Fn fn = reinterpret_cast<DeflateInit2Fn>(::dlsym(RTLD_NEXT, "deflateInit2_"));
  return fn;
}
}  // namespace

// libharu calls deflateInit (a macro for deflateInit_); minizip, under libxlsxwriter, calls deflateInit2_.
extern "C" int deflateInit2_(z_streamp strm, int level, int method, int window_bits, int mem_level, int strategy,
                             const char* version, int stream_size) {
  zhiping::g_interposed_calls.fetch_add(1, std::memory_order_relaxed);
  if (zhiping::DeflateLevelScope::Current() > 0 && level != 0) level = zhiping::DeflateLevelScope::Current();
  DeflateInit2Fn real = ZlibDeflateInit2();
  if (!real) return Z_VERSION_ERROR;  // cannot happen with zlib linked; never recurse into ourselves
  return real(strm, level, method, window_bits, mem_level, strategy, version, stream_size);
}

extern "C" int deflateInit_(z_streamp strm, int level, const char* version, int stream_size) {
  return deflateInit2_(strm, level, Z_DEFLATED, MAX_WBITS, 8, Z_DEFAULT_STRATEGY, version, stream_size);
}
